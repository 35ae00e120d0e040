"""The numbers a rule reads, found in the extracted report — never guessed.

Built-in inputs come from the row and the funds block. A framework declares more: ``find``
patterns searched in the row's own note first (``扣分情况：在编56人，编外41``), then the other
notes of the evaluation, then the report's narrative sentences; ``formula`` inputs combine
others with + − × ÷. An input the document does not print is None, and the rule then says
"not recomputable".
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from jixiao.extract.text import compact
from jixiao.model import Evaluation, FundRow, Indicator, Report
from jixiao.numbers import MONEY_FACTORS, parse_number, parse_quantity

BUILTIN_INPUTS = ("actual", "target", "execution_rate", "executed", "budget")

_OPS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def total_funds(ev: Evaluation) -> FundRow | None:
    """The 年度资金总额 row (or the only row when the table prints one)."""
    rows = [f for f in ev.funds if f.source == "total"] or ev.funds[:1]
    return rows[0] if rows else None


def funds_of(ev: Evaluation, report: Report) -> FundRow | None:
    """The evaluation's own funds, else those of the self-evaluation of the same project."""
    own = total_funds(ev)
    if own is not None:
        return own
    if not ev.subject:
        return None
    subject = compact(ev.subject)
    for other in report.evaluations:
        if other is ev or other.kind != "project_self" or not other.subject:
            continue
        name = compact(other.subject)
        if name == subject or (
            min(len(name), len(subject)) >= 4 and (name in subject or subject in name)
        ):
            return total_funds(other)
    return None


def funds_inputs(funds: FundRow | None) -> dict[str, float | None]:
    if funds is None:
        return {"executed": None, "budget": None, "execution_rate": None}
    budget = funds.annual_budget
    executed = funds.executed
    rate = executed / budget * 100 if budget and executed is not None else None
    return {"executed": executed, "budget": budget, "execution_rate": rate}


# yuan per unit; a bare 万 or 亿 counts as money only against an amount that says 元
_MONEY_SCALE = {**MONEY_FACTORS, "千": 1e3, "万": 1e4, "亿": 1e8}


def row_values(ind: Indicator | None) -> dict[str, float | None]:
    """``actual`` and ``target`` as numbers: '≥95%' → 95, '98.5%' → 98.5, '完成' → None.

    An actual amount in another money unit than its target is converted into the target's
    (``291200元`` against ``≤36万元`` → 29.12), so that the rules compare like with like."""
    out: dict[str, float | None] = {"actual": None, "target": None}
    if ind is None:
        return out
    units: dict[str, str | None] = {}
    for key, text in (("actual", ind.actual), ("target", ind.target)):
        q = parse_quantity(text)
        if q is not None:
            out[key] = q.value if q.value is not None else q.low
            units[key] = q.unit
    actual_unit, target_unit = units.get("actual"), units.get("target")
    if (
        out["actual"] is not None
        and actual_unit != target_unit
        and actual_unit in _MONEY_SCALE
        and target_unit in _MONEY_SCALE
        and "元" in f"{actual_unit}{target_unit}"
    ):
        out["actual"] *= _MONEY_SCALE[actual_unit] / _MONEY_SCALE[target_unit]
    return out


def find_first(patterns: Iterable[re.Pattern[str]], texts: Iterable[str | None]) -> float | None:
    for text in texts:
        if not text:
            continue
        for pattern in patterns:
            m = pattern.search(text)
            if m:
                value = parse_number(m.group(1))
                if value is not None:
                    return value
    return None


def search_texts(ind: Indicator | None, ev: Evaluation, report: Report) -> list[str | None]:
    """Where declared inputs are looked for, nearest first."""
    texts: list[str | None] = [ind.note if ind is not None else None]
    texts += [other.note for other in ev.indicators if other is not ind]
    seen: set[str] = set()
    for fig in report.figures:
        if fig.text not in seen:
            seen.add(fig.text)
            texts.append(fig.text)
    return texts


def evaluate_formula(formula: str, values: dict[str, float | None]) -> float | None:
    """Arithmetic over named inputs; None when an input is missing or a division is by 0.

    The loader has already checked that the formula holds nothing but names, numbers, + − × ÷
    and parentheses; the tree is turned into a function (once per formula: every row of a
    table evaluates the same ones) rather than given to eval().
    """
    return _compiled(formula)(values)


Compiled = Callable[[dict[str, float | None]], float | None]


@lru_cache(maxsize=1024)
def _compiled(formula: str) -> Compiled:
    return _compile(ast.parse(formula, mode="eval"))


def _compile(node: ast.AST) -> Compiled:
    if isinstance(node, ast.Expression):
        return _compile(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        number = float(node.value)
        return lambda values: number
    if isinstance(node, ast.Name):
        name = node.id
        return lambda values: values.get(name)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        operand = _compile(node.operand)

        def negated(values: dict[str, float | None]) -> float | None:
            inner = operand(values)
            return None if inner is None else -inner

        return negated
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        left, right = _compile(node.left), _compile(node.right)
        op = _OPS[type(node.op)]
        division = isinstance(node.op, ast.Div)

        def binary(values: dict[str, float | None]) -> float | None:
            a, b = left(values), right(values)
            if a is None or b is None:
                return None
            if division and b == 0:
                return None
            return op(a, b)

        return binary
    raise ValueError(f"公式中不允许的写法：{ast.dump(node)}")
