"""Recomputed scores: the examples' planted score errors, correct documents, and the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import jixiao
from conftest import EXAMPLES, SEEDS, needs_shared
from jixiao import extract, read
from jixiao.cli import app
from jixiao.scoring import ABOVE, BELOW, NOT_RECOMPUTABLE, OK, score
from jixiao.synth import random_report, sample_reports, write_all

runner = CliRunner()


def _scored(path: Path):
    return score(extract(read(path)))


def _row(ev, name):
    return next(r for r in ev.rows if r.name == name)


def test_planted_execution_score_and_unearned_deduction_are_marked():
    scored = _scored(EXAMPLES / "shiyan-jiaoyu-2024.txt")
    ev = scored.evaluations[1]
    assert ev.framework == "project-self-2020"
    funds = ev.rows[0]
    assert funds.name == "预算执行率" and funds.status == ABOVE
    assert funds.printed == 10 and funds.recomputed == pytest.approx(9.69, abs=0.005)
    safety = _row(ev, "安防设施完好率")
    assert (safety.printed, safety.recomputed, safety.status) == (12, 15, BELOW)


def test_score_above_its_weight_is_above_the_rule():
    ev = _scored(EXAMPLES / "shiyan-shichang-2023.txt").evaluations[1]
    row = _row(ev, "系统可用率")
    assert row.printed == 16 and row.weight == 15 and row.status == ABOVE


@pytest.mark.parametrize("seed", range(6))
def test_correct_generated_documents_have_no_score_above_the_rules(seed, tmp_path):
    report = random_report(seed, correct=True)
    (path,) = write_all(report, tmp_path, ["txt"])
    scored = _scored(path)
    assert scored.evaluations
    above = [
        (ev.subject, r.name) for ev in scored.evaluations for r in ev.rows if r.status == ABOVE
    ]
    assert above == []


def test_correct_samples_recompute_their_funds_scores_and_nothing_is_above(tmp_path):
    for report in sample_reports(correct=True):
        (path,) = write_all(report, tmp_path, ["txt"])
        for ev in _scored(path).evaluations:
            assert all(r.status != ABOVE for r in ev.rows), ev.subject
            if ev.kind == "project_self":
                funds = ev.rows[0]
                assert funds.status == OK and funds.printed == pytest.approx(
                    funds.recomputed, abs=0.005
                )
                # a department may deduct more than the rule (below), never less
                assert ev.recomputed_total >= ev.printed_total - 0.05


def test_python_api_and_framework_override():
    report = extract(read(EXAMPLES / "shiyan-jiaoyu-2024.txt"))
    scored = jixiao.score(report, framework="project-self-2020")
    assert {ev.framework for ev in scored.evaluations} == {"project-self-2020"}
    data = scored.to_json()
    keys = {"kind", "subject", "framework", "printed_total", "sum_printed", "recomputed_total"}
    assert keys | {"printed_grade", "recomputed_grade", "rows"} <= set(data["evaluations"][0])
    assert {"name", "weight", "printed", "recomputed", "rule", "status"} <= set(
        data["evaluations"][1]["rows"][0]
    )


def test_cli_score_json_and_table():
    path = EXAMPLES / "shiyan-jiaoyu-2024.txt"
    result = runner.invoke(app, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"] == path.name
    statuses = [r["status"] for ev in data["evaluations"] for r in ev["rows"]]
    assert ABOVE in statuses and OK in statuses
    table = runner.invoke(app, ["score", str(path)])
    assert table.exit_code == 0 and "自评分高于规则" in table.stdout


def test_cli_rejects_a_broken_framework_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad\ntitle: 坏框架\nkinds: [project_review]\ntotal: 100\n"
        "source: {document: 无, region: 某区, year: 2023}\n"
        "indicators:\n  - name: 甲\n    weight: 100\n    rule: {kind: ratoi}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["score", str(EXAMPLES / "shiyan-jiaoyu-2024.txt"), "--framework", str(bad)]
    )
    assert result.exit_code == 2
    assert "bad.yaml:9" in result.stderr and "ratoi" in result.stderr


def test_cli_lists_frameworks_and_explains_the_format():
    listed = runner.invoke(app, ["score", "--list"])
    assert listed.exit_code == 0 and "project-self-2020" in listed.stdout
    helped = runner.invoke(app, ["score", "--help"])
    assert "--framework" in helped.stdout and "YAML" in helped.stdout


# --- the seeds (../shared) ----------------------------------------------------------------


def _seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@needs_shared
def test_every_seed_funds_block_is_rescored(capsys):
    differs = []
    checked = 0
    for path in sorted(SEEDS.glob("*.txt")):
        report = extract(read(path))
        scored = score(report)
        for ev, sev in zip(report.evaluations, scored.evaluations, strict=True):
            total = next((f for f in ev.funds if f.source == "total"), None)
            if ev.kind != "project_self" or total is None:
                continue
            if not total.annual_budget or total.executed is None:
                continue
            row = sev.rows[0]
            assert row.name == "预算执行率"
            expected = min(total.executed / total.annual_budget, 1) * 10
            assert row.recomputed == pytest.approx(expected, abs=5e-4), (path.name, ev.subject)
            checked += 1
            if row.printed is not None and row.status != OK:
                differs.append((path.name[:3], ev.subject, row.printed, round(expected, 3)))
    with capsys.disabled():
        print(f"\n执行率得分复算 {checked} 张自评表；与表列不符：{differs}")
    assert checked >= 25


@needs_shared
def test_seed_004_rows_with_printed_inputs_are_recomputed():
    scored = _scored(_seed("004"))
    (ev,) = scored.evaluations
    assert ev.framework == "department-self-longgang-2020"
    staff = _row(ev, "编外人员控制率")  # 编外41 ÷ (在编56 + 41) = 42.3% > 10% → 0
    assert staff.recomputed == 0 and staff.status == OK
    assert staff.inputs.get("编外人员控制率") == pytest.approx(42.268, abs=1e-3)
    costs = _row(ev, "公用经费控制率")  # 三公 8.2 ÷ 19.5 = 42% < 90% → 3, 日常 not printed
    assert costs.recomputed == (3, 6)
    for name in ("固定资产利用率", "财政供养人员控制率", "预算执行率", "公众或服务对象满意度"):
        assert _row(ev, name).status == NOT_RECOMPUTABLE, name


@needs_shared
def test_seed_001_expert_panel_means_totals_and_loss_rates():
    report = extract(read(_seed("001")))
    scored = score(report)
    ev, sev = next(
        (e, s)
        for e, s in zip(report.evaluations, scored.evaluations, strict=True)
        if e.kind == "expert_panel"
    )
    panel = sev.panel
    assert panel is not None and len(panel.rows) == len(ev.indicators)
    for k, row in enumerate(panel.rows):
        scores = [x.scores[k] for x in ev.experts if x.scores[k] is not None]
        assert row.mean == pytest.approx(sum(scores) / len(scores), abs=1e-6)
    assert [e.recomputed for e in panel.experts] == [
        pytest.approx(sum(s for s in x.scores[: len(ev.indicators)] if s is not None))
        for x in ev.experts
    ]
    level1 = [g for g in panel.groups if g.level == 1]
    assert level1 and sum(g.weight for g in level1) == pytest.approx(100)
    for g in panel.groups:
        assert g.loss_rate == pytest.approx(1 - g.score / g.weight, abs=1e-6)


def test_an_amount_in_another_money_unit_than_its_target_is_converted():
    """``291200元`` spent against ``≤36万元`` met the target: full marks, not zero."""
    from jixiao.model import Evaluation, Indicator, Report

    def sheet(actual: str, printed: float) -> Report:
        ind = Indicator(
            level1="产出",
            level2="成本",
            name="“三公”经费控制额",
            target="≤36万元",
            actual=actual,
            weight=5,
            score=printed,
        )
        ev = Evaluation(kind="project_self", title="项目支出绩效自评表", indicators=[ind])
        return Report(source="t.txt", evaluations=[ev])

    met = _row(score(sheet("291200元", 5)).evaluations[0], "“三公”经费控制额")
    assert met.status == OK and met.recomputed == pytest.approx(5)
    over = _row(score(sheet("432000元", 5)).evaluations[0], "“三公”经费控制额")
    assert over.status == ABOVE and over.recomputed < 5  # 43.2万元 is over the 36万元 cap
