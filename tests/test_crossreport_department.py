"""Across one report: the 部门整体 sheet's “三公”经费 and 预算执行率 against the 决算."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, SEEDS, SHARED, seed_files
from jixiao import extract, read
from jixiao.checks import run_checks
from jixiao.checks.crossreport_department import AMOUNT_CHECK, EXECUTION_CHECK, RATE_CHECK
from jixiao.checks.runner import check_document
from jixiao.model import Evaluation, FundRow, Indicator, Report
from jixiao.synth import random_report
from jixiao.synth.writers import write_txt

CHECKS = [AMOUNT_CHECK, RATE_CHECK, EXECUTION_CHECK]
# the 说明's sentences the statement tests start from
EXECUTION_LINE = "2024年度全年预算数58000.00万元，实际支出56930.44万元，预算执行率98.16%。"
THREE_PUBLIC_LINE = "2024年度“三公”经费预算数为36.00万元，决算数为29.12万元，完成预算的80.89%。"

# -- a 部门决算 (tables and 说明) with a 部门整体 sheet added -------------------------------------
#
# examples/juesuan-5.docx: 财政拨款“三公”经费支出决算表 (万元) 合计 预算数 33.94, 决算数 5.39
# (因公出国（境）费 4.78 / 1.22, 公务接待费 0.39 / 0.18), and its 说明: “三公”经费财政拨款支出
# 年初预算为33.94万元，支出决算为5.39万元，完成预算的15.88%.


@pytest.fixture(scope="module")
def accounts_report() -> Report:
    report = extract(read(EXAMPLES / "juesuan-5.docx"))
    assert report.year == 2024 and report.accounts is not None
    return report


def _row(name: str, actual: str | None, target: str | None = None, **extra) -> Indicator:
    at = {"file": "sheet.txt", "line": 40, "line_end": 40, "table": 9, "row": 5}
    return Indicator(
        level1="产出指标",
        level2="成本指标",
        name=name,
        target=target,
        actual=actual,
        weight=5,
        score=5,
        loc=at,
        cells={"actual": {**at, "col": 4}},
        **extra,
    )


def _sheet(*rows: Indicator, **fields) -> Evaluation:
    values = {"kind": "department_self", "title": "部门整体支出绩效自评表", **fields}
    return Evaluation(indicators=list(rows), loc={"file": "sheet.txt", "table": 9}, **values)


def _with(report: Report, *sheets: Evaluation) -> Report:
    out = report.model_copy(deep=True)
    out.evaluations = list(sheets)
    return out


def _found(report: Report, only: list[str] | None = None):
    return run_checks(report, only=only or CHECKS)


# -- “三公”经费 amounts -------------------------------------------------------------------------


def test_a_three_public_amount_the_accounts_contradict_is_flagged(accounts_report):
    sheet = _sheet(_row("“三公”经费支出", "6.39万元", "≤33.94万元"))
    (f,) = _found(_with(accounts_report, sheet))
    assert f.check == AMOUNT_CHECK and f.severity == "warning"
    assert "6.39万元" in f.message and "5.39万元" in f.message
    assert "财政拨款“三公”经费支出决算表" in f.message and "说明" in f.message
    assert f.reported == "6.39万元" and f.expected == "5.39万元"
    assert f.loc["col"] == 4 and f.evaluation == 0
    assert {r["file"] for r in f.related} == {"juesuan-5.docx"}
    assert any(r.get("table") is not None for r in f.related)  # the table cell
    assert any(r.get("table") is None for r in f.related)  # the 说明 line
    assert "自评表：“三公”经费支出 实际完成值 6.39万元" in f.evidence
    assert "支出决算为5.39万元" in f.evidence


def test_an_item_of_the_three_public_costs_is_compared_with_its_line(accounts_report):
    sheet = _sheet(
        _row("公务接待费", "0.28万元"),
        _row("因公出国（境）费支出", "1.22万元"),
        _row("公务用车运行维护费", "3.99万元"),
    )
    (f,) = _found(_with(accounts_report, sheet))
    assert f.check == AMOUNT_CHECK and "公务接待费决算数为0.18万元" in f.message


def test_a_unit_slip_is_named(accounts_report):
    (f,) = _found(_with(accounts_report, _sheet(_row("三公经费决算数", "5.39元"))))
    assert "疑为金额单位错误" in f.message


@pytest.mark.parametrize(
    "actual, target",
    [
        ("5.39万元", "≤33.94万元"),
        ("53900元", None),
        ("53,900.00元", None),
        ("5.4万元", None),  # printed to one decimal: 5.35 … 5.45
        ("5.39", "≤33.94万元"),  # the target's unit
        ("实际支出5.39万元", None),
    ],
)
def test_an_agreeing_amount_is_not_flagged(accounts_report, actual, target):
    assert _found(_with(accounts_report, _sheet(_row("“三公”经费支出", actual, target)))) == []


@pytest.mark.parametrize(
    "name, actual",
    [
        ("“三公”经费预算数", "40.00万元"),  # the budget, not the spending
        ("“三公”经费较上年压减", "1.00万元"),
        ("“三公”经费变动率", "-20%"),
        ("公务接待批次", "3批次"),
        ("“三公”经费支出", "≤33.94万元"),  # the target copied
        ("“三公”经费支出", "约6万元"),
        ("“三公”经费支出", "6.39万元，较上年下降3%"),
        ("“三公”经费支出", "未超预算"),
        ("“三公”经费支出", "6.39"),  # no unit anywhere
        ("公务用车费用", "9.00万元"),  # 购置, 运行 or both?
        ("机关运行经费", "120.00万元"),
    ],
)
def test_an_indicator_of_another_meaning_or_an_unplain_value_is_left_alone(
    accounts_report, name, actual
):
    assert _found(_with(accounts_report, _sheet(_row(name, actual)))) == []


def test_sources_that_disagree_among_themselves_make_it_silent(accounts_report):
    report = _with(accounts_report, _sheet(_row("“三公”经费支出", "6.39万元")))
    three = report.accounts.table("three_public")
    three.rows[0].values["total.final"] = 7.0  # the table against its 说明: accounts reports it
    three.rows[0].printed["total.final"] = "7.00"
    assert _found(report) == []


def test_only_a_sheet_about_the_department_as_a_whole_is_read(accounts_report):
    project = _sheet(
        _row("“三公”经费支出", "6.39万元"), kind="project_self", title="项目支出绩效自评表"
    )
    review = _sheet(_row("“三公”经费支出", "6.39万元"), kind="project_review", title="项目评分表")
    ocr = _sheet(_row("“三公”经费支出", "6.39万元"), uncertain=True)
    for sheet in (project, review, ocr):
        assert _found(_with(accounts_report, sheet)) == []


def test_sheets_of_several_units_are_left_alone(accounts_report):
    a = _sheet(_row("“三公”经费支出", "6.39万元"), subject="南屿市东湖区城市管理局")
    b = _sheet(_row("“三公”经费支出", "2.00万元"), subject="南屿市东湖区环境卫生服务中心")
    assert len(_found(_with(accounts_report, a))) == 1
    assert _found(_with(accounts_report, a, b)) == []


def test_a_template_or_another_years_accounts_are_not_sources(accounts_report):
    sheet = _sheet(_row("公务接待费", "0.28万元"))
    report = _with(accounts_report, sheet)
    report.figures = []  # the table alone
    assert len(_found(report)) == 1
    report.accounts.year = 2023
    assert _found(report) == []
    report.accounts.year, report.accounts.is_template = 2024, True
    assert _found(report) == []


# -- “三公”经费控制率 -------------------------------------------------------------------------


def test_a_control_rate_off_the_accounts_is_flagged(accounts_report):
    (f,) = _found(_with(accounts_report, _sheet(_row("“三公”经费控制率", "18.88%", "≤100%"))))
    assert f.check == RATE_CHECK and f.severity == "warning"
    assert "18.88%" in f.message and "15.88%" in f.message
    assert "合计决算数5.39万元÷合计预算数33.94万元" in f.message
    assert f.reported == "18.88%" and f.expected == "15.88%"


@pytest.mark.parametrize(
    "name, actual",
    [
        ("“三公”经费控制率", "15.88%"),
        ("“三公”经费控制率", "15.9%"),
        ("三公经费预算执行率", "16%"),
        ("“三公”经费控制率", "84.12%"),  # 100% − 15.88%: a 节约率 by another name
        ("“三公”经费控制率", "0.16"),  # a ratio or a percentage?
        ("公务接待费控制率", "46.15%"),  # 0.18 ÷ 0.39
        ("“三公”经费变动率", "-12%"),
    ],
)
def test_an_agreeing_or_unclear_control_rate_is_not_flagged(accounts_report, name, actual):
    assert _found(_with(accounts_report, _sheet(_row(name, actual, "≤100%")))) == []


def test_a_rate_whose_criteria_speak_of_last_year_is_left_alone(accounts_report):
    row = _row("“三公”经费控制率", "90%", criteria="本年决算数÷上年决算数，不超过100%得满分")
    assert _found(_with(accounts_report, _sheet(row))) == []
    row = _row("“三公”经费控制率", "90%", target="不高于上年")
    assert _found(_with(accounts_report, _sheet(row))) == []


def test_a_truncated_rate_is_only_a_note(accounts_report):
    # 5.39 ÷ 33.94 = 15.86…15.90 %: 15.8% misses by less than one unit of its last digit
    (f,) = _found(_with(accounts_report, _sheet(_row("“三公”经费控制率", "15.8%"))))
    assert f.severity == "info"


# -- a report read from text: the 说明 of a 部门整体 self-evaluation report ----------------------

REPORT = """# 示例市临江区教育局2024年度部门整体支出绩效自评报告

## 一、部门决算情况

2024年度本年支出合计56930.44万元，其中：基本支出41176.85万元，占72.33%；项目支出15753.59万元，占27.67%。

2024年度全年预算数58000.00万元，实际支出56930.44万元，预算执行率98.16%。

2024年度“三公”经费预算数为36.00万元，决算数为29.12万元，完成预算的80.89%。其中：因公出国（境）费0.00万元；公务用车购置及运行维护费22.74万元；公务接待费6.38万元。

## 二、部门整体支出绩效自评表

部门整体支出绩效自评表

（2024年度）

| 部门名称 | 示例市临江区教育局 | | | | | | |
|---|---|---|---|---|---|---|---|
| 年度预算（万元） | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
| 年度资金总额 | | 52000.00 | 58000.00 | 56930.44 | 10 | 98.16% | 9.8 |
| 其中：财政拨款 | | 50000.00 | 56000.00 | 55000.00 | | 98.21% | |
| 上年结转资金 | | 2000.00 | 2000.00 | 1930.44 | | 96.52% | |
| 年度总体目标 | 预期目标 | | | 实际完成情况 | | | |
| | 保障全区教育事业发展 | | | 已完成 | | | |
| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
| 产出指标 | 数量指标 | 新增学位数 | ≥2000个 | 2160个 | 20 | 20 | |
| 产出指标 | 质量指标 | 预算执行率 | ≥95% | 98.16% | 10 | 10 | |
| 产出指标 | 成本指标 | “三公”经费支出 | ≤36万元 | 29.12万元 | 10 | 10 | |
| 产出指标 | 成本指标 | “三公”经费控制率 | ≤100% | 80.89% | 10 | 10 | |
| 效益指标 | 社会效益指标 | 义务教育巩固率 | ≥99% | 99.6% | 20 | 20 | |
| 满意度指标 | 服务对象满意度指标 | 家长满意度 | ≥90% | 93% | 20 | 20 | |
| 总分 | | | | | 100 | 99.8 | |
"""


def _report(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = REPORT
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_correct_department_report_is_clean(tmp_path):
    result = check_document(_report(tmp_path))
    assert result.findings == [], [f.message for f in result.findings]


def test_a_department_self_evaluation_table_is_not_a_project(tmp_path):
    # its 全年执行数 (56930.44) is the whole budget's, far above the 项目支出 15753.59
    path = _report(tmp_path)
    report = extract(read(path))
    assert report.evaluations[0].title == "部门整体支出绩效自评表"
    assert report.evaluations[0].subject == "示例市临江区教育局"  # the department itself
    assert run_checks(report, only=["consistency.projects_vs_accounts"]) == []


def test_amount_and_rate_off_the_statement_are_flagged_in_a_text_report(tmp_path):
    path = _report(tmp_path, ("| 29.12万元 |", "| 25.00万元 |"), ("| 80.89% |", "| 70.00% |"))
    found = check_document(path, only=CHECKS).findings
    assert [f.check for f in found] == [AMOUNT_CHECK, RATE_CHECK]
    amount, rate = found
    assert "25.00万元" in amount.message and "说明中的“三公”经费决算数为29.12万元" in amount.message
    assert amount.loc["line"] == 28 and amount.related[0]["line"] == 9
    assert "70.00%" in rate.message and "80.89%" in rate.message


def test_a_sheet_execution_rate_off_the_statement_is_flagged(tmp_path):
    path = _report(tmp_path, ("| ≥95% | 98.16% |", "| ≥95% | 96.50% |"))
    (f,) = check_document(path, only=CHECKS).findings
    assert f.check == EXECUTION_CHECK and f.severity == "warning"
    assert "「预算执行率」实际完成值印为96.50%" in f.message
    assert "说明中的预算执行率为98.16%" in f.message
    assert f.loc["line"] == 27 and f.related == [{"file": "report.md", "line": 7, "line_end": 7}]


def test_the_funds_block_rate_is_compared_too(tmp_path):
    path = _report(tmp_path, ("| 10 | 98.16% | 9.8 |", "| 10 | 97.16% | 9.7 |"))
    found = check_document(path, only=CHECKS).findings
    assert [f.check for f in found] == [EXECUTION_CHECK]
    assert "年度资金总额执行率印为97.16%" in found[0].message


@pytest.mark.parametrize(
    "sentence",
    [
        # another budget, another period, another year: the meaning is not the sheet's
        "2024年度项目支出预算执行率96.50%。",
        "截至2024年9月底，预算执行率为96.50%。",
        "2024年度财政拨款预算执行率96.50%。",
        "2023年度预算执行率为96.50%。",
        "校园安全设施改造提升项目预算执行率96.50%。",
        "2024年度预算执行率达到95%以上。",  # a bound, not the rate
    ],
)
def test_execution_rates_of_something_else_are_not_compared(tmp_path, sentence):
    path = _report(tmp_path, (EXECUTION_LINE, sentence))
    assert check_document(path, only=CHECKS).findings == []


@pytest.mark.parametrize(
    "sentence",
    [
        "2024年度部门预算执行率为96.50%。",
        "示例市临江区教育局2024年度预算执行率为96.50%。",
        "2024年度全年预算数58000.00万元，实际支出55970.00万元，预算执行率96.50%。",
    ],
)
def test_the_departments_execution_rate_is_read_from_the_statement(tmp_path, sentence):
    path = _report(tmp_path, (EXECUTION_LINE, sentence))
    found = check_document(path, only=CHECKS).findings
    assert [f.check for f in found] == [EXECUTION_CHECK, EXECUTION_CHECK]  # indicator, funds
    assert all("说明中的预算执行率为96.50%" in f.message for f in found)


@pytest.fixture(scope="module")
def statement_figures(tmp_path_factory) -> list:
    """The figures of the text report's 说明 (预算执行率98.16%, “三公”经费 36.00 / 29.12)."""
    path = tmp_path_factory.mktemp("statement") / "report.md"
    path.write_text(REPORT, encoding="utf-8")
    return extract(read(path)).figures


def test_a_quarterly_execution_indicator_is_not_compared(accounts_report, statement_figures):
    criteria = "一季度预算执行率得分=(一季度部门预算支出进度/序时进度25%)×1分"
    report = _with(accounts_report, _sheet(_row("预算执行率", "90%", criteria=criteria)))
    report.figures = statement_figures
    assert _found(report) == []
    report.evaluations[0].indicators[0].criteria = None
    assert [f.check for f in _found(report)] == [EXECUTION_CHECK]


@pytest.mark.parametrize(
    "sentence",
    [
        "2024年度“三公”经费控制在36万元以内。",
        "2024年度“三公”经费决算数约30万元。",
        "2025年度“三公”经费预算数为30.00万元，决算数为20.00万元。",
    ],
)
def test_bounds_estimates_and_other_years_are_not_the_accounts(tmp_path, sentence):
    path = _report(tmp_path, (THREE_PUBLIC_LINE, sentence))
    assert check_document(path, only=CHECKS).findings == []


def test_last_years_three_public_costs_are_not_this_years(tmp_path):
    old = THREE_PUBLIC_LINE
    new = "2023年度“三公”经费预算数为40.00万元，决算数为35.00万元，完成预算的87.50%。"
    path = _report(tmp_path, (old, new))
    assert check_document(path, only=CHECKS).findings == []


def test_department_funds_rows_use_the_sheet_rate(accounts_report, statement_figures):
    # a 部门整体 sheet read with its 项目资金 block (kind project_self, title 部门整体…)
    funds = [FundRow(source="total", annual_budget=100, executed=90, rate=90.0, printed={})]
    sheet = _sheet(kind="project_self", funds=funds, money_unit="万元")
    report = _with(accounts_report, sheet)
    report.figures = statement_figures  # 预算执行率98.16%
    (f,) = _found(report)
    assert f.check == EXECUTION_CHECK and "年度资金总额执行率印为90%" in f.message


# -- a real 部门决算 (PDF) with a sheet added ---------------------------------------------------

PUTUO = SHARED / "corpus" / "putuo-2024" / "guihua-ziyuan-2024.pdf"


@pytest.mark.skipif(
    not PUTUO.is_file(), reason="../shared/corpus is absent (not part of the project)"
)
def test_a_real_final_account_gives_the_three_public_costs():
    # 财政拨款“三公”经费: 年初预算 2.85万元, 决算 0.39万元 (all of it 公务接待费), 13.68%
    report = extract(read(PUTUO))
    right = _sheet(
        _row("“三公”经费支出", "0.39万元"),
        _row("“三公”经费控制率", "13.68%"),
        _row("公务接待费", "3900元"),
        _row("公务用车购置及运行维护费", "0", "≤1万元"),
    )
    assert _found(_with(report, right)) == []
    wrong = _sheet(_row("“三公”经费支出", "0.93万元"), _row("“三公”经费控制率", "31.58%"))
    amount, rate = _found(_with(report, wrong))
    assert amount.check == AMOUNT_CHECK and rate.check == RATE_CHECK
    assert (
        "合计决算数为0.39万元" in amount.message
        and "说明中的“三公”经费决算数为0.39万元" in amount.message
    )
    assert "13.68%" in rate.message
    assert all(r["file"] == PUTUO.name for r in amount.related) and len(amount.related) >= 2


# -- no alarm on what we have -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    sorted(p for p in EXAMPLES.glob("*.*") if p.name != "README.md" and p.suffix != ".py"),
    ids=lambda p: p.name,
)
def test_no_alarm_on_examples(path):
    assert check_document(path, only=CHECKS).findings == []


@pytest.mark.skipif(
    not SEEDS.is_dir(), reason="../shared/seeds is absent (not part of the project)"
)
@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name)
def test_no_alarm_on_seeds(path):
    assert check_document(path, only=CHECKS).findings == []


@pytest.mark.parametrize("seed", [0, 2, 3, 4, 5, 6, 10, 11])
def test_correct_random_reports_stay_clean(seed, tmp_path):
    report = random_report(seed)
    assert any(t.kind == "department_self" for t in report.tables)
    path = tmp_path / f"{report.stem}.txt"
    write_txt(report, path)
    assert check_document(path, only=[*CHECKS, "consistency.projects_vs_accounts"]).findings == []


@pytest.mark.parametrize(
    ("edits", "source"),
    [
        ((), "heading and sheet"),
        ((("| 部门名称 | 示例市临江区教育局 |", "| 填报日期 | 2025年3月 |"),), "heading"),
        ((("# 示例市临江区教育局2024年度部门整体支出绩效自评报告", "# 自评报告"),), "sheet"),
    ],
)
def test_the_department_is_read_from_the_heading_or_the_sheet(tmp_path, edits, source):
    report = extract(read(_report(tmp_path, *edits)))
    assert report.entity == "示例市临江区教育局", source
    assert report.evaluations[0].subject == "示例市临江区教育局", source
