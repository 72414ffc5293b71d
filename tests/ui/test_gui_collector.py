"""Cyclic garbage made on a worker thread is collected on the GUI thread, never on the worker.

A Qt wrapper in a cycle freed by a collection on the sync thread crashed the process (seen in
the profile-switch tests); the app turns automatic collection off and collects from a GUI timer.
"""

from __future__ import annotations

import gc
import threading
import weakref

from pytestqt.qtbot import QtBot

from console.ui.gui_collector import GuiThreadCollector, collect_on_gui_thread, due_generation


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector can free it


def test_due_generation_follows_cpython_rules() -> None:
    thresholds = (700, 10, 10)
    assert due_generation((700, 0, 0), thresholds) is None
    assert due_generation((701, 0, 0), thresholds) == 0
    assert due_generation((701, 11, 0), thresholds) == 1
    assert due_generation((701, 11, 11), thresholds) == 2
    assert due_generation((5, 11, 11), thresholds) is None
    assert due_generation((10**6, 0, 0), (0, 10, 10)) is None  # threshold 0: collection off


def test_a_cycle_dropped_on_a_worker_is_freed_on_the_gui_thread(qtbot: QtBot) -> None:
    collector = collect_on_gui_thread()
    try:
        assert not gc.isenabled()
        assert collect_on_gui_thread() is collector  # one per application
        freed_on: list[str] = []
        allocated = threading.Event()
        kept: list[list[object]] = []  # alive until the end, as a sync batch would be

        def worker() -> None:
            node = _Node()
            weakref.finalize(node, lambda: freed_on.append(threading.current_thread().name))
            del node
            # Far past every threshold: automatic collection would run here, on this thread.
            kept.extend([] for _ in range(gc.get_threshold()[0] * 20))
            allocated.set()

        thread = threading.Thread(target=worker, name="sync-like-worker")
        thread.start()
        thread.join()
        assert allocated.is_set()
        assert freed_on == []
        qtbot.waitUntil(lambda: freed_on != [], timeout=5_000)
        assert freed_on == [threading.main_thread().name]
        assert sum(collector.collections) >= 1
    finally:
        collector.stop()
    assert gc.isenabled()


def test_stopping_gives_collection_back_to_cpython(qtbot: QtBot) -> None:
    collector = GuiThreadCollector()
    collector.start()
    assert (collector.active, gc.isenabled()) == (True, False)
    collector.stop()
    assert (collector.active, gc.isenabled()) == (False, True)
