"""HTML reader (stdlib ``html.parser``): block elements become paragraphs, tables tables.

Text is laid out the way a browser shows it: runs of white space fold to one space (not in
``<pre>``), ``<br>`` is a line break, block elements (``p``, ``div``, ``h1``–``h6``, ``li``…)
start a new paragraph — or, inside a table cell, a new line of the cell. ``script``,
``style`` and the ``head`` are skipped; entities are decoded by the parser.

Tables follow the HTML table model: ``colspan`` widens a cell, ``rowspan`` occupies the
same columns in the rows below, which therefore hold covered empty cells (at the origin's
column, with its colspan), and later cells of those rows move right. A rowspan reaching past
the last row is cut there. Missing end tags (``</td>``, ``</tr>``) are tolerated. A table
inside a cell is flattened into that cell's text, one line per row, cells separated by tabs.
Text stray in a table outside any cell goes before the table, as browsers put it.

Locs: paragraphs carry the source lines where their text starts and ends; tables and cells
carry the line of their start tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from jixiao.document import Cell, Document, Loc, Paragraph, Table
from jixiao.errors import ReadError

_BLOCKS = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
        "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre",
        "hr", "address", "figure", "figcaption", "form", "fieldset", "center", "body", "html",
    }
)  # fmt: skip
# elements whose content is not shown
_SKIP = frozenset(
    {"script", "style", "head", "title", "template", "noscript", "svg", "math", "object", "iframe"}
)
_VOID = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param", "wbr"}
)
_WS = re.compile(r"[ \t\n\r\f]+")  # HTML white space only: &nbsp; and U+3000 are text
_MAX_SPAN = 1000


def read(path: Path, source: str) -> Document:
    """Read an HTML file (UTF-8 or GB18030) into a Document (format ``html``)."""
    from jixiao.readers.textfile import decode_text

    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(source, f"无法读取文件（{err.strerror or err}）") from None
    doc = read_text(decode_text(data, source), source)
    doc.path = str(path)
    return doc


def read_text(text: str, source: str) -> Document:
    """Read HTML source text into a Document (format ``html``)."""
    parser = _Parser(source)
    try:
        parser.feed(text)
        parser.close()
    except Exception as err:  # html.parser is lenient; this guards against the unexpected
        raise ReadError(source, f"HTML 无法解析（{type(err).__name__}）") from None
    parser.finish()
    return parser.doc


# -- text accumulation --------------------------------------------------------------------


@dataclass(slots=True)
class _Text:
    """Text being gathered for a paragraph or a cell."""

    parts: list[str] = field(default_factory=list)
    line: int | None = None  # source line of the first visible character
    line_end: int | None = None

    def add(self, text: str, line: int, pre: bool) -> None:
        if text.strip():
            lead = len(text) - len(text.lstrip())
            if self.line is None:
                self.line = line + text.count("\n", 0, lead)
            self.line_end = line + text.rstrip().count("\n")
        if not pre:
            text = _WS.sub(" ", text)
        if pre:
            # a pre's source line breaks are real ones
            for k, chunk in enumerate(text.split("\n")):
                if k:
                    self.parts.append("\n")
                self.parts.append(chunk)
        else:
            self.parts.append(text)

    def hard_break(self) -> None:
        self.parts.append("\n")

    def soft_break(self) -> None:
        """A block boundary: a new line unless the text is empty or already on a new line."""
        if self.parts and self.parts[-1] != "\n":
            self.parts.append("\n")

    def value(self) -> str:
        # &nbsp; is a space to the eye; keeping U+00A0 would only trouble later matching
        lines = (ln.strip() for ln in "".join(self.parts).replace("\xa0", " ").split("\n"))
        return "\n".join(ln for ln in lines if ln)


@dataclass(slots=True)
class _RawCell:
    text: _Text
    colspan: int
    rowspan: int
    line: int


@dataclass(slots=True)
class _TableState:
    line: int
    nested: bool
    rows: list[list[_RawCell]] = field(default_factory=list)
    row_open: bool = False
    cell: _RawCell | None = None


def _span(value: str | None, default: int = 1) -> int:
    try:
        n = int((value or "").strip().split(".")[0])
    except ValueError:
        return default
    return min(max(n, 0), _MAX_SPAN)


class _Parser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.doc = Document(source=source, format="html")
        self.para = _Text()
        self.tables: list[_TableState] = []
        self.skip: list[str] = []  # open skipped elements (script, style...)
        self.pre = 0

    # the text sink: the open cell of the innermost table, else the paragraph
    def _sink(self) -> _Text:
        if self.tables and self.tables[-1].cell is not None:
            return self.tables[-1].cell.text
        return self.para

    def _line(self) -> int:
        return self.getpos()[0]

    def flush(self) -> None:
        text = self.para.value()
        if text:
            loc = Loc(self.source, line=self.para.line, line_end=self.para.line_end)
            self.doc.blocks.append(Paragraph(text, loc))
        self.para = _Text()

    # -- parser callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip == ["head"] and (tag in _BLOCKS or tag in ("table", "td", "th", "tr")):
            self.skip.clear()  # a head left open: the body has begun
        if self.skip:
            if tag == self.skip[-1] and tag not in _VOID:
                self.skip.append(tag)
            return
        if tag in _SKIP:
            self.skip.append(tag)
            return
        if tag == "table":
            # A table directly in a table (not in a cell) is shown before it, not inside.
            nested = bool(self.tables) and self.tables[-1].cell is not None
            self._block()
            self.tables.append(_TableState(self._line(), nested))
        elif tag == "tr" and self.tables:
            state = self.tables[-1]
            self._close_row(state)
            self.flush()
            state.rows.append([])
            state.row_open = True
        elif tag in ("td", "th") and self.tables:
            state = self.tables[-1]
            self._close_cell(state)
            self.flush()
            if not state.row_open:
                state.rows.append([])
                state.row_open = True
            a = dict(attrs)
            state.cell = _RawCell(
                _Text(), max(_span(a.get("colspan")), 1), _span(a.get("rowspan")), self._line()
            )
            state.rows[-1].append(state.cell)
        elif tag == "br":
            self._sink().hard_break()
        elif tag == "pre":
            self.pre += 1
            self._block()
        elif tag in _BLOCKS or tag == "caption":
            self._block()

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag == "table" and self.tables:
            state = self.tables.pop()
            self._close_row(state)
            if state.nested:
                self._flatten_into_cell(state)
            else:
                self.flush()  # stray text and caption go before the table
                self._emit_table(state)
        elif tag in ("td", "th") and self.tables:
            self._close_cell(self.tables[-1])
        elif tag == "tr" and self.tables:
            self._close_row(self.tables[-1])
        elif tag == "pre":
            self.pre = max(self.pre - 1, 0)
            self._block()
        elif tag in _BLOCKS or tag == "caption":
            self._block()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <td/>...: a self-closed tag only opens (void elements have no end anyway);
        # a self-closed <script/> has no content to skip.
        if tag not in _SKIP:
            self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.tables and self.tables[-1].cell is None:
            # Text in a table outside any cell (or a caption): browsers show it before the
            # table; it is flushed as a paragraph at the next cell, row or the table's end.
            self.para.add(data, self._line(), self.pre > 0)
            return
        self._sink().add(data, self._line(), self.pre > 0)

    # -- structure helpers

    def _block(self) -> None:
        if self.tables and self.tables[-1].cell is not None:
            self.tables[-1].cell.text.soft_break()
        else:
            self.flush()

    def _close_cell(self, state: _TableState) -> None:
        state.cell = None

    def _close_row(self, state: _TableState) -> None:
        self._close_cell(state)
        state.row_open = False

    def _flatten_into_cell(self, state: _TableState) -> None:
        lines = []
        for row in state.rows:
            line = "\t".join(c.text.value().replace("\n", " ") for c in row).strip()
            if line:
                lines.append(line)
        sink = self._sink()
        sink.soft_break()
        if lines:
            sink.add("\n".join(lines), state.line, pre=True)
            sink.soft_break()

    def _emit_table(self, state: _TableState) -> None:
        index = len(self.doc.tables())
        rows = _layout(state.rows, self.source, index)
        if rows and any(c.text for r in rows for c in r):
            self.doc.blocks.append(
                Table(rows, Loc(self.source, line=state.line, table=index), index)
            )

    def finish(self) -> None:
        # Close what the file left open: unterminated tables still are tables.
        while self.tables:
            self.handle_endtag("table")
        self.flush()


def _layout(raw_rows: list[list[_RawCell]], source: str, index: int) -> list[list[Cell]]:
    """Place raw cells on the grid, following rowspans from the rows above."""
    raw_rows = [r for r in raw_rows if r]  # an empty <tr></tr> shows nothing
    n_rows = len(raw_rows)
    # grid column -> (origin cell, last row index it covers), for every column it occupies
    taken: dict[int, tuple[Cell, int]] = {}
    out: list[list[Cell]] = []

    def covered(i: int, col: int, line: int | None) -> Cell:
        origin, _ = taken[col]
        origin.rowspan += 1
        loc = Loc(source, line=line or origin.loc.line, table=index, row=i, col=origin.col)
        return Cell("", i, origin.col, loc, colspan=origin.colspan, covered=True)

    for i, raw_row in enumerate(raw_rows):
        for col in [c for c, (_, last) in taken.items() if last < i]:
            del taken[col]
        row: list[Cell] = []
        col = 0
        line = raw_row[0].line if raw_row else None
        for raw in raw_row:
            while col in taken:
                origin, _ = taken[col]
                if col == origin.col:
                    row.append(covered(i, col, raw.line))
                col = max(col + 1, origin.col + origin.colspan)
            loc = Loc(source, line=raw.line, table=index, row=i, col=col)
            cell = Cell(raw.text.value(), i, col, loc, colspan=raw.colspan)
            # rowspan="0" means "to the end of the table"
            span = n_rows - i if raw.rowspan == 0 else raw.rowspan
            last = min(i + span - 1, n_rows - 1)
            if last > i:
                for c in range(col, col + raw.colspan):
                    taken[c] = (cell, last)
            row.append(cell)
            col += raw.colspan
        for c in sorted(taken):
            origin, _ = taken[c]
            if c >= col and c == origin.col and origin.row < i:
                row.append(covered(i, c, line))
        out.append(row)
    return out
