"""The GUI thread goes first: a catch-up gives way while the GUI thread is busy.

Only when the engine runs on a thread of the GUI's process (console/sync/control.py): a sync
child process has no GUI beating its pacer, so it never waits there.

The sync engine and the GUI share one interpreter lock. While a catch-up applies thousands of
events the engine wants the lock nearly all the time, and every time the GUI thread lets go of
it (each SQLite call, each call into Qt) it waits to get it back: a GUI handler that takes
15 ms alone takes 50 ms or more next to a busy engine, and the window stutters.

So the GUI side says when it is busy: around the change sets it hands to the views
(GuiPacer.busy_while), and, while changes flow, through a heartbeat its event loop runs (a
GUI thread that has not been back to its loop for a while is busy: opening a conversation, say).
The engine, between two batches (and the page reader, between two pages), waits while the GUI
is busy (at most `max_wait`) before taking the lock again. With no GUI, or a GUI that is idle
(not beating), nothing ever waits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from console.timing import (
    GUI_HEARTBEAT_MS,
    PACER_BUSY_AFTER_S,
    PACER_MAX_WAIT_S,
    PACER_SLICE_S,
)

# The GUI is busy when it has not turned its event loop for BUSY_AFTER_S (its heartbeat runs
# every HEARTBEAT_MS while changes flow). The engine never waits longer than MAX_WAIT_S per
# batch: a GUI stuck for good only slows the sync. Values: console/timing.py.
HEARTBEAT_MS = GUI_HEARTBEAT_MS
BUSY_AFTER_S = PACER_BUSY_AFTER_S
MAX_WAIT_S = PACER_MAX_WAIT_S
_SLICE_S = PACER_SLICE_S


class GuiPacer:
    def __init__(self, *, max_wait: float = MAX_WAIT_S) -> None:
        self._max_wait = max_wait
        self._lock = threading.Lock()
        self._beaters = 0
        self._last_beat = 0.0
        self._handling = 0  # GUI work in progress that said so (busy_while)
        self._beat = threading.Event()

    # -- GUI side -----------------------------------------------------------------------------

    def start_beating(self) -> None:
        with self._lock:
            self._beaters += 1
            self._last_beat = time.monotonic()

    def beat(self) -> None:
        """The GUI thread is back in its event loop."""
        self._last_beat = time.monotonic()
        self._beat.set()

    @contextmanager
    def busy_while(self) -> Iterator[None]:
        """GUI thread: busy for the duration (e.g. while views apply a change set)."""
        self._handling += 1
        try:
            yield
        finally:
            self._handling -= 1
            self.beat()

    def stop_beating(self) -> None:
        with self._lock:
            self._beaters = max(0, self._beaters - 1)
        self._beat.set()  # whoever waits: stop waiting

    # -- engine side --------------------------------------------------------------------------

    def busy(self) -> bool:
        if self._handling > 0:
            return True
        return self._beaters > 0 and time.monotonic() - self._last_beat > BUSY_AFTER_S

    def wait_turn(self, check_stop: Callable[[], None] = lambda: None) -> float:
        """If the GUI thread is busy, wait until it is back in its event loop (at most
        `max_wait` seconds, calling `check_stop` meanwhile). Returns the seconds waited."""
        if not self.busy():
            return 0.0
        began = time.monotonic()
        deadline = began + self._max_wait
        while self.busy():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._beat.clear()
            if not self.busy():
                break
            self._beat.wait(min(_SLICE_S, remaining))
            check_stop()
        return time.monotonic() - began


# One GUI thread per process: the one pacer its bridge beats and the engines look at.
GUI_PACER = GuiPacer()
