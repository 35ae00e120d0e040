"""The generator's own audit: every identity a sample's printed values should satisfy.

A correct sample has no violations; a planted error must show up as a violation of its
family with its ``where`` among the operands. Tolerances follow the printed precision
(2 decimals everywhere), so only real breaks are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.synth.content import EvalTable, Family, Narrative, SampleReport

TOL = 0.0051  # half a unit in the 2nd decimal, plus float noise
UNIT_FACTORS = {"万元": 1.0, "亿元": 1e4, "千元": 0.1, "元": 1e-4}


@dataclass(frozen=True)
class Violation:
    family: Family
    identity: str  # a short id, e.g. funds.rate
    operands: tuple[str, ...]  # paths of the printed values involved
    message: str


def violations(report: SampleReport) -> list[Violation]:
    out: list[Violation] = []
    for t, table in enumerate(report.tables):
        out += _funds(t, table) + _scores(t, table) + _rubric(t, table)
    return out + _narrative(report.narrative)


def _off(printed: float | None, computed: float, tol: float = TOL) -> bool:
    return printed is None or abs(printed - computed) > tol


# -- tables -------------------------------------------------------------------------------------


def _funds(t: int, table: EvalTable) -> list[Violation]:
    out = []
    p = f"evaluations[{t}].funds"
    for k, f in enumerate(table.funds):
        if f.rate is not None and f.annual_budget and f.executed is not None:
            ratio = f.executed / f.annual_budget
            if _off(f.rate, ratio * 100):
                ops = (f"{p}[{k}].rate", f"{p}[{k}].executed", f"{p}[{k}].annual_budget")
                out.append(Violation("funds", "funds.rate", ops, f"{f.rate} vs {ratio * 100:.4f}"))
            if f.weight is not None and _off(f.score, min(ratio, 1.0) * f.weight):
                ops = (f"{p}[{k}].score", f"{p}[{k}].executed", f"{p}[{k}].annual_budget")
                out.append(Violation("funds", "funds.score", ops, f"{f.score}"))
    if table.funds:
        for col in ("initial_budget", "annual_budget", "executed"):
            parts = sum(getattr(f, col) or 0 for f in table.funds[1:])
            if _off(getattr(table.funds[0], col), parts):
                ops = tuple(f"{p}[{k}].{col}" for k in range(len(table.funds)))
                out.append(Violation("funds", "funds.parts", ops, col))
    return out


def _scores(t: int, table: EvalTable) -> list[Violation]:
    out = []
    p = f"evaluations[{t}]"
    inds = table.indicators
    for i, ind in enumerate(inds):
        if ind.score < 0 or ind.score > ind.weight + 1e-9:
            out.append(Violation("scores", "scores.bound", (f"{p}.indicators[{i}].score",), ""))
    if _off(table.total_weight(), 100):
        out.append(Violation("scores", "scores.weights", (f"{p}.total_weight",), ""))
    if table.level1_notes:
        for level1 in dict.fromkeys(ind.level1 for ind in inds):
            first = next(i for i, ind in enumerate(inds) if ind.level1 == level1)
            if _off(table.level1_weight(level1), sum(x.weight for x in inds if x.level1 == level1)):
                ops = (f"{p}.indicators[{first}].level1_weight",)
                out.append(Violation("scores", "scores.level1_weight", ops, level1))
    all_scores = tuple(f"{p}.indicators[{i}].score" for i in range(len(inds)))
    if table.kind == "expert_panel":
        return out + _panel(p, table, all_scores)
    funds = sum(f.score or 0 for f in table.funds)
    if _off(table.total_score(), funds + sum(x.score for x in inds)):
        ops = (f"{p}.total_score", f"{p}.funds[0].score", *all_scores)
        out.append(Violation("scores", "scores.total", ops, f"{table.total_score()}"))
    return out


def _panel(p: str, table: EvalTable, all_scores: tuple[str, ...]) -> list[Violation]:
    out = []
    n = len(table.experts)
    sums = table.row_sums()
    for i, ind in enumerate(table.indicators):
        if _off(sums[i], sum(ind.expert_scores)):
            out.append(Violation("scores", "panel.row_sum", (f"{p}.row_sums[{i}]",), ""))
        if _off(ind.score, sums[i] / n):
            ops = (f"{p}.indicators[{i}].score", f"{p}.row_sums[{i}]")
            out.append(Violation("scores", "panel.row_mean", ops, ""))
    totals = table.expert_totals()
    for j in range(n):
        if _off(totals[j], sum(ind.expert_scores[j] for ind in table.indicators)):
            out.append(Violation("scores", "panel.expert_total", (f"{p}.experts[{j}].total",), ""))
    if _off(table.total_sum(), sum(totals)):
        ops = (f"{p}.total_sum", *(f"{p}.experts[{j}].total" for j in range(n)))
        out.append(Violation("scores", "panel.total_sum", ops, ""))
    if _off(table.total_score(), table.total_sum() / n):
        out.append(
            Violation("scores", "panel.total_mean", (f"{p}.total_score", f"{p}.total_sum"), "")
        )
    means = sum(ind.score for ind in table.indicators)
    if _off(table.total_score(), means, TOL * len(table.indicators)):
        ops = (f"{p}.total_score", *all_scores)
        out.append(Violation("scores", "panel.total_of_means", ops, ""))
    return out


_QTY = re.compile(r"^(≥|≤|>|<|=)?\s*(\d+(?:\.\d+)?)\s*(.*)$")


def target_met(target: str | None, actual: str | None) -> bool | None:
    """Whether ``actual`` reaches ``target`` for the forms the generator writes
    (``≥95%``, ``100%``, ``≤2小时``, ``及时完成``); None when it cannot tell."""
    if not target or not actual:
        return None
    mt, ma = _QTY.match(target), _QTY.match(actual)
    if mt and ma and mt.group(3) == ma.group(3):
        goal, got = float(mt.group(2)), float(ma.group(2))
        op = mt.group(1) or "≥"  # a bare value is a floor (正向指标)
        return got <= goal if op in ("≤", "<") else got >= goal if op in ("≥", ">") else got == goal
    if not mt and not ma:
        return target == actual
    return None


def _rubric(t: int, table: EvalTable) -> list[Violation]:
    if table.kind != "project_self":
        return []
    out = []
    for i, ind in enumerate(table.indicators):
        met = target_met(ind.target, ind.actual)
        where = (f"evaluations[{t}].indicators[{i}].score",)
        if met and ind.score < ind.weight:
            out.append(Violation("rubric", "rubric.unearned_deduction", where, ind.name))
        elif met is False and ind.score >= ind.weight:
            out.append(Violation("rubric", "rubric.full_marks_unmet", where, ind.name))
    return out


# -- narrative ----------------------------------------------------------------------------------

# (identity, family, result field, operand fields, how the result follows from the operands)
_IDENTITIES = [
    ("narrative.balance", "consistency", "expense_total", ("income_total",), lambda a: a),
    ("narrative.change", "narrative", "change", ("income_total", "last_total"), lambda a, b: a - b),
    ("narrative.growth", "narrative", "growth", ("change", "last_total"), lambda c, b: c / b * 100),
    ("narrative.parts", "narrative", "spend", ("basic", "project"), lambda a, b: a + b),
    ("narrative.share", "narrative", "basic_share", ("basic", "spend"), lambda a, b: a / b * 100),
    (
        "narrative.share",
        "narrative",
        "project_share",
        ("project", "spend"),
        lambda a, b: a / b * 100,
    ),
    ("narrative.carry", "narrative", "carry_end", ("income_total", "spend"), lambda a, b: a - b),
    (
        "narrative.parts",
        "narrative",
        "three_public_final",
        ("three_public_abroad", "three_public_vehicle", "three_public_reception"),
        lambda a, b, c: a + b + c,
    ),
    (
        "narrative.rate",
        "narrative",
        "three_public_rate",
        ("three_public_final", "three_public_budget"),
        lambda a, b: a / b * 100,
    ),
    (
        "narrative.parts",
        "narrative",
        "procurement_total",
        ("procurement_goods", "procurement_works", "procurement_services"),
        lambda a, b, c: a + b + c,
    ),
    (
        "narrative.share",
        "narrative",
        "procurement_sme_share",
        ("procurement_sme", "procurement_total"),
        lambda a, b: a / b * 100,
    ),
]
_PERCENT = {"growth", "basic_share", "project_share", "three_public_rate", "procurement_sme_share"}


def _narrative(n: Narrative) -> list[Violation]:
    def value(name: str, with_units: bool) -> float:
        v = getattr(n, name)
        return v * UNIT_FACTORS[n.unit(name)] if with_units and name not in _PERCENT else v

    out = []
    for identity, family, result, operands, fn in _IDENTITIES:
        fields = (result, *operands)
        ops = tuple(f"narrative.{f}" for f in fields)
        if not _off(value(result, True), fn(*(value(f, True) for f in operands))):
            continue
        if _off(value(result, False), fn(*(value(f, False) for f in operands))):
            out.append(Violation(family, identity, ops, result))
        else:  # holds once the units are ignored: a unit slip, not an arithmetic error
            slipped = tuple(f"narrative.{f}" for f in fields if n.unit(f) != "万元")
            out.append(Violation("units", "units.magnitude", slipped, result))
    return out
