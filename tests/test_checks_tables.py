"""The table-level check families: funds, scores, rubric, quality.

Every check has a hand-made table it must flag and one it must leave alone; the planted
errors of the examples are found in every format; correct generated documents give nothing
above info; on the seeds, the list a reviewer made with a calculator is found
(``tests/seed_findings/tables.yaml``) with at most two error-level findings beyond it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, SEEDS, needs_shared, seed_files
from jixiao import extract, read
from jixiao.checks.registry import CHECKS, load_families, run_checks
from jixiao.model import Evaluation, Expert, FundRow, Indicator, Report
from jixiao.synth import expected_report, random_report, sample_reports, write_all

FAMILIES = ["funds", "scores", "rubric", "quality"]
SEED_LIST = Path(__file__).parent / "seed_findings" / "tables.yaml"

load_families()


# --- hand-made tables ---------------------------------------------------------------------------


def _fund(source, initial, annual, executed, rate, weight=None, score=None) -> FundRow:
    """A funds row from its printed texts (rates without the % sign)."""
    texts = dict(
        initial_budget=initial,
        annual_budget=annual,
        executed=executed,
        rate=rate,
        weight=weight,
        score=score,
    )
    texts = {k: v for k, v in texts.items() if v is not None}
    shown = {k: f"{v}%" if k == "rate" else v for k, v in texts.items()}
    return FundRow(source=source, printed=shown, **{k: float(v) for k, v in texts.items()})


def _ind(level1, level2, name, target, actual, weight, score, note=None, **extra) -> Indicator:
    shown = {"weight": str(weight), "score": str(score)}
    return Indicator(
        level1=level1,
        level2=level2,
        name=name,
        target=target,
        actual=actual,
        weight=float(weight),
        score=float(score),
        note=note,
        printed=shown,
        **extra,
    )


def self_eval(**changes) -> Report:
    """A correct 项目支出绩效自评表 (万元): every identity holds."""
    funds = [
        _fund("total", "100.00", "120.00", "108.00", "90.00", weight="10", score="9"),
        _fund("fiscal", "100.00", "100.00", "90.00", "90.00"),
        _fund("carryover", "0.00", "20.00", "18.00", "90.00"),
        FundRow(source="other"),
    ]
    inds = [
        _ind("产出指标", "数量指标", "完成培训人次", "≥1000人次", "1200人次", 30, 30),
        _ind("产出指标", "质量指标", "培训合格率", "100%", "100%", 20, 20),
        _ind("效益指标", "社会效益指标", "政策知晓率", "≥90%", "85%", 30, "28.33", "宣传不足"),
        _ind("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", 10, 10),
    ]
    for ind, weight in zip(inds, (50, 50, 30, 10), strict=True):
        ind.level1_weight = weight
    ev = Evaluation(
        kind="project_self",
        title="项目支出绩效自评表",
        subject="测试培训项目",
        money_unit="万元",
        funds=funds,
        indicators=inds,
        total_weight=100.0,
        total_score=97.33,
    )
    for key, value in changes.items():
        setattr(ev, key, value)
    return Report(source="test.txt", evaluations=[ev])


def _restating_rate(actual: str) -> Report:
    """``self_eval`` with an indicator restating the block's 执行率 (90.00%)."""
    report = self_eval()
    ind = _ind("产出指标", "时效指标", "预算执行率", "≥90%", actual, 0, 0)
    report.evaluations[0].indicators.append(ind)
    return report


def panel(**changes) -> Report:
    """A correct 专家评分汇总表: 3 experts, 2 rows."""
    inds = [
        _ind("决策", "项目立项", "立项依据充分性", None, None, 10, "8.67"),
        _ind("产出", "产出质量", "质量达标率", None, None, 90, "80"),
    ]
    experts = [
        Expert(name="甲", scores=[9, 80], total=89),
        Expert(name="乙", scores=[8, 85], total=93),
        Expert(name="丙", scores=[9, 75], total=84),
    ]
    ev = Evaluation(
        kind="expert_panel",
        title="专家评分汇总表",
        subject="测试项目",
        indicators=inds,
        experts=experts,
        row_sums=[26, 240],
        total_weight=100.0,
        total_score=88.67,
        grade="良好",
    )
    for key, value in changes.items():
        setattr(ev, key, value)
    return Report(source="panel.txt", evaluations=[ev])


def _edit(report: Report, fn) -> Report:
    fn(report.evaluations[0])
    return report


def _set_fund(row: int, **values):
    def fn(ev: Evaluation) -> None:
        f = ev.funds[row]
        for key, value in values.items():
            setattr(f, key, float(value))
            f.printed[key] = f"{value}%" if key == "rate" else str(value)

    return fn


def _set_ind(row: int, **values):
    def fn(ev: Evaluation) -> None:
        ind = ev.indicators[row]
        for key, value in values.items():
            setattr(ind, key, value)
            if key in ("weight", "score"):
                setattr(ind, key, float(value))
                ind.printed[key] = str(value)

    return fn


def _findings(report: Report, check_id: str):
    return [f for f in run_checks(report, only=[check_id]) if f.check == check_id]


def _experts(*rows):
    def fn(ev: Evaluation) -> None:
        for expert, scores in zip(ev.experts, rows, strict=True):
            expert.scores = list(scores)

    return fn


def _all_notes(note: str):
    def fn(ev: Evaluation) -> None:
        for ind in ev.indicators:
            ind.note = note

    return fn


CASES = {
    # check id: (report it must flag, report it must leave alone)
    "funds.rate_mismatch": (_edit(self_eval(), _set_fund(0, rate="92.00")), self_eval()),
    "funds.score_mismatch": (
        _edit(self_eval(), _set_fund(0, score="10")),
        _edit(self_eval(), _set_fund(0, score="9.0")),
    ),
    "funds.parts_total": (
        _edit(self_eval(), _set_fund(1, executed="80.00", rate="80.00")),
        self_eval(),
    ),
    "funds.executed_over_budget": (
        _edit(self_eval(), _set_fund(2, executed="22.00", rate="110.00")),
        _edit(self_eval(), _set_fund(2, executed="20.00", rate="100.00")),
    ),
    "funds.unit_slip": (
        # the fiscal execution typed in 元: 900,000.00 rather than 90.00 (万元)
        _edit(self_eval(), _set_fund(1, executed="900000.00")),
        _edit(self_eval(), _set_fund(1, executed="80.00", rate="80.00")),
    ),
    "scores.over_weight": (
        _edit(self_eval(), _set_ind(0, score="32")),
        _edit(self_eval(), _set_ind(0, score="30.0")),
    ),
    "scores.total_mismatch": (self_eval(total_score=99.0), self_eval(total_score=97.3)),
    "scores.weights_total": (self_eval(total_weight=90.0), self_eval()),
    "scores.level_weight": (
        _edit(self_eval(), _set_ind(0, level1_weight=55.0)),
        self_eval(),
    ),
    "scores.grade_mismatch": (self_eval(grade="良"), self_eval(grade="优秀")),
    "scores.expert_mean": (_edit(panel(), _set_ind(0, score="8.5")), panel()),
    "scores.expert_total": (
        _edit(panel(), lambda ev: setattr(ev.experts[1], "total", 95.0)),
        panel(),
    ),
    "scores.row_sum": (panel(row_sums=[27, 240]), panel()),
    "rubric.above_rule": (
        # 85% of a ≥90% target: the ratio rule gives 28.33 of 30, not full marks
        _edit(self_eval(total_score=99.0), _set_ind(2, score="30")),
        self_eval(),
    ),
    "rubric.below_rule": (
        _edit(self_eval(total_score=92.33), _set_ind(1, score="15")),
        _edit(self_eval(total_score=92.33), _set_ind(1, score="15", note="部分学员补考后合格")),
    ),
    "quality.full_marks_with_deviation": (
        # 85% of a ≥90% target scored full marks, and the note explains the shortfall
        _edit(self_eval(), _set_ind(3, actual="85%", note="部分群众反映等候时间较长，将优化流程")),
        _edit(self_eval(), _set_ind(3, actual="85%", note="无偏差")),
    ),
    "quality.over_achievement_unexplained": (
        _edit(self_eval(), _set_ind(0, actual="1500人次")),
        _edit(self_eval(), _set_ind(0, actual="1500人次", note="年中追加培训任务")),
    ),
    "quality.float_artifact": (
        _edit(self_eval(), lambda ev: ev.funds[0].printed.update(score="9.0000000000000002")),
        self_eval(),
    ),
    "quality.empty_grid": (self_eval(indicators=[]), self_eval()),
    "funds.indicator_rate": (_restating_rate("85.00%"), _restating_rate("90%")),
    "quality.unmeasurable_target": (
        _edit(self_eval(), _set_ind(1, target="达到预期", actual="达到预期")),
        self_eval(),
    ),
}


def test_a_restated_rate_is_compared_only_when_it_is_the_rate_itself() -> None:
    # bounds and words are targets, not the rate; 90.0% is the block's 90.00% to fewer digits
    for actual in ("≥85%", "约85%", "基本完成", "90.0%"):
        assert not _findings(_restating_rate(actual), "funds.indicator_rate"), actual
    # a block that contradicts itself is funds.rate_mismatch's finding, not a second one
    broken = _restating_rate("85%")
    broken.evaluations[0].funds[0] = _fund("total", "100.00", "120.00", "108.00", "95.00")
    assert not _findings(broken, "funds.indicator_rate")
    assert _findings(broken, "funds.rate_mismatch")


def test_every_table_check_is_registered_and_has_a_case() -> None:
    modules = {f"jixiao.checks.{family}" for family in FAMILIES}
    ours = {cid for cid, info in CHECKS.items() if info.fn.__module__ in modules}
    assert ours == set(CASES)
    for cid in ours:
        info = CHECKS[cid]
        assert info.severity in ("error", "warning", "info")
        assert re.search(r"[\u4e00-\u9fff]", info.title + info.explain), cid
    print(f"\n{len(ours)} table checks: " + ", ".join(f"{c}({CHECKS[c].severity})" for c in ours))


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_check_flags_the_bad_table_and_not_the_good_one(check_id: str) -> None:
    bad, good = CASES[check_id]
    found = _findings(bad, check_id)
    assert found, f"{check_id} missed its case"
    rank = {"error": 0, "warning": 1, "info": 2}
    for f in found:
        assert rank[f.severity] >= rank[CHECKS[check_id].severity]  # never above its level
        assert f.message and f.evaluation == 0
    assert not _findings(good, check_id), [f.message for f in _findings(good, check_id)]


def test_the_hand_made_tables_are_otherwise_clean() -> None:
    for report in (self_eval(), panel()):
        found = [f for f in run_checks(report, only=FAMILIES) if f.severity != "info"]
        assert not found, [f.message for f in found]


def test_a_message_names_both_numbers() -> None:
    (f,) = _findings(_edit(self_eval(), _set_fund(0, rate="92.00")), "funds.rate_mismatch")
    assert "92.00%" in f.message and "90.00%" in f.message
    assert (f.reported, f.expected) == ("92.00%", "90.00%")


def test_a_unit_slip_is_reported_once_not_as_arithmetic() -> None:
    report = _edit(self_eval(), _set_fund(1, executed="900000.00"))
    found = run_checks(report, only=["funds"])
    assert [f.check for f in found] == ["funds.unit_slip"]
    assert found[0].expected == "90.00"


def test_an_uncertain_extraction_is_at_most_a_warning_and_says_so() -> None:
    report = _edit(self_eval(total_score=99.0), _set_fund(0, rate="92.00"))
    report.evaluations[0].uncertain = True
    found = run_checks(report, only=FAMILIES)
    assert {f.check for f in found} >= {"funds.rate_mismatch", "scores.total_mismatch"}
    for f in found:
        assert f.severity != "error" and "提取不确定" in f.message


def test_fused_cells_and_lost_rows_blame_the_extraction() -> None:
    glued = _edit(self_eval(), _set_ind(3, score="1010"))  # '10' and '10' glued together
    (f,) = _findings(glued, "scores.over_weight")
    assert f.severity == "warning" and "粘连" in f.message
    lost = self_eval()
    lost.evaluations[0].indicators.pop(1)  # a row of 20 points, scored 20, gone
    found = run_checks(lost, only=["scores"])
    assert {f.check for f in found} >= {"scores.total_mismatch", "scores.weights_total"}
    assert all(f.severity == "warning" and "未能提取" in f.message for f in found)


def test_merged_weight_cells_are_not_read_as_missing_points() -> None:
    # 经济/社会/生态效益 share one merged 分值 cell of 15: only the first row carries it
    report = self_eval()
    ev = report.evaluations[0]
    ev.indicators[2].weight = 15.0
    ev.indicators[2].score = 13.33
    ev.indicators[2].printed.update(weight="15", score="13.33")
    extra = _ind("效益指标", "生态效益指标", "节能率", "≥5%", "6%", 15, 15)
    extra.weight, extra.printed = None, {"score": "15"}
    ev.indicators.insert(3, extra)
    assert not [f for f in run_checks(report, only=["scores"]) if f.severity != "info"]


# --- the examples ---------------------------------------------------------------------------------

EXAMPLE_FILES = [
    p for suffix in (".txt", ".docx", ".pdf") for p in sorted(EXAMPLES.glob(f"shiyan-*{suffix}"))
]
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _number(text: str | None) -> float | None:
    m = _NUMBER.search((text or "").replace(",", ""))
    return float(m.group()) if m else None


def _table_of(where: str) -> int:
    return int(re.match(r"evaluations\[(\d+)\]", where).group(1))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_planted_table_errors_of_the_examples_are_found(path: Path) -> None:
    stem = path.name.split(".")[0]
    planted = yaml.safe_load((EXAMPLES / "expected" / f"{stem}.errors.yaml").read_text("utf-8"))
    planted = [p for p in planted if p["check_family"] in ("funds", "scores", "rubric")]
    assert planted
    found = run_checks(extract(read(path)), only=FAMILIES)
    for p in planted:
        t = _table_of(p["where"])
        hits = [
            f
            for f in found
            if f.evaluation == t
            and f.check.startswith(p["check_family"] + ".")
            and _number(f.reported) == _number(p["printed"])
            and _number(f.expected) == _number(p["correct"])
        ]
        assert hits, f"{path.name}: missed {p['where']} ({p['description']})"
    planted_at = {(_table_of(p["where"]), _number(p["printed"])) for p in planted}
    stray = [
        f.message
        for f in found
        if f.severity == "error" and (f.evaluation, _number(f.reported)) not in planted_at
    ]
    assert not stray, stray


@pytest.mark.parametrize("seed", range(0, 40, 4))
def test_planted_table_errors_of_random_reports_are_found(seed: int, tmp_path: Path) -> None:
    report = random_report(seed, correct=False)
    write_all(report, tmp_path, ["txt"])
    got = extract(read(tmp_path / f"{report.stem}.txt"))
    truth = expected_report(report)["evaluations"]
    found = run_checks(got, only=FAMILIES)
    for p in report.planted:
        t = _table_of(p.where) if p.where.startswith("evaluations") else None
        if t is None or p.check_family not in FAMILIES:
            continue
        if _numbers({"evaluations": [got.to_json()["evaluations"][t]]}) != _numbers(
            {"evaluations": [truth[t]]}
        ):
            continue  # misread by the extractor: not the checks' business
        assert any(
            f.evaluation == t
            and f.check.startswith(p.check_family + ".")
            and _number(f.reported) == _number(p.printed)
            for f in found
        ), f"missed {p.where}: {p.description}"


# --- correct generated documents ------------------------------------------------------------------

_FUND_KEYS = ("initial_budget", "annual_budget", "executed", "weight", "rate", "score")


def _numbers(report_json: dict) -> list:
    """What the table checks read, as far as the interchange JSON (the truth) records it."""
    out = []
    for ev in report_json["evaluations"]:
        out.append((ev["kind"], ev.get("total_weight"), ev.get("total_score")))
        out += [tuple(f.get(k) for k in _FUND_KEYS) for f in ev["funds"]]
        out += [
            (i["level1"], i["level2"], i["name"], i.get("weight"), i.get("score"))
            for i in ev["indicators"]
        ]
        out += [(e["name"], tuple(e["scores"]), e.get("total")) for e in ev.get("experts", [])]
    return out


SAMPLES = [("sample", i) for i in range(3)]
CORRECT = {  # writing DOCX is slow (python-docx), so fewer documents there
    "txt": SAMPLES + [("random", s) for s in range(16)],
    "docx": SAMPLES + [("random", s) for s in (7, 8)],
}


@pytest.mark.parametrize("fmt", sorted(CORRECT))
def test_correct_generated_documents_give_nothing_above_info(fmt: str, tmp_path: Path) -> None:
    samples = sample_reports(correct=True)
    checked, skipped = 0, []
    for source, n in CORRECT[fmt]:
        report = samples[n] if source == "sample" else random_report(n, correct=True)
        write_all(report, tmp_path, [fmt])
        got = extract(read(tmp_path / f"{report.stem}.{fmt}"))
        if _numbers(got.to_json()) != _numbers(expected_report(report)):
            # the extractor misread the table (its own tests cover that): what the checks
            # then say is about the misreading, not a false alarm of theirs
            skipped.append(report.stem)
            continue
        checked += 1
        found = [f for f in run_checks(got, only=FAMILIES) if f.severity != "info"]
        assert not found, [f"{f.check}: {f.message}" for f in found]
    print(f"\n{fmt}: {checked} correct documents checked; misread by the extractor: {skipped}")
    assert checked >= 3


# --- the seeds ----------------------------------------------------------------------------------


def _table_at(report: Report, line: int) -> int | None:
    """The table a source line belongs to: the last one starting at or before it."""
    starts = [(ev.loc or {}).get("line") or 0 for ev in report.evaluations]
    before = [k for k, start in enumerate(starts) if start <= line]
    return before[-1] if before else None


def _matches(entry: dict, finding, report: Report) -> bool:
    return (
        finding.check == entry["check"]
        and _number(finding.reported) == _number(entry["printed"])
        and finding.evaluation == _table_at(report, int(entry["line"]))
    )


@needs_shared
def test_seed_inconsistencies_are_found_with_few_false_alarms() -> None:
    listed = yaml.safe_load(SEED_LIST.read_text("utf-8"))
    assert listed and all(
        {"seed", "check", "where", "printed", "expected"} <= set(e) for e in listed
    )
    found_total = 0
    for path in seed_files():
        seed = path.name[:3]
        report = extract(read(path))
        found = run_checks(report, only=FAMILIES)
        entries = [e for e in listed if str(e["seed"]).zfill(3) == seed]
        hit = [e for e in entries if any(_matches(e, f, report) for f in found)]
        extra = [
            f
            for f in found
            if f.severity == "error" and not any(_matches(e, f, report) for e in entries)
        ]
        found_total += len(hit)
        print(
            f"\nseed {seed}: found {len(hit)}/{len(entries)} listed;"
            f" error-level findings not listed: {len(extra)}"
        )
        for f in extra:
            print(f"   not listed: {f.check} {f.message}")
        for e in entries:
            if e not in hit:
                print(f"   missed: {e['check']} {e['where']}")
        assert len(extra) <= 2, [f.message for f in extra]
    recall = found_total / len(listed)
    print(f"seed recall {found_total}/{len(listed)} = {recall:.0%}")
    assert recall >= 0.9
    assert {str(e["seed"]).zfill(3) for e in listed} <= {p.name[:3] for p in SEEDS.glob("*.txt")}
