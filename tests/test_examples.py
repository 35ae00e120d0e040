"""The bundled examples extract to their known truth, in every format.

``examples/expected/<stem>.json`` is written by the generator from the same structured data
as the files, so it is what a perfect extractor gives. Every format, PDF included, must match
it and give the same JSON as the text version.
"""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES
from jixiao import extract, read
from jixiao.goldcompare import compare_report

EXPECTED = sorted((EXAMPLES / "expected").glob("*.json"))
CASES = [
    (exp, path)
    for exp in EXPECTED
    for path in sorted(EXAMPLES.glob(exp.stem + ".*"))
    if path.suffix in (".txt", ".md", ".docx", ".xlsx", ".pdf", ".html")
]
BAR = {".pdf": 0.99}


@pytest.mark.parametrize("expected,path", CASES, ids=[p.name for _, p in CASES])
def test_example_extracts_to_truth(expected, path):
    truth = json.loads(expected.read_text(encoding="utf-8"))
    got = extract(read(path)).to_json()
    score = compare_report(truth, got)
    assert score.f1 >= BAR.get(path.suffix, 0.99), "\n".join(score.misses[:20])


def test_every_format_is_present():
    suffixes = {"".join(p.suffixes) for p in EXAMPLES.glob("*") if p.is_file()}
    assert {".txt", ".md", ".tsv.txt", ".docx", ".xlsx", ".pdf", ".html"} <= suffixes


def test_every_format_gives_the_same_json():
    """Same tables, different formats: identical schema fields (locations differ, of course)."""
    fields = ("kind", "title", "subject", "funds", "indicators", "total_score", "experts")

    def core(path):
        data = extract(read(path)).to_json()
        return (
            [{k: _strip(ev[k]) for k in fields} for ev in data["evaluations"]],
            data["entity"],
            data["year"],
        )

    for exp in EXPECTED:
        base = core(EXAMPLES / f"{exp.stem}.txt")
        for suffix in (".docx", ".xlsx", ".pdf", ".html", ".md", ".tsv.txt"):
            assert core(EXAMPLES / f"{exp.stem}{suffix}") == base, suffix


def _strip(value):
    if isinstance(value, list):
        return [_strip(v) for v in value]
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("loc", "cells", "printed")}
    return value
