"""Tests for jixiao.numbers: printed numbers, their precision, comparators and ranges."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jixiao.numbers import (
    Quantity,
    clean_float,
    decimals_of,
    format_number,
    parse_number,
    parse_quantity,
)

# --- parse_number -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # real cell texts from reports
        ("21,252,800.00", 21252800.0),
        ("17,670,946.13", 17670946.13),
        ("83.15%", 83.15),
        ("8.3150000000000001", 8.315),
        ("6.9180000000000001", 6.918),
        ("100%", 100.0),
        ("0.2862", 0.2862),
        ("12.489", 12.489),
        ("99.98%", 99.98),
        ("1.960.000.00", 1960000.0),
        # separators, full width, signs, units, artifacts
        ("21，252，800.00", 21252800.0),
        ("１２３．５", 123.5),
        ("９９．５％", 99.5),
        ("－１２", -12.0),
        ("46.53万元", 46.53),
        ("0.46 万元", 0.46),
        ("1.2亿元", 1.2),
        ("10分", 10.0),
        ("17项", 17.0),
        ("  42  ", 42.0),
        ("\u3000７\u3000", 7.0),
        ("+5", 5.0),
        ("-3.25", -3.25),
        ("100 %", 100.0),
        ("0.30000000000000004", 0.3),
        ("1.5E+07", 15000000.0),
        ("0", 0.0),
        ("十五项", 15.0),
        ("百分之九十", 90.0),
    ],
)
def test_parse_number_values(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "—",
        "——",
        "–",
        "-",
        "_",
        "/",
        "无",
        "不涉及",
        "90%-100%",  # two numbers: a range
        "12 13",
        "12,13",  # comma groups not of 3 digits: a list, not thousands
        "12，13",
        "1.960,000",  # dot before comma: European or garbage, refuse
        "2021.12.31",
        "实际20万",  # words beyond a unit
        "≥95%",  # comparators belong to parse_quantity
        "=100",
        "<=0.1",
        "约50",
        "50余",
        "一般",
        "及时完成",
    ],
)
def test_parse_number_rejects(text: str | None) -> None:
    assert parse_number(text) is None


# --- decimals, tolerance, clean_float, format_number --------------------------------------


@pytest.mark.parametrize(
    ("text", "decimals"),
    [
        ("83.15%", 2),
        ("1,251.39", 2),
        ("100", 0),
        ("8.3150000000000001", 3),
        ("6.9180000000000001", 3),
        ("0.30000000000000004", 1),
        ("21,252,800.00", 2),
        ("1.960.000.00", 2),
        ("2.50", 2),  # printed trailing zeros are precision
        ("0.2862", 4),
        ("90.5%-100%", 1),  # range: the more precise bound
        ("及时完成", 0),
    ],
)
def test_decimals_of(text: str, decimals: int) -> None:
    assert decimals_of(text) == decimals


@pytest.mark.parametrize(
    ("text", "tolerance"),
    [("83.15%", 0.005), ("32.7%", 0.05), ("100", 0.5), ("1,251.39万元", 0.005)],
)
def test_tolerance(text: str, tolerance: float) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None
    assert quantity.tolerance == tolerance


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (8.3150000000000001, 8.315),
        (0.1 + 0.2, 0.3),
        (83.15 - 0.01 + 0.01, 83.15),
        (1251.39 * 1e4, 12513900.0),
        (21252800.0, 21252800.0),
        (2.0**60, 2.0**60),  # integers stay exact
        (1234567890123.45, 1234567890123.45),  # short repr: genuine precision, untouched
        (-0.0, 0.0),
    ],
)
def test_clean_float(x: float, expected: float) -> None:
    assert clean_float(x) == expected


def test_clean_float_non_finite() -> None:
    assert math.isnan(clean_float(math.nan))
    assert clean_float(math.inf) == math.inf


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (8.315, None, "8.315"),
        (100.0, None, "100"),
        (2.5, 2, "2.50"),
        (8.315, 2, "8.32"),  # half up on the printed digits, not on the binary value
        (0.1 + 0.2, None, "0.3"),
        (21252800.0, None, "21252800"),
        (1e-05, None, "0.00001"),
        (-0.001, 2, "0.00"),
        (-3.5, 0, "-4"),
        (math.inf, None, "inf"),
    ],
)
def test_format_number(x: float, decimals: int | None, expected: str) -> None:
    assert format_number(x, decimals) == expected


# --- parse_quantity -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator", "decimals"),
    [
        ("≥15项", 15, "项", ">=", 0),
        (">=98", 98, None, ">=", 0),
        ("<=0.1", 0.1, None, "<=", 1),
        ("<0.1", 0.1, None, "<", 1),
        (">95", 95, None, ">", 0),
        ("=100", 100, None, "=", 0),
        ("＞95%", 95, "%", ">", 0),
        ("≧90%", 90, "%", ">=", 0),
        ("≤5", 5, None, "<=", 0),
        ("≥ 95%", 95, "%", ">=", 0),
        ("＞＝98.5％", 98.5, "%", ">=", 1),
        ("不低于90%", 90, "%", ">=", 0),
        ("不少于15项", 15, "项", ">=", 0),
        ("不超过100万元", 100, "万元", "<=", 0),
        ("不高于5%", 5, "%", "<=", 0),
        ("低于5%", 5, "%", "<", 0),
        ("小于5%", 5, "%", "<", 0),
        ("高于90%", 90, "%", ">", 0),
        ("大于90%", 90, "%", ">", 0),
        ("超过50人", 50, "人", ">", 0),
        ("达到95%", 95, "%", ">=", 0),
        ("95%以上", 95, "%", ">=", 0),
        ("95%（含）以上", 95, "%", ">=", 0),
        ("95%及以上", 95, "%", ">=", 0),
        ("5%以下", 5, "%", "<", 0),
        ("5%及以下", 5, "%", "<=", 0),
        ("5%（含）以下", 5, "%", "<=", 0),
        ("5%以下（含5%）", 5, "%", "<=", 0),
        ("达到5%以下", 5, "%", "<", 0),  # an explicit 以下 outranks the verb 达到
        ("满意度≥95%", 95, "%", ">=", 0),
        ("工作人员满意度≥90%", 90, "%", ">=", 0),
        ("项目预算控制在7.5万元以内", 7.5, "万元", "<=", 1),
        ("3个工作日内办结", 3, "个工作日", "<=", 0),
        ("完成18个", 18, "个", None, 0),
        ("用户满意度100 %", 100, "%", None, 0),
        ("1,251.39万元", 1251.39, "万元", None, 2),
        ("0.46 万元", 0.46, "万元", None, 2),
        ("100%", 100, "%", None, 0),
        ("99.98%", 99.98, "%", None, 2),
        ("1.2亿元", 1.2, "亿元", None, 1),
        ("5个", 5, "个", None, 0),
        ("１５项", 15, "项", None, 0),
        ("十五项", 15, "项", None, 0),
        ("三千五百万元", 3500, "万元", None, 0),
        ("一点二亿元", 1.2, "亿元", None, 1),
        ("不少于十五项", 15, "项", ">=", 0),
        ("百分之九十五", 95, "%", None, 0),
        ("九十分", 90, "分", None, 0),
        ("≥95%（含95%）", 95, "%", ">=", 0),  # the same number repeated is one number
        ("2021年资金到位率≥95%", 95, "%", ">=", 0),  # a year is not a second number
        ("第3季度完成率≥95%", 95, "%", ">=", 0),  # nor is an ordinal
        ("PM2.5浓度≤35", 35, None, "<=", 0),  # nor an identifier
        ("1.资金到位率100%", 100, "%", None, 0),  # nor a list enumerator
        ("8.3150000000000001", 8.315, None, None, 3),
    ],
)
def test_parse_quantity(
    text: str, value: float, unit: str | None, comparator: str | None, decimals: int
) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None
    assert quantity.value == value
    assert quantity.unit == unit
    assert quantity.comparator == comparator
    assert quantity.decimals == decimals
    assert quantity.text == text.strip()
    assert quantity.low is None and quantity.high is None


@pytest.mark.parametrize(
    ("text", "low", "high", "unit", "decimals"),
    [
        ("90%-100%", 90, 100, "%", 0),
        ("90%~100%", 90, 100, "%", 0),
        ("90%～100%", 90, 100, "%", 0),
        ("80%—100%", 80, 100, "%", 0),
        ("80%——100%", 80, 100, "%", 0),
        ("90-100", 90, 100, None, 0),
        ("90.5%-100%", 90.5, 100, "%", 1),
        ("90至100分", 90, 100, "分", 0),
        ("-5%~-3%", -5, -3, "%", 0),
        ("-5%--3%", -5, -3, "%", 0),
    ],
)
def test_parse_quantity_ranges(
    text: str, low: float, high: float, unit: str | None, decimals: int
) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None
    assert (quantity.value, quantity.low, quantity.high) == (None, low, high)
    assert quantity.unit == unit
    assert quantity.decimals == decimals
    assert quantity.comparator is None


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("二百余", 200, None),
        ("约50", 50, None),
        ("50余", 50, None),
        ("200余人", 200, "人"),
        ("50人左右", 50, "人"),
        ("50多万元", 50, "万元"),
    ],
)
def test_parse_quantity_approx(text: str, value: float, unit: str | None) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None
    assert (quantity.value, quantity.unit, quantity.approx) == (value, unit, True)


def test_exact_quantities_are_not_approx() -> None:
    for text in ("≥95%", "95%以上", "100", "十五项"):
        quantity = parse_quantity(text)
        assert quantity is not None and quantity.approx is False, text


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "—",
        "_",
        "不涉及",
        "及时完成",
        "达到预期目标",
        "合规",
        "十分满意",  # 十分 = 'very', not 10分
        "一般公共预算",
        "统一规划，进一步完善",
        "2021.1月-2021.12月",  # a date range
        "2020-2021年",
        "12月底前完成",
        "2个月内完成3项",  # two unrelated numbers
        "12 13",
        "100%-90%",  # a backwards 'range' is not trusted
        "三分之一",
    ],
)
def test_parse_quantity_none(text: str | None) -> None:
    assert parse_quantity(text) is None


def test_ocr_split_digit_never_gives_a_wrong_single_number() -> None:
    quantity = parse_quantity("资金按计划到位9 0%-100%")
    if quantity is not None:
        assert quantity.value is None
        assert (quantity.low, quantity.high) == (90, 100)
    assert parse_number("资金按计划到位9 0%-100%") is None


def test_percent_and_money() -> None:
    percent = parse_quantity("83.15%")
    assert percent is not None and percent.is_percent and percent.in_yuan() is None
    wan = parse_quantity("1,251.39万元")
    assert wan is not None and not wan.is_percent
    assert wan.in_yuan() == pytest.approx(12513900.0)
    yi = parse_quantity("1.2亿元")
    assert yi is not None and yi.in_yuan() == pytest.approx(120000000.0)
    qian = parse_quantity("3.5千元")
    assert qian is not None and qian.in_yuan() == pytest.approx(3500.0)
    yuan = parse_quantity("21,252,800.00元")
    assert yuan is not None and yuan.in_yuan() == 21252800.0
    assert Quantity(None, "1-2万元", "万元", 0, None, 1.0, 2.0).in_yuan() is None
    count = parse_quantity("17项")
    assert count is not None and count.in_yuan() is None and not count.is_percent


# --- properties ---------------------------------------------------------------------------

_FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789.-+%"} | {",": "，"})


@st.composite
def printed_amounts(draw: st.DrawFn) -> tuple[Decimal, int, str]:
    places = draw(st.integers(min_value=0, max_value=4))
    value = draw(
        st.decimals(
            min_value=-(10**9),
            max_value=10**9,
            places=places,
            allow_nan=False,
            allow_infinity=False,
        )
    )
    unit = draw(st.sampled_from(["", "元", "万元", "%"]))
    return value, places, f"{value:,.{places}f}{unit}"


@given(printed_amounts())
@example((Decimal("21252800.00"), 2, "21,252,800.00"))
def test_round_trip_value_and_decimals(case: tuple[Decimal, int, str]) -> None:
    value, places, text = case
    assert parse_number(text) == float(value)
    assert decimals_of(text) == places
    full_width = text.translate(_FULL_WIDTH)
    assert parse_number(full_width) == float(value)
    assert decimals_of(full_width) == places


@given(printed_amounts())
def test_round_trip_with_comparator(case: tuple[Decimal, int, str]) -> None:
    value, places, text = case
    number = text.removesuffix("元").removesuffix("万").removesuffix("%")
    quantity = parse_quantity(f"≥{number}%")
    assert quantity is not None
    assert quantity.comparator == ">="
    assert quantity.value == float(value)
    assert quantity.unit == "%"
    assert quantity.decimals == places


_bounds = st.decimals(
    min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False
)


@given(_bounds, _bounds, st.sampled_from(["-", "~", "～", "—", "至"]))
def test_range_round_trip(a: Decimal, b: Decimal, sep: str) -> None:
    low, high = sorted((a, b))
    if low == high:
        return
    quantity = parse_quantity(f"{low}%{sep}{high}%")
    assert quantity is not None
    assert (quantity.value, quantity.low, quantity.high) == (None, float(low), float(high))
    assert quantity.unit == "%"
    assert quantity.decimals == 2


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_clean_float_idempotent(x: float) -> None:
    once = clean_float(float(repr(x)))
    assert clean_float(once) == once
    assert once == pytest.approx(x, rel=1e-11, abs=0)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_format_number_parses_back(x: float) -> None:
    assert parse_number(format_number(x)) == clean_float(x)


@given(st.text())
@example("资金按计划到位9 0%-100%")
@example("一二三四五六七八九十百千万亿点")
@example("百分之")
@example("9" * 400)
@example("1e99999")
@example("0." + "0" * 400 + "1")
def test_never_raises(text: str) -> None:
    number = parse_number(text)
    assert number is None or math.isfinite(number)
    quantity = parse_quantity(text)
    assert quantity is None or isinstance(quantity, Quantity)
    if quantity is not None:
        assert 0 <= quantity.tolerance <= 0.5
    assert decimals_of(text) >= 0


_cell_alphabet = st.sampled_from(
    list("0123456789.,，%％-—～~ 　≥≤<>=万元亿项个余约以上下内含()（）一二十百千两点第年月")
)


@given(st.text(_cell_alphabet, max_size=20))
def test_never_raises_on_number_like_text(text: str) -> None:
    number = parse_number(text)
    assert number is None or math.isfinite(number)
    quantity = parse_quantity(text)
    if quantity is not None:
        assert (quantity.value is None) != (quantity.low is None)
        assert quantity.decimals >= 0
    assert decimals_of(text) >= 0
