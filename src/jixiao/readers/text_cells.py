"""Word documents saved as plain text.

Word writes each table cell as a line starting with a TAB; the further lines of a
multi-line cell follow without the TAB; rows are separated by one blank line and a table is
followed by two or more blank lines. Blank lines also occur *inside* cells (Word keeps empty
paragraphs), so the rule that ends a table is: a line without a TAB after two or more blank
lines. A TAB line right after a paragraph starts a new table.

Tables that a page break split (the header repeated) are joined again. A table of one row
and one cell is a framed text box, not data: its lines become paragraphs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from jixiao.document import Cell, Document, Loc, Paragraph, Table, fold_ws
from jixiao.readers.tablejoin import drop_repeated_headers, join_split_tables


@dataclass(slots=True)
class _CellBuf:
    lines: list[str]
    first: int
    last: int
    gap: int = 0  # blank lines before this cell's first line
    text: str = ""  # the joined lines, once the table is complete


@dataclass(slots=True)
class _TableBuf:
    rows: list[list[_CellBuf]] = field(default_factory=list)


def read_text(text: str, source: str) -> Document:
    doc = Document(source=source, format="text_cells")
    table: _TableBuf | None = None
    blanks = 0
    prev_blank_run = 0

    def close_table() -> None:
        nonlocal table
        if table is not None and table.rows:
            _emit_table(doc, table, source)
        table = None

    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip() and not raw.startswith("\t"):
            blanks += 1
            continue
        prev_blank_run, blanks = blanks, 0
        if raw.startswith("\t"):
            cell = _CellBuf([raw[1:]], number, number, prev_blank_run)
            if table is None:
                table = _TableBuf([[cell]])
            elif prev_blank_run >= 1:
                table.rows.append([cell])  # a blank line separates rows (see _mend_rows)
            else:
                table.rows[-1].append(cell)
            continue
        if table is not None and prev_blank_run < 2:
            last = table.rows[-1][-1]  # a continuation line of the cell above
            last.lines.extend([""] * prev_blank_run + [raw])
            last.last = number
            continue
        close_table()
        doc.blocks.append(Paragraph(raw.strip(), Loc(source, line=number, line_end=number)))
    close_table()
    join_split_tables(doc)
    return doc


def _mend_rows(rows: list[list[_CellBuf]]) -> list[list[_CellBuf]]:
    """Undo false row breaks.

    A cell ending in empty paragraphs prints extra blank lines, so a TAB line after a blank
    line may still belong to the same row. Two pieces are one row when each is shorter than
    the table's usual width and together they have exactly that width, and the second does
    not start with an empty cell (a row's first cell is empty when a merge above covers it).
    """
    widths = Counter(len(r) for r in rows)
    modal = widths.most_common(1)[0][0]
    out: list[list[_CellBuf]] = []
    for row in rows:
        if (
            out
            and row[0].lines[0].strip()
            and len(row) < modal
            and len(out[-1]) < modal
            and len(out[-1]) + len(row) == modal
        ):
            out[-1].extend(row)
        else:
            out.append(row)
    return out


def _emit_table(doc: Document, buf: _TableBuf, source: str) -> None:
    for row in buf.rows:
        for cb in row:
            cb.text = "\n".join(cb.lines).strip("\n")
    buf.rows = drop_repeated_headers(
        _mend_rows(buf.rows), key=lambda r: [fold_ws(c.text) for c in r]
    )
    if len(buf.rows) == 1 and len(buf.rows[0]) == 1:
        cell = buf.rows[0][0]
        for offset, line in enumerate(cell.lines):
            if line.strip():
                n = cell.first + offset
                doc.blocks.append(Paragraph(line.strip(), Loc(source, line=n, line_end=n)))
        return
    index = len(doc.tables())
    rows: list[list[Cell]] = []
    for r, row in enumerate(buf.rows):
        cells = []
        for c, cb in enumerate(row):
            loc = Loc(source, None, cb.first, cb.last, index, r, c)  # positional: hot loop
            cells.append(Cell(cb.text, r, c, loc))
        rows.append(cells)
    first, last = buf.rows[0][0].first, buf.rows[-1][-1].last
    doc.blocks.append(Table(rows, Loc(source, line=first, line_end=last, table=index), index))
