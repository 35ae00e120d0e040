"""Benchmark: read + extract throughput (documents per second) and peak memory, per format.

    python bench/extract.py [--copies N] [--profile GROUP]

Runs over repeated copies of the bundled examples (every format) and, when ../shared exists,
of the seeds. Measures one process on one core; numbers go in notes, never in tests.
``--profile seeds`` (any part of a group's name) prints instead where that group's time
goes: a cProfile of the same passes, functions with the most own time first. docs/s is the
best of five timed rounds (the machine is shared: the best round is the least disturbed),
``median`` the median round.
"""

from __future__ import annotations

import argparse
import tracemalloc
from pathlib import Path

from common import best_rate, copies_for, inputs, machine_line, profile_groups
from jixiao import extract, read
from jixiao.gc_tuning import tune_gc


def measure(paths: list[Path], copies: int) -> tuple[float, float, float]:
    """(best docs/s, median docs/s, peak MiB)."""

    def run(path: Path) -> object:
        return extract(read(path))

    for path in paths:  # warm up imports and caches
        run(path)
    best, median = best_rate(paths, copies, run)
    tracemalloc.start()  # a separate pass: tracing slows everything down
    for path in paths:
        run(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, median, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20, help="times each file is processed")
    parser.add_argument("--profile", metavar="GROUP", help="profile the groups named so instead")
    args = parser.parse_args()
    if args.profile:
        profile_groups(args.profile, args.copies, lambda p: extract(read(p)))
        return
    tune_gc()  # the collector set as the CLI sets it: the benchmark measures what users run
    print(machine_line())
    print(f"{'group':24} {'files':>5} {'docs/s':>9} {'median':>9} {'peak MiB':>9}")
    for name, paths in inputs().items():
        copies = copies_for(name, args.copies)
        best, median, peak = measure(paths, copies)
        print(f"{name:24} {len(paths):5d} {best:9.1f} {median:9.1f} {peak:9.1f}")


if __name__ == "__main__":
    main()
