"""The 决算情况说明 against the nine tables: amounts, years, the department's name, reasons.

An amount the 说明 states for a table line is a copy of that line: printed with the same unit
and decimals it must be the very same number (two roundings of one amount are equal); printed
otherwise, the two intervals must meet. Only figures whose subject names a line without doubt
are compared (:func:`targets`); a figure whose subject was inferred from context is not.

Check ids (family ``accounts``):

* ``accounts.statement_amount`` error: an amount in the 说明 differs from its table line.
* ``accounts.statement_year``   error: a heading, an opening sentence or a 截至 date gives
  another year than the report's; warning: a comparison names another year than the one before.
* ``accounts.statement_name``   warning: the 说明 names the department otherwise.
* ``accounts.statement_reason`` warning: a 项's 决算 differs from its 年初预算 and no reason is
  given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from jixiao.accounts.codes import FUNCTION_CLASSES, class_code, compact, tidy_name
from jixiao.accounts.figures import table_figure
from jixiao.accounts.model import (
    TABLE_KINDS,
    TABLE_TITLES,
    UNIT_FACTORS,
    AccountsRow,
    AccountsTable,
    FinalAccounts,
    ItemStatement,
)
from jixiao.checks.precision import exact, printed, printed_text
from jixiao.numbers import decimals_of, format_number

if TYPE_CHECKING:
    from jixiao.accounts.checks import _Out
    from jixiao.model import Figure

__all__ = ["STATEMENT_CHECKS", "check_statement", "targets"]

STATEMENT_CHECKS: dict[str, tuple[str, str, str]] = {
    "accounts.statement_amount": (
        "error",
        "说明与决算表金额不符",
        "决算情况说明中写明的金额（收支总计、本年收入/支出合计、财政拨款收入、基本支出、各类"
        "支出、各项支出决算数、人员经费、公用经费、“三公”经费等）应与决算表对应行一致；同样单位"
        "和小数位数印出的同一金额必须完全相同。",
    ),
    "accounts.statement_year": (
        "error",
        "说明年度不符",
        "说明的标题、以“单位＋年度”开头的句子、“截至某年12月31日”应为报告年度；“与某年度相比”"
        "应为上一年度。",
    ),
    "accounts.statement_name": (
        "warning",
        "说明中的单位名称不符",
        "说明标题或正文开头写出的单位名称应与报告的部门名称一致。",
    ),
    "accounts.statement_reason": (
        "warning",
        "决算与预算有差异但未说明原因",
        "一般公共预算财政拨款支出各项的决算数与年初预算数不同时，应说明原因。",
    ),
}

_CN_NUM = "一二三四五六七八九"

# 说明 subjects naming an income source, and its meaning in the 收入决算表 / key in 表一.
_INCOME_SOURCES: dict[str, str] = {
    "一般公共预算财政拨款收入": "general_budget",
    "政府性基金预算财政拨款收入": "gov_fund",
    "国有资本经营预算财政拨款收入": "state_capital",
    "上级补助收入": "superior_subsidy",
    "事业收入": "business",
    "经营收入": "operating",
    "附属单位上缴收入": "affiliated",
    "其他收入": "other",
}
_EXPENSE_PARTS: dict[str, str] = {
    "基本支出": "basic",
    "项目支出": "project",
    "上缴上级支出": "remit_superior",
    "经营支出": "operating_expense",
    "对附属单位补助支出": "affiliated_subsidy",
}
_THREE_PUBLIC: dict[str, str] = {
    "三公经费": "total",
    "因公出国（境）费": "abroad",
    "因公出国(境)费": "abroad",
    "公务用车购置及运行维护费": "vehicle",
    "公务用车购置及运行费": "vehicle",
    "公务用车购置费": "vehicle_purchase",
    "公务用车运行维护费": "vehicle_operation",
    "公务用车运行费": "vehicle_operation",
    "公务接待费": "reception",
}
_FINAL_PERIODS = (None, "决算", "本年")
_BUDGET_PERIODS = ("年初预算", "预算", "全年预算")

Target = tuple[AccountsTable, AccountsRow, str]


def _norm(text: str | None) -> str:
    return re.sub(r"[“”\"'‘’]", "", compact(text or ""))


def _main(table: AccountsTable) -> str:
    return "final" if "final" in table.columns else "total"


def targets(fig: Figure, accounts: FinalAccounts) -> list[Target]:
    """The table lines (table, row, column meaning) an amount of the 说明 is a copy of."""
    if fig.role not in ("total", "part", "value") or fig.inferred or fig.placeholder:
        return []
    if fig.unit not in UNIT_FACTORS:
        return []
    subject, scope, period = _norm(fig.subject), _norm(fig.scope), fig.period
    out: list[Target] = []

    def add(kind: str, row: AccountsRow | None, meaning: str | None = None) -> None:
        table = accounts.table(kind)
        if table is None or row is None:
            return
        meaning = meaning or _main(table)
        if meaning in table.columns:
            out.append((table, row, meaning))

    def row_of(kind: str, role: str, side: str | None = None) -> AccountsRow | None:
        table = accounts.table(kind)
        return table.with_role(role, side) if table is not None else None

    three = _THREE_PUBLIC.get(subject)
    if three is not None:
        table = accounts.table("three_public")
        if table is None or not table.rows or scope not in ("", "财政拨款"):
            return []
        if period in _BUDGET_PERIODS:
            add("three_public", table.rows[0], f"{three}.budget")
        elif period == "决算":
            add("three_public", table.rows[0], f"{three}.final")
        return out
    if period not in _FINAL_PERIODS:
        return []
    general = "一般公共预算" in scope
    if subject == "收支总计":
        kind = "fiscal_total" if "财政拨款" in scope else "income_expense_total"
        if scope in ("", "财政拨款"):
            add(kind, row_of(kind, "total", "income"))
    elif subject == "本年收入合计" and not scope:
        add("income_expense_total", row_of("income_expense_total", "subtotal", "income"))
        add("income", row_of("income", "total"), "total")
    elif subject == "本年支出合计" and not scope:
        add("income_expense_total", row_of("income_expense_total", "subtotal", "expense"))
        add("expense", row_of("expense", "total"), "total")
    elif subject == "财政拨款收入" and not scope:
        add("income", row_of("income", "total"), "fiscal")
    elif subject in _INCOME_SOURCES and not scope:
        key = _INCOME_SOURCES[subject]
        add("income", row_of("income", "total"), key)
        summary = accounts.table("income_expense_total")
        if summary is not None:
            add(
                "income_expense_total",
                next(
                    (r for r in summary.side("income") if r.role == "item" and r.key == key), None
                ),
            )
    elif subject in _EXPENSE_PARTS and not scope:
        add("expense", row_of("expense", "total"), _EXPENSE_PARTS[subject])
    elif subject == "基本支出" and general:
        add("general_budget_expense", row_of("general_budget_expense", "total"), "basic")
    elif subject == "项目支出" and general:
        add("general_budget_expense", row_of("general_budget_expense", "total"), "project")
    elif subject == "人员经费" and general:
        add("general_budget_basic", row_of("general_budget_basic", "personnel_total"))
    elif subject == "公用经费" and general:
        add("general_budget_basic", row_of("general_budget_basic", "public_total"))
    elif subject == "一般公共预算财政拨款支出" and not scope:
        add("general_budget_expense", row_of("general_budget_expense", "total"), "total")
        add("fiscal_total", row_of("fiscal_total", "subtotal", "expense"), "general_budget")
    elif general and class_code(subject) is not None:
        code = class_code(subject)
        gb = accounts.table("general_budget_expense")
        if gb is not None:
            add("general_budget_expense", gb.by_code().get(code or ""), "total")
        fiscal = accounts.table("fiscal_total")
        if fiscal is not None:
            line = next(
                (r for r in fiscal.side("expense") if r.role == "item" and r.code == code), None
            )
            add("fiscal_total", line, "general_budget")
    return out


# -- comparison -----------------------------------------------------------------------------------


def _differs(value: float, decimals: int, factor: float, t_value: float, t_text: str | None,
             t_factor: float) -> bool:  # fmt: skip
    """Whether a copy printed as (value, decimals) in ``factor`` disagrees with a table figure
    (``t_text`` None: a blank, an exact 0)."""
    said = printed(value, decimals).scale(factor / t_factor)  # in the table's unit
    table = printed_text(t_value, t_text) if t_text is not None else exact(t_value)
    if not said.meets(table):
        return True
    t_decimals = decimals_of(t_text) if t_text is not None else decimals
    # one amount rounded twice the same way gives the same digits
    same_print = factor == t_factor and decimals == t_decimals
    return same_print and round(value, decimals) != round(t_value, decimals)


def _table_name(table: AccountsTable) -> str:
    number = TABLE_KINDS.index(table.kind)
    return f"{TABLE_TITLES[table.kind]}（表{_CN_NUM[number]}）"


def _row_name(row: AccountsRow) -> str:
    if row.role == "item" and row.code and not row.code_inferred:
        return f"“{row.code} {row.name}”行"
    return f"“{row.name}”行" if row.name else "对应行"


def _compare(
    out: _Out,
    what: str,
    value: float,
    decimals: int,
    unit: str,
    loc: dict | None,
    lines: Iterable[Target],
) -> None:
    factor = UNIT_FACTORS[unit]
    shown = format_number(value, decimals)
    wrong: list[tuple[AccountsTable, AccountsRow, str, str]] = []
    right: list[str] = []
    for table, row, meaning in lines:
        fig = table_figure(row, meaning, table)
        if fig.unknown:
            continue  # printed, but not a number
        t_shown = fig.text if fig.text is not None else "空白"
        if _differs(value, decimals, factor, fig.value, fig.text, table.factor):
            wrong.append((table, row, meaning, t_shown))
        else:
            right.append(f"{_table_name(table)}为 {t_shown}")
    if not wrong:
        return
    table, row, meaning, t_shown = wrong[0]
    others = "；".join(
        [f"{_table_name(t)}为 {s}" for t, _, _, s in wrong[1:]] + [f"{r}（相符）" for r in right]
    )
    unit_t = table.unit or ""
    message = (
        f"说明称{what}为 {shown} {unit}，{_table_name(table)}{_row_name(row)}为 {t_shown} {unit_t}"
        f"，两者不符" + (f"（{others}）" if others else "")
    )
    cells = [r.cells.get(m) or r.loc for _, r, m, _ in wrong]
    out.add("accounts.statement_amount", "error", message, [loc, *cells], shown, t_shown,
            table.kind)  # fmt: skip


def _what(fig: Figure) -> str:
    subject = fig.subject or fig.label
    scope = fig.scope or ""
    if scope and not subject.startswith(scope) and subject not in ("人员经费", "公用经费"):
        subject = f"{scope}{subject}" if "三公" not in subject else subject
    if fig.period in _BUDGET_PERIODS:
        return f"{subject}年初预算"
    if fig.period == "决算" and "三公" not in subject:
        return f"{subject}决算"
    return subject if fig.period != "决算" else f"{subject}决算"


# -- the checks -----------------------------------------------------------------------------------


def check_statement(accounts: FinalAccounts, figures: list[Figure], out: _Out) -> None:
    """Every 说明-versus-tables finding of one document, added to ``out``."""
    for fig in figures:
        lines = targets(fig, accounts)
        if lines:
            _compare(out, _what(fig), fig.value, fig.decimals, fig.unit or "", fig.loc, lines)
    gb = accounts.table("general_budget_expense")
    for item in accounts.items:
        item = _with_figures(item, figures)
        row = _item_row(gb, item) if gb is not None else None
        if row is not None and item.final is not None and item.unit in UNIT_FACTORS:
            assert gb is not None
            _compare(
                out,
                "“" + "/".join(item.names) + "”的支出决算",
                item.final,
                decimals_of(item.final_text or ""),
                item.unit or "",
                item.final_loc,
                [(gb, row, "total")],
            )
        _reason(item, out)
    _years(accounts, out)
    _names(accounts, out)


def _with_figures(item: ItemStatement, figures: list[Figure]) -> ItemStatement:
    """The passage with the budget and 决算 the narrative read inside its lines, if any.

    The narrative reader puts numbers the text layer printed on a line of their own back
    into their sentence, which a plain search of the passage cannot do.
    """
    inside = [f for f in figures if f.unit in UNIT_FACTORS and _within(f.loc, item.lines)]
    budget = next((f for f in inside if f.period == "年初预算"), None)
    final = next(
        (f for f in inside if f.period == "决算" and (budget is None or f.id > budget.id)), None
    )
    if final is None or (budget is not None and budget.unit != final.unit):
        return item
    changes: dict[str, object] = {
        "final": final.value,
        "final_text": format_number(final.value, final.decimals),
        "unit": final.unit,
        "final_loc": final.loc,
    }
    if budget is not None:
        changes["budget"] = budget.value
        changes["budget_text"] = format_number(budget.value, budget.decimals)
    return item.model_copy(update=changes)


def _within(loc: dict | None, lines: list[tuple[int | None, int, int]]) -> bool:
    if not loc or loc.get("line") is None:
        return False
    page, line = loc.get("page"), loc["line"]
    return any(p == page and first <= line <= last for p, first, last in lines)


def _item_row(table: AccountsTable, item: ItemStatement) -> AccountsRow | None:
    """The 项 row of the 一般公共预算财政拨款支出决算表 that the passage's path names."""
    rows = table.coded()
    key = [_part_key(n) for n in item.names]
    code = class_code(item.names[0])
    parents = [r for r in rows if r.level == 1 and (r.code == code or _part_key(r.name) == key[0])]
    for level, name in ((2, key[1]), (3, key[2])):
        children = [
            r
            for r in rows
            if r.level == level
            and any((r.code or "").startswith(p.code or "-") for p in parents)
            and _part_key(r.name) == name
        ]
        if not children:
            return None
        parents = children
    return parents[0] if len(parents) == 1 else None


def _part_key(name: str) -> str:
    text = compact(tidy_name(name))
    return re.sub(r"[（(](?:类|款|项)[)）]$", "", text)


def _reason(item: ItemStatement, out: _Out) -> None:
    if item.reason or item.budget is None or item.final is None or item.unit not in UNIT_FACTORS:
        return
    decimals = max(decimals_of(item.budget_text or ""), decimals_of(item.final_text or ""))
    if round(item.budget, decimals) == round(item.final, decimals):
        return
    out.add(
        "accounts.statement_reason",
        "warning",
        f"“{'/'.join(item.names)}”的年初预算 {item.budget_text} {item.unit}与支出决算 "
        f"{item.final_text} {item.unit}不同，说明未写明原因",
        [item.loc],
    )


def _years(accounts: FinalAccounts, out: _Out) -> None:
    year = accounts.year
    if year is None:
        return
    for mark in accounts.year_marks:
        if mark.role == "previous":
            if mark.year != year - 1:
                out.add(
                    "accounts.statement_year",
                    "warning",
                    f"说明与 {mark.year} 年度相比，报告年度为 {year}，比较的应为上一年度 {year - 1}"
                    f"：“{mark.text}”",
                    [mark.loc],
                    str(mark.year),
                    str(year - 1),
                )
            continue
        if mark.year == year:
            continue
        where = "截至日期" if mark.role == "asof" else "说明中的年度"
        out.add(
            "accounts.statement_year",
            "error",
            f"{where}为 {mark.year} 年，与报告年度 {year} 不一致：“{mark.text}”",
            [mark.loc],
            str(mark.year),
            str(year),
        )


def _names(accounts: FinalAccounts, out: _Out) -> None:
    entity = compact(accounts.entity or "")
    if not entity:
        return
    for mark in accounts.name_marks:
        name = compact(mark.text)
        if name == entity or name in entity or entity in name or "XX" in name.upper():
            continue
        if _is_class_name(name):
            continue
        out.add(
            "accounts.statement_name",
            "warning",
            f"说明中的单位名称“{name}”与报告的部门名称“{entity}”不一致",
            [mark.loc],
            name,
            entity,
        )


def _is_class_name(name: str) -> bool:
    return any(name.endswith(n) for names in FUNCTION_CLASSES.values() for n in names)
