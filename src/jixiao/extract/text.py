"""Small text helpers shared by the recognizers."""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.document import compact as compact  # re-exported: the recognizers' import
from jixiao.document import fold_ws

# A weight note after a level name: 产出指标(50分) / 数量指标（20分） / 决策（8分） / 投  入（15分）
_WEIGHT_NOTE = re.compile(r"\s*[（(]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]?\s*$")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_HAS_CJK = re.compile(f"[{_CJK}]")
_NULLS = {"", "—", "–", "-", "_", "——", "/", "－", "__"}


@lru_cache(maxsize=1 << 16)
def value_or_none(text: str | None) -> str | None:
    """The interchange convention: folded text, or None for an empty cell or a dash."""
    if text is None:
        return None
    folded = fold_ws(text)
    return None if folded in _NULLS else folded


@lru_cache(maxsize=1 << 16)
def split_weight_note(text: str | None) -> tuple[str | None, float | None]:
    """``产出 指标 (50分）`` -> (``产出 指标``, 50.0); text without a note is returned as is."""
    value = value_or_none(text)
    if value is None:
        return None, None
    m = _WEIGHT_NOTE.search(value)
    if m and m.start() > 0:
        return value[: m.start()].strip() or None, float(m.group(1))
    return value, None


def join_wrapped_name(text: str | None) -> str | None:
    """An organisation name wrapped inside its cell: the break is not a space."""
    value = value_or_none(text)
    return _CJK_BREAK.sub("", value) if value else value


def has_cjk(text: str) -> bool:
    return _HAS_CJK.search(text) is not None
