"""What the benchmarks share: the input groups, how many passes each gets, the profiler."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = (".txt", ".md", ".docx", ".xlsx", ".pdf", ".html")


def inputs() -> dict[str, list[Path]]:
    """The bundled examples grouped by format, and the seeds when ../shared exists."""
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in sorted((ROOT / "examples").glob("*")):
        if path.is_file() and path.suffix in SUFFIXES and path.stem != "README":
            groups[f"examples{''.join(path.suffixes)}"].append(path)
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        groups["seeds (text)"] = sorted(seeds.glob("*.txt"))
    return groups


def copies_for(group: str, copies: int) -> int:
    """PDF is read ten times slower: fewer passes keep the run short."""
    return max(1, copies // 10) if group.endswith(".pdf") else copies


def machine_line() -> str:
    """How fast this machine runs plain Python today, to compare runs across machines: the
    best of three runs of a fixed loop (10 million additions). Shared virtual machines vary
    from day to day by a factor of two; a result means little without this."""
    import time

    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return f"machine: reference loop (10M additions in CPython) {best:.2f} s\n{build_line()}"


def build_line() -> str:
    """Which jixiao is measured: pure Python or the compiled build (``make fast``)."""
    import jixiao.numbers

    compiled = not jixiao.numbers.__file__.endswith(".py")
    return "build: " + ("compiled (mypyc, make fast)" if compiled else "pure Python")


def best_rate(paths: list[Path], copies: int, run: Callable[[Path], object], rounds: int = 5):
    """Documents per second over ``copies`` passes of ``paths``, split into ``rounds`` timed
    rounds: (best round, median round). This machine is shared and noisy: the best round is
    the least disturbed measure of the code's own speed (as ``timeit`` advises), the median
    what a busy machine gives."""
    import statistics
    import time

    per_round = max(1, copies // rounds)
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            for path in paths:
                run(path)
        rates.append(per_round * len(paths) / (time.perf_counter() - start))
    return max(rates), statistics.median(rates)


def profile_groups(wanted: str, copies: int, run: Callable[[Path], object], top: int = 30) -> None:
    """cProfile of ``run`` over every group whose name holds ``wanted`` (after a warm-up)."""
    import cProfile
    import pstats

    for name, paths in inputs().items():
        if wanted not in name:
            continue
        print(f"== {name}")
        for path in paths:
            run(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(copies_for(name, copies)):
            for path in paths:
                run(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(top)
