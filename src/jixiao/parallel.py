"""Many files at once: each file handled in a worker process, one per CPU.

Reading a PDF costs a fraction of a second a page, so a province's reports take hours on
one core; files are independent, so they spread over every core. A worker never raises:
a bad file comes back as its one-line message, like the serial path prints it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Generic, TypeVar

from jixiao.errors import JixiaoError

T = TypeVar("T")

# below this many files a pool costs more (starting processes) than it saves
MIN_FILES_FOR_POOL = 4


class Outcome(Generic[T]):
    """One file's result, or the message saying why it could not be handled."""

    __slots__ = ("error", "index", "path", "value")

    def __init__(self, index: int, path: Path, value: T | None, error: str | None) -> None:
        self.index, self.path, self.value, self.error = index, path, value, error


def cpu_count() -> int:
    """The CPUs this process may run on (a container's share, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_for(jobs: int | None, files: int) -> int:
    """How many processes: ``jobs`` when given (0 or None: one per CPU), never more than
    files, and 1 for a handful of files when not asked for explicitly."""
    if jobs is None or jobs <= 0:
        if files < MIN_FILES_FOR_POOL:
            return 1
        jobs = cpu_count()
    return max(1, min(jobs, files))


def run_each(
    fn: Callable[[Path], T], files: list[Path], jobs: int | None = None
) -> Iterator[Outcome[T]]:
    """``fn`` on every file, outcomes as they finish (``index`` gives the input order).

    ``fn`` must be a module-level function (it is sent to the workers by name). With one
    worker everything runs in this process, in order. The workers are started here, before
    the caller iterates, so that they fork before the caller starts any thread (a progress
    bar's): a fork copies only the thread that made it, and locks other threads held.
    """
    workers = workers_for(jobs, len(files))
    if workers == 1:
        return (_outcome(fn, index, path) for index, path in enumerate(files))
    # fork: the workers start with every module already imported; the pool starts all its
    # processes at the first submit
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_leave_interrupts_to_the_parent
    )
    futures = [pool.submit(_outcome, fn, index, path) for index, path in enumerate(files)]
    return _finished(pool, futures)


def _leave_interrupts_to_the_parent() -> None:
    """Ctrl-C reaches every process of the terminal's group: the workers ignore it, and the
    parent stops the run once, with one line ("已中断"), instead of a traceback per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _finished(pool: ProcessPoolExecutor, futures: list[Future]) -> Iterator[Outcome]:
    try:
        for future in as_completed(futures):
            yield future.result()
    finally:  # done, Ctrl-C, or a consumer that stopped early: drop what is still queued
        pool.shutdown(wait=True, cancel_futures=True)


def _outcome(fn: Callable[[Path], T], index: int, path: Path) -> Outcome[T]:
    try:
        return Outcome(index, path, fn(path), None)
    except JixiaoError as e:
        return Outcome(index, path, None, str(e))
    except OSError as e:
        return Outcome(index, path, None, f"{path}: 无法读取（{e.strerror or e}）")
