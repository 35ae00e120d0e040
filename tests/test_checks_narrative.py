"""Checks of the narrative, units, consistency and disclosure families.

Every check has a case it must flag and one it must not; the planted errors of the examples
are all found, in every format; correct generated reports give no warning or error; on the
seeds, the reviewer's list in ``seed_findings/narrative.yaml`` is found (recall ≥ 90 %) with at
most two error-level findings per seed outside it; the real Putuo PDFs read without a crash.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, SEEDS, SHARED, needs_shared, seed_files
from jixiao import extract, read
from jixiao.checks.registry import CHECKS, load_families, run_checks
from jixiao.document import Document, Loc, Paragraph
from jixiao.model import Finding, Report
from jixiao.synth import ALL_FORMATS, random_report, sample_reports, write_all

FAMILIES = ["narrative", "units", "consistency", "disclosure"]
PLANTED_FAMILIES = ("narrative", "units", "consistency")
SEED_LIST = Path(__file__).parent / "seed_findings" / "narrative.yaml"
PUTUO = SHARED / "corpus" / "putuo-2024"


def report(*paragraphs: str) -> Report:
    blocks = [
        Paragraph(text, Loc("t.txt", line=2 * k + 1, line_end=2 * k + 1))
        for k, text in enumerate(paragraphs)
    ]
    return extract(Document("t.txt", "text", blocks))


def found(check_id: str, *paragraphs: str) -> list[Finding]:
    return run_checks(report(*paragraphs), only=[check_id])


def one(check_id: str, *paragraphs: str) -> Finding:
    got = found(check_id, *paragraphs)
    assert len(got) == 1, [f.message for f in got]
    return got[0]


def test_every_check_of_these_families_is_registered_with_an_explanation():
    load_families()
    ids = {c for c in CHECKS if c.split(".")[0] in FAMILIES}
    assert {
        "narrative.parts_total",
        "narrative.share",
        "narrative.growth",
        "narrative.completion",
        "narrative.direction",
        "units.magnitude",
        "consistency.same_figure",
        "disclosure.missing_part",
        "disclosure.placeholder",
    } <= ids
    for check_id in ids:
        info = CHECKS[check_id]
        assert info.title and len(info.explain) > 20


# -- narrative.parts_total -------------------------------------------------------------------


def test_parts_above_their_total():
    f = one(
        "narrative.parts_total",
        "本年支出合计1000.00万元，其中：基本支出600.00万元，项目支出450.00万元。",
    )
    assert f.severity == "error"
    assert (f.reported, f.expected) == ("1000.00万元", "1050.00万元")
    assert "600.00万元" in f.message and "450.00万元" in f.message
    assert f.loc == {"file": "t.txt", "line": 1, "line_end": 1}
    assert f.evidence and f.evidence.startswith("本年支出合计")


def test_parts_that_add_up_within_rounding():
    assert not found(
        "narrative.parts_total",
        "本年支出合计1000.00万元，其中：基本支出600.00万元，项目支出400.00万元。",
        "政府采购支出总额2319.21万元，其中：货物采购金额122.43万元、工程采购金额1387.72万元、"
        "服务采购金额809.07万元。",  # 2319.22: the rounding of three parts
    )


def test_the_part_whose_share_agrees_with_the_rest_is_named():
    f = one(
        "narrative.parts_total",
        "本年支出合计1251.39万元，其中：基本支出1009.15万元，占80.6%；项目支出228.82万元，占19.4%。",
    )
    assert f.severity == "error"
    assert (f.reported, f.expected) == ("228.82万元", "242.24万元")
    assert not found(
        "narrative.share",
        "本年支出合计1251.39万元，其中：基本支出1009.15万元，占80.6%；项目支出228.82万元，占19.4%。",
    )  # the share is right; the amount is not


def test_a_known_complete_list_below_its_total():
    f = one(
        "narrative.parts_total",
        "“三公”经费决算数30.00万元，其中：因公出国（境）费0.00万元，公务用车购置及运行维护费"
        "20.00万元，公务接待费5.00万元。",
    )
    assert f.severity == "error" and f.expected == "25.00万元"


def test_a_list_that_may_leave_parts_out_is_not_flagged_for_being_short():
    assert not found(
        "narrative.parts_total",
        "2021项目总支出173万元，其中乡镇便民服务中心考核费用29.67万元；基层工作经费28万元。",
        "财政拨款支出年初预算数为1283.92万元，决算数为1251.39万元。其中：",
        "（一）一般公共服务支出年初预算数为1257.06万元，决算数为1238.77万元。",
    )


def test_changes_of_the_parts_against_the_change_of_the_total():
    text = (
        "1、一般公共服务支出（类）决算3940.82万元，比年初预算增加968.53万元。其中：",
        "“政府办公厅（室）及相关机构事务”（款）决算3940.54万元，比年初预算增加1295.90万元。",
        "“组织事务”（款）决算0.29万元，比年初预算增加0.29万元。",
    )
    f = one("narrative.parts_total", *text)
    assert f.severity == "warning" and f.reported == "增加968.53万元"
    fixed = (text[0].replace("968.53", "1296.19"), *text[1:])
    assert not found("narrative.parts_total", *fixed)


# -- narrative.share -------------------------------------------------------------------------


def test_share_that_does_not_match_its_amounts():
    f = one(
        "narrative.share",
        "本年支出合计3602.57万元，其中：基本支出2510.33万元，占70.68%；项目支出1092.24万元，占30.32%。",
    )
    assert f.severity == "error" and (f.reported, f.expected) == ("70.68%", "69.68%")
    assert not found(
        "narrative.share",
        "本年支出合计3602.57万元，其中：基本支出2510.33万元，占69.68%；项目支出1092.24万元，占30.32%。",
    )


def test_share_of_a_named_base_in_another_paragraph():
    f = one(
        "narrative.share",
        "本年支出合计9759.38万元，其中：基本支出5377.64万元，占55.10%；项目支出4381.74万元，占44.90%。",
        "一般公共预算财政拨款支出9746.50万元，占本年支出合计的98.00%。",
    )
    assert f.severity == "warning" and f.expected == "99.87%"


def test_truncated_share_is_only_a_hint_and_balanced_shares_are_fine():
    f = one(
        "narrative.share",
        "本年支出合计9759.38万元。",
        "一般公共预算财政拨款支出9746.50万元，占本年支出合计的99.86%。",
    )
    assert f.severity == "info"
    assert not found(
        "narrative.share",
        "一般公共预算财政拨款支出307.82万元，主要用于以下方面：一般公共服务支出（类）264.87万元，"
        "占86.05%；社会保障和就业支出（类）10.82万元，占3.52%；卫生健康支出（类）2.71万元，"
        "占0.88%；住房保障支出（类）29.42万元，占9.55%。",  # 9.56 nudged so the sum is 100 %
    )


# -- narrative.growth ------------------------------------------------------------------------


def test_growth_rate_against_change_over_last_year():
    f = one("narrative.growth", "本年支出合计1100.00万元，比上年增加100.00万元，增长12.00%。")
    assert f.severity == "error" and (f.reported, f.expected) == ("12.00%", "10.00%")
    assert "上年数1000.00万元" in f.message
    assert not found(
        "narrative.growth", "本年支出合计1100.00万元，比上年增加100.00万元，增长10.00%。"
    )
    assert not found(
        "narrative.growth", "本年支出合计900.00万元，比上年减少100.00万元，下降10.00%。"
    )


def test_change_against_the_two_amounts_printed():
    f = one("narrative.growth", "“三公”经费预算19.5万元，实际开支8.2万元，比预算减少12.3万元。")
    assert (f.reported, f.expected) == ("12.3万元", "11.3万元")
    assert not found(
        "narrative.growth", "“三公”经费预算19.5万元，实际开支8.2万元，比预算减少11.3万元。"
    )


def test_growth_over_nothing():
    f = one("narrative.growth", "“组织事务”（款）决算0.29万元，比年初预算增加0.29万元，增加49%。")
    assert f.severity == "warning" and f.expected == "无法计算"
    assert not found(
        "narrative.growth", "机关运行经费支出10.23万元，比2023年度增加10.23万元，增长100.00%。"
    )


def test_growth_of_both_totals_is_right_if_either_fits():
    assert not found(
        "narrative.growth",
        "2024年度收入总计1100.00万元，支出总计1110.00万元。与上年相比，收、支总计各增加100.00万元，"
        "增长10.00%。",
    )


# -- narrative.completion --------------------------------------------------------------------


def test_completion_rate():
    text = "2024年度“三公”经费年初预算数为36.00万元，决算数为29.12万元，完成预算的{}%。"
    f = one("narrative.completion", text.format("85.89"))
    assert f.severity == "error" and f.expected == "80.89%"
    assert not found("narrative.completion", text.format("80.89"))


# -- narrative.direction ---------------------------------------------------------------------


def test_stated_direction_against_the_numbers():
    text = "年初预算为1560.05万元，支出决算为1511.89万元。决算数{}预算数的主要原因：人员变化。"
    f = one("narrative.direction", text.format("大于"))
    assert f.severity == "error" and f.evidence == "决算数大于预算数的主要原因：人员变化。"
    assert not found("narrative.direction", text.format("小于"))
    assert not found("narrative.direction", text.format("大于（小于）"))
    g = one("narrative.direction", "“三公”经费预算19.5万元，实际开支8.2万元，比预算增加11.3万元。")
    assert (g.reported, g.expected) == ("增加", "减少")


# -- units.magnitude -------------------------------------------------------------------------


def test_total_in_yi_yuan_among_parts_in_wan_yuan():
    text = (
        "政府采购支出总额6401.78{}，其中：政府采购货物支出368.40万元、政府采购工程支出5620.75万元、"
        "政府采购服务支出412.63万元。授予中小企业合同金额5288.10万元，占政府采购支出总额的82.60%。"
    )
    f = one("units.magnitude", text.format("亿元"))
    assert f.severity == "error" and (f.reported, f.expected) == ("6401.78亿元", "6401.78万元")
    others = [
        x for x in run_checks(report(text.format("亿元")), only=FAMILIES) if x.check != f.check
    ]
    assert not [x for x in others if x.severity != "info"]  # one slip, one finding
    assert not found("units.magnitude", text.format("万元"))


def test_part_in_yi_yuan_with_its_share():
    f = one(
        "units.magnitude",
        "2020年整体支出24503.02万元，其中基本支出2587.21万元，占总支出10.56%，项目支出21915.81亿元，"
        "占总支出的89.44%。",
    )
    assert f.reported == "21915.81亿元" and f.expected == "21915.81万元"


def test_yuan_for_wan_yuan_with_wrong_digits_too():
    text = "2021年度支出合计3179.1元，基本支出219.75万元，其中人员经费195.70万元，公用经费24.05万元；项目专项支出2959.85万元。"
    got = run_checks(report(text), only=["units", "narrative"])
    units = [f for f in got if f.check == "units.magnitude"]
    parts = [f for f in got if f.check == "narrative.parts_total"]
    assert len(units) == 1 and units[0].severity == "warning"
    assert len(parts) == 1 and parts[0].expected == "3179.60万元" and "疑为万元" in parts[0].message


def test_zero_is_never_a_unit_slip():
    assert not found(
        "units.magnitude",
        "面向中小企业预留政府采购项目预算金额246.47万元，其中面向小微企业预留政府采购项目预算金额0万元。",
    )


# -- consistency.same_figure -----------------------------------------------------------------


def test_income_and_spending_totals_must_balance():
    text = (
        "2024年度收入总计58421.67万元，支出总计{}万元。",
        "2024年度本年支出合计56930.44万元。年末结转和结余1491.23万元。",
    )
    f = one("consistency.same_figure", text[0].format("58430.67"), text[1])
    assert f.severity == "error" and (f.reported, f.expected) == ("58430.67万元", "58421.67万元")
    assert not found("consistency.same_figure", text[0].format("58421.67"), text[1])


def test_one_amount_printed_twice():
    f = one(
        "consistency.same_figure",
        "本年支出合计4125.94万元，其中：基本支出673.06万元，项目支出3452.88万元。",
        "资金总体支出4152.94万元。",
    )
    assert f.severity == "error" and (f.reported, f.expected) == ("4152.94万元", "4125.94万元")
    assert not found(
        "consistency.same_figure",
        "本年支出合计4125.94万元，其中：基本支出673.06万元，项目支出3452.88万元。",
        "资金总体支出4125.94万元，基本支出预算数696.85万元。",  # a budget is another figure
        "一般公共预算财政拨款基本支出673.06万元。",
    )


def test_appropriated_part_above_the_whole_and_total_below_its_part():
    f = one(
        "consistency.same_figure",
        "本年支出合计1251.39万元，其中：基本支出1009.15万元，项目支出242.24万元。",
        "本部门一般公共预算财政拨款基本支出1432.32万元。",
    )
    assert f.severity == "warning" and f.reported == "1432.32万元"
    g = one(
        "consistency.same_figure",
        "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，其他收入6.2万元。",
        "2024年度财政拨款收入支出总计0.3万元。",
    )
    assert g.severity == "error" and g.reported == "0.3万元"


# -- disclosure ------------------------------------------------------------------------------

FINAL = (
    "示例局2024年度部门决算说明",
    "一、收入支出决算总体情况",
    "2024年度收入总计100.00万元，支出总计100.00万元。",
    "二、支出决算情况",
    "本年支出合计90.00万元，其中：基本支出60.00万元，项目支出30.00万元。",
    "三、“三公”经费支出情况",
    "“三公”经费决算数1.00万元。",
    "四、政府采购支出情况",
    "政府采购支出总额10.00万元。",
)


def test_missing_parts_of_a_final_accounts_narrative():
    got = found("disclosure.missing_part", *FINAL)
    assert {f.expected for f in got} == {"机关运行经费", "国有资产占用", "预算绩效"}
    assert all(f.severity == "info" for f in got)
    complete = (
        *FINAL,
        "机关运行经费支出5.00万元。",
        "截至2024年12月31日，共有车辆2辆。",
        "绩效自评项目4个，涉及金额30.00万元。",
    )
    assert not found("disclosure.missing_part", *complete)
    assert not found("disclosure.missing_part", "本项目年度资金总额30.00万元，执行率100%。")


def test_placeholders_left_in_a_filled_report():
    f = one("disclosure.placeholder", *FINAL, "机关运行经费支出XX万元。")
    assert f.severity == "warning" and f.reported == "XX万元"
    template = [
        "本年收入合计XXX万元，其中：财政拨款收入XXX万元，占XX%；事业收入XXX万元，占XX%。",
        "本年支出合计XXX万元，其中：基本支出XXX万元，占XX%；项目支出XXX万元，占XX%。",
    ]
    assert not run_checks(report(*template), only=FAMILIES)


# -- the examples: every planted error found, in every format --------------------------------

EXPECTED = sorted((EXAMPLES / "expected").glob("*.errors.yaml"))
EXAMPLE_FILES = [
    (exp, path)
    for exp in EXPECTED
    for path in sorted(EXAMPLES.glob(exp.name.removesuffix(".errors.yaml") + ".*"))
    if "".join(path.suffixes) in (".txt", ".md", ".tsv.txt", ".docx", ".xlsx", ".pdf", ".html")
]


def _number(text: str) -> str:
    return re.sub(r"[^\d.]", "", text)


def _matches(error, findings: list[Finding]) -> bool:
    family = error["check_family"] if isinstance(error, dict) else error.check_family
    printed = error["printed"] if isinstance(error, dict) else error.printed
    number = _number(printed)
    return any(
        f.check.split(".")[0] == family and (number in (f.reported or "") or number in f.message)
        for f in findings
        if f.severity in ("error", "warning")
    )


@pytest.mark.parametrize("expected,path", EXAMPLE_FILES, ids=[p.name for _, p in EXAMPLE_FILES])
def test_every_planted_error_of_these_families_is_found(expected, path):
    planted = [
        e
        for e in yaml.safe_load(expected.read_text(encoding="utf-8"))
        if e["check_family"] in PLANTED_FAMILIES
    ]
    assert planted
    findings = run_checks(extract(read(path)), only=FAMILIES)
    missed = [e["description"] for e in planted if not _matches(e, findings)]
    assert not missed, (missed, [f.message for f in findings])
    noisy = [
        f for f in findings if f.severity == "error" and not any(_matches(e, [f]) for e in planted)
    ]
    assert not noisy, [f.message for f in noisy]


def _quiet(paths: list[Path]) -> None:
    for path in paths:
        noisy = [
            f
            for f in run_checks(extract(read(path)), only=FAMILIES)
            if f.severity in ("error", "warning")
        ]
        assert not noisy, (path.name, [f.message for f in noisy])


def test_correct_samples_give_no_finding_in_any_format(tmp_path):
    for k, sample in enumerate(sample_reports(correct=True)):
        _quiet(write_all(sample, tmp_path / str(k), ALL_FORMATS))


@pytest.mark.parametrize("seed", range(3))
def test_correct_random_reports_give_no_finding_in_any_format(tmp_path, seed):
    _quiet(write_all(random_report(seed, correct=True), tmp_path, ALL_FORMATS))


def test_many_correct_random_reports_give_no_finding(tmp_path):
    for seed in range(3, 60):
        _quiet(write_all(random_report(seed, correct=True), tmp_path / str(seed), ["txt"]))


def test_errors_planted_in_random_reports_are_found(tmp_path):
    checked = 0
    for seed in range(60):
        sample = random_report(seed, correct=False)
        planted = [e for e in sample.planted if e.check_family in PLANTED_FAMILIES]
        if not planted:
            continue
        (path,) = write_all(sample, tmp_path / str(seed), ["txt"])
        findings = run_checks(extract(read(path)), only=FAMILIES)
        for error in planted:
            checked += 1
            assert _matches(error, findings), (seed, error, [f.message for f in findings])
    assert checked >= 10


# -- the seeds: the reviewer's list ------------------------------------------------------------


def _seed_of(path: Path) -> str:
    return path.name[:3]


def _line(where: str) -> int:
    m = re.match(r"L(\d+)", where)
    assert m, where
    return int(m.group(1))


def _found_entry(entry: dict, findings: list[Finding]) -> Finding | None:
    line = _line(entry["where"])
    for f in findings:
        loc = f.loc or {}
        if (
            f.check == entry["check"]
            and loc.get("line", -1) <= line <= loc.get("line_end", loc.get("line", -1))
            and _number(str(entry["printed"])) == _number(f.reported or "")
        ):
            return f
    return None


@needs_shared
def test_seed_findings_recall_and_false_alarms():
    entries = yaml.safe_load(SEED_LIST.read_text(encoding="utf-8"))
    assert entries and {e["seed"] for e in entries} <= {_seed_of(p) for p in seed_files()}
    hits = 0
    for path in seed_files():
        seed = _seed_of(path)
        mine = [e for e in entries if e["seed"] == seed]
        findings = run_checks(extract(read(path)), only=FAMILIES)
        matched = [f for e in mine if (f := _found_entry(e, findings)) is not None]
        hits += len(matched)
        outside = [f for f in findings if f.severity == "error" and f not in matched]
        print(
            f"seed {seed}: {len(matched)}/{len(mine)} listed found, "
            f"{len(outside)} error-level outside the list, {len(findings)} findings in all"
        )
        for f in findings:
            mark = "listed" if f in matched else "extra"
            print(f"   [{f.severity}] {mark} {f.check} L{(f.loc or {}).get('line')}: {f.message}")
        assert len(outside) <= 2, [f.message for f in outside]
    recall = hits / len(entries)
    print(f"recall {hits}/{len(entries)} = {recall:.0%}")
    assert recall >= 0.9


@needs_shared
def test_seed_list_is_well_formed():
    entries = yaml.safe_load(SEED_LIST.read_text(encoding="utf-8"))
    load_families()
    for e in entries:
        assert set(e) == {"seed", "check", "where", "printed", "expected", "note"}, e
        assert e["check"] in CHECKS
        _line(e["where"])
    assert SEEDS.is_dir()


# -- the Putuo 部门决算 PDFs -----------------------------------------------------------------

putuo = pytest.mark.skipif(not PUTUO.is_dir(), reason="../shared/corpus/putuo-2024 is absent")


@putuo
@pytest.mark.parametrize(
    "name,most",
    [
        ("caizhengju-2024.pdf", 2),
        ("guihua-ziyuan-2024.pdf", 0),
        ("shehui-gongzuo-2024.pdf", 0),
        ("template-blank.pdf", 0),
    ],
)
def test_putuo_reports_read_without_crash_and_few_findings(name, most):
    rep = extract(read(PUTUO / name))
    assert rep.figures
    findings = run_checks(rep, only=FAMILIES)
    for f in findings:
        print(f"   [{f.severity}] {f.check} p{(f.loc or {}).get('page')}: {f.message}")
    errors = [f for f in findings if f.severity == "error"]
    assert len(errors) <= most, [f.message for f in errors]
    if name == "template-blank.pdf":
        assert not findings  # placeholders in the blank template are nobody's error


@putuo
def test_putuo_hand_edited_copy_errors_are_found():
    findings = run_checks(extract(read(PUTUO / "caizhengju-2024-edited.pdf")), only=FAMILIES)
    got = {(f.check, f.reported) for f in findings if f.severity == "error"}
    assert ("narrative.growth", "1.87%") in got  # 收入支出总计 0 万元, 减少56.95, 下降1.87%
    assert ("consistency.same_figure", "0万元") in got
    direction = [f for f in findings if f.check == "narrative.direction"]
    assert {f.reported for f in direction} == {"决算数大于预算数", "决算数等于预算数"}
    assert len(direction) == 3
