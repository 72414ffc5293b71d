"""Background work: results and failures come back on the GUI thread, once."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from console.ui.gui_thread import is_gui_thread
from console.ui.tasks import TaskRunner


def test_result_comes_back_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: list[tuple[object, bool, str]] = []

    def work() -> str:
        return threading.current_thread().name

    runner.submit(
        work,
        on_success=lambda name: seen.append((name, is_gui_thread(), "ok")),
        on_failure=lambda error: seen.append((error, is_gui_thread(), "failed")),
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    name, on_gui, outcome = seen[0]
    assert outcome == "ok"
    assert on_gui
    assert isinstance(name, str)
    assert name.startswith("ui-task")
    assert runner.pending() == 0
    runner.shutdown()


def test_failure_comes_back_as_the_exception(qtbot: QtBot) -> None:
    runner = TaskRunner()
    errors: list[BaseException] = []

    def work() -> None:
        raise ConnectionError("backend unreachable")

    runner.submit(work, on_success=lambda _r: None, on_failure=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert isinstance(errors[0], ConnectionError)
    runner.shutdown()


def test_shutdown_waits_and_refuses_new_work(qtbot: QtBot) -> None:
    runner = TaskRunner()
    release = threading.Event()
    results: list[object] = []
    runner.submit(release.wait, on_success=results.append, on_failure=results.append)
    release.set()
    runner.shutdown()
    assert not [t for t in threading.enumerate() if t.name.startswith("ui-task")]
    with pytest.raises(RuntimeError):
        runner.submit(lambda: 1, on_success=results.append, on_failure=results.append)
    qtbot.wait(50)  # a result queued before shutdown must not be delivered after it
    assert results == []
