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

from jixiao.document import Cell, Document, Loc, Paragraph, Table, fold_ws
from jixiao.readers.tablejoin import drop_repeated_headers, join_split_tables

# A cell being read is a plain list (a word-processor export holds thousands of cells, and a
# list is several times cheaper to make than an object): its text, first and last line.
_TEXT, _FIRST, _LAST = 0, 1, 2
_CellBuf = list  # [text: str, first: int, last: int]


def read_text(text: str, source: str) -> Document:
    doc = Document(source=source, format="text_cells")
    table: list[list[_CellBuf]] | None = None  # rows of cells
    blanks = 0
    tables = 0

    def close_table() -> None:
        nonlocal table, tables
        if table:
            tables += _emit_table(doc, table, source, tables)
        table = None

    for number, raw in enumerate(text.split("\n"), start=1):
        if raw.startswith("\t"):
            gap, blanks = blanks, 0
            cell = [raw[1:], number, number]
            if table is None:
                table = [[cell]]
            elif gap >= 1:
                table.append([cell])  # a blank line separates rows (see _mend_rows)
            else:
                table[-1].append(cell)
            continue
        if not raw.strip():
            blanks += 1
            continue
        gap, blanks = blanks, 0
        if table is not None and gap < 2:
            last = table[-1][-1]  # a continuation line of the cell above, after its blanks
            last[_TEXT] += "\n" * (gap + 1) + raw
            last[_LAST] = number
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
            and row[0][_TEXT].partition("\n")[0].strip()  # its first line
            and len(row) < modal
            and len(out[-1]) < modal
            and len(out[-1]) + len(row) == modal
        ):
            out[-1].extend(row)
        else:
            out.append(row)
    return out


def _emit_table(doc: Document, rows: list[list[_CellBuf]], source: str, index: int) -> int:
    """Add the table (or the lines of a framed text box); returns the number of tables added."""
    rows = drop_repeated_headers(_mend_rows(rows), lambda c: fold_ws(c[_TEXT].strip("\n")))
    if len(rows) == 1 and len(rows[0]) == 1:
        text, first, _ = rows[0][0]
        for offset, line in enumerate(text.split("\n")):
            if line.strip():
                n = first + offset
                doc.blocks.append(Paragraph(line.strip(), Loc(source, line=n, line_end=n)))
        return 0
    table: list[list[Cell]] = []
    for r, row in enumerate(rows):
        cells = []
        for c, (text, first, last) in enumerate(row):
            # Loc(source, None, first, last, index, r, c) without the NamedTuple constructor's
            # overhead: one per cell
            loc = tuple.__new__(Loc, (source, None, first, last, index, r, c))
            cells.append(Cell(text.strip("\n"), r, c, loc))
        table.append(cells)
    first, last = rows[0][0][_FIRST], rows[-1][-1][_LAST]
    doc.blocks.append(Table(table, Loc(source, line=first, line_end=last, table=index), index))
    return 1
