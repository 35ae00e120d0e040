"""The sample-report generator: its arithmetic, its planted errors, its files."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
try:
    import jixiao.synth  # noqa: F401
except ImportError:  # a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))

from jixiao.model import Evaluation, Report  # noqa: E402
from jixiao.synth import (  # noqa: E402
    ALL_FORMATS,
    expected_for,
    expected_report,
    random_report,
    sample_reports,
    write_all,
)
from jixiao.synth.layout import Grid, Para, blocks, narrative_paragraphs  # noqa: E402
from jixiao.synth.verify import violations  # noqa: E402

TOL = 0.0051  # printed to 2 decimals
FAMILIES = {"funds", "scores", "rubric", "narrative", "units", "consistency"}
SEEDS = ROOT.parent / "shared" / "seeds"


# -- independent recomputation from what is printed --------------------------------------------


def _off(a: float | None, b: float, tol: float = TOL) -> bool:
    return a is None or abs(a - b) > tol


def table_problems(truth: dict) -> list[str]:
    """Every identity of the truth JSON that does not hold, recomputed from scratch."""
    out = []
    for k, ev in enumerate(truth["evaluations"]):
        inds = ev["indicators"]
        weights = sum(i["weight"] for i in inds)
        scores = sum(i["score"] for i in inds)
        out += [f"{k}: {i['name']} over weight" for i in inds if i["score"] > i["weight"]]
        if ev["kind"] == "project_self":
            assert len(ev["funds"]) == 4
            total, *parts = ev["funds"]
            for f in ev["funds"]:
                if f["rate"] is not None and _off(
                    f["rate"], f["executed"] / f["annual_budget"] * 100
                ):
                    out.append(f"{k}: {f['source']} rate")
            if _off(total["score"], min(total["executed"] / total["annual_budget"], 1) * 10):
                out.append(f"{k}: funds score")
            for col in ("initial_budget", "annual_budget", "executed"):
                if _off(total[col], sum(p[col] or 0 for p in parts)):
                    out.append(f"{k}: funds parts {col}")
            weights += total["weight"]
            scores += total["score"]
        if ev["kind"] == "expert_panel":
            n = len(ev["experts"])
            for e in ev["experts"]:
                if _off(e["total"], sum(e["scores"])):
                    out.append(f"{k}: expert {e['name']} total")
            for r, ind in enumerate(inds):
                if _off(ind["score"], sum(e["scores"][r] for e in ev["experts"]) / n):
                    out.append(f"{k}: row {r} mean")
            if _off(ev["total_score"], sum(e["total"] for e in ev["experts"]) / n):
                out.append(f"{k}: total mean")
        elif _off(ev["total_score"], scores):
            out.append(f"{k}: total score")
        if ev["total_weight"] != 100 or _off(weights, 100):
            out.append(f"{k}: weights")
    return out


_AMOUNT = r"([\d.]+)(万元|亿元)"


def narrative_problems(report) -> list[str]:
    """Recompute the 说明 from its printed sentences (amounts converted by their units)."""
    text = "".join(p.text for p in narrative_paragraphs(report))

    def grab(pattern: str) -> list[float]:
        m = re.search(pattern, text)
        assert m, pattern
        groups, values = m.groups(), []
        for i in range(0, len(groups), 2):
            unit = groups[i + 1]
            values.append(float(groups[i]) * (1e4 if unit == "亿元" else 1))
        return values

    def pct(pattern: str) -> float:
        m = re.search(pattern, text)
        assert m, pattern
        return float(m.group(1))

    out = []
    income, expense = grab(f"收入总计{_AMOUNT}，支出总计{_AMOUNT}")
    last_year = report.year - 1
    (change,) = grab(f"收、支总计各(?:增加|减少){_AMOUNT}")
    if "收、支总计各减少" in text:
        change = -change
    growth = pct(r"(?:增长|下降)([\d.]+)%，主要原因")
    spend, basic = grab(f"本年支出合计{_AMOUNT}，其中：基本支出{_AMOUNT}")
    (project,) = grab(f"项目支出{_AMOUNT}")
    basic_share, project_share = (
        pct(r"基本支出[\d.]+万元，占([\d.]+)%"),
        pct(r"项目支出[\d.]+万元，占([\d.]+)%"),
    )
    goods, works, services = grab(
        f"货物支出{_AMOUNT}、政府采购工程支出{_AMOUNT}、政府采购服务支出{_AMOUNT}"
    )
    (proc_total,) = grab(f"政府采购支出总额{_AMOUNT}")
    (sme,) = grab(f"授予中小企业合同金额{_AMOUNT}")
    sme_share = pct(r"占政府采购支出总额的([\d.]+)%")
    budget, final = grab(f"预算数为{_AMOUNT}，决算数为{_AMOUNT}")
    items = grab(
        f"因公出国（境）费{_AMOUNT}；公务用车购置及运行维护费{_AMOUNT}；公务接待费{_AMOUNT}"
    )
    rate = pct(r"完成预算的([\d.]+)%")
    assert str(last_year) in text
    if _off(expense, income):
        out.append("收支总计不平")
    if _off(growth, abs(change) / (income - change) * 100):
        out.append("增长率")
    if _off(basic + project, spend):
        out.append("基本+项目≠本年支出")
    if _off(basic_share, basic / spend * 100) or _off(project_share, project / spend * 100):
        out.append("占比")
    if _off(goods + works + services, proc_total) or _off(sme_share, sme / proc_total * 100):
        out.append("政府采购")
    if _off(sum(items), final) or _off(rate, final / budget * 100):
        out.append("三公")
    return out


# -- correct mode ------------------------------------------------------------------------------


@pytest.mark.parametrize("report", sample_reports(correct=True), ids=lambda r: r.stem)
def test_correct_samples_add_up(report) -> None:
    assert report.planted == []
    assert violations(report) == []
    assert table_problems(expected_report(report)) == []
    assert narrative_problems(report) == []


def test_correct_self_evaluation_rows_are_coherent() -> None:
    for report in sample_reports(correct=True):
        for table in report.tables:
            for ind in table.indicators:
                assert 0 <= ind.score <= ind.weight
                if table.kind == "project_self":  # a deduction is always explained
                    assert (ind.score < ind.weight) == bool(ind.note)


# -- default mode: planted errors --------------------------------------------------------------


@pytest.mark.parametrize("report", sample_reports(), ids=lambda r: r.stem)
def test_planted_errors_break_what_they_name(report) -> None:
    assert len(report.planted) >= 2
    found = violations(report)
    wheres = {p.where for p in report.planted}
    for err in report.planted:
        assert err.check_family in FAMILIES
        assert err.printed != err.correct
        assert any(v.family == err.check_family and err.where in v.operands for v in found), err
    for v in found:  # nothing breaks that was not planted
        assert wheres & set(v.operands), v
    # the independent recomputation notices too
    assert table_problems(expected_report(report)) or narrative_problems(report)


def test_planted_values_are_printed() -> None:
    for report in sample_reports():
        text = "\n".join(
            b.text if isinstance(b, Para) else "\n".join(c.text for c in b.cells)
            for b in blocks(report)
        )
        for err in report.planted:
            assert err.printed in text, err


def test_samples_cover_kinds_and_families() -> None:
    reports = sample_reports()
    assert len(reports) == 3
    assert len({r.entity for r in reports}) == 3
    assert sorted(r.year for r in reports) == [2022, 2023, 2024]
    assert all(len(r.tables) >= 2 for r in reports)
    kinds = {t.kind for r in reports for t in r.tables}
    assert kinds == {"project_self", "project_review", "expert_panel", "department_self"}
    assert {e.check_family for r in reports for e in r.planted} == FAMILIES
    assert all(r.stem.isascii() for r in reports)


# -- the truth ---------------------------------------------------------------------------------


@pytest.mark.parametrize("correct", [False, True])
def test_truth_fits_the_schema(correct: bool) -> None:
    for report in sample_reports(correct=correct):
        truth = expected_for(report, f"some/dir/{report.stem}.md")
        assert truth["source"] == f"{report.stem}.md"
        assert list(truth) == ["source", "entity", "year", "evaluations"]
        parsed = Report.model_validate(truth)
        for ev, model in zip(truth["evaluations"], parsed.evaluations, strict=True):
            assert list(ev) == list(Evaluation.model_fields)[: len(ev)]  # schema order
            assert model.kind == ev["kind"]
            assert not any(i["level1"].endswith("分）") for i in ev["indicators"])
            if ev["kind"] == "expert_panel":
                assert all(len(e["scores"]) == len(ev["indicators"]) for e in ev["experts"])


def test_truth_keeps_printed_errors() -> None:
    truth = expected_report(sample_reports()[0])
    assert truth["evaluations"][0]["funds"][0]["rate"] == 95.47  # printed, not 93.47
    assert truth["evaluations"][1]["indicators"][1]["score"] == 16


# -- the files ---------------------------------------------------------------------------------


def _txt_tables(text: str) -> list[list[list[str]]]:
    """Parse the Word-as-text layout: tables -> rows -> cells (each cell's lines joined)."""
    tables: list[list[list[str]]] = []
    rows: list[list[str]] = []
    blank = 0
    for line in [*text.split("\n"), ""]:
        if line == "":
            blank += 1
            continue
        if line.startswith("\t"):
            if blank >= 2 and rows:  # two blank lines close a table
                tables.append([r for r in rows if r])
                rows = []
            if blank >= 1 or not rows:
                rows.append([])
            rows[-1].append(line[1:])
        elif rows and blank == 0:
            rows[-1][-1] += "\n" + line  # a further line of a multi-line cell
        else:
            assert blank >= 2 or not rows, f"paragraph right after a table row: {line!r}"
            if rows:
                tables.append(rows)
                rows = []
        blank = 0
    if rows:
        tables.append(rows)
    return tables


@pytest.mark.parametrize("report", sample_reports(), ids=lambda r: r.stem)
def test_txt_layout(report, tmp_path: Path) -> None:
    (path,) = write_all(report, tmp_path, ["txt"])
    text = path.read_text(encoding="utf-8")
    assert "\n\n\n\n" not in text
    tables = _txt_tables(text)
    assert len(tables) == len(report.tables)
    for rows, table in zip(tables, report.tables, strict=True):
        header = next(k for k, row in enumerate(rows) if "三级指标" in row)
        indicator_rows = rows[header : header + 1 + len(table.indicators)]
        assert len({len(r) for r in indicator_rows}) == 1, [len(r) for r in indicator_rows]
        assert rows[-1][0] == "总分"
        if table.kind == "project_self":
            assert rows[0] == ["项目名称", table.subject]
            assert len(indicator_rows[0]) == 9 and len(rows[-1]) == 4
            assert [len(r) for r in rows[2:7]] == [8] * 5  # the funds block, label merged


@pytest.mark.parametrize("report", sample_reports(), ids=lambda r: r.stem)
def test_grid_formats_keep_the_grid(report, tmp_path: Path) -> None:
    md, tsv = write_all(report, tmp_path, ["md", "tsv"])
    assert tsv.name.endswith(".tsv.txt")
    grids = [b for b in blocks(report) if isinstance(b, Grid)]
    md_rows = [line for line in md.read_text(encoding="utf-8").split("\n") if line.startswith("|")]
    assert len(md_rows) == sum(g.nrows + 1 for g in grids)  # + the separator rows
    tsv_rows = [line for line in tsv.read_text(encoding="utf-8").split("\n") if "\t" in line]
    assert len(tsv_rows) == sum(g.nrows for g in grids)
    i = 0
    for g in grids:
        for row in tsv_rows[i : i + g.nrows]:
            assert row.count("\t") == g.ncols - 1
        i += g.nrows


def test_write_all_opens_everywhere(tmp_path: Path) -> None:
    import docx
    import openpyxl
    import pdfplumber

    for report in sample_reports():
        paths = write_all(report, tmp_path)
        assert len(paths) == len(ALL_FORMATS) and all(p.stat().st_size > 0 for p in paths)
        by_fmt = dict(zip(ALL_FORMATS, paths, strict=True))

        document = docx.Document(str(by_fmt["docx"]))
        assert len(document.tables) == len(report.tables)
        xml = document.tables[0]._tbl.xml
        assert "w:gridSpan" in xml and "w:vMerge" in xml
        assert 'w:eastAsia="宋体"' in document.element.xml or "宋体" in xml

        wb = openpyxl.load_workbook(by_fmt["xlsx"])
        ws = wb.worksheets[0]
        assert len(wb.worksheets) == 1 and ws.merged_cells.ranges
        values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
        assert report.tables[0].title in values
        assert any(isinstance(v, float) for v in values)

        with pdfplumber.open(by_fmt["pdf"]) as pdf:
            text = "".join(page.extract_text() or "" for page in pdf.pages)
        assert report.tables[0].title in text and report.entity in text

        page = by_fmt["html"].read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and 'charset="utf-8"' in page
        assert "colspan=" in page and "rowspan=" in page


def test_a_pdf_table_runs_over_a_page(tmp_path: Path) -> None:
    import pdfplumber

    report = sample_reports()[1]  # the 18-row scoring sheet
    (path,) = write_all(report, tmp_path, ["pdf"])
    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    start = next(k for k, t in enumerate(pages) if "评分标准" in t)
    assert "总分" not in pages[start] and "总分" in pages[start + 1]


def test_output_is_deterministic(tmp_path: Path) -> None:
    report = sample_reports()[2]
    first = write_all(report, tmp_path / "a")
    second = write_all(report, tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_examples_are_up_to_date() -> None:
    examples = ROOT / "examples"
    for report in sample_reports():
        truth_file = examples / "expected" / f"{report.stem}.json"
        if not truth_file.exists():
            pytest.skip("examples not generated: run python examples/generate.py")
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        assert truth == expected_for(report, f"{report.stem}.txt")
        assert (examples / f"{report.stem}.txt").exists()


# -- random reports ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_random_report_is_deterministic_and_valid(seed: int) -> None:
    report = random_report(seed)
    assert report == random_report(seed)
    assert report.stem.isascii() and 2022 <= report.year <= 2024 and len(report.tables) >= 2
    assert violations(report) == []
    assert table_problems(expected_report(report)) == []
    assert narrative_problems(report) == []
    Report.model_validate(expected_report(report))
    for block in blocks(report):
        if isinstance(block, Grid):
            block.owner()  # every position covered exactly once

    broken = random_report(seed, correct=False)
    assert len(broken.planted) == 2
    found = violations(broken)
    for err in broken.planted:
        assert any(v.family == err.check_family and err.where in v.operands for v in found)


# -- provenance --------------------------------------------------------------------------------


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent")
def test_no_long_runs_of_seed_text() -> None:
    """Our invented text shares no run of 16+ characters with the real reports.
    (Table headers are the standard form's wording and are left out.)"""
    k = 16
    seeds = [
        re.sub(r"\s+", "", p.read_text(encoding="utf-8", errors="replace"))
        for p in SEEDS.glob("*.txt")
    ]
    reports = [*sample_reports(), *(random_report(s) for s in range(5))]
    for report in reports:
        texts = [b.text for b in blocks(report) if isinstance(b, Para)]
        texts += [
            c.text for b in blocks(report) if isinstance(b, Grid) for c in b.cells if not c.header
        ]
        for text in texts:
            flat = re.sub(r"\s+", "", text)
            for i in range(len(flat) - k + 1):
                assert not any(flat[i : i + k] in s for s in seeds), flat[i : i + k]
