"""A first-come, first-served lock for the cache's writers within one process.

SQLite makes a writer that finds the database locked poll with growing sleeps (busy_timeout:
1, 2, 5, ... 50, 100 ms). A thread that writes now and then (the GUI marking a conversation
read) then loses, poll after poll, to one that commits back to back (the sync engine during a
catch-up): it can wait for the whole catch-up. Queued here instead, each writer waits for the
transactions ahead of it only, and is woken the moment its turn comes.
"""

from __future__ import annotations

import threading
from collections import deque


class WriteQueue:
    """Not reentrant: a thread must not ask for a second write while it holds one (SQLite
    would refuse that too, after the busy timeout)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Lock] = deque()

    def acquire(self, timeout: float) -> bool:
        """Wait for our turn, at most `timeout` seconds; False if it did not come."""
        with self._guard:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        if turn.acquire(timeout=timeout):
            return True  # handed over by release(): we hold it now
        with self._guard:
            try:
                self._waiters.remove(turn)
            except ValueError:
                return True  # handed over just as the wait timed out: ours all the same
            return False

    def release(self) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().release()  # straight to the next in line
            else:
                self._held = False
