"""Precision-aware arithmetic: every printed number is an interval, and so is every result.

``83.15%`` stands for anything in [83.145, 83.155]; ``1251.39万元`` for [1251.385, 1251.395].
Sums, differences, products and ratios of such intervals bound what the exact values could
give. A printed figure contradicts a computation only when its interval and the computed one
do not meet: that is the whole rule against false alarms (DESIGN.md, Numbers and tolerance).
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.numbers import decimals_of, decimals_of_value


@dataclass(frozen=True, slots=True)
class Span:
    lo: float
    hi: float

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2

    def __add__(self, other: Span) -> Span:
        return Span(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Span) -> Span:
        return Span(self.lo - other.hi, self.hi - other.lo)

    def __mul__(self, other: Span) -> Span:
        products = [a * b for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Span(min(products), max(products))

    def __truediv__(self, other: Span) -> Span | None:
        """None when the divisor may be 0: nothing can be concluded."""
        if other.lo <= 0 <= other.hi:
            return None
        quotients = [a / b for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Span(min(quotients), max(quotients))

    def scale(self, k: float) -> Span:
        a, b = self.lo * k, self.hi * k
        return Span(min(a, b), max(a, b))

    def meets(self, other: Span, slack: float = 1e-9) -> bool:
        return self.lo <= other.hi + slack and other.lo <= self.hi + slack


def exact(value: float) -> Span:
    return Span(value, value)


def printed(value: float, decimals: int) -> Span:
    """The interval a number printed with ``decimals`` decimals stands for."""
    half = 0.5 * 10**-decimals
    return Span(value - half, value + half)


def printed_text(value: float, text: str | None) -> Span:
    """As :func:`printed`, reading the decimals from the printed text when there is one."""
    if text is None:
        return printed(value, decimals_of_value(value))
    return printed(value, decimals_of(text))


def total(spans: list[Span]) -> Span:
    out = Span(0.0, 0.0)
    for s in spans:
        out = out + s
    return out


def contradicts(reported: Span, expected: Span | None) -> bool:
    """True when the printed value cannot be the computed one, whatever the rounding."""
    return expected is not None and not reported.meets(expected)
