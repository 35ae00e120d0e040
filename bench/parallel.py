"""Benchmark: ``jixiao check`` over a folder, one worker process against several.

    python bench/parallel.py [FOLDER] [--jobs N]

FOLDER defaults to the bundled examples; ``../shared/corpus`` (real 部门决算 PDFs) is a good
second run. Times the whole command, start-up included, with ``-j 1`` and with ``-j N``
(default: one per CPU), each best of three, and checks that both print the same findings.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, machine_line
from jixiao.parallel import cpu_count
from jixiao.pipeline import expand_paths


def run(folder: Path, jobs: int) -> tuple[float, str]:
    """Best wall time of three runs, and the JSON findings printed."""
    best, out = float("inf"), ""
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "jixiao", "check", str(folder), "-f", "json", "-j", str(jobs)],
            capture_output=True,
            text=True,
            check=False,
        )
        best = min(best, time.perf_counter() - start)
        out = done.stdout
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "examples")
    parser.add_argument("--jobs", type=int, default=cpu_count(), help="workers to compare with")
    args = parser.parse_args()
    files = len(expand_paths([args.folder]))
    print(machine_line())
    one, out_one = run(args.folder, 1)
    many, out_many = run(args.folder, args.jobs)
    print(f"{args.folder} ({files} reports)")
    print(f"  -j 1: {one:6.2f} s")
    print(f"  -j {args.jobs}: {many:6.2f} s   ({one / many:.2f}x)")
    print(f"  same findings: {'yes' if out_one == out_many else 'NO'}")


if __name__ == "__main__":
    main()
