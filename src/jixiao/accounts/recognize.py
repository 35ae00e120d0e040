"""Recognize the nine 部门决算 tables of a Document into a :class:`FinalAccounts`.

General rules only, the same for PDF, DOCX and XLSX:

* **Which table.** The title, in a paragraph just above the table (the 单位 line and a lone
  year may sit between) or in a caption row at its top, names the table; keywords are tried
  from the most specific (财政拨款收入支出决算总表 before 收入支出决算总表, 基本支出 before
  支出). Without a title, the header's column meanings decide when they are unambiguous.
* **Header.** The header is the run of rows above the first data row (a row holding a
  number or a code, or labelled 合计/总计/一、…); caption rows (one cell over the width: a
  title, 单位：万元) are not part of it. Each grid column gets the path of header texts
  above it, merged cells resolved both ways; the path gives the column its role (code part
  类/款/项 or whole code, name, value) and a value column its meaning.
* **Segments.** Tables printing two lists side by side (收入 | 支出 in the summary tables,
  two 经济分类 lists in the 基本支出 table) are cut into segments, each with its own code,
  name and value columns; every physical row gives one row per segment.
* **Codes.** 类 | 款 | 项 parts are joined (blank upper parts inherited from the row above),
  whole codes read with spaces removed, a code at the start of the name split off.
* **Unit.** ``单位：万元`` (or 元 …) in a paragraph near the title or a caption row.
* **Empty tables.** A 注/说明 line under a table saying it has no data is its ``empty_note``.
* **Template.** Tables recognized but none holding a figure: the blank national template.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from jixiao.accounts.codes import (
    class_code,
    clean_code,
    compact,
    join_parts,
    level_of,
    split_leading_code,
    strip_enum,
    tidy_name,
)
from jixiao.accounts.model import (
    TABLE_KINDS,
    TABLE_TITLES,
    AccountsRow,
    AccountsTable,
    FinalAccounts,
    Marked,
)
from jixiao.accounts.statement import read_statement
from jixiao.document import Block, Cell, Document, Paragraph, Table
from jixiao.numbers import parse_number

__all__ = ["extract_accounts", "recognize_table"]

# -- titles ---------------------------------------------------------------------------------

# Most specific first: the first keyword found in a title decides.
_TITLE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fiscal_total", ("财政拨款收入支出决算总表", "财政拨款收支决算总表")),
    ("income_expense_total", ("收入支出决算总表", "收支决算总表")),
    ("gov_fund", ("政府性基金预算财政拨款",)),
    ("state_capital", ("国有资本经营预算财政拨款",)),
    ("three_public", ("三公经费", "三公”经费", '三公"经费')),
    ("general_budget_basic", ("一般公共预算财政拨款基本支出", "一般公共预算基本支出")),
    ("general_budget_expense", ("一般公共预算财政拨款支出", "一般公共预算支出决算表")),
    ("income", ("收入决算表",)),
    ("expense", ("支出决算表",)),
)
_UNIT_RE = re.compile(r"单位\s*[:：]\s*(亿元|万元|千元|元)")
_YEAR_ONLY = re.compile(r"^\s*(?:19|20)\d{2}\s*(?:年度?)?\s*$")
_NOTE_START = re.compile(r"^\s*(?:注|说明|备注)\s*[0-9一二三四五六七八九十]*\s*[:：]")
_EMPTY_NOTE = re.compile(
    r"无数据|空表|无.{0,30}(?:收入|支出|经费|数据)|没有.{0,30}(?:收入|支出|经费)"
)
_TEMPLATE_TEXT = re.compile(
    r"仍保留该表格式|作下述说明|不涉及的不列|如持平作持平表述|根据.{0,10}填写"
)
PLACEHOLDER = re.compile(r"(?<![A-Za-z])[XＸ]{2,}(?![A-Za-z])")
_HEADING = re.compile(r"部门决算")
_HEADING_END = re.compile(r"年度?部门决算表?$")
_ENTITY_RE = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分\s*)?(.{2,40}?)\s*(?:(?:19|20)\d{2}\s*)?年度?\s*部门决算"
)
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年度")


def _title_kind(text: str) -> str | None:
    """The table kind a title names, or None (a 说明 heading, a note, anything else)."""
    t = compact(text).replace("\u201c", "").replace("\u201d", "").replace('"', "")
    if not t or len(t) > 60 or "说明" in t or "表" not in t or _NOTE_START.match(t):
        return None
    if t.startswith(("注", "本表")) or "本表" in t:
        return None
    for kind, words in _TITLE_RULES:
        if any(w.replace("\u201d", "").replace('"', "") in t for w in words):
            return kind
    return None


def _unit_of(text: str) -> str | None:
    m = _UNIT_RE.search(compact(text))
    return m.group(1) if m else None


# -- the grid -------------------------------------------------------------------------------


def _resolved(table: Table) -> list[list[Cell | None]]:
    """Every grid position → the cell printed there, vertical merges resolved to their anchor."""
    grid = table.grid()
    for r, line in enumerate(grid):
        for c, cell in enumerate(line):
            if cell is None or not cell.covered:
                continue
            for up in range(r - 1, -1, -1):
                above = grid[up][c]
                if above is not None and not above.covered:
                    line[c] = above
                    break
    return grid


def _own(grid: list[list[Cell | None]], r: int, c: int) -> Cell | None:
    """The cell anchored in row ``r`` at column ``c`` (not one merged down from above)."""
    cell = grid[r][c] if c < len(grid[r]) else None
    if cell is None or cell.covered or cell.row != r:
        return None
    return cell


def _text(cell: Cell | None) -> str:
    return cell.value if cell is not None else ""


_ROW_LABEL = re.compile(
    r"^(?:总计|合计|收入总计|支出总计|本年收入合计|本年支出合计|人员经费合计|公用经费合计"
    r"|年初.*结余|年末.*结余|使用.*结余.*|结余分配|栏次)$"
)
_ENUM_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])"
)
_PLACEHOLDER_ROW = re.compile(r"^[…\.。·\s]+$")


def _is_number(text: str) -> bool:
    return bool(text) and parse_number(text) is not None


def _row_texts(grid: list[list[Cell | None]], r: int) -> list[tuple[int, Cell]]:
    out = []
    for c in range(len(grid[r])):
        cell = _own(grid, r, c)
        if cell is not None and cell.col == c and cell.value:
            out.append((c, cell))
    return out


_CAPTION_CELL = re.compile(r"^(?:编制|填报|填表)?单位|^金额单位|^(?:19|20)\d{2}\s*年")


def _is_caption(grid: list[list[Cell | None]], r: int, width: int) -> bool:
    """A title or unit row above the header: one cell over the width, or only unit cells."""
    cells = _row_texts(grid, r)
    if not cells:
        return False
    if all(_CAPTION_CELL.match(compact(cell.value)) for _, cell in cells):
        return True  # 编制单位：XX局 … 单位：万元
    if len(cells) != 1:
        return False
    cell = cells[0][1]
    if _unit_of(cell.value) or _title_kind(cell.value):
        return True
    return cell.colspan >= max(2, width - 1)


def _is_column_numbers(cells: list[tuple[int, Cell]]) -> bool:
    """The 栏次 row under a header: 栏次 | 1 | 2 | 3 …"""
    texts = [compact(cell.value) for _, cell in cells]
    return "栏次" in texts or (len(texts) >= 3 and texts == [str(k + 1) for k in range(len(texts))])


def _is_data_row(grid: list[list[Cell | None]], r: int) -> bool:
    cells = _row_texts(grid, r)
    if _is_column_numbers(cells):
        return False
    if any(_is_number(cell.value) for _, cell in cells):
        return True
    first = grid[r][0] if grid[r] else None
    # a label merged down over several rows is a column header (三公: 合计 over 预算数/决算数)
    label = compact(_text(first)) if first is not None and first.row == r else ""
    if first is not None and first.rowspan > 1:
        label = ""
    if label and label != "栏次" and (_ROW_LABEL.match(label) or _ENUM_START.match(label)):
        return True
    return bool(label) and bool(_PLACEHOLDER_ROW.match(label))


# -- columns --------------------------------------------------------------------------------

_GENERIC = ("total", "final", "budget")
_MEANING_RULES: tuple[tuple[str, str], ...] = (
    ("年初", "initial_carryover"),
    ("年末", "final_carryover"),
    ("本年收入合计", "total"),
    ("本年支出合计", "total"),
    ("收入合计", "total"),
    ("支出合计", "total"),
    ("一般公共预算", "general_budget"),
    ("政府性基金", "gov_fund"),
    ("国有资本", "state_capital"),
    ("财政拨款", "fiscal"),
    ("上级补助", "superior_subsidy"),
    ("事业收入", "business"),
    ("经营收入", "operating"),
    ("附属单位上缴", "affiliated"),
    ("其他收入", "other"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("上缴上级", "remit_superior"),
    ("经营支出", "operating_expense"),
    ("对附属单位补助", "affiliated_subsidy"),
    ("本年收入", "income"),
    ("本年支出", "expense"),
    ("决算", "final"),
    ("预算", "budget"),
    ("小计", "total"),
    ("合计", "total"),
    ("金额", "final"),
)


def _rule(element: str) -> str | None:
    for word, meaning in _MEANING_RULES:
        if word in element:
            return meaning
    return None


def _three_public_group(element: str) -> str | None:
    if "因公出国" in element:
        return "abroad"
    if "公务接待" in element:
        return "reception"
    if "公务用车" in element or "购置" in element or "运行" in element:
        if "及" in element or ("购置" in element and "运行" in element):
            return "vehicle"
        if "购置" in element:
            return "vehicle_purchase"
        if "运行" in element:
            return "vehicle_operation"
        return "vehicle"
    if element in ("合计", "总计"):
        return "total"
    return None


def _meaning(path: list[str], kind: str | None) -> str | None:
    if not path:
        return None
    if kind == "three_public" or any("因公出国" in e or "公务接待" in e for e in path):
        dim = None
        group = None
        pending_sub = False
        for element in reversed(path):
            if dim is None and ("预算" in element or "决算" in element):
                dim = "budget" if "预算" in element else "final"
                continue
            if element == "小计":
                pending_sub = True
                continue
            g = _three_public_group(element)
            if g is not None and group is None:
                group = "vehicle" if pending_sub and g.startswith("vehicle") else g
        if group is None and pending_sub:
            group = "vehicle"
        if group is None:
            return dim  # printed down the page: 预算数 / 决算数 columns, groups in rows
        return f"{group}.{dim or 'final'}"
    meanings = [_rule(e) for e in path]
    for m in reversed(meanings):
        if m is not None and m not in _GENERIC:
            return m  # '小计' under '本年支出' is the 本年支出
    return next((m for m in reversed(meanings) if m is not None), None)


@dataclass
class _Column:
    col: int
    role: str  # 'code' | 'name' | 'value' | 'skip'
    part: int = -1  # 0 类, 1 款, 2 项; -1 a whole code
    meaning: str | None = None
    path: list[str] = field(default_factory=list)


@dataclass
class _Segment:
    codes: list[_Column] = field(default_factory=list)
    name: _Column | None = None
    values: list[_Column] = field(default_factory=list)
    side: str | None = None


@dataclass
class _Layout:
    header_end: int  # first row after the header (and captions)
    columns: list[_Column]
    segments: list[_Segment]
    caption_texts: list[tuple[str, Cell]]


_SUBHEAD_TERMS = frozenset(
    {"类", "款", "项", "合计", "小计", "基本支出", "项目支出", "预算数", "决算数"}
)


def _classify(path: list[str], kind: str | None) -> _Column:
    last = path[-1] if path else ""
    if last in ("类", "款", "项"):
        return _Column(0, "code", part="类款项".index(last), path=path)
    if any("名称" in e for e in path) or last in ("项目", "科目", "项目名称"):
        return _Column(0, "name", path=path)
    if any("编码" in e or "代码" in e or e.endswith("分类") for e in path):
        return _Column(0, "code", path=path)
    meaning = _meaning(path, kind)
    if meaning is not None:
        return _Column(0, "value", meaning=meaning, path=path)
    joined = "".join(path)
    if "编码" in joined or "代码" in joined:
        return _Column(0, "code", path=path)
    if "名称" in joined or (path and path[0] == "项目"):
        return _Column(0, "name", path=path)
    return _Column(0, "skip", path=path)


def _layout(table: Table, grid: list[list[Cell | None]], kind: str | None) -> _Layout:
    width = table.n_cols
    n = len(grid)
    start = 0
    captions: list[tuple[str, Cell]] = []
    while start < n and start < 3 and _is_caption(grid, start, width):
        captions += [(cell.value, cell) for _, cell in _row_texts(grid, start)]
        start += 1
    first_data = next((r for r in range(start, n) if _is_data_row(grid, r)), n)
    header_rows = [r for r in range(start, first_data) if _row_texts(grid, r)]
    header_end = header_rows[-1] + 1 if header_rows else start
    header_end = min(header_end, first_data)
    columns: list[_Column] = []
    for c in range(width):
        path: list[str] = []
        seen: list[int] = []
        for r in range(start, header_end):
            cell = grid[r][c]
            if cell is None or cell.covered or not cell.value or id(cell) in seen:
                continue
            seen.append(id(cell))
            text = compact(cell.value)
            if text != "栏次" and not text.isdigit():
                path.append(text)
        if first_data < n:
            cell = _own(grid, first_data, c)
            text = compact(_text(cell))
            base = _classify(path, kind).role
            # the last header row may share the first data row (类 | 款 | 项 | 合计 | 2,946.25 …)
            wanted = ("code", "skip") if text in ("类", "款", "项") else ("value",)
            if (
                text in _SUBHEAD_TERMS
                and cell is not None
                and cell.col == c
                and base in wanted
                and not (path and path[-1] == text)
            ):
                path.append(text)
        column = _classify(path, kind)
        column.col = c
        columns.append(column)
    _infer_unlabelled(columns, grid, header_end)
    segments = _segments(columns)
    return _Layout(header_end, columns, segments, captions)


def _infer_unlabelled(columns: list[_Column], grid: list[list[Cell | None]], start: int) -> None:
    """Columns with no header (a code column left blank above): read their content."""
    for column in columns:
        if column.role != "skip" or column.path:
            continue
        texts = [compact(_text(_own(grid, r, column.col))) for r in range(start, len(grid))]
        texts = [t for t in texts if t]
        if texts and sum(clean_code(t) is not None for t in texts) >= 0.6 * len(texts):
            column.role = "code"


def _segments(columns: list[_Column]) -> list[_Segment]:
    segments: list[_Segment] = []
    current = _Segment()
    for column in columns:
        if column.role in ("code", "name") and current.values:
            segments.append(current)
            current = _Segment()
        if column.role == "code":
            current.codes.append(column)
        elif column.role == "name":
            if current.name is None:
                current.name = column
        elif column.role == "value":
            if any(v.meaning == column.meaning for v in current.values):
                continue  # a repeated meaning: keep the first
            current.values.append(column)
    if current.codes or current.name or current.values:
        segments.append(current)
    for seg in segments:
        top = [c.path[0] for c in (*seg.codes, seg.name, *seg.values) if c is not None and c.path]
        if top and top[0] in ("收入", "收入项目"):
            seg.side = "income"
        elif top and top[0] in ("支出", "支出项目"):
            seg.side = "expense"
    return segments


# -- kind from the header ---------------------------------------------------------------------


def _kind_from_layout(layout: _Layout) -> str | None:
    meanings = {c.meaning for c in layout.columns if c.meaning}
    paths = "".join("".join(c.path) for c in layout.columns)
    sides = {s.side for s in layout.segments}
    if any(m.split(".")[0] in ("abroad", "reception") for m in meanings):
        return "three_public"
    if "经济分类" in paths:
        return "general_budget_basic"
    if {"income", "expense"} <= sides:
        if {"general_budget", "gov_fund", "state_capital"} <= meanings:
            return "fiscal_total"
        return "income_expense_total"
    if meanings & {"fiscal", "business", "superior_subsidy"}:
        return "income"
    if meanings & {"remit_superior", "operating_expense", "affiliated_subsidy"}:
        return "expense"
    if {"basic", "project"} <= meanings and not meanings & {"initial_carryover", "income"}:
        return "general_budget_expense"
    return None


# -- rows ---------------------------------------------------------------------------------------

_INCOME_KEYS: tuple[tuple[str, str], ...] = (
    ("一般公共预算", "general_budget"),
    ("政府性基金", "gov_fund"),
    ("国有资本", "state_capital"),
    ("上级补助", "superior_subsidy"),
    ("事业收入", "business"),
    ("经营收入", "operating"),
    ("附属单位", "affiliated"),
    ("其他收入", "other"),
)


def _role(label: str) -> str:
    k = compact(strip_enum(label))
    if k in ("总计", "收入总计", "支出总计"):
        return "total"
    if k in ("合计", "总合计"):
        return "total"
    if k.startswith("本年") and k.endswith("合计"):
        return "subtotal"
    if k in ("收入合计", "支出合计"):
        return "subtotal"
    if k.startswith("年初") and "结余" in k:
        return "initial_carryover"
    if k.startswith("年末") and "结余" in k:
        return "final_carryover"
    if k.startswith("使用") and "结余" in k:
        return "nonfiscal_balance"
    if k.startswith("结余分配"):
        return "balance_distribution"
    if k.startswith("人员经费"):
        return "personnel_total"
    if k.startswith("公用经费"):
        return "public_total"
    return "item"


def _income_key(label: str) -> str | None:
    k = compact(label)
    return next((key for word, key in _INCOME_KEYS if word in k), None)


def _loc(cell: Cell | None) -> dict | None:
    return cell.loc.to_dict() if cell is not None else None


def _read_rows(
    table: Table,
    grid: list[list[Cell | None]],
    layout: _Layout,
    kind: str,
    start: int | None = None,
) -> tuple[list[AccountsRow], list[tuple[str, Cell]], int]:
    """Rows of every segment; trailing note rows (注：…) are returned apart."""
    rows_by_seg: list[list[AccountsRow]] = [[] for _ in layout.segments]
    notes: list[tuple[str, Cell]] = []
    placeholders = 0
    previous: list[str | None] = [None] * len(layout.segments)
    after_initial = [False] * len(layout.segments)
    for r in range(layout.header_end if start is None else start, len(grid)):
        texts = _row_texts(grid, r)
        if len(texts) == 1 and _is_note_row(texts[0][1]):
            notes.append((texts[0][1].value, texts[0][1]))
            continue
        if _is_column_numbers(texts):
            continue
        for s, seg in enumerate(layout.segments):
            row = _read_row(grid, r, seg, kind, previous[s])
            if row is None:
                continue
            if row == "placeholder":
                placeholders += 1
                continue
            assert isinstance(row, AccountsRow)
            if row.code is not None:
                previous[s] = row.code
            if row.role == "initial_carryover":
                after_initial[s] = True
            elif row.role == "item" and after_initial[s] and row.key is not None:
                row.role = "carryover_part"
            elif row.role in ("total", "subtotal"):
                after_initial[s] = False
            rows_by_seg[s].append(row)
    rows = [row for seg in rows_by_seg for row in seg]
    if kind == "three_public" and len(rows) > 1:
        rows = _collapse_three_public(rows)
    return rows, notes, placeholders


def _is_note_row(cell: Cell) -> bool:
    """A note printed inside the table: 注：… or a sentence saying the table has no data."""
    text = compact(cell.value)
    if _NOTE_START.match(text):
        return True
    return len(text) > 12 and bool(_EMPTY_NOTE.search(text)) and not _is_number(text)


def _collapse_three_public(rows: list[AccountsRow]) -> list[AccountsRow]:
    """The 三公 table printed down the page (合计 / 因公出国 / … rows × 预算数 / 决算数 columns)
    as the one line of the usual form, its values keyed ``<group>.<budget|final>``."""
    merged = AccountsRow(name="“三公”经费", loc=rows[0].loc)
    for row in rows:
        group = _three_public_group(compact(row.name))
        if group is None:
            continue
        for dim, value in row.values.items():
            if dim not in ("budget", "final"):
                continue
            key = f"{group}.{dim}"
            merged.values[key] = value
            if dim in row.printed:
                merged.printed[key] = row.printed[dim]
            if dim in row.cells:
                merged.cells[key] = row.cells[dim]
    return [merged] if merged.values else rows


def _read_row(
    grid: list[list[Cell | None]], r: int, seg: _Segment, kind: str, previous: str | None
) -> AccountsRow | str | None:
    label_cell: Cell | None = None
    code: str | None = None
    if seg.codes:
        parts_cells = [grid[r][c.col] for c in seg.codes]
        if len(seg.codes) == 1 or all(c.part < 0 for c in seg.codes):
            text = _text(parts_cells[0])
            code = clean_code(text)
            if code is None and text and not _is_number(text):
                label_cell = parts_cells[0]  # 合计 merged over the code columns
        else:
            texts = [_text(c) for c in parts_cells]
            code = join_parts(texts, previous)
            if code is None:
                label_cell = next(
                    (c for c in parts_cells if c is not None and c.value and not c.value.isdigit()),
                    None,
                )
        if code is not None:
            label_cell = next((c for c in parts_cells if c is not None and c.value), None)
    name = ""
    if seg.name is not None:
        cell = grid[r][seg.name.col]
        if cell is not None and not cell.covered and cell.row == r:
            name = cell.value
            label_cell = cell
    if not name and label_cell is not None and code is None:
        name = label_cell.value
    if code is None and name:
        split = split_leading_code(name)
        if split is not None and seg.name is not None:
            code, name = split
    values: dict[str, float | None] = {}
    printed: dict[str, str] = {}
    cells: dict[str, dict] = {}
    for column in seg.values:
        cell = _own(grid, r, column.col)
        meaning = column.meaning or ""
        if cell is not None and cell.col != column.col:
            cell = None  # a label merged across: no value here
        text = _text(cell)
        if cell is not None:
            cells[meaning] = cell.loc.to_dict()
        if text and _PLACEHOLDER_ROW.match(text):
            text = ""
        values[meaning] = parse_number(text) if text else None
        if text:
            printed[meaning] = text
    has_values = any(v is not None for v in values.values())
    if not name and code is None and not has_values:
        if (
            kind == "three_public"
            and seg.values
            and not seg.codes
            and seg.name is None
            and any(_own(grid, r, c.col) is not None for c in seg.values)
        ):
            # the one data line of the 三公 table, printed empty
            return _three_public_row(values, printed, cells, grid, r, seg)
        return None
    if _PLACEHOLDER_ROW.match(name or "…") and code is None and not has_values:
        return "placeholder"
    if kind == "three_public" and not name:
        return _three_public_row(values, printed, cells, grid, r, seg)
    role = _role(name) if code is None else "item"
    key = None
    inferred = False
    if code is None and role == "item" and seg.side == "income":
        key = _income_key(name)
    if code is None and role == "item" and seg.side == "expense":
        code = class_code(name)
        inferred = code is not None
    anchor = label_cell or next(
        (grid[r][c.col] for c in seg.values if grid[r][c.col] is not None), None
    )
    return AccountsRow(
        code=code,
        level=level_of(code),
        name=tidy_name(strip_enum(name)) if name else "",
        values=values,
        printed=printed,
        loc=_loc(anchor),
        cells=cells,
        side=seg.side,
        role=role,
        key=key,
        code_inferred=inferred,
    )


def _three_public_row(values, printed, cells, grid, r, seg) -> AccountsRow:
    anchor = next((grid[r][c.col] for c in seg.values if grid[r][c.col] is not None), None)
    return AccountsRow(
        name="“三公”经费", values=values, printed=printed, cells=cells, loc=_loc(anchor)
    )


# -- the document -------------------------------------------------------------------------------


@dataclass
class _Found:
    kind: str
    index: int  # block index
    table: AccountsTable
    layout: _Layout
    n_cols: int


def recognize_table(
    table: Table, kind: str | None = None, title: str | None = None
) -> AccountsTable | None:
    """One table on its own: its kind from ``kind``, a caption row or its header."""
    grid = _resolved(table)
    if not grid:
        return None
    classified = _classify_table(table, grid, kind, title)
    if classified is None:
        return None
    kind, title, layout = classified
    out, _ = _make_table(table, grid, kind, title, layout, None, None)
    return out


def _classify_table(
    table: Table, grid: list[list[Cell | None]], kind: str | None, title: str | None
) -> tuple[str, str | None, _Layout] | None:
    """(kind, title, layout): the kind given (from a title above), a caption's, the header's."""
    layout = _layout(table, grid, kind)
    if kind is None:
        caption = next((t for t, _ in layout.caption_texts if _title_kind(t)), None)
        kind = _title_kind(caption) if caption else _kind_from_layout(layout)
        if kind is None:
            return None
        title = title or caption
        layout = _layout(table, grid, kind)
    return kind, title, layout


def _make_table(
    table: Table,
    grid: list[list[Cell | None]],
    kind: str,
    title: str | None,
    layout: _Layout,
    unit: str | None,
    title_loc: dict | None,
) -> tuple[AccountsTable, int]:
    """The AccountsTable of one recognized table, and how many placeholder rows (…) it has."""
    rows, notes, placeholders = _read_rows(table, grid, layout, kind)
    unit = unit or next((u for t, _ in layout.caption_texts if (u := _unit_of(t))), None)
    columns: list[str] = []
    for seg in layout.segments:
        for column in seg.values:
            if column.meaning and column.meaning not in columns:
                columns.append(column.meaning)
    if kind == "three_public" and len(rows) == 1 and all("." in k for k in rows[0].values):
        columns = list(rows[0].values)
    out = AccountsTable(
        kind=kind,  # type: ignore[arg-type]
        title=title,
        unit=unit,
        columns=columns,
        rows=rows,
        loc=table.loc.to_dict(),
        title_loc=title_loc,
    )
    for text, cell in notes:
        _add_note(out, text, cell.loc.to_dict())
    return out, placeholders


def _add_note(table: AccountsTable, text: str, loc: dict | None) -> None:
    table.notes.append(text)
    folded = compact(text)
    if (
        table.empty_note is None
        and _EMPTY_NOTE.search(folded)
        and not _TEMPLATE_TEXT.search(folded)
    ):
        table.empty_note = text
        table.empty_note_loc = loc


def _title_before(
    blocks: list[Block], index: int
) -> tuple[str | None, str | None, Paragraph | None]:
    """(kind, title text, paragraph) from the paragraphs just above a table, and its unit."""
    for k in range(index - 1, max(-1, index - 6), -1):
        block = blocks[k]
        if isinstance(block, Table):
            break
        text = block.value
        if not text or _YEAR_ONLY.match(text) or (_unit_of(text) and len(compact(text)) < 30):
            continue
        kind = _title_kind(text)
        if kind is not None:
            return kind, text, block
    return None, None, None


def _unit_before(blocks: list[Block], index: int) -> str | None:
    for k in range(index - 1, max(-1, index - 6), -1):
        block = blocks[k]
        if isinstance(block, Table):
            break
        unit = _unit_of(block.value)
        if unit:
            return unit
    return None


_SECTION = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])"
)


def _notes_after(blocks: list[Block], index: int) -> list[Paragraph]:
    """The 注 / 说明 lines printed under a table, up to the next table, title or section."""
    out: list[Paragraph] = []
    for k in range(index + 1, min(len(blocks), index + 6)):
        block = blocks[k]
        if isinstance(block, Table) or _title_kind(block.value):
            break
        text = compact(block.value)
        if _SECTION.match(text):
            break
        if (
            _NOTE_START.match(text)
            or "本表" in text
            or (_EMPTY_NOTE.search(text) and len(text) < 120)
        ):
            out.append(block)
    return out


def extract_accounts(doc: Document) -> FinalAccounts | None:
    """The 部门决算 tables of ``doc``, or None when it holds none of them."""
    blocks = doc.blocks
    found: list[_Found] = []
    seen: set[str] = set()
    warnings: list[str] = []
    placeholders_in_rows = 0
    for index, block in enumerate(blocks):
        if not isinstance(block, Table):
            continue
        grid = _resolved(block)
        if not grid:
            continue
        kind, title, title_para = _title_before(blocks, index)
        if kind is None and not _has_caption_title(block, grid):
            prev = found[-1] if found else None
            if prev is not None and _continues(blocks, prev, block, index):
                # a table running on without a title or header: the one before, continued
                start = next((r for r in range(len(grid)) if _is_data_row(grid, r)), len(grid))
                rows, notes, ph = _read_rows(block, grid, prev.layout, prev.kind, start)
                prev.table.rows.extend(rows)
                placeholders_in_rows += ph
                for text, cell in notes:
                    _add_note(prev.table, text, cell.loc.to_dict())
                prev.index = index
                continue
        classified = _classify_table(block, grid, kind, title)
        if classified is None:
            continue
        kind, title, layout = classified
        if title is None and (kind in seen or not found):
            # known by its header only: kept inside a run of titled 决算 tables, never
            # a reason to call a document a 部门决算 (a 绩效 table has 财政拨款 columns too)
            continue
        if kind in seen:
            warnings.append(f"{TABLE_TITLES[kind]}出现不止一次，只取第一张")
            continue
        seen.add(kind)
        table, ph = _make_table(
            block,
            grid,
            kind,
            title,
            layout,
            _unit_before(blocks, index),
            title_para.loc.to_dict() if title_para is not None else None,
        )
        placeholders_in_rows += ph
        found.append(_Found(kind, index, table, layout, block.n_cols))
    for item in found:
        for para in _notes_after(blocks, item.index):
            _add_note(item.table, para.value, para.loc.to_dict())
    if not any(f.table.title for f in found):
        return None
    tables = sorted((f.table for f in found), key=lambda t: TABLE_KINDS.index(t.kind))
    units = Counter(t.unit for t in tables if t.unit)
    result = FinalAccounts(
        source=doc.source,
        tables=tables,
        unit=units.most_common(1)[0][0] if units else None,
        year=_year(doc),
        entity=_entity(doc),
        warnings=warnings,
    )
    first = min(f.index for f in found)
    last = max(f.index for f in found)
    _scan_tables_part(doc, result, max(0, first - 6), min(len(blocks), last + 6))
    result.placeholder_count = sum(
        len(PLACEHOLDER.findall(b.value)) for b in blocks if isinstance(b, Paragraph)
    ) + sum(len(PLACEHOLDER.findall(c.value)) for t in doc.tables() for c in t.cells())
    read_statement(doc, result)
    figures = sum(t.has_figures() for t in tables)
    result.is_template = figures == 0 and (
        len(tables) >= 5 or result.placeholder_count > 0 or placeholders_in_rows > 0
    )
    return result


def _has_caption_title(table: Table, grid: list[list[Cell | None]]) -> bool:
    layout = _layout(table, grid, None)
    return any(_title_kind(t) for t, _ in layout.caption_texts)


def _continues(blocks: list[Block], prev: _Found, table: Table, index: int) -> bool:
    """Whether an untitled ``table`` continues ``prev``: same width, nothing titled between."""
    between = blocks[prev.index + 1 : index]
    return (
        prev.n_cols == table.n_cols
        and len(between) <= 3
        and not any(isinstance(b, Table) or _title_kind(b.value) for b in between)
    )


def _scan_tables_part(doc: Document, result: FinalAccounts, start: int, end: int) -> None:
    """Placeholders, headings and template instructions among the tables and their titles."""
    for block in doc.blocks[start:end]:
        if isinstance(block, Table):
            for cell in block.cells():
                if PLACEHOLDER.search(cell.value):
                    result.placeholders.append(Marked(text=cell.value, loc=cell.loc.to_dict()))
            continue
        text = block.value
        if PLACEHOLDER.search(text):
            result.placeholders.append(Marked(text=text, loc=block.loc.to_dict()))
        if _HEADING_END.search(compact(text)) and "说明" not in text:
            result.headings.append(Marked(text=text, loc=block.loc.to_dict()))
        if _TEMPLATE_TEXT.search(compact(text)):
            result.template_text.append(Marked(text=text, loc=block.loc.to_dict()))


def _entity(doc: Document) -> str | None:
    names: Counter[str] = Counter()
    order: dict[str, int] = {}
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    for k, para in enumerate(paragraphs[:600]):
        text = para.value
        m = _ENTITY_RE.search(text)
        if m is None and k + 1 < len(paragraphs) and _HEADING.search(paragraphs[k + 1].value):
            # a title page printing the name and the 年度部门决算 on separate lines
            nxt = compact(paragraphs[k + 1].value)
            if nxt.startswith(("年度部门决算", "部门决算")) or re.match(
                r"^(?:19|20)\d{2}年度部门决算", nxt
            ):
                m = re.match(r"^(.{2,40})$", text)
        if m is None:
            continue
        name = compact(m.group(1))
        if not name or name.startswith(("第", "目录")) or len(name) < 3:
            continue
        names[name] += 1
        order.setdefault(name, k)
    if not names:
        return None
    best = max(names.items(), key=lambda kv: (kv[1], -order[kv[0]]))
    return best[0]


def _year(doc: Document) -> int | None:
    counts: Counter[int] = Counter()
    for block in doc.blocks[:800]:
        if isinstance(block, Paragraph):
            text = compact(block.value)
            for m in _YEAR_RE.finditer(text):
                counts[int(m.group(1))] += 1
            if _YEAR_ONLY.match(block.value):
                counts[int(compact(block.value)[:4])] += 1
    return counts.most_common(1)[0][0] if counts else None
