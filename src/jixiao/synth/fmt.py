"""How numbers are printed in the samples, and how a printed number reads back.

Every writer and the ground truth go through these functions, so the truth is always
"what the files print", never a float that merely looks like it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NULL_TEXTS = frozenset({"", "—", "-", "_"})


def q2(x: float) -> float:
    """Round half up to 2 decimals, the way a person filling the form would."""
    return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def fmt_amount(x: float | None, unit: str = "万元") -> str:
    """Money: 2 decimals; amounts in 元 carry thousands separators like the real forms."""
    if x is None:
        return ""
    return f"{x:,.2f}" if unit == "元" else f"{x:.2f}"


def fmt_rate(x: float | None) -> str:
    """A percentage: ``93.47%``; an exact 100 prints as ``100%`` as filers usually write it."""
    if x is None:
        return ""
    return "100%" if x == 100 else f"{x:.2f}%"


def fmt_num(x: float | None) -> str:
    """Weights and scores: ``10``, ``7.5``, ``9.35`` (no trailing zeros)."""
    if x is None:
        return ""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def parse_num(text: str | None) -> float | None:
    """A printed number back as a float: ``1,234.50`` -> 1234.5, ``95.23%`` -> 95.23."""
    if text is None:
        return None
    t = text.strip().replace(",", "").removesuffix("%")
    if t in NULL_TEXTS:
        return None
    return float(t)
