"""Cyclic garbage is collected on the GUI thread only.

CPython runs its cycle collector on whichever thread happens to allocate when a threshold is
crossed, usually the sync engine's. If that collection frees a Qt wrapper caught in a cycle (a
closed workspace's models, a dialog and the lambdas connected to it), the C++ object is
destroyed on a thread that does not own it, and Qt crashes: seen as a segfault "Garbage-
collecting" on the sync thread while the GUI thread painted, in about one run in three of the
profile-switch tests. So automatic collection is turned off and a GUI-thread timer collects
instead, generation by generation, by the same thresholds CPython would use (which
`console/sync/gc_pacing.py` raises during a catch-up). Reference counting still frees
everything outside a cycle at once, on whatever thread drops the last reference.
"""

from __future__ import annotations

import gc

from console.timing import GUI_COLLECT_INTERVAL_MS
from console.ui.gui_thread import assert_gui_thread
from console.ui.qt import QCoreApplication, QObject, QTimer

INTERVAL_MS = GUI_COLLECT_INTERVAL_MS  # console/timing.py


def due_generation(counts: tuple[int, int, int], thresholds: tuple[int, int, int]) -> int | None:
    """The generation CPython would collect now for these counts, or None when none is due."""
    if thresholds[0] <= 0 or counts[0] <= thresholds[0]:
        return None
    generation = 0
    if counts[1] > thresholds[1]:
        generation = 1
        if counts[2] > thresholds[2]:
            generation = 2
    return generation


class GuiThreadCollector(QObject):
    """Owns the collection timer; while it runs, automatic collection stays off."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        assert_gui_thread()
        self.collections = [0, 0, 0]
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_if_due)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def collect_if_due(self) -> None:
        generation = due_generation(gc.get_count(), gc.get_threshold())
        if generation is not None:
            gc.collect(generation)
            self.collections[generation] += 1


def settle() -> None:
    """Take what is alive now out of the collector's sight (gc.freeze): called once a
    workspace is open. Its ~110,000 objects (imported modules, the window, the services) stay
    for the session, yet each full collection walked them all: one 66-68 ms stall of the GUI
    thread while scrolling a conversation (tests/bench/bench_scale.py), 3 ms once frozen.
    Cycles among them are not collected until `unsettle`; reference counting frees the rest."""
    gc.freeze()


def unsettle() -> None:
    """Before a workspace is let go (profile switch, sign-out): its objects must be
    collectable again, or each switch would keep the last one's cycles for good."""
    gc.unfreeze()


def collect_on_gui_thread() -> GuiThreadCollector:
    """Start the application's collector (once per QApplication); returns it.

    It lives as long as the application: the workspace is closed after the event loop ends,
    with its threads still running, so collection stays on the GUI thread until exit.
    """
    assert_gui_thread()
    app = QCoreApplication.instance()
    assert app is not None, "create the QApplication first"
    existing = app.findChild(GuiThreadCollector)
    if isinstance(existing, GuiThreadCollector):
        existing.start()  # again: something may have turned automatic collection back on
        return existing
    collector = GuiThreadCollector(app)
    collector.start()
    return collector
