"""Many files side by side (``jixiao.parallel``, ``--jobs``): the same output as one by one,
in the order given, and a bad file still reported in one line with exit code 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from jixiao.cli import app
from jixiao.parallel import MIN_FILES_FOR_POOL, run_each, workers_for
from jixiao.pipeline import expand_paths, extract_file

runner = CliRunner()


def test_workers_follow_jobs_files_and_cpus():
    assert workers_for(3, 10) == 3
    assert workers_for(8, 2) == 2  # never more processes than files
    assert workers_for(1, 100) == 1
    assert workers_for(0, MIN_FILES_FOR_POOL - 1) == 1  # auto: a handful of files stays serial
    assert workers_for(None, 100) >= 1
    assert workers_for(2, MIN_FILES_FOR_POOL - 1) == 2  # asked for explicitly


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The text examples and a corrupt DOCX between them."""
    for path in sorted(EXAMPLES.glob("*.txt")) + sorted(EXAMPLES.glob("*.md")):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "m-broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    return tmp_path


def test_run_each_gives_every_file_once_with_its_error(folder):
    files = expand_paths([folder])
    outcomes = list(run_each(extract_file, files, jobs=2))
    assert sorted(o.index for o in outcomes) == list(range(len(files)))
    by_index = {o.index: o for o in outcomes}
    for index, path in enumerate(files):
        outcome = by_index[index]
        assert outcome.path == path
        if path.name == "m-broken.docx":
            assert outcome.value is None and "m-broken.docx" in outcome.error
        else:
            assert outcome.error is None
            # the report a worker sent back is the one this process would have made
            assert outcome.value.to_json() == extract_file(path).to_json()


@pytest.mark.parametrize("command", [["check", "-f", "json"], ["extract"], ["score", "-f", "json"]])
def test_jobs_do_not_change_the_output(folder, command):
    serial = runner.invoke(app, [*command, str(folder), "-j", "1"])
    side_by_side = runner.invoke(app, [*command, str(folder), "-j", "2"])
    assert serial.exit_code == side_by_side.exit_code == 2  # the broken file
    assert serial.stdout == side_by_side.stdout
    assert serial.stdout.strip().startswith("[")  # several files: an array, in input order
    assert "m-broken.docx" in side_by_side.stderr


def test_jobs_write_one_file_per_input(folder, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(folder), "-j", "2", "-o", str(out)])
    assert result.exit_code == 2
    written = sorted(p.name for p in out.glob("*.json"))
    expected = sorted(f"{p.name}.json" for p in expand_paths([folder]) if "broken" not in p.name)
    assert written == expected


def test_ctrl_c_stops_a_parallel_run_with_one_line(tmp_path):
    """SIGINT to the whole process group, as a terminal sends it: exit 130, no traceback."""
    import os
    import signal
    import subprocess
    import sys
    import time

    for k in range(150):  # far more reading than the wait: the signal comes in the middle
        shutil.copy(EXAMPLES / "shiyan-jiaoyu-2024.pdf", tmp_path / f"r{k}.pdf")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "check", str(tmp_path), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, which the signal goes to
    )
    time.sleep(2.5)  # imported, workers started, a few PDFs read
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "已中断" in stderr
    assert "Traceback" not in stderr
