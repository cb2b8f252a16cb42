"""The warehouse lock: one ogi process at a time writes (or reads while another writes) a warehouse.

DuckDB lets one process open a file for writing; ``ogi run``, ``ogi validate``, ``ogi report`` and
``ogi export`` take this file lock first, so a second command waits (saying so) or, with no wait,
exits with a clear message instead of dying on DuckDB's own lock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger("ogi")

# How long a command waits for another run's lock before giving up (seconds); --no-lock-wait makes it 0.
LOCK_WAIT_SECONDS = 3600


class WarehouseLocked(RuntimeError):
    pass


_LOCKS: dict[str, FileLock] = {}


def lock_for(db: Path) -> FileLock:
    """The warehouse's lock file. One lock object per warehouse in a process, so taking it again is
    re-entrant: ``ogi run`` holds it through loading, validation and reports, and run_pipeline takes
    it again inside."""
    path = str(Path(db).resolve()) + ".lock"
    if path not in _LOCKS:
        _LOCKS[path] = FileLock(path)
    return _LOCKS[path]


@contextmanager
def warehouse_lock(db: Path, lock_wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the warehouse for one run; wait up to ``lock_wait`` seconds (saying so) for another run,
    or raise :class:`WarehouseLocked` at once when ``lock_wait`` is 0."""
    db = Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    lock = lock_for(db)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if lock_wait <= 0:
            raise WarehouseLocked(f"{db}: another ogi run is using this warehouse (lock {lock.lock_file})") from None
        log.warning("%s: another ogi run is using this warehouse; waiting up to %.0fs for it to finish",
                    db, lock_wait)
        try:
            lock.acquire(timeout=lock_wait)
        except Timeout as exc:
            raise WarehouseLocked(f"{db}: another ogi run is still using this warehouse after {lock_wait:.0f}s "
                                  f"(lock {lock.lock_file})") from exc
    try:
        yield
    finally:
        lock.release()
