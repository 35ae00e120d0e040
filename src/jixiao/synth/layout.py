"""The printed form of a sample report: paragraphs and grids, in reading order.

Every writer renders these blocks and nothing else, so all formats carry the same text.
A ``Grid`` holds anchor cells with row/column spans; every grid position is covered by
exactly one anchor (checked), which is what lets each writer decide how to print the
positions a merge covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from jixiao.synth.content import FUND_LABELS, EvalTable, IndicatorRow, SampleReport
from jixiao.synth.fmt import fmt_amount, fmt_num, fmt_rate

CellKind = Literal["text", "amount", "rate", "number"]
Role = Literal["title", "subtitle", "heading", "body"]


@dataclass(frozen=True)
class Para:
    text: str
    role: Role = "body"


@dataclass(frozen=True)
class GCell:
    row: int
    col: int
    text: str  # "\n" separates the lines of a multi-line cell
    rowspan: int = 1
    colspan: int = 1
    kind: CellKind = "text"  # lets spreadsheets store numbers as numbers
    header: bool = False


@dataclass
class Grid:
    ncols: int
    widths: tuple[float, ...]  # relative column widths, for PDF and DOCX
    money_unit: str | None = None
    cells: list[GCell] = field(default_factory=list)

    @property
    def nrows(self) -> int:
        return max(c.row + c.rowspan for c in self.cells)

    def owner(self) -> dict[tuple[int, int], GCell]:
        """Every grid position -> the anchor cell that covers it."""
        out: dict[tuple[int, int], GCell] = {}
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    if (r, c) in out or c >= self.ncols:
                        raise ValueError(f"grid overlap or overflow at {(r, c)}")
                    out[(r, c)] = cell
        missing = [
            (r, c) for r in range(self.nrows) for c in range(self.ncols) if (r, c) not in out
        ]
        if missing:
            raise ValueError(f"grid positions not covered: {missing[:5]}")
        return out

    def rows(self) -> list[list[str]]:
        """Grid-aligned text: a merged cell's text at its anchor, '' at covered positions."""
        owner = self.owner()
        return [
            [
                owner[(r, c)].text if (owner[(r, c)].row, owner[(r, c)].col) == (r, c) else ""
                for c in range(self.ncols)
            ]
            for r in range(self.nrows)
        ]


Block = Para | Grid


class _Rows:
    """Appends cells row by row."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.row = 0

    def add(self, col: int, text: str, rs: int = 1, cs: int = 1, kind: CellKind = "text") -> None:
        self.grid.cells.append(GCell(self.row, col, text, rs, cs, kind, header=False))

    def head(self, col: int, text: str, rs: int = 1, cs: int = 1) -> None:
        self.grid.cells.append(GCell(self.row, col, text, rs, cs, "text", header=True))

    def next(self) -> None:
        self.row += 1


def _runs(values: list[str]) -> dict[int, int]:
    """Start index -> length of each run of equal consecutive values (vertical merges)."""
    out: dict[int, int] = {}
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            out[start] = i - start
            start = i
    return out


def _levels(rows: _Rows, table: EvalTable, i: int, col: int, runs1: dict, runs2: dict) -> None:
    """Level-1 / level-2 cells of indicator row ``i``, vertically merged over their groups."""
    ind = table.indicators[i]
    if i in runs1:
        text = ind.level1
        if table.level1_notes:
            text += f"（{fmt_num(table.level1_weight(ind.level1))}分）"
        rows.add(col, text, rs=runs1[i])
    if i in runs2:
        text = ind.level2
        if table.level2_notes:
            text += f"（{fmt_num(table.level2_weight(ind.level1, ind.level2))}分）"
        rows.add(col + 1, text, rs=runs2[i])


def _group_runs(inds: list[IndicatorRow]) -> tuple[dict[int, int], dict[int, int]]:
    return _runs([i.level1 for i in inds]), _runs([f"{i.level1}/{i.level2}" for i in inds])


def _project_self(t: EvalTable) -> Grid:
    unit = t.money_unit or "万元"
    g = Grid(9, (1.0, 1.3, 1.3, 2.0, 1.4, 1.4, 0.8, 0.9, 2.0), money_unit=unit)
    r = _Rows(g)
    r.head(0, "项目名称")
    r.add(1, t.subject, cs=8)
    r.next()
    r.head(0, "主管部门")
    r.add(1, t.competent_dept or "", cs=3)
    r.head(4, "实施单位", cs=2)
    r.add(6, t.implementing_unit or "", cs=3)
    r.next()
    r.head(0, f"项目资金\n（{unit}）", rs=5)
    r.head(1, "", cs=2)
    for col, text in enumerate(
        ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], 3
    ):
        r.head(col, text)
    r.next()
    for f in t.funds:
        r.add(1, FUND_LABELS[f.source], cs=2)
        r.add(3, fmt_amount(f.initial_budget, unit), kind="amount")
        r.add(4, fmt_amount(f.annual_budget, unit), kind="amount")
        r.add(5, fmt_amount(f.executed, unit), kind="amount")
        r.add(6, fmt_num(f.weight) if f.weight is not None else "—", kind="number")
        r.add(7, fmt_rate(f.rate), kind="rate")
        r.add(8, fmt_num(f.score) if f.score is not None else "—", kind="number")
        r.next()
    r.head(0, "年度总体目标", rs=2)
    r.head(1, "预期目标", cs=4)
    r.head(5, "实际完成情况", cs=4)
    r.next()
    r.add(1, t.goal or "", cs=4)
    r.add(5, t.goal_actual or "", cs=4)
    r.next()
    heads = ["一级\n指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分"]
    r.head(0, "绩效\n指标", rs=1 + len(t.indicators))
    for col, text in enumerate([*heads, "偏差原因分析\n及改进措施"], 1):
        r.head(col, text)
    r.next()
    runs1, runs2 = _group_runs(t.indicators)
    for i, ind in enumerate(t.indicators):
        _levels(r, t, i, 1, runs1, runs2)
        r.add(3, ind.name)
        r.add(4, ind.target or "")
        r.add(5, ind.actual or "")
        r.add(6, fmt_num(ind.weight), kind="number")
        r.add(7, fmt_num(ind.score), kind="number")
        r.add(8, ind.note or "")
        r.next()
    r.head(0, "总分", cs=6)
    r.add(6, fmt_num(t.total_weight()), kind="number")
    r.add(7, fmt_num(t.total_score()), kind="number")
    r.add(8, "")
    return g


def _project_review(t: EvalTable) -> Grid:
    g = Grid(6, (1.1, 1.3, 1.6, 0.7, 5.0, 0.7))
    r = _Rows(g)
    for col, text in enumerate(["一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分"]):
        r.head(col, text)
    r.next()
    runs1, runs2 = _group_runs(t.indicators)
    for i, ind in enumerate(t.indicators):
        _levels(r, t, i, 0, runs1, runs2)
        r.add(2, ind.name)
        r.add(3, fmt_num(ind.weight), kind="number")
        r.add(4, ind.rule or "")
        r.add(5, fmt_num(ind.score), kind="number")
        r.next()
    r.head(0, "总分", cs=3)
    r.add(3, fmt_num(t.total_weight()), kind="number")
    r.add(4, "")
    r.add(5, fmt_num(t.total_score()), kind="number")
    return g


def _department_self(t: EvalTable) -> Grid:
    g = Grid(7, (1.0, 1.2, 1.4, 4.0, 0.6, 0.7, 1.6))
    r = _Rows(g)
    heads = ["一级指标", "二级指标", "三级指标", "评分标准", "分值", "自评得分", "扣分原因"]
    for col, text in enumerate(heads):
        r.head(col, text)
    r.next()
    runs1, runs2 = _group_runs(t.indicators)
    for i, ind in enumerate(t.indicators):
        _levels(r, t, i, 0, runs1, runs2)
        r.add(2, ind.name)
        r.add(3, ind.rule or "")
        r.add(4, fmt_num(ind.weight), kind="number")
        r.add(5, fmt_num(ind.score), kind="number")
        r.add(6, ind.note or "")
        r.next()
    r.head(0, "总分", cs=4)
    r.add(4, fmt_num(t.total_weight()), kind="number")
    r.add(5, fmt_num(t.total_score()), kind="number")
    r.add(6, "")
    return g


def _expert_panel(t: EvalTable) -> Grid:
    n = len(t.experts)
    g = Grid(6 + n, (1.0, 1.2, 1.8, 0.6, *([0.75] * n), 0.8, 0.8))
    r = _Rows(g)
    for col, text in enumerate(
        ["一级指标", "二级指标", "三级指标", "分值", *t.experts, "合计", "平均分"]
    ):
        r.head(col, text)
    r.next()
    runs1, runs2 = _group_runs(t.indicators)
    sums = t.row_sums()
    for i, ind in enumerate(t.indicators):
        _levels(r, t, i, 0, runs1, runs2)
        r.add(2, ind.name)
        r.add(3, fmt_num(ind.weight), kind="number")
        for j, score in enumerate(ind.expert_scores):
            r.add(4 + j, fmt_num(score), kind="number")
        r.add(4 + n, fmt_num(sums[i]), kind="number")
        r.add(5 + n, fmt_num(ind.score), kind="number")
        r.next()
    r.head(0, "总分", cs=3)
    r.add(3, fmt_num(t.total_weight()), kind="number")
    for j, total in enumerate(t.expert_totals()):
        r.add(4 + j, fmt_num(total), kind="number")
    r.add(4 + n, fmt_num(t.total_sum()), kind="number")
    r.add(5 + n, fmt_num(t.total_score()), kind="number")
    return g


GRIDS = {
    "project_self": _project_self,
    "project_review": _project_review,
    "department_self": _department_self,
    "expert_panel": _expert_panel,
}


def narrative_paragraphs(report: SampleReport) -> list[Para]:
    n, y = report.narrative, report.year

    def amt(name: str, value: float | None = None) -> str:
        return f"{getattr(n, name) if value is None else value:.2f}{n.unit(name)}"

    def pct(name: str) -> str:
        return f"{getattr(n, name):.2f}%"

    up = n.change >= 0
    less = n.three_public_final <= n.three_public_budget
    return [
        Para(f"{report.entity}{y}年度部门决算说明", "title"),
        Para("一、收入支出决算总体情况", "heading"),
        Para(
            f"{y}年度收入总计{amt('income_total')}，支出总计{amt('expense_total')}。"
            f"与{y - 1}年度相比，收、支总计各{'增加' if up else '减少'}"
            f"{amt('change', abs(n.change))}，{'增长' if up else '下降'}{abs(n.growth):.2f}%，"
            f"主要原因是{n.reason_change}。"
        ),
        Para("二、支出决算情况", "heading"),
        Para(
            f"{y}年度本年支出合计{amt('spend')}，其中：基本支出{amt('basic')}，"
            f"占{pct('basic_share')}；项目支出{amt('project')}，占{pct('project_share')}。"
            f"年末结转和结余{amt('carry_end')}。"
        ),
        Para("三、“三公”经费支出情况", "heading"),
        Para(
            f"{y}年度“三公”经费预算数为{amt('three_public_budget')}，"
            f"决算数为{amt('three_public_final')}，完成预算的{pct('three_public_rate')}。"
            f"其中：因公出国（境）费{amt('three_public_abroad')}；"
            f"公务用车购置及运行维护费{amt('three_public_vehicle')}；"
            f"公务接待费{amt('three_public_reception')}。"
            f"决算数{'小于' if less else '大于'}预算数的主要原因是{n.reason_three_public}。"
        ),
        Para("四、政府采购支出情况", "heading"),
        Para(
            f"{y}年度政府采购支出总额{amt('procurement_total')}，其中：政府采购货物支出"
            f"{amt('procurement_goods')}、政府采购工程支出{amt('procurement_works')}、"
            f"政府采购服务支出{amt('procurement_services')}。授予中小企业合同金额"
            f"{amt('procurement_sme')}，占政府采购支出总额的{pct('procurement_sme_share')}。"
        ),
    ]


def blocks(report: SampleReport) -> list[Block]:
    """The whole report in reading order: the 说明, then each table with its lead-in."""
    out: list[Block] = narrative_paragraphs(report)
    out.append(Para("五、绩效评价情况", "heading"))
    for table in report.tables:
        out.extend(Para(text) for text in table.intro)
        out.append(Para(table.title, "title"))
        if table.kind == "project_self":
            out.append(Para(f"（{report.year}年度）", "subtitle"))
        out.append(GRIDS[table.kind](table))
    return out
