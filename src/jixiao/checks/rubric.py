"""Family ``rubric``: a printed score against what the framework's rule gives for its row.

The recomputation is :mod:`jixiao.scoring` (``ctx.scored``); these checks only judge it. A rule
that yields one number (ratio, deduct, tiers …) is a certain contradiction when the printed
score is above it beyond rounding. A rule that leaves room for judgement yields an interval:
a score above its upper bound is suspected; when the interval comes from reading the wording
of the 实际完成值 (qualitative), only a hint. A score *below* the rule costs the department
points, so it is a hint — unless it is unexplained, it is the department's call.

Scores above the row's own weight are ``scores.over_weight``; the 预算执行率 row is
``funds.score_mismatch``: neither is repeated here.
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.checks.registry import Context, check
from jixiao.checks.tables_common import finding, fmt2, table_name
from jixiao.model import Evaluation, Finding, Indicator, Severity
from jixiao.numbers import format_number
from jixiao.scoring import ABOVE, BELOW, EvaluationScore, RowScore

_WORDING_RULES = ("qualitative",)  # intervals read from words, not from numbers


@check(
    "rubric.above_rule",
    "error",
    "得分高于评分规则",
    "按指标体系的评分规则（正向/反向比率、扣分、分档等）重算，得分高于规则所给分数。规则给出"
    "确定分数时为错误；规则只给出区间（需评价人判断）而得分高于其上限时为疑似；区间由实际"
    "完成值的措辞推断（如“基本完成”“尚未健全”）时只作提示。",
)
def above_rule(ctx: Context) -> Iterator[Finding]:
    for k, ev, ind, row in _rows(ctx):
        if row.status != ABOVE or (ind.weight is not None and ind.score > ind.weight):
            continue
        severity: Severity = "error"
        bound = row.recomputed
        if isinstance(bound, tuple):
            severity = "info" if row.rule in _WORDING_RULES else "warning"
            bound = bound[1]
        exp = fmt2(bound)
        yield finding(
            "rubric.above_rule",
            k,
            ev,
            f"{table_name(ev)}「{ind.name}」得分印为{_shown(ind)}，按评分规则"
            f"{'最高' if isinstance(row.recomputed, tuple) else '应'}为{exp}",
            loc=ind.cells.get("score") or ind.loc,
            reported=_shown(ind),
            expected=exp if not isinstance(row.recomputed, tuple) else f"≤{exp}",
            evidence=_evidence(ind, row),
            severity=severity,
        )


@check(
    "rubric.below_rule",
    "info",
    "得分低于评分规则且未说明原因",
    "按评分规则重算应得更高分，而该行未填写偏差原因或扣分原因：可能是无依据扣分，也可能是"
    "实际完成值填写有误。",
)
def below_rule(ctx: Context) -> Iterator[Finding]:
    for k, ev, ind, row in _rows(ctx):
        if row.status != BELOW or (ind.note or "").strip():
            continue
        low = row.recomputed[0] if isinstance(row.recomputed, tuple) else row.recomputed
        exp = fmt2(low)
        yield finding(
            "rubric.below_rule",
            k,
            ev,
            f"{table_name(ev)}「{ind.name}」得分印为{_shown(ind)}，按评分规则"
            f"{'至少' if isinstance(row.recomputed, tuple) else '应'}为{exp}，且未说明扣分原因",
            loc=ind.cells.get("score") or ind.loc,
            reported=_shown(ind),
            expected=exp if not isinstance(row.recomputed, tuple) else f"≥{exp}",
            evidence=_evidence(ind, row),
        )


def _rows(ctx: Context) -> Iterator[tuple[int, Evaluation, Indicator, RowScore]]:
    """Each indicator with a printed score and its recomputed row (the funds row skipped)."""
    for k, (ev, scored) in enumerate(
        zip(ctx.report.evaluations, ctx.scored.evaluations, strict=True)
    ):
        for ind, row in zip(ev.indicators, indicator_rows(ev, scored), strict=False):
            if ind.score is not None and row.recomputed is not None:
                yield k, ev, ind, row


def indicator_rows(ev: Evaluation, scored: EvaluationScore) -> list[RowScore]:
    """The recomputed row of each indicator: scoring lists the 预算执行率 row first when the
    table has a funds block."""
    extra = len(scored.rows) - len(ev.indicators)
    return scored.rows[extra:] if extra >= 0 else []


def _shown(ind: Indicator) -> str:
    return (ind.printed.get("score") or format_number(ind.score or 0)).strip()


def _evidence(ind: Indicator, row: RowScore) -> str:
    said = [f"分值 {format_number(ind.weight)}" if ind.weight is not None else ""]
    said += [f"年度指标值 {ind.target}" if ind.target else ""]
    said += [f"实际完成值 {ind.actual}" if ind.actual else ""]
    said += [f"评分标准 {ind.criteria}" if ind.criteria else ""]
    rule = f"；规则：{row.explain}" if row.explain else ""
    return f"{ind.name}：" + "；".join(s for s in said if s) + rule
