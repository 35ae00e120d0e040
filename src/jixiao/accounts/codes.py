"""Budget classification codes as printed in 部门决算 tables.

* 支出功能分类 (functional): 类 3 digits, 款 5, 项 7 (``201``, ``20106``, ``2010601``).
* 部门支出经济分类 (economic): 类 3 digits, 款 5 (``301``, ``30101``).

A code may be printed whole (``2010601``, ``201 06 01``) or split over the columns 类 | 款 | 项
(``201`` | ``06`` | ``01``), with the upper parts sometimes left blank under a group. The
summary tables (收入支出决算总表, 财政拨款收入支出决算总表) name the 类 without a code; the
national list of 类 names below gives it back.
"""

from __future__ import annotations

import re

from jixiao.document import compact, fold_ws

# 支出功能分类 类 (2024 list), with the older names still seen in reports.
FUNCTION_CLASSES: dict[str, tuple[str, ...]] = {
    "201": ("一般公共服务支出",),
    "202": ("外交支出",),
    "203": ("国防支出",),
    "204": ("公共安全支出",),
    "205": ("教育支出",),
    "206": ("科学技术支出",),
    "207": ("文化旅游体育与传媒支出", "文化体育与传媒支出"),
    "208": ("社会保障和就业支出",),
    "209": ("社会保险基金支出",),
    "210": ("卫生健康支出", "医疗卫生与计划生育支出", "医疗卫生支出"),
    "211": ("节能环保支出",),
    "212": ("城乡社区支出",),
    "213": ("农林水支出",),
    "214": ("交通运输支出",),
    "215": ("资源勘探工业信息等支出", "资源勘探信息等支出"),
    "216": ("商业服务业等支出",),
    "217": ("金融支出",),
    "219": ("援助其他地区支出",),
    "220": ("自然资源海洋气象等支出", "国土海洋气象等支出"),
    "221": ("住房保障支出",),
    "222": ("粮油物资储备支出", "粮油物资储备管理支出"),
    "223": ("国有资本经营预算支出",),
    "224": ("灾害防治及应急管理支出",),
    "227": ("预备费",),
    "229": ("其他支出",),
    "230": ("转移性支出",),
    "231": ("债务还本支出",),
    "232": ("债务付息支出",),
    "233": ("债务发行费用支出",),
    "234": ("抗疫特别国债安排的支出",),
}

# 部门支出经济分类 类.
ECONOMIC_CLASSES: dict[str, str] = {
    "301": "工资福利支出",
    "302": "商品和服务支出",
    "303": "对个人和家庭的补助",
    "307": "债务利息及费用支出",
    "309": "资本性支出（基本建设）",
    "310": "资本性支出",
    "311": "对企业补助（基本建设）",
    "312": "对企业补助",
    "313": "对社会保障基金补助",
    "399": "其他支出",
}
# 人员经费 = 工资福利支出 + 对个人和家庭的补助; 公用经费 = the other 类 of 基本支出.
PERSONNEL_CLASSES = ("301", "303")

_ENUM = re.compile(
    r"^\s*(?:[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|\d{1,2}\s*[、.．](?!\d))\s*"
)
_CLASS_SUFFIX = re.compile(r"[（(]\s*类\s*[）)]$")
_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
_LEADING_CODE = re.compile(r"^\s*(\d{3}(?:\s?\d{2}){0,2})(?:\s+|(?=[^\d\s]))(\S.*)$")
_NAME_TO_CLASS = {name: code for code, names in FUNCTION_CLASSES.items() for name in names}


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff（）“”、])\s+(?=[\u4e00-\u9fff（）“”、])")


def tidy_name(text: str) -> str:
    """White space folded, and dropped between Chinese characters (PDF letter-spacing:
    ``'其 他 商 品 和 服 务 支出'`` → ``'其他商品和服务支出'``)."""
    return _CJK_GAP.sub("", fold_ws(text))


def strip_enum(label: str) -> str:
    """``'一、一般公共服务支出'`` → ``'一般公共服务支出'``; ``'（一）xx'`` → ``'xx'``."""
    return _ENUM.sub("", fold_ws(label), count=1).strip()


def clean_code(text: str) -> str | None:
    """A whole code as printed (``'2010601'``, ``'201 06 01'``) → digits, else None."""
    digits = compact(text)
    return digits if _CODE.fullmatch(digits) else None


def split_leading_code(text: str) -> tuple[str, str] | None:
    """``'2010601 行政运行'`` → ``('2010601', '行政运行')``: a code printed in the name column."""
    m = _LEADING_CODE.match(text)
    if m is None:
        return None
    code = clean_code(m.group(1))
    return (code, m.group(2).strip()) if code else None


def join_parts(parts: list[str], previous: str | None) -> str | None:
    """The code of one row from its 类 | 款 | 项 cells (``['201', '06', '01']``).

    Upper parts left blank (printed once for a group) are taken from ``previous``, the code
    of the row above; a part that is not digits means the row has no code.
    """
    texts = [compact(p) for p in parts]
    filled = [k for k, t in enumerate(texts) if t]
    if not filled or not all(texts[k].isdigit() for k in filled):
        return None
    if filled == [0] and _CODE.fullmatch(texts[0]):
        return texts[0]  # a whole code in the 类 column
    widths = [3, 2, 2][: len(texts)]
    first = filled[0]
    need = sum(widths[:first])
    if first > 0 and (previous is None or len(previous) < need):
        return None
    code = previous[:need] if first > 0 and previous else ""
    for k in range(first, len(texts)):
        t = texts[k]
        if not t:
            break
        if len(t) < widths[k]:
            t = t.zfill(widths[k])  # '1' for '01'
        if len(t) != widths[k]:
            return None
        code += t
    return code if _CODE.fullmatch(code) else None


def level_of(code: str | None) -> int | None:
    """1 for a 类 (3 digits), 2 for a 款 (5), 3 for a 项 (7)."""
    if code is None:
        return None
    return {3: 1, 5: 2, 7: 3}.get(len(code))


def parent_of(code: str) -> str | None:
    return code[:-2] if len(code) in (5, 7) else None


def class_code(name: str) -> str | None:
    """The 功能分类 类 code a summary-table line names (``'八、社会保障和就业支出'`` → 208)."""
    key = compact(_CLASS_SUFFIX.sub("", strip_enum(name)))
    return _NAME_TO_CLASS.get(key)


def is_economic(code: str | None) -> bool:
    return code is not None and code[:1] == "3"
