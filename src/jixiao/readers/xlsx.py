"""XLSX reader: each visible worksheet becomes paragraphs (titles, notes) and tables.

A sheet has no tables of its own, only a grid of cells, so tables are found by shape: a run
of rows holding two or more cells (a merged range counts as one cell, filled or not) is a
table; a single-cell row inside such a run stays in it when it is a wide merged range, a
bordered cell or the continuation of a vertical merge, and one blank row may sit inside.
What lies outside the tables — the ``项目支出绩效自评表`` title above the grid, a ``填表人``
line below it — becomes paragraphs. When the grid is drawn with borders, unbordered rows at
its top and bottom edge (``单位：万元``) are paragraphs too.

The workbook is opened in normal mode (read-only mode does not expose merged ranges) with
``data_only=True``, so a formula gives the value Excel cached when it last saved the file.
Numbers are printed the way their number format shows them (decimals, thousands separators,
percent, literal text), dates as ISO.

Locs: ``page`` is the sheet's 1-based position in the workbook, ``line`` the Excel row
number, ``row``/``col`` 0-based within the table (``col`` counted from the table's first
column).
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from jixiao.document import Cell, Document, Loc, Paragraph, Table
from jixiao.errors import ReadError
from jixiao.readers.ooxml import check_package

_HUGE_ROW = 100_000  # a merged range reaching this far is a whole-column selection
_HUGE_COL = 1_000


def read(path: Path, source: str) -> Document:
    """Read an .xlsx file into a Document (format ``xlsx``)."""
    wb = _open(path, source)
    doc = Document(source=source, format="xlsx", path=str(path))
    try:
        names = list(wb.sheetnames)
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            _read_sheet(ws, names.index(ws.title) + 1, doc, source)
    finally:
        wb.close()
    return doc


def _open(path: Path, source: str):
    check_package(path, source, "XLSX", ".xls")
    try:
        import openpyxl

        with warnings.catch_warnings():
            # openpyxl warns about every extension it drops (data validation, slicers...).
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=True, keep_links=False)
    except Exception as err:  # openpyxl/zipfile/lxml errors on a damaged package
        raise ReadError(source, f"文件已损坏，无法作为 XLSX 读取（{type(err).__name__}）") from None


# -- sheet layout -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Merge:
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def width(self) -> int:
        return self.max_col - self.min_col + 1


class _Sheet:
    """The cells of one worksheet that matter for layout: texts, merges, borders."""

    def __init__(self, ws) -> None:
        cells = getattr(ws, "_cells", None)
        items = cells.values() if cells is not None else (c for row in ws.iter_rows() for c in row)
        self.texts: dict[tuple[int, int], str] = {}
        self.bordered_rows: set[int] = set()
        by_row: dict[int, list] = defaultdict(list)
        for cell in items:
            by_row[cell.row].append(cell)
            if cell.has_style and _has_border(cell):
                self.bordered_rows.add(cell.row)
            value = getattr(cell, "value", None)
            if value is None:
                continue
            text = display_value(value, cell.number_format)
            if text.strip():
                self.texts[(cell.row, cell.column)] = text
        text_rows = max((r for r, _ in self.texts), default=0)
        text_cols = max((c for _, c in self.texts), default=0)
        # A range over whole rows or columns (A:A, 1:1) is clipped to the data, so that it
        # does not blow up; ordinary ranges count in full, filled or not.
        ranges = [(g.min_row, g.min_col, g.max_row, g.max_col) for g in ws.merged_cells.ranges]
        self.max_row = max([text_rows] + [r1 for _, _, r1, _ in ranges if r1 < _HUGE_ROW])
        self.max_col = max([text_cols] + [c1 for _, _, _, c1 in ranges if c1 < _HUGE_COL])
        self.merges: list[_Merge] = []
        for r0, c0, r1, c1 in ranges:
            m = _Merge(r0, c0, min(r1, max(self.max_row, r0)), min(c1, max(self.max_col, c0)))
            if m.min_row <= self.max_row and (m.max_row > m.min_row or m.max_col > m.min_col):
                self.merges.append(m)
        self.row_merges: dict[int, list[_Merge]] = defaultdict(list)
        for m in self.merges:
            for r in range(m.min_row, m.max_row + 1):
                self.row_merges[r].append(m)
        self.row_texts: dict[int, list[int]] = defaultdict(list)
        for r, c in sorted(self.texts):
            self.row_texts[r].append(c)

    def merge_map(self, r: int) -> dict[int, _Merge]:
        return {c: m for m in self.row_merges[r] for c in range(m.min_col, m.max_col + 1)}

    def units(self, r: int) -> int:
        """How many cells the row shows: a merged range counts once, filled or not."""
        merged = self.merge_map(r)
        loose = sum(1 for c in self.row_texts[r] if c not in merged)
        return loose + len(self.row_merges[r])

    def extent(self, rows: list[int]) -> tuple[int, int]:
        cols = [c for r in rows for c in self.row_texts[r]]
        for r in rows:
            for m in self.row_merges[r]:
                cols += [m.min_col, m.max_col]
        return min(cols), max(cols)


def _has_border(cell) -> bool:
    b = cell.border
    return any(side is not None and side.style for side in (b.left, b.right, b.top, b.bottom))


def _read_sheet(ws, page: int, doc: Document, source: str) -> None:
    sheet = _Sheet(ws)
    if not sheet.texts:
        return
    blocks = _find_blocks(sheet)
    in_table = {r for start, end in blocks for r in range(start, end + 1)}
    starts = {start: end for start, end in blocks}
    r = 1
    while r <= sheet.max_row:
        if r in starts:
            _emit_table(sheet, r, starts[r], page, doc, source)
            r = starts[r] + 1
            continue
        if r not in in_table and sheet.row_texts[r]:
            text = "\t".join(sheet.texts[(r, c)] for c in sheet.row_texts[r])
            doc.blocks.append(Paragraph(text, Loc(source, page=page, line=r, line_end=r)))
        r += 1


def _find_blocks(sheet: _Sheet) -> list[tuple[int, int]]:
    """Row ranges (inclusive, Excel numbering) that form tables."""
    units = {r: sheet.units(r) for r in range(1, sheet.max_row + 1)}
    table_rows = [r for r, n in units.items() if n >= 2]
    blocks: list[list[int]] = []
    for r in table_rows:
        if blocks and _joinable(sheet, units, blocks[-1][1], r):
            blocks[-1][1] = r
        else:
            blocks.append([r, r])
    # A vertical merge that starts in a table belongs to it down to its last row.
    changed = True
    while changed:
        changed = False
        for block in blocks:
            bottom = max(
                (m.max_row for r in range(block[0], block[1] + 1) for m in sheet.row_merges[r]),
                default=block[1],
            )
            if bottom > block[1]:
                block[1] = bottom
                changed = True
        merged: list[list[int]] = []
        for block in blocks:
            if merged and block[0] <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], block[1])
                changed = True
            else:
                merged.append(block)
        blocks = merged
    return [_trim_unbordered(sheet, start, end) for start, end in blocks]


def _joinable(sheet: _Sheet, units: dict[int, int], last: int, nxt: int) -> bool:
    """Whether the rows strictly between two table rows let them be one table."""
    between = range(last + 1, nxt)
    blank_run = 0
    width = None
    for r in between:
        if units[r] == 0:
            blank_run += 1
            if blank_run > 1:
                return False
            continue
        blank_run = 0
        merges = sheet.row_merges[r]
        if any(m.min_row < r for m in merges) or r in sheet.bordered_rows:
            continue
        if width is None:
            lo, hi = sheet.extent([last, nxt])
            width = hi - lo + 1
        if not any(m.width * 2 >= width for m in merges):
            return False
    return True


def _trim_unbordered(sheet: _Sheet, start: int, end: int) -> tuple[int, int]:
    """Peel unbordered edge rows off a bordered grid: they are captions, not cells."""
    rows = range(start, end + 1)
    if not any(r in sheet.bordered_rows for r in rows):
        return start, end

    def spans_down(r: int) -> bool:
        return any(m.max_row > r for m in sheet.row_merges[r])

    def spans_up(r: int) -> bool:
        return any(m.min_row < r for m in sheet.row_merges[r])

    while start < end and start not in sheet.bordered_rows and not spans_down(start):
        start += 1
    while end > start and end not in sheet.bordered_rows and not spans_up(end):
        end -= 1
    return start, end


def _emit_table(sheet: _Sheet, start: int, end: int, page: int, doc: Document, source: str) -> None:
    rows = [r for r in range(start, end + 1) if sheet.row_texts[r] or sheet.row_merges[r]]
    if not any(sheet.row_texts[r] for r in rows):
        return
    first, last = sheet.extent(rows)
    position = {r: i for i, r in enumerate(rows)}
    index = len(doc.tables())
    out: list[list[Cell]] = []
    for i, r in enumerate(rows):
        merged = sheet.merge_map(r)
        line: list[Cell] = []
        c = first
        while c <= last:
            col = c - first
            loc = Loc(source, page=page, line=r, table=index, row=i, col=col)
            m = merged.get(c)
            if m is None:
                line.append(Cell(sheet.texts.get((r, c), ""), i, col, loc))
                c += 1
                continue
            colspan = min(m.max_col, last) - max(m.min_col, first) + 1
            if m.min_row == r:
                rowspan = sum(1 for rr in rows if m.min_row <= rr <= m.max_row)
                text = sheet.texts.get((m.min_row, m.min_col), "")
                line.append(Cell(text, i, col, loc, rowspan=rowspan, colspan=colspan))
            elif m.min_row in position:
                line.append(Cell("", i, col, loc, colspan=colspan, covered=True))
            else:  # the range starts above the table: what shows here is an empty cell
                line.append(Cell("", i, col, loc, colspan=colspan))
            c = m.max_col + 1
        out.append(line)
    table_loc = Loc(source, page=page, line=rows[0], line_end=rows[-1], table=index)
    doc.blocks.append(Table(out, table_loc, index))


# -- values -------------------------------------------------------------------------------


def display_value(value: object, number_format: str | None = None) -> str:
    """A cell value as Excel shows it, as far as practical."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        return format_number(value, number_format or "General")
    return str(value)


def _general(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    # 15 significant digits, as Excel keeps: 0.1 + 0.2 shows as 0.3, not 0.30000000000000004
    return format(value, ".15g")


def _sections(fmt: str) -> list[str]:
    out, buf, quoted = [], [], False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    out.append("".join(buf))
    return out


@dataclass(slots=True)
class _NumberFormat:  # parsed once per format, then only read
    prefix: str = ""
    suffix: str = ""
    int_part: str = ""
    frac_part: str = ""
    has_point: bool = False
    percent: int = 0
    scientific: bool = False


def _parse_format(section: str) -> _NumberFormat | None:
    f = _NumberFormat()
    seen_digit = False
    i, n = 0, len(section)

    def literal(text: str) -> None:
        if seen_digit:
            f.suffix += text
        else:
            f.prefix += text

    while i < n:
        ch = section[i]
        if ch == '"':
            j = section.find('"', i + 1)
            j = n if j < 0 else j
            literal(section[i + 1 : j])
            i = j + 1
            continue
        if ch == "\\" and i + 1 < n:
            literal(section[i + 1])
            i += 2
            continue
        if ch in "_*":  # padding to a character's width, fill: no visible text of their own
            i += 2
            continue
        if ch == "[":
            j = section.find("]", i)
            j = n if j < 0 else j
            body = section[i + 1 : j]
            if body.startswith("$"):  # [$¥-804]: a currency symbol with a locale
                literal(body[1:].split("-")[0])
            i = j + 1
            continue
        if ch in "0#?":
            seen_digit = True
            if f.has_point:
                f.frac_part += ch
            else:
                f.int_part += ch
        elif (
            ch == "."
            and not f.has_point
            and (seen_digit or section[i + 1 : i + 2] in ("0", "#", "?"))
        ):
            f.has_point = True
            seen_digit = True
        elif ch == "," and seen_digit and not f.has_point:
            f.int_part += ","
        elif ch == "%":
            f.percent += 1
            literal("%")
        elif ch in "Ee" and seen_digit and section[i + 1 : i + 2] in ("+", "-"):
            f.scientific = True
            i += 2
            while i < n and section[i] in "0#?":
                i += 1
            continue
        elif ch.isalpha() and not seen_digit and section[i:].lower().startswith("general"):
            return None
        else:
            literal(ch)
        i += 1
    return f if seen_digit else None


@lru_cache(maxsize=256)
def _number_format(number_format: str) -> _NumberFormat | None:
    """The parsed first section of a format, None for General-like ones (cached: a sheet
    has few formats and many cells)."""
    section = _sections(number_format or "General")[0].strip()
    if not section or section == "@" or section.lower() == "general":
        return None
    return _parse_format(section)


def format_number(value: float, number_format: str) -> str:
    """``value`` printed with an Excel number format (first section; the sign is kept)."""
    f = _number_format(number_format or "General")
    if f is None or value != value or value in (float("inf"), float("-inf")):
        return _general(value)
    max_dec = len(f.frac_part)
    min_dec = f.frac_part.count("0")
    if f.scientific:
        return f"{f.prefix}{value:.{max_dec}E}{f.suffix}"
    try:
        number = Decimal(value) if isinstance(value, int) else Decimal(format(value, ".15g"))
    except InvalidOperation:
        return _general(value)
    int_part = f.int_part
    scale_commas = len(int_part) - len(int_part.rstrip(","))  # "#,##0," shows thousands
    int_part = int_part.rstrip(",")
    number = number * (Decimal(100) ** f.percent) / (Decimal(1000) ** scale_commas)
    number = number.quantize(Decimal(1).scaleb(-max_dec), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    grouping = "," if "," in int_part else ""
    body = f"{abs(number):{grouping}.{max_dec}f}"
    whole, _, frac = body.partition(".")
    while len(frac) > min_dec and frac.endswith("0"):
        frac = frac[:-1]
    min_int = int_part.count("0")
    if whole == "0" and min_int == 0:
        whole = ""  # "#.00" shows 0.5 as ".50"
    elif len(whole) < min_int:
        whole = whole.zfill(min_int)
    text = f"{whole}.{frac}" if frac else whole
    if not text:
        text = "0"
    return f"{f.prefix}{sign}{text}{f.suffix}"
