"""The CLI contract: jixiao extract shapes, -o DIR, bad input -> one line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SAMPLE = (
    "某局2023年度部门决算\n\n项目支出绩效自评表\n\n（2023年度）\n"
    "\t项目名称\n\t示例项目\n\n"
    "\t项目资金（万元）\n\t\n\t年初预算数\n\t全年预算数\n\t全年执行数\n\t分值\n\t执行率\n\t得分\n\n"
    "\t\n\t年度资金总额\n\t10\n\t10\n\t9\n\t10\n\t90%\n\t9\n\n"
    "\t一级指标\n\t二级指标\n\t三级指标\n\t年度指标值\n\t实际完成值\n\t分值\n\t得分\n\t偏差原因分析及改进措施\n\n"
    "\t产出指标\n\t数量指标\n\t完成数\n\t≥10项\n\t10项\n\t90\n\t90\n\t\n\n"
    "\t总分\n\t100\n\t99\n\t\n\n\n"
)


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args], capture_output=True, text=True, cwd=cwd
    )


def test_extract_json_one_file(tmp_path: Path):
    path = tmp_path / "r.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    out = run("extract", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert list(data)[:4] == ["source", "entity", "year", "evaluations"]
    assert data["source"] == "r.txt" and data["year"] == 2023
    ev = data["evaluations"][0]
    assert (
        ev["kind"] == "project_self" and ev["subject"] == "示例项目" and ev["money_unit"] == "万元"
    )
    assert ev["funds"][0] | {"loc": None, "cells": None, "printed": None} == {
        "source": "total",
        "initial_budget": 10,
        "annual_budget": 10,
        "executed": 9,
        "weight": 10,
        "rate": 90,
        "score": 9,
        "loc": None,
        "cells": None,
        "printed": None,
    }
    assert ev["indicators"][0]["target"] == "≥10项" and ev["total_score"] == 99


def test_extract_out_dir_writes_one_file_per_input(tmp_path: Path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(SAMPLE, encoding="utf-8")
    out = run(
        "extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(tmp_path / "out")
    )
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt.json", "b.txt.json"]


def test_bad_input_one_line_exit_2(tmp_path: Path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    out = run("extract", str(bad))
    assert out.returncode == 2
    assert "broken.docx" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    missing = run("extract", str(tmp_path / "missing.pdf"))
    assert missing.returncode == 2 and "文件不存在" in missing.stderr


def test_document_without_tables_warns_and_gives_valid_object(tmp_path: Path):
    path = tmp_path / "notes.txt"
    path.write_text("这是一份没有表格的说明。\n第二行。\n", encoding="utf-8")
    out = run("extract", str(path))
    assert out.returncode == 0
    assert json.loads(out.stdout)["evaluations"] == []
    assert "没有识别到" in out.stderr


def test_table_format(tmp_path: Path):
    path = tmp_path / "r.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    out = run("extract", str(path), "--format", "table")
    assert out.returncode == 0 and "示例项目" in out.stdout and "识别 1 张" in out.stdout


def test_folders_skip_readme_and_hidden_files(tmp_path: Path):
    from jixiao.pipeline import expand_paths

    for name in ("README.md", ".draft.txt", "report.txt", "sub/b.docx", "notes.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])] == [
        "report.txt",
        "sub/b.docx",
    ]
    assert expand_paths([tmp_path / "README.md"]) == [tmp_path / "README.md"]  # named: read
