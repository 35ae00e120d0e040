"""A figure as a 部门决算 table prints it, with its place, unit and precision: what the table
checks and the 说明 checks compare."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.accounts.codes import compact
from jixiao.accounts.model import AccountsRow, AccountsTable, LocDict
from jixiao.checks.precision import Span, exact, printed_text

Loc = LocDict


@dataclass
class Fig:
    """One printed figure (or a blank, an exact 0) with its place, in its table's unit."""

    value: float
    text: str | None
    loc: Loc | None
    factor: float = 1.0  # yuan per unit
    unknown: bool = False  # printed, but not as a number: nothing can be concluded

    @property
    def span(self) -> Span:
        if self.text is None:
            return exact(self.value)
        return printed_text(self.value, self.text)

    def shown(self, unit: str = "") -> str:
        return f"{self.text} {unit}".rstrip() if self.text is not None else "空白（按 0 计）"


def table_figure(row: AccountsRow | None, meaning: str, table: AccountsTable) -> Fig:
    """What ``table`` prints in ``row`` under ``meaning``: a number, a blank (an exact 0, also
    for a missing row), or text that is not a number (``unknown``)."""
    if row is None:
        return Fig(0.0, None, None, table.factor)
    value = row.values.get(meaning)
    loc = row.cells.get(meaning) or row.loc
    if value is None:
        text = compact(row.printed.get(meaning, ""))
        return Fig(0.0, None, loc, table.factor, unknown=text.strip("-—－/／.…") != "")
    return Fig(value, row.printed.get(meaning), loc, table.factor)
