"""The three hand-written sample reports. Everything here is invented.

Each builder returns the correct report; ``build_samples`` then plants the errors listed at
the bottom of each builder unless ``correct=True``.
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.synth import plant
from jixiao.synth.content import (
    EvalTable,
    IndicatorRow,
    SampleReport,
    make_funds,
    make_narrative,
    set_expert_means,
)


def ind(
    l1: str, l2: str, name: str, target: str, actual: str, weight: float,
    score: float | None = None, note: str | None = None,
) -> IndicatorRow:  # fmt: skip
    """A self-evaluation row; full marks unless a score (and its deviation note) is given."""
    return IndicatorRow(
        l1, l2, name, weight, weight if score is None else score, target, actual, note
    )


def ruled(
    l1: str, l2: str, name: str, weight: float, rule: str,
    score: float | None = None, note: str | None = None,
) -> IndicatorRow:  # fmt: skip
    """A scoring-sheet row: weight, 评分标准 and score."""
    return IndicatorRow(
        l1, l2, name, weight, weight if score is None else score, note=note, rule=rule
    )


def panel(l1: str, l2: str, name: str, weight: float, scores: list[float]) -> IndicatorRow:
    return IndicatorRow(l1, l2, name, weight, expert_scores=scores)


Plant = Callable[[SampleReport], None]

# -- 1. 示例市云岭区市场监督管理局, 2023: two self-evaluation tables --------------------------------


def _shichang() -> tuple[SampleReport, Plant]:
    entity = "示例市云岭区市场监督管理局"
    narrative = make_narrative(
        total=3856.42, last_total=3544.24, spend=3602.57, basic=2510.33,
        three_public_budget=28.50, three_public=(0.00, 19.86, 4.50),
        procurement=(120.50, 0.00, 291.80), procurement_sme=350.20,
        reason_change="新增食品安全抽检扩面任务和智慧监管平台运维支出",
        reason_three_public="压减公务用车运行维护支出，公务接待严格执行标准",
    )  # fmt: skip
    out, benefit, sat = "产出指标", "效益指标", "满意度指标"
    food = EvalTable(
        kind="project_self",
        subject="食品安全抽检监测经费",
        intro=["（一）食品安全抽检监测经费项目自评情况"],
        competent_dept=entity,
        implementing_unit="示例市云岭区食品药品检验检测中心",
        money_unit="万元",
        funds=make_funds(fiscal=(160.00, 166.00, 155.20), carryover=(20.00, 20.00, 18.65)),
        goal="1．完成食品安全监督抽检不少于1200批次、快检不少于6000批次；\n"
        "2．问题样品核查处置率达到100%，抽检结果按时向社会公布。",
        goal_actual="1．全年完成监督抽检1286批次、快检6420批次；\n"
        "2．问题样品全部核查处置，抽检信息按季度公布，群众知晓率仍有提升空间。",
        indicators=[
            ind(out, "数量指标", "食品安全监督抽检批次", "≥1200批次", "1286批次", 15),
            ind(out, "数量指标", "食品快检样品数量", "≥6000批次", "6420批次", 10),
            ind(out, "质量指标", "问题样品核查处置率", "100%", "100%", 10),
            ind(out, "时效指标", "抽检结果公布及时率", "≥95%", "97.5%", 10),
            ind(out, "成本指标", "单批次抽检成本", "≤1500元", "1420元", 5),
            ind(benefit, "社会效益指标", "辖区食品抽检合格率", "≥97%", "98.1%", 10),
            ind(
                benefit,
                "社会效益指标",
                "群众食品安全知晓率",
                "≥90%",
                "88.5%",
                10,
                8,
                "宣传进社区场次偏少；下一年度增加社区、校园宣传活动",
            ),
            ind(benefit, "可持续影响指标", "风险监测长效机制", "持续运行", "持续运行", 10),
            ind(sat, "服务对象满意度指标", "受检经营主体满意度", "≥90%", "93.2%", 10),
        ],
    )
    platform = EvalTable(
        kind="project_self",
        subject="智慧市场监管平台运维经费",
        intro=["（二）智慧市场监管平台运维经费项目自评情况"],
        competent_dept=entity,
        implementing_unit="示例市云岭区市场监管信息中心",
        money_unit="万元",
        funds=make_funds(fiscal=(95.00, 88.00, 86.12)),
        goal="保障智慧市场监管平台12个业务模块稳定运行，系统可用率不低于99%，"
        "推动登记注册、许可审批等事项网上办理。",
        goal_actual="平台12个模块全年稳定运行，系统可用率99.6%；网上办件占比76.4%，略低于预期。",
        level1_notes=False,
        indicators=[
            ind(out, "数量指标", "运维业务模块数量", "≥12个", "12个", 15),
            ind(out, "质量指标", "系统可用率", "≥99%", "99.6%", 15),
            ind(out, "时效指标", "故障响应时间", "≤2小时", "1.5小时", 10),
            ind(out, "成本指标", "运维费用控制数", "≤88万元", "86.12万元", 10),
            ind(
                benefit,
                "社会效益指标",
                "网上办件占比",
                "≥80%",
                "76.4%",
                15,
                12,
                "部分经营主体仍习惯窗口办理；加强网办引导和帮办服务",
            ),
            ind(benefit, "可持续影响指标", "数据共享接口可用性", "持续保障", "持续保障", 15),
            ind(sat, "服务对象满意度指标", "平台使用人员满意度", "≥90%", "95%", 10),
        ],
    )
    report = SampleReport("shiyan-shichang-2023", entity, 2023, narrative, [food, platform])

    def errors(r: SampleReport) -> None:
        plant.wrong_rate(r, 0, plant.shifted(r.tables[0].funds[0].rate or 0, 2.0))
        plant.over_weight(r, 1, 1, 16)
        plant.wrong_share(r, "basic_share", plant.shifted(r.narrative.basic_share, 1.0))

    return report, errors


# -- 2. 示例省青禾县农业农村局, 2022: a scoring sheet and an expert panel --------------------------

_RULES_REVIEW = [
    ("决策", "项目立项", "立项依据充分性", 3, None,
     "①项目立项符合本县高标准农田建设规划；②与部门职责范围相符；③未与其他项目重复。每缺一项扣1分。"),
    ("决策", "项目立项", "立项程序规范性", 2, None,
     "①按规定程序申请设立；②经过可行性论证和集体决策。每缺一项扣1分。"),
    ("决策", "绩效目标", "绩效目标合理性", 3, 2,
     "①绩效目标与项目实施内容相关；②预期产出和效益符合正常业绩水平；③与预算资金量相匹配。每缺一项扣1分。"),
    ("决策", "绩效目标", "绩效指标明确性", 2, 1.5,
     "绩效指标细化分解为可衡量的数量、质量、时效、成本指标得2分，部分指标无法衡量的酌情扣分。"),
    ("决策", "资金投入", "预算编制科学性", 3, None,
     "预算经过测算、编制依据充分、与建设任务相匹配得3分，否则酌情扣分。"),
    ("决策", "资金投入", "资金分配合理性", 2, None,
     "资金分配依据充分、额度与各乡镇建设任务相适应得2分，否则酌情扣分。"),
    ("过程", "资金管理", "资金到位率", 5, None,
     "资金到位率=实际到位资金÷计划投入资金×100%，得分=到位率×分值。"),
    ("过程", "资金管理", "预算执行率", 5, 4,
     "预算执行率=实际支出÷实际到位资金×100%，执行率≥95%得满分，每低1个百分点扣0.5分。"),
    ("过程", "资金管理", "资金使用合规性", 5, None,
     "①符合财务管理制度；②资金拨付有完整审批程序；③无截留、挤占、挪用。每发现一处问题扣1分。"),
    ("过程", "组织实施", "管理制度健全性", 5, None,
     "已制定项目管理和资金管理办法且合法合规得5分，制度不完整的酌情扣分。"),
    ("过程", "组织实施", "制度执行有效性", 5, 3.5,
     "①严格执行招投标和工程监理制度；②工程变更手续完备；③档案资料齐全。每缺一项扣1至2分。"),
    ("产出", "产出数量", "建设面积完成率", 10, None,
     "完成率=实际建成面积÷计划建设面积×100%，得分=完成率×分值，最高不超过分值。"),
    ("产出", "产出质量", "工程验收合格率", 10, None,
     "验收合格率达到100%得满分，每低1个百分点扣1分。"),
    ("产出", "产出时效", "工程完工及时率", 8, 6,
     "按合同工期完工得满分，每延迟1个月扣1分。"),
    ("产出", "产出成本", "亩均投资控制率", 7, None,
     "亩均投资不超过批复标准得满分，超出部分按比例扣分。"),
    ("效益", "项目效益", "粮食综合生产能力提升", 10, 9,
     "项目区新增粮食产能达到设计目标得满分，未达到的按比例扣分。"),
    ("效益", "项目效益", "耕地质量等级提升", 7, 6,
     "项目区耕地质量平均提升0.5个等级以上得满分，否则酌情扣分。"),
    ("效益", "满意度", "受益农户满意度", 8, 7.5,
     "满意度≥90%得满分，每低1个百分点扣0.5分。"),
]  # fmt: skip

_PANEL = [
    ("决策", "项目立项", "立项依据充分性", 5, [5, 5, 4, 5]),
    ("决策", "绩效目标", "绩效目标合理性", 5, [4, 4, 5, 4]),
    ("决策", "资金投入", "预算编制科学性", 10, [9, 8, 9, 9]),
    ("过程", "资金管理", "资金到位率", 5, [5, 5, 5, 5]),
    ("过程", "资金管理", "资金使用合规性", 5, [4, 5, 4, 4]),
    ("过程", "组织实施", "管理制度健全性", 5, [5, 4, 5, 5]),
    ("过程", "组织实施", "制度执行有效性", 5, [4, 4, 3, 4]),
    ("产出", "产出数量", "农村户厕改造完成率", 10, [10, 9, 10, 10]),
    ("产出", "产出数量", "生活垃圾收运覆盖率", 10, [9, 9, 10, 9]),
    ("产出", "产出时效", "整治任务完成及时性", 10, [8, 9, 8, 8]),
    ("效益", "项目效益", "村容村貌改善程度", 15, [13, 14, 13, 14]),
    ("效益", "满意度", "受益群众满意度", 15, [14, 13, 14, 14]),
]


def _nongye() -> tuple[SampleReport, Plant]:
    entity = "示例省青禾县农业农村局"
    narrative = make_narrative(
        total=12684.35, last_total=14027.90, spend=12158.76, basic=1864.52,
        three_public_budget=15.00, three_public=(0.00, 9.62, 2.18),
        procurement=(368.40, 5620.75, 412.63), procurement_sme=5288.10,
        reason_change="高标准农田建设上级补助资金较上年减少",
        reason_three_public="公务用车按规定压减，公务接待从严控制",
    )  # fmt: skip
    review = EvalTable(
        kind="project_review",
        subject="高标准农田建设项目",
        intro=[
            "（一）高标准农田建设项目绩效评价情况",
            "县财政局委托第三方评价机构对该项目开展绩效评价，评价组按照项目支出绩效评价指标体系逐项评分。",
        ],
        indicators=[ruled(a, b, c, w, rule, s) for a, b, c, w, s, rule in _RULES_REVIEW],
    )
    experts = EvalTable(
        kind="expert_panel",
        subject="农村人居环境整治提升项目",
        intro=[
            "（二）农村人居环境整治提升项目专家评分情况",
            "评价工作组邀请4位专家独立打分，以算术平均值作为项目评价得分。",
        ],
        experts=["周立新", "郑晓梅", "何文斌", "林雅琴"],
        indicators=[panel(a, b, c, w, [float(x) for x in s]) for a, b, c, w, s in _PANEL],
    )
    set_expert_means(experts)
    report = SampleReport("shiyan-nongye-2022", entity, 2022, narrative, [review, experts])

    def errors(r: SampleReport) -> None:
        plant.wrong_growth(r, plant.shifted(r.narrative.growth, -1.5))
        plant.unit_slip(r, "procurement_total")
        plant.wrong_total(r, 0, plant.shifted(r.tables[0].total_score(), 1.0))
        plant.wrong_row_sum(r, 1, 2, plant.shifted(r.tables[1].row_sums()[2], 1.0))

    return report, errors


# -- 3. 示例市临江区教育局, 2024: a department-wide sheet and a table in 元 -------------------------

_RULES_DEPT = [
    ("投入", "预算配置", "财政供养人员控制率", 5, None, None,
     "实有在职人数不超过核定编制数的得满分；超编每1%扣0.5分，最低0分。"),
    ("投入", "预算配置", "“三公”经费控制情况", 5, None, None,
     "“三公”经费决算数不高于上年的得满分；每增长1%扣0.5分，最低0分。"),
    ("投入", "预算编制", "预算编制准确率", 5, 4, "年中追加学位保障经费，预算编制准确率为93%",
     "预算编制准确率达到95%及以上得满分；每少1%扣0.5分。"),
    ("过程", "预算执行", "预算执行率", 8, 7.5, "部分校舍维修项目政府采购流程延后，执行进度偏慢",
     "执行率=全年实际支出÷全年预算数×100%；达到98%及以上得满分，每少1%扣0.5分。"),
    ("过程", "预算执行", "预算调整率", 4, None, None,
     "调整率不超过5%得满分；每多1%扣0.5分。"),
    ("过程", "预算执行", "支付进度率", 4, None, None,
     "四个季度末支付进度均达到序时要求得满分；一个季度未达到扣1分。"),
    ("过程", "预算执行", "结转结余率", 4, 3, "年末有2个基建项目尚未完成结算",
     "结转结余率不超过5%得满分；每多1%扣0.5分。"),
    ("过程", "预算管理", "管理制度健全性", 5, None, None,
     "财务、资产、采购等内控制度齐备且已执行得满分，缺一项扣1分。"),
    ("过程", "预算管理", "资金使用合规性", 5, None, None,
     "资金按批复用途使用、未发现违规支出得满分，每发现一处扣1分。"),
    ("过程", "预算管理", "资产管理规范性", 5, None, None,
     "资产账实相符、处置报批手续完整得满分，每发现一处问题扣1分。"),
    ("产出", "职责履行", "重点工作任务完成率", 10, None, None,
     "年初确定的重点工作全部完成得满分，每少完成一项扣2分。"),
    ("产出", "职责履行", "新增学位任务完成率", 10, None, None,
     "完成率=实际新增学位÷计划新增学位×100%，得分=完成率×分值。"),
    ("产出", "职责履行", "教师培训计划完成率", 10, 9, "受集中研修时间调整影响，个别班次顺延至次年",
     "完成率达到95%及以上得满分，每少1%扣1分。"),
    ("效益", "履职效益", "义务教育巩固率", 10, None, None,
     "巩固率达到99%及以上得满分，每少0.1%扣1分。"),
    ("效益", "履职效益", "服务对象满意度", 10, 9, "课后服务满意度偏低，将丰富课后服务内容",
     "家长及学生满意度达到90%及以上得满分，每少1%扣1分。"),
]  # fmt: skip


def _jiaoyu() -> tuple[SampleReport, Plant]:
    entity = "示例市临江区教育局"
    narrative = make_narrative(
        total=58421.67, last_total=55308.12, spend=56930.44, basic=41276.85,
        three_public_budget=36.00, three_public=(0.00, 22.74, 6.38),
        procurement=(2860.45, 4120.30, 1975.62), procurement_sme=7650.18,
        reason_change="新建学校投入使用，教职工人数及学校运转经费增加",
        reason_three_public="公务接待次数减少，公务用车运行费用下降",
    )  # fmt: skip
    dept = EvalTable(
        kind="department_self",
        subject=entity,
        intro=["（一）部门整体支出绩效自评情况"],
        level2_notes=True,
        indicators=[ruled(a, b, c, w, rule, s, n) for a, b, c, w, s, n, rule in _RULES_DEPT],
    )
    out, benefit = "产出指标", "效益指标"
    safety = EvalTable(
        kind="project_self",
        subject="校园安全设施改造提升项目",
        intro=["（二）校园安全设施改造提升项目自评情况"],
        competent_dept=entity,
        implementing_unit="示例市临江区教育后勤服务中心",
        money_unit="元",
        funds=make_funds(
            fiscal=(2800000.00, 3150000.00, 3048726.50),
            carryover=(420000.00, 420000.00, 407500.00),
            other=(0.00, 60000.00, 60000.00),
        ),
        goal="完成全区32所中小学校园视频监控、一键报警和消防设施改造，"
        "实现校园安防设施全覆盖，提升校园安全管理水平。",
        goal_actual="完成31所学校改造并通过验收，1所学校因校舍维修同步施工顺延至次年寒假；"
        "校园安防设施覆盖率达到96.9%。",
        indicators=[
            ind(
                out,
                "数量指标",
                "改造学校数量",
                "≥32所",
                "31所",
                15,
                14,
                "1所学校与校舍维修同步施工，顺延至次年寒假完成",
            ),
            ind(out, "数量指标", "新增视频监控点位", "≥1200个", "1236个", 10),
            ind(out, "质量指标", "工程验收合格率", "100%", "100%", 10),
            ind(out, "时效指标", "项目完成及时性", "及时完成", "及时完成", 10),
            ind(out, "成本指标", "单校改造平均成本", "≤12万元", "11.3万元", 5),
            ind(benefit, "社会效益指标", "校园安全事件同比下降幅度", "≥10%", "18%", 15),
            ind(benefit, "可持续影响指标", "安防设施完好率", "≥95%", "98.2%", 15),
            ind("满意度指标", "服务对象满意度指标", "师生及家长满意度", "≥90%", "94.6%", 10),
        ],
    )
    report = SampleReport("shiyan-jiaoyu-2024", entity, 2024, narrative, [dept, safety])

    def errors(r: SampleReport) -> None:
        plant.inconsistent_total(r, plant.shifted(r.narrative.expense_total, 9.0))
        plant.wrong_part(r, plant.shifted(r.narrative.project, 100.0))
        plant.wrong_funds_score(r, 1, 10)
        plant.unearned_deduction(r, 1, 6, 12)

    return report, errors


def build_samples(correct: bool = False) -> list[SampleReport]:
    out = []
    for build in (_shichang, _nongye, _jiaoyu):
        report, errors = build()
        if not correct:
            errors(report)
        out.append(report)
    return out
