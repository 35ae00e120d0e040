"""Join tables that a page break split in two.

Converters print a long table as one table per page, often repeating the header rows on
each page. Two tables that follow each other with nothing in between, where the second
starts with the first one's header rows, are one table: the repeat is dropped and the rows
appended. Table indices are renumbered afterwards so that Locs stay consistent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from jixiao.document import Cell, Document, Table

T = TypeVar("T")


def _key(row: list[Cell]) -> tuple[str, ...]:
    return tuple(c.value for c in row if c.value)


def _same_heading(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Equal header rows; a page may drop a trailing heading (``参考分值``) of the first page."""
    n = min(len(a), len(b))
    return a == b or (n >= 2 and a[:n] == b[:n])


def _same_headings(a: list[tuple[str, ...]], b: list[tuple[str, ...]]) -> bool:
    return len(a) == len(b) and all(_same_heading(x, y) for x, y in zip(a, b, strict=True))


def drop_repeated_headers(rows: list[list[T]], text: Callable[[T], str]) -> list[list[T]]:
    """Drop rows that repeat the table's leading header rows further down (page breaks).

    ``text`` gives a cell's text. Rows are compared by their non-empty texts; those are
    computed only for the rows compared, since a repeat starts with the first header cell.
    """
    if not rows:
        return rows
    keys: dict[int, tuple[str, ...]] = {}

    def key(i: int) -> tuple[str, ...]:
        if i not in keys:
            keys[i] = tuple(t for t in map(text, rows[i]) if t)
        return keys[i]

    if len(key(0)) < 2:
        return rows  # every header compared below includes row 0: it needs two headings
    first = key(0)[0]
    candidates = [i for i in range(1, len(rows)) if _first_text(rows[i], text) == first]
    for size in (3, 2, 1):
        if len(rows) <= size:
            continue
        head = [key(k) for k in range(size)]
        if not all(len(k) >= 2 for k in head):
            continue
        starts = [
            i
            for i in candidates
            if size <= i <= len(rows) - size
            and _same_headings([key(i + k) for k in range(size)], head)
        ]
        if starts:
            drop = {i + k for i in starts for k in range(size)}
            return [r for i, r in enumerate(rows) if i not in drop]
    return rows


def _first_text(row: list[T], text: Callable[[T], str]) -> str | None:
    return next((t for t in map(text, row) if t), None)


def repeated_header(first: Table, second: Table) -> int:
    """How many leading rows of ``second`` repeat the header of ``first`` (0 if none)."""
    for size in (3, 2, 1):
        if len(first.rows) <= size or len(second.rows) <= size:
            continue
        head = [_key(r) for r in first.rows[:size]]
        if all(len(k) >= 2 for k in head) and _same_headings(
            [_key(r) for r in second.rows[:size]], head
        ):
            return size
    return 0


def join_split_tables(doc: Document) -> None:
    blocks: list = []
    joined = False
    for block in doc.blocks:
        prev = blocks[-1] if blocks else None
        if isinstance(block, Table) and isinstance(prev, Table):
            skip = repeated_header(prev, block)
            if skip:
                append_rows(prev, block.rows[skip:])
                joined = True
                continue
        blocks.append(block)
    doc.blocks = blocks
    if joined:
        renumber_tables(doc)


def append_rows(table: Table, rows: list[list[Cell]]) -> None:
    for row in rows:
        r = len(table.rows)
        for cell in row:
            cell.row = r
            cell.loc = cell.loc.at(table=table.index, row=r)
        table.rows.append(row)
    last = rows[-1][-1].loc if rows and rows[-1] else None
    if last is not None and last.line_end is not None:
        table.loc = table.loc.at(line_end=last.line_end)


def renumber_tables(doc: Document) -> None:
    for index, table in enumerate(doc.tables()):
        if table.index == index:
            continue
        table.index = index
        table.loc = table.loc.at(table=index)
        for r, row in enumerate(table.rows):
            for cell in row:
                cell.row = r
                cell.loc = cell.loc.at(table=index, row=r)
