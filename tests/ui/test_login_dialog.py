"""The sign-in dialog against a real backend: errors in plain words, success hands back a login."""

from __future__ import annotations

import socket

from pytestqt.qtbot import QtBot

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import AuthService, LoginResult
from console.ui.login_dialog import LoginDialog
from console.ui.qt import Qt
from tests.support.backend_process import BackendProcess


def _dialog(qtbot: QtBot, server: str, email: str) -> LoginDialog:
    auth = AuthService(timeout=5.0)
    dialog = LoginDialog(auth.login, server_url=server, email=email)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_sign_in_button_needs_every_field(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, "", "")
    assert not dialog.sign_in_button.isEnabled()
    qtbot.keyClicks(dialog.server_edit, "http://127.0.0.1:1")
    qtbot.keyClicks(dialog.email_edit, "a@example.com")
    assert not dialog.sign_in_button.isEnabled()
    qtbot.keyClicks(dialog.password_edit, "x")
    assert dialog.sign_in_button.isEnabled()


def test_wrong_password_says_so_and_keeps_the_dialog(
    qtbot: QtBot, demo_backend: BackendProcess
) -> None:
    dialog = _dialog(qtbot, demo_backend.url, DEMO_ADMIN_EMAIL)
    qtbot.keyClicks(dialog.password_edit, "not the password")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=10_000)
    assert dialog.error_label.text() == "Wrong email or password."
    assert dialog.isVisible()
    assert dialog.server_edit.isEnabled()
    assert "Traceback" not in dialog.error_label.text()


def test_unreachable_server_is_named(qtbot: QtBot) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    dialog = _dialog(qtbot, url, "a@example.com")
    qtbot.keyClicks(dialog.password_edit, "whatever")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=10_000)
    text = dialog.error_label.text()
    assert url in text and "could not be reached" in text


def test_not_a_server_address(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, "ftp://example.com", "a@example.com")
    qtbot.keyClicks(dialog.password_edit, "whatever")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=5_000)
    assert "http(s)" in dialog.error_label.text()


def test_success_emits_the_login_and_closes(qtbot: QtBot, demo_backend: BackendProcess) -> None:
    dialog = _dialog(qtbot, demo_backend.url, DEMO_ADMIN_EMAIL)
    qtbot.keyClicks(dialog.password_edit, DEMO_ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.loggedIn, timeout=10_000) as signal:
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    result = signal.args[0]
    assert isinstance(result, LoginResult)
    assert result.user.email == DEMO_ADMIN_EMAIL
    assert not dialog.isVisible()
    assert dialog.password_edit.text() == ""
