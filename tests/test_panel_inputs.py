"""Expert panel statistics and the inputs rules read, on hand-made evaluations."""

from __future__ import annotations

import re

import pytest

from jixiao.frameworks.inputs import (
    evaluate_formula,
    find_first,
    funds_inputs,
    funds_of,
    row_values,
    search_texts,
)
from jixiao.model import Evaluation, Expert, Figure, FundRow, Indicator, Report
from jixiao.panel import panel_stats, trimmed_mean


def _panel() -> Evaluation:
    rows = [
        ("决策", "项目立项", "立项依据充分性", 4, [4, 3, 4], 3.67),
        ("决策", "项目立项", "立项程序规范性", 4, [4, 4, 4], 4),
        ("过程", "资金管理", "预算执行率", 10, [8, 9, 10], 9.5),  # printed mean is wrong: 9
    ]
    indicators = [
        Indicator(level1=a, level2=b, name=n, weight=w, score=s) for a, b, n, w, _, s in rows
    ]
    experts = [
        Expert(name=f"专家{k + 1}", scores=[r[4][k] for r in rows], total=t)
        for k, t in enumerate([16, 16, 19])  # 专家1's column sums to 16, 专家2's to 16
    ]
    return Evaluation(
        kind="expert_panel",
        title="专家评分表",
        indicators=indicators,
        experts=experts,
        row_sums=[11, 12, 27],
    )


def test_panel_means_totals_and_loss_rates():
    stats = panel_stats(_panel())
    assert [r.mean for r in stats.rows] == [pytest.approx(11 / 3), 4, 9]
    assert stats.rows[2].printed == 9.5 and stats.rows[2].mean == 9  # the printed mean is off
    assert [r.sum for r in stats.rows] == [11, 12, 27]
    assert [(e.printed, e.recomputed) for e in stats.experts] == [(16, 16), (16, 16), (19, 18)]
    by_name = {(g.level, g.name): g for g in stats.groups}
    decision = by_name[(1, "决策")]
    assert decision.weight == 8 and decision.score == pytest.approx(7.67)
    assert decision.loss_rate == pytest.approx(1 - 7.67 / 8)
    assert decision.recomputed_loss_rate == pytest.approx(1 - (11 / 3 + 4) / 8, abs=1e-6)
    assert by_name[(2, "资金管理")].loss_rate == pytest.approx(0.05)


def test_trimmed_mean_drops_one_highest_and_one_lowest():
    assert trimmed_mean([1, 9, 5, 6, 4]) == 5
    assert trimmed_mean([7, 8]) is None


def test_formula_arithmetic_and_missing_inputs():
    values = {"在编人数": 56.0, "编外人数": 41.0, "空": None}
    assert evaluate_formula("编外人数 / (在编人数 + 编外人数) * 100", values) == pytest.approx(
        42.268, abs=1e-3
    )
    assert evaluate_formula("编外人数 / 空", values) is None
    assert evaluate_formula("编外人数 / (在编人数 - 56)", values) is None  # division by zero
    with pytest.raises(ValueError):
        evaluate_formula("__import__('os')", values)


def test_find_first_searches_nearest_text_first():
    pattern = [re.compile(r"编外(?:人员|人数)?\s*(\d+)")]
    assert find_first(pattern, [None, "扣分情况：在编56人，编外41，…", "编外 9 人"]) == 41
    assert find_first(pattern, ["没有数字"]) is None


def test_execution_rate_from_the_self_evaluation_of_the_same_project():
    own = Evaluation(
        kind="project_self",
        title="项目支出绩效自评表",
        subject="电子政务外网运行维护费",
        funds=[FundRow(source="total", annual_budget=200, executed=150)],
    )
    review = Evaluation(kind="project_review", title="评分表", subject="电子政务外网运行维护费")
    other = Evaluation(kind="project_review", title="评分表", subject="另一个项目")
    report = Report(source="r.txt", evaluations=[own, review, other])
    assert funds_inputs(funds_of(review, report))["execution_rate"] == 75
    assert funds_of(other, report) is None
    assert funds_inputs(None)["execution_rate"] is None


def test_row_values_and_search_order():
    ind = Indicator(name="满意度", target="≥90%", actual="95.5%", note="在编5人")
    assert row_values(ind) == {"actual": 95.5, "target": 90}
    assert row_values(Indicator(name="x", target="完成", actual="已完成")) == {
        "actual": None,
        "target": None,
    }
    ev = Evaluation(
        kind="department_self", title="t", indicators=[ind, Indicator(name="y", note="n")]
    )
    report = Report(
        source="r",
        evaluations=[ev],
        figures=[
            Figure(label="a", value=1, text="句子一"),
            Figure(label="b", value=2, text="句子一"),
        ],
    )
    assert search_texts(ind, ev, report) == ["在编5人", "n", "句子一"]
