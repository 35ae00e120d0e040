"""What is computed from the whole database (the dashboard's figures, the filter choices,
the total and ids of a list page), kept between requests until the data changes.

Every write (``jixiao.store.ingest.Store``: an upload, a review, an entity's region, a
deletion) raises the one ``data_version`` row in its own transaction. A cached value is kept
under the version it was computed at and served only while the database still shows that
version, so a write by any process — another server worker, ``python -m jixiao.store load``
— invalidates it everywhere; a reader costs one primary-key lookup.

The version is read first, in the session that then computes the value: on SQLite the read
transaction's snapshot starts with it, on PostgreSQL (read committed) the value can only be
newer than its version, which the next request sees and recomputes. Never older.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from jixiao.store import models as m

T = TypeVar("T")
_MISSING = object()
_SESSION_KEY = "jixiao_data_version"


def data_version(s: Session) -> int | None:
    """The data version (None in a database without the row: nothing is cached), read once
    per session: what the session reads after it is at least that new."""
    if _SESSION_KEY not in s.info:
        s.info[_SESSION_KEY] = s.scalar(select(m.DataVersion.version).where(m.DataVersion.id == 1))
    return s.info[_SESSION_KEY]  # type: ignore[no-any-return]


def bump_version(s: Session) -> None:
    """Raise the data version in the session's (write) transaction. Call it last, just
    before the commit: on PostgreSQL the row stays locked until then."""
    s.info.pop(_SESSION_KEY, None)
    s.execute(
        update(m.DataVersion)
        .where(m.DataVersion.id == 1)
        .values(version=m.DataVersion.version + 1)
        .execution_options(synchronize_session=False)
    )


class DataCache:
    """Values keyed by anything hashable, all computed at one data version (the newest
    seen); a newer version empties it. At most ``max_entries`` values, least recently used
    dropped first. Thread-safe. A value is computed outside the lock, by one thread: the
    others asking for the same key at the same version meanwhile wait for it (after a write,
    a busy dashboard is computed once, not once per waiting request)."""

    def __init__(self, max_entries: int = 128, wait_seconds: float = 30.0):
        self.max_entries = max_entries
        self.wait_seconds = wait_seconds
        self._version: int | None = None
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._computing: dict[tuple[int, Hashable], threading.Event] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, s: Session, key: Hashable, compute: Callable[[], T]) -> T:
        version = data_version(s)
        if version is None:
            return compute()
        while True:
            with self._lock:
                if self._version is None or version > self._version:
                    self._values.clear()
                    self._version = version
                if version != self._version:  # an older snapshot: compute, keep nothing
                    self.misses += 1
                    return compute()
                value = self._values.get(key, _MISSING)
                if value is not _MISSING:
                    self._values.move_to_end(key)
                    self.hits += 1
                    return value  # type: ignore[no-any-return]
                running = self._computing.get((version, key))
                if running is None:
                    done = self._computing[version, key] = threading.Event()
                    self.misses += 1
                    break
            # another thread computes it: wait, then look again (it may have failed)
            if not running.wait(self.wait_seconds):
                return compute()
        try:
            value = compute()
            with self._lock:
                if version == self._version:  # not if a newer version came meanwhile
                    self._values[key] = value
                    self._values.move_to_end(key)
                    while len(self._values) > self.max_entries:
                        self._values.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._computing.pop((version, key), None)
            done.set()

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._version = None


__all__ = ["DataCache", "bump_version", "data_version"]
