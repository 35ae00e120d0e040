"""Benchmark: read + extract throughput (documents per second) and peak memory, per format.

    python bench/extract.py [--copies N] [--profile GROUP]

Runs over repeated copies of the bundled examples (every format) and, when ../shared exists,
of the seeds. Measures one process on one core; numbers go in notes, never in tests.
``--profile seeds`` (any part of a group's name) prints instead where that group's time
goes: a cProfile of the same passes, functions with the most own time first.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

from jixiao import extract, read

ROOT = Path(__file__).resolve().parents[1]


def inputs() -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in sorted((ROOT / "examples").glob("*")):
        if path.is_file() and path.suffix in (".txt", ".md", ".docx", ".xlsx", ".pdf", ".html"):
            groups[f"examples{''.join(path.suffixes)}"].append(path)
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        groups["seeds (text)"] = sorted(seeds.glob("*.txt"))
    return groups


def measure(paths: list[Path], copies: int) -> tuple[float, float]:
    for path in paths:  # warm up imports and caches
        extract(read(path))
    start = time.perf_counter()
    for _ in range(copies):
        for path in paths:
            extract(read(path))
    elapsed = time.perf_counter() - start
    tracemalloc.start()  # a separate pass: tracing slows everything down
    for path in paths:
        extract(read(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return copies * len(paths) / elapsed, peak / 2**20


def profile(paths: list[Path], copies: int, top: int = 30) -> None:
    """cProfile of ``copies`` passes over ``paths`` (after a warm-up pass)."""
    import cProfile
    import pstats

    for path in paths:
        extract(read(path))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(copies):
        for path in paths:
            extract(read(path))
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20, help="times each file is processed")
    parser.add_argument("--profile", metavar="GROUP", help="profile the groups named so instead")
    args = parser.parse_args()
    if args.profile:
        for name, paths in inputs().items():
            if args.profile in name:
                print(f"== {name}")
                profile(paths, max(1, args.copies // 10) if name.endswith(".pdf") else args.copies)
        return
    print(f"{'group':24} {'files':>5} {'docs/s':>9} {'peak MiB':>9}")
    for name, paths in inputs().items():
        copies = max(1, args.copies // 10) if name.endswith(".pdf") else args.copies
        rate, peak = measure(paths, copies)
        print(f"{name:24} {len(paths):5d} {rate:9.1f} {peak:9.1f}")


if __name__ == "__main__":
    main()
