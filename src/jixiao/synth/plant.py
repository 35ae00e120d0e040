"""Deliberate arithmetic errors: each mutation changes one printed value and records it.

A mutation breaks one identity and leaves everything derived from printed values (totals,
sums) consistent with the new value, so the error stays where it is planted.
"""

from __future__ import annotations

from jixiao.synth.content import FUND_LABELS, Family, PlantedError, SampleReport
from jixiao.synth.fmt import fmt_num, fmt_rate, q2


def _record(
    report: SampleReport, family: Family, where: str, printed: str, correct: str, desc: str
) -> PlantedError:
    err = PlantedError(family, where, printed, correct, desc)
    report.planted.append(err)
    return err


def _name(report: SampleReport, t: int) -> str:
    table = report.tables[t]
    return f"表「{table.title}」（{table.subject}）"


def wrong_rate(report: SampleReport, t: int, printed: float, row: int = 0) -> PlantedError:
    f = report.tables[t].funds[row]
    correct = f.rate
    f.rate = printed
    return _record(
        report,
        "funds",
        f"evaluations[{t}].funds[{row}].rate",
        fmt_rate(printed),
        fmt_rate(correct),
        f"{_name(report, t)}{FUND_LABELS[f.source]}执行率印为{fmt_rate(printed)}，"
        f"按全年执行数÷全年预算数应为{fmt_rate(correct)}",
    )


def wrong_funds_score(report: SampleReport, t: int, printed: float) -> PlantedError:
    f = report.tables[t].funds[0]
    correct = f.score
    f.score = printed
    return _record(
        report,
        "funds",
        f"evaluations[{t}].funds[0].score",
        fmt_num(printed),
        fmt_num(correct),
        f"{_name(report, t)}预算执行得分印为{fmt_num(printed)}，"
        f"按min(执行率,100%)×{fmt_num(f.weight)}应为{fmt_num(correct)}",
    )


def over_weight(report: SampleReport, t: int, i: int, printed: float) -> PlantedError:
    ind = report.tables[t].indicators[i]
    correct = ind.score
    ind.score = printed
    return _record(
        report,
        "scores",
        f"evaluations[{t}].indicators[{i}].score",
        fmt_num(printed),
        fmt_num(correct),
        f"{_name(report, t)}「{ind.name}」得分{fmt_num(printed)}超过其分值{fmt_num(ind.weight)}",
    )


def wrong_total(report: SampleReport, t: int, printed: float) -> PlantedError:
    table = report.tables[t]
    correct = table.total_score()
    table.overrides["total_score"] = printed
    return _record(
        report,
        "scores",
        f"evaluations[{t}].total_score",
        fmt_num(printed),
        fmt_num(correct),
        f"{_name(report, t)}总分印为{fmt_num(printed)}，各项得分合计应为{fmt_num(correct)}",
    )


def wrong_level1_weight(report: SampleReport, t: int, level1: str, printed: float) -> PlantedError:
    table = report.tables[t]
    correct = table.level1_weight(level1)
    table.overrides[f"level1_weight[{level1}]"] = printed
    first = next(i for i, ind in enumerate(table.indicators) if ind.level1 == level1)
    return _record(
        report,
        "scores",
        f"evaluations[{t}].indicators[{first}].level1_weight",
        f"{level1}（{fmt_num(printed)}分）",
        f"{level1}（{fmt_num(correct)}分）",
        f"{_name(report, t)}一级指标「{level1}」标注{fmt_num(printed)}分，"
        f"其下各指标分值之和为{fmt_num(correct)}分",
    )


def unearned_deduction(report: SampleReport, t: int, i: int, printed: float) -> PlantedError:
    """An indicator that met its target scored below its weight (the ratio rule gives full marks)."""
    ind = report.tables[t].indicators[i]
    correct = ind.score
    ind.score = printed
    ind.note = None
    return _record(
        report,
        "rubric",
        f"evaluations[{t}].indicators[{i}].score",
        fmt_num(printed),
        fmt_num(correct),
        f"{_name(report, t)}「{ind.name}」实际完成值{ind.actual}已达到年度指标值{ind.target}，"
        f"应得满分{fmt_num(correct)}，却只得{fmt_num(printed)}且未说明偏差原因",
    )


def wrong_row_sum(report: SampleReport, t: int, i: int, printed: float) -> PlantedError:
    table = report.tables[t]
    correct = table.row_sums()[i]
    table.overrides[f"row_sums[{i}]"] = printed
    return _record(
        report,
        "scores",
        f"evaluations[{t}].row_sums[{i}]",
        fmt_num(printed),
        fmt_num(correct),
        f"{_name(report, t)}「{table.indicators[i].name}」专家评分合计印为{fmt_num(printed)}，"
        f"{len(table.experts)}位专家评分之和应为{fmt_num(correct)}",
    )


def wrong_row_mean(report: SampleReport, t: int, i: int, printed: float) -> PlantedError:
    table = report.tables[t]
    ind = table.indicators[i]
    correct = ind.score
    ind.score = printed
    return _record(
        report,
        "scores",
        f"evaluations[{t}].indicators[{i}].score",
        fmt_num(printed),
        fmt_num(correct),
        f"{_name(report, t)}「{ind.name}」平均分印为{fmt_num(printed)}，"
        f"合计÷专家人数应为{fmt_num(correct)}",
    )


def wrong_expert_total(report: SampleReport, t: int, j: int, printed: float) -> PlantedError:
    table = report.tables[t]
    correct = table.expert_totals()[j]
    table.overrides[f"experts[{j}].total"] = printed
    return _record(
        report,
        "scores",
        f"evaluations[{t}].experts[{j}].total",
        fmt_num(printed),
        fmt_num(correct),
        f"{_name(report, t)}专家{table.experts[j]}的总分印为{fmt_num(printed)}，"
        f"其各项评分之和应为{fmt_num(correct)}",
    )


_SHARES = {
    "basic_share": "基本支出占本年支出合计的比例",
    "project_share": "项目支出占本年支出合计的比例",
    "three_public_rate": "“三公”经费完成预算的比例",
    "procurement_sme_share": "授予中小企业合同金额占政府采购支出总额的比例",
}


def wrong_share(report: SampleReport, name: str, printed: float) -> PlantedError:
    n = report.narrative
    correct = getattr(n, name)
    setattr(n, name, printed)
    return _record(
        report,
        "narrative",
        f"narrative.{name}",
        f"{printed:.2f}%",
        f"{correct:.2f}%",
        f"说明中{_SHARES[name]}印为{printed:.2f}%，按所列金额计算应为{correct:.2f}%",
    )


def wrong_growth(report: SampleReport, printed: float) -> PlantedError:
    n = report.narrative
    correct = n.growth
    n.growth = printed
    return _record(
        report,
        "narrative",
        "narrative.growth",
        f"{abs(printed):.2f}%",
        f"{abs(correct):.2f}%",
        f"说明中收支总计较上年增减幅度印为{abs(printed):.2f}%，"
        f"按增减额{abs(n.change):.2f}万元÷上年{n.last_total:.2f}万元应为{abs(correct):.2f}%",
    )


def wrong_part(report: SampleReport, printed: float) -> PlantedError:
    """项目支出 no longer adds up with 基本支出 to 本年支出合计 (its 占比 is left as printed)."""
    n = report.narrative
    correct = n.project
    n.project = printed
    return _record(
        report,
        "narrative",
        "narrative.project",
        f"{printed:.2f}万元",
        f"{correct:.2f}万元",
        f"说明中基本支出{n.basic:.2f}万元与项目支出{printed:.2f}万元之和"
        f"不等于本年支出合计{n.spend:.2f}万元，项目支出应为{correct:.2f}万元",
    )


_FIELDS = {
    "procurement_total": "政府采购支出总额",
    "three_public_final": "“三公”经费决算数",
    "carry_end": "年末结转和结余",
    "basic": "基本支出",
}


def unit_slip(report: SampleReport, name: str, unit: str = "亿元") -> PlantedError:
    n = report.narrative
    value = getattr(n, name)
    n.units[name] = unit
    return _record(
        report,
        "units",
        f"narrative.{name}",
        f"{value:.2f}{unit}",
        f"{value:.2f}万元",
        f"说明中{_FIELDS[name]}印为{value:.2f}{unit}，与其构成项的万元数相差万倍，应为{value:.2f}万元",
    )


def inconsistent_total(report: SampleReport, printed: float) -> PlantedError:
    n = report.narrative
    correct = n.expense_total
    n.expense_total = printed
    return _record(
        report,
        "consistency",
        "narrative.expense_total",
        f"{printed:.2f}万元",
        f"{correct:.2f}万元",
        f"说明中支出总计印为{printed:.2f}万元，与收入总计{n.income_total:.2f}万元不一致（收支总计应相等）",
    )


def shifted(value: float, delta: float) -> float:
    """A wrong printed value: ``value`` moved by ``delta``, kept to 2 decimals."""
    return q2(value + delta)
