"""Random but valid sample reports, for property tests and benchmarks.

Everything comes from ``random.Random(seed)`` and the pools below (all invented). Amounts
are drawn in hundredths so sums are exact; weights are integer splits that add up to 100;
a score falls below its weight exactly when the actual value misses the target, and then a
deviation note is written.
"""

from __future__ import annotations

import random
from functools import partial

from jixiao.numbers import parse_quantity
from jixiao.synth import plant
from jixiao.synth.content import (
    EvalTable,
    IndicatorRow,
    Kind,
    Narrative,
    PlantedError,
    SampleReport,
    make_funds,
    make_narrative,
    set_expert_means,
)
from jixiao.synth.fmt import q2
from jixiao.synth.verify import target_met

REGIONS = [
    "示例市云岭区",
    "示例市临江区",
    "示例省青禾县",
    "示例市北塘区",
    "示例市松溪县",
    "示例省石川县",
]
# (department, ASCII slug, [(project, implementing unit)])
DEPARTMENTS = [
    ("市场监督管理局", "shichang", [("食品安全抽检监测经费", "食品药品检验检测中心"),
                                   ("特种设备安全监察经费", "特种设备检验所"),
                                   ("智慧市场监管平台运维经费", "市场监管信息中心")]),
    ("农业农村局", "nongye", [("高标准农田建设项目", "农田建设服务中心"),
                              ("农村人居环境整治提升项目", "乡村振兴服务中心"),
                              ("动物疫病防控经费", "动物疫病预防控制中心")]),
    ("教育局", "jiaoyu", [("校园安全设施改造提升项目", "教育后勤服务中心"),
                          ("学生资助专项资金", "学生资助管理中心"),
                          ("教师培训专项经费", "教师发展中心")]),
    ("卫生健康委员会", "weijian", [("基本公共卫生服务项目", "疾病预防控制中心"),
                                   ("家庭医生签约服务经费", "社区卫生服务管理中心")]),
    ("民政局", "minzheng", [("困难群众救助资金", "社会救助服务中心"),
                            ("居家养老服务补贴", "养老服务指导中心")]),
    ("文化和旅游局", "wenlv", [("公共文化服务体系建设经费", "文化馆"),
                               ("全民阅读推广活动经费", "图书馆")]),
]  # fmt: skip
EXPERTS = ["周立新", "郑晓梅", "何文斌", "林雅琴", "高振宇", "韩素芳", "罗启明", "宋佳音"]
REASONS = [
    "部分工作受实施条件影响进度偏慢；下一年度加强统筹调度",
    "前期调研不足导致目标偏高；今后科学设定绩效目标",
    "宣传引导力度不够；将拓展线上线下宣传渠道",
    "个别环节衔接不畅；将完善部门协同机制",
]
CHANGE_REASONS = ["业务工作任务调整，相应经费有所变化", "部分项目按计划完成，相关支出相应调整"]
THREE_PUBLIC_REASONS = ["严格执行厉行节约有关规定", "公务活动安排从简，公务用车运行费用下降"]

# self-evaluation indicators: level2 -> [(name, form, parameters)]
#   count: "≥N<unit>"; floor: "≥p%" (100 -> "100%"); cap: "≤N<unit>"; text: "<target>"
SELF_POOL: dict[str, list[tuple[str, str, tuple]]] = {
    "数量指标": [("服务对象覆盖户数", "count", ("户", 200, 3000)),
                 ("开展专项检查次数", "count", ("次", 10, 80)),
                 ("完成培训人次", "count", ("人次", 300, 5000)),
                 ("建设任务完成数量", "count", ("个", 5, 50))],
    "质量指标": [("验收合格率", "floor", (100,)), ("资金发放准确率", "floor", (100,)),
                 ("数据填报准确率", "floor", (98,))],
    "时效指标": [("任务完成及时性", "text", ("及时完成", "部分延期")),
                 ("资金拨付及时率", "floor", (95,)), ("问题处置时限", "cap", ("个工作日", 3, 10))],
    "成本指标": [("人均服务成本", "cap", ("元", 200, 900))],
    "社会效益指标": [("政策知晓率", "floor", (85,)), ("服务覆盖率", "floor", (90,))],
    "可持续影响指标": [("长效管理机制", "text", ("持续运行", "尚未健全")),
                       ("设施完好率", "floor", (95,))],
    "服务对象满意度指标": [("服务对象满意度", "floor", (90,)), ("群众满意度", "floor", (85,))],
}  # fmt: skip
SELF_LEVELS = [
    ("产出指标", ["数量指标", "质量指标", "时效指标", "成本指标"]),
    ("效益指标", ["社会效益指标", "可持续影响指标"]),
    ("满意度指标", ["服务对象满意度指标"]),
]
# scoring sheets: level1 -> [(level2, name, rule)]
SHEET_POOL: dict[str, list[tuple[str, str, str]]] = {
    "决策": [("项目立项", "立项依据充分性", "立项符合规划和部门职责得满分，每缺一项扣1分。"),
             ("项目立项", "立项程序规范性", "按规定程序申报并经集体决策得满分，否则酌情扣分。"),
             ("绩效目标", "绩效目标合理性", "目标与任务、预算相匹配得满分，否则酌情扣分。"),
             ("资金投入", "预算编制科学性", "预算测算依据充分得满分，否则酌情扣分。")],
    "过程": [("资金管理", "资金到位率", "得分=实际到位资金÷计划投入资金×分值。"),
             ("资金管理", "预算执行率", "执行率≥95%得满分，每低1个百分点扣0.5分。"),
             ("资金管理", "资金使用合规性", "每发现一处违规使用扣1分，扣完为止。"),
             ("组织实施", "管理制度健全性", "制度健全且合法合规得满分，缺一项扣1分。"),
             ("组织实施", "制度执行有效性", "制度执行到位、档案齐全得满分，否则酌情扣分。")],
    "产出": [("产出数量", "实际完成率", "得分=完成率×分值，最高不超过分值。"),
             ("产出质量", "质量达标率", "达标率100%得满分，每低1个百分点扣1分。"),
             ("产出时效", "完成及时性", "按期完成得满分，每延迟1个月扣1分。"),
             ("产出成本", "成本节约率", "成本控制在预算内得满分，超支按比例扣分。")],
    "效益": [("项目效益", "社会效益", "效益达到预期得满分，否则酌情扣分。"),
             ("项目效益", "可持续影响", "建立长效机制得满分，否则酌情扣分。"),
             ("满意度", "服务对象满意度", "满意度≥90%得满分，每低1个百分点扣0.5分。")],
}  # fmt: skip
DEPT_LEVELS = {"决策": "投入"}  # department sheets call the first level 投入
SHEET_SPLITS = [(15, 25, 35, 25), (20, 20, 40, 20), (20, 20, 30, 30), (10, 30, 40, 20)]
SELF_SPLITS = [(50, 30, 10), (40, 40, 10), (60, 20, 10), (50, 20, 20), (40, 30, 20)]


def _split(total: int, k: int, rng: random.Random, least: int = 2) -> list[int]:
    """``k`` integer weights >= ``least`` adding up to ``total`` (multiples of 5 when possible)."""
    for step in (5, 1):
        low, units = -(-least // step), total // step
        if total % step == 0 and units >= k * low:
            free = units - k * low
            cuts = sorted(rng.randint(0, free) for _ in range(k - 1))
            return [(b - a + low) * step for a, b in zip([0, *cuts], [*cuts, free], strict=True)]
    raise ValueError(f"cannot split {total} into {k} weights of at least {least}")


def _deduct(weight: float, rng: random.Random, step: float = 0.5) -> float:
    """A score below ``weight``, in ``step`` points, never negative."""
    lost = step * rng.randint(1, max(1, int(weight * 0.4 / step)))
    return max(0.0, weight - lost)


def _target(form: str, params: tuple, met: bool, rng: random.Random) -> tuple[str, str]:
    if form == "count":
        unit, lo, hi = params
        goal = rng.randrange(lo, hi)
        spread = max(1, goal // 10)
        got = goal + rng.randint(0, spread) if met else goal - rng.randint(1, spread)
        return f"≥{goal}{unit}", f"{got}{unit}"
    if form == "floor":
        (floor,) = params
        floor = floor if floor == 100 else min(floor + rng.randint(0, 4), 99)
        goal = "100%" if floor == 100 else f"≥{floor}%"
        if met:
            return goal, "100%" if floor == 100 else f"{rng.uniform(floor, 100):.1f}%"
        return goal, f"{floor - rng.uniform(0.5, 8):.1f}%"
    if form == "cap":
        unit, lo, hi = params
        goal = rng.randrange(lo, hi)
        got = (
            rng.randint(max(1, goal // 2), goal)
            if met
            else goal + rng.randint(1, max(1, goal // 5))
        )
        return f"≤{goal}{unit}", f"{got}{unit}"
    good, bad = params
    return good, good if met else bad


def _rule_score(target: str, actual: str, weight: float, fallback: float) -> float:
    """An unmet indicator's score under the standard rules (财预〔2020〕10号): ratio for ≥
    targets, inverse ratio for ≤ targets, the 部分达成 band (60–80%) for worded ones."""
    t, a = parse_quantity(target), parse_quantity(actual)
    if t is None or a is None or t.value is None or a.value is None:
        return round(weight * 0.7, 2) if t is None else fallback
    if t.comparator in ("<=", "<"):
        ratio = t.value / a.value if a.value else 1.0
    else:
        ratio = a.value / t.value if t.value else 1.0
    return round(min(ratio, 1.0) * weight, 2)


def _self_table(rng: random.Random, entity: str, project: str, unit: str, year: int) -> EvalTable:
    money_unit = "元" if rng.random() < 0.25 else "万元"
    scale = 10000 if money_unit == "元" else 1

    def amounts(lo: int, hi: int) -> tuple[float, float, float]:
        annual = rng.randint(lo, hi)  # hundredths of 万元
        initial = annual if rng.random() < 0.5 else annual - rng.randint(0, annual // 10)
        executed = annual if rng.random() < 0.25 else int(annual * rng.uniform(0.8, 1.0))
        return tuple(q2(x * scale / 100) for x in (initial, annual, executed))  # type: ignore[return-value]

    funds = make_funds(
        fiscal=amounts(2000, 80000),
        carryover=amounts(200, 8000) if rng.random() < 0.4 else None,
        other=amounts(100, 3000) if rng.random() < 0.15 else None,
    )
    rows: list[IndicatorRow] = []
    for (level1, level2s), weight in zip(SELF_LEVELS, rng.choice(SELF_SPLITS), strict=True):
        picks: list[tuple[str, tuple[str, str, tuple]]] = []
        for level2 in level2s:
            n = 1 if level2 != "数量指标" else rng.randint(1, 2)
            if level2 in ("成本指标", "可持续影响指标") and rng.random() < 0.4:
                n = 0
            picks += [(level2, item) for item in rng.sample(SELF_POOL[level2], n)]
        for (level2, (name, form, params)), w in zip(
            picks, _split(weight, len(picks), rng, least=3), strict=True
        ):
            met = rng.random() < 0.75
            target, actual = _target(form, params, met, rng)
            assert target_met(target, actual) is met  # the pools must speak our target forms
            # drawn as before the rule score existed, so the rest of the report stays the same
            score = float(w) if met else _rule_score(target, actual, w, _deduct(w, rng))
            note = None if met else rng.choice(REASONS)
            rows.append(IndicatorRow(level1, level2, name, w, score, target, actual, note))
    return EvalTable(
        kind="project_self",
        subject=project,
        intro=[f"{project}自评情况"],
        competent_dept=entity,
        implementing_unit=unit,
        money_unit=money_unit,
        funds=funds,
        goal=f"按计划完成{project}年度各项任务，资金使用规范，服务对象满意度保持较高水平。",
        goal_actual=f"{year}年度{project}各项任务总体按计划推进，个别指标未达预期。",
        level1_notes=rng.random() < 0.5,
        indicators=rows,
    )


def _sheet_rows(rng: random.Random, kind: Kind, least: int) -> list[IndicatorRow]:
    rows = []
    for (level1, pool), weight in zip(SHEET_POOL.items(), rng.choice(SHEET_SPLITS), strict=True):
        most = min(len(pool), weight // least)
        picks = sorted(rng.sample(range(len(pool)), rng.randint(min(3, most), most)))
        for k, w in zip(picks, _split(weight, len(picks), rng, least), strict=True):
            level2, name, rule = pool[k]
            full = rng.random() < 0.65
            score = float(w) if full else _deduct(w, rng)
            note = None if full or kind != "department_self" else rng.choice(REASONS)
            label = DEPT_LEVELS.get(level1, level1) if kind == "department_self" else level1
            rows.append(IndicatorRow(label, level2, name, w, score, note=note, rule=rule))
    return rows


def _panel_scores(rows: list[IndicatorRow], n: int, rng: random.Random) -> None:
    """Per-expert scores whose mean is exact at 2 decimals: half points over 5 experts,
    whole points over 4, whole points with a sum divisible by 3 over 3 experts."""
    step = 0.5 if n == 5 else 1.0
    for row in rows:
        scores = [
            float(row.weight) if rng.random() < 0.5 else _deduct(row.weight, rng, step)
            for _ in range(n)
        ]
        if n == 3 and (rest := int(sum(scores)) % 3):
            last = scores[-1]
            scores[-1] = last - rest if last - rest >= 0 else last + 3 - rest
        row.expert_scores = scores
        row.score = 0.0


def _table(
    rng: random.Random, kind: Kind, entity: str, project: tuple[str, str], year: int
) -> EvalTable:
    name, unit = project
    if kind == "project_self":
        return _self_table(rng, entity, name, unit, year)
    if kind == "department_self":
        rows = _sheet_rows(rng, kind, least=2)
        return EvalTable(
            kind, entity, rows, intro=["部门整体支出绩效自评情况"], level2_notes=rng.random() < 0.5
        )
    if kind == "project_review":
        rows = _sheet_rows(rng, kind, least=2)
        return EvalTable(kind, name, rows, intro=[f"{name}绩效评价情况"])
    experts = rng.sample(EXPERTS, rng.randint(3, 5))
    rows = _sheet_rows(rng, kind, least=3)
    _panel_scores(rows, len(experts), rng)
    table = EvalTable(kind, name, rows, intro=[f"{name}专家评分情况"], experts=experts)
    set_expert_means(table)
    return table


def _narrative(rng: random.Random, least_project: float = 0.0) -> Narrative:
    """The 决算说明 figures; its 项目支出 holds at least ``least_project`` 万元 (what the
    report's self-evaluated projects spent)."""

    def amount(lo: float, hi: float) -> float:
        return q2(rng.uniform(lo, hi))

    total = max(amount(1000, 60000), q2(least_project * 3))
    spend = q2(total * rng.uniform(0.9, 0.98))
    budget = amount(5, 50)
    final = budget * rng.uniform(0.6, 0.98)
    vehicle = q2(final * rng.uniform(0.5, 0.8))
    abroad = 0.0 if rng.random() < 0.7 else q2(final * 0.1)
    goods = amount(50, 800)
    works = amount(0, 2000) if rng.random() < 0.6 else 0.0
    services = amount(50, 1500)
    return make_narrative(
        total=total,
        last_total=q2(total / rng.uniform(0.85, 1.2)),
        spend=spend,
        basic=min(q2(spend * rng.uniform(0.4, 0.8)), q2(spend - least_project)),
        three_public_budget=budget,
        three_public=(abroad, vehicle, q2(final - vehicle - abroad)),
        procurement=(goods, works, services),
        procurement_sme=q2((goods + works + services) * rng.uniform(0.6, 0.95)),
        reason_change=rng.choice(CHANGE_REASONS),
        reason_three_public=rng.choice(THREE_PUBLIC_REASONS),
    )


def _plant_two(report: SampleReport, rng: random.Random) -> None:
    """Two errors in two different places (the narrative, or one table each), so that
    each planted error stays the only thing wrong where it stands."""
    n, shift = report.narrative, plant.shifted
    groups: list[list[partial[PlantedError]]] = [
        [
            partial(plant.wrong_share, report, "basic_share", shift(n.basic_share, 1.2)),
            partial(plant.wrong_growth, report, shift(n.growth, -1.5)),
            partial(plant.wrong_part, report, shift(n.project, 50)),
            partial(plant.unit_slip, report, "procurement_total"),
            partial(plant.inconsistent_total, report, shift(n.expense_total, 10)),
        ]
    ]
    for t, table in enumerate(report.tables):
        options = [partial(plant.wrong_total, report, t, shift(table.total_score(), 2))]
        if table.kind == "expert_panel":
            options += [
                partial(plant.wrong_row_sum, report, t, 0, shift(table.row_sums()[0], 1)),
                partial(plant.wrong_row_mean, report, t, 1, shift(table.indicators[1].score, 0.5)),
                partial(
                    plant.wrong_expert_total, report, t, 0, shift(table.expert_totals()[0], -2)
                ),
            ]
        else:
            i = rng.randrange(len(table.indicators))
            options.append(partial(plant.over_weight, report, t, i, table.indicators[i].weight + 1))
        if table.kind == "project_self":
            rate, score = table.funds[0].rate or 0, table.funds[0].score or 0
            options += [
                partial(plant.wrong_rate, report, t, shift(rate, -2 if rate > 50 else 2)),
                partial(plant.wrong_funds_score, report, t, shift(score, -0.5)),
            ]
            full = [i for i, ind in enumerate(table.indicators) if ind.score == ind.weight]
            if full:  # a met target that loses points: the rubric error
                i = rng.choice(full)
                low = table.indicators[i].weight - 1
                options.append(partial(plant.unearned_deduction, report, t, i, low))
        groups.append(options)
    for group in rng.sample(groups, 2):
        rng.choice(group)()


def build_random(seed: int, correct: bool = True) -> SampleReport:
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    department, slug, projects = rng.choice(DEPARTMENTS)
    entity = f"{region}{department}"
    year = rng.randint(2022, 2024)
    kinds: list[Kind] = ["project_self", "project_review", "expert_panel", "department_self"]
    chosen = rng.sample(kinds, rng.randint(2, 3))  # distinct kinds: one department sheet at most
    tables = [
        _table(rng, kind, entity, (p, f"{region}{u}"), year)
        for kind, (p, u) in zip(chosen, rng.choices(projects, k=len(chosen)), strict=True)
    ]
    spent = sum(
        (t.funds[0].executed or 0) / (10_000 if t.money_unit == "元" else 1)
        for t in tables
        if t.kind == "project_self" and t.funds
    )
    narrative = _narrative(rng, least_project=spent)
    report = SampleReport(f"random-{slug}-{year}-s{seed}", entity, year, narrative, tables)
    if not correct:
        _plant_two(report, rng)
    return report
