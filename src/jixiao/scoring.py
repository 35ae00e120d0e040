"""Recompute every score of a report from the rules of its framework.

For each evaluation and row: the printed score, the recomputed score (a number, an interval
``[low, high]`` where the rule leaves room for judgement, or None when the document does not
print what the rule needs), the rule and the inputs it read, and a status. For the
evaluation: printed total, Σ of printed row scores, recomputed total, printed and recomputed
grade. Recomputed values never overwrite the reported ones.

The recomputed total is the total nearest to the printed one that the rules allow: a point
score counts as recomputed, a row scored by judgement (an interval) keeps its printed score
moved into the interval, and a row that cannot be recomputed keeps its printed score (bounded
by 0 and its weight). So the total moves only by what the rules actually decide. The full
range the rules leave open is given as ``recomputed_range``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from jixiao.frameworks import inputs as inp
from jixiao.frameworks.loader import (
    DEFAULT_GRADES,
    Framework,
    builtin_frameworks,
    get_framework,
)
from jixiao.frameworks.matching import choose, find_leaf
from jixiao.frameworks.rules import Outcome, RowInputs, apply, parse_rule
from jixiao.model import Evaluation, Indicator, Report, tidy_numbers
from jixiao.numbers import decimals_of, decimals_of_value
from jixiao.panel import PanelStats, panel_stats

Value = float | tuple[float, float] | None

ABOVE = "above"  # 自评分高于规则
BELOW = "below"
OK = "ok"
NOT_RECOMPUTABLE = "not_recomputable"
NOT_PRINTED = "not_printed"
STATUS_TEXT = {
    ABOVE: "自评分高于规则",
    BELOW: "自评分低于规则",
    OK: "相符",
    NOT_RECOMPUTABLE: "无法复算",
    NOT_PRINTED: "未填得分",
}
_MANUAL = parse_rule({"kind": "manual"})
_NOT_APPLICABLE = "不适用"


@dataclass
class RowScore:
    name: str
    weight: float | None
    printed: float | None
    recomputed: Value
    rule: str | None
    status: str
    inputs: dict[str, Any] = field(default_factory=dict)
    explain: str = ""
    path: list[str] = field(default_factory=list)  # the framework leaf: 一级 / 二级 / 三级
    loc: dict[str, Any] | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class EvaluationScore:
    kind: str
    subject: str | None
    title: str
    framework: str | None
    printed_total: float | None
    sum_printed: float | None
    recomputed_total: Value
    printed_grade: str | None
    recomputed_grade: str | list[str] | None
    rows: list[RowScore]
    recomputed_range: Value = None  # Σ of the row intervals (judgement rows at their bounds)
    source: dict[str, Any] | None = None  # the framework's citation
    panel: PanelStats | None = None
    loc: dict[str, Any] | None = None


@dataclass
class ScoredReport:
    source: str
    evaluations: list[EvaluationScore]

    def to_json(self) -> dict[str, Any]:
        return tidy_numbers(_listify(asdict(self)))


def score(report: Report, framework: str | Framework | None = None) -> ScoredReport:
    """Score every evaluation; ``framework`` (an id, a YAML path or a Framework) overrides
    the choice by table shape."""
    forced = get_framework(framework) if isinstance(framework, str) else framework
    shipped = builtin_frameworks()
    out = []
    for ev in report.evaluations:
        fw = forced if forced is not None else choose(shipped, ev)
        out.append(score_evaluation(ev, report, fw))
    return ScoredReport(source=report.source, evaluations=out)


def score_evaluation(ev: Evaluation, report: Report, fw: Framework | None) -> EvaluationScore:
    rows: list[RowScore] = []
    funds_row = _funds_row(ev, report, fw)
    if funds_row is not None:
        rows.append(funds_row)
    not_applicable = sum(ind.weight or 0 for ind in ev.indicators if _is_not_applicable(ind))
    found = _found_inputs(fw, ev, report)
    funds = inp.funds_inputs(inp.funds_of(ev, report))  # the same for every row
    for ind in ev.indicators:
        rows.append(_indicator_row(ind, fw, found, funds))
    if fw is not None and not_applicable and fw.variants.not_applicable == "rescale":
        _rescale(rows, fw.total, not_applicable)
    printed = [r.printed for r in rows if r.printed is not None]
    total = _recomputed_total(rows, nearest=True)
    return EvaluationScore(
        kind=ev.kind,
        subject=ev.subject,
        title=ev.title,
        framework=fw.id if fw is not None else None,
        printed_total=ev.total_score,
        sum_printed=round(sum(printed), 6) if printed else None,
        recomputed_total=total,
        printed_grade=ev.grade,
        recomputed_grade=_grade(fw, total) if ev.kind != "expert_panel" or ev.grade else None,
        rows=rows,
        recomputed_range=_recomputed_total(rows, nearest=False),
        source=asdict(fw.source) if fw is not None else None,
        panel=panel_stats(ev) if ev.kind == "expert_panel" else None,
        loc=ev.loc,
    )


def _funds_row(ev: Evaluation, report: Report, fw: Framework | None) -> RowScore | None:
    funds = inp.total_funds(ev)
    if funds is None:
        return None
    spec = fw.funds if fw is not None else None
    name = spec.name if spec is not None else "预算执行率"
    weight = funds.weight if funds.weight is not None else (spec.weight if spec else None)
    if spec is None or weight is None:
        return _row(name, weight, funds.score, None, None, funds.loc, printed_text=None)
    values = inp.funds_inputs(funds)
    outcome = apply(spec.rule, weight, RowInputs(values=values), fw.variants)
    return _row(name, weight, funds.score, outcome, [name], funds.loc, funds.printed.get("score"))


def _indicator_row(
    ind: Indicator,
    fw: Framework | None,
    found_inputs: dict[str, float | None],
    funds: dict[str, float | None],
) -> RowScore:
    found = find_leaf(fw, ind.name) if fw is not None else None
    if found is not None:
        path, node = found
        rule, weight = node.rule, node.weight
    elif fw is not None and fw.open_rule is not None:
        path, rule, weight = [ind.name], fw.open_rule, ind.weight
    else:
        path, rule, weight = [], _MANUAL, ind.weight  # not in the framework: bounds only
    if weight is None or _is_not_applicable(ind):
        return _row(
            ind.name, weight, ind.score, None, list(path), ind.loc, ind.printed.get("score")
        )
    values = inp.row_values(ind)
    values.update(funds)
    if fw is not None and fw.inputs:
        values.update(_declared_inputs(fw, ind, found_inputs, values))
    inputs = RowInputs(values=values, target_text=ind.target, actual_text=ind.actual, note=ind.note)
    variants = fw.variants if fw is not None else None
    outcome = apply(rule, weight, inputs, variants) if variants else apply(rule, weight, inputs)
    row = _row(ind.name, weight, ind.score, outcome, list(path), ind.loc, ind.printed.get("score"))
    if found is None and fw is not None and fw.open_rule is None:
        row.flags.append("not_in_framework")
    return row


def _found_inputs(fw: Framework | None, ev: Evaluation, report: Report) -> dict[str, float | None]:
    """The ``find`` inputs as the evaluation's notes and the narrative give them, searched
    once per evaluation; a row's own note, searched first, may still override them."""
    if fw is None or not fw.inputs:
        return {}
    texts = inp.search_texts(None, ev, report)[1:]
    return {name: inp.find_first(spec.find, texts) for name, spec in fw.inputs.items() if spec.find}


def _declared_inputs(
    fw: Framework,
    ind: Indicator,
    found: dict[str, float | None],
    values: dict[str, float | None],
) -> dict[str, float | None]:
    out = dict(values)
    for name, spec in fw.inputs.items():  # in file order: formulas may use earlier inputs
        if spec.find:
            own = inp.find_first(spec.find, [ind.note])
            out[name] = own if own is not None else found.get(name)
        elif spec.formula:
            out[name] = inp.evaluate_formula(spec.formula, out)
    return {k: v for k, v in out.items() if k in fw.inputs}


def _row(
    name: str,
    weight: float | None,
    printed: float | None,
    outcome: Outcome | None,
    path: list[str] | None,
    loc: dict[str, Any] | None,
    printed_text: str | None,
) -> RowScore:
    if outcome is None or not outcome.recomputable:
        status = NOT_RECOMPUTABLE
    elif printed is None:
        status = NOT_PRINTED
    else:
        status = compare(printed, outcome.low, outcome.high, printed_text)
    return RowScore(
        name=name,
        weight=weight,
        printed=printed,
        recomputed=outcome.value if outcome is not None else None,
        rule=outcome.kind if outcome is not None else None,
        status=status,
        inputs=dict(outcome.inputs) if outcome is not None else {},
        explain=outcome.explain if outcome is not None else "",
        path=path or [],
        loc=loc,
        flags=list(outcome.flags) if outcome is not None else [],
    )


def compare(printed: float, low: float, high: float, printed_text: str | None = None) -> str:
    """Above or below the recomputed bounds by more than the printed digits allow.

    A score printed without decimals is not read as "rounded to the unit": 10 for a rule that
    gives 9.69 is full marks the rule does not give. Scores are taken as meant to at least one
    decimal, so the tolerance never exceeds 0.05.
    """
    decimals = decimals_of(printed_text) if printed_text else decimals_of_value(printed)
    tolerance = 0.5 * 10 ** -max(decimals, 1) + 1e-9
    if printed > high + tolerance:
        return ABOVE
    if printed < low - tolerance:
        return BELOW
    return OK


def _is_not_applicable(ind: Indicator) -> bool:
    return any(_NOT_APPLICABLE in (t or "") for t in (ind.target, ind.actual, ind.note))


def _rescale(rows: list[RowScore], total: float, excluded: float) -> None:
    """不适用 rows leave the table: the others count on a base of ``total − excluded``."""
    if excluded >= total:
        return
    factor = total / (total - excluded)
    for row in rows:
        if isinstance(row.recomputed, tuple):
            row.recomputed = (row.recomputed[0] * factor, row.recomputed[1] * factor)
        elif isinstance(row.recomputed, float | int):
            row.recomputed = row.recomputed * factor
        row.flags.append("rescaled")


def _recomputed_total(rows: list[RowScore], nearest: bool) -> Value:
    if not rows:
        return None
    low = high = 0.0
    for row in rows:
        if isinstance(row.recomputed, tuple):
            lo, hi = row.recomputed
            if nearest and row.printed is not None:
                lo = hi = min(max(row.printed, lo), hi)
        elif row.recomputed is not None:
            lo = hi = float(row.recomputed)
        elif row.printed is not None:  # not recomputable: keep what is printed, within bounds
            cap = row.weight if row.weight is not None else row.printed
            lo = hi = max(0.0, min(row.printed, cap))
        elif row.weight is not None:
            lo, hi = 0.0, row.weight
        else:
            return None  # neither score nor weight printed: the total cannot be told
        low += lo
        high += hi
    low, high = round(low, 6), round(high, 6)
    return low if low == high else (low, high)


def _grade(fw: Framework | None, total: Value) -> str | list[str] | None:
    if total is None:
        return None
    grade_of = fw.grade_of if fw is not None else default_grade
    if isinstance(total, tuple):
        low, high = grade_of(total[0]), grade_of(total[1])
        return low if low == high else [low, high]
    return grade_of(total)


def default_grade(total: float) -> str:
    """The grade of a total under the default bands (财预〔2020〕10号)."""
    return next(grade for grade, floor in DEFAULT_GRADES if total >= floor - 1e-9)


def _listify(value: Any) -> Any:
    """Intervals print as ``[low, high]``."""
    if isinstance(value, tuple):
        return [_listify(v) for v in value]
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_listify(v) for v in value]
    return value
