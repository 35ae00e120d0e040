"""Numbers as printed in Chinese budget performance reports, with their printed precision.

Every audit check compares printed figures, and a printed figure is only as exact as its
last digit: ``83.15%`` means 83.15 ± 0.005, ``32.7%`` means 32.7 ± 0.05. So parsing keeps
how many decimals were printed (``Quantity.decimals`` / ``Quantity.tolerance``).

Two entry points:

* :func:`parse_number` for a table cell that should hold exactly one number (score, weight,
  amount, rate). Strict: anything beyond sign, number and unit gives ``None``.
* :func:`parse_quantity` for target/actual texts (``≥95%``, ``不少于15项``, ``90%-100%``,
  ``项目预算控制在7.5万元以内``, ``二百余``). Lenient about surrounding words, but refuses
  (``None``) rather than guesses when several unrelated numbers are present.

Both are called on every cell, so regexes are precompiled, the common case is a single
``fullmatch``, and cn2an (slow to import, slow to call) is only touched when the text
contains Chinese numerals. Neither function raises on any ``str``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache

__all__ = [
    "Quantity",
    "clean_float",
    "decimals_of",
    "format_number",
    "parse_number",
    "parse_quantity",
]

MONEY_FACTORS = {"元": 1.0, "千元": 1e3, "万元": 1e4, "亿元": 1e8}  # yuan per unit


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as printed, with its unit, precision and any comparator or vagueness."""

    value: float | None  # in the printed unit; None for a range (see low/high)
    text: str  # the source text, stripped
    unit: str | None  # '元' '万元' '亿元' '千元' '%' or another unit word as printed
    decimals: int  # decimals printed; for ranges, of the more precise bound
    comparator: str | None  # '>=', '<=', '>', '<', '=' or None
    low: float | None = None
    high: float | None = None
    approx: bool = False  # 约50, 50余, 二百余, 50左右, 50多

    @property
    def tolerance(self) -> float:
        """Half a unit of the last printed digit: ``83.15`` → 0.005."""
        # Past ~300 decimals 10**d no longer converts to float; the tolerance is 0 anyway.
        return 0.5 / 10**self.decimals if self.decimals < 300 else 0.0

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    def in_yuan(self) -> float | None:
        """The money amount in 元 (万元 ×1e4, 亿元 ×1e8, 千元 ×1e3); None if not money."""
        factor = MONEY_FACTORS.get(self.unit or "")
        if factor is None or self.value is None:
            return None
        return clean_float(self.value * factor)


# --- normalisation ------------------------------------------------------------------------

# Full-width ASCII (０-９ ． ， ％ ＞ ～ …) to ASCII, and the many dashes, tildes and
# comparator glyphs seen in reports to one spelling each, so the regexes stay simple.
_TRANS: dict[int, str | None] = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_TRANS.update({c: " " for c in (0x3000, 0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F)})
_TRANS.update({c: None for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)})
_TRANS.update({c: "-" for c in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE63)})
_TRANS.update({c: "~" for c in (0x301C, 0x223C, 0x2053)})
_TRANS.update(
    {
        0xFE6A: "%",  # ﹪
        0xFE50: ",",  # ﹐
        0x2267: "≥",  # ≧
        0x2A7E: "≥",  # ⩾
        0x226E: "≥",  # ≮ (not less than)
        0x2266: "≤",  # ≦
        0x2A7D: "≤",  # ⩽
        0x226F: "≤",  # ≯ (not greater than)
        ord("萬"): "万",
        ord("億"): "亿",
    }
)


def _normalize(text: str) -> str:
    # Most cells are plain ASCII: skip the translation for them.
    return (text if text.isascii() else text.translate(_TRANS)).strip()


# --- units --------------------------------------------------------------------------------

_BASE_UNITS = (
    "%", "‰", "个百分点", "百分点", "元", "元/人", "元/年", "元/月",
    "项", "人", "人次", "人天", "个", "个月", "个工作日", "次", "分", "分钟", "件", "天",
    "年", "户", "户次", "条", "套", "台套", "家", "家次", "台", "所", "座", "辆", "篇",
    "批", "批次", "期", "场", "场次", "份", "册", "名", "位", "处", "块", "张", "本",
    "株", "棵", "只", "头", "亩", "公顷", "吨", "公里", "米", "平方米", "平米", "立方米",
    "公斤", "千克", "克", "小时", "日", "月", "周", "季度", "工作日", "学时", "课时",
    "间", "栋", "幢", "节", "门", "类", "种", "轮", "组", "支", "眼", "盏", "倍", "岁",
    "床", "秒", "章", "集", "部", "首", "页", "单", "宗", "例", "笔", "段", "道", "千瓦",
    "兆瓦", "度", "升", "箱", "袋", "瓶", "盒", "车次", "级", "枚", "℃",
)  # fmt: skip
_ASCII_UNITS = ("km", "kg", "kWh", "kW", "MW", "GB", "TB", "Mbps", "mm", "cm", "m", "t", "h")


def _alternation(words: tuple[str, ...]) -> str:
    # Longest first, so '个月' wins over '个' and '分钟' over '分'.
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# 万/亿/千 combine with any base unit (万元, 万人次, 千米); alone they are a unit too ('20万').
_UNIT = (
    rf"(?:[万亿千]?(?:{_alternation(_BASE_UNITS)})|[万亿千]"
    rf"|(?:{_alternation(_ASCII_UNITS)})(?![A-Za-z]))"
)

# --- one number ---------------------------------------------------------------------------

# A run of digits with single ',' / '.' separators; _interpret decides what they mean.
_NUM = r"[0-9]+(?:[.,][0-9]+)*|\.[0-9]+"
_EXP = r"(?:[eE][+-]?[0-9]+)?"  # spreadsheet exports: '1.5E+07'
# The unit tail is looked up in a set rather than matched by _UNIT: a long alternation
# costs more than the rest of the parse on every cell.
_CELL_RE = re.compile(rf"([+-])?\s*((?:{_NUM}){_EXP})\s*(.{{0,8}})", re.DOTALL)
_CELL_UNITS = frozenset(
    {*_BASE_UNITS, *_ASCII_UNITS, "万", "亿", "千"} | {p + u for p in "万亿千" for u in _BASE_UNITS}
)
_SEP_RE = re.compile(r"[.,]")


def _interpret(body: str) -> tuple[float, int] | None:
    """``'21,252,800.00'`` → (21252800.0, 2); None when the separators are ambiguous."""
    if "e" in body or "E" in body:
        mantissa, _, exponent = body.lower().partition("e")
        if "," in mantissa or mantissa.count(".") > 1 or len(exponent) > 5:
            return None
        value = float(body)
        if not math.isfinite(value):
            return None
        frac_len = len(mantissa.partition(".")[2])
        return clean_float(value), max(0, frac_len - int(exponent))
    if "," not in body and body.count(".") <= 1:
        # The common case: a plain decimal.
        value = float(body)
        int_part, _, frac = body.partition(".")
    else:
        groups = _SEP_RE.split(body)
        seps = [c for c in body if c in ".,"]
        n_dots = seps.count(".")
        if n_dots == 0:
            int_groups, frac = groups, ""
        elif n_dots == 1 and seps[-1] == ".":
            int_groups, frac = groups[:-1], groups[-1]
        elif n_dots >= 2:
            # OCR read thousands commas as dots ('1.960.000.00'): all but a final
            # non-3-digit group are thousands groups. '1.960.000' is taken as 1960000.
            if seps[-1] == "." and len(groups[-1]) != 3:
                int_groups, frac = groups[:-1], groups[-1]
            else:
                int_groups, frac = groups, ""
        else:  # one dot before a comma: '1.960,000' (European style or garbage)
            return None
        first = int_groups[0]
        if not 1 <= len(first) <= 3 or first[0] == "0":
            return None
        if any(len(g) != 3 for g in int_groups[1:]):
            return None  # '12,13' is two numbers, not twelve-thousand-odd
        int_part = "".join(int_groups)
        value = float(f"{int_part}.{frac}" if frac else int_part)
    if not math.isfinite(value):
        return None  # '9' * 400
    decimals = len(frac)
    if len(body) >= 16 and len((int_part + frac).lstrip("0")) >= 16:
        # More digits than a double holds: an export artifact ('8.3150000000000001'),
        # and the artifact digits are not precision.
        value = clean_float(value)
        decimals = min(decimals, _repr_decimals(value))
    return value, decimals


def _repr_decimals(x: float) -> int:
    r = repr(x)
    if "e" in r or "E" in r:
        exponent = Decimal(r).normalize().as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0
    return len(r.partition(".")[2].rstrip("0"))


def _parse_cell(s: str) -> tuple[float, int, str | None] | None:
    """Strict: optional sign, one number, optional unit, nothing else. ``s`` is normalised."""
    m = _CELL_RE.fullmatch(s)
    if m is None:
        return None
    unit = m.group(3) or None
    if unit is not None and unit not in _CELL_UNITS:
        return None
    interpreted = _interpret(m.group(2))
    if interpreted is None:
        return None
    value, decimals = interpreted
    if m.group(1) == "-":
        value = -value
    return value, decimals, unit


# --- Chinese numerals ---------------------------------------------------------------------

_CN_DIGITS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_CN_NUMERAL = _CN_DIGITS + "十拾百佰千仟万亿"
_CN_GATE_RE = re.compile(rf"[{_CN_DIGITS}十拾]|百分")
_CN_RUN = rf"[{_CN_NUMERAL}]+(?:点[{_CN_DIGITS}]+)?"
_CN_RUN_RE = re.compile(_CN_RUN)
_CN_PERCENT_RE = re.compile(rf"([百千])分之({_CN_RUN})")
# A whole cell that could be a Chinese numeral with a unit ('十五项', '百分之九十').
_CN_CELL_RE = re.compile(rf"(?:[百千]分之)?{_CN_RUN}\s*\S{{0,5}}|百分百")
_CN_FRACTION_RE = re.compile(rf"{_CN_RUN}分之{_CN_RUN}")  # 三分之一: not a quantity we audit
# Words that contain numerals but are not numbers ('十分满意' is 'very satisfied', not 10分).
_CN_STOP_RE = re.compile(
    rf"(?<![{_CN_NUMERAL}])十分|一般|一致|一定|一些|一次性|一体|一律|一并|一起|一旦|一直|一切"
    r"|一站式|一揽子|一把手|一条龙|一对一|一事一议|一户一|一带一路|一网通办|一方面|一线|一流"
    r"|进一步|统一|唯一|之一|同一|万一|三公|三农|三重一大|十[二三四五]五|两会|两学一做"
)
_CN_AFTER_RE = re.compile(rf"(?:余|多)?\s*({_UNIT})?")
_CN_KEEP_BEFORE = frozenset("第周初每星0123456789.")  # ordinals, weekdays, Arabic + 万
_CN_COMPARATOR_AFTER = ("以上", "以下", "以内", "之内", "左右", "上下")
_MASK = "§"

_cn2an_func: Callable[[str, str], object] | None = None  # cn2an.cn2an, once imported


def _cn2an(run: str) -> int | float | None:
    global _cn2an_func
    if _cn2an_func is None:
        import cn2an  # type: ignore[import-untyped]  # imported lazily: ~0.2 s, and most documents never need it

        _cn2an_func = cn2an.cn2an
    try:
        value = _cn2an_func(run, "smart")
    except Exception:  # cn2an raises ValueError and friends on odd input; never propagate
        return None
    return value if isinstance(value, int | float) else None


def _cn_number(run: str) -> str | None:
    """'三千五百万' → '3500万' (unit kept as printed), '一点二' → '1.2', None if not a number."""
    if len(run) > 24:
        return None
    suffix = ""
    if len(run) > 1 and run[-1] in "万亿" and "万" not in run[:-1] and "亿" not in run[:-1]:
        run, suffix = run[:-1], run[-1]
    if run[0] in "百佰千仟万亿":
        run = "一" + run  # '百分之百': cn2an wants '一百'
    value = _cn2an(run)
    if value is None:
        return None
    _, _, frac = run.partition("点")
    text = f"{value:.{len(frac)}f}" if frac else str(int(value))
    return text + suffix


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _cn_run_repl(m: re.Match[str]) -> str:
    run, start, end, src = m.group(), m.start(), m.end(), m.string
    if not any(c in _CN_DIGITS or c in "十拾" for c in run):
        return run  # 万/千 alone: a unit word after Arabic digits, not a number
    before = src[start - 1 : start]
    if before and (before in _CN_KEEP_BEFORE or (before.isascii() and before.isalnum())):
        return run
    after_char = src[end : end + 1]
    if after_char == "." or (after_char.isascii() and after_char.isalnum()):
        return run  # glued to Arabic digits or letters: '二3', '二E0' are not numbers we read
    after = _CN_AFTER_RE.match(src, end)
    rest_at = after.end() if after else end
    # Only a numeral followed by a unit, or standing alone, is a number: '一是', '一体化',
    # '十四五规划' are words.
    if not (after and after.group(1)):
        nxt = src[rest_at : rest_at + 1]
        if nxt and _is_cjk(nxt) and not src.startswith(_CN_COMPARATOR_AFTER, rest_at):
            return run
    converted = _cn_number(run)
    return run if converted is None else converted


def _cn_percent_repl(m: re.Match[str]) -> str:
    converted = _cn_number(m.group(2))
    if converted is None:
        return _MASK * len(m.group())
    return converted + ("%" if m.group(1) == "百" else "‰")


def _convert_chinese(s: str) -> str:
    """Rewrite Chinese numerals as Arabic ones, masking numeral words that are not numbers."""
    s = s.replace("百分百", "100%")
    s = _CN_PERCENT_RE.sub(_cn_percent_repl, s)
    s = _CN_FRACTION_RE.sub(lambda m: _MASK * len(m.group()), s)
    s = _CN_STOP_RE.sub(lambda m: _MASK * len(m.group()), s)
    return _CN_RUN_RE.sub(_cn_run_repl, s)


# --- quantities in free text --------------------------------------------------------------

_DIGIT_RE = re.compile(r"[0-9]")
_TOKEN_RE = re.compile(_NUM)
_AFTER_RE = re.compile(rf"(?:\s*(余|多))?(?:\s*({_UNIT}))?(余|多)?")
# Dates, ordinals and list enumerators hold digits but are not quantities.
_YEAR = r"(?:19|20)[0-9]{2}"
_NOISE_RE = re.compile(
    rf"(?<![0-9])(?:{_YEAR}\s*年?\s*[-~至到]\s*)?{_YEAR}\s*年(?:\s*[0-9]{{1,2}}\s*月"
    rf"(?:\s*[0-9]{{1,2}}\s*[日号])?)?度?"
    rf"|(?<![0-9]){_YEAR}\s*[./-]\s*[0-9]{{1,2}}(?:\s*[./-]\s*[0-9]{{1,2}})?\s*[月日号]"
    rf"|(?<![0-9.,]){_YEAR}[./-][0-9]{{1,2}}[./-][0-9]{{1,2}}(?![0-9])"
    r"|(?<![0-9])[0-9]{1,2}\s*月\s*(?:[0-9]{1,2}\s*[日号]|底|末|初|份|上旬|中旬|下旬)"
    r"|第\s*[0-9]+"
    r"|^\s*(?:\(\s*[0-9]{1,2}\s*\)|[0-9]{1,2}\s*[、)]|[0-9]{1,2}\.(?![0-9]))"
)
# A sign only after a boundary: in '满意度—95%' the dash is punctuation, not a minus.
_SIGN_TAIL_RE = re.compile(r"(?:^|(?<=[\s(:=<>≥≤,;]))([+-])\s*$")
_RANGE_GAP_RE = re.compile(r"\s*(?:-|~|至|到)\s*([+-])?\s*")

_CMP_WORDS = {
    ">=": "≥ >= => 不低于 不少于 不小于 不得低于 不得少于 不应低于 不应少于 不能低于 不能少于 "
    "大于等于 大于或等于 高于或等于 至少 最少 最低",
    "<=": "≤ <= =< 不高于 不超过 不超 不大于 不多于 不得超过 不得高于 不应超过 不应高于 "
    "小于等于 小于或等于 低于或等于 至多 最多 最高",
    ">": "> 高于 大于 超过 多于 超出 超 逾",
    "<": "< 低于 小于 少于 不足 不到 不满",
    "=": "= == 等于",
}
# Weak: the verb only says "reach"/"keep within"; an explicit 以上/以下 after the number wins.
_CMP_WEAK = {"达到": ">=", "达": ">=", "控制在": "<=", "控制到": "<="}
_CMP_LOOKUP = {w: op for op, words in _CMP_WORDS.items() for w in words.split()} | _CMP_WEAK
# Anchored at the end of the prefix; re.search finds the leftmost start, i.e. the longest
# word ('不低于' rather than '低于'). '达' is not a comparator in 下达/传达/表达/送达.
_CMP_PREFIX_RE = re.compile(
    rf"(?:{_alternation(tuple(w for w in _CMP_LOOKUP if w != '达'))}|(?<![下传表送])达)\s*$"
)
_APPROX_PREFIX_RE = re.compile(r"(?:大约|大概|约为|将近|接近|约|近)\s*$")
_SUFFIX_RE = re.compile(
    r"\s*(?:(\(\s*含[^()]{0,12}\))|(及|或|和|并))?\s*(以上|之上|以下|之下|以内|之内|内(?![容部控涵设业外科地网审]))"
    r"(\s*\(\s*含)?"
)
_APPROX_SUFFIX_RE = re.compile(r"\s*(?:左右|上下|许)")


@dataclass(slots=True)
class _Token:
    start: int  # where the digits start
    end: int  # after unit and 余/多
    value: float
    decimals: int
    unit: str | None
    approx: bool


def _tokens(s: str) -> list[_Token] | None:
    tokens: list[_Token] = []
    for m in _TOKEN_RE.finditer(s):
        start, end = m.span()
        if start > 0 and s[start - 1].isascii() and s[start - 1].isalpha():
            continue  # part of an identifier: PM2.5, G20
        interpreted = _interpret(m.group())
        if interpreted is None:
            return None  # '12,13' or '1.5.3': refuse rather than guess
        after = _AFTER_RE.match(s, end)
        assert after is not None  # every group is optional
        approx1, unit, approx2 = after.groups()
        if unit is None and end < len(s) and s[end].isascii() and s[end].isalpha():
            continue  # 5G, 3D
        value, decimals = interpreted
        tokens.append(_Token(start, after.end(), value, decimals, unit, bool(approx1 or approx2)))
    return tokens


def _signed(prefix: str, token: _Token) -> tuple[str, float]:
    """Apply a leading sign in ``prefix``; return the prefix without it and the value."""
    m = _SIGN_TAIL_RE.search(prefix)
    if m is None:
        return prefix, token.value
    return prefix[: m.start()], -token.value if m.group(1) == "-" else token.value


def _range(s: str, text: str, first: _Token, second: _Token) -> Quantity | None:
    gap = _RANGE_GAP_RE.fullmatch(s, first.end, second.start)
    if gap is None:
        return None
    if first.unit and second.unit and first.unit != second.unit:
        return None
    _, low = _signed(s[: first.start], first)
    high = -second.value if gap.group(1) == "-" else second.value
    if low > high and gap.group(1) == "-":
        high = second.value  # '90%--100%': a doubled dash (——), not a minus sign
    if low > high:
        return None  # '2021-12' and friends: not a range we can trust
    return Quantity(
        value=None,
        text=text,
        unit=second.unit or first.unit,
        decimals=max(first.decimals, second.decimals),
        comparator=None,
        low=low,
        high=high,
        approx=first.approx or second.approx,
    )


def _single(s: str, text: str, token: _Token) -> Quantity:
    prefix, value = _signed(s[: token.start], token)
    prefix = prefix[-12:]  # comparator words are short; keep the search cheap
    comparator = None
    weak = False
    m = _CMP_PREFIX_RE.search(prefix)
    if m is not None:
        word = m.group().rstrip()
        comparator = _CMP_LOOKUP[word]
        weak = word in _CMP_WEAK
    suffix = _SUFFIX_RE.match(s, token.end)
    if suffix is not None and (comparator is None or weak):
        include, conj, word, include_after = suffix.groups()
        if word in ("以上", "之上"):
            comparator = ">="
        elif word in ("以下", "之下"):
            # Plain 以下 is read as strict; 及以下 / (含)以下 / 以下(含) as inclusive.
            comparator = "<=" if include or conj or include_after else "<"
        else:
            comparator = "<="
    approx = (
        token.approx
        or _APPROX_PREFIX_RE.search(prefix) is not None
        or _APPROX_SUFFIX_RE.match(s, suffix.end() if suffix else token.end) is not None
    )
    return Quantity(value, text, token.unit, token.decimals, comparator, approx=approx)


def _parse_free(s: str, text: str) -> Quantity | None:
    if _CN_GATE_RE.search(s):
        s = _convert_chinese(s)
    if _DIGIT_RE.search(s) is None:
        return None
    s = _NOISE_RE.sub(lambda m: _MASK * len(m.group()), s)
    tokens = _tokens(s)
    if not tokens:
        return None
    if len(tokens) == 2:
        found = _range(s, text, tokens[0], tokens[1])
        if found is not None:
            return found
    first = tokens[0]
    if any((t.value, t.unit) != (first.value, first.unit) for t in tokens[1:]):
        return None  # several different numbers: '9 0%-100%', '2个月内完成3项'
    return _single(s, text, first)  # one number, possibly repeated: '≥95%（含95%）'


# --- public API ---------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)  # pure; the recognizers parse the same cells repeatedly
def parse_number(text: str | None) -> float | None:
    """The number in a cell meant to hold one number, in its printed unit, else None.

    ``'21,252,800.00'`` → 21252800.0, ``'83.15%'`` → 83.15, ``'46.53万元'`` → 46.53,
    ``'１２３．５'`` → 123.5, ``'8.3150000000000001'`` → 8.315. ``'—'``, ``'无'``,
    ``'≥95%'``, ``'90%-100%'`` and ``'实际20万'`` → None.
    """
    if not isinstance(text, str):
        return None
    s = _normalize(text)
    if not s:
        return None
    parsed = _parse_cell(s)
    if parsed is None and _CN_CELL_RE.fullmatch(s):
        converted = _convert_chinese(s)
        if converted != s:
            parsed = _parse_cell(converted)
    return parsed[0] if parsed is not None else None


@lru_cache(maxsize=1 << 14)  # pure and frozen: targets and actuals are parsed by several stages
def parse_quantity(text: str | None) -> Quantity | None:
    """The quantity a target/actual text states, or None if it states none (or several).

    ``'≥15项'`` → value 15, unit '项', comparator '>='; ``'90%～100%'`` → low 90, high 100;
    ``'项目预算控制在7.5万元以内'`` → 7.5 万元 '<='; ``'二百余'`` → 200, approx.
    Comparator words: 不低于/不少于/达到/以上 → '>=', 不超过/不高于/以内/及以下 → '<=',
    高于/大于/超过 → '>', 低于/小于/不足/以下 → '<' (plain 以下 read as strict).
    """
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    s = _normalize(stripped)
    if not s:
        return None
    parsed = _parse_cell(s)
    if parsed is not None:
        value, decimals, unit = parsed
        return Quantity(value, stripped, unit, decimals, None)
    return _parse_free(s, stripped)


def decimals_of(text: str) -> int:
    """Decimals printed in the number in ``text`` (``'83.15%'`` → 2); 0 if there is none.

    Float artifacts are not precision: ``'8.3150000000000001'`` → 3.
    """
    quantity = parse_quantity(text)
    return quantity.decimals if quantity is not None else 0


def decimals_of_value(x: float) -> int:
    """Decimals a computed value needs when printed (float artifacts dropped): 9.69 → 2."""
    return len(format_number(x).partition(".")[2])


def clean_float(x: float) -> float:
    """Remove binary float artifacts: ``0.1 + 0.2`` → 0.3, ``8.314999999999998`` → 8.315.

    A value whose shortest repr has more than 15 significant digits is an artifact of
    binary arithmetic (a double holds 15-17); it is rounded to 12 significant digits.
    Values already short (``1234567890123.45``) and integers are returned unchanged.
    """
    try:
        x = float(x)
    except (TypeError, ValueError, OverflowError):
        return math.nan
    if not math.isfinite(x) or x.is_integer():
        return x + 0.0  # + 0.0 turns -0.0 into 0.0
    r = repr(x)
    if len(r.lstrip("-").partition("e")[0].replace(".", "").strip("0")) <= 15:
        return x
    return float(f"{x:.12g}") + 0.0


_DECIMAL_CONTEXT = Context(prec=1000)


def format_number(x: float, decimals: int | None = None) -> str:
    """``8.315`` → '8.315', ``100.0`` → '100', ``(2.5, 2)`` → '2.50' (rounded half up)."""
    x = clean_float(x)
    if not math.isfinite(x):
        return str(x)
    return _format_finite(x, None if decimals is None else min(max(int(decimals), 0), 300))


@lru_cache(maxsize=1 << 14)  # pure: explanations and findings print the same numbers again
def _format_finite(x: float, places: int | None) -> str:
    exact = Decimal(repr(x))
    if places is None:
        out = format(exact, "f")
        if "." in out:
            out = out.rstrip("0").rstrip(".")
    else:
        out = format(
            exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, _DECIMAL_CONTEXT), "f"
        )
    if out.startswith("-") and not out.strip("-0."):
        out = out[1:]  # no '-0.00'
    return out
