"""Markdown written by an OCR tool from scanned PDFs.

Pipe tables with ``<br>`` for line breaks inside cells; headings (``## …``) that sometimes
hold a whole table flattened into one line; and characters the OCR misread. The reader keeps
what it sees and marks what is doubtful (``uncertain``): cells of pure noise (``*****``,
``,,,,``) are emptied, cells with characters foreign to a Chinese report (Greek, Hangul, box
drawing) are flagged. Recovering the meaning of a flattened heading is the recognizers'
job, since only they know which words are column headings.
"""

from __future__ import annotations

import re

from jixiao.document import Cell, Document, Loc, Paragraph, Table
from jixiao.readers.tsv_html import html_cell_text

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_NOISE = re.compile(r"^[\s*,.·`'\"_~|\-—=+#^]+$")
# Scripts that do not occur in a Chinese finance report: a sign of OCR misreading.
_FOREIGN = re.compile(
    r"[\u0370-\u03ff\u0400-\u04ff\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u2500-\u257f]"
)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def read_text(text: str, source: str) -> Document:
    doc = Document(source=source, format="markdown")
    rows: list[tuple[int, list[str]]] = []

    def flush() -> None:
        if rows:
            _emit(doc, rows, source)
            rows.clear()

    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("|"):
            if not _SEPARATOR.match(stripped):
                rows.append((number, _split_row(stripped)))
            continue
        flush()
        if not stripped:
            continue
        heading = bool(_HEADING.match(line))
        body = html_cell_text(_HEADING.sub("", line)) if heading else html_cell_text(stripped)
        para = Paragraph(body, Loc(source, line=number, line_end=number))
        para.uncertain = bool(_FOREIGN.search(body))
        doc.blocks.append(para)
    flush()
    return doc


def _split_row(line: str) -> list[str]:
    inner = line[1:-1] if line.endswith("|") and len(line) > 1 else line[1:]
    return inner.split("|")


def _emit(doc: Document, lines: list[tuple[int, list[str]]], source: str) -> None:
    index = len(doc.tables())
    table = Table([], Loc(source, line=lines[0][0], line_end=lines[-1][0], table=index), index)
    for r, (number, raw_cells) in enumerate(lines):
        row = []
        for c, raw in enumerate(raw_cells):
            text = html_cell_text(raw)
            uncertain = bool(_FOREIGN.search(text))
            if text and _NOISE.match(text):
                text, uncertain = "", True
            # Loc(source, line=…, line_end=…, table=…, row=…, col=…) without the NamedTuple
            # constructor's keyword handling: one per cell
            cell = Cell(text, r, c, tuple.__new__(Loc, (source, None, number, number, index, r, c)))
            if uncertain:  # rare: set apart, the keyword makes every cell slower to build
                cell.uncertain = True
            row.append(cell)
        table.rows.append(row)
    table.uncertain = any(c.uncertain for c in table.cells())
    doc.blocks.append(table)
