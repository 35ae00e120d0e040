"""PDF reader (pdfplumber): ruled tables and the text lines around them, page by page.

Tables are the ruled grids pdfplumber finds with its default line strategy; a 1×1 "table"
is only a frame around text and is read as text. A cell's colspan is the number of column
boundaries its box covers; a grid position without a cell box, covered by the box of a cell
above, is a covered empty cell of that vertical merge. Cell texts come from one
``table.extract()`` per table, lines joined by "\\n".

Text outside the tables is read line by line (characters whose centre lies in a table box
are left out) and ordered with the tables by their top on the page. Each line is a
paragraph, except that a line running to the right margin is joined with the next one when
that one reads as its wrapped continuation (kept as "\\n", like a wrapped cell).

A table split by a page break is joined back: when a page starts with a table of the same
column count as the table the previous page ended with, its rows are appended to it, after
dropping leading rows that repeat that table's header. Page numbers printed between the two
parts do not prevent the join.

Locs: ``page`` 1-based; paragraphs carry ``line``/``line_end``, the 1-based index of their
text lines on the page (table text not counted); cells carry table, row and grid column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.document import Cell, Document, Loc, Paragraph, Table
from jixiao.errors import ReadError
from jixiao.readers.tablejoin import append_rows

_TOL = 1.0  # points: boxes of one grid meet at the same coordinates up to rounding
_PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:第\s*)?\d{1,4}\s*页?\s*(?:(?:/|／|of|共)\s*\d{1,4}\s*页?)?[\W_]*$", re.I
)
_SENTENCE_END = tuple("。！？；：:;!?")


def read(path: Path, source: str) -> Document:
    """Read a .pdf file into a Document (format ``pdf``)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as err:
        raise ReadError(source, f"无法读取文件（{err.strerror or err}）") from None
    if b"%PDF" not in head:
        raise ReadError(source, "文件已损坏，无法作为 PDF 读取（缺少 PDF 文件头）")
    try:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return _read_pdf(pdf, path, source)
    except ReadError:
        raise
    except Exception as err:  # pdfminer/pdfplumber errors on a damaged or locked file
        if _is_encryption_error(err):
            raise ReadError(source, "PDF 已加密，需要密码才能读取") from None
        raise ReadError(source, f"文件已损坏，无法作为 PDF 读取（{type(err).__name__}）") from None


def _is_encryption_error(err: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    seen: set[int] = set()
    stack: list[Any] = [err]
    while stack:
        e = stack.pop()
        if not isinstance(e, BaseException) or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, PDFEncryptionError | PDFPasswordIncorrect):
            return True
        # pdfplumber wraps pdfminer's exception as the first argument of its own
        stack += [e.__cause__, e.__context__, *e.args]
    return False


# -- pages --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    number: int  # 1-based among the page's text lines


@dataclass(slots=True)
class _Join:
    """What the previous page ended with, for joining a table split by a page break."""

    table: Table | None = None
    header: list[list[str]] = field(default_factory=list)


def _read_pdf(pdf, path: Path, source: str) -> Document:
    doc = Document(source=source, format="pdf", path=str(path))
    if not pdf.pages:
        raise ReadError(source, "文件已损坏，无法作为 PDF 读取（没有页面）")
    with_text = 0
    join = _Join()
    for number, page in enumerate(pdf.pages, start=1):
        if not page.chars:
            doc.warnings.append(f"第{number}页没有文本层（可能是扫描页），内容未读取")
            join = _Join()
            page.close()
            continue
        with_text += 1
        join = _read_page(page.dedupe_chars(), number, doc, source, join)
        page.close()  # drop the page's cached objects: long reports have hundreds of pages
    if not with_text:
        raise ReadError(source, "PDF 没有文本层（可能是扫描件），需要先做 OCR")
    return doc


def _read_page(page, number: int, doc: Document, source: str, join: _Join) -> _Join:
    found = [t for t in page.find_tables() if len(t.cells) > 1]
    boxes = [t.bbox for t in found]

    def outside(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    raw_lines = text_page.extract_text_lines(return_chars=False)
    lines = [
        _Line(ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"], k)
        for k, ln in enumerate(raw_lines, start=1)
        if ln["text"].strip()
    ]
    items: list[tuple[float, Any]] = [(ln.top, ln) for ln in lines]
    items += [(t.bbox[1], t) for t in found]
    items.sort(key=lambda item: item[0])

    right = max((ln.x1 for ln in lines), default=0.0)
    # The right margin is only known from lines that reach it: several of them, or one that
    # is plainly a full line (a short page of headings has no margin to speak of).
    at_margin = sum(1 for ln in lines if ln.x1 >= right - _char_width(ln))
    wide = page.width * 0.6 if at_margin < 2 else 0.0
    started = False  # has anything but a page number been read on this page?
    pending: list[_Line] = []

    def flush() -> None:
        if pending:
            text = "\n".join(ln.text for ln in pending)
            loc = Loc(source, page=number, line=pending[0].number, line_end=pending[-1].number)
            doc.blocks.append(Paragraph(text, loc))
            pending.clear()

    for _, item in items:
        if isinstance(item, _Line):
            if not _PAGE_NUMBER.match(item.text.strip()):
                started = True
                join = _Join()
            if pending and not _continues(pending[-1], item, right, wide):
                flush()
            pending.append(item)
            continue
        flush()
        table = _build_table(item, number, source, len(doc.tables()))
        if table is None:
            continue
        if not started and join.table is not None and table.n_cols == join.table.n_cols:
            _append(join.table, table, join.header)
        else:
            doc.blocks.append(table)
            join = _Join(table, [_row_key(r) for r in table.rows[:3]])
        started = True
    flush()
    return join


def _char_width(line: _Line) -> float:
    return max(line.bottom - line.top, 1.0)


def _continues(prev: _Line, line: _Line, right: float, min_width: float) -> bool:
    """Whether ``line`` is the wrapped continuation of ``prev`` in one paragraph."""
    width = _char_width(prev)
    return (
        prev.x1 >= right - width
        and prev.x1 - prev.x0 >= min_width
        and not prev.text.rstrip().endswith(_SENTENCE_END)
        and line.x0 <= prev.x0 + width / 2
        and 0 <= line.top - prev.bottom <= width * 1.2
        and abs((line.bottom - line.top) - width) <= width * 0.25
    )


# -- tables -------------------------------------------------------------------------------


def _build_table(found, page: int, source: str, index: int) -> Table | None:
    grid_rows = found.rows
    texts = found.extract()
    xs = sorted({bbox[0] for row in grid_rows for bbox in row.cells if bbox is not None})
    tops = sorted({min(b[1] for b in row.cells if b is not None) for row in grid_rows})

    def spanned(points: list[float], start: float, end: float) -> int:
        return max(sum(1 for p in points if start - _TOL <= p < end - _TOL), 1)

    covered_by: dict[tuple[int, int], Cell] = {}
    rows: list[list[Cell]] = []
    for i, row in enumerate(grid_rows):
        line: list[Cell] = []
        for j, bbox in enumerate(row.cells):
            loc = Loc(source, page=page, table=index, row=i, col=j)
            if bbox is None:
                origin = covered_by.get((i, j))
                if origin is not None and origin.col == j and origin.row < i:
                    line.append(Cell("", i, j, loc, colspan=origin.colspan, covered=True))
                continue
            x0, top, x1, bottom = bbox
            colspan = spanned(xs, x0, x1)
            rowspan = spanned(tops, top, bottom)
            text = (texts[i][j] or "").strip() if i < len(texts) and j < len(texts[i]) else ""
            cell = Cell(text, i, j, loc, rowspan=rowspan, colspan=colspan)
            for a in range(rowspan):
                for b in range(colspan):
                    covered_by.setdefault((i + a, j + b), cell)
            line.append(cell)
        rows.append(line)
    if not any(c.text for r in rows for c in r):
        return None
    return Table(rows, Loc(source, page=page, table=index), index)


def _row_key(row: list[Cell]) -> list[str]:
    return [c.value for c in row]


def _append(table: Table, part: Table, header: list[list[str]]) -> None:
    """Append the rows of ``part`` (the next page's piece) to ``table``."""
    rows = part.rows
    for size in range(min(len(header), len(rows)), 0, -1):
        keys = [_row_key(r) for r in rows[:size]]
        if keys == header[:size] and any(v for k in keys for v in k):
            rows = rows[size:]
            break
    if rows:
        append_rows(table, rows)
