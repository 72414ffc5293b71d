"""Errors nobody caught: a crash dialog that says what happened, with the report and the log
to copy (secrets removed, nothing sent), plain words for the errors we know by name, and Qt's
own warnings in our log."""

from __future__ import annotations

import errno
import logging
import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy
from PySide6.QtCore import qInstallMessageHandler, qWarning
from pytestqt.qtbot import QtBot

from console.known_errors import CACHE_LOCKED, DISK_FULL, READ_ONLY, UNREACHABLE, known_problem
from console.logging_setup import add_secret, install_crash_handler, set_crash_listener
from console.ui.crash_dialog import BUG_TEXT, CrashReporter
from console.ui.error_texts import plain_words, problem_text
from console.ui.qt import QApplication, Qt, QTimer, QWidget
from console.ui.qt_messages import route_qt_messages

SECRET = "tok_crash_secret_5150"


@pytest.fixture
def reporter(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[CrashReporter, Path]]:
    """The app's wiring (console/app.py) with reports and the log under tmp_path."""
    log_file = tmp_path / "console.log"
    log_file.write_text("".join(f"2026-12-06 line {i} of the log\n" for i in range(3000))
                        + f"2026-12-06 INFO sync: token [redacted] and then {SECRET}\n",
                        encoding="utf-8")
    window = QWidget()
    qtbot.addWidget(window)
    saved = sys.excepthook, threading.excepthook
    install_crash_handler(tmp_path)
    crash_reporter = CrashReporter(window, log_file)
    set_crash_listener(crash_reporter.report)
    yield crash_reporter, tmp_path
    set_crash_listener(None)
    sys.excepthook, threading.excepthook = saved
    if crash_reporter.dialog is not None:
        crash_reporter.dialog.close()


def _crash_in_a_thread(error: BaseException) -> None:
    def fail() -> None:
        raise error

    thread = threading.Thread(target=fail, name="worker-under-test")
    thread.start()
    thread.join()


def test_a_bug_on_a_worker_is_told_once_with_its_report_and_the_log(
    qtbot: QtBot, reporter: tuple[CrashReporter, Path]
) -> None:
    crash_reporter, folder = reporter
    add_secret(SECRET)
    _crash_in_a_thread(ValueError(f"bad row while syncing with {SECRET}"))
    qtbot.waitUntil(lambda: crash_reporter.dialog is not None, timeout=3000)
    dialog = crash_reporter.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    assert dialog.headline.text() == BUG_TEXT
    assert not dialog.details.isVisible()  # details on request
    details = dialog.details.toPlainText()
    reports = list(folder.glob("crash-*.txt"))
    assert len(reports) == 1
    assert "Unhandled exception in thread worker-under-test" in details
    assert "ValueError: bad row while syncing with [redacted]" in details
    assert f"Report file: {reports[0]}" in details
    assert "line 2999 of the log" in details  # the log's end is attached ...
    assert "line 0 of the log" not in details  # ... not all of it
    assert SECRET not in details

    qtbot.mouseClick(dialog.details_button, Qt.MouseButton.LeftButton)
    assert dialog.details.isVisible()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == details

    # Another crash while it is open: counted in the same dialog, not a second one.
    _crash_in_a_thread(KeyError("missing"))
    qtbot.waitUntil(lambda: dialog.repeats.isVisible(), timeout=3000)
    assert dialog.repeats.text().startswith("It happened 2 times")
    assert "KeyError: 'missing'" in dialog.details.toPlainText()
    assert crash_reporter.dialog is dialog

    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: crash_reporter.dialog is None, timeout=3000)


def test_a_full_disk_in_a_qt_slot_is_told_in_plain_words(
    qtbot: QtBot, reporter: tuple[CrashReporter, Path]
) -> None:
    crash_reporter, _folder = reporter

    def save() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/home/agent/cache.db")

    QTimer.singleShot(0, save)  # PySide6 hands a slot's exception to sys.excepthook
    qtbot.waitUntil(lambda: crash_reporter.dialog is not None, timeout=3000)
    dialog = crash_reporter.dialog
    assert dialog is not None
    assert dialog.headline.text() == problem_text(DISK_FULL)
    assert not dialog.private.isVisibleTo(dialog)  # not a bug to report


def test_known_errors_are_found_through_the_wrappers_around_them(tmp_path: Path) -> None:
    # A cache another process holds: a real lock, seen through SQLAlchemy's wrapper.
    path = tmp_path / "cache.db"
    holder = sqlite3.connect(path)
    holder.execute("create table t (x)")
    holder.execute("begin exclusive")
    engine = sqlalchemy.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    with pytest.raises(sqlalchemy.exc.OperationalError) as locked, engine.begin() as conn:
        conn.exec_driver_sql("insert into t values (1)")
    holder.rollback()
    holder.close()
    engine.dispose()
    assert known_problem(locked.value) == CACHE_LOCKED

    # A server that is not there: a real refused connection on loopback.
    with pytest.raises(httpx.ConnectError) as refused:
        httpx.get("http://127.0.0.1:9/", timeout=2)
    assert known_problem(refused.value) == UNREACHABLE

    # A full disk, raised while handling something else.
    def save_draft() -> None:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as full:
            raise RuntimeError("could not save the draft") from full

    with pytest.raises(RuntimeError) as wrapped:
        save_draft()
    assert known_problem(wrapped.value) == DISK_FULL

    denied = PermissionError(errno.EACCES, "Permission denied", "/home/agent/.local/share")
    assert known_problem(denied) == READ_ONLY
    assert known_problem(sqlite3.OperationalError("attempt to write a readonly database")) \
        == READ_ONLY
    assert known_problem(ValueError("a bug")) is None
    assert plain_words(ValueError("a bug")) is None
    assert plain_words(wrapped.value) == problem_text(DISK_FULL)
    assert problem_text(DISK_FULL).startswith("The disk is full")
    assert known_problem(FileNotFoundError(errno.ENOENT, "No such file")) is None


def test_qt_warnings_reach_our_log(caplog: pytest.LogCaptureFixture) -> None:
    previous = route_qt_messages()
    try:
        with caplog.at_level(logging.DEBUG, logger="qt"):
            qWarning("QFont::setPointSize: Point size <= 0 (-1), must be greater than 0")
    finally:
        qInstallMessageHandler(previous)  # pytest-qt's own, which the other tests rely on
    assert [(r.name, r.levelno) for r in caplog.records] == [("qt", logging.WARNING)]
    assert "Point size <= 0" in caplog.records[0].getMessage()
