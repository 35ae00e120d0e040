"""Benchmark: the audit end to end (read + extract + score + checks), documents per second.

    python bench/check.py [--copies N] [--checks] [--profile GROUP]

Runs over repeated copies of the bundled examples (every format) and, when ../shared/seeds
exists, of the seeds. Per group: documents per second end to end (``check_document``, what
``jixiao check`` runs per file; best of five timed rounds, and the median round), and the
milliseconds per document of each stage. Scores are computed once per document and shared with the checks
(as ``jixiao check`` does through the check Context). ``--checks`` adds the time of each
registered check, slowest first. ``--profile seeds`` (any part of a group's name) prints
instead where that group's time goes: a cProfile of the same passes, most own time first.
One process on one core; numbers go in notes, never in tests.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from common import best_rate, copies_for, inputs, machine_line, profile_groups
from jixiao import extract, read
from jixiao.checks.registry import CHECKS, Context, load_families
from jixiao.checks.runner import check_document
from jixiao.gc_tuning import tune_gc
from jixiao.scoring import score

STAGES = ("read", "extract", "score", "checks")


def audit(path: Path, stages: dict[str, float], per_check: dict[str, float]) -> int:
    """One document through every stage; adds seconds to ``stages``; returns findings."""
    t0 = time.perf_counter()
    document = read(path)
    t1 = time.perf_counter()
    report = extract(document)
    t2 = time.perf_counter()
    ctx = Context(report)
    ctx.__dict__["scored"] = score(report)  # what ctx.scored would compute, done once here
    t3 = time.perf_counter()
    found = 0
    for info in CHECKS.values():
        start = time.perf_counter()
        found += sum(1 for _ in info.fn(ctx))
        per_check[info.id] += time.perf_counter() - start
    t4 = time.perf_counter()
    for stage, seconds in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
        stages[stage] += seconds
    return found


def measure(paths: list[Path], copies: int, per_check: dict[str, float]) -> tuple[float, ...]:
    """(best docs/s, median docs/s, ms per stage..., findings per document).

    docs/s times ``check_document``, what ``jixiao check`` runs on each file (read, extract,
    every check, one finding per number, review fingerprints); the stages are timed apart
    in one more pass.
    """
    for path in paths:  # warm up imports and caches
        check_document(path)
    best, median = best_rate(paths, copies, check_document)
    stages: dict[str, float] = defaultdict(float)
    found = 0
    passes = max(1, copies // 5)
    for _ in range(passes):
        for path in paths:
            found += audit(path, stages, per_check)
    docs = passes * len(paths)
    per_doc = tuple(1000 * stages[s] / docs for s in STAGES)
    return (best, median, *per_doc, found / docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20, help="times each file is processed")
    parser.add_argument("--checks", action="store_true", help="time each registered check")
    parser.add_argument("--profile", metavar="GROUP", help="profile the groups named so instead")
    args = parser.parse_args()
    load_families()
    if args.profile:
        profile_groups(
            args.profile, args.copies, lambda p: audit(p, defaultdict(float), defaultdict(float))
        )
        return
    print(f"{len(CHECKS)} checks registered")
    head = " ".join(f"{s + ' ms':>10}" for s in STAGES)
    tune_gc()  # the collector set as the CLI sets it: the benchmark measures what users run
    print(machine_line())
    print(f"{'group':24} {'files':>5} {'docs/s':>9} {'median':>9} {head} {'findings':>9}")
    per_check: dict[str, float] = defaultdict(float)
    total_docs = 0
    for name, paths in inputs().items():
        copies = copies_for(name, args.copies)
        best, median, *ms, found = measure(paths, copies, per_check)
        total_docs += max(1, copies // 5) * len(paths)
        cols = " ".join(f"{x:10.2f}" for x in ms)
        print(f"{name:24} {len(paths):5d} {best:9.1f} {median:9.1f} {cols} {found:9.1f}")
    if args.checks and per_check:
        print(f"\n{'check':40} {'ms/doc':>8}")
        for check_id, seconds in sorted(per_check.items(), key=lambda kv: -kv[1]):
            print(f"{check_id:40} {1000 * seconds / total_docs:8.3f}")


if __name__ == "__main__":
    main()
