"""Generated 部门决算 disclosures: the nine standard tables of an invented department.

``build_accounts(seed)`` draws a department whose figures close exactly (integers in
hundredths of a 万元, printed with 2 decimals): 收入支出决算总表, 收入决算表 and 支出决算表 by 功能分类 code,
财政拨款收入支出决算总表, 一般公共预算财政拨款支出决算表, 基本支出决算表 by 经济分类 code,
三公 经费, and the two empty fund tables with their 空表说明. ``plant`` puts in one
deliberate error (see :data:`PLANTS`), recorded with the check ids expected to find it.

``write_accounts(sample, path)`` prints it as DOCX (python-docx), XLSX (openpyxl, one sheet
per table) or PDF (reportlab), the three formats the recognizer must read. Layout options
vary what real reports vary: codes split over 类 | 款 | 项 columns or printed whole, the
title in a paragraph or in a caption row at the top of the table, thousands separators.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from jixiao.accounts.codes import FUNCTION_CLASSES
from jixiao.accounts.model import TABLE_KINDS, TABLE_TITLES
from jixiao.synth.accounts_statement import STATEMENT_PLANTS, build_statement, plant_statement
from jixiao.synth.layout import GCell, Grid, Para
from jixiao.synth.writers import (
    docx_grid,
    new_docx,
    new_workbook,
    pdf_table,
    save_docx,
    save_workbook,
    xlsx_grid,
)

__all__ = [
    "PLANTS",
    "AccountsSample",
    "Line",
    "Planted",
    "build_accounts",
    "write_accounts",
]


# -- the figures ----------------------------------------------------------------------------------


@dataclass
class Line:
    """One printed line of a table: figures in hundredths of the unit (None prints empty)."""

    name: str
    values: dict[str, int | None] = field(default_factory=dict)
    code: str | None = None
    role: str = "item"
    side: str | None = None
    key: str | None = None


@dataclass
class Planted:
    plant: str  # the name in PLANTS
    table: str  # the table kind it is in
    description: str  # Chinese, what was changed
    checks: tuple[str, ...]  # check ids expected to report it


@dataclass
class AccountsSample:
    entity: str
    year: int
    seed: int
    tables: dict[str, list[Line]]
    notes: dict[str, str] = field(default_factory=dict)
    unit: str = "万元"
    split_codes: bool = True
    title_in_table: bool = False
    thousands: bool = True
    unit_in_table: bool = False  # a 编制单位 | 单位：万元 row at the top of each table
    column_numbers: bool = False  # a 栏次 1 2 3 … row under the header of the coded tables
    vertical_three_public: bool = False  # 三公 groups down the page, 预算数 | 决算数 across
    heading_entity: str | None = None  # the name printed in the tables-part heading
    dropped: set[str] = field(default_factory=set)
    planted: list[Planted] = field(default_factory=list)
    statement: list[Para] = field(default_factory=list)  # the 决算情况说明, figures in words

    @property
    def stem(self) -> str:
        layout = ("split" if self.split_codes else "whole") + (
            "-cap" if self.title_in_table else ""
        )
        if self.unit_in_table or self.column_numbers or self.vertical_three_public:
            layout += "-var"
        plant = "-" + "-".join(p.plant for p in self.planted) if self.planted else ""
        return f"accounts-{self.seed}-{layout}{plant}"

    def kinds(self) -> list[str]:
        return [k for k in TABLE_KINDS if k not in self.dropped]


_ENTITIES = (
    "青禾市临江区数据资源管理局",
    "青禾市临江区文化和旅游局",
    "南屿市东湖区城市管理局",
    "北川市云岭区民政局",
)

# 功能分类: 类 -> (款 -> (款 name, [(项 code, 项 name, has project spending)]))
_POOL: dict[str, dict[str, tuple[str, list[tuple[str, str, bool]]]]] = {
    "201": {
        "20103": (
            "政府办公厅（室）及相关机构事务",
            [
                ("2010301", "行政运行", False),
                ("2010302", "一般行政管理事务", True),
                ("2010350", "事业运行", False),
                ("2010399", "其他政府办公厅（室）及相关机构事务支出", True),
            ],
        ),
    },
    "208": {
        "20805": (
            "行政事业单位养老支出",
            [
                ("2080501", "行政单位离退休", False),
                ("2080505", "机关事业单位基本养老保险缴费支出", False),
                ("2080506", "机关事业单位职业年金缴费支出", False),
            ],
        ),
    },
    "210": {
        "21011": (
            "行政事业单位医疗",
            [("2101101", "行政单位医疗", False), ("2101102", "事业单位医疗", False)],
        ),
    },
    "212": {
        "21201": (
            "城乡社区管理事务",
            [("2120101", "行政运行", False), ("2120199", "其他城乡社区管理事务支出", True)],
        ),
    },
    "221": {
        "22102": (
            "住房改革支出",
            [("2210201", "住房公积金", False), ("2210203", "购房补贴", False)],
        ),
    },
}

_ECONOMIC: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "301": (
        "工资福利支出",
        [
            ("30101", "基本工资"),
            ("30102", "津贴补贴"),
            ("30103", "奖金"),
            ("30107", "绩效工资"),
            ("30108", "机关事业单位基本养老保险缴费"),
            ("30109", "职业年金缴费"),
            ("30110", "职工基本医疗保险缴费"),
            ("30112", "其他社会保障缴费"),
            ("30113", "住房公积金"),
            ("30199", "其他工资福利支出"),
        ],
    ),
    "303": ("对个人和家庭的补助", [("30302", "退休费"), ("30309", "奖励金")]),
    "302": (
        "商品和服务支出",
        [
            ("30201", "办公费"),
            ("30202", "印刷费"),
            ("30205", "水费"),
            ("30206", "电费"),
            ("30207", "邮电费"),
            ("30211", "差旅费"),
            ("30213", "维修（护）费"),
            ("30216", "培训费"),
            ("30217", "公务接待费"),
            ("30228", "工会经费"),
            ("30229", "福利费"),
            ("30231", "公务用车运行维护费"),
            ("30239", "其他交通费用"),
            ("30299", "其他商品和服务支出"),
        ],
    ),
    "310": ("资本性支出", [("31002", "办公设备购置"), ("31007", "信息网络及软件购置更新")]),
}

# the 类 lines printed in the summary tables, as in the national template
_SUMMARY_CLASSES = [c for c in FUNCTION_CLASSES if c not in ("209", "227", "230", "233")]
_CN_NUM = "一二三四五六七八九十"


def _cn(n: int) -> str:
    """1 → 一, 12 → 十二, 24 → 二十四."""
    if n <= 10:
        return _CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_NUM[tens - 1]
    return head + "十" + (_CN_NUM[ones - 1] if ones else "")


def _split(total: int, k: int, rng: random.Random) -> list[int]:
    """``total`` in ``k`` parts, none negative."""
    if k <= 1:
        return [total]
    weights = [rng.random() + 0.05 for _ in range(k)]
    parts = [int(total * w / sum(weights)) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _nz(x: int) -> int | None:
    return x if x else None


def build_accounts(
    seed: int = 0,
    *,
    split_codes: bool = True,
    title_in_table: bool = False,
    thousands: bool = True,
    unit_in_table: bool = False,
    column_numbers: bool = False,
    vertical_three_public: bool = False,
    plant: str | None = None,
) -> AccountsSample:
    """An invented department's nine tables, closing exactly; ``plant`` one error."""
    rng = random.Random(seed)
    entity = rng.choice(_ENTITIES)
    year = 2024
    classes = ["201", "208", "210", "221"] + (["212"] if rng.random() < 0.5 else [])
    classes.sort()
    # 项 lines with their 一般公共预算 basic / project spending
    items: list[tuple[str, str, str, int, int]] = []  # (class, kuan, code/name…)
    names: dict[str, str] = {}
    for cls in classes:
        names[cls] = FUNCTION_CLASSES[cls][0]
        for kuan, (kuan_name, xiangs) in _POOL[cls].items():
            names[kuan] = kuan_name
            chosen = [x for x in xiangs if rng.random() < 0.8] or [xiangs[0]]
            for code, name, project in chosen:
                names[code] = name
                basic = rng.randint(3_000, 300_000) if not project or rng.random() < 0.3 else 0
                proj = rng.randint(1_000, 200_000) if project else 0
                if basic == 0 and proj == 0:
                    basic = rng.randint(3_000, 30_000)
                items.append((cls, kuan, code, basic, proj))
    leaves = [code for _, _, code, _, _ in items]
    gb_basic = {code: b for _, _, code, b, _ in items}
    gb_project = {code: p for _, _, code, _, p in items}
    # income by 项: 财政拨款 = spending, one line with a little more (the carry-over grows)
    fiscal_in = {code: gb_basic[code] + gb_project[code] for code in leaves}
    grow = rng.randint(0, 6_000)
    fiscal_in[rng.choice(leaves)] += grow
    # non-fiscal money: other income on one 201 line, spent there as basic spending
    other_line = next(code for code in leaves if code.startswith("201"))
    other_in = {code: 0 for code in leaves}
    other_out = {code: 0 for code in leaves}
    other_in[other_line] = rng.randint(100, 9_000)
    other_out[other_line] = other_in[other_line] + rng.randint(0, 500)
    fiscal_begin = rng.randint(0, 40_000)
    nonfiscal_begin = rng.randint(1_000, 50_000)

    def kuan_of(code: str) -> str:
        return code[:5]

    def rollup(values: dict[str, int]) -> dict[str, int]:
        out: dict[str, int] = {}
        for code, v in values.items():
            for key in (code[:3], code[:5], code):
                out[key] = out.get(key, 0) + v
        return out

    codes_in_order: list[str] = []
    for cls in classes:
        codes_in_order.append(cls)
        for kuan in sorted({kuan_of(c) for c in leaves if c.startswith(cls)}):
            codes_in_order.append(kuan)
            codes_in_order += [c for c in leaves if c.startswith(kuan)]

    r_fiscal = rollup(fiscal_in)
    r_other_in = rollup(other_in)
    r_basic = rollup({c: gb_basic[c] + other_out[c] for c in leaves})
    r_project = rollup(gb_project)
    r_gb_basic = rollup(gb_basic)
    tables: dict[str, list[Line]] = {}

    # 收入决算表
    income_lines = [
        Line(
            names[c],
            {
                "total": _nz(r_fiscal[c] + r_other_in[c]),
                "fiscal": _nz(r_fiscal[c]),
                "superior_subsidy": None,
                "business": None,
                "operating": None,
                "affiliated": None,
                "other": _nz(r_other_in[c]),
            },
            code=c,
        )
        for c in codes_in_order
    ]
    inc_fiscal = sum(fiscal_in.values())
    inc_other = sum(other_in.values())
    income_total = Line(
        "合计",
        {
            "total": inc_fiscal + inc_other,
            "fiscal": inc_fiscal,
            "superior_subsidy": None,
            "business": None,
            "operating": None,
            "affiliated": None,
            "other": _nz(inc_other),
        },
        role="total",
    )
    tables["income"] = [income_total, *income_lines]
    # 支出决算表
    expense_lines = [
        Line(
            names[c],
            {
                "total": _nz(r_basic[c] + r_project[c]),
                "basic": _nz(r_basic[c]),
                "project": _nz(r_project[c]),
                "remit_superior": None,
                "operating_expense": None,
                "affiliated_subsidy": None,
            },
            code=c,
        )
        for c in codes_in_order
    ]
    exp_basic = sum(gb_basic.values()) + sum(other_out.values())
    exp_project = sum(gb_project.values())
    tables["expense"] = [
        Line(
            "合计",
            {
                "total": exp_basic + exp_project,
                "basic": exp_basic,
                "project": _nz(exp_project),
                "remit_superior": None,
                "operating_expense": None,
                "affiliated_subsidy": None,
            },
            role="total",
        ),
        *expense_lines,
    ]
    # 一般公共预算财政拨款支出决算表 (合计 at the bottom, as printed in many reports)
    gb_total = sum(gb_basic.values()) + sum(gb_project.values())
    tables["general_budget_expense"] = [
        *(
            Line(
                names[c],
                {
                    "total": _nz(r_gb_basic[c] + r_project[c]),
                    "basic": _nz(r_gb_basic[c]),
                    "project": _nz(r_project[c]),
                },
                code=c,
            )
            for c in codes_in_order
        ),
        Line(
            "合计",
            {
                "total": gb_total,
                "basic": sum(gb_basic.values()),
                "project": _nz(exp_project),
            },
            role="total",
        ),
    ]
    # 收入支出决算总表
    spent = exp_basic + exp_project
    income_sum = inc_fiscal + inc_other
    begin = fiscal_begin + nonfiscal_begin
    end = begin + income_sum - spent
    sources = [
        ("一般公共预算财政拨款收入", "general_budget", inc_fiscal),
        ("政府性基金预算财政拨款收入", "gov_fund", 0),
        ("国有资本经营预算财政拨款收入", "state_capital", 0),
        ("上级补助收入", "superior_subsidy", 0),
        ("事业收入", "business", 0),
        ("经营收入", "operating", 0),
        ("附属单位上缴收入", "affiliated", 0),
        ("其他收入", "other", inc_other),
    ]
    summary: list[Line] = [
        Line(f"{_cn(k + 1)}、{name}", {"final": _nz(v)}, side="income", key=key)
        for k, (name, key, v) in enumerate(sources)
    ]
    class_spent = {c: r_basic[c] + r_project[c] for c in classes}
    summary += [
        Line(
            f"{_cn(k + 1)}、{FUNCTION_CLASSES[c][0]}",
            {"final": _nz(class_spent.get(c, 0))},
            code=c,
            side="expense",
        )
        for k, c in enumerate(_SUMMARY_CLASSES)
    ]
    summary += [
        Line("本年收入合计", {"final": income_sum}, role="subtotal", side="income"),
        Line("本年支出合计", {"final": spent}, role="subtotal", side="expense"),
        Line("使用非财政拨款结余", {"final": None}, role="nonfiscal_balance", side="income"),
        Line("结余分配", {"final": None}, role="balance_distribution", side="expense"),
        Line("年初结转和结余", {"final": _nz(begin)}, role="initial_carryover", side="income"),
        Line("年末结转和结余", {"final": _nz(end)}, role="final_carryover", side="expense"),
        Line("总计", {"final": income_sum + begin}, role="total", side="income"),
        Line("总计", {"final": spent + end}, role="total", side="expense"),
    ]
    tables["income_expense_total"] = summary
    # 财政拨款收入支出决算总表
    fiscal_end = fiscal_begin + inc_fiscal - gb_total
    fiscal: list[Line] = [
        Line(
            "一、一般公共预算财政拨款", {"final": inc_fiscal}, side="income", key="general_budget"
        ),
        Line("二、政府性基金预算财政拨款", {"final": None}, side="income", key="gov_fund"),
        Line("三、国有资本经营预算财政拨款", {"final": None}, side="income", key="state_capital"),
    ]
    gb_class = {c: r_gb_basic[c] + r_project[c] for c in classes}

    def four(v: int | None) -> dict[str, int | None]:
        return {"total": v, "general_budget": v, "gov_fund": None, "state_capital": None}

    fiscal += [
        Line(
            f"{_cn(k + 1)}、{FUNCTION_CLASSES[c][0]}",
            four(_nz(gb_class.get(c, 0))),
            code=c,
            side="expense",
        )
        for k, c in enumerate(_SUMMARY_CLASSES)
    ]
    fiscal += [
        Line("本年收入合计", {"final": inc_fiscal}, role="subtotal", side="income"),
        Line("本年支出合计", four(gb_total), role="subtotal", side="expense"),
        Line(
            "年初财政拨款结转和结余",
            {"final": _nz(fiscal_begin)},
            role="initial_carryover",
            side="income",
        ),
        Line(
            "年末财政拨款结转和结余", four(_nz(fiscal_end)), role="final_carryover", side="expense"
        ),
        Line(
            "一、一般公共预算财政拨款",
            {"final": _nz(fiscal_begin)},
            role="carryover_part",
            side="income",
            key="general_budget",
        ),
        Line(
            "二、政府性基金预算财政拨款",
            {"final": None},
            role="carryover_part",
            side="income",
            key="gov_fund",
        ),
        Line(
            "三、国有资本经营预算财政拨款",
            {"final": None},
            role="carryover_part",
            side="income",
            key="state_capital",
        ),
        Line("总计", {"final": inc_fiscal + fiscal_begin}, role="total", side="income"),
        Line("总计", four(gb_total + fiscal_end), role="total", side="expense"),
    ]
    tables["fiscal_total"] = fiscal
    # 一般公共预算财政拨款基本支出决算表
    basic_total = sum(gb_basic.values())
    personnel = int(basic_total * rng.uniform(0.72, 0.9))
    public = basic_total - personnel
    retire = int(personnel * rng.uniform(0.01, 0.06))
    amounts = {
        "301": personnel - retire,
        "303": retire,
        "302": int(public * rng.uniform(0.8, 0.97)),
    }
    amounts["310"] = public - amounts["302"]
    econ: dict[str, list[Line]] = {}
    for cls, (cls_name, kids) in _ECONOMIC.items():
        parts = _split(amounts[cls], len(kids), rng)
        econ[cls] = [Line(cls_name, {"final": _nz(amounts[cls])}, code=cls)] + [
            Line(name, {"final": _nz(v)}, code=code)
            for (code, name), v in zip(kids, parts, strict=True)
        ]
    left = econ["301"] + econ["303"]
    right = econ["302"] + econ["310"]
    for line in left:
        line.side = "left"
    for line in right:
        line.side = "right"
    tables["general_budget_basic"] = [
        *left,
        Line("人员经费合计", {"final": personnel}, role="personnel_total", side="left"),
        *right,
        Line("公用经费合计", {"final": _nz(public)}, role="public_total", side="right"),
    ]
    # 三公 经费
    abroad_b = rng.choice([0, rng.randint(100, 2_000)])
    purchase_b = rng.choice([0, 0, rng.randint(1_500, 3_000)])
    operation_b = rng.randint(50, 1_200)
    reception_b = rng.randint(10, 500)
    abroad_f = int(abroad_b * rng.uniform(0, 1))
    purchase_f = purchase_b if rng.random() < 0.5 else 0
    operation_f = int(operation_b * rng.uniform(0.5, 1))
    reception_f = int(reception_b * rng.uniform(0.2, 1))
    tp: dict[str, int | None] = {}
    for dim, (a, p, o, r) in {
        "budget": (abroad_b, purchase_b, operation_b, reception_b),
        "final": (abroad_f, purchase_f, operation_f, reception_f),
    }.items():
        tp[f"total.{dim}"] = a + p + o + r
        tp[f"abroad.{dim}"] = a
        tp[f"vehicle.{dim}"] = p + o
        tp[f"vehicle_purchase.{dim}"] = p
        tp[f"vehicle_operation.{dim}"] = o
        tp[f"reception.{dim}"] = r
    order = ["total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"]
    tables["three_public"] = [
        Line("“三公”经费", {f"{g}.{d}": tp[f"{g}.{d}"] for g in order for d in ("budget", "final")})
    ]
    # the two fund tables, empty
    fund_values = {
        "initial_carryover": None,
        "income": None,
        "expense": None,
        "basic": None,
        "project": None,
        "final_carryover": None,
    }
    notes: dict[str, str] = {}
    for kind, what in (("gov_fund", "政府性基金预算"), ("state_capital", "国有资本经营预算")):
        tables[kind] = [Line("合计", dict(fund_values), role="total")]
        notes[kind] = f"说明：{entity}{year}年度没有{what}财政拨款收入和支出，故本表无数据。"
    sample = AccountsSample(
        entity=entity,
        year=year,
        seed=seed,
        tables=tables,
        notes=notes,
        split_codes=split_codes,
        title_in_table=title_in_table,
        thousands=thousands,
        unit_in_table=unit_in_table,
        column_numbers=column_numbers,
        vertical_three_public=vertical_three_public,
    )
    # the 说明 draws from its own generator: the tables stay what they were without it
    words = build_statement(sample, random.Random(seed * 7919 + 17))
    if plant in STATEMENT_PLANTS:
        what = plant_statement(sample, words, plant, random.Random(seed))
        _record(sample, plant, "statement", what, *STATEMENT_PLANTS[plant][1])
    elif plant is not None:
        PLANTS[plant](sample, rng)
    sample.statement = words.paras
    return sample


# -- planted errors ---------------------------------------------------------------------------------


def _delta(rng: random.Random) -> int:
    return rng.choice([37, 100, 2_500, 12_345])


def _find(sample: AccountsSample, kind: str, pred: Callable[[Line], bool]) -> Line:
    return next(line for line in sample.tables[kind] if pred(line))


def _record(sample: AccountsSample, plant: str, kind: str, text: str, *checks: str) -> None:
    sample.planted.append(Planted(plant, kind, text, tuple(checks)))


def _plant_total(sample: AccountsSample, rng: random.Random) -> None:
    line = _find(
        sample, "income_expense_total", lambda x: x.role == "total" and x.side == "expense"
    )
    line.values["final"] = (line.values["final"] or 0) + _delta(rng)
    _record(
        sample, "total", "income_expense_total", "收入支出决算总表支出总计改大", "accounts.closure"
    )


def _plant_class_line(sample: AccountsSample, rng: random.Random) -> None:
    line = _find(sample, "income_expense_total", lambda x: x.side == "expense" and x.code == "208")
    line.values["final"] = (line.values["final"] or 0) + _delta(rng)
    _record(
        sample,
        "class_line",
        "income_expense_total",
        "收入支出决算总表“社会保障和就业支出”改大",
        "accounts.closure",
        "accounts.cross_table",
    )


def _plant_hierarchy(sample: AccountsSample, rng: random.Random) -> None:
    line = _find(sample, "expense", lambda x: x.code is not None and len(x.code) == 5)
    d = _delta(rng)
    line.values["total"] = (line.values["total"] or 0) + d
    line.values["basic"] = (line.values["basic"] or 0) + d
    _record(
        sample, "hierarchy", "expense", f"支出决算表款级科目 {line.code} 改大", "accounts.hierarchy"
    )


def _plant_row_sum(sample: AccountsSample, rng: random.Random) -> None:
    line = _find(
        sample,
        "general_budget_expense",
        lambda x: x.code is not None and len(x.code) == 7 and bool(x.values.get("basic")),
    )
    line.values["basic"] = (line.values["basic"] or 0) + _delta(rng)
    _record(
        sample,
        "row_sum",
        "general_budget_expense",
        f"一般公共预算财政拨款支出决算表 {line.code} 的基本支出改大",
        "accounts.row_sum",
        "accounts.hierarchy",
    )


def _plant_table_total(sample: AccountsSample, rng: random.Random) -> None:
    line = _find(sample, "income", lambda x: x.role == "total")
    d = _delta(rng)
    line.values["total"] = (line.values["total"] or 0) + d
    line.values["fiscal"] = (line.values["fiscal"] or 0) + d
    _record(
        sample,
        "table_total",
        "income",
        "收入决算表合计行改大",
        "accounts.table_total",
        "accounts.cross_table",
    )


def _plant_basic_split(sample: AccountsSample, rng: random.Random) -> None:
    line = _find(sample, "general_budget_basic", lambda x: x.role == "personnel_total")
    line.values["final"] = (line.values["final"] or 0) + _delta(rng)
    _record(
        sample,
        "basic_split",
        "general_budget_basic",
        "基本支出决算表人员经费合计改大",
        "accounts.cross_table",
        "accounts.basic_split",
    )


def _plant_three_public(sample: AccountsSample, rng: random.Random) -> None:
    line = sample.tables["three_public"][0]
    line.values["total.final"] = (line.values["total.final"] or 0) + _delta(rng)
    _record(sample, "three_public", "three_public", "“三公”经费合计决算数改大", "accounts.closure")


def _plant_fiscal_class(sample: AccountsSample, rng: random.Random) -> None:
    line = _find(sample, "fiscal_total", lambda x: x.side == "expense" and x.code == "201")
    d = _delta(rng)
    for key in ("total", "general_budget"):
        line.values[key] = (line.values[key] or 0) + d
    _record(
        sample,
        "fiscal_class",
        "fiscal_total",
        "财政拨款收入支出决算总表“一般公共服务支出”改大",
        "accounts.closure",
        "accounts.cross_table",
    )


def _plant_empty_note(sample: AccountsSample, rng: random.Random) -> None:
    del sample.notes["gov_fund"]
    _record(sample, "empty_note", "gov_fund", "删去政府性基金空表说明", "accounts.empty_note")


def _plant_missing(sample: AccountsSample, rng: random.Random) -> None:
    sample.dropped.add("expense")
    _record(sample, "missing", "expense", "删去支出决算表", "accounts.missing_table")


def _plant_placeholder(sample: AccountsSample, rng: random.Random) -> None:
    sample.heading_entity = sample.entity[:5] + "XX局"
    _record(
        sample, "placeholder", "income_expense_total", "表头单位名称留作 XX", "accounts.placeholder"
    )


PLANTS: dict[str, Callable[[AccountsSample, random.Random], None]] = {
    "total": _plant_total,
    "class_line": _plant_class_line,
    "hierarchy": _plant_hierarchy,
    "row_sum": _plant_row_sum,
    "table_total": _plant_table_total,
    "basic_split": _plant_basic_split,
    "three_public": _plant_three_public,
    "fiscal_class": _plant_fiscal_class,
    "empty_note": _plant_empty_note,
    "missing": _plant_missing,
    "placeholder": _plant_placeholder,
}

# -- layout -----------------------------------------------------------------------------------------


class _G:
    def __init__(self, ncols: int, widths: tuple[float, ...]) -> None:
        self.grid = Grid(ncols=ncols, widths=widths, money_unit="万元")
        self.row = 0

    def head(self, col: int, text: str, rs: int = 1, cs: int = 1, row: int | None = None) -> None:
        r = self.row if row is None else row
        self.grid.cells.append(GCell(r, col, text, rs, cs, "text", header=True))

    def text(self, col: int, text: str, cs: int = 1) -> None:
        self.grid.cells.append(GCell(self.row, col, text, 1, cs, "text"))

    def amount(self, col: int, text: str) -> None:
        self.grid.cells.append(GCell(self.row, col, text, 1, 1, "amount" if text else "text"))

    def next(self, n: int = 1) -> None:
        self.row += n


def _money(sample: AccountsSample, hundredths: int | None) -> str:
    if hundredths is None:
        return ""
    value = hundredths / 100
    return f"{value:,.2f}" if sample.thousands else f"{value:.2f}"


def _caption(sample: AccountsSample, g: _G, kind: str) -> None:
    if sample.title_in_table:
        g.head(0, TABLE_TITLES[kind], cs=g.grid.ncols)
        g.next()
    if sample.unit_in_table:
        n = g.grid.ncols
        g.text(0, f"编制单位：{sample.heading_entity or sample.entity}", cs=n - 1)
        g.text(n - 1, f"单位：{sample.unit}")
        g.next()


def _code_columns(sample: AccountsSample, g: _G, start_row: int, name_width: int = 1) -> int:
    """The header of the code and name columns over three rows; returns the first value col."""
    if sample.split_codes:
        g.head(0, "项目", cs=4, row=start_row)
        g.head(0, "支出功能分类科目编码", cs=3, row=start_row + 1)
        g.head(3, "科目名称", rs=2, row=start_row + 1)
        for k, word in enumerate("类款项"):
            g.head(k, word, row=start_row + 2)
        return 4
    g.head(0, "项目", cs=2, row=start_row)
    g.head(0, "功能分类科目编码", rs=2, row=start_row + 1)
    g.head(1, "科目名称", rs=2, row=start_row + 1)
    return 2


def _code_cells(sample: AccountsSample, g: _G, line: Line) -> None:
    if line.code is None:
        span = 4 if sample.split_codes else 2
        g.text(0, line.name, cs=span)
        return
    if sample.split_codes:
        code = line.code
        g.text(0, code[:3])
        g.text(1, code[3:5])
        g.text(2, code[5:7])
        g.text(3, line.name)
    else:
        g.text(0, line.code)
        g.text(1, line.name)


def _coded_table(sample: AccountsSample, kind: str, heads: list[tuple[str, str]]) -> Grid:
    """收入 / 支出 / 一般公共预算 tables: code and name columns, one column per meaning."""
    first = 4 if sample.split_codes else 2
    ncols = first + len(heads)
    widths = (0.6, 0.5, 0.5, 3.0) if sample.split_codes else (1.2, 3.0)
    g = _G(ncols, (*widths, *([1.2] * len(heads))))
    _caption(sample, g, kind)
    top = g.row
    _code_columns(sample, g, top)
    for k, (_, text) in enumerate(heads):
        g.head(first + k, text, rs=3, row=top)
    g.next(3)
    if sample.column_numbers:
        g.text(0, "栏次", cs=first)
        for k in range(len(heads)):
            g.text(first + k, str(k + 1))
        g.next()
    for line in sample.tables[kind]:
        _code_cells(sample, g, line)
        for k, (meaning, _) in enumerate(heads):
            g.amount(first + k, _money(sample, line.values.get(meaning)))
        g.next()
    return g.grid


def _summary_table(sample: AccountsSample, kind: str) -> Grid:
    """The two summary tables: 收入 | 支出 side by side."""
    lines = sample.tables[kind]
    exp_cols = (
        [("final", "决算数")]
        if kind == "income_expense_total"
        else [
            ("total", "合计"),
            ("general_budget", "一般公共预算财政拨款"),
            ("gov_fund", "政府性基金预算财政拨款"),
            ("state_capital", "国有资本经营预算财政拨款"),
        ]
    )
    ncols = 3 + len(exp_cols)
    g = _G(ncols, (3.0, 1.2, 3.0, *([1.2] * len(exp_cols))))
    _caption(sample, g, kind)
    g.head(0, "收入", cs=2)
    g.head(2, "支出", cs=1 + len(exp_cols))
    g.next()
    g.head(0, "项目")
    g.head(1, "决算数")
    g.head(2, "项目")
    for k, (_, text) in enumerate(exp_cols):
        g.head(3 + k, text)
    g.next()
    income_items = [x for x in lines if x.side == "income" and x.role == "item"]
    expense_items = [x for x in lines if x.side == "expense" and x.role == "item"]
    specials_inc = [x for x in lines if x.side == "income" and x.role != "item"]
    specials_exp = [x for x in lines if x.side == "expense" and x.role != "item"]

    def put(inc: Line | None, exp: Line | None) -> None:
        g.text(0, inc.name if inc else "")
        g.amount(1, _money(sample, inc.values.get("final")) if inc else "")
        g.text(2, exp.name if exp else "")
        for k, (meaning, _) in enumerate(exp_cols):
            g.amount(3 + k, _money(sample, exp.values.get(meaning)) if exp else "")
        g.next()

    for k in range(max(len(income_items), len(expense_items))):
        put(
            income_items[k] if k < len(income_items) else None,
            expense_items[k] if k < len(expense_items) else None,
        )

    # the closing lines, paired the way the national form prints them
    def first(role: str, side: str) -> Line | None:
        pool = specials_inc if side == "income" else specials_exp
        return next((x for x in pool if x.role == role), None)

    for inc_role, exp_role in (
        ("subtotal", "subtotal"),
        ("nonfiscal_balance", "balance_distribution"),
        ("initial_carryover", "final_carryover"),
    ):
        inc, exp = first(inc_role, "income"), first(exp_role, "expense")
        if inc is not None or exp is not None:
            put(inc, exp)
    for part in (x for x in specials_inc if x.role == "carryover_part"):
        put(part, None)
    put(first("total", "income"), first("total", "expense"))
    return g.grid


def _basic_table(sample: AccountsSample) -> Grid:
    lines = sample.tables["general_budget_basic"]
    left = [x for x in lines if x.side == "left" and x.role == "item"]
    right = [x for x in lines if x.side == "right" and x.role == "item"]
    people = next(x for x in lines if x.role == "personnel_total")
    public = next(x for x in lines if x.role == "public_total")
    split = sample.split_codes
    per = 4 if split else 3
    widths = (0.6, 0.5, 2.6, 1.2) if split else (1.2, 2.6, 1.2)
    g = _G(per * 2, widths * 2)
    _caption(sample, g, "general_budget_basic")
    for side in (0, per):
        if split:
            g.head(side, "经济分类科目编码", cs=2)
            g.head(side + 2, "科目名称", rs=2)
            g.head(side + 3, "决算数", rs=2)
        else:
            g.head(side, "经济分类科目编码", rs=2)
            g.head(side + 1, "科目名称", rs=2)
            g.head(side + 2, "决算数", rs=2)
    g.next()
    if split:
        for side in (0, per):
            g.head(side, "类")
            g.head(side + 1, "款")
    g.next()

    def put(col: int, line: Line | None) -> None:
        code = line.code if line else ""
        if split:
            g.text(col, (code or "")[:3])
            g.text(col + 1, (code or "")[3:5])
            g.text(col + 2, line.name if line else "")
            g.amount(col + 3, _money(sample, line.values.get("final")) if line else "")
        else:
            g.text(col, code or "")
            g.text(col + 1, line.name if line else "")
            g.amount(col + 2, _money(sample, line.values.get("final")) if line else "")

    for k in range(max(len(left), len(right))):
        put(0, left[k] if k < len(left) else None)
        put(per, right[k] if k < len(right) else None)
        g.next()
    g.text(0, people.name, cs=per - 1)
    g.amount(per - 1, _money(sample, people.values.get("final")))
    g.text(per, public.name, cs=per - 1)
    g.amount(2 * per - 1, _money(sample, public.values.get("final")))
    g.next()
    return g.grid


_THREE_PUBLIC_ROWS = (
    ("total", "合计"),
    ("abroad", "1．因公出国（境）费"),
    ("vehicle", "2．公务用车购置及运行维护费"),
    ("vehicle_purchase", "其中：公务用车购置费"),
    ("vehicle_operation", "公务用车运行维护费"),
    ("reception", "3．公务接待费"),
)


def _three_public_vertical(sample: AccountsSample) -> Grid:
    line = sample.tables["three_public"][0]
    g = _G(3, (3.0, 1.2, 1.2))
    _caption(sample, g, "three_public")
    g.head(0, "项目")
    g.head(1, "预算数")
    g.head(2, "决算数")
    g.next()
    for group, label in _THREE_PUBLIC_ROWS:
        g.text(0, label)
        g.amount(1, _money(sample, line.values.get(f"{group}.budget")))
        g.amount(2, _money(sample, line.values.get(f"{group}.final")))
        g.next()
    return g.grid


def _three_public_table(sample: AccountsSample) -> Grid:
    if sample.vertical_three_public:
        return _three_public_vertical(sample)
    line = sample.tables["three_public"][0]
    g = _G(12, (1.0,) * 12)
    _caption(sample, g, "three_public")
    g.head(0, "合计", rs=2, cs=2)
    g.head(2, "因公出国（境）费", rs=2, cs=2)
    g.head(4, "公务用车购置及运行维护费", cs=6)
    g.head(10, "公务接待费", rs=2, cs=2)
    g.next()
    g.head(4, "小计", cs=2)
    g.head(6, "公务用车购置费", cs=2)
    g.head(8, "公务用车运行维护费", cs=2)
    g.next()
    order = ["total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"]
    for k in range(6):
        g.head(2 * k, "预算数")
        g.head(2 * k + 1, "决算数")
    g.next()
    for k, group in enumerate(order):
        g.amount(2 * k, _money(sample, line.values.get(f"{group}.budget")))
        g.amount(2 * k + 1, _money(sample, line.values.get(f"{group}.final")))
    g.next()
    return g.grid


def _fund_table(sample: AccountsSample, kind: str) -> Grid:
    first = 4 if sample.split_codes else 2
    g = _G(first + 6, ((0.6, 0.5, 0.5, 2.6) if sample.split_codes else (1.2, 2.6)) + (1.1,) * 6)
    _caption(sample, g, kind)
    top = g.row
    _code_columns(sample, g, top)
    g.head(first, "年初结转和结余", rs=3, row=top)
    g.head(first + 1, "本年收入", rs=3, row=top)
    g.head(first + 2, "本年支出", cs=3, row=top)
    g.head(first + 2, "小计", rs=2, row=top + 1)
    g.head(first + 3, "基本支出", rs=2, row=top + 1)
    g.head(first + 4, "项目支出", rs=2, row=top + 1)
    g.head(first + 5, "年末结转和结余", rs=3, row=top)
    g.next(3)
    meanings = ["initial_carryover", "income", "expense", "basic", "project", "final_carryover"]
    for line in sample.tables[kind]:
        _code_cells(sample, g, line)
        for k, meaning in enumerate(meanings):
            g.amount(first + k, _money(sample, line.values.get(meaning)))
        g.next()
    return g.grid


_COLUMNS = {
    "income": [
        ("total", "本年收入合计"),
        ("fiscal", "财政拨款收入"),
        ("superior_subsidy", "上级补助收入"),
        ("business", "事业收入"),
        ("operating", "经营收入"),
        ("affiliated", "附属单位上缴收入"),
        ("other", "其他收入"),
    ],
    "expense": [
        ("total", "本年支出合计"),
        ("basic", "基本支出"),
        ("project", "项目支出"),
        ("remit_superior", "上缴上级支出"),
        ("operating_expense", "经营支出"),
        ("affiliated_subsidy", "对附属单位补助支出"),
    ],
    "general_budget_expense": [("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")],
}


def table_grid(sample: AccountsSample, kind: str) -> Grid:
    if kind in _COLUMNS:
        return _coded_table(sample, kind, _COLUMNS[kind])
    if kind in ("income_expense_total", "fiscal_total"):
        return _summary_table(sample, kind)
    if kind == "general_budget_basic":
        return _basic_table(sample)
    if kind == "three_public":
        return _three_public_table(sample)
    return _fund_table(sample, kind)


def sections(sample: AccountsSample) -> list[tuple[list[Para], Grid | None, list[Para]]]:
    """(paragraphs above, table, paragraphs below) per table, the cover first."""
    entity = sample.heading_entity or sample.entity
    cover = [
        Para(sample.entity, "title"),
        Para(f"{sample.year}年度部门决算", "title"),
        Para(f"第二部分 {entity} {sample.year} 年度部门决算表", "heading"),
    ]
    out: list[tuple[list[Para], Grid | None, list[Para]]] = []
    for k, kind in enumerate(sample.kinds()):
        above = list(cover) if k == 0 else []
        if not sample.title_in_table:
            above.append(Para(TABLE_TITLES[kind], "heading"))
        if not sample.unit_in_table:
            above.append(Para(f"单位：{sample.unit}"))
        below = [Para(sample.notes[kind])] if kind in sample.notes else []
        out.append((above, table_grid(sample, kind), below))
    statement = sample.statement or [
        Para(f"第三部分 {sample.entity} {sample.year} 年度部门决算情况说明", "heading"),
        Para("（本样例只含决算表。）"),
    ]
    out.append((list(statement), None, []))
    return out


# -- writers ------------------------------------------------------------------------------------------


def write_accounts(sample: AccountsSample, path: Path, fmt: str | None = None) -> Path:
    """Write ``sample`` as DOCX, XLSX or PDF (from ``fmt`` or the suffix of ``path``)."""
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    {"docx": _write_docx, "xlsx": _write_xlsx, "pdf": _write_pdf}[fmt](sample, path)
    return path


def _write_docx(sample: AccountsSample, path: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = new_docx(f"{sample.entity}{sample.year}年度部门决算")

    def para(p: Para) -> None:
        out = doc.add_paragraph()
        if p.role in ("title", "heading"):
            out.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = out.add_run(p.text)
        run.font.size = Pt(14 if p.role == "title" else 10.5)
        run.font.bold = p.role in ("title", "heading") or None

    for above, grid, below in sections(sample):
        for p in above:
            para(p)
        if grid is not None:
            docx_grid(doc, grid, size=8)
        for p in below:
            para(p)
    save_docx(doc, path)


def _write_xlsx(sample: AccountsSample, path: Path) -> None:
    from openpyxl.styles import Font

    def value_of(cell: GCell) -> tuple[object, str | None]:
        if cell.kind == "amount" and cell.text:
            return float(cell.text.replace(",", "")), "#,##0.00" if sample.thousands else "0.00"
        return cell.text or None, None

    wb = new_workbook()
    wb.remove(wb.active)
    for k, (above, grid, below) in enumerate(sections(sample)):
        ws = wb.create_sheet(f"表{k + 1}" if grid is not None else "说明")
        row = 1
        for p in above:
            ws.cell(row, 1, p.text).font = Font(name="宋体", bold=p.role != "body")
            row += 1
        if grid is not None:
            xlsx_grid(ws, row, grid, value_of)
            row += grid.nrows
        for p in below:
            ws.cell(row, 1, p.text)
            row += 1
    save_workbook(wb, path)


def _write_pdf(sample: AccountsSample, path: Path) -> None:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer
    from reportlab.platypus import Paragraph as RLParagraph

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = "STSong-Light"
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    styles = {
        "body": body,
        "heading": ParagraphStyle("heading", body, fontSize=12, leading=18, alignment=TA_CENTER),
        "title": ParagraphStyle("title", body, fontSize=14, leading=20, alignment=TA_CENTER),
    }
    cell_style = ParagraphStyle("cell", body, fontSize=7.5, leading=9.5)
    head_style = ParagraphStyle("head", cell_style, alignment=TA_CENTER)
    margin = 1.8 * cm
    usable = A4[0] - 2 * margin
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin, title=f"{sample.entity}{sample.year}年度部门决算",
        author="jixiao synth", creator="jixiao synth", invariant=1,
    )  # fmt: skip
    story: list[object] = []
    for k, (above, grid, below) in enumerate(sections(sample)):
        if k > 0:
            story.append(PageBreak())
        for p in above:
            story.append(RLParagraph(escape(p.text), styles.get(p.role, body)))
        if grid is not None:
            story += [pdf_table(grid, usable, cell_style, head_style), Spacer(1, 6)]
        for p in below:
            story.append(RLParagraph(escape(p.text), body))
    doc.build(story)
