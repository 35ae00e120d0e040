"""Across one report: the 项目支出绩效自评表 against the 决算说明 of the same department.

A 项目支出绩效自评表's 全年执行数 is what the project spent in the year, so it is part of the
department's 项目支出 that the 决算说明 states: the self-evaluated projects together cannot
have spent more than it (they need not add up to it: not every project is self-evaluated).
Amounts are compared as intervals of what their printed digits allow, in one unit. A
部门整体支出绩效自评表 has the same 项目资金 block (so it is read as a self-evaluation table too)
but spends the whole budget, not a project's: it is left out (see ``crossreport_department``).

Its check ids are in the ``consistency`` family (loaded through ``registry.CHECK_MODULES``).
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.checks.precision import Span, printed, total
from jixiao.checks.registry import Context, check
from jixiao.checks.tables_common import digits_in
from jixiao.document import compact
from jixiao.model import Evaluation, Figure, Finding, FundRow, department_wide
from jixiao.numbers import MONEY_FACTORS, decimals_of_value, format_number

_SPENT_PERIODS = (None, "决算", "本年")


def _executed(ev: Evaluation) -> tuple[FundRow, Span] | None:
    """The 年度资金总额 row's 全年执行数 in yuan, as an interval; None if not printed."""
    if ev.money_unit not in MONEY_FACTORS or not ev.funds:
        return None
    row = next((r for r in ev.funds if r.source == "total"), None)
    if row is None or row.executed is None:
        return None
    shown = row.printed.get("executed")
    decimals = digits_in(shown) if shown else decimals_of_value(row.executed)
    return row, printed(row.executed, decimals).scale(MONEY_FACTORS[ev.money_unit])


def _project_spending(figures: list[Figure]) -> Figure | None:
    """The department's 项目支出 of the year as the 说明 states it (the largest if several)."""
    stated = [
        f
        for f in figures
        if f.subject == "项目支出"
        and not f.scope
        and f.role in ("part", "total", "value")
        and f.period in _SPENT_PERIODS
        and f.unit in MONEY_FACTORS
        and not f.inferred
        and not f.placeholder
    ]
    return max(stated, key=lambda f: f.value * MONEY_FACTORS[f.unit or "元"], default=None)


def _self_evaluations(ctx: Context) -> list[tuple[int, Evaluation, FundRow, Span]]:
    """Each project self-evaluated once (a table printed twice counts once)."""
    seen: set[tuple[str, float]] = set()
    out = []
    for k, ev in enumerate(ctx.report.evaluations):
        if ev.kind != "project_self" or ev.uncertain or department_wide(ev):
            continue
        got = _executed(ev)
        if got is None:
            continue
        key = (compact(ev.subject or ev.title), round(got[1].mid, 2))
        if key in seen:
            continue
        seen.add(key)
        out.append((k, ev, *got))
    return out


def _wan(span: Span) -> str:
    return format_number(span.mid / 1e4, 2)


@check(
    "consistency.projects_vs_accounts",
    "warning",
    "自评项目执行数超过决算项目支出",
    "同一报告中各项目支出绩效自评表的全年执行数之和，不应超过决算说明中本年的项目支出"
    "（自评项目只是全部项目的一部分）；超过时，或自评表的执行数有误，或决算说明的项目支出有误。",
)
def projects_vs_accounts(ctx: Context) -> Iterator[Finding]:
    spending = _project_spending(ctx.report.figures)
    evaluations = _self_evaluations(ctx)
    if spending is None or not evaluations:
        return
    stated = printed(spending.value, spending.decimals).scale(MONEY_FACTORS[spending.unit or "元"])
    executed = total([s for _, _, _, s in evaluations])
    if executed.lo <= stated.hi + 1e-6:  # even at their least, the projects fit in it
        return
    names = "、".join(f"“{ev.subject or ev.title}”" for _, ev, _, _ in evaluations[:5])
    more = f"等 {len(evaluations)} 个项目" if len(evaluations) > 5 else ""
    shown = format_number(spending.value, spending.decimals)
    yield Finding(
        check="consistency.projects_vs_accounts",
        severity="warning",
        message=(
            f"{names}{more}的自评表全年执行数合计 {_wan(executed)} 万元，超过决算说明的项目支出 "
            f"{shown} {spending.unit}。"
        ),
        loc=spending.loc,
        evidence=spending.text,
        reported=f"{shown}{spending.unit}",
        expected=f"≥{_wan(executed)}万元",
        related=[r.cells.get("executed") or r.loc for _, _, r, _ in evaluations if r.loc],
    )
