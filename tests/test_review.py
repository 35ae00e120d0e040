"""Review memory: fingerprints, the review file, and the accept / re-run round trip."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from jixiao.checks.review import (
    REVIEW_FILE,
    ReviewError,
    ReviewFile,
    digest_bytes,
    find_review_file,
    fingerprints,
    location_key,
)
from jixiao.cli import app
from jixiao.model import Finding
from test_check_cli import ALL, LINE, RATE, SAMPLE, demo_checks  # noqa: F401 (a fixture)

runner = CliRunner()


def finding(check: str = "funds.rate_mismatch", **loc) -> Finding:
    return Finding(
        check=check, severity="error", message="执行率不符", loc={"file": "a.txt", **loc}
    )


def test_location_key():
    assert location_key({"file": "a", "line": 3, "table": 1, "row": 2, "col": 5}) == "t1.r2.c5"
    assert location_key({"file": "a", "line": 3, "table": 1, "row": 2}) == "t1.r2.c-"
    assert location_key({"file": "a", "line": 3, "line_end": 4}) == "l3"
    assert location_key({"file": "a", "page": 2}) == "p2"
    assert location_key(None) == location_key({"file": "a"}) == "-"


def test_fingerprints_are_stable_and_tell_repeats_apart():
    digest = digest_bytes(b"report")
    assert len(digest) == 16 and digest == digest_bytes(b"report") != digest_bytes(b"report ")
    found = [finding(table=0, row=3, col=6), finding(line=7), finding(line=7), finding("x.y")]
    prints = fingerprints(digest, found)
    assert prints[0] == f"{digest}:funds.rate_mismatch:t0.r3.c6"
    assert prints[1] == f"{digest}:funds.rate_mismatch:l7"
    assert prints[2] == prints[1] + "#2"
    assert prints[3] == f"{digest}:x.y:-"
    assert fingerprints(digest, found) == prints  # deterministic


def test_review_file_round_trip(tmp_path: Path):
    path = tmp_path / REVIEW_FILE
    review = ReviewFile.load(path)  # absent: empty
    assert len(review) == 0
    f = finding(table=0, row=3, col=6)
    assert review.accept("d:funds.rate_mismatch:t0.r3.c6", f, file="a.txt", where="表1 行4 列7",
                         by="张三", when=date(2024, 5, 6), note="已核实")  # fmt: skip
    assert not review.accept("d:funds.rate_mismatch:t0.r3.c6", f, file="a.txt", where="")
    path.write_text(review.dumps(), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#") and "执行率不符" in text and "张三" in text  # readable
    entry = yaml.safe_load(text)["accepted"][0]
    assert entry["date"] == "2024-05-06" and entry["by"] == "张三" and entry["note"] == "已核实"
    again = ReviewFile.load(path)
    assert "d:funds.rate_mismatch:t0.r3.c6" in again and len(again) == 1
    # a hand-written entry may be just the fingerprint
    path.write_text("accepted:\n  - d:x.y:l3\n  - fingerprint: d:x.y:l4\n", encoding="utf-8")
    assert {"d:x.y:l3", "d:x.y:l4"} == set(ReviewFile.load(path).entries)
    path.write_text("", encoding="utf-8")
    assert len(ReviewFile.load(path)) == 0


@pytest.mark.parametrize(
    "text", ["accepted: [\n", "- just a list\n", "accepted:\n  - {by: 张三}\n", "accepted: 3\n"]
)
def test_bad_review_file_is_one_clear_error(tmp_path: Path, text: str):
    path = tmp_path / "review.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReviewError) as e:
        ReviewFile.load(path)
    assert str(path) in str(e.value)


def test_find_review_file(tmp_path: Path):
    assert find_review_file(None, tmp_path) == tmp_path / REVIEW_FILE
    assert find_review_file(tmp_path / "x.yaml", tmp_path) == tmp_path / "x.yaml"


def check(*args: str):
    return runner.invoke(app, ["check", *args])


def test_accept_then_rerun_hides_them_until_the_document_changes(
    demo_checks,  # noqa: F811
    tmp_path: Path,
    monkeypatch,
):
    monkeypatch.chdir(tmp_path)
    doc = tmp_path / "r.txt"
    doc.write_text(SAMPLE, encoding="utf-8")
    first = json.loads(check(str(doc), *ALL, "-f", "json").stdout)
    assert first["findings"]
    n = len(first["findings"])

    accepted = check(str(doc), *ALL, "--accept", "--by", "李四", "--note", "口径不同")
    assert accepted.exit_code == 0, accepted.output  # nothing left to show
    assert f"已确认 {n} 条问题" in accepted.stderr
    review = yaml.safe_load((tmp_path / REVIEW_FILE).read_text(encoding="utf-8"))
    entries = review["accepted"]
    assert {e["fingerprint"] for e in entries} == {f["fingerprint"] for f in first["findings"]}
    assert all(e["by"] == "李四" and e["note"] == "口径不同" for e in entries)
    assert all(e["date"] == date.today().isoformat() and e["message"] for e in entries)
    assert all(e["file"] == "r.txt" and e["check"] for e in entries)

    rerun = check(str(doc), *ALL)
    assert rerun.exit_code == 0
    assert f"{n} 条已确认的问题未显示" in rerun.stdout
    assert json.loads(check(str(doc), *ALL, "-f", "json").stdout)["findings"] == []
    shown = json.loads(check(str(doc), *ALL, "-f", "json", "--show-accepted").stdout)
    assert len(shown["findings"]) == n

    # accepting again adds nothing; the file stays as it was
    before = (tmp_path / REVIEW_FILE).read_text(encoding="utf-8")
    assert "新记入 0 条" in check(str(doc), *ALL, "--accept").stderr
    assert (tmp_path / REVIEW_FILE).read_text(encoding="utf-8") == before

    # new bytes, new document: the findings are back
    doc.write_text(SAMPLE + "\n附注。\n", encoding="utf-8")
    back = check(str(doc), *ALL, "-f", "json")
    assert back.exit_code == 1 and len(json.loads(back.stdout)["findings"]) == n


def test_accept_only_what_is_shown_and_an_explicit_review_file(
    demo_checks,  # noqa: F811
    tmp_path: Path,
    monkeypatch,
):
    monkeypatch.chdir(tmp_path)
    doc = tmp_path / "r.txt"
    doc.write_text(SAMPLE, encoding="utf-8")
    memory = tmp_path / "reviews" / "bureau.yaml"
    missing = check(str(doc), *ALL, "--review", str(memory))
    assert missing.exit_code == 2 and "复核记录文件不存在" in missing.stderr
    assert check(str(doc), "--only", LINE, "--accept", "--review", str(memory)).exit_code == 0
    assert not (tmp_path / REVIEW_FILE).exists() and memory.is_file()
    data = json.loads(check(str(doc), *ALL, "-f", "json", "--review", str(memory)).stdout)
    assert LINE not in {f["check"] for f in data["findings"]}
    assert RATE in {f["check"] for f in data["findings"]}
    # without --review the default file (absent) hides nothing
    plain = json.loads(check(str(doc), *ALL, "-f", "json").stdout)
    assert LINE in {f["check"] for f in plain["findings"]}


def test_a_broken_review_file_is_bad_input(demo_checks, tmp_path: Path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    doc = tmp_path / "r.txt"
    doc.write_text(SAMPLE, encoding="utf-8")
    (tmp_path / REVIEW_FILE).write_text("accepted: [\n", encoding="utf-8")
    out = check(str(doc), *ALL)
    assert out.exit_code == 2 and REVIEW_FILE in out.stderr and "Traceback" not in out.stderr
