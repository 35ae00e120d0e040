"""What a sheet's indicator row states, read as one plain value: shared by the checks that
compare a 实际完成值 with another figure (the 决算, the table's own funds block).

A value is compared only when nothing else is said: ``29.12万元`` and ``80.89%`` are values;
``≤36万元``, ``约29万元``, ``较上年下降3%`` and words are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.checks.precision import Span, printed
from jixiao.document import compact
from jixiao.numbers import MONEY_FACTORS, parse_quantity

QUOTES = re.compile(r"[“”\"'‘’「」『』〝〞]")
_PARENS = re.compile(r"[（(][^（）()]*[)）]")  # ``（境）``, ``（%）``, ``（万元）``
# a rate during the year (一季度…, 序时进度), not the year's
QUARTERLY = re.compile(r"季度|序时|月底|月末|半年")


def plain_name(text: str | None) -> str:
    """A name without white space, quotes or parenthesised remarks: ``“三公”经费 控制率（%）``
    → ``三公经费控制率``."""
    return _PARENS.sub("", QUOTES.sub("", compact(text)))


@dataclass(frozen=True)
class Value:
    """One plain value as a sheet prints it."""

    value: float
    decimals: int
    unit: str  # 元 / 万元 / 亿元 / 千元 / %
    text: str  # as printed

    @property
    def span(self) -> Span:
        """Money in 元, rates in percent points."""
        return printed(self.value, self.decimals).scale(MONEY_FACTORS.get(self.unit, 1.0))


_NUMBER_WITH_UNIT = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?:亿元|千元|万元|元|万|%|％)?")
# words an actual value may carry besides its number: 实际支出29.12万元, 共计80.89%
_FILLER = re.compile(
    r"(?:实际(?:完成|支出|发生)?|全年|年度|支出|决算数?|完成|共计?|合计|为|达到?|[:：])*"
)


def plain_value(text: str | None, target: str | None, percent: bool) -> Value | None:
    """The one number of ``text`` (with its unit, or the target's when it prints none), when
    nothing else is said: no comparator, range, approximation or second number."""
    q = parse_quantity(text)
    if q is None or q.value is None or q.comparator or q.approx or q.low is not None:
        return None
    unit = "万元" if q.unit == "万" else q.unit
    if unit is None:  # a bare number: the unit of the target (``≤36万元``) when it has one
        t = parse_quantity(target)
        unit = None if t is None else "万元" if t.unit == "万" else t.unit
        if percent and unit == "%" and q.value <= 1.5:
            return None  # 0.81: a ratio or a percentage? unclear
    if unit is None or (unit != "%" if percent else unit not in MONEY_FACTORS):
        return None
    rest = _NUMBER_WITH_UNIT.sub("", QUOTES.sub("", compact(text)), count=1)
    if not _FILLER.fullmatch(rest) or q.value < 0:
        return None
    return Value(q.value, q.decimals, unit, compact(text))
