"""Mutation test: change one printed number of a correct generated table, and the table checks
must notice whenever the change breaks arithmetic.

A mutation changes a single printed value — an amount, a rate, a score, a weight, a total — and
leaves every other printed value as it was (totals and header weights are frozen, not
re-derived). Whether it breaks arithmetic is decided here, independently of the checks, from
the generator's data and the printed digits: a change the rounding of the printed numbers can
absorb (e.g. a total printed as 91.5 against a sum of 91.51) is not counted.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jixiao import extract, read
from jixiao.checks.registry import run_checks
from jixiao.numbers import decimals_of
from jixiao.synth import expected_report, random_report, sample_reports, write_all
from jixiao.synth.content import EvalTable, SampleReport
from jixiao.synth.fmt import fmt_num, fmt_rate, q2

FAMILIES = ["funds", "scores", "rubric"]
PER_REPORT = 30  # mutations drawn per report (fixed RNG), to keep the test quick
BAR = 0.95


@dataclass
class Mutation:
    table: int
    label: str
    apply: Callable[[EvalTable], None]


# --- freezing: every derived printed value keeps its printed number -----------------------------


def _freeze(table: EvalTable) -> None:
    level1s = dict.fromkeys(i.level1 for i in table.indicators)
    for level1 in level1s:
        table.overrides[f"level1_weight[{level1}]"] = table.level1_weight(level1)
    level2s = {(i.level1, i.level2): 0.0 for i in table.indicators}
    frozen2 = {key: table.level2_weight(*key) for key in level2s}
    table.level2_weight = lambda l1, l2, d=frozen2: d[(l1, l2)]  # type: ignore[method-assign]
    weight = [table.total_weight()]
    table.total_weight = lambda w=weight: w[0]  # type: ignore[method-assign]
    table._frozen2, table._total_weight = frozen2, weight  # type: ignore[attr-defined]
    table.overrides["total_score"] = table.total_score()
    if table.kind == "expert_panel":
        for k, s in enumerate(table.row_sums()):
            table.overrides[f"row_sums[{k}]"] = s
        for j, s in enumerate(table.expert_totals()):
            table.overrides[f"experts[{j}].total"] = s
        table.overrides["total_sum"] = table.total_sum()


# --- the mutations ------------------------------------------------------------------------------


def _set(obj: object, name: str, value: float) -> Callable[[EvalTable], None]:
    return lambda table: setattr(_resolve(table, obj), name, value)


def _resolve(table: EvalTable, path: object) -> object:
    kind, k = path  # ("funds", k) or ("indicators", i)
    return getattr(table, kind)[k]


def mutations(report: SampleReport) -> list[Mutation]:
    out: list[Mutation] = []
    for t, table in enumerate(report.tables):
        for k, f in enumerate(table.funds):
            for col in ("initial_budget", "annual_budget", "executed"):
                value = getattr(f, col)
                if value is not None:
                    new = q2(value * 1.1) if value else 100.0
                    out.append(Mutation(t, f"funds[{k}].{col}", _set(("funds", k), col, new)))
            if f.rate is not None:
                new = q2(f.rate - 1.5) if f.rate > 50 else q2(f.rate + 1.5)
                out.append(Mutation(t, f"funds[{k}].rate", _set(("funds", k), "rate", new)))
            if f.score is not None:
                out.append(
                    Mutation(t, f"funds[{k}].score", _set(("funds", k), "score", q2(f.score - 0.7)))
                )
            if f.weight is not None:
                out.append(Mutation(t, f"funds[{k}].weight", _set(("funds", k), "weight", 12.0)))
        for i, ind in enumerate(table.indicators):
            where = ("indicators", i)
            out.append(Mutation(t, f"ind[{i}].weight+2", _set(where, "weight", ind.weight + 2)))
            if ind.weight > 1:
                out.append(Mutation(t, f"ind[{i}].weight-1", _set(where, "weight", ind.weight - 1)))
            lower = q2(ind.score - 1) if ind.score >= 1 else q2(ind.score + 0.5)
            out.append(Mutation(t, f"ind[{i}].score", _set(where, "score", lower)))
            out.append(
                Mutation(t, f"ind[{i}].score+0.5", _set(where, "score", q2(ind.score + 0.5)))
            )
            if ind.expert_scores:
                out.append(Mutation(t, f"ind[{i}].expert[0]", _expert_score(i)))
                out.append(Mutation(t, f"row_sums[{i}]", _override(f"row_sums[{i}]", 1)))
        out.append(Mutation(t, "total_score", _override("total_score", 1)))
        out.append(Mutation(t, "total_weight", _bump_total_weight))
        if table.level1_notes:
            for level1 in dict.fromkeys(i.level1 for i in table.indicators):
                out.append(
                    Mutation(t, f"level1[{level1}]", _override(f"level1_weight[{level1}]", 5))
                )
        if table.level2_notes:
            for key in dict.fromkeys((i.level1, i.level2) for i in table.indicators):
                out.append(Mutation(t, f"level2{key}", _bump_level2(key)))
        for j in range(len(table.experts)):
            out.append(Mutation(t, f"experts[{j}].total", _override(f"experts[{j}].total", 2)))
    return out


def _expert_score(i: int) -> Callable[[EvalTable], None]:
    def apply(table: EvalTable) -> None:
        scores = table.indicators[i].expert_scores
        scores[0] = scores[0] - 1 if scores[0] >= 1 else scores[0] + 1

    return apply


def _override(key: str, delta: float) -> Callable[[EvalTable], None]:
    def apply(table: EvalTable) -> None:
        table.overrides[key] = q2(table.overrides[key] + delta)

    return apply


def _bump_total_weight(table: EvalTable) -> None:
    table._total_weight[0] += 5  # type: ignore[attr-defined]


def _bump_level2(key: tuple[str, str]) -> Callable[[EvalTable], None]:
    def apply(table: EvalTable) -> None:
        table._frozen2[key] += 5  # type: ignore[attr-defined]

    return apply


# --- the oracle: does the table still add up, given what its digits allow? ------------------------


def _half(text: str) -> float:
    return 0.5 * 10 ** -decimals_of(text)


def _term(score: float) -> float:
    """A score as a term of a sum: whole and half points are exact, other decimals may
    have been rounded to the digits printed."""
    return 0.0 if float(score * 2).is_integer() else _half(fmt_num(score))


def broken(table: EvalTable) -> list[str]:
    out: list[str] = []
    eps = 1e-6
    for f in table.funds:
        if f.rate is not None and f.annual_budget and f.executed is not None:
            ratio = f.executed / f.annual_budget * 100
            amounts = 0.005 * (1 + ratio / 100) / f.annual_budget * 100  # both amounts rounded
            if abs(f.rate - ratio) > _half(fmt_rate(f.rate)) + amounts + eps:
                out.append("rate")
            if f.weight is not None and f.score is not None:
                tol = 0.5 * 10 ** -max(decimals_of(fmt_num(f.score)), 1) + eps
                by_amounts = min(ratio, 100) / 100 * f.weight
                by_rate = min(f.rate, 100) / 100 * f.weight
                if min(abs(f.score - by_amounts), abs(f.score - by_rate)) > tol:
                    out.append("funds score")
    if table.funds:
        total, parts = table.funds[0], table.funds[1:]
        for col in ("initial_budget", "annual_budget", "executed"):
            printed = [getattr(p, col) for p in parts if getattr(p, col) is not None]
            value = getattr(total, col)
            if value is not None and printed:
                tol = 0.005 * (len(printed) + 1) + eps
                if abs(value - sum(printed)) > tol:
                    out.append(f"parts {col}")
    inds = table.indicators
    for ind in inds:
        if ind.score < -eps or ind.score > ind.weight + eps:
            out.append("bound")
        for s in ind.expert_scores:
            if s < -eps or s > ind.weight + eps:
                out.append("expert bound")
    total_score = table.total_score()
    scores = [i.score for i in inds] + [f.score for f in table.funds if f.score is not None]
    tol = _half(fmt_num(total_score)) + sum(_term(s) for s in scores) + eps
    sums = [sum(scores)]
    if table.kind == "expert_panel":  # or the sum of the unrounded means
        sums.append(sum(sum(i.expert_scores) / len(table.experts) for i in inds))
    if all(abs(total_score - s) > tol for s in sums):
        out.append("total")
    weights = [i.weight for i in inds] + [f.weight for f in table.funds if f.weight is not None]
    if abs(table.total_weight() - sum(weights)) > eps or abs(table.total_weight() - 100) > eps:
        out.append("weights")
    for level1 in dict.fromkeys(i.level1 for i in inds):
        under = sum(i.weight for i in inds if i.level1 == level1)
        if table.level1_notes and abs(table.level1_weight(level1) - under) > eps:
            out.append("level1")
    for key in dict.fromkeys((i.level1, i.level2) for i in inds):
        under = sum(i.weight for i in inds if (i.level1, i.level2) == key)
        if table.level2_notes and abs(table.level2_weight(*key) - under) > eps:
            out.append("level2")
    if table.kind == "expert_panel":
        n = len(table.experts)
        mean_half = min(_half(fmt_num(i.score)) for i in inds)  # one format for the column
        for k, (ind, row_sum) in enumerate(zip(inds, table.row_sums(), strict=True)):
            if abs(row_sum - sum(ind.expert_scores)) > eps:
                out.append(f"row sum {k}")
            if abs(ind.score - sum(ind.expert_scores) / n) > mean_half + eps:
                out.append(f"mean {k}")
        for j, total in enumerate(table.expert_totals()):
            if abs(total - sum(i.expert_scores[j] for i in inds)) > eps:
                out.append(f"expert total {j}")
    return out


# --- the test -------------------------------------------------------------------------------------


def _table_numbers(ev: dict) -> tuple:
    funds = [tuple(sorted(f.items())) for f in ev["funds"]]
    rows = [
        (i["level1"], i["level2"], i["name"], i.get("weight"), i.get("score"))
        for i in ev["indicators"]
    ]
    experts = [(e["name"], tuple(e["scores"]), e.get("total")) for e in ev.get("experts", [])]
    return (ev["kind"], ev["total_weight"], ev["total_score"], funds, rows, experts)


def _clean_tables(report: SampleReport, tmp: Path) -> set[int]:
    """Tables read back exactly as generated and without any finding: mutations there test
    the checks, not the extractor."""
    write_all(report, tmp, ["txt"])
    got = extract(read(tmp / f"{report.stem}.txt"))
    truth = expected_report(report)["evaluations"]
    got_json = got.to_json()["evaluations"]
    if len(got_json) != len(truth):
        return set()
    keep = {"kind", "total_weight", "total_score", "funds", "indicators", "experts"}

    def strip(ev: dict) -> dict:
        out = {k: ev.get(k) for k in keep}
        out["funds"] = [
            {k: v for k, v in f.items() if k not in ("loc", "cells", "printed")}
            for f in ev["funds"]
        ]
        return out

    noisy = {f.evaluation for f in run_checks(got, only=FAMILIES) if f.severity != "info"}
    return {
        t
        for t, (a, b) in enumerate(zip(got_json, truth, strict=True))
        if _table_numbers(strip(a)) == _table_numbers(strip(b)) and t not in noisy
    }


def _reports() -> list[SampleReport]:
    return [*sample_reports(correct=True), *(random_report(s, correct=True) for s in range(8))]


def test_single_number_changes_that_break_arithmetic_are_caught(tmp_path: Path) -> None:
    rng = random.Random(20240601)
    tally: Counter[str] = Counter()
    missed: list[str] = []
    for report in _reports():
        assert not any(broken(t) for t in report.tables), report.stem  # the oracle agrees
        clean = _clean_tables(report, tmp_path)
        candidates = [m for m in mutations(report) if m.table in clean]
        for m in rng.sample(candidates, min(PER_REPORT, len(candidates))):
            mutated = copy.deepcopy(report)
            table = mutated.tables[m.table]
            _freeze(table)
            m.apply(table)
            if not broken(table):
                tally["within rounding"] += 1
                continue
            write_all(mutated, tmp_path, ["txt"])
            got = extract(read(tmp_path / f"{mutated.stem}.txt"))
            found = [
                f
                for f in run_checks(got, only=FAMILIES)
                if f.evaluation == m.table and f.severity != "info"
            ]
            tally["counted"] += 1
            if found:
                tally["caught"] += 1
                tally[f"caught as {min(f.severity for f in found)}"] += 1
            else:
                missed.append(f"{report.stem} table {m.table} {m.label}: {broken(table)}")
    rate = tally["caught"] / tally["counted"]
    print(f"\nmutation catch rate {tally['caught']}/{tally['counted']} = {rate:.1%}; {dict(tally)}")
    for line in missed:
        print("   missed:", line)
    assert tally["counted"] >= 100
    assert rate >= BAR
