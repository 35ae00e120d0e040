"""Checks of the 部门决算 tables against themselves and each other: pure functions.

Every figure is compared as printed: ``2,940.05`` stands for [2940.045, 2940.055], a sum of
printed figures for the interval of its possible exact values, and a printed figure
contradicts a computation only when the two intervals do not meet
(:mod:`jixiao.checks.precision`). A blank cell is an exact 0.

Check ids (family ``accounts``):

* ``accounts.template``      info: a blank template; the only finding then.
* ``accounts.missing_table`` error: one of the nine tables is not in the document.
* ``accounts.closure``       error: a table does not close (总计 = 本年合计 + 年初 …,
  收入总计 = 支出总计, 年初 + 收入 − 支出 = 年末, 三公 合计 = 各项之和).
* ``accounts.table_total``   error: the 合计 row ≠ the sum of the 类 rows.
* ``accounts.hierarchy``     error: a 类/款 row ≠ the sum of its 款/项 rows.
* ``accounts.row_sum``       error: a row's 合计 ≠ the sum of its columns.
* ``accounts.cross_table``   error: two tables give different figures for the same thing.
* ``accounts.basic_split``   warning: 人员经费 ≠ 301 + 303, 公用经费 ≠ the other 类.
* ``accounts.empty_note``    warning: an empty table without its 空表说明 (or a note saying
  "no data" under a table with figures).
* ``accounts.placeholder``   error: XX placeholders left in the tables part of a report.
* ``accounts.template_text`` warning: template instructions left in a report.
* ``accounts.heading``       warning: a table heading names another department or year.
* ``accounts.statement_*``   the 说明 against the tables (:mod:`jixiao.accounts.statement_checks`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jixiao.accounts.codes import PERSONNEL_CLASSES, compact, parent_of
from jixiao.accounts.figures import Fig, table_figure
from jixiao.accounts.model import (
    TABLE_TITLES,
    AccountsRow,
    AccountsTable,
    FinalAccounts,
    meaning_name,
)
from jixiao.accounts.statement_checks import STATEMENT_CHECKS, check_statement
from jixiao.checks.precision import contradicts, total
from jixiao.numbers import clean_float, decimals_of, format_number

if TYPE_CHECKING:
    from jixiao.model import Figure

__all__ = ["CHECK_INFO", "AccountsFinding", "check_accounts"]

# id -> (severity, title, explanation): what registering them as audit checks needs
CHECK_INFO: dict[str, tuple[str, str, str]] = {
    "accounts.template": (
        "info",
        "空白决算模板",
        "九张决算表只有表样、没有数字（常伴有 XX 占位符）：这是空白模板，不逐项核对。",
    ),
    "accounts.missing_table": (
        "error",
        "决算表缺失",
        "部门决算应公开九张表（收入支出决算总表至国有资本经营预算财政拨款收入支出决算表），"
        "无数据的表也应保留表样并加以说明。",
    ),
    "accounts.closure": (
        "error",
        "决算表不平衡",
        "表内勾稽：总计 = 本年合计 + 年初结转 + 使用非财政拨款结余；支出总计 = 本年支出合计 + "
        "结余分配 + 年末结转；收入总计 = 支出总计；年初 + 收入 − 支出 = 年末；“三公”合计 = "
        "因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费（预算数、决算数分别核对）。",
    ),
    "accounts.table_total": (
        "error",
        "合计行与各类之和不符",
        "合计行的每一列应等于各“类”科目该列之和（按印刷精度比较）。",
    ),
    "accounts.hierarchy": (
        "error",
        "科目层级不平衡",
        "“类”应等于其下各“款”之和，“款”应等于其下各“项”之和（功能分类 3/5/7 位、经济分类 "
        "3/5 位编码）。",
    ),
    "accounts.row_sum": (
        "error",
        "行合计与各列之和不符",
        "每行的合计应等于其组成列之和：收入 = 财政拨款 + 上级补助 + 事业 + 经营 + 附属单位上缴 + "
        "其他；支出 = 基本支出 + 项目支出 + 上缴上级 + 经营 + 对附属单位补助；财政拨款支出 = "
        "一般公共预算 + 政府性基金 + 国有资本经营。",
    ),
    "accounts.cross_table": (
        "error",
        "决算表之间不一致",
        "同一数字在不同表中应相同：总表的各项收入与收入决算表、各类支出与支出决算表；财政拨款总表"
        "与一般公共预算财政拨款支出表、基本支出表（基本支出 = 人员经费 + 公用经费）及两张基金表。",
    ),
    "accounts.basic_split": (
        "warning",
        "人员经费与公用经费口径",
        "人员经费合计通常等于工资福利支出（301）与对个人和家庭的补助（303）之和，公用经费合计"
        "等于其余各类之和；不符时请核对口径。",
    ),
    "accounts.empty_note": (
        "warning",
        "空表未说明",
        "没有数据的政府性基金、国有资本经营、“三公”经费表应保留表样，并在表下说明无数据的原因；"
        "填有数字的表不应再写“本表无数据”。",
    ),
    "accounts.placeholder": (
        "error",
        "留有模板占位符",
        "决算表部分的标题、表头或说明中仍有 XX 之类的模板占位符。",
    ),
    "accounts.template_text": (
        "warning",
        "留有模板填写说明",
        "模板中给填报人看的说明（如“仍保留该表格式，并在本表下方作下述说明”）未删除。",
    ),
    "accounts.heading": (
        "warning",
        "表头单位或年度不符",
        "决算表标题中的单位名称、年度应与报告的部门名称、年度一致。",
    ),
}
CHECK_INFO.update(STATEMENT_CHECKS)

Loc = dict


@dataclass
class AccountsFinding:
    id: str  # accounts.<name>
    severity: str  # error | warning | info
    message: str  # Chinese, names both numbers
    locs: list[Loc] = field(default_factory=list)  # the reported value first, then the others
    reported: str | None = None
    expected: str | None = None
    table: str | None = None  # the table kind of the reported value

    @property
    def loc(self) -> Loc | None:
        return self.locs[0] if self.locs else None


def _sum_text(figs: list[Fig], signs: list[int] | None = None, factor: float = 1.0) -> str:
    """The exact sum of printed figures, printed like them (decimals, thousands commas)."""
    signs = signs or [1] * len(figs)
    value = clean_float(
        sum(s * f.value * f.factor / factor for f, s in zip(figs, signs, strict=True))
    )
    decimals = max((decimals_of(f.text) for f in figs if f.text), default=2)
    commas = any("," in (f.text or "") for f in figs)
    return _fmt(value, decimals, commas)


def _fmt(value: float, decimals: int, commas: bool) -> str:
    text = format_number(value, decimals)
    if not commas:
        return text
    sign = "-" if text.startswith("-") else ""
    whole, dot, frac = text.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}{dot}{frac}"


def _contradicts(reported: Fig, parts: list[Fig], signs: list[int] | None = None) -> bool:
    signs = signs or [1] * len(parts)
    factor = reported.factor
    spans = [f.span.scale(f.factor / factor * s) for f, s in zip(parts, signs, strict=True)]
    return contradicts(reported.span, total(spans))


def _unit(table: AccountsTable) -> str:
    return table.unit or ""


def _row_label(row: AccountsRow) -> str:
    if row.code and not row.code_inferred:
        return f"“{row.code} {row.name}”" if row.name else f"“{row.code}”"
    return f"“{row.name}”" if row.name else "“（无名称）”"


def _title(table: AccountsTable) -> str:
    return TABLE_TITLES[table.kind]


class _Out:
    def __init__(self) -> None:
        self.items: list[AccountsFinding] = []
        self._seen: set[tuple] = set()

    def add(
        self,
        id: str,
        severity: str,
        message: str,
        locs: Iterable[Loc | None],
        reported: str | None = None,
        expected: str | None = None,
        table: str | None = None,
    ) -> None:
        clean = [loc for loc in locs if loc]
        key = (id, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.items.append(AccountsFinding(id, severity, message, clean, reported, expected, table))

    def compare(
        self,
        id: str,
        table: AccountsTable,
        reported: Fig,
        parts: list[Fig],
        what: str,
        against: str,
        signs: list[int] | None = None,
        severity: str = "error",
    ) -> bool:
        """A finding when ``reported`` cannot be the sum of ``parts``; True if one was made."""
        if reported.text is None and all(p.text is None for p in parts):
            return False
        if reported.unknown or any(p.unknown for p in parts):
            return False
        if not _contradicts(reported, parts, signs):
            return False
        unit = _unit(table)
        expected = _sum_text(parts, signs, reported.factor)
        self.add(
            id,
            severity,
            f"{_title(table)}{what}为 {reported.shown(unit)}，{against}为 {expected} {unit}，两者不符",
            [reported.loc, *(p.loc for p in parts)],
            reported.text or "0",
            expected,
            table.kind,
        )
        return True


# -- the checks ----------------------------------------------------------------------------------


def check_accounts(
    accounts: FinalAccounts, figures: Sequence[Figure] = ()
) -> list[AccountsFinding]:
    """Every finding on one document's 部门决算 tables, in a stable order.

    ``figures`` are the report's narrative figures: the 说明's amounts are compared with the
    table lines they name (:mod:`jixiao.accounts.statement_checks`).
    """
    out = _Out()
    if accounts.is_template:
        n = len(accounts.tables)
        extra = (
            f"，文中有 {accounts.placeholder_count} 处 XX 占位符"
            if accounts.placeholder_count
            else ""
        )
        first = accounts.tables[0] if accounts.tables else None
        out.add(
            "accounts.template",
            "info",
            f"这是空白的部门决算模板：识别到 {n} 张决算表，均未填写数字{extra}，不作逐项核对",
            [first.loc if first else None],
        )
        return out.items
    _missing(accounts, out)
    for table in accounts.tables:
        _hierarchy(table, out)
        _row_sums(table, out)
        _closure(table, out)
    _basic_split(accounts, out)
    _cross_tables(accounts, out)
    _empty_notes(accounts, out)
    _texts(accounts, out)
    check_statement(accounts, list(figures), out)
    return out.items


def _missing(accounts: FinalAccounts, out: _Out) -> None:
    if len(accounts.tables) < 3:
        return  # not a 部门决算 disclosure: a document quoting one table
    order = list(TABLE_TITLES)
    for kind in accounts.missing():
        # point at the table it should follow (or the first one)
        before = [t for t in accounts.tables if order.index(t.kind) < order.index(kind)]
        near = before[-1] if before else accounts.tables[0]
        out.add(
            "accounts.missing_table",
            "error",
            f"未找到{TABLE_TITLES[kind]}：部门决算应公开九张表，已识别 {len(accounts.tables)} 张"
            f"（应在{TABLE_TITLES[near.kind]}{'之后' if before else '之前'}）",
            [near.loc],
            table=kind,
        )


def _hierarchy(table: AccountsTable, out: _Out) -> None:
    rows = [r for r in table.coded() if not r.code_inferred]
    if not rows:
        return
    codes = {r.code: r for r in rows}
    children: dict[str, list[AccountsRow]] = {}
    for r in rows:
        parent = parent_of(r.code or "")
        if parent is not None and parent in codes:
            children.setdefault(parent, []).append(r)
    economic = table.kind == "general_budget_basic"
    level_word = {1: "款", 2: "项"} if not economic else {1: "款", 2: "款"}
    for code, kids in children.items():
        parent = codes[code]
        for meaning in table.columns:
            out.compare(
                "accounts.hierarchy",
                table,
                table_figure(parent, meaning, table),
                [table_figure(k, meaning, table) for k in kids],
                f"{_row_label(parent)}的{meaning_name(meaning)}",
                f"其下各{level_word.get(parent.level or 1, '')}之和",
            )
    total_row = table.with_role("total")
    if total_row is None:
        return
    top = min((r.level or 9) for r in rows)
    firsts = [r for r in rows if (r.level or 9) == top]
    for meaning in table.columns:
        out.compare(
            "accounts.table_total",
            table,
            table_figure(total_row, meaning, table),
            [table_figure(r, meaning, table) for r in firsts],
            f"合计行的{meaning_name(meaning)}",
            "各类之和" if top == 1 else "各行之和",
        )


# a row's total column and the columns it is the sum of, by table
_ROW_SUMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "income": (
        "total",
        ("fiscal", "superior_subsidy", "business", "operating", "affiliated", "other"),
    ),
    "expense": (
        "total",
        ("basic", "project", "remit_superior", "operating_expense", "affiliated_subsidy"),
    ),
    "general_budget_expense": ("total", ("basic", "project")),
    "gov_fund": ("expense", ("basic", "project")),
    "state_capital": ("expense", ("basic", "project")),
    "fiscal_total": ("total", ("general_budget", "gov_fund", "state_capital")),
}


def _row_sums(table: AccountsTable, out: _Out) -> None:
    rule = _ROW_SUMS.get(table.kind)
    if rule is None:
        return
    whole, parts = rule
    parts = tuple(p for p in parts if p in table.columns)
    if table.kind == "income" and "fiscal" not in table.columns:
        parts += tuple(
            p for p in ("general_budget", "gov_fund", "state_capital") if p in table.columns
        )
    if whole not in table.columns or len(parts) < 2:
        return
    for row in table.rows:
        if table.kind == "fiscal_total" and row.side != "expense":
            continue
        if not row.has_figures():
            continue
        names = "、".join(meaning_name(p) for p in parts)
        out.compare(
            "accounts.row_sum",
            table,
            table_figure(row, whole, table),
            [table_figure(row, p, table) for p in parts],
            f"{_row_label(row)}的{meaning_name(whole)}",
            f"{names}之和",
        )


def _main(table: AccountsTable, row: AccountsRow | None) -> str:
    if row is not None:
        for meaning in ("final", "total"):
            if meaning in row.values:
                return meaning
        if row.values:
            return next(iter(row.values))
    return "final" if "final" in table.columns else "total"


def _closure(table: AccountsTable, out: _Out) -> None:
    if table.kind in ("income_expense_total", "fiscal_total"):
        _closure_summary(table, out)
    elif table.kind in ("gov_fund", "state_capital"):
        for row in table.rows:
            if not row.has_figures() or "final_carryover" not in row.values:
                continue
            out.compare(
                "accounts.closure",
                table,
                table_figure(row, "final_carryover", table),
                [table_figure(row, m, table) for m in ("initial_carryover", "income", "expense")],
                f"{_row_label(row)}的年末结转和结余",
                "年初结转和结余 + 本年收入 − 本年支出",
                signs=[1, 1, -1],
            )
    elif table.kind == "three_public":
        for row in table.rows:
            for dim in ("budget", "final"):
                _three_public(table, row, dim, out)


def _three_public(table: AccountsTable, row: AccountsRow, dim: str, out: _Out) -> None:
    def has(group: str) -> bool:
        return f"{group}.{dim}" in row.values

    def fig(group: str) -> Fig:
        return table_figure(row, f"{group}.{dim}", table)

    word = "预算数" if dim == "budget" else "决算数"
    if has("vehicle") and has("vehicle_purchase") and has("vehicle_operation"):
        out.compare(
            "accounts.closure",
            table,
            fig("vehicle"),
            [fig("vehicle_purchase"), fig("vehicle_operation")],
            f"公务用车购置及运行维护费{word}",
            "购置费与运行维护费之和",
        )
    if not has("total"):
        return
    if has("vehicle"):
        groups = ["abroad", "vehicle", "reception"]
    else:
        groups = ["abroad", "vehicle_purchase", "vehicle_operation", "reception"]
    groups = [g for g in groups if has(g)]
    if len(groups) < 2:
        return
    out.compare(
        "accounts.closure",
        table,
        fig("total"),
        [fig(g) for g in groups],
        f"“三公”经费合计{word}",
        "因公出国（境）费、公务用车购置及运行维护费、公务接待费之和",
    )


def _closure_summary(table: AccountsTable, out: _Out) -> None:
    inc_rows = table.side("income")
    exp_rows = table.side("expense")
    inc_total = table.with_role("total", "income")
    exp_total = table.with_role("total", "expense")
    # income side
    inc_sub = table.with_role("subtotal", "income")
    inc_items = [r for r in inc_rows if r.role == "item"]
    m_inc = _main(table, inc_sub or inc_total)
    if inc_sub is not None and inc_items:
        out.compare(
            "accounts.closure",
            table,
            table_figure(inc_sub, m_inc, table),
            [table_figure(r, m_inc, table) for r in inc_items],
            "本年收入合计",
            "各项收入之和",
        )
    initial = table.with_role("initial_carryover", "income")
    parts = [r for r in inc_rows if r.role == "carryover_part"]
    if initial is not None and parts and any(p.has_figures() for p in parts):
        out.compare(
            "accounts.closure",
            table,
            table_figure(initial, m_inc, table),
            [table_figure(r, m_inc, table) for r in parts],
            f"{_row_label(initial)}",
            "其下各项之和",
        )
    if inc_total is not None and inc_sub is not None:
        extra = [r for r in inc_rows if r.role in ("initial_carryover", "nonfiscal_balance")]
        out.compare(
            "accounts.closure",
            table,
            table_figure(inc_total, m_inc, table),
            [table_figure(inc_sub, m_inc, table), *(table_figure(r, m_inc, table) for r in extra)],
            "收入总计",
            "本年收入合计与" + "、".join(r.name for r in extra) + "之和"
            if extra
            else "本年收入合计",
        )
    # expense side, every column
    exp_sub = table.with_role("subtotal", "expense")
    exp_items = [r for r in exp_rows if r.role == "item"]
    columns = [m for m in table.columns if exp_rows and any(m in r.values for r in exp_rows)]
    for meaning in columns:
        col = "" if meaning in ("final", "total") else f"（{meaning_name(meaning)}）"
        if exp_sub is not None and exp_items:
            out.compare(
                "accounts.closure",
                table,
                table_figure(exp_sub, meaning, table),
                [table_figure(r, meaning, table) for r in exp_items],
                f"本年支出合计{col}",
                "各类支出之和",
            )
        if exp_total is not None and exp_sub is not None:
            extra = [r for r in exp_rows if r.role in ("final_carryover", "balance_distribution")]
            out.compare(
                "accounts.closure",
                table,
                table_figure(exp_total, meaning, table),
                [
                    table_figure(exp_sub, meaning, table),
                    *(table_figure(r, meaning, table) for r in extra),
                ],
                f"支出总计{col}",
                "本年支出合计与" + "、".join(r.name for r in extra) + "之和"
                if extra
                else "本年支出合计",
            )
    if inc_total is not None and exp_total is not None:
        m_exp = _main(table, exp_total)
        out.compare(
            "accounts.closure",
            table,
            table_figure(exp_total, m_exp, table),
            [table_figure(inc_total, m_inc, table)],
            "支出总计",
            "收入总计",
        )
    if table.kind == "fiscal_total":
        _fund_balance(table, out)


def _fund_balance(table: AccountsTable, out: _Out) -> None:
    """Per fund: 本年收入 + 年初结转 = 本年支出 + 年末结转 (一般公共预算 / 政府性基金 / 国有资本)."""
    parts = {r.key: r for r in table.side("income") if r.role == "carryover_part" and r.key}
    items = {r.key: r for r in table.side("income") if r.role == "item" and r.key}
    exp_sub = table.with_role("subtotal", "expense")
    end = table.with_role("final_carryover", "expense")
    m_inc = _main(table, table.with_role("subtotal", "income"))
    if exp_sub is None or not parts:
        return
    for key in ("general_budget", "gov_fund", "state_capital"):
        if key not in table.columns or key not in items:
            continue
        figs = [table_figure(items[key], m_inc, table), table_figure(parts.get(key), m_inc, table)]
        reported = table_figure(exp_sub, key, table)
        ending = table_figure(end, key, table)
        if all(f.text is None for f in (*figs, reported, ending)):
            continue
        out.compare(
            "accounts.closure",
            table,
            reported,
            [*figs, ending],
            f"本年支出合计（{meaning_name(key)}）",
            f"{meaning_name(key)}本年收入 + 年初结转和结余 − 年末结转和结余",
            signs=[1, 1, -1],
        )


def _basic_split(accounts: FinalAccounts, out: _Out) -> None:
    table = accounts.table("general_budget_basic")
    if table is None:
        return
    meaning = "final" if "final" in table.columns else (table.columns[0] if table.columns else None)
    if meaning is None:
        return
    classes = [r for r in table.coded() if r.level == 1]
    if not classes:
        return
    personnel = table.with_role("personnel_total")
    public = table.with_role("public_total")
    if personnel is not None:
        out.compare(
            "accounts.basic_split",
            table,
            table_figure(personnel, meaning, table),
            [table_figure(r, meaning, table) for r in classes if r.code in PERSONNEL_CLASSES],
            "人员经费合计",
            "工资福利支出（301）与对个人和家庭的补助（303）之和",
            severity="warning",
        )
    if public is not None:
        others = [r for r in classes if r.code not in PERSONNEL_CLASSES]
        names = "、".join(f"{r.name}（{r.code}）" for r in others) or "其他各类"
        out.compare(
            "accounts.basic_split",
            table,
            table_figure(public, meaning, table),
            [table_figure(r, meaning, table) for r in others],
            "公用经费合计",
            f"{names}之和",
            severity="warning",
        )


# -- across tables ----------------------------------------------------------------------------------


def _total_of(table: AccountsTable, meaning: str) -> tuple[Fig | None, str]:
    """A table's total of one column: its 合计 row, else the sum of its 类 rows."""
    row = table.with_role("total")
    if row is not None:
        return table_figure(row, meaning, table), "合计行"
    firsts = [r for r in table.coded() if r.level == 1 and not r.code_inferred]
    if not firsts:
        return None, ""
    figs = [table_figure(r, meaning, table) for r in firsts]
    merged = Fig(
        clean_float(sum(f.value for f in figs)),
        None if all(f.text is None for f in figs) else _sum_text(figs),
        figs[0].loc,
        table.factor,
        unknown=any(f.unknown for f in figs),
    )
    return merged, "各类之和"


def _cross(
    out: _Out,
    a_table: AccountsTable,
    a: Fig,
    a_what: str,
    b_table: AccountsTable,
    b: Fig,
    b_what: str,
) -> None:
    if (a.text is None and b.text is None) or a.unknown or b.unknown:
        return
    if not _contradicts(a, [b]):
        return
    b_value = _fmt(
        clean_float(b.value * b.factor / a.factor),
        decimals_of(b.text or "0.00") or 2,
        "," in (b.text or ""),
    )
    out.add(
        "accounts.cross_table",
        "error",
        f"{_title(a_table)}{a_what}为 {a.shown(_unit(a_table))}，"
        f"{_title(b_table)}{b_what}为 {b.shown(_unit(b_table))}，两表不一致",
        [a.loc, b.loc],
        a.text or "0",
        b_value if b.text is not None else "0",
        a_table.kind,
    )


def _sum_fig(figs: list[Fig]) -> Fig:
    texts = [f for f in figs if f.text is not None]
    factor = figs[0].factor if figs else 1.0
    if not texts:
        return Fig(0.0, None, figs[0].loc if figs else None, factor)
    # several printed figures: keep the widest precision by summing their spans later
    return Fig(
        clean_float(sum(f.value for f in figs)),
        _sum_text(figs, factor=factor),
        texts[0].loc,
        factor,
    )


def _cross_sum(
    out: _Out,
    a_table: AccountsTable,
    parts: list[Fig],
    a_what: str,
    b_table: AccountsTable,
    b: Fig,
    b_what: str,
) -> None:
    """A sum of figures of one table against one figure of another."""
    if (all(p.text is None for p in parts) and b.text is None) or b.unknown:
        return
    if any(p.unknown for p in parts):
        return
    if not _contradicts(b, parts):
        return
    if len(parts) == 1:
        _cross(out, a_table, parts[0], a_what, b_table, b, b_what)
        return
    summed = _sum_fig(parts)
    out.add(
        "accounts.cross_table",
        "error",
        f"{_title(a_table)}{a_what}为 {summed.shown(_unit(a_table))}，"
        f"{_title(b_table)}{b_what}为 {b.shown(_unit(b_table))}，两表不一致",
        [summed.loc, b.loc, *(p.loc for p in parts[1:])],
        summed.text or "0",
        b.text or "0",
        a_table.kind,
    )


def _cross_tables(accounts: FinalAccounts, out: _Out) -> None:
    total_t = accounts.table("income_expense_total")
    income_t = accounts.table("income")
    expense_t = accounts.table("expense")
    fiscal_t = accounts.table("fiscal_total")
    gb_t = accounts.table("general_budget_expense")
    basic_t = accounts.table("general_budget_basic")

    if total_t is not None and income_t is not None:
        _summary_income_vs_income(total_t, income_t, out)
    if total_t is not None and expense_t is not None:
        _summary_classes(
            total_t,
            _main(total_t, total_t.with_role("subtotal", "expense")),
            expense_t,
            "total",
            out,
        )
    if fiscal_t is not None and gb_t is not None:
        meaning = "general_budget" if "general_budget" in fiscal_t.columns else "total"
        _summary_classes(fiscal_t, meaning, gb_t, "total", out)
    if fiscal_t is not None and income_t is not None and "fiscal" in income_t.columns:
        sub = fiscal_t.with_role("subtotal", "income")
        fig, where = _total_of(income_t, "fiscal")
        if sub is not None and fig is not None:
            _cross(
                out, fiscal_t, table_figure(sub, _main(fiscal_t, sub), fiscal_t), "本年收入合计",
                income_t, fig, f"{where}的财政拨款收入",
            )  # fmt: skip
    if total_t is not None and fiscal_t is not None:
        a_items = {r.key: r for r in total_t.side("income") if r.role == "item" and r.key}
        b_items = {r.key: r for r in fiscal_t.side("income") if r.role == "item" and r.key}
        for key in ("general_budget", "gov_fund", "state_capital"):
            if key in a_items and key in b_items:
                a_row, b_row = a_items[key], b_items[key]
                _cross(
                    out, total_t, table_figure(a_row, _main(total_t, a_row), total_t), _row_label(a_row),
                    fiscal_t, table_figure(b_row, _main(fiscal_t, b_row), fiscal_t), _row_label(b_row),
                )  # fmt: skip
    if gb_t is not None and basic_t is not None:
        basic, where = _total_of(gb_t, "basic")
        people = basic_t.with_role("personnel_total")
        public = basic_t.with_role("public_total")
        m = (
            "final"
            if "final" in basic_t.columns
            else (basic_t.columns[0] if basic_t.columns else "final")
        )
        if basic is not None and (people is not None or public is not None):
            parts = [table_figure(r, m, basic_t) for r in (people, public) if r is not None]
            _cross_sum(
                out, basic_t, parts, "人员经费与公用经费合计之和",
                gb_t, basic, f"{where}的基本支出",
            )  # fmt: skip
    if fiscal_t is not None:
        for kind in ("gov_fund", "state_capital"):
            fund_t = accounts.table(kind)
            if fund_t is None or kind not in fiscal_t.columns:
                continue
            inc_row = next(
                (r for r in fiscal_t.side("income") if r.role == "item" and r.key == kind), None
            )
            if inc_row is not None and "income" in fund_t.columns:
                fig, where = _total_of(fund_t, "income")
                if fig is not None:
                    _cross(
                        out, fiscal_t, table_figure(inc_row, _main(fiscal_t, inc_row), fiscal_t),
                        _row_label(inc_row), fund_t, fig, f"{where}的本年收入",
                    )  # fmt: skip
            sub = fiscal_t.with_role("subtotal", "expense")
            if sub is not None and "expense" in fund_t.columns:
                fig, where = _total_of(fund_t, "expense")
                if fig is not None:
                    _cross(
                        out, fiscal_t, table_figure(sub, kind, fiscal_t),
                        f"本年支出合计（{meaning_name(kind)}）", fund_t, fig, f"{where}的本年支出",
                    )  # fmt: skip


def _summary_income_vs_income(total_t: AccountsTable, income_t: AccountsTable, out: _Out) -> None:
    items = {r.key: r for r in total_t.side("income") if r.role == "item" and r.key}
    if "fiscal" in income_t.columns:
        fiscal_keys = [k for k in ("general_budget", "gov_fund", "state_capital") if k in items]
        if fiscal_keys:
            fig, where = _total_of(income_t, "fiscal")
            if fig is not None:
                parts = [
                    table_figure(items[k], _main(total_t, items[k]), total_t) for k in fiscal_keys
                ]
                _cross_sum(
                    out, total_t, parts, "各项财政拨款收入之和",
                    income_t, fig, f"{where}的财政拨款收入",
                )  # fmt: skip
    keys = ["superior_subsidy", "business", "operating", "affiliated", "other"]
    if "fiscal" not in income_t.columns:
        keys = ["general_budget", "gov_fund", "state_capital", *keys]
    for key in keys:
        if key not in items or key not in income_t.columns:
            continue
        fig, where = _total_of(income_t, key)
        if fig is None:
            continue
        row = items[key]
        _cross(
            out, total_t, table_figure(row, _main(total_t, row), total_t), _row_label(row),
            income_t, fig, f"{where}的{meaning_name(key)}",
        )  # fmt: skip
    sub = total_t.with_role("subtotal", "income")
    fig, where = _total_of(income_t, "total")
    if sub is not None and fig is not None and "total" in income_t.columns:
        _cross(
            out, total_t, table_figure(sub, _main(total_t, sub), total_t), "本年收入合计",
            income_t, fig, f"{where}的本年收入合计",
        )  # fmt: skip


def _norm_name(name: str) -> str:
    return re.sub(r"[（(]\s*类\s*[)）]", "", compact(name))


def _summary_classes(
    summary: AccountsTable, meaning: str, coded: AccountsTable, coded_meaning: str, out: _Out
) -> None:
    """The 类 lines of a summary table against the 类 rows of a coded table, and the totals."""
    if coded_meaning not in coded.columns:
        return
    lines = [r for r in summary.side("expense") if r.role == "item"]
    classes = [r for r in coded.coded() if r.level == 1 and not r.code_inferred]
    by_code = {r.code: r for r in lines if r.code}
    by_name = {_norm_name(r.name): r for r in lines}
    matched: set[int] = set()
    for row in classes:
        line = by_code.get(row.code) or by_name.get(_norm_name(row.name))
        if line is None:
            continue
        matched.add(id(line))
        _cross(
            out, summary, table_figure(line, meaning, summary), f"{_row_label(line)}",
            coded, table_figure(row, coded_meaning, coded), f"{_row_label(row)}的{meaning_name(coded_meaning)}",
        )  # fmt: skip
    if classes:
        for line in lines:
            if id(line) in matched or line.values.get(meaning) in (None, 0.0):
                continue
            _cross(
                out, summary, table_figure(line, meaning, summary), f"{_row_label(line)}",
                coded, Fig(0.0, None, coded.loc, coded.factor), "未列该类（视为 0）",
            )  # fmt: skip
    sub = summary.with_role("subtotal", "expense")
    fig, where = _total_of(coded, coded_meaning)
    if sub is not None and fig is not None:
        col = "" if meaning in ("final", "total") else f"（{meaning_name(meaning)}）"
        _cross(
            out, summary, table_figure(sub, meaning, summary), f"本年支出合计{col}",
            coded, fig, f"{where}的{meaning_name(coded_meaning)}",
        )  # fmt: skip


# -- empty tables and texts -------------------------------------------------------------------------


def _empty_notes(accounts: FinalAccounts, out: _Out) -> None:
    for table in accounts.tables:
        if table.kind not in ("gov_fund", "state_capital", "three_public"):
            continue
        if not table.has_figures() and table.empty_note is None:
            out.add(
                "accounts.empty_note",
                "warning",
                f"{_title(table)}没有数字，表下也没有说明本表无数据的原因（空表应附说明）",
                [table.title_loc or table.loc],
                table=table.kind,
            )
        elif table.has_figures() and table.empty_note is not None:
            nonzero = any(v for r in table.rows for v in r.values.values() if v)
            if nonzero:
                out.add(
                    "accounts.empty_note",
                    "warning",
                    f"{_title(table)}填有数字，表下说明却称“{table.empty_note}”",
                    [table.empty_note_loc or table.loc],
                    table=table.kind,
                )


_ENTITY_IN_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分\s*)?(.{2,40}?)\s*(?:((?:19|20)\d{2})\s*)?年度?\s*部门决算"
)


def _texts(accounts: FinalAccounts, out: _Out) -> None:
    from jixiao.accounts.recognize import PLACEHOLDER

    for mark in accounts.placeholders:
        out.add(
            "accounts.placeholder",
            "error",
            f"决算表部分留有模板占位符“{PLACEHOLDER.search(mark.text).group()}”：“{mark.text}”",  # type: ignore[union-attr]
            [mark.loc],
        )
    for mark in accounts.template_text:
        out.add(
            "accounts.template_text",
            "warning",
            f"决算表部分留有模板的填写说明：“{mark.text}”",
            [mark.loc],
        )
    entity = compact(accounts.entity or "")
    for mark in accounts.headings:
        if PLACEHOLDER.search(mark.text):
            continue
        m = _ENTITY_IN_HEADING.search(compact(mark.text))
        if m is None:
            continue
        name, year = compact(m.group(1)), m.group(2)
        name = re.sub(r"(?:19|20)\d{2}$", "", name)
        if not re.search(r"[\u4e00-\u9fff]", name):
            name = ""
        if entity and name and name != entity and name not in entity:
            out.add(
                "accounts.heading",
                "warning",
                f"决算表标题中的单位名称“{name}”与报告的部门名称“{entity}”不一致",
                [mark.loc],
            )
        if year and accounts.year and int(year) != accounts.year:
            out.add(
                "accounts.heading",
                "warning",
                f"决算表标题中的年度 {year} 与报告年度 {accounts.year} 不一致",
                [mark.loc],
            )
