"""The console's app controller over a shown main window, and driving the real sign-in dialog
it opens."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path

from pytestqt.qtbot import QtBot

from console.app_controller import AppController
from console.ui.main_window import MainWindow
from console.ui.qt import QSettings, Qt


def started_controller(qtbot: QtBot, tmp_path: Path) -> Iterator[AppController]:
    """For a fixture to `yield from`: the controller started over a shown main window, nobody
    signed in yet; shut down (workspace and worker threads) at teardown."""
    window = MainWindow(settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    args = argparse.Namespace(demo=False, server=None, profile=None, exit_when_ready=False)
    made = AppController(window, args, time.perf_counter())
    made.start()
    yield made
    made.shutdown()
    window.close()


def sign_in(qtbot: QtBot, controller: AppController, server: str, email: str,
            password: str) -> None:
    """Wait for the sign-in dialog, type into it as a person would, and wait for it to close."""
    qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=10_000)
    dialog = controller.login_dialog
    assert dialog is not None
    for edit, text in ((dialog.server_edit, server), (dialog.email_edit, email),
                       (dialog.password_edit, password)):
        edit.clear()
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.login_dialog is None, timeout=10_000)
