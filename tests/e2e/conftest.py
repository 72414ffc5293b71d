"""End-to-end tests drive the app's own controller and windows in this process."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from console.ui.gui_collector import collect_on_gui_thread
from console.ui.qt import QApplication
from tests.support.failure_screenshots import pytest_runtest_makereport  # noqa: F401  (hook)


@pytest.fixture(autouse=True)
def gc_on_the_gui_thread(qapp: QApplication) -> Iterator[None]:
    """As in the app (console/ui/gui_collector.py, which AppController installs too): no cyclic
    collection on the sync threads while a test runs; this test's cyclic garbage is freed here,
    on the GUI thread, before the next one."""
    collect_on_gui_thread()
    yield
    gc.collect()
