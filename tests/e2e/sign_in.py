"""Driving the real sign-in dialog the app controller opens."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from console.app_controller import AppController
from console.ui.qt import Qt


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
