"""The 部门决算 tables as a typed model: nine tables, rows by code and columns by meaning.

Checks speak of meanings (``basic``, ``project``, ``final`` …), never of cell positions;
every row and every value keeps the location it was read from (``loc``, ``cells``) and the
text exactly as printed (``printed``), from which the precision of each figure is read.

Column meanings (``AccountsTable.columns`` and the keys of ``AccountsRow.values``):

=====================  =====================================================================
``final``               决算数 (the two summary tables, 基本支出表)
``total``               合计 / 本年收入合计 / 本年支出合计 / 小计
``fiscal``              财政拨款收入 (收入决算表)
``superior_subsidy``    上级补助收入; ``business`` 事业收入; ``operating`` 经营收入;
                        ``affiliated`` 附属单位上缴收入; ``other`` 其他收入
``basic``/``project``   基本支出 / 项目支出
``remit_superior``      上缴上级支出; ``operating_expense`` 经营支出;
                        ``affiliated_subsidy`` 对附属单位补助支出
``general_budget``      一般公共预算财政拨款; ``gov_fund`` 政府性基金预算财政拨款;
                        ``state_capital`` 国有资本经营预算财政拨款 (财政拨款总表 支出 side)
``initial_carryover``   年初结转和结余; ``income`` 本年收入; ``expense`` 本年支出（小计）;
                        ``final_carryover`` 年末结转和结余 (政府性基金 / 国有资本 tables)
``<group>.<budget|final>``  三公 table: group ``total`` 合计, ``abroad`` 因公出国（境）费,
                        ``vehicle`` 公务用车购置及运行（维护）费, ``vehicle_purchase`` 购置费,
                        ``vehicle_operation`` 运行（维护）费, ``reception`` 公务接待费
=====================  =====================================================================

Row roles (``AccountsRow.role``): ``item`` (a coded line, or a line of a summary table),
``total`` (合计 / 总计), ``subtotal`` (本年收入合计 / 本年支出合计), ``initial_carryover``,
``final_carryover``, ``nonfiscal_balance`` (使用非财政拨款结余), ``balance_distribution``
(结余分配), ``carryover_part`` (the 一般公共预算 / 政府性基金 / 国有资本 lines under 年初财政拨款
结转和结余), ``personnel_total`` (人员经费合计), ``public_total`` (公用经费合计).
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, Field

from jixiao.numbers import MONEY_FACTORS

TableKind = Literal[
    "income_expense_total",
    "income",
    "expense",
    "fiscal_total",
    "general_budget_expense",
    "general_budget_basic",
    "three_public",
    "gov_fund",
    "state_capital",
]

# In the order of the national template (表一 … 表九).
TABLE_KINDS: tuple[TableKind, ...] = get_args(TableKind)

TABLE_TITLES: dict[str, str] = {
    "income_expense_total": "收入支出决算总表",
    "income": "收入决算表",
    "expense": "支出决算表",
    "fiscal_total": "财政拨款收入支出决算总表",
    "general_budget_expense": "一般公共预算财政拨款支出决算表",
    "general_budget_basic": "一般公共预算财政拨款基本支出决算表",
    "three_public": "财政拨款“三公”经费支出决算表",
    "gov_fund": "政府性基金预算财政拨款收入支出决算表",
    "state_capital": "国有资本经营预算财政拨款收入支出决算表",
}

MEANING_NAMES: dict[str, str] = {
    "final": "决算数",
    "budget": "预算数",
    "total": "合计",
    "fiscal": "财政拨款收入",
    "superior_subsidy": "上级补助收入",
    "business": "事业收入",
    "operating": "经营收入",
    "affiliated": "附属单位上缴收入",
    "other": "其他收入",
    "basic": "基本支出",
    "project": "项目支出",
    "remit_superior": "上缴上级支出",
    "operating_expense": "经营支出",
    "affiliated_subsidy": "对附属单位补助支出",
    "general_budget": "一般公共预算财政拨款",
    "gov_fund": "政府性基金预算财政拨款",
    "state_capital": "国有资本经营预算财政拨款",
    "initial_carryover": "年初结转和结余",
    "income": "本年收入",
    "expense": "本年支出",
    "final_carryover": "年末结转和结余",
}
THREE_PUBLIC_GROUPS: dict[str, str] = {
    "total": "合计",
    "abroad": "因公出国（境）费",
    "vehicle": "公务用车购置及运行维护费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
    "reception": "公务接待费",
}

UNIT_FACTORS: dict[str, float] = MONEY_FACTORS

LocDict = dict[str, Any]


def meaning_name(meaning: str) -> str:
    """``'basic'`` → 基本支出; ``'abroad.final'`` → 因公出国（境）费决算数."""
    group, _, dim = meaning.partition(".")
    if dim:
        return THREE_PUBLIC_GROUPS.get(group, group) + MEANING_NAMES.get(dim, dim)
    return MEANING_NAMES.get(meaning, meaning)


class AccountsRow(BaseModel):
    code: str | None = None  # 功能分类 (3/5/7 digits) or 经济分类 (3/5 digits)
    level: int | None = None  # 1 类, 2 款, 3 项
    name: str = ""
    values: dict[str, float | None] = Field(default_factory=dict)  # None: printed empty
    printed: dict[str, str] = Field(default_factory=dict)
    loc: LocDict | None = None  # the row's label cell
    cells: dict[str, LocDict] = Field(default_factory=dict)  # meaning -> value cell
    side: str | None = None  # 'income' / 'expense' in the two-sided summary tables
    role: str = "item"
    key: str | None = None  # which income source a summary line is (general_budget, other …)
    code_inferred: bool = False  # code given back from the 类 name (summary tables)

    def has_figures(self) -> bool:
        return any(v is not None for v in self.values.values())


class AccountsTable(BaseModel):
    kind: TableKind
    title: str | None = None
    unit: str | None = None  # '万元', '元' … as printed on the unit line
    columns: list[str] = Field(default_factory=list)  # meanings, in printed order
    rows: list[AccountsRow] = Field(default_factory=list)
    empty_note: str | None = None  # 本表无数据 / 空表 说明 under the table
    notes: list[str] = Field(default_factory=list)  # every 注 / 说明 line under the table
    loc: LocDict | None = None
    title_loc: LocDict | None = None
    empty_note_loc: LocDict | None = None

    def has_figures(self) -> bool:
        return any(r.has_figures() for r in self.rows)

    def side(self, side: str | None) -> list[AccountsRow]:
        return [r for r in self.rows if r.side == side]

    def with_role(self, role: str, side: str | None = None) -> AccountsRow | None:
        return next(
            (r for r in self.rows if r.role == role and (side is None or r.side == side)), None
        )

    def coded(self) -> list[AccountsRow]:
        return [r for r in self.rows if r.code is not None and r.role == "item"]

    def by_code(self) -> dict[str, AccountsRow]:
        out: dict[str, AccountsRow] = {}
        for r in self.coded():
            out.setdefault(r.code or "", r)
        return out

    @property
    def factor(self) -> float:
        """Yuan per printed unit (万元 → 10000); 1 when no unit line was found."""
        return UNIT_FACTORS.get(self.unit or "", 1.0)


class Marked(BaseModel):
    """A piece of text worth a finding (a placeholder, a heading), with its place."""

    text: str
    loc: LocDict | None = None


class ItemStatement(BaseModel):
    """One 项 of the 说明's 一般公共预算财政拨款支出决算具体情况: its path and figures."""

    names: list[str]  # 类, 款, 项 names as printed
    budget: float | None = None  # 年初预算
    budget_text: str | None = None
    final: float | None = None  # 支出决算
    final_text: str | None = None
    unit: str | None = None  # of both figures, as printed (万元 …)
    reason: bool = False  # the passage gives a 原因
    text: str = ""  # the passage, white space removed
    loc: LocDict | None = None  # the passage
    final_loc: LocDict | None = None  # the line printing the 决算 figure
    lines: list[tuple[int | None, int, int]] = Field(default_factory=list)  # page, first, last


class YearMark(BaseModel):
    """A year the 说明 states, with what it must be: the report's year or the one before."""

    year: int
    role: Literal["report", "previous", "asof"]  # asof: 截至YYYY年12月31日
    text: str
    loc: LocDict | None = None


class FinalAccounts(BaseModel):
    source: str
    tables: list[AccountsTable] = Field(default_factory=list)
    unit: str | None = None
    year: int | None = None
    entity: str | None = None
    is_template: bool = False  # table shells without figures, XX placeholders
    placeholders: list[Marked] = Field(default_factory=list)  # in the tables part
    headings: list[Marked] = Field(default_factory=list)  # "<单位> <年> 年度部门决算表" lines
    template_text: list[Marked] = Field(default_factory=list)  # instructions left in
    placeholder_count: int = 0  # XX placeholders in the whole document
    items: list[ItemStatement] = Field(default_factory=list)  # the 说明's 项 passages
    year_marks: list[YearMark] = Field(default_factory=list)  # years the 说明 states
    name_marks: list[Marked] = Field(default_factory=list)  # the department as the 说明 names it
    warnings: list[str] = Field(default_factory=list)

    def table(self, kind: str) -> AccountsTable | None:
        return next((t for t in self.tables if t.kind == kind), None)

    def kinds(self) -> list[str]:
        return [t.kind for t in self.tables]

    def missing(self) -> list[str]:
        found = set(self.kinds())
        return [k for k in TABLE_KINDS if k not in found]

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
