"""The ground truth: the interchange JSON a perfect extractor produces from any format.

Built from the same printed strings the writers print (``fmt``), then read back the way the
schema says (``parse_num``, white space folded, ``—`` -> null), so a planted error appears
exactly as printed.
"""

from __future__ import annotations

from typing import Any

from jixiao.model import tidy_numbers
from jixiao.synth.content import EvalTable, IndicatorRow, SampleReport
from jixiao.synth.fmt import NULL_TEXTS, fmt_amount, fmt_num, fmt_rate, parse_num


def _text(value: str | None) -> str | None:
    folded = " ".join((value or "").split())
    return None if folded in NULL_TEXTS else folded


def _indicator(table: EvalTable, row: IndicatorRow) -> dict[str, Any]:
    self_eval = table.kind == "project_self"
    return {
        "level1": _text(row.level1),
        "level2": _text(row.level2),
        "name": _text(row.name),
        "target": _text(row.target) if self_eval else None,
        "actual": _text(row.actual) if self_eval else None,
        "weight": parse_num(fmt_num(row.weight)),
        "score": parse_num(fmt_num(row.score)),
        "note": _text(row.note) if table.kind in ("project_self", "department_self") else None,
    }


def _evaluation(table: EvalTable) -> dict[str, Any]:
    unit = table.money_unit or "万元"
    funds = [
        {
            "source": f.source,
            "initial_budget": parse_num(fmt_amount(f.initial_budget, unit)),
            "annual_budget": parse_num(fmt_amount(f.annual_budget, unit)),
            "executed": parse_num(fmt_amount(f.executed, unit)),
            "weight": parse_num(fmt_num(f.weight)),
            "rate": parse_num(fmt_rate(f.rate)),
            "score": parse_num(fmt_num(f.score)),
        }
        for f in table.funds
    ]
    experts = [
        {
            "name": name,
            "scores": [parse_num(fmt_num(row.expert_scores[j])) for row in table.indicators],
            "total": parse_num(fmt_num(total)),
        }
        for j, (name, total) in enumerate(zip(table.experts, table.expert_totals(), strict=True))
    ]
    return {
        "kind": table.kind,
        "title": table.title,
        "subject": _text(table.subject),
        "competent_dept": _text(table.competent_dept),
        "implementing_unit": _text(table.implementing_unit),
        "money_unit": table.money_unit if table.kind == "project_self" else None,
        "funds": funds,
        "goal": _text(table.goal),
        "goal_actual": _text(table.goal_actual),
        "indicators": [_indicator(table, row) for row in table.indicators],
        "total_weight": parse_num(fmt_num(table.total_weight())),
        "total_score": parse_num(fmt_num(table.total_score())),
        "grade": None,
        "experts": experts,
    }


def expected_report(report: SampleReport) -> dict[str, Any]:
    """The truth for ``report``; ``source`` is the stem until ``expected_for`` names the file."""
    return tidy_numbers(
        {
            "source": report.stem,
            "entity": report.entity,
            "year": report.year,
            "evaluations": [_evaluation(t) for t in report.tables],
        }
    )


def expected_for(report: SampleReport, filename: str) -> dict[str, Any]:
    """The truth for one written file: ``source`` is its name (no folders)."""
    return {**expected_report(report), "source": filename.rsplit("/", 1)[-1]}
