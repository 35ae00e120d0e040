"""Scoring rules (评分规则) of an indicator framework, applied to one row.

A rule turns the inputs of one row into a score between 0 and the row's weight ``w``: a point,
an interval ``[low, high]`` when the rule leaves room for judgement, or *not recomputable*
when the document does not print what the rule needs (never guessed). The kinds and their
fields are specified in ``docs/frameworks.md`` and parsed in :mod:`jixiao.frameworks.rulespec`.
Pure functions, no I/O.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from jixiao.frameworks.rulespec import (
    RULE_KINDS,
    Band,
    BinaryRule,
    ByComparatorRule,
    ChecklistItem,
    ChecklistRule,
    DeductRule,
    EqualRule,
    InverseRatioRule,
    ManualRule,
    QualitativeBands,
    QualitativeRule,
    RatioRule,
    Rule,
    RuleError,
    SumPart,
    SumRule,
    TiersRule,
    check_weight,
    parse_rule,
)
from jixiao.numbers import format_number, parse_quantity

__all__ = [
    "RULE_KINDS",
    "Band",
    "BinaryRule",
    "ByComparatorRule",
    "ChecklistItem",
    "ChecklistRule",
    "DeductRule",
    "EqualRule",
    "InverseRatioRule",
    "ManualRule",
    "Outcome",
    "QualitativeBands",
    "QualitativeRule",
    "RatioRule",
    "RowInputs",
    "Rule",
    "RuleError",
    "SumPart",
    "SumRule",
    "TiersRule",
    "Variants",
    "apply",
    "check_weight",
    "parse_rule",
]


# --- applying a rule ----------------------------------------------------------------------


@dataclass(frozen=True)
class Variants:
    """Choices local practice differs on; a framework's `variants:` or the user selects them."""

    inverse: str = "ratio"  # or "linear_to_double"
    not_applicable: str = "rescale"  # or "zero" (used by the scorer, not by apply)
    over_achievement: float | None = 1.3

    def __post_init__(self) -> None:
        if self.inverse not in ("ratio", "linear_to_double"):
            raise RuleError(
                f"未知的反向指标算法 '{self.inverse}'（可用：ratio, linear_to_double）", "inverse"
            )
        if self.not_applicable not in ("rescale", "zero"):
            raise RuleError(
                f"未知的不适用处理 '{self.not_applicable}'（可用：rescale, zero）",
                "not_applicable",
            )
        oa = self.over_achievement
        if oa is not None and (isinstance(oa, bool) or not math.isfinite(oa) or oa <= 0):
            raise RuleError(f"over_achievement 应为正数，实际为 {oa!r}", "over_achievement")


@dataclass
class RowInputs:
    values: dict[str, float | None] = field(default_factory=dict)  # named numbers
    target_text: str | None = None  # the printed 指标值 / 目标值, e.g. '≥95%', '完成'
    actual_text: str | None = None  # the printed 实际完成值
    note: str | None = None  # the row's 偏差原因 / 说明


@dataclass(frozen=True)
class Outcome:
    low: float | None  # None and None: not recomputable
    high: float | None  # low == high: a point score
    kind: str  # the kind actually applied (by_comparator resolves to another kind)
    inputs: dict[str, float | str | None]  # exactly what was read
    explain: str  # one Chinese sentence with the arithmetic
    allowed: tuple[float, ...] | None = None  # attainable values when discrete
    flags: tuple[str, ...] = ()  # e.g. 'over_achievement'

    @property
    def recomputable(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def value(self) -> float | tuple[float, float] | None:
        if self.low is None or self.high is None:
            return None
        return self.low if self.low == self.high else (self.low, self.high)


def apply(rule: Rule, weight: float, inputs: RowInputs, variants: Variants = Variants()) -> Outcome:
    """Score one row of weight ``weight`` by ``rule``; the result always lies in [0, weight]."""
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight >= 0:
        raise RuleError(f"权重应为非负数，实际为 {weight!r}", "weight")
    if not math.isfinite(weight):
        raise RuleError(f"权重应为有限数字，实际为 {weight!r}", "weight")
    return _APPLIERS[rule.kind](rule, float(weight), inputs, variants)


# Labels for the built-in inputs in explanations; framework inputs are named in Chinese already.
_LABELS = {
    "actual": "实际值",
    "target": "目标值",
    "execution_rate": "预算执行率",
    "executed": "执行数",
    "budget": "预算数",
    "range_low": "区间下限",
    "range_high": "区间上限",
}


def _label(name: str) -> str:
    return _LABELS.get(name, name)


def _f(x: float) -> str:
    return format_number(round(x, 6))


def _num(inputs: RowInputs, name: str) -> float | None:
    v = inputs.values.get(name)
    if v is None or isinstance(v, bool):
        return None
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None  # NaN/inf: as good as not printed


def _score(x: float, w: float) -> float:
    # round() removes float noise (0.1 + 0.2); clamping after it keeps the score ≤ w exactly.
    return min(max(round(x, 6) + 0.0, 0.0), w)


def _point(kind: str, x: float, w: float, read: dict, explain: str, **kw: Any) -> Outcome:
    s = _score(x, w)
    if s != round(x, 6):
        explain += f"，限定在 0 至 {_f(w)} 之间为 {_f(s)}"
    return Outcome(s, s, kind, read, explain, **kw)


def _interval(kind: str, lo: float, hi: float, w: float, read: dict, explain: str, **kw: Any):
    return Outcome(_score(lo, w), _score(hi, w), kind, read, explain, **kw)


def _unknown(kind: str, read: dict, explain: str) -> Outcome:
    return Outcome(None, None, kind, read, explain)


def _missing(kind: str, read: dict, names: Iterable[str]) -> Outcome:
    absent = "、".join(_label(n) for n in names if read.get(n) is None)
    return _unknown(kind, read, f"文中未列出{absent}，无法重算")


# --- ratio / inverse_ratio / equal --------------------------------------------------------


def _has_reason(note: str | None) -> bool:
    # '无', '—', '/' in the 偏差原因 column are not an explanation.
    bare = re.sub(r"[\W_]+", "", note or "")
    return bare not in ("", "无", "无偏差", "没有", "不适用")


def _ratio(a, t, w, *, cap, names, read, inputs, variants) -> Outcome:
    la, lt = (_label(n) for n in names)
    if a is None or t is None:
        return _missing("ratio", read, names)
    if t <= 0:
        return _unknown("ratio", read, f"{lt}为 {_f(t)}，不能作正向指标的除数，无法重算")
    r = a / t
    used = min(r, cap)
    text = f"{la} {_f(a)} ÷ {lt} {_f(t)} = {_f(r)}"
    if r > cap:
        text += f"，取上限 {_f(cap)}"
    text += f"，× 权重 {_f(w)} = {_f(used * w)}"
    flags: tuple[str, ...] = ()
    oa = variants.over_achievement
    if oa is not None and a >= oa * t and not _has_reason(inputs.note):
        flags = ("over_achievement",)
        text += f"；{la}达到{lt}的 {_f(oa)} 倍以上，未说明偏差原因"
    return _point("ratio", used * w, w, read, text, flags=flags)


def _inverse(a, t, w, *, variant, names, read) -> Outcome:
    la, lt = (_label(n) for n in names)
    if a is None or t is None:
        return _missing("inverse_ratio", read, names)
    if t < 0:
        return _unknown("inverse_ratio", read, f"{lt}为 {_f(t)}，反向指标无法重算")
    if a <= t:
        return _point("inverse_ratio", w, w, read, f"{la} {_f(a)} 未超过{lt} {_f(t)}，得满分")
    if variant == "ratio":
        r = t / a
        text = f"{la} {_f(a)} 超过{lt} {_f(t)}，{lt} ÷ {la} = {_f(r)}，× 权重 {_f(w)} = {_f(r * w)}"
        return _point("inverse_ratio", r * w, w, read, text)
    if a >= 2 * t:
        text = f"{la} {_f(a)} 达到{lt} {_f(t)} 的两倍，得 0"
        return _point("inverse_ratio", 0.0, w, read, text)
    r = (2 * t - a) / t
    text = (
        f"{la} {_f(a)} 介于{lt} {_f(t)} 与其两倍之间，({_f(2 * t)} − {_f(a)}) ÷ {_f(t)}"
        f" = {_f(r)}，× 权重 {_f(w)} = {_f(r * w)}"
    )
    return _point("inverse_ratio", r * w, w, read, text)


def _equal(a, t, w, *, tol, names, read) -> Outcome:
    la, lt = (_label(n) for n in names)
    if a is None or t is None:
        return _missing("equal", read, names)
    # 1e-9 absorbs float noise such as 95 − 94.95 = 0.05000000000000426.
    if abs(a - t) <= tol + 1e-9:
        text = f"{la} {_f(a)} 等于{lt} {_f(t)}（按印出精度 ±{_f(tol)}），得满分"
        return _point("equal", w, w, read, text)
    return _point("equal", 0.0, w, read, f"{la} {_f(a)} 不等于{lt} {_f(t)}，得 0")


def _printed_tolerance(inputs: RowInputs) -> float:
    # The actual is a rounded measurement: '100%' may stand for 99.6. Its printed precision
    # is what it can claim; without it, the target's; without either, exact.
    for text in (inputs.actual_text, inputs.target_text):
        q = parse_quantity(text) if text else None
        if q is not None:
            return q.tolerance
    return 0.0


def _names_read(inputs: RowInputs, *names: str) -> tuple[dict, list[float | None]]:
    got = [_num(inputs, n) for n in names]
    return dict(zip(names, got, strict=True)), got


def _apply_ratio(rule: RatioRule, w: float, inputs: RowInputs, variants: Variants) -> Outcome:
    names = (rule.actual, rule.target)
    read, (a, t) = _names_read(inputs, *names)
    return _ratio(a, t, w, cap=rule.cap, names=names, read=read, inputs=inputs, variants=variants)


def _apply_inverse(rule: InverseRatioRule, w: float, inputs: RowInputs, v: Variants) -> Outcome:
    names = (rule.actual, rule.target)
    read, (a, t) = _names_read(inputs, *names)
    return _inverse(a, t, w, variant=rule.variant or v.inverse, names=names, read=read)


def _apply_equal(rule: EqualRule, w: float, inputs: RowInputs, variants: Variants) -> Outcome:
    names = (rule.actual, rule.target)
    read, (a, t) = _names_read(inputs, *names)
    # The printed texts are those of the row's own 实际完成值 and 指标值 only.
    tol = _printed_tolerance(inputs) if names == ("actual", "target") else 0.0
    return _equal(a, t, w, tol=tol, names=names, read=read)


# --- by_comparator ------------------------------------------------------------------------


_GLYPHS = {">=": "≥", ">": "＞", "<=": "≤", "<": "＜", "=": "＝"}


def _apply_by_comparator(
    rule: ByComparatorRule, w: float, inputs: RowInputs, variants: Variants
) -> Outcome:
    text = (inputs.target_text or "").strip()
    q = parse_quantity(text) if text else None
    a = _num(inputs, "actual")
    # Prefer the caller's target number: it is in the same unit as the actual (the caller may
    # have converted 万元 to 元); the text is read for its comparator.
    t = _num(inputs, "target")
    names = ("actual", "target")

    def done(out: Outcome, prefix: str) -> Outcome:
        read = {"target_text": inputs.target_text, **out.inputs}
        return dataclasses.replace(out, inputs=read, explain=prefix + out.explain)

    if q is None and text and re.search(r"[0-9]", text):
        # Several numbers ('2个月内完成3项'): parse_quantity refused; so do we, not guess.
        read = {"target_text": inputs.target_text}
        return _unknown("by_comparator", read, f"指标值「{text}」含多个数字，无法判断计分方法")
    if q is None and (text or t is None):
        prefix = f"指标值「{text}」没有数字，按定性指标：" if text else "未印指标值，按定性指标："
        return done(_qualitative(inputs, w, QualitativeBands()), prefix)
    if q is not None and q.low is not None and q.high is not None:
        return done(_range(a, q.low, q.high, w, inputs, variants), f"指标值「{text}」为区间：")
    if t is None and q is not None:
        t = q.value
    qa = parse_quantity(inputs.actual_text) if inputs.actual_text else None
    if q is not None and qa is not None and _units_clash(q.unit, qa.unit):
        read = {"target_text": inputs.target_text, "actual_text": inputs.actual_text}
        explain = (
            f"指标值「{text}」与实际完成值「{inputs.actual_text}」单位不同"
            f"（{q.unit or '无单位'} 与 {qa.unit or '无单位'}），无法比较"
        )
        return _unknown("by_comparator", read, explain)
    read = {"actual": a, "target": t}
    op = q.comparator if q is not None else None
    glyph = _GLYPHS.get(op or "", "")
    if op in ("<=", "<"):
        out = _inverse(a, t, w, variant=variants.inverse, names=names, read=read)
        return done(out, f"指标值「{text}」为反向指标（{glyph}）：")
    if op == "=":
        out = _equal(a, t, w, tol=_printed_tolerance(inputs), names=names, read=read)
        return done(out, f"指标值「{text}」要求等于：")
    out = _ratio(a, t, w, cap=1.0, names=names, read=read, inputs=inputs, variants=variants)
    prefix = (
        f"指标值「{text}」为正向指标（{glyph}）："
        if op
        else f"指标值「{text}」无比较符，按正向指标："
    )
    return done(out, prefix)


_MONEY = {"元", "千元", "万元", "亿元", "万", "亿", "千"}


def _units_clash(target_unit: str | None, actual_unit: str | None) -> bool:
    """A percent against a plain count or an amount compares different things ('100%' vs '10',
    '实际20万' vs '100%'): no score can be computed from them, so none is claimed."""
    if (target_unit == "%") != (actual_unit == "%"):
        return target_unit is not None or actual_unit is not None
    if target_unit in _MONEY and actual_unit in _MONEY:
        return False  # amounts: the caller converts units
    return False


def _range(a, lo: float, hi: float, w: float, inputs: RowInputs, variants: Variants) -> Outcome:
    read: dict[str, float | str | None] = {"actual": a, "range_low": lo, "range_high": hi}
    if a is None:
        return _missing("ratio", read, ("actual",))
    if lo <= a <= hi:
        text = f"实际值 {_f(a)} 在 {_f(lo)} 至 {_f(hi)} 之内，得满分"
        return _point("ratio", w, w, read, text)
    if a < lo:
        names = ("actual", "range_low")
        return _ratio(a, lo, w, cap=1.0, names=names, read=read, inputs=inputs, variants=variants)
    # Above the range counts like a 反向 target exceeded (e.g. '3-5天' took 6 days).
    names = ("actual", "range_high")
    return _inverse(a, hi, w, variant=variants.inverse, names=names, read=read)


# --- tiers / deduct -----------------------------------------------------------------------


def _apply_tiers(rule: TiersRule, w: float, inputs: RowInputs, variants: Variants) -> Outcome:
    x = _num(inputs, rule.input)
    read: dict[str, float | str | None] = {rule.input: x}
    if x is None:
        return _missing("tiers", read, (rule.input,))
    for band in rule.bands:
        if band.contains(x):
            text = (
                f"{_label(rule.input)} {_f(x)} 落在档位「{band.describe()}」，得 {_f(band.points)}"
            )
            return _point("tiers", band.points, w, read, text)
    return _unknown("tiers", read, f"{_label(rule.input)} {_f(x)} 不在任何档位内，无法重算")


def _apply_deduct(rule: DeductRule, w: float, inputs: RowInputs, variants: Variants) -> Outcome:
    x = _num(inputs, rule.input)
    label = _label(rule.input)
    read: dict[str, float | str | None] = {rule.input: x}
    if x is None:
        return _missing("deduct", read, (rule.input,))
    below = rule.direction == "below"
    side = "低于" if below else "高于"
    z = rule.zero_below
    if z is not None and (x < z if below else x > z):
        return _point("deduct", 0.0, w, read, f"{label} {_f(x)} {side} {_f(z)}，不得分")
    gap = rule.full_at - x if below else x - rule.full_at
    if gap <= 0:
        return _point("deduct", w, w, read, f"{label} {_f(x)} 未{side} {_f(rule.full_at)}，不扣分")
    # round() first: (100 − 99.7) / 0.1 is 2.9999999999999716, which is 3 steps as printed.
    steps = round(gap / rule.step, 9)
    text = (
        f"{label} {_f(x)} 比 {_f(rule.full_at)} {side[0]} {_f(gap)}，合 {_f(steps)} 个"
        f" {_f(rule.step)}，每个扣 {_f(rule.points)}"
    )
    few, many = math.floor(steps), math.ceil(steps)
    how = ""
    if rule.rounding == "prorate":
        few = many = steps
        how = "按比例"
    elif rule.rounding == "floor":
        many = few
    elif rule.rounding == "ceil":
        few = many
    elif few != many:
        text += "，不足一档的部分各地做法不同"
    lo, hi = w - many * rule.points, w - few * rule.points
    if few == many:
        return _point(
            "deduct", lo, w, read, f"{text}，{how}扣 {_f(many)} 档共 {_f(w - lo)}，得 {_f(lo)}"
        )
    text += f"，按扣 {few} 至 {many} 档计，得 {_f(max(lo, 0))} 至 {_f(hi)}"
    return _interval("deduct", lo, hi, w, read, text)


# --- judgement kinds ----------------------------------------------------------------------

_ALLOWED_LIMIT = 512  # past this many attainable values, the constraint says little


def _combine(choices: Iterable[Iterable[float]], w: float) -> tuple[float, ...] | None:
    sums = {0.0}
    for options in choices:
        sums = {round(s + o, 6) for s in sums for o in options}
        if len(sums) > _ALLOWED_LIMIT:
            return None
    return tuple(sorted(s for s in sums if s <= w + 1e-9))


def _apply_checklist(rule: ChecklistRule, w: float, inputs: RowInputs, v: Variants) -> Outcome:
    # Each item is met, half met, or not: only those sums are attainable.
    allowed = _combine(((0.0, i.points / 2, i.points) for i in rule.items), w)
    text = f"检查 {len(rule.items)} 项，由评价人判断，得分在 0 至 {_f(w)} 之间"
    if allowed is not None:
        text += "，只能是各项分值（或其一半）之和"
    return _interval("checklist", 0.0, w, w, {}, text, allowed=allowed)


def _apply_binary(rule: BinaryRule, w: float, inputs: RowInputs, variants: Variants) -> Outcome:
    return _interval("binary", 0.0, w, w, {}, f"是否达标，得 0 或 {_f(w)}", allowed=(0.0, w))


def _apply_manual(rule: ManualRule, w: float, inputs: RowInputs, variants: Variants) -> Outcome:
    return _interval("manual", 0.0, w, w, {}, f"专家判断，得分在 0 至 {_f(w)} 之间")


# Negative wording first: '未完成' and '不满意' contain the achieved words. '未发生' (no
# incidents), '不断' (continuously) and '不错' (good) are not negations of the result.
_WORDING = (
    ("not", "未达成", re.compile(r"未(?!发生|出现)|没有(?!发生|出现)|否|不(?!断|错)")),
    ("partly", "部分达成", re.compile(r"部分")),
    ("mostly", "基本达成", re.compile(r"基本|较好")),
    ("achieved", "达成预期", re.compile(r"已完成|完成|达到|达成|实现|是|良好|满意|有效")),
)
_NEGATION = re.compile(r"不|未|没有|无|零")


def _qualitative(inputs: RowInputs, w: float, bands: QualitativeBands) -> Outcome:
    text = (inputs.actual_text or "").strip()
    read: dict[str, float | str | None] = {"actual_text": inputs.actual_text}
    if not text:
        return _unknown("qualitative", read, "文中未列出实际完成值，无法重算")
    target = (inputs.target_text or "").strip()
    if target and _NEGATION.search(target):
        # '不产生环境污染' is met by '未产生环境污染': a negated target is achieved by the
        # same negation, so negative words say nothing here.
        if _NEGATION.sub("不", text) == _NEGATION.sub("不", target):
            lo, hi = bands.achieved
            explain = f"实际完成值「{text}」与指标值「{target}」一致，判为达成预期"
            return _interval("qualitative", lo * w, hi * w, w, read, explain)
        explain = f"指标值「{target}」为否定表述，实际完成值「{text}」看不出是否达成"
        return _interval("qualitative", 0.0, w, w, read, explain + f"，得分在 0 至 {_f(w)} 之间")
    for key, name, pattern in _WORDING:
        m = pattern.search(text)
        if m:
            lo, hi = (
                (bands.partly[0], bands.achieved[1])  # 基本完成: between partly and fully
                if key == "mostly"
                else getattr(bands, "not_" if key == "not" else key)
            )
            explain = (
                f"实际完成值「{text}」含「{m.group()}」，判为{name}，"
                f"得分在 {_f(lo * w)} 至 {_f(hi * w)} 之间"
            )
            return _interval("qualitative", lo * w, hi * w, w, read, explain)
    explain = f"实际完成值「{text}」看不出是否达成，得分在 0 至 {_f(w)} 之间"
    return _interval("qualitative", 0.0, w, w, read, explain)


def _apply_qualitative(rule: QualitativeRule, w: float, inputs: RowInputs, v: Variants) -> Outcome:
    return _qualitative(inputs, w, rule.bands)


def _apply_sum(rule: SumRule, w: float, inputs: RowInputs, variants: Variants) -> Outcome:
    outs = [apply(p.rule, p.weight, inputs, variants) for p in rule.parts]
    read: dict[str, float | str | None] = {}
    for out in outs:
        read.update(out.inputs)
    steps = "；".join(
        f"第 {i} 部分（权重 {_f(p.weight)}）：{o.explain}"
        + ("" if o.recomputable else f"，按 0 至 {_f(p.weight)} 计")
        for i, (p, o) in enumerate(zip(rule.parts, outs, strict=True), 1)
    )
    if not any(o.recomputable for o in outs):
        return _unknown("sum", read, steps)
    # A part that cannot be recomputed may have scored anything within its own weight.
    lo = sum(o.low if o.low is not None else 0.0 for o in outs)
    hi = sum(
        o.high if o.high is not None else p.weight for p, o in zip(rule.parts, outs, strict=True)
    )
    choices = []
    for o in outs:
        if o.low is not None and o.low == o.high:
            choices.append((o.low,))
        elif o.allowed is not None:
            choices.append(o.allowed)
        else:
            choices = None
            break
    allowed = _combine(choices, w) if choices is not None else None
    if allowed is not None and len(allowed) <= 1:
        allowed = None  # a point: nothing to constrain
    flags = tuple(dict.fromkeys(f for o in outs for f in o.flags))
    out = _interval("sum", lo, hi, w, read, "", allowed=allowed, flags=flags)
    total = _f(out.low) if out.low == out.high else f"{_f(out.low)} 至 {_f(out.high)}"
    return dataclasses.replace(out, explain=f"{steps}；合计 {total}")


_APPLIERS: dict[str, Callable[[Any, float, RowInputs, Variants], Outcome]] = {
    "ratio": _apply_ratio,
    "inverse_ratio": _apply_inverse,
    "equal": _apply_equal,
    "by_comparator": _apply_by_comparator,
    "tiers": _apply_tiers,
    "deduct": _apply_deduct,
    "checklist": _apply_checklist,
    "binary": _apply_binary,
    "qualitative": _apply_qualitative,
    "manual": _apply_manual,
    "sum": _apply_sum,
}
assert set(_APPLIERS) == set(RULE_KINDS)
