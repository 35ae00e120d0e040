"""The CLI sets the cyclic collector for batch work, and doing so changes no result."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jixiao.gc_tuning import GEN0_THRESHOLD

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "shiyan-jiaoyu-2024.txt"

# runs one command the way the console script does, then reports the collector's state
_SCRIPT = """
import gc, json, sys
from jixiao.cli import app
try:
    app(["extract", sys.argv[1], "--format", "json"])
except SystemExit as e:
    assert not e.code, e.code
print(json.dumps([gc.get_threshold()[0], gc.get_freeze_count() > 0]), file=sys.stderr)
"""


def _run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, str(EXAMPLE)], capture_output=True, text=True, check=True
    )


def test_cli_commands_freeze_and_raise_the_threshold():
    done = _run(_SCRIPT)
    threshold, frozen = json.loads(done.stderr.strip().splitlines()[-1])
    assert threshold == GEN0_THRESHOLD
    assert frozen


def test_the_collector_setting_changes_no_output():
    plain = _run(
        "import sys; from jixiao import extract, read\n"
        "print(extract(read(sys.argv[1])).model_dump_json())"
    )
    tuned = _run(
        "import sys; from jixiao.gc_tuning import tune_gc; tune_gc()\n"
        "from jixiao import extract, read\n"
        "print(extract(read(sys.argv[1])).model_dump_json())"
    )
    assert json.loads(plain.stdout)["evaluations"]
    assert plain.stdout == tuned.stdout
