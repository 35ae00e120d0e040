"""Across one report: the project self-evaluations against the 决算说明's 项目支出."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, SHARED
from jixiao.checks.runner import check_document

CHECK = "consistency.projects_vs_accounts"
EXAMPLE = EXAMPLES / "shiyan-jiaoyu-2024.txt"  # a 决算说明 and a 项目支出绩效自评表
LINE = "项目支出15753.59万元，占27.50%"


def _with(tmp_path: Path, new: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert LINE in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace(LINE, new), encoding="utf-8")
    return path


def test_projects_spending_more_than_the_accounts_state_is_flagged(tmp_path):
    # the self-evaluated project spent 3,516,226.50 元 = 351.62 万元
    path = _with(tmp_path, "项目支出300.00万元，占27.50%")
    (finding,) = check_document(path, only=[CHECK]).findings
    assert finding.severity == "warning"
    assert "351.62 万元" in finding.message and "300.00 万元" in finding.message
    assert "校园安全设施改造提升项目" in finding.message
    assert finding.loc["line"] == 9 and finding.related[0]["table"] is not None


def test_projects_within_the_accounts_are_not_flagged(tmp_path):
    # 351.62 万元 fits in 351.6 (printed to one decimal: up to 351.65)
    assert (
        check_document(_with(tmp_path, "项目支出351.6万元，占27.50%"), only=[CHECK]).findings == []
    )


@pytest.mark.parametrize(
    "path",
    sorted(p for p in EXAMPLES.glob("*.*") if p.name != "README.md")
    + sorted((SHARED / "seeds").glob("*.txt")),
    ids=lambda p: p.name,
)
def test_no_alarm_on_examples_and_seeds(path):
    assert check_document(path, only=[CHECK]).findings == []
