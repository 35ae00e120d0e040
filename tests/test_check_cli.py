"""`jixiao check`: exit codes, the four formats, filters, --explain, progress, and one run over
examples/ that checks the structure of the output (not which findings the families give).

Most tests register test-only checks (``*.zz_test_*``) and select them with ``--only``, so
they hold whatever the check families register.
"""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import EXAMPLES
from jixiao import cli
from jixiao.checks.registry import CHECKS, check, load_families
from jixiao.cli import app
from jixiao.model import Finding
from jixiao.render.xlsx_report import COLUMNS

runner = CliRunner()

SAMPLE = (
    "某局2023年度部门决算\n\n项目支出绩效自评表\n\n（2023年度）\n"
    "\t项目名称\n\t示例项目\n\n"
    "\t项目资金（万元）\n\t\n\t年初预算数\n\t全年预算数\n\t全年执行数\n\t分值\n\t执行率\n\t得分\n\n"
    "\t\n\t年度资金总额\n\t10\n\t10\n\t9\n\t10\n\t90%\n\t9\n\n"
    "\t一级指标\n\t二级指标\n\t三级指标\n\t年度指标值\n\t实际完成值\n\t分值\n\t得分\n\t偏差原因分析及改进措施\n\n"
    "\t产出指标\n\t数量指标\n\t完成数\n\t≥10项\n\t10项\n\t90\n\t90\n\t\n\n"
    "\t总分\n\t100\n\t99\n\t\n\n\n"
)

RATE, ROW, LINE = "funds.zz_test_rate", "scores.zz_test_row", "quality.zz_test_line"
ALL = ["--only", RATE, "--only", ROW, "--only", LINE]


def register_demo_checks() -> list[str]:
    """Three test-only checks: an error on a cell, a warning on a row, a note on a line."""
    load_families()  # the real families first, so that ours never clash with an import later
    added: list[str] = []

    def register(id: str, severity: str, title: str):
        def deco(fn):
            check(id, severity, title, f"测试用检查项（{title}），只在测试中注册。")(fn)
            added.append(id)
            return fn

        return deco

    @register(RATE, "error", "测试：执行率")
    def rate(ctx):
        for k, ev in enumerate(ctx.report.evaluations):
            for row in ev.funds:
                if "rate" in row.cells:
                    printed = row.printed.get("rate", "")
                    yield Finding(
                        check=RATE,
                        severity="error",
                        message=f"执行率印为{printed}，测试认为应为80.00%",
                        loc=row.cells["rate"],
                        evidence=f"执行率 {printed}",
                        reported=printed,
                        expected="80.00%",
                        evaluation=k,
                        related=[row.cells[x] for x in ("annual_budget", "executed")],
                    )

    @register(ROW, "warning", "测试：指标行")
    def row(ctx):
        for k, ev in enumerate(ctx.report.evaluations):
            for ind in ev.indicators[:1]:
                loc = dict(ind.loc or {})
                loc.pop("col", None)
                yield Finding(
                    check=ROW, severity="warning", message=f"指标「{ind.name}」测试", loc=loc,
                    evaluation=k,
                )  # fmt: skip

    @register(LINE, "info", "测试：首行")
    def line(ctx):
        yield Finding(
            check=LINE,
            severity="info",
            message="测试提示：=100 不是公式",
            loc={"file": ctx.report.source, "line": 1, "line_end": 1},
            evidence="=100",
        )

    return added


@pytest.fixture
def demo_checks():
    added = register_demo_checks()
    yield added
    for id in added:
        CHECKS.pop(id, None)


@pytest.fixture(autouse=True)
def _no_review_file_from_the_repo(tmp_path, monkeypatch):
    """Run in an empty folder: a .jixiao-review.yaml where pytest starts must not hide findings."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "r.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def invoke(*args: str):
    return runner.invoke(app, ["check", *args])


def test_exit_codes_follow_the_worst_severity(demo_checks, sample):
    assert invoke(str(sample), "--only", LINE).exit_code == 0
    assert invoke(str(sample), "--only", ROW).exit_code == 0  # warnings only
    assert invoke(str(sample), *ALL).exit_code == 1
    assert invoke(str(sample), *ALL, "--exit-zero").exit_code == 0
    assert invoke(str(sample), *ALL, "--min-severity", "warning", "--exit-zero").exit_code == 0


def test_bad_input_exit_2(demo_checks, sample, tmp_path):
    missing = invoke(str(tmp_path / "missing.pdf"))
    assert missing.exit_code == 2 and "文件不存在" in missing.stderr
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    bad = invoke(str(broken), str(sample), *ALL, "--format", "json")
    assert bad.exit_code == 2 and "broken.docx" in bad.stderr and "Traceback" not in bad.stderr
    assert [d["source"] for d in json.loads(bad.stdout)] == ["r.txt"]  # the good file still
    unknown = invoke(str(sample), "--only", "funds.no_such_check")
    assert unknown.exit_code == 2 and "funds.no_such_check" in unknown.stderr
    assert invoke().exit_code == 2
    assert invoke(str(sample), "-o", str(tmp_path)).exit_code == 2  # a folder is not a file


def test_table_groups_findings_with_place_printed_and_expected(demo_checks, sample):
    out = invoke(str(sample), *ALL)
    text = out.stdout
    assert str(sample) in text
    assert "执行率印为90%" in text and "80.00%" in text
    assert f"{sample}:1 " in text or f"{sample}:1\n" in text  # file:line
    assert "错误" in text and "疑似" in text and "提示" in text
    assert "共 1 个文件，1 个有问题" in text
    assert "funds（资金执行）" in text  # per family


def test_json_shape_one_file_and_several(demo_checks, sample, tmp_path):
    one = invoke(str(sample), *ALL, "--format", "json")
    data = json.loads(one.stdout)
    assert list(data) == ["source", "findings"] and data["source"] == "r.txt"
    rate = next(f for f in data["findings"] if f["check"] == RATE)
    assert rate["severity"] == "error" and rate["reported"] == "90%"
    assert rate["expected"] == "80.00%" and rate["evidence"] == "执行率 90%"
    assert rate["loc"]["file"] == "r.txt" and rate["loc"]["line"] >= 1
    assert {"table", "row", "col"} <= set(rate["loc"]) and len(rate["related"]) == 2
    assert rate["fingerprint"].count(":") == 2
    other = tmp_path / "s.txt"
    other.write_text(SAMPLE, encoding="utf-8")
    several = json.loads(invoke(str(sample), str(other), *ALL, "-f", "json").stdout)
    assert isinstance(several, list) and [d["source"] for d in several] == ["r.txt", "s.txt"]
    # -o FILE
    target = tmp_path / "out" / "findings.json"
    assert invoke(str(sample), *ALL, "-f", "json", "-o", str(target)).exit_code == 1
    assert json.loads(target.read_text(encoding="utf-8"))["source"] == "r.txt"


def test_min_severity_filters(demo_checks, sample):
    def severities(*extra):
        data = json.loads(invoke(str(sample), *ALL, "-f", "json", *extra).stdout)
        return sorted({f["severity"] for f in data["findings"]})

    assert severities() == ["error", "info", "warning"]
    assert severities("--min-severity", "warning") == ["error", "warning"]
    assert severities("--min-severity", "error") == ["error"]


def test_only_selects_checks_by_id_or_family(demo_checks, sample):
    data = json.loads(invoke(str(sample), "--only", RATE, "-f", "json").stdout)
    assert {f["check"] for f in data["findings"]} == {RATE}
    family = json.loads(invoke(str(sample), "--only", "quality", "-f", "json").stdout)
    assert LINE in {f["check"] for f in family["findings"]}


def test_explain(demo_checks):
    out = invoke("--explain", RATE)
    assert out.exit_code == 0
    assert "测试：执行率" in out.stdout and "错误" in out.stdout and "测试用检查项" in out.stdout
    unknown = invoke("--explain", "funds.nope")
    assert unknown.exit_code == 2
    assert "funds.nope" in unknown.stderr and RATE in unknown.stderr  # lists every id
    listed = invoke("--list")
    assert listed.exit_code == 0 and RATE in listed.stdout and LINE in listed.stdout


class _Cells(HTMLParser):
    """The highlighted cells (class, title) and whether the page loads anything external."""

    def __init__(self):
        super().__init__()
        self.highlighted: list[tuple[str, str]] = []
        self.rows: list[tuple[str, str]] = []
        self.related: list[str] = []
        self.external: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("table", "tr", "td", "section"):
            self.stack.append(tag)
        if tag in ("script", "link", "img") or (a.get("src") or "").startswith("http"):
            self.external.append(tag)
        classes = (a.get("class") or "").split()
        if tag == "td" and "hl" in classes:
            self.highlighted.append((" ".join(classes), a.get("title") or ""))
        if tag == "td" and "hlrow" in classes:
            self.rows.append((" ".join(classes), a.get("title") or ""))
        if tag == "td" and "rel" in classes:
            self.related.append(a.get("title") or "")

    def handle_endtag(self, tag):
        if tag in ("table", "tr", "td", "section"):
            assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"


def test_html_report_highlights_the_faulty_cells(demo_checks, sample, tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    out = invoke(str(sample), *ALL, "--format", "html", "-o", str(target))
    assert out.exit_code == 1 and str(target) in out.stdout
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    parser = _Cells()
    parser.feed(page)
    parser.close()
    assert not parser.stack and not parser.external
    errors = [title for cls, title in parser.highlighted if "error" in cls]
    assert errors and "执行率印为90%" in errors[0]  # the message on hover
    assert parser.rows and all("warning" in cls for cls, _ in parser.rows)  # the whole row
    assert len(parser.related) == 2 and parser.related[0].startswith("相关：")
    assert "测试提示：=100 不是公式" in page  # a finding without a table is listed
    # default file name, in the current folder
    monkeypatch.chdir(tmp_path)
    assert invoke(str(sample), "--only", LINE, "-f", "html").exit_code == 0
    assert (tmp_path / "jixiao-report.html").is_file()


def test_xlsx_findings_sheet(demo_checks, sample, tmp_path):
    target = tmp_path / "findings.xlsx"
    assert invoke(str(sample), *ALL, "-f", "xlsx", "-o", str(target)).exit_code == 1
    wb = openpyxl.load_workbook(target)
    ws = wb["问题清单"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + 3
    by_check = {r[2]: r for r in rows[1:]}
    rate = next(r for k, r in by_check.items() if RATE in k)
    assert rate[0] == "r.txt" and rate[3] == "错误" and rate[5] == "90%" and rate[6] == "80.00%"
    assert "表1" in rate[1]
    line = next(r for k, r in by_check.items() if LINE in k)
    assert line[7] == "=100"  # printed text stays text, never a formula
    assert [r[0] for r in wb["检查项说明"].iter_rows(values_only=True)][1:] == sorted(
        [RATE, ROW, LINE]
    )


def test_table_to_file(demo_checks, sample, tmp_path):
    target = tmp_path / "findings.txt"
    assert invoke(str(sample), *ALL, "-o", str(target)).exit_code == 1
    text = target.read_text(encoding="utf-8")
    assert "执行率印为90%" in text and "\x1b[" not in text


def test_progress_with_several_files(demo_checks, tmp_path, monkeypatch):
    paths = []
    for k in range(4):
        path = tmp_path / f"d{k}.txt"
        path.write_text(SAMPLE, encoding="utf-8")
        paths.append(str(path))
    buf = StringIO()
    monkeypatch.setattr(cli, "err", Console(file=buf, force_terminal=True, width=100))
    out = invoke(*paths, *ALL, "-f", "json")
    assert out.exit_code == 1, out.stderr
    assert len(json.loads(out.stdout)) == 4
    folder = invoke(str(tmp_path), "--only", LINE)
    assert folder.exit_code == 0 and "共 4 个文件" in folder.stdout


def test_end_to_end_on_examples(tmp_path):
    """The real checks over examples/: structure only (the families decide the findings)."""
    files = sorted(
        p
        for p in EXAMPLES.iterdir()
        if p.is_file() and p.suffix in (".txt", ".md", ".docx", ".xlsx", ".pdf", ".html")
        and p.stem != "README"
    )  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-m", "jixiao", "check", str(EXAMPLES), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert run.returncode in (0, 1), run.stderr
    data = json.loads(run.stdout)
    assert [d["source"] for d in data] == [p.name for p in files]
    for doc in data:
        assert list(doc) == ["source", "findings"]
        for f in doc["findings"]:
            assert f["severity"] in ("error", "warning", "info") and f["check"] and f["message"]
    has_error = any(f["severity"] == "error" for d in data for f in d["findings"])
    assert run.returncode == (1 if has_error else 0)
    texts = [str(p) for p in files if p.name.endswith(".txt") and not p.name.endswith(".tsv.txt")]
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    for fmt, target in (("html", html), ("xlsx", xlsx)):
        run = subprocess.run(
            [sys.executable, "-m", "jixiao", "check", *texts, "-f", fmt, "-o", str(target)],
            capture_output=True,
            text=True,
        )
        assert run.returncode in (0, 1), run.stderr
        assert target.is_file()
    assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert openpyxl.load_workbook(xlsx)["问题清单"].max_row >= 1
