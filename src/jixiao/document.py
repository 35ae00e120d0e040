"""The neutral document model: every reader produces it, every recognizer consumes it.

A Document is a sequence of blocks, Paragraph or Table, in reading order. Every block and
every cell carries a Loc, so that anything extracted later can point at the exact place in
the source (file, page, lines, table, row, column).

Tables are stored as rows of *physical* cells, the way a word processor holds them: a cell
merged horizontally (gridSpan, a merged range) appears once with ``colspan > 1``; the places a
vertical merge covers appear as empty cells with ``covered=True``, the way Word's own text
export prints them. ``col`` is the grid column where the cell starts when the format knows
its grid (DOCX, XLSX, HTML, PDF); text exports only know the order of cells, so there
``col`` is the cell's index in its row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

_WS = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)  # recognizers ask for the same cells many times
def compact(text: str | None) -> str:
    """Text without any white space: for matching labels like ``总  分`` or ``年度\n指标值``
    (PDF lines also put spaces inside Chinese words)."""
    return _WS.sub("", text or "")


@lru_cache(maxsize=1 << 16)  # cell texts repeat a lot (headers, dashes, numbers)
def fold_ws(text: str) -> str:
    """Trim and fold inner runs of white space (line breaks included) to one space."""
    return _WS.sub(" ", text).strip()


class Loc(NamedTuple):
    """Where something stands in its source. Lines are 1-based and inclusive.

    A NamedTuple rather than a frozen dataclass: readers build one per cell, and a tuple is
    several times cheaper to make while just as immutable and hashable.
    """

    file: str
    page: int | None = None
    line: int | None = None
    line_end: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None

    def at(self, **changes: int | None) -> Loc:
        values = list(self)  # faster than _replace, which readers call per cell
        for key, value in changes.items():
            values[_LOC_INDEX[key]] = value
        return tuple.__new__(Loc, values)

    def short(self) -> str:
        """Human form: ``name.txt:12-14 表3 行2 列5``."""
        parts = [self.file]
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            span = (
                f"{self.line}"
                if self.line_end in (None, self.line)
                else f"{self.line}-{self.line_end}"
            )
            parts[0] = f"{self.file}:{span}"
        if self.table is not None:
            parts.append(f"表{self.table + 1}")
        if self.row is not None:
            parts.append(f"行{self.row + 1}")
        if self.col is not None:
            parts.append(f"列{self.col + 1}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, int | str]:
        file, page, line, line_end, table, row, col = self  # unrolled: called per cell
        out: dict[str, int | str] = {"file": file}
        if page is not None:
            out["page"] = page
        if line is not None:
            out["line"] = line
        if line_end is not None:
            out["line_end"] = line_end
        if table is not None:
            out["table"] = table
        if row is not None:
            out["row"] = row
        if col is not None:
            out["col"] = col
        return out

    def row_dict(self) -> dict[str, int | str]:
        """``to_dict`` without the column: where a whole row stands."""
        out = self.to_dict()
        out.pop("col", None)
        return out


_LOC_INDEX = {name: k for k, name in enumerate(Loc._fields)}


class Cell:
    """One physical cell. A plain class rather than a dataclass: readers make one per cell,
    and the compiled build (setup.py) turns a plain ``__init__`` into native code, where a
    dataclass keeps a generated, interpreted one (3,000 instructions a cell)."""

    __slots__ = (
        "_folded",
        "col",
        "colspan",
        "covered",
        "loc",
        "row",
        "rowspan",
        "text",
        "uncertain",
    )

    def __init__(
        self,
        text: str,
        row: int,
        col: int,
        loc: Loc,
        rowspan: int = 1,
        colspan: int = 1,
        covered: bool = False,  # the continuation of a vertical merge: printed empty
        uncertain: bool = False,  # the reader had to guess (OCR repair)
    ) -> None:
        self.text = text
        self.row = row
        self.col = col
        self.loc = loc
        self.rowspan = rowspan
        self.colspan = colspan
        self.covered = covered
        self.uncertain = uncertain
        self._folded: tuple[str, str] | None = None  # (text, its value), see value

    def _key(self) -> tuple:
        return (
            self.text,
            self.row,
            self.col,
            self.loc,
            self.rowspan,
            self.colspan,
            self.covered,
            self.uncertain,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cell) and self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return (
            f"Cell(text={self.text!r}, row={self.row}, col={self.col}, loc={self.loc!r}, "
            f"rowspan={self.rowspan}, colspan={self.colspan}, covered={self.covered}, "
            f"uncertain={self.uncertain})"
        )

    @property
    def value(self) -> str:
        """The cell's text in the interchange convention: trimmed, white space folded."""
        cached = self._folded
        if cached is None or cached[0] is not self.text:  # recomputed only if text changed
            cached = self._folded = (self.text, fold_ws(self.text))
        return cached[1]


@dataclass(slots=True)
class Paragraph:
    text: str
    loc: Loc
    uncertain: bool = False

    @property
    def value(self) -> str:
        return fold_ws(self.text)


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]]
    loc: Loc
    index: int = 0
    uncertain: bool = False

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.colspan for r in self.rows for c in r), default=0)

    def cells(self) -> Iterator[Cell]:
        for r in self.rows:
            yield from r

    def texts(self) -> list[list[str]]:
        """Rows of folded cell texts (physical cells)."""
        return [[c.value for c in r] for r in self.rows]

    def grid(self) -> list[list[Cell | None]]:
        """The table on its grid: each position holds the cell that covers it.

        A horizontally merged cell fills every column it spans, so that columns line up
        across rows whatever their number of physical cells.
        """
        width = self.n_cols
        out: list[list[Cell | None]] = []
        for r in self.rows:
            line: list[Cell | None] = [None] * width
            for c in r:
                for k in range(c.col, min(c.col + c.colspan, width)):
                    line[k] = c
            out.append(line)
        return out


Block = Paragraph | Table


@dataclass(slots=True)
class Document:
    source: str  # file name, no folders
    format: str  # text_cells | markdown | tsv_html | docx | xlsx | pdf | html | text
    blocks: list[Block] = field(default_factory=list)
    path: str | None = None
    warnings: list[str] = field(default_factory=list)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def text(self) -> str:
        """All text in reading order, tables flattened row by row (for searching)."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                out.append(b.text)
            else:
                out.extend(" ".join(c.value for c in r) for r in b.rows)
        return "\n".join(out)
