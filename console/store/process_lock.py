"""A lock the cache's writers in every process take in turn, handed over the moment it is free.

The sync engine may run in a child process (console/sync/child_engine.py). Between processes
SQLite's own wait for the write lock is a poll with growing sleeps (busy_timeout: 1, 2, 5, ...
50, 100 ms): a GUI-thread write polling against a child that commits batch after batch missed
turn after turn, up to 1.4 s for one send (bench_gui_stall --child-process --busy-core). An
flock() on a file beside the cache, tried every WRITE_LOCK_POLL_S, takes it within that much
of the holder letting go, so a writer waits for the transaction in progress only (the holder
prepares its next batch before asking again). Past the timeout, or where flock() does not
exist (Windows), SQLite's own wait decides as before.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

from console.timing import WRITE_LOCK_POLL_S

if sys.platform == "win32":  # pragma: no cover - no flock(): SQLite's own wait decides
    FLOCK = False

    def _try_lock(fd: int) -> bool:
        return False

    def _unlock(fd: int) -> None:
        pass

else:
    import fcntl

    FLOCK = True

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

log = logging.getLogger("console.store")

SUFFIX = "-writelock"


def lock_path(cache_path: Path) -> Path:
    return Path(f"{cache_path}{SUFFIX}")


class ProcessWriteLock:
    """One per Cache. Within a process the cache's WriteQueue already lets one writer at a
    time through, so this lock is never asked for twice at once by the same process."""

    def __init__(self, cache_path: Path) -> None:
        self._path = lock_path(cache_path)
        self._fd: int | None = None
        self._guard = threading.Lock()
        self._unusable = False

    def acquire(self, timeout: float) -> bool:
        """Our turn within `timeout` seconds: True (call release()), else False."""
        if not FLOCK or self._unusable:
            return False
        try:
            with self._guard:
                if self._fd is None:
                    self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
                fd = self._fd
            deadline = time.monotonic() + timeout
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    return False
                time.sleep(WRITE_LOCK_POLL_S)
        except OSError as error:  # a read-only folder, a file system without flock()
            log.warning("no write lock beside the cache (%s): SQLite's own wait decides", error)
            self._unusable = True
            return False
        return True

    def release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)

    def close(self) -> None:
        with self._guard:
            fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)
