"""Family ``funds``: the 项目资金 block of a self-evaluation table adds up.

In every row 执行率 = 全年执行数 ÷ 全年预算数; the total row's 得分 = min(执行率, 100%) × 分值;
per column 年度资金总额 = 财政拨款 + 上年结转资金 + 其他资金. When a broken identity holds again
once one amount is multiplied or divided by 10³, 10⁴ or 10⁸, the amount was typed in the wrong
unit: that is reported once as a unit slip, not as the arithmetic errors it causes. An
indicator that restates the 执行率 (``预算执行率`` among the 三级指标) must agree with the block.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator

from jixiao.checks.precision import Span, contradicts, exact
from jixiao.checks.registry import Context, check
from jixiao.checks.sheet_values import QUARTERLY, plain_name, plain_value
from jixiao.checks.tables_common import (
    cell,
    digits_in,
    finding,
    fmt2,
    score_span,
    span,
    table_name,
    text,
)
from jixiao.document import compact
from jixiao.model import Evaluation, Finding, FundRow
from jixiao.numbers import format_number

SOURCE_LABEL = {
    "total": "年度资金总额",
    "fiscal": "当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
}
COLUMN_LABEL = {
    "initial_budget": "年初预算数",
    "annual_budget": "全年预算数",
    "executed": "全年执行数",
    "weight": "分值",
    "rate": "执行率",
    "score": "得分",
}
AMOUNTS = ("initial_budget", "annual_budget", "executed")
SLIP_FACTORS = (1e3, 1e4, 1e8)  # 千元, 万元, 亿元 against 元 (and their quotients)


# --- the checks ----------------------------------------------------------------------------


@check(
    "funds.rate_mismatch",
    "error",
    "执行率与执行数÷预算数不符",
    "每一资金行的执行率应等于全年执行数÷全年预算数。比较时按印出的位数留出舍入余量，"
    "只有超出舍入所能解释的差异才报告。",
)
def rate_mismatch(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        slipped = _slips(ctx, k, ev)
        for row, f in enumerate(ev.funds):
            expected = _rate_of(f)
            if f.rate is None or expected is None or _slipped(slipped, _amounts_of(row)):
                continue
            if not contradicts(span(f, "rate"), expected):
                continue
            exp = _fmt_pct(expected.mid, f.printed.get("rate"))
            yield finding(
                "funds.rate_mismatch",
                k,
                ev,
                f"{table_name(ev)}{SOURCE_LABEL[f.source]}执行率印为{text(f, 'rate')}，"
                f"按全年执行数{text(f, 'executed')}÷全年预算数{text(f, 'annual_budget')}"
                f"应为{exp}",
                loc=cell(ev, f, "rate"),
                reported=text(f, "rate"),
                expected=exp,
                evidence=_evidence(f, ("annual_budget", "executed", "rate")),
                related=[cell(ev, f, c) for c in ("annual_budget", "executed")],
            )


@check(
    "funds.score_mismatch",
    "error",
    "预算执行得分与执行率不符",
    "预算执行率一行的得分应为 min(执行率, 100%) × 分值（财预〔2020〕10号）。执行率取执行数"
    "÷全年预算数，也取印出的执行率：两者都与得分不符时才报告。",
)
def score_mismatch(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        slipped = _slips(ctx, k, ev)
        for row, f in enumerate(ev.funds):
            if f.score is None or f.weight is None:
                continue
            weight = exact(f.weight)
            candidates = []
            ratio = _rate_of(f)
            if ratio is not None and not _slipped(slipped, _amounts_of(row)):
                candidates.append(_capped(ratio.scale(0.01)) * weight)
            if f.rate is not None:
                candidates.append(_capped(span(f, "rate").scale(0.01)) * weight)
            reported = score_span(f.score, f.printed.get("score"))
            if not candidates or not all(contradicts(reported, c) for c in candidates):
                continue
            exp = fmt2(candidates[0].mid)
            yield finding(
                "funds.score_mismatch",
                k,
                ev,
                f"{table_name(ev)}预算执行得分印为{text(f, 'score')}，按min(执行率,100%)×"
                f"{format_number(f.weight)}应为{exp}",
                loc=cell(ev, f, "score"),
                reported=text(f, "score"),
                expected=exp,
                evidence=_evidence(f, ("annual_budget", "executed", "weight", "rate", "score")),
                related=[cell(ev, f, c) for c in ("executed", "annual_budget", "rate")],
            )


@check(
    "funds.parts_total",
    "error",
    "资金来源之和与年度资金总额不符",
    "年初预算数、全年预算数、全年执行数各列中，当年财政拨款 + 上年结转资金 + 其他资金应等于"
    "年度资金总额（空白按0计）。",
)
def parts_total(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        total, parts = _split_rows(ev)
        if total is None:
            continue
        slipped = _slips(ctx, k, ev)
        for col in AMOUNTS:
            expected = _parts_sum(parts, col)
            value = getattr(total, col)
            if value is None or expected is None or any(c == col for _, c in slipped):
                continue
            if not contradicts(span(total, col), expected):
                continue
            exp = format_number(expected.mid, max(digits_in(text(total, col)), 2))
            yield finding(
                "funds.parts_total",
                k,
                ev,
                f"{table_name(ev)}{COLUMN_LABEL[col]}：年度资金总额印为{text(total, col)}，"
                f"当年财政拨款、上年结转资金与其他资金之和为{exp}",
                loc=cell(ev, total, col),
                reported=text(total, col),
                expected=exp,
                evidence="；".join(
                    f"{SOURCE_LABEL[f.source]} {text(f, col) or '（空）'}" for f in (total, *parts)
                ),
                related=[cell(ev, f, col) for f in parts],
            )


@check(
    "funds.executed_over_budget",
    "warning",
    "执行数超过全年预算数",
    "全年执行数一般不应超过全年预算数；超出时执行率大于100%，预算执行得分按100%封顶。"
    "可能是预算调整未反映在表中，也可能是填写错误。",
)
def executed_over_budget(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        slipped = _slips(ctx, k, ev)
        for row, f in enumerate(ev.funds):
            if f.executed is None or not f.annual_budget or _slipped(slipped, _amounts_of(row)):
                continue
            if span(f, "executed").lo <= span(f, "annual_budget").hi:
                continue
            yield finding(
                "funds.executed_over_budget",
                k,
                ev,
                f"{table_name(ev)}{SOURCE_LABEL[f.source]}全年执行数{text(f, 'executed')}"
                f"超过全年预算数{text(f, 'annual_budget')}",
                loc=cell(ev, f, "executed"),
                reported=text(f, "executed"),
                expected=f"≤{text(f, 'annual_budget')}",
                evidence=_evidence(f, ("annual_budget", "executed", "rate")),
                related=[cell(ev, f, "annual_budget")],
            )


@check(
    "funds.unit_slip",
    "error",
    "资金数额疑似单位错误",
    "某一金额乘以或除以1000、10000或1亿后，执行率或资金来源之和即与其他数字相符：该金额很可能"
    "按另一单位（元/千元/万元/亿元）填写。只报告这一处，不再重复报告由此引起的计算不符。",
)
def unit_slip(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        for (row, col), (factor, identity) in _slips(ctx, k, ev).items():
            f = ev.funds[row]
            fixed = format_number(getattr(f, col) * factor, digits_in(text(f, col)))
            times = format_number(max(factor, 1 / factor))
            yield finding(
                "funds.unit_slip",
                k,
                ev,
                f"{table_name(ev)}{SOURCE_LABEL[f.source]}{COLUMN_LABEL[col]}印为{text(f, col)}，"
                f"与同表其他金额相差{times}倍，按{fixed}计{identity}才相符，疑为单位错误",
                loc=cell(ev, f, col),
                reported=text(f, col),
                expected=fixed,
                evidence=_evidence(f, (*AMOUNTS, "rate")),
            )


# the indicator that restates the block's 执行率 (部门整体 sheets and some project forms)
_EXECUTION_INDICATORS = frozenset(
    {
        "预算执行率",
        "资金执行率",
        "预算资金执行率",
        "项目预算执行率",
        "项目资金执行率",
        "部门预算执行率",
    }
)


@check(
    "funds.indicator_rate",
    "warning",
    "指标中的预算执行率与同表资金执行率不符",
    "自评表的指标中另列“预算执行率”（资金执行率）时，其实际完成值应与同表年度资金总额的执行率"
    "（印出的，或按全年执行数÷全年预算数计算的）一致，按印刷精度比较。资金栏本身不自洽时"
    "由 funds.rate_mismatch 报告，这里不再判断；指标也可能另有口径，故为疑似。",
)
def indicator_rate(ctx: Context) -> Iterator[Finding]:
    for k, ev in enumerate(ctx.report.evaluations):
        total, _ = _split_rows(ev)
        reference = _block_rate(total) if total is not None else None
        if reference is None:
            continue
        for ind in ev.indicators:
            if plain_name(ind.name) not in _EXECUTION_INDICATORS:
                continue
            if QUARTERLY.search(compact(ind.criteria) + compact(ind.target)):
                continue  # progress during the year, not the year's rate
            value = plain_value(ind.actual, ind.target, percent=True)
            if value is None:
                continue  # a bound, a range or words: not the rate itself
            stated = value.span
            if stated.meets(reference) or (reference.lo >= 100 and stated.hi >= 100):
                continue  # agrees (a rate above 100% may be stated as met: 100%)
            shown = text(total, "rate") if total.rate is not None else _fmt_pct(reference.mid, None)
            how = "" if total.rate is not None else "（按全年执行数÷全年预算数）"
            yield finding(
                "funds.indicator_rate",
                k,
                ev,
                f"{table_name(ev)}指标「{ind.name}」实际完成值印为{value.text}，"
                f"而同表年度资金总额执行率{how}为{shown}",
                loc=cell(ev, ind, "actual"),
                reported=value.text,
                expected=shown,
                evidence=f"{ind.name}：{ind.actual}；{_evidence(total, (*AMOUNTS, 'rate'))}",
                related=[cell(ev, total, "rate")],
            )


def _block_rate(total: FundRow) -> Span | None:
    """The block's own 执行率 when it holds together: printed and agreeing with 执行数 ÷
    预算数, or computed when not printed; None when the block contradicts itself."""
    computed = _rate_of(total)
    if total.rate is None:
        return computed
    shown = span(total, "rate")
    return None if contradicts(shown, computed) else shown


# --- identities of the funds block -----------------------------------------------------------


def _rate_of(f: FundRow) -> Span | None:
    """执行数 ÷ 全年预算数 in percent, as an interval; None when not printed or budget 0."""
    if f.executed is None or f.annual_budget is None:
        return None
    ratio = span(f, "executed") / span(f, "annual_budget")
    return ratio.scale(100) if ratio is not None else None


def _capped(s: Span) -> Span:
    return Span(min(s.lo, 1.0), min(s.hi, 1.0))


def _split_rows(ev: Evaluation) -> tuple[FundRow | None, list[FundRow]]:
    total = next((f for f in ev.funds if f.source == "total"), None)
    return total, [f for f in ev.funds if f.source != "total"]


def _parts_sum(parts: list[FundRow], col: str) -> Span | None:
    """Σ of the part rows in ``col`` (blank = 0); None when no part is printed at all."""
    printed_parts = [span(f, col) for f in parts if getattr(f, col) is not None]
    return sum(printed_parts, exact(0.0)) if printed_parts else None


Cell = tuple[int, str]  # (row index in ev.funds, column)
Slips = dict[Cell, tuple[float, str]]  # -> (factor that restores the identity, identity)


def _slips(ctx: Context, k: int, ev: Evaluation) -> Slips:
    """Amounts that restore a broken identity once rescaled by a unit factor (computed once
    per evaluation and shared by the funds checks)."""
    cache = ctx.options.setdefault("funds.slips", {})
    if k not in cache:
        cache[k] = _find_slips(ev)
    return cache[k]  # type: ignore[no-any-return]


def _find_slips(ev: Evaluation) -> Slips:
    out: Slips = {}
    for row, f in enumerate(ev.funds):
        ratio = _rate_of(f)
        if f.rate is None or ratio is None or not contradicts(span(f, "rate"), ratio):
            continue
        cells = {(row, c): span(f, c) for c in ("executed", "annual_budget")}
        rate = span(f, "rate")
        found = _rescued(ev, cells, lambda s, r=row, rate=rate: _meets_ratio(s, r, rate))
        if found is not None:
            out[found[0]] = (found[1], "执行率")
    total = next((r for r, f in enumerate(ev.funds) if f.source == "total"), None)
    for col in AMOUNTS if total is not None else ():
        parts = [r for r, f in enumerate(ev.funds) if r != total and getattr(f, col) is not None]
        rows = [total, *parts]
        if getattr(ev.funds[total], col) is None or not parts:
            continue
        cells = {(r, col): span(ev.funds[r], col) for r in rows}
        if not _sum_breaks(cells, rows[0], col):
            continue
        found = _rescued(ev, cells, lambda s, r=rows[0], c=col: not _sum_breaks(s, r, c))
        if found is not None:
            out.setdefault(found[0], (found[1], "资金来源之和"))
    return out


def _meets_ratio(values: dict[Cell, Span], row: int, rate: Span) -> bool:
    ratio = values[(row, "executed")] / values[(row, "annual_budget")]
    return ratio is not None and ratio.scale(100).meets(rate)


def _sum_breaks(values: dict[Cell, Span], total_row: int, col: str) -> bool:
    parts = [v for (r, _), v in values.items() if r != total_row]
    return contradicts(values[(total_row, col)], sum(parts, exact(0.0)))


def _rescued(
    ev: Evaluation, values: dict[Cell, Span], holds: Callable[[dict[Cell, Span]], bool]
) -> tuple[Cell, float] | None:
    """The value and unit factor that make ``holds`` true. A ratio or a two-term sum is
    restored as well by rescaling either side: the side whose rescaled magnitude joins the
    other amounts of the block is the one typed in the wrong unit."""
    hits = [
        (key, factor)
        for key, value in values.items()
        if value.mid > 0
        for base in SLIP_FACTORS
        for factor in (base, 1 / base)
        if holds({**values, key: value.scale(factor)})
    ]
    if len(hits) <= 1:
        return hits[0] if hits else None
    ranked = sorted(hits, key=lambda h: _distance(ev, h[0], values[h[0]].mid * h[1]))
    best, second = (_distance(ev, h[0], values[h[0]].mid * h[1]) for h in ranked[:2])
    return ranked[0] if second - best >= 1 else None


def _distance(ev: Evaluation, key: Cell, value: float) -> float:
    """How many orders of magnitude ``value`` lies from the block's other amounts."""
    others = sorted(
        math.log10(v)
        for r, f in enumerate(ev.funds)
        for c in AMOUNTS
        if (r, c) != key and (v := getattr(f, c)) is not None and v > 0
    )
    if not others:
        return 0.0
    return abs(math.log10(value) - others[len(others) // 2])


def _amounts_of(row: int) -> tuple[Cell, Cell]:
    return ((row, "executed"), (row, "annual_budget"))


def _slipped(slips: Slips, cells: Iterable[Cell]) -> bool:
    """Whether a unit slip already explains an identity that reads these cells."""
    return any(c in slips for c in cells)


def _evidence(f: FundRow, cols: Iterable[str]) -> str:
    parts = [f"{COLUMN_LABEL[c]} {text(f, c)}" for c in cols if text(f, c)]
    return f"{SOURCE_LABEL[f.source]}：" + "；".join(parts)


def _fmt_pct(value: float, printed_rate: str | None) -> str:
    return format_number(value, max(digits_in(printed_rate or ""), 2)) + "%"


# --- shared by the table families ------------------------------------------------------------
