"""Scoring rules (评分规则) as written in a framework file: the kinds, their fields, parsing.

Applying a rule to a row is :mod:`jixiao.frameworks.rules`.

A rule turns the inputs of one row into a score between 0 and the row's weight ``w``: a point,
an interval ``[low, high]`` when the rule leaves room for judgement, or *not recomputable*
when the document does not print what the rule needs (never guessed). The kinds and their
fields are specified in ``docs/frameworks.md``. Pure functions, no I/O.
"""

from __future__ import annotations

import difflib
import itertools
import math
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from jixiao.numbers import format_number

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
    "QualitativeBands",
    "QualitativeRule",
    "RatioRule",
    "Rule",
    "RuleError",
    "SumPart",
    "SumRule",
    "TiersRule",
    "check_weight",
    "parse_rule",
]


def _f(x: float) -> str:
    return format_number(round(x, 6))


RULE_KINDS: tuple[str, ...] = (
    "ratio",
    "inverse_ratio",
    "equal",
    "by_comparator",
    "tiers",
    "deduct",
    "checklist",
    "binary",
    "qualitative",
    "manual",
    "sum",
)


class RuleError(ValueError):
    """A rule that cannot be used: unknown kind, missing or unknown field, wrong type."""

    def __init__(self, message: str, field: str | None = None):
        self.message = message
        self.field = field  # dotted path inside the rule, e.g. 'parts[0].rule.cap'
        super().__init__(message)


# --- the rule models ----------------------------------------------------------------------

# Strict numbers: a YAML typo such as `cap: '1'` or `points: yes` must be an error, not a
# silently coerced value. Sequences stay lax so YAML lists become (immutable) tuples.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Positive = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0)]
NonNegative = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0)]
Fraction = Annotated[float, Field(strict=True, ge=0, le=1)]
Name = Annotated[str, Field(strict=True, min_length=1)]


class _Model(BaseModel):
    # Validators raise RuleError: pydantic wraps it as a ValueError, _translate unwraps it
    # and keeps its field.
    model_config = ConfigDict(extra="forbid", frozen=True)


class RatioRule(_Model):
    kind: Literal["ratio"]
    actual: Name = "actual"
    target: Name = "target"
    cap: Positive = 1.0


class InverseRatioRule(_Model):
    kind: Literal["inverse_ratio"]
    actual: Name = "actual"
    target: Name = "target"
    variant: Literal["ratio", "linear_to_double"] | None = None  # None: Variants.inverse


class EqualRule(_Model):
    kind: Literal["equal"]
    actual: Name = "actual"
    target: Name = "target"


class ByComparatorRule(_Model):
    kind: Literal["by_comparator"]


class Band(_Model):
    min: Number | None = None  # None: open below
    max: Number | None = None  # None: open above
    points: NonNegative
    min_inclusive: StrictBool = True
    max_inclusive: StrictBool = False

    @model_validator(mode="after")
    def _bounds(self) -> Band:
        if self.min is not None and self.max is not None:
            point = self.min == self.max and self.min_inclusive and self.max_inclusive
            if self.min > self.max or (self.min == self.max and not point):
                raise RuleError(f"档位下限 {_f(self.min)} 应小于上限 {_f(self.max)}", "min")
        return self

    def contains(self, x: float) -> bool:
        above = self.min is None or (x >= self.min if self.min_inclusive else x > self.min)
        below = self.max is None or (x <= self.max if self.max_inclusive else x < self.max)
        return above and below

    def describe(self) -> str:
        parts = []
        if self.min is not None:
            parts.append(f"{'≥' if self.min_inclusive else '＞'}{_f(self.min)}")
        if self.max is not None:
            parts.append(f"{'≤' if self.max_inclusive else '＜'}{_f(self.max)}")
        return " 且 ".join(parts) or "任意值"


class TiersRule(_Model):
    kind: Literal["tiers"]
    input: Name
    bands: tuple[Band, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_overlap(self) -> TiersRule:
        # Bands may be written in any order (score sheets often list the best band first);
        # they must not overlap, or the score would depend on the order.
        ordered = sorted(self.bands, key=lambda b: -math.inf if b.min is None else b.min)
        for a, b in itertools.pairwise(ordered):
            if (
                a.max is None
                or b.min is None
                or a.max > b.min
                or (a.max == b.min and a.max_inclusive and b.min_inclusive)
            ):
                raise RuleError(f"档位「{a.describe()}」与「{b.describe()}」重叠", "bands")
        return self


class DeductRule(_Model):
    kind: Literal["deduct"]
    input: Name
    full_at: Number  # full marks at or beyond this value
    step: Positive
    points: Positive  # deducted per step
    zero_below: Number | None = None  # past this value the score is 0
    direction: Literal["below", "above"] = "below"
    rounding: Literal["any", "floor", "ceil", "prorate"] = "any"

    @model_validator(mode="after")
    def _zero_side(self) -> DeductRule:
        z = self.zero_below
        if z is not None and (z > self.full_at if self.direction == "below" else z < self.full_at):
            side = "低于" if self.direction == "below" else "高于"
            raise RuleError(f"zero_below {_f(z)} 应{side} full_at {_f(self.full_at)}", "zero_below")
        return self


class ChecklistItem(_Model):
    text: Name
    points: Positive


class ChecklistRule(_Model):
    kind: Literal["checklist"]
    items: tuple[ChecklistItem, ...] = Field(min_length=1)


class BinaryRule(_Model):
    kind: Literal["binary"]


class QualitativeBands(_Model):
    """Score intervals as fractions of ``w`` for each reading of the 实际完成值 wording."""

    achieved: tuple[Fraction, Fraction] = (0.8, 1.0)
    partly: tuple[Fraction, Fraction] = (0.6, 0.8)
    not_: tuple[Fraction, Fraction] = Field((0.0, 0.6), alias="not")

    @model_validator(mode="after")
    def _ordered(self) -> QualitativeBands:
        for name, (low, high) in (
            ("achieved", self.achieved),
            ("partly", self.partly),
            ("not", self.not_),
        ):
            if low > high:
                raise RuleError(f"区间下限 {_f(low)} 大于上限 {_f(high)}", name)
        return self


class QualitativeRule(_Model):
    kind: Literal["qualitative"]
    bands: QualitativeBands = QualitativeBands()


class ManualRule(_Model):
    kind: Literal["manual"]


class SumPart(_Model):
    weight: Positive
    rule: Rule


class SumRule(_Model):
    kind: Literal["sum"]
    parts: tuple[SumPart, ...] = Field(min_length=1)


Rule = Annotated[
    RatioRule
    | InverseRatioRule
    | EqualRule
    | ByComparatorRule
    | TiersRule
    | DeductRule
    | ChecklistRule
    | BinaryRule
    | QualitativeRule
    | ManualRule
    | SumRule,
    Field(discriminator="kind"),
]
SumPart.model_rebuild()
SumRule.model_rebuild()
_RULE_ADAPTER: TypeAdapter[Any] = TypeAdapter(Rule)
_MODELS: dict[str, type[_Model]] = {
    get_args(m.model_fields["kind"].annotation)[0]: m for m in get_args(get_args(Rule)[0])
}


# --- parsing ------------------------------------------------------------------------------


def parse_rule(data: Mapping[str, Any]) -> Rule:
    """Check one rule mapping from a framework file and return the immutable rule.

    Raises :class:`RuleError` (message in Chinese, ``field`` the dotted path of the culprit).
    """
    if not isinstance(data, Mapping):
        raise RuleError(f"规则应为映射（如 {{kind: ratio}}），实际为 {_show(data)}")
    try:
        return _RULE_ADAPTER.validate_python(dict(data))
    except ValidationError as err:
        errors = err.errors(include_url=False)
        # A typo gives both "unknown field 'cpa'" and "missing field"; the first says more.
        errors.sort(key=lambda e: e["type"] != "extra_forbidden")
        raise _translate(errors[0]) from None


def check_weight(rule: Rule, weight: float) -> None:
    """Raise :class:`RuleError` when the rule's own points do not fit the row's weight.

    Checklist items and sum parts must add up to the weight (to 0.001), tier points must not
    exceed it. :func:`apply` clamps anyway; this is for the framework loader.
    """
    if isinstance(rule, ChecklistRule):
        total = sum(item.points for item in rule.items)
        if abs(total - weight) > 0.001:
            raise RuleError(f"检查项分值之和 {_f(total)} 不等于权重 {_f(weight)}", "items")
    elif isinstance(rule, SumRule):
        total = sum(part.weight for part in rule.parts)
        if abs(total - weight) > 0.001:
            raise RuleError(f"各部分权重之和 {_f(total)} 不等于权重 {_f(weight)}", "parts")
        for i, part in enumerate(rule.parts):
            try:
                check_weight(part.rule, part.weight)
            except RuleError as err:
                raise RuleError(err.message, _join(f"parts[{i}].rule", err.field)) from None
    elif isinstance(rule, TiersRule):
        top = max(band.points for band in rule.bands)
        if top > weight + 0.001:
            raise RuleError(f"档位分值 {_f(top)} 超过权重 {_f(weight)}", "bands")


_TYPE_NAMES = {
    "float_type": "数字",
    "float_parsing": "数字",
    "int_type": "整数",
    "string_type": "文字",
    "bool_type": "true 或 false",
    "bool_parsing": "true 或 false",
    "tuple_type": "列表",
    "list_type": "列表",
    "dict_type": "映射",
    "model_type": "映射",
    "model_attributes_type": "映射",
}
# The models inside a rule, by (kind, field): to list the fields a typo could have meant.
_INNER: dict[tuple[str, str], type[_Model]] = {
    ("tiers", "bands"): Band,
    ("qualitative", "bands"): QualitativeBands,
    ("checklist", "items"): ChecklistItem,
    ("sum", "parts"): SumPart,
}
_BOUNDS = {
    "greater_than": ("应大于", "gt"),
    "greater_than_equal": ("应不小于", "ge"),
    "less_than_equal": ("应不大于", "le"),
}


def _translate(err: Mapping[str, Any]) -> RuleError:
    """The first pydantic error → a Chinese RuleError naming the field."""
    loc, typ, ctx = err["loc"], err["type"], err.get("ctx", {})
    kind, path, inner = None, "", []
    for i, part in enumerate(loc):
        # The discriminated union puts the tag into the location: ('sum', 'parts', 0,
        # 'rule', 'ratio', 'cap'). It is not a field; it tells which kind the field is of.
        if isinstance(part, str) and part in _MODELS and (i == 0 or loc[i - 1] == "rule"):
            kind, inner = part, []
            continue
        path = f"{path}[{part}]" if isinstance(part, int) else _join(path, part)
        inner.append(part)
    name = str(loc[-1]) if loc else ""
    owner = f"规则 {kind} " if kind and len(inner) == 1 else ""  # a field of the rule itself
    kinds = ", ".join(RULE_KINDS)
    if typ == "union_tag_not_found":
        return RuleError(f"规则缺少字段 'kind'（可用：{kinds}）", _join(path, "kind"))
    if typ == "union_tag_invalid":
        tag = ctx.get("tag")
        hint = _did_you_mean(tag, RULE_KINDS)
        return RuleError(f"未知的规则类型 '{tag}'（{hint}可用：{kinds}）", _join(path, "kind"))
    if typ == "missing":
        return RuleError(f"{owner}缺少字段 '{name}'", path)
    if typ == "extra_forbidden":
        model = _MODELS.get(kind or "") if owner else _INNER.get((kind or "", str(inner[0])))
        fields = [f.alias or n for n, f in model.model_fields.items()] if model else []
        hint = _did_you_mean(name, fields)
        known = f"（{hint}可用：{', '.join(fields)}）" if fields else ""
        return RuleError(f"{owner}有未知字段 '{name}'{known}", path)
    if typ == "value_error":
        error = ctx.get("error")
        if isinstance(error, RuleError):
            return RuleError(error.message, _join(path, error.field) or None)
        return RuleError(str(error or err["msg"]), path or None)
    where = f"字段 '{path}' " if path else "规则"
    return RuleError(where + _detail(typ, ctx, err.get("input"), err["msg"]), path or None)


def _detail(typ: str, ctx: Mapping[str, Any], value: Any, msg: str) -> str:
    if typ in _TYPE_NAMES:
        return f"应为{_TYPE_NAMES[typ]}，实际为 {_show(value)}"
    if typ == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return f"的值 {_show(value)} 无效（可用：{expected}）"
    if typ in _BOUNDS:
        word, key = _BOUNDS[typ]
        bound = ctx.get(key)
        shown = _f(bound) if isinstance(bound, int | float) else bound
        return f"{word} {shown}，实际为 {_show(value)}"
    if typ == "finite_number":
        return f"应为有限数字，实际为 {_show(value)}"
    if typ in ("too_short", "string_too_short"):
        return "不能为空"
    return f"无效：{msg}"


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"是否为 '{close[0]}'？" if close else ""


def _join(prefix: str, rest: str | None) -> str:
    return f"{prefix}.{rest}" if prefix and rest else prefix or rest or ""


def _show(value: Any) -> str:
    return f"{value!r}（{type(value).__name__}）"
