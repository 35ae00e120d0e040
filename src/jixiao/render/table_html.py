"""One document table as HTML with the faulty cells highlighted, for the web app.

A small public face over :mod:`jixiao.render.html_report`'s table drawing (the same markup and
CSS classes as ``jixiao check --format html``), plus a compact JSON form of a table so that a
stored document can be drawn again without re-reading its file.
"""

from __future__ import annotations

from typing import Any

from jixiao.document import Cell, Loc, Table
from jixiao.model import Finding
from jixiao.render.html_report import CSS, _collect_marks, _Marks, _table

__all__ = ["CSS", "render_table", "table_from_json", "table_to_json"]


def table_to_json(table: Table) -> dict[str, Any]:
    """``{"index", "loc", "rows": [[[text, col, colspan, covered], …], …]}``"""
    return {
        "index": table.index,
        "loc": table.loc.to_dict(),
        "rows": [
            [[c.text, c.col, c.colspan, 1 if c.covered else 0] for c in row] for row in table.rows
        ],
    }


def table_from_json(data: dict[str, Any]) -> Table:
    loc_data = dict(data.get("loc") or {})
    loc = Loc(
        file=str(loc_data.pop("file", "")),
        **{k: v for k, v in loc_data.items() if k in Loc._fields},
    )
    rows = [
        [
            Cell(text=text, row=r, col=col, loc=loc, colspan=span, covered=bool(cov))
            for text, col, span, cov in row
        ]
        for r, row in enumerate(data.get("rows") or [])
    ]
    return Table(rows=rows, loc=loc, index=int(data.get("index", 0)))


def render_table(
    table: Table,
    findings: list[Finding],
    *,
    fmt: str | None = None,
    caption: str | None = None,
    prefix: int = 0,
) -> tuple[str, dict[int, str]]:
    """The table's HTML (heading included) and, per index into ``findings``, the id of the
    cell it points at. Only findings located in this table (or reading it) mark cells."""
    marks = _collect_marks(findings, {table.index: table}).get(table.index, _Marks())
    targets: dict[int, str] = {}
    html = _table(prefix, table, marks, targets, fmt, caption)
    return html, targets
