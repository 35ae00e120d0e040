"""PDF reader (pdfplumber): ruled tables and the text lines around them, page by page.

Tables are the ruled grids pdfplumber finds with its default line strategy; a 1×1 "table"
is only a frame around text and is read as text. The grid of a table is rebuilt from its
cell boxes, the way a word processor holds it: the columns are the distinct left edges of
the boxes, the rows their distinct tops; a box over several of them has a colspan/rowspan,
and the places a vertical merge covers below its first row are covered empty cells (as
DOCX's ``vMerge`` continuations). A cell's text is read from the characters whose centre
lies in its box, so a merged cell's label is its own wherever it is drawn in the box
(vertically centred labels included).

Text wrapped inside a box or a paragraph is joined back: a line break is kept (as "\n")
only when the next line's first word would have fitted on the line, so the author broke
it, or when a finished sentence is followed by a list item (``2．``, ``（三）``). A wrap is
joined without a space, except between two Latin words. The usable width of a cell is its
box less the padding, the most common distance between a box's edge and its text.

Text outside the tables is read line by line (characters whose centre lies in a table box
are left out) and ordered with the tables by their top on the page. Each line is a
paragraph, except that a line running to the right margin is joined with the next one when
that one reads as its wrapped continuation (not a list item).

A table split by a page break is joined back: when a page starts with a table whose outer
edges are those of the table the previous page ended with, and whose column edges are
among that table's or the other way round (within pdfplumber's snap tolerance: the edges
of one table move a little with the other tables of its page), its rows are appended on
the union of the column edges, after dropping leading rows that repeat the table's header.
A merged cell cut by the page break (same columns, one of the two pieces empty, one of them
over several rows) is one merged cell again, its text on the top piece. Page numbers and
running headers or footers (a line in the top or bottom margin of three pages or more, its
digits aside) between the two parts do not prevent the join; they stay paragraphs.

Locs: ``page`` 1-based; paragraphs carry ``line``/``line_end``, the 1-based index of their
text lines on the page (table text not counted); cells carry table, row and grid column.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from jixiao.document import Cell, Document, Loc, Paragraph, Table
from jixiao.errors import ReadError
from jixiao.readers.tablejoin import repeated_header

_TOL = 1.0  # points: boxes of one grid meet at the same coordinates up to rounding
_SNAP = 3.0  # points: pdfplumber's snap tolerance, how far one table's edges move by page
_MAX_PAD = 8.0  # points: more than any cell padding in practice (Word 5.4, reportlab 6)
_WRAP_TOL = 1.0  # points: slack when asking whether a line's next word would have fitted
_MARGIN = 0.07  # share of the page height at its top and bottom where running heads are
_RUNNING = 3  # pages on which a margin line must repeat to be a running header/footer
_PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:第\s*)?\d{1,4}\s*页?\s*(?:(?:/|／|of|共)\s*\d{1,4}\s*页?)?[\W_]*$", re.I
)
_SENTENCE_END = tuple("。！？；：:;!?")
# A line starting a list item after a finished sentence starts a new line of its own.
_ITEM = re.compile(
    r"^\s*(?:\d{1,2}\s*(?:[．、)）]|\.(?!\d))|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[）)]"
    r"|[①-⑳]|[一二三四五六七八九十]{1,3}、)"
)
_OPENING = frozenset("（([{【《〈「『“‘")
_HANGING = frozenset("，。、；：？！,.;:?!）)》」』”’")


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


# -- what a page holds --------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    number: int  # 1-based among the page's text lines (0 inside a table)
    lead: float  # width of the line's first unbreakable piece (a word, or one CJK character)
    inner: float = 0.0  # x1 less trailing punctuation, which a line breaker may hang outside


@dataclass(slots=True)
class _Box:
    """One cell box of a ruled grid, with the text drawn in it."""

    x0: float
    top: float
    x1: float
    bottom: float
    lines: list[_Line] = field(default_factory=list)
    text: str = ""


@dataclass(slots=True)
class _Part:
    """A ruled table as found on one page."""

    page: int
    boxes: list[_Box]
    xs: list[float]  # the distinct left edges of the boxes: one per grid column
    ys: list[float]  # the distinct tops of the boxes: one per grid row
    left: float
    right: float


@dataclass(slots=True)
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line]
    parts: list[tuple[float, _Part]]  # with their top on the page


def _read_pdf(pdf, path: Path, source: str) -> Document:
    doc = Document(source=source, format="pdf", path=str(path))
    if not pdf.pages:
        raise ReadError(source, "文件已损坏，无法作为 PDF 读取（没有页面）")
    pages: list[_Page | None] = []
    for number, page in enumerate(pdf.pages, start=1):
        if not page.chars:
            doc.warnings.append(f"第{number}页没有文本层（可能是扫描页），内容未读取")
            pages.append(None)
        else:
            pages.append(_scan_page(_deduped(page), number))
        page.close()  # drop the page's cached objects: long reports have hundreds of pages
    if not any(pages):
        raise ReadError(source, "PDF 没有文本层（可能是扫描件），需要先做 OCR")
    running = _running_lines(p for p in pages if p is not None)
    join = _Join()
    for page in pages:
        join = join.close(source) if page is None else _place(page, doc, source, join, running)
    join.close(source)
    return doc


def _deduped(page):
    """The page without doubled characters (some producers draw a glyph twice for bold).

    pdfplumber's ``dedupe_chars`` sorts every character and then restores their order with
    a search per character, a good part of a page's reading time; most pages have nothing
    to remove, which one pass over a hash of positions shows.
    """
    return page.dedupe_chars() if _may_have_doubles(page.chars) else page


def _may_have_doubles(chars: list[dict]) -> bool:
    """Two characters alike (text, font, size) less than one point apart in both
    directions, the tolerance ``dedupe_chars`` uses: then they may be one drawn twice."""
    seen: set[tuple] = set()
    for ch in chars:
        like = (ch["upright"], ch["text"], ch["fontname"], ch["size"])
        x, y = math.floor(ch["x0"]), math.floor(ch["doctop"])
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if (like, x + dx, y + dy) in seen:
                    return True
        seen.add((like, x, y))
    return False


def _scan_page(page, number: int) -> _Page:
    found = [t for t in page.find_tables() if len(t.cells) > 1]
    boxes = [t.bbox for t in found]
    chars = page.chars
    inside: list[list[dict]] = [[] for _ in found]
    outside: list[dict] = []
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        for k, (x0, top, x1, bottom) in enumerate(boxes):
            if x0 <= cx <= x1 and top <= cy <= bottom:
                inside[k].append(ch)
                break
        else:
            outside.append(ch)
    lines: list[_Line] = []
    for k, line in enumerate(_text_lines(outside), start=1):
        if line.text.strip():
            line.number = k
            lines.append(line)
    parts = [
        (t.bbox[1], part)
        for t, table_chars in zip(found, inside, strict=True)
        if (part := _scan_table(t, table_chars, number)) is not None
    ]
    return _Page(number, float(page.width), float(page.height), lines, parts)


def _text_lines(chars: list[dict]) -> list[_Line]:
    """The text lines of some characters (in page order), as pdfplumber reads a page."""
    if not chars:
        return []
    from pdfplumber.utils.text import chars_to_textmap

    out: list[_Line] = []
    for ln in chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=True):
        line_chars = sorted(ln["chars"], key=lambda c: c["x0"])
        line = _Line(ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"], 0, _lead(line_chars))
        body = [c for c in line_chars if c["text"] not in _HANGING and not c["text"].isspace()]
        line.inner = body[-1]["x1"] if body else line.x1
        out.append(line)
    return out


def _lead(chars: list[dict]) -> float:
    """Width of the first piece a line breaker would not split: a Latin word or a number, or
    one other character with the Latin word or number right after it (reportlab keeps
    ``占30.32%`` together), with the opening brackets before it. Closing marks after it are
    left out (reportlab breaks before them) unless the line starts with them."""
    i, n = 0, len(chars)
    while i < n and chars[i]["text"] in _OPENING:
        i += 1
    if i < n and not _is_word_char(chars[i]["text"]):
        i += 1
    while i < n and _is_word_char(chars[i]["text"]):
        i += 1
    if not chars:
        return 0.0
    return chars[max(i, 1) - 1]["x1"] - chars[0]["x0"]


def _is_word_char(text: str) -> bool:
    return text.isascii() and not text.isspace()


# -- tables -------------------------------------------------------------------------------


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOL:
            out.append(v)
    return out


def _at(points: list[float], value: float) -> int:
    """Index of the point ``value`` falls on (the last point at or before it)."""
    return max(bisect_right(points, value + _TOL) - 1, 0)


def _spanned(points: list[float], start: float, end: float) -> int:
    return max(bisect_left(points, end - _TOL) - bisect_left(points, start - _TOL), 1)


def _scan_table(found, chars: list[dict], page: int) -> _Part | None:
    boxes = [_Box(*bbox) for bbox in found.cells]
    boxes.sort(key=lambda b: (b.top, b.x0))
    xs = _cluster([b.x0 for b in boxes])
    ys = _cluster([b.top for b in boxes])
    owner: dict[tuple[int, int], _Box] = {}
    for box in boxes:
        r, c = _at(ys, box.top), _at(xs, box.x0)
        for i in range(r, r + _spanned(ys, box.top, box.bottom)):
            for j in range(c, c + _spanned(xs, box.x0, box.x1)):
                owner.setdefault((i, j), box)
    box_chars: dict[int, list[dict]] = defaultdict(list)
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        box = owner.get((_at(ys, cy), _at(xs, cx)))
        if box is None or not (box.x0 <= cx < box.x1 and box.top <= cy < box.bottom):
            box = next((b for b in boxes if b.x0 <= cx < b.x1 and b.top <= cy < b.bottom), None)
        if box is not None:
            box_chars[id(box)].append(ch)
    for box in boxes:
        box.lines = _text_lines(box_chars.get(id(box), []))
    if not any(ln.text.strip() for b in boxes for ln in b.lines):
        return None
    pad = _padding(boxes)
    for box in boxes:
        box.text = _box_text(box, pad)
    left = min(b.x0 for b in boxes)
    right = max(b.x1 for b in boxes)
    return _Part(page, boxes, xs, ys, left, right)


def _padding(boxes: list[_Box]) -> float:
    """The cell padding of a grid: the most common gap between a box's edge and its text.

    Left-aligned lines are at the padding from the left edge, right-aligned ones (numbers)
    from the right edge, full lines from both; centred text and text overflowing a narrow
    column give scattered gaps that the most common one outvotes.
    """
    gaps: Counter[float] = Counter()
    for box in boxes:
        for line in box.lines:
            for gap in (line.x0 - box.x0, box.x1 - line.x1):
                if 0 <= gap <= _MAX_PAD:
                    gaps[round(gap * 2) / 2] += 1
    if not gaps:
        return _MAX_PAD
    most = max(gaps.values())
    return min(gap for gap, n in gaps.items() if n == most)


def _box_text(box: _Box, pad: float) -> str:
    lines = [ln for ln in box.lines if ln.text.strip()]
    if not lines:
        return ""
    width = (box.x1 - box.x0) - 2 * pad
    text = lines[0].text.strip()
    for prev, line in pairwise(lines):
        nxt = line.text.strip()
        full = (prev.x1 - prev.x0) + line.lead > width - _WRAP_TOL
        close = line.top - prev.bottom <= max(prev.bottom - prev.top, 1.0)
        if full and close and not _starts_item(text, nxt):
            text += _glue(text, nxt) + nxt
        else:
            text += "\n" + nxt
    return text


def _starts_item(before: str, line: str) -> bool:
    return before.rstrip().endswith(_SENTENCE_END) and bool(_ITEM.match(line))


def _glue(before: str, after: str) -> str:
    """What a wrap between two pieces of text stands for: a space between Latin words."""
    a, b = before[-1:], after[:1]
    if not (a.isascii() and b.isascii() and b.isalnum()) or a.isspace() or a in "-/":
        return ""
    if b.isdigit() and (a.isdigit() or a in ",."):
        return ""  # a number cut by the wrap
    return " "


def _near(points: list[float], x: float) -> float | None:
    """The point of ``points`` within ``_SNAP`` of ``x``, if any (the nearest)."""
    best = min(points, key=lambda p: abs(p - x), default=None)
    return best if best is not None and abs(best - x) <= _SNAP else None


def _compatible(a: _Part, b: _Part) -> bool:
    """Whether ``b`` can continue ``a``: same outer edges, one's column edges among the other's.

    pdfplumber snaps the ruling lines of a page together, so the edges of one table can move
    by up to its snap tolerance from page to page, with the other tables printed beside it.
    """
    if abs(a.left - b.left) > _SNAP or abs(a.right - b.right) > _SNAP:
        return False
    small, big = sorted((a.xs, b.xs), key=len)
    return all(_near(big, x) is not None for x in small)


def _columns(parts: list[_Part]) -> list[list[int]]:
    """For each part, the grid column of each of its column edges (then of its right edge)
    on the union of the parts' columns, edges within ``_SNAP`` taken for the same."""
    edges: list[float] = []
    for part in parts:
        for x in part.xs:
            if _near(edges, x) is None:
                edges.append(x)
    edges.sort()
    out: list[list[int]] = []
    for part in parts:
        out.append([edges.index(_near(edges, x)) for x in part.xs] + [len(edges)])
    return out


def _grid_rows(parts: list[_Part], source: str, index: int) -> list[list[Cell]]:
    """The rows of physical cells of the parts of one table, on the union of their columns."""
    rows: list[list[Cell]] = []
    for part, grid in zip(parts, _columns(parts), strict=True):
        base = len(rows)
        rows.extend([] for _ in part.ys)
        # origins whose merge reaches the last row of the previous part, by grid column
        open_above = {
            c.col: c for r in rows[:base] for c in r if not c.covered and c.row + c.rowspan == base
        }
        first_row_filled = any(b.text for b in part.boxes if _at(part.ys, b.top) == 0)
        for box in part.boxes:
            r = base + _at(part.ys, box.top)
            rowspan = _spanned(part.ys, box.top, box.bottom)
            start = _at(part.xs, box.x0)
            end = min(start + _spanned(part.xs, box.x0, box.x1), len(part.xs))
            c, colspan = grid[start], grid[end] - grid[start]
            loc = Loc(source, page=part.page, table=index, row=r, col=c)
            origin = open_above.get(c) if r == base and base else None
            if (
                origin is not None
                and origin.colspan == colspan
                and (origin.rowspan > 1 or rowspan > 1)
                and not (origin.text and box.text)
                and first_row_filled
            ):
                # a merged cell cut by the page break: one cell again, its text on top
                origin.rowspan += rowspan
                origin.text = origin.text or box.text
                first = r
            else:
                origin = Cell(box.text, r, c, loc, rowspan=rowspan, colspan=colspan)
                rows[r].append(origin)
                first = r + 1
            for k in range(first, min(r + rowspan, len(rows))):
                covered_loc = loc.at(row=k)
                rows[k].append(Cell("", k, c, covered_loc, colspan=colspan, covered=True))
    for row in rows:
        row.sort(key=lambda cell: cell.col)
    return rows


def _without_header(part: _Part, table: Table, source: str) -> _Part | None:
    """``part`` less its leading rows that repeat the header of ``table`` (None if no more)."""
    alone = Table(_grid_rows([part], source, table.index), Loc(source), table.index)
    rows = alone.rows
    header = [_row_key(r) for r in table.rows[:3]]
    skip = repeated_header(table, alone)
    for size in range(min(len(header), len(rows)), skip, -1):
        keys = [_row_key(r) for r in rows[:size]]
        if keys == header[:size] and any(keys):
            skip = size
            break
    if not skip:
        return part
    if skip >= len(part.ys):
        return None
    cut = part.ys[skip] - _TOL
    boxes = [b for b in part.boxes if b.top >= cut]
    return _Part(part.page, boxes, part.xs, part.ys[skip:], part.left, part.right)


def _row_key(row: list[Cell]) -> tuple[str, ...]:
    return tuple(c.value for c in row if c.value)


@dataclass(slots=True)
class _Join:
    """The table the last page ended with, open to a continuation on the next page."""

    table: Table | None = None
    parts: list[_Part] = field(default_factory=list)

    def close(self, source: str) -> _Join:
        if self.table is not None and len(self.parts) > 1:
            self.table.rows = _grid_rows(self.parts, source, self.table.index)
        return _Join()


# -- placing a page -----------------------------------------------------------------------


def _running_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))


def _in_margin(page: _Page, line: _Line) -> bool:
    return line.bottom <= page.height * _MARGIN or line.top >= page.height * (1 - _MARGIN)


def _running_lines(pages) -> set[str]:
    """Texts (digits folded) of lines repeated in the page margins: running heads/feet."""
    seen: dict[str, set[int]] = defaultdict(set)
    for page in pages:
        for line in page.lines:
            if _in_margin(page, line):
                seen[_running_key(line)].add(page.number)
    return {key for key, numbers in seen.items() if len(numbers) >= _RUNNING and key}


def _place(page: _Page, doc: Document, source: str, join: _Join, running) -> _Join:
    number, lines = page.number, page.lines
    items: list[tuple[float, Any]] = [(ln.top, ln) for ln in lines]
    items += page.parts
    items.sort(key=lambda item: item[0])

    right = max((ln.inner for ln in lines), default=0.0)
    # The right margin is only known from lines that reach it: several of them, or one that
    # is plainly a full line (a short page of headings has no margin to speak of).
    at_margin = sum(1 for ln in lines if ln.x1 >= right - _char_width(ln))
    wide = page.width * 0.6 if at_margin < 2 else 0.0
    started = False  # has anything but a page number or running head been read on this page?
    pending: list[_Line] = []

    def flush() -> None:
        if pending:
            text = pending[0].text
            for line in pending[1:]:
                text += _glue(text, line.text) + line.text
            loc = Loc(source, page=number, line=pending[0].number, line_end=pending[-1].number)
            doc.blocks.append(Paragraph(text, loc))
            pending.clear()

    for _, item in items:
        if isinstance(item, _Line):
            stripped = item.text.strip()
            margin = _in_margin(page, item) and _running_key(item) in running
            if not (_PAGE_NUMBER.match(stripped) or margin):
                started = True
                join = join.close(source)
            if pending and not _continues(pending[-1], item, right, wide):
                flush()
            pending.append(item)
            continue
        flush()
        part: _Part = item
        if not started and join.table is not None and _compatible(join.parts[-1], part):
            rest = _without_header(part, join.table, source)
            if rest is not None:
                join.parts.append(rest)
        else:
            join.close(source)
            index = len(doc.tables())
            table = Table(
                _grid_rows([part], source, index), Loc(source, page=number, table=index), index
            )
            doc.blocks.append(table)
            join = _Join(table, [part])
        started = True
    flush()
    return join


def _char_width(line: _Line) -> float:
    return max(line.bottom - line.top, 1.0)


def _continues(prev: _Line, line: _Line, right: float, min_width: float) -> bool:
    """Whether ``line`` is the wrapped continuation of ``prev`` in one paragraph."""
    width = _char_width(prev)
    return (
        (prev.x1 >= right - width or prev.x1 + line.lead > right - _WRAP_TOL)
        and prev.x1 - prev.x0 >= min_width
        and not prev.text.rstrip().endswith(_SENTENCE_END)
        and not _ITEM.match(line.text)  # a list item (``九、``, ``2.``) starts a paragraph
        and line.x0 <= prev.x0 + width / 2
        and 0 <= line.top - prev.bottom <= width * 1.2
        and abs((line.bottom - line.top) - width) <= width * 0.25
    )
