"""Tests for jixiao.frameworks.rules: parsing framework rules and scoring one row by them.

Expected scores are computed by hand from the arithmetic in docs/frameworks.md.
"""

from __future__ import annotations

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.frameworks.rules import (
    RULE_KINDS,
    Outcome,
    RowInputs,
    RuleError,
    Variants,
    apply,
    check_weight,
    parse_rule,
)


def score(rule: dict, weight: float, variants: Variants | None = None, **row) -> Outcome:
    values = row.pop("values", {})
    inputs = RowInputs(values=values, **row)
    return apply(parse_rule(rule), weight, inputs, variants or Variants())


def ratio(actual, target, weight=10.0, **kw) -> Outcome:
    return score({"kind": "ratio"}, weight, values={"actual": actual, "target": target}, **kw)


# --- ratio --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "target", "weight", "expected"),
    [
        (95, 100, 10, 9.5),  # 95 ÷ 100 × 10
        (100, 100, 10, 10.0),
        (120, 100, 10, 10.0),  # capped at 1
        (1, 3, 10, 3.333333),  # 0.333… × 10, rounded to 6 places
        (0, 50, 4, 0.0),
        (-5, 50, 4, 0.0),  # a negative actual clamps to 0
    ],
)
def test_ratio(actual, target, weight, expected):
    out = ratio(actual, target, weight)
    assert out.value == expected
    assert out.kind == "ratio" and out.recomputable
    assert out.inputs == {"actual": actual, "target": target}


def test_ratio_explains_the_arithmetic():
    assert ratio(95, 100).explain == "实际值 95 ÷ 目标值 100 = 0.95，× 权重 10 = 9.5"


def test_ratio_named_inputs_and_cap():
    rule = {"kind": "ratio", "actual": "executed", "target": "budget"}
    out = score(rule, 10, values={"executed": 83.15, "budget": 100})
    assert out.value == 8.315
    assert out.inputs == {"executed": 83.15, "budget": 100}
    assert "执行数 83.15 ÷ 预算数 100" in out.explain
    # cap 0.5: 80 ÷ 100 = 0.8 → 0.5 × 6 = 3
    half = score({"kind": "ratio", "cap": 0.5}, 6, values={"actual": 80, "target": 100})
    assert half.value == 3.0


@pytest.mark.parametrize(
    "values", [{"actual": 95}, {"target": 100}, {"actual": 95, "target": 0}, {}]
)
def test_ratio_not_recomputable(values):
    out = score({"kind": "ratio"}, 10, values=values)
    assert not out.recomputable
    assert out.value is None and out.low is None and out.high is None
    assert "无法" in out.explain


def test_ratio_nan_is_missing():
    assert not ratio(float("nan"), 100).recomputable


def test_over_achievement_flag():
    assert ratio(140, 100).flags == ("over_achievement",)  # 140 ≥ 1.3 × 100, no reason
    assert ratio(130, 100).flags == ("over_achievement",)  # the bound itself counts
    assert ratio(140, 100, note="  —— ").flags == ("over_achievement",)
    assert ratio(140, 100, note="无").flags == ("over_achievement",)
    assert ratio(140, 100, note="新增两个乡镇，任务量增加").flags == ()
    assert ratio(129, 100).flags == ()
    assert ratio(140, 100, variants=Variants(over_achievement=None)).flags == ()
    assert ratio(150, 100, variants=Variants(over_achievement=1.6)).flags == ()


# --- inverse_ratio ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "actual", "target", "expected"),
    [
        ("ratio", 120, 100, 8.333333),  # 100 ÷ 120 × 10
        ("ratio", 80, 100, 10.0),  # below the target: full marks
        ("ratio", 0, 100, 10.0),
        ("ratio", 0, 0, 10.0),  # 0 accidents of at most 0
        ("ratio", 2, 0, 0.0),  # 0 ÷ 2
        ("linear_to_double", 100, 100, 10.0),
        ("linear_to_double", 125, 100, 7.5),  # (200 − 125) ÷ 100 × 10
        ("linear_to_double", 150, 100, 5.0),
        ("linear_to_double", 200, 100, 0.0),
        ("linear_to_double", 260, 100, 0.0),
    ],
)
def test_inverse_ratio(variant, actual, target, expected):
    rule = {"kind": "inverse_ratio", "variant": variant}
    out = score(rule, 10, values={"actual": actual, "target": target})
    assert out.value == expected and out.kind == "inverse_ratio"


def test_inverse_variant_from_variants_unless_the_rule_says():
    values = {"actual": 125, "target": 100}
    linear = Variants(inverse="linear_to_double")
    assert score({"kind": "inverse_ratio"}, 10, values=values).value == 8.0  # 100 ÷ 125 × 10
    assert score({"kind": "inverse_ratio"}, 10, linear, values=values).value == 7.5
    own = {"kind": "inverse_ratio", "variant": "ratio"}
    assert score(own, 10, linear, values=values).value == 8.0


def test_inverse_ratio_not_recomputable():
    assert not score({"kind": "inverse_ratio"}, 10, values={"actual": 3}).recomputable
    negative = score({"kind": "inverse_ratio"}, 10, values={"actual": 3, "target": -1})
    assert not negative.recomputable


# --- equal --------------------------------------------------------------------------------


def test_equal():
    rule = {"kind": "equal"}
    assert score(rule, 5, values={"actual": 100, "target": 100}).value == 5.0
    assert score(rule, 5, values={"actual": 3.3, "target": 3.33}).value == 0.0  # exact
    # '3.3' printed with one decimal stands for 3.25–3.35: it may be 3.33.
    printed = score(rule, 5, values={"actual": 3.3, "target": 3.33}, actual_text="3.3")
    assert printed.value == 5.0
    # '99.6%' is printed to 0.05: it is not 100.
    off = score(
        rule, 5, values={"actual": 99.6, "target": 100}, actual_text="99.6%", target_text="100%"
    )
    assert off.value == 0.0
    assert not score(rule, 5, values={"actual": 1}).recomputable


# --- by_comparator ------------------------------------------------------------------------


def by_comparator(target_text, actual, weight=5.0, variants=None, **row) -> Outcome:
    values = {"actual": actual} if actual is not None else {}
    return score(
        {"kind": "by_comparator"}, weight, variants, values=values, target_text=target_text, **row
    )


@pytest.mark.parametrize(
    ("target_text", "actual", "kind", "expected"),
    [
        ("≥95%", 90, "ratio", 4.736842),  # 90 ÷ 95 × 5 = 4.7368421…
        ("＞95%", 90, "ratio", 4.736842),
        ("不少于15项", 12, "ratio", 4.0),  # 12 ÷ 15 × 5
        ("15项", 12, "ratio", 4.0),  # no comparator: 正向
        ("≤8天", 10, "inverse_ratio", 4.0),  # 8 ÷ 10 × 5
        ("不超过8天", 6, "inverse_ratio", 5.0),
        ("=100%", 100, "equal", 5.0),
        ("=100%", 98, "equal", 0.0),
        ("90%-100%", 95, "ratio", 5.0),  # inside the range
        ("90%-100%", 85, "ratio", 4.722222),  # 85 ÷ 90 × 5
        ("3-5天", 6, "inverse_ratio", 4.166667),  # above: 5 ÷ 6 × 5
    ],
)
def test_by_comparator(target_text, actual, kind, expected):
    out = by_comparator(target_text, actual)
    assert (out.kind, out.value) == (kind, expected)
    assert out.inputs["target_text"] == target_text
    assert out.explain.startswith(f"指标值「{target_text}」")


def test_by_comparator_uses_variants_inverse():
    out = by_comparator("不超过8天", 10, variants=Variants(inverse="linear_to_double"))
    assert out.value == 3.75  # (16 − 10) ÷ 8 × 5


def test_by_comparator_prefers_the_given_target_number():
    # The caller converted both to 元; the text is only read for its comparator.
    out = score(
        {"kind": "by_comparator"},
        5,
        values={"actual": 80_000, "target": 75_000},
        target_text="控制在7.5万元以内",
    )
    assert (out.kind, out.value) == ("inverse_ratio", 4.6875)  # 75000 ÷ 80000 × 5


def test_by_comparator_qualitative_targets():
    done = by_comparator("完成", None, actual_text="已完成")
    assert (done.kind, done.value) == ("qualitative", (4.0, 5.0))
    assert by_comparator("有效提升", None, actual_text="未完成").value == (0.0, 3.0)
    assert by_comparator(None, None, actual_text="是").value == (4.0, 5.0)


def test_by_comparator_without_text_reads_the_target_number():
    out = score({"kind": "by_comparator"}, 5, values={"actual": 12, "target": 15})
    assert (out.kind, out.value) == ("ratio", 4.0)


def test_by_comparator_refuses_several_numbers():
    out = by_comparator("2个月内完成3项", 3)
    assert not out.recomputable and out.kind == "by_comparator"


def test_by_comparator_over_achievement():
    assert by_comparator("≥10项", 15).flags == ("over_achievement",)


# --- tiers --------------------------------------------------------------------------------

SATISFACTION = {
    "kind": "tiers",
    "input": "满意度",
    "bands": [
        {"min": 90, "points": 5},
        {"min": 80, "max": 90, "points": 3},
        {"max": 80, "points": 0},
    ],
}


@pytest.mark.parametrize(
    ("x", "expected"), [(95, 5.0), (90, 5.0), (89.99, 3.0), (80, 3.0), (79.9, 0.0), (-3, 0.0)]
)
def test_tiers(x, expected):
    out = score(SATISFACTION, 5, values={"满意度": x})
    assert out.value == expected
    assert out.inputs == {"满意度": x}


def test_tiers_inclusive_bounds_gaps_and_clamp():
    rule = {
        "kind": "tiers",
        "input": "x",
        "bands": [
            {"min": 80, "max": 90, "max_inclusive": True, "points": 3},
            {"min": 90, "min_inclusive": False, "points": 6},
            {"min": 50, "max": 70, "points": 1},
        ],
    }
    assert score(rule, 5, values={"x": 90}).value == 3.0
    assert score(rule, 5, values={"x": 91}).value == 5.0  # 6 points clamp to the weight
    assert not score(rule, 5, values={"x": 75}).recomputable  # in no band
    assert not score(rule, 5, values={}).recomputable


# --- deduct -------------------------------------------------------------------------------

# 每降低10%扣1分，低于60%不得分
EXECUTION = {
    "kind": "deduct",
    "input": "execution_rate",
    "full_at": 100,
    "step": 10,
    "points": 1,
    "zero_below": 60,
}


@pytest.mark.parametrize(
    ("rounding", "rate", "expected"),
    [
        ("any", 100, 10.0),
        ("any", 104, 10.0),
        ("any", 80, 8.0),  # 2 steps
        ("any", 85, (8.0, 9.0)),  # 1.5 steps: 1 or 2
        ("floor", 85, 9.0),
        ("ceil", 85, 8.0),
        ("prorate", 85, 8.5),
        ("any", 60, 6.0),  # 4 steps; 60 is not below 60
        ("any", 59.9, 0.0),
        ("floor", 0, 0.0),
    ],
)
def test_deduct(rounding, rate, expected):
    out = score({**EXECUTION, "rounding": rounding}, 10, values={"execution_rate": rate})
    assert out.value == expected and out.kind == "deduct"


def test_deduct_above_and_floor_zero():
    # 超支每1%扣0.5分，超支10%以上不得分
    rule = {
        "kind": "deduct",
        "input": "支出率",
        "full_at": 100,
        "step": 1,
        "points": 0.5,
        "zero_below": 110,
        "direction": "above",
    }
    assert score(rule, 5, values={"支出率": 99}).value == 5.0
    assert score(rule, 5, values={"支出率": 103}).value == 3.5  # 5 − 3 × 0.5
    assert score(rule, 5, values={"支出率": 103.5}).value == (3.0, 3.5)
    assert score(rule, 5, values={"支出率": 110}).value == 0.0  # 10 steps: 5 − 5
    assert score(rule, 5, values={"支出率": 111}).value == 0.0
    assert score(rule, 2, values={"支出率": 108}).value == 0.0  # 2 − 4, floored at 0


def test_deduct_reads_printed_steps_despite_float_noise():
    # (100 − 99.7) ÷ 0.1 is 2.9999999999999716 in binary: three steps, not 2 or 3.
    rule = {"kind": "deduct", "input": "x", "full_at": 100, "step": 0.1, "points": 0.1}
    assert score(rule, 10, values={"x": 99.7}).value == 9.7


def test_deduct_missing_input():
    assert not score(EXECUTION, 10, values={"budget": 5}).recomputable


# --- checklist / binary / manual / qualitative --------------------------------------------


def test_checklist():
    rule = {
        "kind": "checklist",
        "items": [{"text": "有政府抄告单", "points": 1}, {"text": "有会议纪要", "points": 0.5}],
    }
    out = score(rule, 1.5)
    assert out.value == (0.0, 1.5)
    # {0, 0.5, 1} + {0, 0.25, 0.5}
    assert out.allowed == (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5)


def test_checklist_enumeration_is_capped():
    items = [{"text": f"第{i}项", "points": 0.1 * 1.37**i} for i in range(12)]
    out = score({"kind": "checklist", "items": items}, 20)
    assert out.allowed is None  # 3^12 distinct sums: no useful constraint
    assert out.value == (0.0, 20.0)


def test_binary_and_manual():
    binary = score({"kind": "binary"}, 2)
    assert (binary.value, binary.allowed) == ((0.0, 2.0), (0.0, 2.0))
    manual = score({"kind": "manual"}, 3)
    assert (manual.value, manual.allowed) == ((0.0, 3.0), None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("已完成", (8.0, 10.0)),
        ("达到预期", (8.0, 10.0)),
        ("满意", (8.0, 10.0)),
        ("基本完成", (6.0, 10.0)),  # between partly and fully: local practice differs
        ("部分实现", (6.0, 8.0)),
        ("未完成", (0.0, 6.0)),
        ("不满意", (0.0, 6.0)),
        ("没有达到", (0.0, 6.0)),
        ("否", (0.0, 6.0)),
        ("未发生安全事故", (0.0, 10.0)),  # not a negation of the result
        ("持续推进中", (0.0, 10.0)),
    ],
)
def test_qualitative(text, expected):
    out = score({"kind": "qualitative"}, 10, actual_text=text)
    assert out.value == expected and out.kind == "qualitative"
    assert out.inputs == {"actual_text": text}


def test_qualitative_negated_target_is_met_by_the_same_negation():
    rule = {"kind": "qualitative"}
    met = score(rule, 5, target_text="不产生环境污染", actual_text="未产生环境污染")
    assert met.value == (4.0, 5.0)
    unclear = score(rule, 5, target_text="控制成本不超预算", actual_text="略有超支")
    assert unclear.value == (0.0, 5.0)


def test_by_comparator_refuses_percent_against_a_plain_number():
    rule = {"kind": "by_comparator"}

    def row(target_text, actual_text, actual, target):
        values = {"actual": actual, "target": target}
        return {"target_text": target_text, "actual_text": actual_text, "values": values}

    assert not score(rule, 5, **row("100%", "10", 10, 100)).recomputable
    assert not score(rule, 10, **row("实际20万", "100%", 100, 20)).recomputable
    assert score(rule, 10, **row("≥15项", "17", 17, 15)).value == 10


def test_qualitative_custom_bands_and_missing_text():
    rule = {"kind": "qualitative", "bands": {"achieved": [1, 1], "not": [0, 0.5]}}
    assert score(rule, 4, actual_text="完成").value == 4.0
    assert score(rule, 4, actual_text="部分完成").value == (2.4, 3.2)  # default partly
    assert score(rule, 4, actual_text="基本完成").value == (2.4, 4.0)  # partly low..achieved high
    assert score(rule, 4, actual_text="未完成").value == (0.0, 2.0)
    assert not score(rule, 4, actual_text="  ").recomputable


# --- sum ----------------------------------------------------------------------------------


def test_sum():
    rule = {
        "kind": "sum",
        "parts": [
            {"weight": 5, "rule": {"kind": "ratio"}},
            {"weight": 5, "rule": {"kind": "binary"}},
        ],
    }
    out = score(rule, 10, values={"actual": 95, "target": 100})
    assert out.value == (4.75, 9.75)  # 95 ÷ 100 × 5 + {0, 5}
    assert out.allowed == (4.75, 9.75)
    assert out.explain.endswith("合计 4.75 至 9.75")
    # ratio not recomputable → [0, 5]; binary still bounds its own part.
    assert score(rule, 10, values={}).value == (0.0, 10.0)


def test_sum_of_unknown_parts():
    rule = {
        "kind": "sum",
        "parts": [
            {"weight": 4, "rule": {"kind": "ratio"}},
            {"weight": 6, "rule": {**SATISFACTION}},
        ],
    }
    # ratio is not recomputable → [0, 4]; the tier gives 3.
    assert score(rule, 10, values={"满意度": 85}).value == (3.0, 7.0)
    assert not score(rule, 10, values={}).recomputable


# --- Outcome / apply / Variants -----------------------------------------------------------


def test_outcome_value():
    assert Outcome(2.0, 2.0, "ratio", {}, "").value == 2.0
    assert Outcome(1.0, 2.0, "manual", {}, "").value == (1.0, 2.0)
    unknown = Outcome(None, None, "ratio", {}, "")
    assert unknown.value is None and not unknown.recomputable


@pytest.mark.parametrize("weight", [-1, float("nan"), float("inf")])
def test_apply_rejects_bad_weight(weight):
    with pytest.raises(RuleError) as err:
        apply(parse_rule({"kind": "manual"}), weight, RowInputs({}))
    assert err.value.field == "weight"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"inverse": "linear"}, "inverse"),
        ({"not_applicable": "skip"}, "not_applicable"),
        ({"over_achievement": 0}, "over_achievement"),
    ],
)
def test_variants_validated(kwargs, field):
    with pytest.raises(RuleError) as err:
        Variants(**kwargs)
    assert err.value.field == field


# --- parse_rule ---------------------------------------------------------------------------


def test_parse_rule_defaults_and_immutability():
    rule = parse_rule({"kind": "ratio"})
    assert (rule.actual, rule.target, rule.cap) == ("actual", "target", 1.0)
    with pytest.raises(pydantic.ValidationError):
        rule.cap = 2  # type: ignore[misc]
    tiers = parse_rule(SATISFACTION)
    assert isinstance(tiers.bands, tuple)
    assert parse_rule({"kind": "deduct", **{k: v for k, v in EXECUTION.items() if k != "kind"}})


def test_every_kind_parses():
    minimal = {
        "tiers": {"input": "x", "bands": [{"points": 1}]},
        "deduct": {"input": "x", "full_at": 100, "step": 10, "points": 1},
        "checklist": {"items": [{"text": "a", "points": 1}]},
        "sum": {"parts": [{"weight": 1, "rule": {"kind": "manual"}}]},
    }
    for kind in RULE_KINDS:
        assert parse_rule({"kind": kind, **minimal.get(kind, {})}).kind == kind


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"kind": "ratoi"}, "kind", ["未知的规则类型 'ratoi'", "'ratio'", "inverse_ratio"]),
        ({}, "kind", ["缺少字段 'kind'"]),
        ({"kind": "ratio", "cpa": 1.2}, "cpa", ["未知字段 'cpa'", "'cap'"]),
        (
            {"kind": "deduct", "input": "x", "full_at": 100, "points": 1},
            "step",
            ["缺少字段 'step'"],
        ),
        ({"kind": "ratio", "cap": "1"}, "cap", ["应为数字", "'1'"]),
        ({"kind": "ratio", "cap": True}, "cap", ["应为数字"]),
        ({"kind": "ratio", "cap": 0}, "cap", ["应大于 0"]),
        ({"kind": "ratio", "actual": 3}, "actual", ["应为文字"]),
        ({"kind": "inverse_ratio", "variant": "lin"}, "variant", ["'lin'", "linear_to_double"]),
        (
            {
                "kind": "deduct",
                "input": "x",
                "full_at": 100,
                "step": 10,
                "points": 1,
                "rounding": "up",
            },
            "rounding",
            ["'up'"],
        ),
        ({"kind": "checklist", "items": []}, "items", ["不能为空"]),
        ({"kind": "checklist", "items": [{"text": "a"}]}, "items[0].points", ["缺少字段"]),
        (
            {
                "kind": "tiers",
                "input": "x",
                "bands": [{"min": 0, "max": 60, "points": 0}, {"min": 50, "points": 5}],
            },
            "bands",
            ["重叠"],
        ),
        (
            {"kind": "tiers", "input": "x", "bands": [{"min": 9, "max": 6, "points": 1}]},
            "bands[0].min",
            ["下限"],
        ),
        (
            {"kind": "tiers", "input": "x", "bands": [{"points": 1, "min_inclusive": "yes"}]},
            "bands[0].min_inclusive",
            ["true 或 false"],
        ),
        (
            {
                "kind": "deduct",
                "input": "x",
                "full_at": 100,
                "step": 10,
                "points": 1,
                "zero_below": 120,
            },
            "zero_below",
            ["应低于"],
        ),
        (
            {"kind": "qualitative", "bands": {"achieved": [0.9, 0.8]}},
            "bands.achieved",
            ["大于上限"],
        ),
        (
            {"kind": "sum", "parts": [{"rule": {"kind": "manual"}}]},
            "parts[0].weight",
            ["缺少字段 'weight'"],
        ),
        (
            {"kind": "sum", "parts": [{"weight": 1, "rule": {"kind": "ratoi"}}]},
            "parts[0].rule.kind",
            ["未知的规则类型"],
        ),
        (
            {"kind": "sum", "parts": [{"weight": 1, "rul": {"kind": "manual"}}]},
            "parts[0].rul",
            ["'rule'"],
        ),
    ],
)
def test_parse_rule_errors(data, field, words):
    with pytest.raises(RuleError) as err:
        parse_rule(data)
    assert err.value.field == field
    for word in words:
        assert word in err.value.message


def test_parse_rule_rejects_non_mapping():
    with pytest.raises(RuleError, match="映射"):
        parse_rule(["ratio"])  # type: ignore[arg-type]


def test_check_weight():
    check = {"kind": "checklist", "items": [{"text": "a", "points": 1}, {"text": "b", "points": 1}]}
    check_weight(parse_rule(check), 2)
    with pytest.raises(RuleError, match="不等于权重") as err:
        check_weight(parse_rule(check), 3)
    assert err.value.field == "items"
    nested = {"kind": "sum", "parts": [{"weight": 3, "rule": check}]}
    with pytest.raises(RuleError) as err:
        check_weight(parse_rule(nested), 3)
    assert err.value.field == "parts[0].rule.items"
    with pytest.raises(RuleError, match="超过权重"):
        check_weight(parse_rule(SATISFACTION), 4)


# --- properties ---------------------------------------------------------------------------

_RULES = [
    parse_rule(r)
    for r in (
        {"kind": "ratio"},
        {"kind": "ratio", "cap": 1.2},
        {"kind": "inverse_ratio", "variant": "ratio"},
        {"kind": "inverse_ratio", "variant": "linear_to_double"},
        {"kind": "equal"},
        {"kind": "by_comparator"},
        # points above the weight: apply must still clamp
        {"kind": "tiers", "input": "actual", "bands": [{"min": 0, "points": 50}]},
        EXECUTION | {"input": "actual"},
        EXECUTION | {"input": "actual", "direction": "above", "zero_below": 150},
        {"kind": "checklist", "items": [{"text": "a", "points": 3}, {"text": "b", "points": 2}]},
        {"kind": "binary"},
        {"kind": "qualitative"},
        {"kind": "manual"},
        {
            "kind": "sum",
            "parts": [
                {"weight": 2, "rule": {"kind": "ratio"}},
                {"weight": 3, "rule": {"kind": "by_comparator"}},
            ],
        },
    )
]
_numbers = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))
_texts = st.sampled_from(
    [
        None,
        "",
        "≥95%",
        "≤8天",
        "=100%",
        "90%-100%",
        "15项",
        "完成",
        "已完成",
        "基本完成",
        "未完成",
        "2个月内完成3项",
        "—",
    ]
)


@given(
    rule=st.sampled_from(_RULES),
    weight=st.floats(0, 100, allow_nan=False),
    actual=_numbers,
    target=_numbers,
    target_text=_texts,
    actual_text=_texts,
    inverse=st.sampled_from(["ratio", "linear_to_double"]),
)
def test_outcome_within_weight(rule, weight, actual, target, target_text, actual_text, inverse):
    inputs = RowInputs({"actual": actual, "target": target}, target_text, actual_text)
    out = apply(rule, weight, inputs, Variants(inverse=inverse))
    assert (out.low is None) == (out.high is None)
    if out.recomputable:
        assert 0 <= out.low <= out.high <= weight
    assert all(0 <= a <= weight for a in out.allowed or ())


@given(
    a1=st.floats(-1e6, 1e6),
    a2=st.floats(-1e6, 1e6),
    target=st.floats(1e-3, 1e6),
    cap=st.sampled_from([0.5, 1.0, 1.2]),
)
def test_ratio_monotone(a1, a2, target, cap):
    a1, a2 = sorted((a1, a2))
    rule = parse_rule({"kind": "ratio", "cap": cap})
    low = apply(rule, 10, RowInputs({"actual": a1, "target": target}))
    high = apply(rule, 10, RowInputs({"actual": a2, "target": target}))
    assert low.low <= high.low


@given(
    a1=st.floats(-1e6, 1e6),
    a2=st.floats(-1e6, 1e6),
    target=st.floats(0, 1e6),
    variant=st.sampled_from(["ratio", "linear_to_double"]),
)
def test_inverse_ratio_monotone(a1, a2, target, variant):
    a1, a2 = sorted((a1, a2))
    rule = parse_rule({"kind": "inverse_ratio", "variant": variant})
    low = apply(rule, 10, RowInputs({"actual": a1, "target": target}))
    high = apply(rule, 10, RowInputs({"actual": a2, "target": target}))
    assert low.low >= high.low


@given(
    x1=st.floats(-200, 200),
    x2=st.floats(-200, 200),
    full_at=st.floats(50, 100),
    step=st.floats(0.1, 20),
    points=st.floats(0.1, 5),
    zero_below=st.one_of(st.none(), st.floats(0, 50)),
    rounding=st.sampled_from(["any", "floor", "ceil", "prorate"]),
)
def test_deduct_monotone_below(x1, x2, full_at, step, points, zero_below, rounding):
    x1, x2 = sorted((x1, x2))
    data = {"kind": "deduct", "input": "x", "full_at": full_at, "step": step, "points": points}
    data |= {"rounding": rounding} | ({"zero_below": zero_below} if zero_below is not None else {})
    rule = parse_rule(data)
    low = apply(rule, 10, RowInputs({"x": x1}))
    high = apply(rule, 10, RowInputs({"x": x2}))
    assert low.low <= high.low and low.high <= high.high
