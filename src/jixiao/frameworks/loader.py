"""Load and check indicator frameworks (评价指标体系) written as YAML.

The format is described in ``docs/frameworks.md``. A framework is checked completely when it
is loaded: every mistake is a :class:`FrameworkError` naming the file, the line and the reason
(in Chinese), e.g. ``my-rules.yaml:23: 「预算执行率」下级权重之和 9 不等于其权重 10``. Nothing
in a file is ever executed: formulas are parsed with :mod:`ast` and only arithmetic over
declared names is accepted.

>>> fw = get_framework("project-self-2020")
>>> fw.grade_of(91.5)
'优'
"""

from __future__ import annotations

import ast
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from os import PathLike, fspath
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from jixiao.document import compact
from jixiao.errors import JixiaoError

if TYPE_CHECKING:
    from jixiao.frameworks.rules import Rule, Variants

__all__ = [
    "BUILTIN_INPUTS",
    "DEFAULT_GRADES",
    "KINDS",
    "Framework",
    "FrameworkError",
    "FundsSpec",
    "GradeBand",
    "InputSpec",
    "Match",
    "Node",
    "Source",
    "builtin_frameworks",
    "formula_names",
    "get_framework",
    "load_framework",
    "load_framework_text",
]

KINDS = ("project_self", "project_review", "department_self", "expert_panel")
BUILTIN_INPUTS = ("actual", "target", "execution_rate", "executed", "budget")
TOLERANCE = 0.001  # weights are compared to this

_TOP_KEYS = (
    "id",
    "title",
    "kinds",
    "total",
    "source",
    "grades",
    "match",
    "inputs",
    "funds",
    "indicators",
    "open",
    "variants",
)
_REQUIRED = ("id", "title", "kinds", "total", "source")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# 财预〔2020〕10号: 优 ≥ 90, 良 80–90, 中 60–80, 差 < 60
DEFAULT_GRADES = (("优", 90.0), ("良", 80.0), ("中", 60.0), ("差", 0.0))
# rule fields that name an input, by kind (docs/frameworks.md, "Rule kinds")
_INPUT_FIELDS = ("actual", "target", "input")
# full-width or typographic operators a person may type in a formula
_FORMULA_CHARS = str.maketrans({"×": "*", "÷": "/", "−": "-", "（": "(", "）": ")", "＋": "+"})


# --------------------------------------------------------------------------- errors


class FrameworkError(JixiaoError):
    """A framework that cannot be used: ``str()`` is ``{path}:{line}: {reason}``."""

    def __init__(self, path: str | None, line: int | None, reason: str):
        self.path = path
        self.line = line
        self.reason = reason
        self.message = reason
        where = f"{path}:{line}" if path and line else (path or (f"{line}" if line else ""))
        Exception.__init__(self, f"{where}: {reason}" if where else reason)


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Source:
    """Where a framework's rules come from."""

    document: str
    clause: str | None
    region: str
    year: int


@dataclass(frozen=True)
class GradeBand:
    grade: str
    min: float


@dataclass(frozen=True)
class Match:
    """How to recognise a table scored by the framework."""

    names: tuple[str, ...] = ()
    title: re.Pattern[str] | None = None


@dataclass(frozen=True)
class InputSpec:
    """A figure rules read. ``find`` and ``formula`` are exclusive; with neither, the input is
    one documents do not usually print (a count of failed items…): rules reading it are not
    recomputable unless someone supplies it."""

    find: tuple[re.Pattern[str], ...] | None
    formula: str | None
    unit: str | None = None
    line: int = 0

    def names(self) -> tuple[str, ...]:
        """The inputs the formula reads (empty for a ``find`` input)."""
        return formula_names(self.formula) if self.formula else ()


@dataclass(frozen=True)
class Node:
    """One indicator: a leaf has a rule, an inner node has children."""

    name: str
    aliases: tuple[str, ...]
    weight: float
    rule: Rule | None
    children: tuple[Node, ...]
    line: int

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def leaves(self, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Node]]:
        here = (*path, self.name)
        if not self.children:
            yield here, self
        for child in self.children:
            yield from child.leaves(here)


@dataclass(frozen=True)
class FundsSpec:
    """The funds block of a self-evaluation table (预算执行率, usually 10 points)."""

    name: str
    weight: float
    rule: Rule
    aliases: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True, eq=False)
class Framework:
    """A checked framework. ``inputs`` are in evaluation order (formulas after what they read);
    ``path`` is the file it came from (or the name given with its text)."""

    id: str
    title: str
    kinds: tuple[str, ...]
    total: float
    source: Source
    grades: tuple[GradeBand, ...]
    match: Match | None
    inputs: dict[str, InputSpec]
    funds: FundsSpec | None
    indicators: tuple[Node, ...]
    open_rule: Rule | None
    variants: Variants
    path: str | None = None

    def leaves(self) -> Iterator[tuple[tuple[str, ...], Node]]:
        """(names from level 1 down to the leaf, leaf) for every leaf, in file order."""
        for node in self.indicators:
            yield from node.leaves()

    def grade_of(self, total: float) -> str:
        """The grade (评价等次) of a total score: the first band whose ``min`` it reaches."""
        for band in self.grades:
            if total >= band.min - 1e-9:
                return band.grade
        return self.grades[-1].grade

    def lookup(self, name: str) -> list[tuple[tuple[str, ...], Node]]:
        """The leaves whose name or an alias is ``name``, white space ignored."""
        key = compact(name)
        return [
            (path, node)
            for path, node in self.leaves()
            if key in {compact(n) for n in (node.name, *node.aliases)}
        ]

    def __repr__(self) -> str:
        return f"Framework(id={self.id!r}, title={self.title!r}, path={self.path!r})"


# --------------------------------------------------------------------------- YAML with lines


class _Map(dict):
    """A mapping that remembers its line and the line of each key."""

    def __init__(self) -> None:
        super().__init__()
        self.line = 0
        self.key_lines: dict[Any, int] = {}


class _Seq(list):
    """A sequence that remembers its line and the line of each item."""

    def __init__(self) -> None:
        super().__init__()
        self.line = 0
        self.item_lines: list[int] = []


class _Loader(yaml.SafeLoader):
    pass


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Iterator[_Map]:
    data = _Map()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in data
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "键必须是简单的值（文字或数字）", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"重复的键「{key}」", key_node.start_mark
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = key_node.start_mark.line + 1


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> Iterator[_Seq]:
    data = _Seq()
    data.line = node.start_mark.line + 1
    data.item_lines = [item.start_mark.line + 1 for item in node.value]
    yield data
    data.extend(loader.construct_object(item, deep=True) for item in node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def _parse_yaml(text: str, path: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader: no arbitrary objects
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = err.problem or err.context or "无法解析"
        raise FrameworkError(path, line, f"YAML 格式错误：{problem}") from None
    except yaml.YAMLError as err:
        raise FrameworkError(path, 1, f"YAML 格式错误：{err}") from None


def _plain(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """Builtin dicts and lists, for code that does not expect the line-keeping subclasses.

    YAML anchors make shared (even cyclic) structures: each is converted once."""
    if not isinstance(value, dict | list):
        return value
    memo = {} if memo is None else memo
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        memo[id(value)] = out
        out.update((k, _plain(v, memo)) for k, v in value.items())
        return out
    items: list[Any] = []
    memo[id(value)] = items
    items.extend(_plain(v, memo) for v in value)
    return items


# --------------------------------------------------------------------------- helpers


def _num(x: float) -> str:
    """A weight as people write it: 10, 2.5, 0.3 (no float noise)."""
    return format(round(x, 6), "g")


def _line_of(data: Any, key: Any = None, default: int = 1) -> int:
    if isinstance(data, _Map):
        if key is not None and key in data.key_lines:
            return data.key_lines[key]
        return data.line or default
    if isinstance(data, _Seq):
        if isinstance(key, int) and 0 <= key < len(data.item_lines):
            return data.item_lines[key]
        return data.line or default
    return default


def formula_names(formula: str) -> tuple[str, ...]:
    """The names a formula reads, in order of first appearance (the formula must be valid)."""
    tree = ast.parse(formula.translate(_FORMULA_CHARS), mode="eval")
    seen: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            seen.setdefault(node.id, None)
    return tuple(seen)


class _Checker:
    """Validates one parsed file and builds the Framework; every error names a line."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, line: int, reason: str) -> FrameworkError:
        return FrameworkError(self.path, line, reason)

    # ---- scalars

    def mapping(self, value: Any, line: int, what: str) -> _Map:
        if not isinstance(value, dict):
            raise self.fail(line, f"{what}应为映射（键: 值）")
        return value  # type: ignore[return-value]

    def sequence(self, value: Any, line: int, what: str) -> _Seq:
        if not isinstance(value, list):
            raise self.fail(line, f"{what}应为列表")
        return value  # type: ignore[return-value]

    def text(self, value: Any, line: int, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(line, f"{what}应为非空文字")
        return value.strip()

    def number(self, value: Any, line: int, what: str, *, positive: bool = False) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise self.fail(line, f"{what}应为数值，而不是「{value}」")
        if positive and value <= 0:
            raise self.fail(line, f"{what}应大于 0，而不是 {_num(value)}")
        return float(value)

    def known_keys(self, data: _Map, allowed: tuple[str, ...], what: str) -> None:
        for key in data:
            if key not in allowed:
                raise self.fail(
                    _line_of(data, key),
                    f"{what}中有未知的键「{key}」（可用：{'、'.join(allowed)}）",
                )

    def require(self, data: _Map, keys: tuple[str, ...], what: str) -> None:
        for key in keys:
            if key not in data or data[key] is None:
                raise self.fail(_line_of(data), f"{what}缺少必填项「{key}」")

    # ---- the file

    def framework(self, data: Any) -> Framework:
        if data is None:
            raise self.fail(1, "文件为空")
        top = self.mapping(data, _line_of(data), "文件顶层")
        self.known_keys(top, _TOP_KEYS, "文件顶层")
        self.require(top, _REQUIRED, "文件")

        fid = self.text(top["id"], _line_of(top, "id"), "id")
        if not _ID.match(fid):
            raise self.fail(_line_of(top, "id"), f"id「{fid}」只能由小写字母、数字和 . _ - 组成")
        title = self.text(top["title"], _line_of(top, "title"), "title")
        kinds = self.kinds(top["kinds"], _line_of(top, "kinds"))
        total = self.number(top["total"], _line_of(top, "total"), "total", positive=True)
        source = self.source(top["source"], _line_of(top, "source"))
        grades = self.grades(top.get("grades"), _line_of(top, "grades"), total)
        inputs = self.inputs(top.get("inputs"), _line_of(top, "inputs"))
        funds = self.funds(top.get("funds"), _line_of(top, "funds"), inputs)
        open_rule = self.open(top.get("open"), _line_of(top, "open"), inputs)
        variants = self.variants(top.get("variants"), _line_of(top, "variants"))

        raw_nodes = top.get("indicators")
        indicators: tuple[Node, ...] = ()
        if raw_nodes is not None:
            seq = self.sequence(raw_nodes, _line_of(top, "indicators"), "indicators")
            indicators = self.nodes(seq, inputs, "顶层")
        if not indicators and open_rule is None:
            raise self.fail(_line_of(top), "既没有 indicators 也没有 open：这个指标体系无法评分")

        top_sum = sum(n.weight for n in indicators) + (funds.weight if funds else 0.0)
        with_funds = f"（含 funds「{funds.name}」{_num(funds.weight)}）" if funds else " "
        where = next((k for k in ("indicators", "funds") if k in top), "total")
        line = _line_of(top, where)
        if open_rule is None and abs(top_sum - total) > TOLERANCE:
            raise self.fail(
                line, f"一级指标权重之和 {_num(top_sum)}{with_funds}不等于总分 {_num(total)}"
            )
        if open_rule is not None and top_sum > total + TOLERANCE:
            raise self.fail(
                line, f"一级指标权重之和 {_num(top_sum)}{with_funds}超过总分 {_num(total)}"
            )

        match = self.match(top.get("match"), _line_of(top, "match"), indicators)
        return Framework(
            id=fid,
            title=title,
            kinds=kinds,
            total=total,
            source=source,
            grades=grades,
            match=match,
            inputs=inputs,
            funds=funds,
            indicators=indicators,
            open_rule=open_rule,
            variants=variants,
            path=self.path,
        )

    def kinds(self, value: Any, line: int) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        seq = self.sequence(value, line, "kinds")
        if not seq:
            raise self.fail(line, "kinds 不能为空")
        out: list[str] = []
        for i, kind in enumerate(seq):
            if kind not in KINDS:
                raise self.fail(
                    _line_of(seq, i, line), f"未知的评价类型「{kind}」（可选：{'、'.join(KINDS)}）"
                )
            if kind not in out:
                out.append(kind)
        return tuple(out)

    def source(self, value: Any, line: int) -> Source:
        data = self.mapping(value, line, "source")
        self.known_keys(data, ("document", "clause", "region", "year"), "source")
        self.require(data, ("document", "region", "year"), "source")
        year = data["year"]
        if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
            raise self.fail(_line_of(data, "year"), f"source.year 应为年份，而不是「{year}」")
        clause = data.get("clause")
        return Source(
            document=self.text(data["document"], _line_of(data, "document"), "source.document"),
            clause=None
            if clause is None
            else self.text(clause, _line_of(data, "clause"), "source.clause"),
            region=self.text(data["region"], _line_of(data, "region"), "source.region"),
            year=year,
        )

    def grades(self, value: Any, line: int, total: float) -> tuple[GradeBand, ...]:
        if value is None:
            return tuple(GradeBand(g, m) for g, m in DEFAULT_GRADES)
        seq = self.sequence(value, line, "grades")
        if not seq:
            raise self.fail(line, "grades 不能为空")
        bands: list[GradeBand] = []
        for i, item in enumerate(seq):
            at = _line_of(seq, i, line)
            band = self.mapping(item, at, "grades 的每一档")
            self.known_keys(band, ("grade", "min"), "grades")
            self.require(band, ("grade", "min"), "grades 的每一档")
            grade = self.text(band["grade"], at, "grade")
            low = self.number(band["min"], at, f"等次「{grade}」的 min")
            if low < 0 or low > total + TOLERANCE:
                raise self.fail(
                    at, f"等次「{grade}」的 min {_num(low)} 应在 0 到总分 {_num(total)} 之间"
                )
            if bands and low >= bands[-1].min:
                raise self.fail(
                    at,
                    f"grades 应按 min 从高到低排列：「{grade}」的 min {_num(low)} "
                    f"不低于上一档「{bands[-1].grade}」的 {_num(bands[-1].min)}",
                )
            if any(b.grade == grade for b in bands):
                raise self.fail(at, f"等次「{grade}」重复")
            bands.append(GradeBand(grade, low))
        if bands[-1].min != 0:
            raise self.fail(
                _line_of(seq, len(seq) - 1, line),
                f"最后一档「{bands[-1].grade}」的 min 应为 0，而不是 {_num(bands[-1].min)}",
            )
        return tuple(bands)

    def inputs(self, value: Any, line: int) -> dict[str, InputSpec]:
        if value is None:
            return {}
        data = self.mapping(value, line, "inputs")
        specs: dict[str, InputSpec] = {}
        for name, raw in data.items():
            at = _line_of(data, name, line)
            if not isinstance(name, str) or not name.isidentifier():
                raise self.fail(
                    at,
                    f"输入名「{name}」只能由文字、数字和下划线组成，且不以数字开头（公式要引用它）",
                )
            if unicodedata.normalize("NFKC", name) != name:
                raise self.fail(at, f"输入名「{name}」含全角或兼容字符，请改用常规写法")
            if name in BUILTIN_INPUTS:
                raise self.fail(at, f"输入名「{name}」是内置输入，不能重新声明")
            spec = self.mapping(raw if raw is not None else _Map(), at, f"输入「{name}」")
            self.known_keys(spec, ("find", "formula", "unit"), f"输入「{name}」")
            if "find" in spec and "formula" in spec:
                raise self.fail(at, f"输入「{name}」不能同时有 find 和 formula")
            find = None
            if "find" in spec:
                find = self.find(spec["find"], _line_of(spec, "find", at), name)
            formula = None
            if "formula" in spec:
                formula = self.text(
                    spec["formula"], _line_of(spec, "formula", at), f"输入「{name}」的 formula"
                )
            unit = spec.get("unit")
            if unit is not None:
                unit = self.text(unit, _line_of(spec, "unit", at), f"输入「{name}」的 unit")
            specs[name] = InputSpec(find=find, formula=formula, unit=unit, line=at)
        # formulas: arithmetic only, over declared or built-in names, without cycles
        for name, spec in specs.items():
            if spec.formula is not None:
                formula = self.formula(spec.formula, spec.line, name, specs)
                specs[name] = InputSpec(find=None, formula=formula, unit=spec.unit, line=spec.line)
        self.no_cycles(specs)
        return _dependency_order(specs)

    def find(self, value: Any, line: int, name: str) -> tuple[re.Pattern[str], ...]:
        if isinstance(value, str):
            value = [value]
        seq = self.sequence(value, line, f"输入「{name}」的 find")
        if not seq:
            raise self.fail(line, f"输入「{name}」的 find 不能为空")
        patterns: list[re.Pattern[str]] = []
        for i, raw in enumerate(seq):
            at = _line_of(seq, i, line)
            text = self.text(raw, at, f"输入「{name}」的正则表达式")
            try:
                pattern = re.compile(text)
            except re.error as err:
                raise self.fail(at, f"输入「{name}」的正则表达式无效：{err}") from None
            if pattern.groups != 1:
                raise self.fail(
                    at,
                    f"输入「{name}」的正则表达式应恰有一个捕获组（数值），实有 {pattern.groups} 个"
                    "（其他分组请写成 (?:…)）",
                )
            patterns.append(pattern)
        return tuple(patterns)

    def formula(self, text: str, line: int, name: str, specs: Mapping[str, InputSpec]) -> str:
        formula = text.translate(_FORMULA_CHARS)
        try:
            tree = ast.parse(formula, mode="eval")
        except SyntaxError:
            raise self.fail(
                line, f"输入「{name}」的公式「{text}」无法解析（只能用 + - * / ( ) 、数字和输入名）"
            ) from None
        for node in ast.walk(tree):
            if isinstance(node, (ast.Expression, ast.Load, *_OPERATORS)):
                continue
            if isinstance(node, ast.BinOp | ast.UnaryOp) and isinstance(node.op, _OPERATORS):
                continue
            if isinstance(node, ast.Constant) and type(node.value) in (int, float):
                continue
            if isinstance(node, ast.Name):
                if node.id == name:
                    raise self.fail(line, f"输入「{name}」的公式引用了自己")
                if node.id not in specs and node.id not in BUILTIN_INPUTS:
                    raise self.fail(line, f"输入「{name}」的公式引用了未声明的输入「{node.id}」")
                continue
            culprit = node.op if isinstance(node, ast.BinOp | ast.UnaryOp) else node
            what = _FORBIDDEN.get(type(culprit), type(culprit).__name__)
            raise self.fail(
                line, f"输入「{name}」的公式不能含{what}：只能用 + - * / ( ) 、数字和输入名"
            )
        return formula

    def no_cycles(self, specs: Mapping[str, InputSpec]) -> None:
        state: dict[str, int] = {}  # 1 visiting, 2 done

        def visit(name: str, chain: list[str]) -> None:
            spec = specs.get(name)
            if spec is None or spec.formula is None or state.get(name) == 2:
                return
            if state.get(name) == 1:
                loop = " → ".join([*chain[chain.index(name) :], name])
                raise self.fail(spec.line, f"输入的公式循环引用：{loop}")
            state[name] = 1
            for used in formula_names(spec.formula):
                visit(used, [*chain, name])
            state[name] = 2

        for name in specs:
            visit(name, [])

    def funds(self, value: Any, line: int, inputs: Mapping[str, InputSpec]) -> FundsSpec | None:
        if value is None:
            return None
        data = self.mapping(value, line, "funds")
        self.known_keys(data, ("name", "aliases", "weight", "rule"), "funds")
        self.require(data, ("name", "weight", "rule"), "funds")
        name = self.text(data["name"], _line_of(data, "name", line), "funds.name")
        weight = self.number(
            data["weight"], _line_of(data, "weight", line), "funds.weight", positive=True
        )
        aliases = self.aliases(data.get("aliases"), _line_of(data, "aliases", line), name)
        rule = self.rule(data["rule"], _line_of(data, "rule", line), name, weight, inputs)
        return FundsSpec(name=name, weight=weight, rule=rule, aliases=aliases, line=data.line)

    def open(self, value: Any, line: int, inputs: Mapping[str, InputSpec]) -> Rule | None:
        if value is None:
            return None
        data = self.mapping(value, line, "open")
        self.known_keys(data, ("rule",), "open")
        self.require(data, ("rule",), "open")
        return self.rule(data["rule"], _line_of(data, "rule", line), "open", None, inputs)

    def variants(self, value: Any, line: int) -> Variants:
        from jixiao.frameworks import rules

        if value is None:
            return rules.Variants()
        data = self.mapping(value, line, "variants")
        allowed = ("inverse", "not_applicable", "over_achievement")
        self.known_keys(data, allowed, "variants")
        choices = {"inverse": ("ratio", "linear_to_double"), "not_applicable": ("rescale", "zero")}
        for key, options in choices.items():
            if key in data and data[key] not in options:
                raise self.fail(
                    _line_of(data, key, line),
                    f"variants.{key} 应为 {' 或 '.join(options)}，而不是「{data[key]}」",
                )
        if data.get("over_achievement") is not None:
            over = self.number(
                data["over_achievement"],
                _line_of(data, "over_achievement", line),
                "variants.over_achievement",
            )
            if over <= 1:
                raise self.fail(
                    _line_of(data, "over_achievement", line),
                    f"variants.over_achievement 是实际值与指标值之比的上限，应大于 1，而不是 {_num(over)}",
                )
        try:
            return rules.Variants(**_plain(data))
        except (TypeError, ValueError) as err:
            raise self.fail(line, f"variants 有误：{err}") from None

    def match(self, value: Any, line: int, indicators: tuple[Node, ...]) -> Match | None:
        if value is None:
            return None
        data = self.mapping(value, line, "match")
        self.known_keys(data, ("names", "title"), "match")
        names: tuple[str, ...] = ()
        if "names" in data:
            at = _line_of(data, "names", line)
            seq = self.sequence(data["names"], at, "match.names")
            names = tuple(
                self.text(n, _line_of(seq, i, at), "match.names 的每一项")
                for i, n in enumerate(seq)
            )
            if indicators:
                known: set[str] = set()
                stack = list(indicators)
                while stack:
                    node = stack.pop()
                    known.update(compact(n) for n in (node.name, *node.aliases))
                    stack.extend(node.children)
                for i, n in enumerate(names):
                    if compact(n) not in known:
                        raise self.fail(
                            _line_of(seq, i, at), f"match.names 中的「{n}」不是本指标体系的指标名"
                        )
        title = None
        if "title" in data:
            at = _line_of(data, "title", line)
            text = self.text(data["title"], at, "match.title")
            try:
                title = re.compile(text)
            except re.error as err:
                raise self.fail(at, f"match.title 的正则表达式无效：{err}") from None
        return Match(names=names, title=title)

    # ---- the tree

    def aliases(self, value: Any, line: int, name: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        seq = self.sequence(value, line, f"「{name}」的 aliases")
        return tuple(
            self.text(a, _line_of(seq, i, line), f"「{name}」的别名") for i, a in enumerate(seq)
        )

    def nodes(self, seq: _Seq, inputs: Mapping[str, InputSpec], parent: str) -> tuple[Node, ...]:
        out: list[Node] = []
        seen: dict[str, str] = {}
        for i, raw in enumerate(seq):
            at = _line_of(seq, i, seq.line)
            data = self.mapping(raw, at, "指标")
            node = self.node(data, inputs)
            for spelling in (node.name, *node.aliases):
                key = compact(spelling)
                if key in seen:
                    raise self.fail(
                        node.line,
                        f"「{parent}」下有重名指标「{spelling}」（与「{seen[key]}」相同）",
                    )
                seen[key] = node.name
            out.append(node)
        return tuple(out)

    def node(self, data: _Map, inputs: Mapping[str, InputSpec]) -> Node:
        line = data.line
        self.known_keys(data, ("name", "aliases", "weight", "rule", "children"), "指标")
        if "name" not in data:
            raise self.fail(line, "指标缺少「name」")
        name = self.text(data["name"], _line_of(data, "name", line), "指标的 name")
        if "weight" not in data or data["weight"] is None:
            raise self.fail(line, f"「{name}」缺少权重 weight")
        weight = self.number(
            data["weight"], _line_of(data, "weight", line), f"「{name}」的权重", positive=True
        )
        aliases = self.aliases(data.get("aliases"), _line_of(data, "aliases", line), name)
        has_children = data.get("children") is not None
        has_rule = data.get("rule") is not None
        if has_children and has_rule:
            raise self.fail(line, f"「{name}」不能同时有 children 和 rule")
        if not has_children and not has_rule:
            raise self.fail(line, f"「{name}」既没有 children 也没有 rule")
        if has_rule:
            rule = self.rule(data["rule"], _line_of(data, "rule", line), name, weight, inputs)
            return Node(name, aliases, weight, rule, (), line)
        at = _line_of(data, "children", line)
        seq = self.sequence(data["children"], at, f"「{name}」的 children")
        if not seq:
            raise self.fail(at, f"「{name}」的 children 不能为空")
        children = self.nodes(seq, inputs, name)
        total = sum(c.weight for c in children)
        if abs(total - weight) > TOLERANCE:
            raise self.fail(
                line, f"「{name}」下级权重之和 {_num(total)} 不等于其权重 {_num(weight)}"
            )
        return Node(name, aliases, weight, None, children, line)

    # ---- rules

    def rule(
        self,
        value: Any,
        line: int,
        owner: str,
        weight: float | None,
        inputs: Mapping[str, InputSpec],
    ) -> Rule:
        from jixiao.frameworks.rules import RuleError, check_weight, parse_rule

        data = self.mapping(value, line, f"「{owner}」的 rule")
        try:
            rule = parse_rule(_plain(data))
            if weight is not None:
                check_weight(rule, weight)  # checklist items and sum parts add up, tiers fit
        except (RuleError, TypeError, ValueError) as err:
            field_name = getattr(err, "field", None)
            message = getattr(err, "message", None) or str(err)
            at = _field_line(data, field_name, line)
            raise self.fail(at, f"「{owner}」的评分规则有误：{message}") from None
        self.rule_inputs(data, line, owner, inputs)
        return rule

    def rule_inputs(
        self, data: Any, line: int, owner: str, inputs: Mapping[str, InputSpec]
    ) -> None:
        """Every input a rule reads is built in or declared: a typo must not go unnoticed."""
        if not isinstance(data, dict):
            return
        for key in _INPUT_FIELDS:
            name = data.get(key)
            if isinstance(name, str) and name not in inputs and name not in BUILTIN_INPUTS:
                raise self.fail(
                    _line_of(data, key, line),
                    f"「{owner}」的评分规则读取了未声明的输入「{name}」"
                    f"（内置：{'、'.join(BUILTIN_INPUTS)}；其他请在 inputs 中声明）",
                )
        parts = data.get("parts")
        if data.get("kind") == "sum" and isinstance(parts, list):
            for i, part in enumerate(parts):
                if isinstance(part, dict):
                    at = _line_of(parts, i, line)
                    self.rule_inputs(part.get("rule"), _line_of(part, "rule", at), owner, inputs)


def _dependency_order(specs: dict[str, InputSpec]) -> dict[str, InputSpec]:
    """File order, except that a formula comes after every input it reads: whoever evaluates
    the inputs in order finds each formula's operands ready."""
    out: dict[str, InputSpec] = {}

    def place(name: str) -> None:
        if name in out or name not in specs:
            return
        for used in specs[name].names():
            place(used)
        out[name] = specs[name]

    for name in specs:
        place(name)
    return out


# what a formula may hold besides numbers and names (the evaluator in inputs.py knows these)
_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub)
_FORBIDDEN: dict[type, str] = {
    ast.Call: "函数调用",
    ast.Attribute: "属性访问",
    ast.Subscript: "下标",
    ast.Lambda: "lambda",
    ast.Compare: "比较",
    ast.BoolOp: "逻辑运算",
    ast.IfExp: "条件表达式",
    ast.Pow: "乘方",
    ast.Mod: "取余",
    ast.FloorDiv: "整除",
    ast.Constant: "非数值常量",
    ast.UAdd: "一元加号",
    ast.Not: "逻辑运算",
    ast.Invert: "位运算",
    ast.BitAnd: "位运算",
    ast.BitOr: "位运算",
    ast.BitXor: "位运算",
    ast.LShift: "位运算",
    ast.RShift: "位运算",
    ast.MatMult: "矩阵乘法",
    ast.NamedExpr: "赋值",
    ast.Starred: "星号展开",
    ast.Tuple: "元组",
    ast.List: "列表",
    ast.Dict: "字典",
    ast.Set: "集合",
    ast.ListComp: "推导式",
    ast.GeneratorExp: "推导式",
    ast.JoinedStr: "格式化字符串",
}


_FIELD_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _field_line(data: Any, field_name: Any, default: int) -> int:
    """The line of ``items[2].points`` (or ``items.2.points``) inside a rule, else the rule's."""
    if not isinstance(field_name, str) or not field_name:
        return default
    line = default
    here: Any = data
    for m in _FIELD_PART.finditer(field_name):
        key: Any = m.group(1) if m.group(1) is not None else int(m.group(2))
        if isinstance(here, list) and isinstance(key, str) and key.isdigit():
            key = int(key)
        found = (isinstance(here, dict) and key in here) or (
            isinstance(here, list) and isinstance(key, int) and 0 <= key < len(here)
        )
        if not found:
            break
        line = _line_of(here, key, line)
        here = here[key]
    return line


# --------------------------------------------------------------------------- loading


def load_framework_text(text: str, path: str = "<string>") -> Framework:
    """A framework from YAML text; ``path`` names it in error messages."""
    if text.startswith("\ufeff"):
        text = text[1:]
    data = _parse_yaml(text, path)
    return _Checker(path).framework(data)


def load_framework(source: str | PathLike[str], text: str | None = None) -> Framework:
    """Load and check a framework: a path to a YAML file, or YAML text.

    ``load_framework(path)`` reads the file; ``load_framework(name, text)`` checks ``text``
    and names it ``name`` in messages; a ``str`` holding a line break is taken as YAML text.
    """
    if text is not None:
        return load_framework_text(text, fspath(source))
    if isinstance(source, str) and "\n" in source:
        return load_framework_text(source)
    path = Path(source)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FrameworkError(str(path), None, "指标体系文件不存在") from None
    except OSError as err:
        raise FrameworkError(
            str(path), None, f"无法读取指标体系文件：{err.strerror or err}"
        ) from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise FrameworkError(str(path), line, "文件不是 UTF-8 编码") from None
    return load_framework_text(content, str(path))


@cache
def _builtin() -> tuple[Framework, ...]:
    out: list[Framework] = []
    seen: dict[str, str] = {}
    package = resources.files("jixiao.frameworks")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith((".yaml", ".yml")) or not entry.is_file():
            continue
        name = str(entry)
        fw = load_framework_text(entry.read_text(encoding="utf-8-sig"), name)
        if fw.id in seen:
            raise FrameworkError(name, 1, f"id「{fw.id}」与 {seen[fw.id]} 重复")
        seen[fw.id] = name
        out.append(fw)
    return tuple(out)


def builtin_frameworks() -> list[Framework]:
    """Every framework shipped with jixiao (loaded once), in file-name order."""
    return list(_builtin())


def get_framework(name_or_path: str | PathLike[str]) -> Framework:
    """A shipped framework by id, or a user's YAML file by path."""
    name = fspath(name_or_path)
    for fw in _builtin():
        if fw.id == name:
            return fw
    path = Path(name)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists() or "/" in name or "\\" in name:
        return load_framework(path)
    ids = "、".join(fw.id for fw in _builtin())
    raise FrameworkError(
        name, None, f"未知的指标体系「{name}」；可用：{ids}，或一个 YAML 文件的路径"
    )
