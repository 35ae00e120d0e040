"""What the table families (funds, scores, rubric, quality) share: how a printed number
becomes an interval, how a value is quoted, and how a Finding is built — with the rule that
an uncertain extraction (OCR, fused cells) is at most a warning and says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

from jixiao.checks.precision import Span, exact, printed, printed_text
from jixiao.checks.registry import CHECKS
from jixiao.model import Evaluation, Finding, FundRow, LocDict, Severity
from jixiao.numbers import decimals_of, decimals_of_value, format_number

UNCERTAIN = "（该表为识别结果，提取不确定，请先核对原件）"


def table_name(ev: Evaluation) -> str:
    return f"表「{ev.title}」（{ev.subject}）" if ev.subject else f"表「{ev.title}」"


def text(obj: FundRow | object, field: str) -> str:
    """The printed text of a value (``printed`` dict), else the value formatted."""
    shown = getattr(obj, "printed", {}).get(field)
    if shown and _is_number(shown):
        return shown.strip()
    value = getattr(obj, field, None)
    return format_number(value) if isinstance(value, int | float) else ""


def span(obj: FundRow | object, field: str) -> Span:
    """A measured value (amount, rate) as the interval its printed digits stand for."""
    shown = getattr(obj, "printed", {}).get(field)
    value = getattr(obj, field)
    if shown and _is_number(shown):
        return printed(value, digits_in(shown))
    return printed_text(value, None)


def term(value: float, shown: str | None = None) -> Span:
    """A score or weight as a term of a sum. Scores are given in whole or half points, and
    those are exact as printed; any other decimals may have been rounded (28.33 for 28.333)."""
    if abs(value * 2 - round(value * 2)) < 1e-9:
        return exact(value)
    return printed(value, digits_in(shown) if shown else decimals_of_value(value))


def score_span(value: float, shown: str | None = None) -> Span:
    """A score against its rule, as :func:`jixiao.scoring.compare` reads it: meant to at least
    one decimal, so a rule's 9.69 may print as 9.7 but not as 10."""
    decimals = digits_in(shown) if shown else decimals_of_value(value)
    return printed(value, max(decimals, 1))


def total_span(value: float, shown: str | None = None) -> Span:
    """A printed total or mean: it may be rounded to the digits it shows (98.315 as 98)."""
    return printed(value, digits_in(shown) if shown else decimals_of_value(value))


def fmt2(x: float) -> str:
    """A computed score or amount to 2 decimals, without trailing zeros: 9.69, 15, 7.5."""
    return format_number(float(format_number(x, 2)))


def fused_half(shown: str | None) -> float | None:
    """``'1010'`` → 10: a number that reads as the same digits twice, as when a converter
    glues a cell to its neighbour ('10' and '10'). None for anything else."""
    t = (shown or "").strip()
    half = len(t) // 2
    if len(t) < 4 or len(t) % 2 or t[:half] != t[half:] or not _is_number(t[:half]):
        return None
    return float(t[:half])


def cell(ev: Evaluation, obj: object, field: str) -> LocDict | None:
    cells = getattr(obj, "cells", {}) or {}
    return cells.get(field) or getattr(obj, "loc", None) or ev.loc


def finding(
    check_id: str,
    k: int,
    ev: Evaluation,
    message: str,
    *,
    loc: LocDict | None,
    reported: str | None = None,
    expected: str | None = None,
    evidence: str | None = None,
    related: Iterable[LocDict | None] = (),
    severity: Severity | None = None,
    suspect: str | None = None,
) -> Finding:
    """A finding of a registered check. On a table whose extraction is uncertain (OCR), or
    where ``suspect`` names a conversion defect, it is at most a warning and says so: the
    department is not blamed for what the converter may have done."""
    level: Severity = severity or CHECKS[check_id].severity
    if ev.uncertain or suspect:
        if level == "error":
            level = "warning"
        message += f"（{suspect}，提取不确定，请先核对原件）" if suspect else UNCERTAIN
    message += "。"  # one sentence
    return Finding(
        check=check_id,
        severity=level,
        message=message,
        loc=loc or ev.loc,
        evidence=evidence,
        reported=reported,
        expected=expected,
        evaluation=k,
        related=[r for r in related if r],
    )


@lru_cache(maxsize=4096)
def digits_in(shown: str) -> int:
    """Decimals printed in a text (cached: the same cells are read by several checks)."""
    return decimals_of(shown)


def _is_number(shown: str) -> bool:
    t = shown.strip().replace(",", "").removesuffix("%")
    try:
        return math.isfinite(float(t))
    except ValueError:
        return False
