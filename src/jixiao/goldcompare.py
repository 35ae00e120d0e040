"""Field-level comparison of an extraction with a hand-made expected one ("gold").

Every non-null field of the gold file is a fact; it is found when the paired evaluation of
the extraction carries the same value (numbers within 1e-6, strings equal after folding
white space). Evaluations are paired greedily by the facts they share, indicators by an
order-preserving alignment (like a diff), fund rows by their source, experts by order.
Precision counts the non-null fields the extraction states.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jixiao.document import fold_ws

EVAL_FIELDS = (
    "kind", "title", "subject", "competent_dept", "implementing_unit", "money_unit",
    "goal", "goal_actual", "total_weight", "total_score", "grade",
)  # fmt: skip
FUND_FIELDS = ("initial_budget", "annual_budget", "executed", "weight", "rate", "score")
INDICATOR_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "note")


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        self.misses += other.misses


def same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))
    if isinstance(a, str) and isinstance(b, str):
        return fold_ws(a) == fold_ws(b)
    return a == b


def _count(obj: dict, fields: tuple[str, ...]) -> int:
    return sum(1 for f in fields if obj.get(f) is not None)


def _fields(
    gold: dict, pred: dict | None, fields: tuple[str, ...], where: str, score: Score
) -> None:
    for f in fields:
        if gold.get(f) is None:
            continue
        score.gold += 1
        if pred is not None and same(gold[f], pred.get(f)):
            score.matched += 1
        else:
            score.misses.append(
                f"{where}.{f}: gold={gold[f]!r} got={None if pred is None else pred.get(f)!r}"
            )


def _indicator_match(g: dict, p: dict) -> int:
    return sum(1 for f in INDICATOR_FIELDS if g.get(f) is not None and same(g[f], p.get(f)))


def _align(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """Order-preserving pairing that maximises matching fields (a small DP)."""
    n, m = len(gold), len(pred)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            pair = _indicator_match(gold[i], pred[j])
            best[i][j] = max(
                best[i + 1][j], best[i][j + 1], best[i + 1][j + 1] + pair if pair else 0
            )
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        pair = _indicator_match(gold[i], pred[j])
        if pair and best[i][j] == best[i + 1][j + 1] + pair:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def compare_evaluation(gold: dict, pred: dict | None, where: str) -> Score:
    score = Score()
    _fields(gold, pred, EVAL_FIELDS, where, score)
    if pred is not None:
        score.predicted += _count(pred, EVAL_FIELDS)
    pred_funds = {f["source"]: f for f in (pred or {}).get("funds", [])}
    for fund in gold.get("funds", []):
        _fields(
            fund,
            pred_funds.get(fund["source"]),
            FUND_FIELDS,
            f"{where}.funds[{fund['source']}]",
            score,
        )
    score.predicted += sum(_count(f, FUND_FIELDS) for f in pred_funds.values())
    g_ind, p_ind = gold.get("indicators", []), (pred or {}).get("indicators", [])
    paired = dict(_align(g_ind, p_ind))
    for i, ind in enumerate(g_ind):
        _fields(
            ind,
            p_ind[paired[i]] if i in paired else None,
            INDICATOR_FIELDS,
            f"{where}.indicators[{i}]",
            score,
        )
    score.predicted += sum(_count(p, INDICATOR_FIELDS) for p in p_ind)
    p_exp = (pred or {}).get("experts", [])
    for k, expert in enumerate(gold.get("experts", [])):
        other = p_exp[k] if k < len(p_exp) else None
        _fields(expert, other, ("name", "total"), f"{where}.experts[{k}]", score)
        for s, value in enumerate(expert.get("scores", [])):
            if value is None:
                continue
            score.gold += 1
            got = other["scores"][s] if other and s < len(other.get("scores", [])) else None
            if same(value, got):
                score.matched += 1
            else:
                score.misses.append(f"{where}.experts[{k}].scores[{s}]: gold={value!r} got={got!r}")
    for expert in p_exp:
        score.predicted += _count(expert, ("name", "total")) + sum(
            1 for v in expert.get("scores", []) if v is not None
        )
    return score


def compare_report(gold: dict, pred: dict) -> Score:
    score = Score()
    _fields(gold, pred, ("entity", "year"), "report", score)
    score.predicted += _count(pred, ("entity", "year"))
    g_evals, p_evals = gold.get("evaluations", []), list(pred.get("evaluations", []))
    used: set[int] = set()
    for i, g in enumerate(g_evals):
        candidates = [
            (compare_evaluation(g, p, "").matched, -abs(j - i), j)
            for j, p in enumerate(p_evals)
            if j not in used
        ]
        best = max(candidates, default=None)
        j = best[2] if best and best[0] > 0 else None
        if j is not None:
            used.add(j)
        where = f"evaluations[{i}]({g.get('subject') or g.get('title')})"
        part = compare_evaluation(g, p_evals[j] if j is not None else None, where)
        score.add(part)
    for j, p in enumerate(p_evals):
        if (
            j not in used
        ):  # extracted evaluations with no gold counterpart: all their facts are wrong
            score.add(_unpaired(p))
    return score


def _unpaired(pred: dict) -> Score:
    empty = {"funds": [], "indicators": [], "experts": []}
    part = compare_evaluation(empty, pred, "extra")
    part.misses.append(
        f"extra evaluation: {pred.get('kind')} {pred.get('title')} {pred.get('subject')}"
    )
    return part
