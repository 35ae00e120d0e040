"""PDF tables exported as TAB-separated rows, with HTML inside the cells.

Each table row is one line, cells separated by TABs; a cell may hold ``<p>…</p>``,
``<ol><li>…</li></ol>`` or ``<br>``. A table running over several pages is printed as one
table per page, each repeating the header rows: those repeats are dropped and the pages
joined, so that one table stays one table.
"""

from __future__ import annotations

import html
import re

from jixiao.document import Cell, Document, Loc, Paragraph, Table
from jixiao.readers.tablejoin import join_split_tables

_BREAK = re.compile(r"<\s*(?:br|/p|/li|/div|/tr)\s*/?>|<\s*(?:li|p)\b[^>]*>", re.I)
# A tag starts with a letter, '/' or '!': '比率<5%的…比率>10%' is text, not a tag.
_TAG = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?\s*>|<!--.*?-->", re.S)
_SPACES = re.compile(r"[ \u3000\xa0]+")


def html_cell_text(raw: str) -> str:
    """Cell HTML to text: block ends become line breaks, tags go, entities decode."""
    if "<" not in raw and "&" not in raw:
        return raw.strip()
    text = _BREAK.sub("\n", raw)
    text = html.unescape(_TAG.sub("", text))
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def read_text(text: str, source: str) -> Document:
    doc = Document(source=source, format="tsv_html")
    pending: list[tuple[int, list[str]]] = []  # (line number, raw cells) of the current table

    def flush() -> None:
        if pending:
            _emit(doc, pending, source)
            pending.clear()

    for number, line in enumerate(text.split("\n"), start=1):
        if "\t" in line:
            pending.append((number, line.split("\t")))
            continue
        flush()
        if not line.strip():
            continue
        doc.blocks.append(
            Paragraph(html_cell_text(line), Loc(source, line=number, line_end=number))
        )
    flush()
    join_split_tables(doc)
    return doc


def _key(cells: list[str]) -> tuple[str, ...]:
    return tuple(c.strip() for c in cells if c.strip())


def _emit(doc: Document, lines: list[tuple[int, list[str]]], source: str) -> None:
    index = len(doc.tables())
    table = Table([], Loc(source, line=lines[0][0], line_end=lines[-1][0], table=index), index)
    for r, (number, raw) in enumerate(lines):
        # tuple.__new__: Loc(source, line=…, line_end=…, table=…, row=…, col=…) without the
        # NamedTuple constructor's keyword handling, one per cell
        table.rows.append(
            [
                Cell(
                    html_cell_text(c),
                    r,
                    k,
                    tuple.__new__(Loc, (source, None, number, number, index, r, k)),
                )
                for k, c in enumerate(raw)
            ]
        )
    doc.blocks.append(table)
