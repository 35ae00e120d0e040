"""Across one report: the 部门整体 sheet against the 决算 of the same department.

A 部门整体支出绩效自评表 (or 评价评分表) often states among its indicators the year's
“三公”经费 — as an amount (``“三公”经费支出 ≤36万元 | 29.12万元``) or as a 控制率 (决算 ÷ 预算,
the definition of the national 部门整体支出绩效评价共性指标体系) — and the department's
预算执行率. The same report's 决算 states them too: the 财政拨款“三公”经费支出决算表 (预算数
and 决算数 of 合计 and of each item) and the 说明 (``“三公”经费预算数为36.00万元，决算数为
29.12万元，完成预算的80.89%``, ``预算执行率98.16%``). The two must agree.

Near-zero false alarms matter more than recall, so each rule says nothing unless the meaning is
settled on both sides:

* the sheet: only an indicator whose name says exactly what it measures (``“三公”经费支出``,
  ``公务接待费``, ``“三公”经费控制率``, ``预算执行率``; not ``“三公”经费变动率``, ``项目预算执行率``,
  a quarterly 执行率), whose 实际完成值 is one plain value (``29.12万元``, ``80.89%``; not
  ``≤36万元``, ``约29万元``, ``较上年下降3%``), on a sheet that is not an OCR guess and is the
  report's only department (several units' sheets: which one the 决算 is about is unclear);
* the 决算: table lines, and 说明 figures whose own words (or a linked figure of the same
  sentence) name the subject and the period, of the report's year and of the 财政拨款 scope or
  none; when these sources disagree among themselves, the narrative and accounts checks report
  that and this one stays silent;
* printed digits are intervals (``checks.precision``): a value contradicts only when it meets
  none of what the 决算 allows; a 控制率 that reads as 100% − 决算 ÷ 预算 (a 节约率 under another
  name) is a different definition, not a contradiction.

Findings are warnings (疑似): the sheet may count other funds than the 财政拨款 the 决算 states;
info when a difference of one unit in the last printed digit explains it (a truncated rate).
The check ids are in the ``consistency`` family (loaded through ``registry.CHECK_MODULES``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from jixiao.accounts.figures import table_figure
from jixiao.accounts.model import TABLE_TITLES, FinalAccounts, meaning_name
from jixiao.checks.precision import Span, exact, printed
from jixiao.checks.registry import Context, check
from jixiao.checks.sheet_values import QUARTERLY, Value, plain_name, plain_value
from jixiao.checks.tables_common import cell, digits_in, finding, table_name
from jixiao.document import compact
from jixiao.model import (
    Evaluation,
    Figure,
    Finding,
    FundRow,
    Indicator,
    LocDict,
    Report,
    Severity,
    department_wide,
)
from jixiao.numbers import MONEY_FACTORS, format_number

AMOUNT_CHECK = "consistency.dept_three_public_amount"
RATE_CHECK = "consistency.dept_three_public_rate"
EXECUTION_CHECK = "consistency.dept_execution_rate"
_FUNDS_RATE = "年度资金总额执行率"  # the rate of a sheet's 项目资金 block, as messages name it

# -- names ---------------------------------------------------------------------------------------

_YEAR = re.compile(r"((?:19|20)\d{2})年")
_YEARS = re.compile(r"(?:19|20)\d{2}年度?")


def _plain_label(f: Figure) -> str:
    """A 说明 figure's label as a name, without the years it names: ``2024年度部门预算执行率``
    → ``部门预算执行率`` (which year: :func:`_of_year`)."""
    return _YEARS.sub("", plain_name(f.label))


@dataclass(frozen=True)
class _Group:
    subject: str  # the narrative's canonical subject (jixiao.extract.narrative)
    key: str  # the 三公 table's group (jixiao.accounts.model.THREE_PUBLIC_GROUPS)
    spelling: str  # how a name spells it, on :func:`_plain_name` text


_FEE = r"(?:费用|经费|费)?"
_GROUPS = (
    _Group("三公经费", "total", r"三公经费"),
    _Group("因公出国（境）费", "abroad", rf"因公出国(?:境)?{_FEE}"),
    _Group("公务用车购置及运行维护费", "vehicle", rf"公务用车购置(?:及|和|与)运行(?:维护)?{_FEE}"),
    _Group("公务用车购置费", "vehicle_purchase", rf"公务用车购置{_FEE}"),
    _Group("公务用车运行维护费", "vehicle_operation", rf"公务用车运行(?:维护)?{_FEE}"),
    _Group("公务接待费", "reception", rf"(?:国内)?公务接待{_FEE}"),
)
_LEAD = r"(?:年度|全年|本年度?|当年|部门)?"
# an amount: the group and words that only say "this year's spending" (支出, 决算数, 控制数…);
# 预算, 上年, 变动, 压减, 率 … are not among them, so such names never match
_AMOUNT_TAIL = r"(?:支出|实际|发生|决算|总额|总数|金额|数|额|控制|情况)*"
# a rate: 控制率 / 执行率 / 完成率 — 决算 ÷ 预算; 变动率, 增长率, 下降率 are other quantities
_RATE_TAIL = r"(?:支出|预算|决算)*(?:控制率|执行率|完成率)"
_AMOUNT_NAMES = [(g, re.compile(rf"{_LEAD}{g.spelling}{_AMOUNT_TAIL}")) for g in _GROUPS]
_RATE_NAMES = [(g, re.compile(rf"{_LEAD}{g.spelling}{_RATE_TAIL}")) for g in _GROUPS]
_RATE_LABELS = [
    (g, re.compile(rf"{_LEAD}{g.spelling}{_RATE_TAIL}(?:为|达到?|是)*")) for g in _GROUPS
]
# the department's 预算执行率: the whole budget, the whole year
_EXECUTION_NAME = re.compile(
    r"(?:年度|全年|本年度?|部门整体|部门|整体|总体)*(?:支出)?预算(?:总)?执行率"
)
_EXECUTION_LABEL = re.compile(
    r"(?:[\u4e00-\u9fff]{2,30}?(?:局|委|办|厅|中心|院|所|站|馆|队|处|部|会))?"  # the department
    r"(?:全年|年度|本年度?|本?部门整体|本?部门|整体|总体|全局|本局|我局|本单位"
    r"|我单位|单位|全部)*(?:支出)?预算(?:总)?执行率(?:为|达到?|是)*"
)
# a sentence about a part of the budget or a moment of the year, not the year's whole budget
_PART_OF_BUDGET = re.compile(
    r"项目|专项|经费|资金|工程|三公|基本支出|财政拨款|一般公共预算|政府性基金|国有资本|采购"
    r"|[0-9一二三四五六七八九十]+月|季度|半年|序时|进度"
)
_LAST_YEAR = re.compile(r"上年|上一年|去年|同比|同期")
_OTHER_MEANING = re.compile(r"上年|上一年|去年|同比|同期|变动|增长|下降|压减|节约")

_THREE_SCOPES = (None, "财政拨款", "一般公共预算财政拨款")
_BUDGET_PERIODS = ("年初预算", "全年预算", "预算")
_BUDGET_WORDS = re.compile(r"预算|计划|安排")
_SCOPE_WORDS = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算")


def _amount_group(name: str) -> _Group | None:
    plain = plain_name(name)
    return next((g for g, p in _AMOUNT_NAMES if p.fullmatch(plain)), None)


def _rate_group(name: str) -> _Group | None:
    plain = plain_name(name)
    return next((g for g, p in _RATE_NAMES if p.fullmatch(plain)), None)


# -- the sheets ----------------------------------------------------------------------------------


def _same_unit(a: str | None, b: str | None) -> bool:
    a, b = compact(a), compact(b)
    return not a or not b or a in b or b in a


def _sheets(report: Report) -> list[tuple[int, Evaluation]]:
    """The report's 部门整体 sheets, when they are all about the report's department."""
    out = [
        (k, ev)
        for k, ev in enumerate(report.evaluations)
        if not ev.uncertain and (ev.kind == "department_self" or department_wide(ev))
    ]
    names = [ev.subject for _, ev in out] + [report.entity]
    if any(not _same_unit(a, b) for a in names for b in names):
        return []  # sheets of several units, or of another unit than the report's
    return out


# -- the 决算 side -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """One figure of the 决算 (a table line or a 说明 figure), or a ratio of two."""

    span: Span  # money in 元, rates in percent points
    shown: str  # as printed (computed: at 2 decimals), with its unit
    origin: str  # 说明 | 表「财政拨款“三公”经费支出决算表」
    name: str  # what it is: “三公”经费决算数, 合计决算数, 预算执行率
    quote: str  # the evidence
    loc: LocDict | None

    @property
    def where(self) -> str:
        return f"说明中的{self.name}" if self.origin == "说明" else self.origin + self.name


def _agree(sources: list[_Source]) -> bool:
    return all(a.span.meets(b.span) for i, a in enumerate(sources) for b in sources[i + 1 :])


def _of_year(f: Figure, year: int | None) -> bool:
    """The words up to the figure name no other year than the report's (``2023年度“三公”经费
    决算数`` in a 2024 report is last year's)."""
    text, label = compact(f.text), compact(f.label)
    at = text.find(label) if label else -1
    prefix = text[: at + len(label)] if at >= 0 else text
    years = _YEAR.findall(prefix)
    if _LAST_YEAR.search(compact(f.label)):
        return False
    return not years or (year is not None and int(years[-1]) == year)


_BOUND_BEFORE = re.compile(
    r"(?:控制在|控制|不超过|不高于|不低于|低于|高于|超过|少于|多于|至少|最多|约|近|[≤≥<>])$"
)
_BETWEEN = re.compile(r"(?:为|达到?|是|共计?|计|合计|约为?|大约|将近|近|[:：])*")
_BOUND_AFTER = re.compile(
    r"[\d.,]+(?:亿元|千元|万元|元|万|%|％)?(?:以上|以下|以内|之内|左右|上下|余|多)"
)


def _bound(f: Figure) -> bool:
    """The 说明 states a bound or an estimate, not the figure: ``控制在36万元以内``,
    ``预算执行率达到95%以上``, ``约30万元``; also when its words cannot be found again."""
    text, label = compact(f.text), compact(f.label)
    at = text.find(label) if label else -1
    if at < 0:
        return True
    rest = text[at + len(label) :]
    between = _BETWEEN.match(rest)
    lead = between.group() if between else ""
    return bool(
        _BOUND_BEFORE.search(label)
        or "约" in lead
        or "近" in lead
        or _BOUND_AFTER.match(rest[len(lead) :])
    )


def _linked(f: Figure, by_id: dict[int, Figure]) -> list[Figure]:
    """The figures of the same sentence the text links ``f`` to (its total, its base)."""
    out = []
    for ref in (f.of, f.base):
        g = by_id.get(ref) if ref is not None else None
        if g is not None and g.sentence == f.sentence and not g.placeholder:
            out.append(g)
    return out


def _named(f: Figure, subject: str, figures: list[Figure], by_id: dict[int, Figure]) -> bool:
    """``f`` is about ``subject`` by its own words, or by a figure of its sentence that is and
    that the text links to it: its base or total, a figure based on it, or the budget that a
    completion rate divides it by (``预算数为36.00万元，决算数为29.12万元，完成预算的80.89%``)."""
    if f.subject != subject:
        return False
    if not f.inferred:
        return True
    partners = _linked(f, by_id)
    for g in figures:
        if g.sentence != f.sentence or g.placeholder or f.id not in (g.of, g.base):
            continue
        partners.append(g)
        if g.role == "completion" and g.of == f.id:
            partners += [b for b in _linked(g, by_id) if b.id != f.id]
    return any(g.subject == subject and not g.inferred for g in partners)


def _period(f: Figure, by_id: dict[int, Figure]) -> str | None:
    """budget | final | None (unclear or another year) for a 三公 amount of the 说明."""
    if f.period in _BUDGET_PERIODS:
        return "budget"
    if f.period == "决算":
        return "final"
    if f.period == "上年":
        return None
    parent = by_id.get(f.of) if f.role == "part" and f.of is not None else None
    if parent is not None and parent.period in _BUDGET_PERIODS:
        return "budget"
    if parent is not None and parent.period == "决算":
        return "final"
    words = _SCOPE_WORDS.sub("", compact(f.text) + compact(f.section))
    return None if _BUDGET_WORDS.search(words) else "final"


def _narrative_amounts(report: Report, group: _Group, dim: str) -> list[_Source]:
    by_id = {f.id: f for f in report.figures}
    out = []
    for f in report.figures:
        if (
            f.placeholder
            or f.unit not in MONEY_FACTORS
            or f.role not in ("value", "total", "part")
            or f.scope not in _THREE_SCOPES
            or not _named(f, group.subject, report.figures, by_id)
            or _period(f, by_id) != dim
            or not _of_year(f, report.year)
            or _bound(f)
        ):
            continue
        what = "预算数" if dim == "budget" else "决算数"
        out.append(
            _Source(
                printed(f.value, f.decimals).scale(MONEY_FACTORS[f.unit or "元"]),
                f"{format_number(f.value, f.decimals)}{f.unit}",
                "说明",
                f"{_shown_subject(group)}{what}",
                f.text,
                f.loc,
            )
        )
    return out


def _shown_subject(group: _Group) -> str:
    return "“三公”经费" if group.key == "total" else group.subject


def _table_sources(
    accounts: FinalAccounts | None, year: int | None, group: _Group, dim: str
) -> list[_Source]:
    """The 三公 table's line: its 预算数 or 决算数 of ``group`` (a blank is an exact 0)."""
    if accounts is None or accounts.is_template:
        return []
    if accounts.year is not None and year is not None and accounts.year != year:
        return []
    table = accounts.table("three_public")
    meaning = f"{group.key}.{dim}"
    if (
        table is None
        or not table.rows
        or table.unit not in MONEY_FACTORS
        or not table.has_figures()
        or meaning not in table.columns
    ):
        return []
    fig = table_figure(table.rows[0], meaning, table)
    if fig.unknown:
        return []
    title = table.title or TABLE_TITLES["three_public"]
    span = fig.span.scale(fig.factor) if fig.text is not None else exact(0.0)
    shown = f"{fig.text}{table.unit}" if fig.text is not None else "空白（按0计）"
    origin, name = f"表「{title}」", meaning_name(meaning)
    return [_Source(span, compact(shown), origin, name, f"{origin}{name}：{shown}", fig.loc)]


def _amounts(report: Report, group: _Group, dim: str) -> list[_Source]:
    return [
        *_table_sources(report.accounts, report.year, group, dim),
        *_narrative_amounts(report, group, dim),
    ]


def _stated_rates(report: Report, group: _Group) -> list[_Source]:
    """The 说明's own 完成预算的…% / 控制率…% for ``group``."""
    by_id = {f.id: f for f in report.figures}
    pattern = dict(_RATE_LABELS)[group]
    out = []
    for f in report.figures:
        if f.placeholder or f.unit != "%" or f.subject != group.subject:
            continue
        if f.scope not in _THREE_SCOPES or not _of_year(f, report.year) or _bound(f):
            continue
        if f.role == "completion":
            # its 决算 and 预算 are figures of its sentence, about the same subject
            linked = _linked(f, by_id)
            if len(linked) < 2 or any(g.subject != group.subject for g in linked):
                continue
        elif f.role != "value" or f.inferred or not pattern.fullmatch(_plain_label(f)):
            continue
        out.append(
            _Source(
                printed(f.value, f.decimals),
                f"{format_number(f.value, f.decimals)}%",
                "说明",
                f"{_shown_subject(group)}完成预算的比例",
                f.text,
                f.loc,
            )
        )
    return out


# -- findings --------------------------------------------------------------------------------


def _one_digit_off(value: Value, expected: Span) -> bool:
    """The printed value misses by less than one unit of its last digit (a truncation)."""
    unit = 10.0**-value.decimals
    factor = MONEY_FACTORS.get(value.unit, 1.0)
    wide = printed(value.value, value.decimals)
    return Span(wide.lo - unit, wide.hi + unit).scale(factor).meets(expected)


def _severity(value: Value, expected: list[Span]) -> Severity:
    return "info" if any(_one_digit_off(value, e) for e in expected) else "warning"


def _listing(sources: list[_Source]) -> str:
    return "、".join(f"{s.where}为{s.shown}" for s in sources)


def _evidence(name: str, value: Value, sources: list[_Source]) -> str:
    quotes = list(dict.fromkeys(s.quote for s in sources))
    shown = f"{name} {value.text}" if name == _FUNDS_RATE else f"{name} 实际完成值 {value.text}"
    return "；".join([f"自评表：{shown}", *quotes])


def _places(sources: list[_Source]) -> list[LocDict | None]:
    """The 决算 figures' places, each once."""
    out: list[LocDict | None] = []
    for s in sources:
        if s.loc and s.loc not in out:
            out.append(s.loc)
    return out


def _disagreement(
    check_id: str,
    k: int,
    ev: Evaluation,
    name: str,
    value: Value,
    loc: LocDict | None,
    sources: list[_Source],
    expected: str,
    hint: str = "",
) -> Finding:
    """The sheet's ``name`` (an indicator, or the funds block's rate) printed as ``value``
    at ``loc`` where the 决算 ``sources`` say otherwise."""
    what = name if name == _FUNDS_RATE else f"「{name}」实际完成值"
    return finding(
        check_id,
        k,
        ev,
        f"{table_name(ev)}{what}印为{value.text}，而{_listing(sources)}，两者不符{hint}",
        loc=loc,
        reported=value.text,
        expected=expected,
        evidence=_evidence(name, value, sources),
        related=_places(sources),
        severity=_severity(value, [s.span for s in sources]),
    )


def _three_public_values(
    ctx: Context, group_of: Callable[[str], _Group | None], percent: bool
) -> Iterator[tuple[int, Evaluation, Indicator, _Group, Value]]:
    """The sheets' indicators that ``group_of`` names a “三公” group, with a plain value."""
    for k, ev in _sheets(ctx.report):
        for ind in ev.indicators:
            group = group_of(ind.name) if ind.actual else None
            if group is None:
                continue
            value = plain_value(ind.actual, ind.target, percent=percent)
            if value is not None:
                yield k, ev, ind, group, value


@check(
    AMOUNT_CHECK,
    "warning",
    "部门整体自评表“三公”经费金额与决算不符",
    "部门整体支出绩效自评表（评分表）中“三公”经费（或其中的因公出国（境）费、公务用车购置及"
    "运行维护费、公务接待费）指标的实际完成值，应等于同一报告决算中本年的“三公”经费决算数"
    "（财政拨款“三公”经费支出决算表及决算说明），按印刷精度比较；决算各处本身不一致时不判断。"
    "自评表口径可能与财政拨款口径不同，故为疑似。",
)
def three_public_amount(ctx: Context) -> Iterator[Finding]:
    for k, ev, ind, group, value in _three_public_values(ctx, _amount_group, percent=False):
        sources = _amounts(ctx.report, group, "final")
        if not sources or not _agree(sources) or any(value.span.meets(s.span) for s in sources):
            continue
        expected = sources[0]
        slip = value.span.lo > 0 and any(
            s.span.lo > 0 and value.span.scale(f).meets(s.span)
            for s in sources
            for f in (1e4, 1e-4)
        )  # read 10⁴ times larger or smaller it agrees: 元 for 万元 or the other way
        hint = "（疑为金额单位错误）" if slip else ""
        at = cell(ev, ind, "actual")
        yield _disagreement(AMOUNT_CHECK, k, ev, ind.name, value, at, sources, expected.shown, hint)


@check(
    RATE_CHECK,
    "warning",
    "部门整体自评表“三公”经费控制率与决算不符",
    "部门整体支出绩效自评表（评分表）中“三公”经费控制率（执行率、完成率，即决算数÷预算数）"
    "的实际完成值，应等于同一报告决算中“三公”经费决算数÷预算数（财政拨款“三公”经费支出决算表"
    "或决算说明），或说明所印的完成预算比例，按印刷精度比较；决算各处本身不一致时不判断；"
    "印出的值若恰为100%减去该比例（节约率口径），视为口径不同，不报。",
)
def three_public_rate(ctx: Context) -> Iterator[Finding]:
    for k, ev, ind, group, value in _three_public_values(ctx, _rate_group, percent=True):
        if _OTHER_MEANING.search(compact(ind.criteria) + compact(ind.target)):
            continue  # 本年 ÷ 上年, 压减 …: not 决算 ÷ 预算
        options = _rate_options(ctx.report, group)
        if not options:
            continue
        spans = [s.span for s in options]
        if any(value.span.meets(s) for s in spans):
            continue
        if any(value.span.meets(Span(100 - s.hi, 100 - s.lo)) for s in spans):
            continue  # 100% − 决算 ÷ 预算: a 节约率 by another name, not a contradiction
        first = options[0]
        expected = f"{format_number(first.span.mid, value.decimals)}%"
        at = cell(ev, ind, "actual")
        yield _disagreement(RATE_CHECK, k, ev, ind.name, value, at, options, expected)


def _rate_options(report: Report, group: _Group) -> list[_Source]:
    """What the 决算 gives for 决算 ÷ 预算 of ``group`` (percent), when its sources agree."""
    out: list[_Source] = []
    budgets = _amounts(report, group, "budget")
    finals = _amounts(report, group, "final")
    if not _agree(budgets) or not _agree(finals):
        return []
    for b in budgets:
        for f in finals:
            ratio = f.span / b.span
            if ratio is None or b.origin != f.origin:
                continue  # a 预算 of 0, or a 预算 and a 决算 read in different places
            percent = ratio.scale(100)
            out.append(
                _Source(
                    percent,
                    f"{format_number(percent.mid, 2)}%",
                    f"按{f.origin}",
                    f"{f.name}{f.shown}÷{b.name}{b.shown}计算的比例",
                    f.quote if f.quote == b.quote else f"{b.quote}；{f.quote}",
                    f.loc,
                )
            )
    out += _stated_rates(report, group)
    return out if _agree(out) else []


@check(
    EXECUTION_CHECK,
    "warning",
    "部门整体自评表预算执行率与报告说明不符",
    "部门整体支出绩效自评表（评分表）的预算执行率（预算执行率指标的实际完成值，或年度资金总额的"
    "执行率）应等于同一报告说明中的部门预算执行率，按印刷精度比较。只比较明确为全年、全部预算的"
    "执行率：项目、专项、财政拨款、季度或截至某月的执行率不比较。",
)
def execution_rate(ctx: Context) -> Iterator[Finding]:
    sheets = _sheets(ctx.report)
    if not sheets:
        return
    stated = _stated_execution(ctx.report)
    if not stated or not _agree(stated):
        return
    spans = [s.span for s in stated]
    for k, ev in sheets:
        for name, value, loc in _sheet_execution(ev):
            if any(value.span.meets(s) for s in spans):
                continue
            yield _disagreement(EXECUTION_CHECK, k, ev, name, value, loc, stated, stated[0].shown)


def _sheet_execution(ev: Evaluation) -> Iterator[tuple[str, Value, LocDict | None]]:
    """The sheet's 预算执行率: its indicator, and the 年度资金总额 row of a sheet with funds."""
    for ind in ev.indicators:
        if not _EXECUTION_NAME.fullmatch(plain_name(ind.name)):
            continue
        if QUARTERLY.search(compact(ind.criteria) + compact(ind.target)):
            continue  # 一季度…序时进度: progress during the year, not the year's rate
        value = plain_value(ind.actual, ind.target, percent=True)
        if value is not None:
            yield ind.name, value, cell(ev, ind, "actual")
    row: FundRow | None = next((r for r in ev.funds if r.source == "total"), None)
    if row is not None and row.rate is not None:
        shown = compact(row.printed.get("rate")) or format_number(row.rate)
        value = Value(row.rate, digits_in(shown), "%", shown if "%" in shown else f"{shown}%")
        yield _FUNDS_RATE, value, cell(ev, row, "rate")


def _stated_execution(report: Report) -> list[_Source]:
    """The 说明's 预算执行率 of the department's whole budget for the year."""
    names = [compact(n) for n in (report.entity,) if n]
    out = []
    for f in report.figures:
        if f.placeholder or f.unit != "%" or f.scope is not None:
            continue
        if f.subject not in (None, "本年支出合计", "支出总计") or not _of_year(f, report.year):
            continue
        if _bound(f):
            continue
        label, sentence = _plain_label(f), compact(f.text)
        for name in names:
            label, sentence = label.replace(name, ""), sentence.replace(name, "")
        if not _EXECUTION_LABEL.fullmatch(label) or _PART_OF_BUDGET.search(sentence):
            continue
        out.append(
            _Source(
                printed(f.value, f.decimals),
                f"{format_number(f.value, f.decimals)}%",
                "说明",
                "预算执行率",
                f.text,
                f.loc,
            )
        )
    return out
