"""Recognize scored tables and read them into Evaluations.

One recognizer for the four kinds, driven by header keywords:

* a 项目资金 block (年初预算数 / 全年预算数 / 全年执行数, or 计划安排资金 / 实际支出) makes a
  project self-evaluation table (``project_self``);
* a header with several person columns between 分值 and 合计 / 平均分 is an expert panel;
* any other indicator grid with a score column is a scoring sheet: ``department_self`` when
  its title or levels speak of the department as a whole, else ``project_review``.

A table without scores (an indicator system that only lists 分值) is not an evaluation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from jixiao.document import Cell, Table
from jixiao.extract.columns import (
    ColumnMap,
    build_column_map,
    continues_header,
    header_role,
    is_header_row,
    role_of_key,
)
from jixiao.extract.grid import GRADE_LABEL, read_grid, total_label
from jixiao.extract.text import compact, has_cjk, join_wrapped_name, value_or_none
from jixiao.model import Evaluation, FundRow, LocDict, loc_dict
from jixiao.numbers import parse_number

_FUND_COLUMNS = [
    ("initial_budget", re.compile(r"年初预算")),
    ("annual_budget", re.compile(r"全年预算|调整后预算|预算数$|计划安排资金|计划投入")),
    ("executed", re.compile(r"全年执行|执行数|实际支出|决算数")),
    ("rate", re.compile(r"执行率")),
    ("score", re.compile(r"得分")),
    ("weight", re.compile(r"分值|权重")),
]
_FUND_ROWS = [
    ("total", re.compile(r"年度资金总额|资金总额|合计|总计")),
    ("fiscal", re.compile(r"财政拨款|当年财政")),
    ("carryover", re.compile(r"上年结转|结转资金|结余资金")),
    ("other", re.compile(r"其他资金|其它资金")),
]
_MONEY_UNIT = re.compile(r"[（(]\s*(万元|元)\s*[)）]|单位[:：]\s*(万元|元)")
_FIELD_LABELS = {
    "项目名称": "subject",
    "主管部门": "competent_dept",
    "部门名称": "competent_dept",  # a 部门整体 sheet's department
    "实施单位": "implementing_unit",
    "项目单位": "implementing_unit",
    "预算单位": "implementing_unit",
}
_SIDE_LABELS = {"项目负责人", "联系电话", "联系人", "项目地址", "邮编", "项目起止时间"}
_EXPERT_NAME = re.compile(r"^(专家\s*[0-9A-Za-z一二三四五六七八九十]+|[\u4e00-\u9fff·]{2,4})$")
_DEPT_HINT = re.compile(r"部门整体|整体支出|部门决策|部门管理|部门绩效|部门（单位）整体")


@dataclass(slots=True)
class TableEvaluation:
    evaluation: Evaluation
    has_title_row: bool  # the table's first row is its own title (OCR tables)


_OWN_TITLE = re.compile(r"[\u4e00-\u9fff（）()]{4,40}(表|报告|框架)")
_FUNDS_STANDARD = re.compile(r"年初预算数?|全年预算数?|全年执行数?")
_FUNDS_VARIANT = re.compile(r"实际支出|实际到位")
_GOAL = re.compile(r"预期目标|^目标$")
_GOAL_DONE = re.compile(r"实际完成|完成情况")


def recognize(table: Table, grid_known: bool) -> TableEvaluation | None:
    rows = table.rows
    # the helpers below test every row's cells by compact text (labels) or, once the table
    # is known to be an evaluation, by folded value: each computed once per table
    keys = [[compact(c.text) for c in row] for row in rows]
    funds_at = _find_funds_header(keys)
    header_at = _find_indicator_header(rows, keys)
    if funds_at is None and header_at is None:
        return None
    cmap: ColumnMap | None = None
    experts: dict[int, str] = {}
    if header_at is not None:
        cmap = _column_map(rows, header_at, grid_known)
        experts = _expert_columns(rows[header_at], cmap)
    if funds_at is not None:
        kind = "project_self"
    elif experts:
        kind = "expert_panel"
    elif cmap is not None and cmap.has("score"):
        kind = "review"  # department_self or project_review: decided with the title
    else:
        return None
    values = [[c.value for c in row] for row in rows]
    ev = Evaluation(
        kind="expert_panel" if kind == "expert_panel" else "project_self",
        title="",
        loc=loc_dict(table.loc),
        uncertain=table.uncertain,
    )
    _read_fields(rows, ev)
    if funds_at is not None:
        _read_funds(rows, funds_at, ev)
        _read_goal(rows, keys, ev)
    if cmap is not None and header_at is not None:
        if experts:
            cmap.extra = experts
        start = header_at + cmap.header_rows
        grid = read_grid(rows, start, cmap, uncertain=table.uncertain, values=values)
        ev.indicators = grid.indicators
        ev.total_weight, ev.total_score = grid.total_weight, grid.total_score
        if grid.total_row:
            ev.cells["total"] = grid.total_row[0].loc.to_dict()
        if experts:
            ev.experts = _experts(experts, grid.expert_scores, len(grid.indicators))
            ev.row_sums = grid.row_sums[: len(grid.indicators)]
    _read_summary_rows(rows, keys, values, ev)
    if kind == "review":
        ev.kind = (
            "department_self" if _looks_departmental(ev) else "project_review"
        )  # refined by title later
    first = "".join(v for v in values[0] if v) if rows else ""
    has_title = bool(_OWN_TITLE.fullmatch(first))
    if has_title:
        ev.title = first  # the table's own first row (OCR may split it over cells)
    return TableEvaluation(ev, has_title)


def _find_funds_header(rows_keys: list[list[str]]) -> int | None:
    for r, keys in enumerate(rows_keys):
        joined = "".join(keys)
        if "预算" not in joined and "执行" not in joined and "计划安排资金" not in joined:
            continue  # none of the words below: most rows, skipped before any pattern
        standard = sum(1 for k in keys if _FUNDS_STANDARD.search(k))
        variant = any("计划安排资金" in k for k in keys) and any(
            _FUNDS_VARIANT.search(k) for k in keys
        )
        if standard >= 2 or variant:
            return r
    return None


def _find_indicator_header(rows: list[list[Cell]], keys: list[list[str]]) -> int | None:
    """The row naming the indicator levels, with value columns named there or in the heading
    rows just above or below it (two- and three-row headers)."""
    for r, row in enumerate(rows):
        roles = {role_of_key(k) for k in keys[r]}
        if not roles & {"name", "level1", "level2"} or not is_header_row(row):
            continue
        for near in rows[max(0, r - 2) : r] + rows[r + 1 : r + 3]:
            if continues_header(near):
                roles |= {header_role(c.text) for c in near}
        if roles & {"score", "weight", "target", "actual"}:
            return r
    return None


def _column_map(rows: list[list[Cell]], at: int, grid_known: bool) -> ColumnMap:
    """The header row found, the heading rows below it, then those above it (spanning titles
    like ``评价指标`` or ``得分情况`` over a two-row header) fill the columns still unnamed."""
    below = []
    for row in rows[at + 1 : at + 3]:
        if not continues_header(row):
            break
        below.append(row)
    above = []
    for row in reversed(rows[max(0, at - 2) : at]):
        if not continues_header(row):
            break
        above.append(row)
    cmap = build_column_map([rows[at], *below, *above], grid_known)
    cmap.header_rows = 1 + len(below)
    return cmap


def _expert_columns(header: list[Cell], cmap: ColumnMap | None) -> dict[int, str]:
    """Person columns between 分值 and 合计/平均分."""
    if cmap is None or not (cmap.has("rowsum") or cmap.has("score")):
        return {}
    weight_at = cmap.index("weight")
    end = cmap.index("rowsum") if cmap.has("rowsum") else cmap.index("score")
    if weight_at is None or end is None or end <= weight_at + 2:
        return {}
    cols = {}
    for cell in header:
        k = cell.col if cmap.grid_known else header.index(cell)
        if weight_at < k < end and cmap.roles[k] is None and _EXPERT_NAME.match(compact(cell.text)):
            cols[k] = compact(cell.text)
    return cols if len(cols) >= 2 else {}


def _read_fields(rows: list[list[Cell]], ev: Evaluation) -> None:
    """Label / value pairs: 项目名称 | X, 主管部门 | X | 实施单位 | Y."""
    for row in rows[:6]:
        cells = [c for c in row if c.value]
        for i, cell in enumerate(cells):
            field, merged = _label_of(compact(cell.text))
            if field is None:
                continue
            if merged:  # OCR merged a value with the next label: "上海市…办公室 实施单位"
                _set_field(ev, "competent_dept", cell.value[:-merged].strip(), cell)
            value = next((c for c in cells[i + 1 :] if compact(c.text) not in _FIELD_LABELS), None)
            if value is not None and compact(value.text) not in _SIDE_LABELS:
                _set_field(ev, field, value.value, value)


@lru_cache(maxsize=8192)
def _label_of(key: str) -> tuple[str | None, int]:
    """The field a label cell names, and the length of a label OCR glued to a value (else 0)."""
    field = _FIELD_LABELS.get(key) or _ocr_label(key)
    if field is not None:
        return field, 0
    for label, name in _FIELD_LABELS.items():
        if name == "implementing_unit" and key.endswith(label) and len(key) > len(label):
            return name, len(label)
    return None, 0


def _ocr_label(key: str) -> str | None:
    """A label whose first character the OCR lost or garbled: ``5目名称`` / ``管部门``."""
    for label, field in _FIELD_LABELS.items():
        tail = label[1:]
        if key.endswith(tail) and len(key) <= len(label):
            return field
    return None


def _set_field(ev: Evaluation, field: str, text: str, cell: Cell) -> None:
    if getattr(ev, field) is None and text:
        setattr(ev, field, text if field == "subject" else join_wrapped_name(text))
        ev.cells[field] = cell.loc.to_dict()


def _read_funds(rows: list[list[Cell]], at: int, ev: Evaluation) -> None:
    header = rows[at]
    keys = [compact(c.text) for c in header]
    if any("计划安排资金" in k for k in keys):
        _read_funds_pairs(header, ev)
        return
    roles: list[str | None] = []
    for k in keys:
        roles.append(next((name for name, pat in _FUND_COLUMNS if pat.search(k)), None))
    ev.money_unit = _money_unit(rows[at : at + 6])
    seen: set[str] = set()
    for row in rows[at + 1 : at + 8]:
        source = _fund_source(row)
        if source is None or source in seen:
            if seen and source is None and not any(parse_number(c.text) is not None for c in row):
                break
            continue
        seen.add(source)
        amounts: dict[str, float | None] = {}
        cells: dict[str, LocDict] = {}
        printed: dict[str, str] = {}
        aligned = row if len(row) >= len(roles) else [None] * (len(roles) - len(row)) + row
        for role, cell in zip(roles, aligned, strict=False):
            if role is None or cell is None:
                continue
            amounts[role] = parse_number(cell.text)
            cells[role] = cell.loc.to_dict()
            if cell.value:
                printed[role] = cell.value
        # one validation for the row rather than an attribute assignment per column
        fund = FundRow(source=source, loc=row[0].loc.row_dict(), **amounts)  # type: ignore[arg-type]
        fund.cells.update(cells)
        fund.printed.update(printed)
        ev.funds.append(fund)
    order = [name for name, _ in _FUND_ROWS]
    ev.funds.sort(key=lambda f: order.index(f.source))


def _read_funds_pairs(header: list[Cell], ev: Evaluation) -> None:
    """The variant with label / value pairs: 计划安排资金（万元）| 173 | 实际支出（万元）| 173."""
    fund = FundRow(source="total", loc=loc_dict(header[0].loc.at(col=None)))
    cells = [c for c in header if c.value]
    for i, cell in enumerate(cells[:-1]):
        key = compact(cell.text)
        value = cells[i + 1]
        if "计划安排资金" in key:
            role = "annual_budget"
        elif "实际支出" in key:
            role = "executed"
        else:
            continue
        setattr(fund, role, parse_number(value.text))
        fund.cells[role] = value.loc.to_dict()
        fund.printed[role] = value.value
        unit = _MONEY_UNIT.search(key)
        if unit:
            ev.money_unit = unit.group(1) or unit.group(2)  # type: ignore[assignment]
    ev.funds = [fund]


def _fund_source(row: list[Cell]) -> str | None:
    for cell in row[:5]:
        key = compact(cell.text)
        if not key or parse_number(cell.text) is not None:
            continue
        for source, pattern in _FUND_ROWS:
            if pattern.search(key):
                return source
    return None


def _money_unit(rows: list[list[Cell]]) -> Literal["万元", "元"] | None:
    for row in rows:
        for cell in row:
            m = _MONEY_UNIT.search(compact(cell.text))
            if m:
                return "万元" if (m.group(1) or m.group(2)) == "万元" else "元"
    return None


def _read_goal(rows: list[list[Cell]], rows_keys: list[list[str]], ev: Evaluation) -> None:
    """年度总体目标: a row [预期目标 | 实际完成情况] and the texts under it."""
    for r, row in enumerate(rows[:-1]):
        joined = "".join(rows_keys[r])
        if "目标" not in joined or "完成" not in joined:
            continue  # cannot name both columns
        keys = [k if len(k) <= 10 else "" for k in rows_keys[r]]
        goal_at = next((i for i, k in enumerate(keys) if _GOAL.search(k)), None)
        done_at = next((i for i, k in enumerate(keys) if _GOAL_DONE.search(k)), None)
        if goal_at is None or done_at is None:
            continue
        below = rows[r + 1]
        goal: Cell | None
        done: Cell | None
        if len(below) == len(row):
            goal, done = below[goal_at], below[done_at]
        else:
            texts = [c for c in below if c.value]
            goal, done = (texts[-2], texts[-1]) if len(texts) >= 2 else (None, None)
        if goal is not None and has_cjk(goal.text):
            ev.goal = value_or_none(goal.text)
            ev.cells["goal"] = goal.loc.to_dict()
        if done is not None and has_cjk(done.text):
            ev.goal_actual = value_or_none(done.text)
            ev.cells["goal_actual"] = done.loc.to_dict()
        return


def _read_summary_rows(
    rows: list[list[Cell]], keys: list[list[str]], values: list[list[str]], ev: Evaluation
) -> None:
    """绩效自评综合得分 | 98 and 评价等次 | 优, wherever they stand in the table."""
    for r, row in enumerate(rows):
        filled = [k for k, v in enumerate(values[r]) if v]
        if len(filled) < 2:
            continue
        cells = [row[k] for k in filled]
        if GRADE_LABEL.match(keys[r][filled[0]]) and ev.grade is None:
            ev.grade = cells[1].value
            ev.cells["grade"] = cells[1].loc.to_dict()
        elif ev.total_score is None and len(cells) == 2 and total_label(row, values[r]):
            ev.total_score = parse_number(cells[1].text)
            ev.cells["total"] = cells[0].loc.to_dict()


def _looks_departmental(ev: Evaluation) -> bool:
    levels = " ".join(i.level1 or "" for i in ev.indicators)
    return bool(_DEPT_HINT.search(levels))


def _experts(cols: dict[int, str], scores: list[list[float | None]], n_rows: int):
    from jixiao.model import Expert

    out = []
    for j, name in enumerate(cols.values()):
        per_row = [s[j] for s in scores[:n_rows]]
        total = scores[n_rows][j] if len(scores) > n_rows else None
        out.append(Expert(name=name, scores=per_row, total=total))
    return out
