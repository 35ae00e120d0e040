"""A first guess of a 部门/单位's region and level from its name, for the dashboard.

``示例市临江区教育局`` → (``示例市临江区``, ``区县级``); ``示例省青禾县农业农村局`` →
(``示例省青禾县``, ``区县级``); ``某市财政局`` → (``某市``, ``市级``). A name without an
administrative prefix gives (None, None). Reviewers can correct both on the 单位 page; a
region given with the upload wins over the guess.
"""

from __future__ import annotations

import re

_NAME = r"[^省市县区旗州盟\s]{1,6}?"
_PROVINCE = rf"(?P<prov>{_NAME}(?:省|自治区))?"
_CITY = rf"(?P<city>{_NAME}(?:市|自治州|州|盟|地区))?"
_COUNTY = rf"(?P<county>{_NAME}(?:区|县|自治县|旗|市))?"
_REGION = re.compile(f"^{_PROVINCE}{_CITY}{_COUNTY}")
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")

LEVELS = ("省级", "市级", "区县级", "乡镇级")


def guess_region(entity: str | None) -> tuple[str | None, str | None]:
    """(region, level) read off the start of an entity name, or (None, None)."""
    if not entity:
        return None, None
    name = re.sub(r"\s+", "", entity)
    m = _REGION.match(name)
    if m is None or not m.group(0):
        return None, None
    region = m.group(0)
    if len(region) >= len(name):  # the whole name is a place: no department after it
        return None, None
    if m.group("county"):
        level = "区县级"
    elif m.group("city"):
        level = "省级" if m.group("city") in _MUNICIPALITIES and not m.group("prov") else "市级"
    else:
        level = "省级"
    return region, level
