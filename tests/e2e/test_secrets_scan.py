"""No token, password or token hash in any file the console writes, after a full session.

A real session with DEBUG logging on: sign in through the dialog (a fresh account with a random
password), sync, send a message, sign out through the menu; plus a crash report from an
exception whose message carries the secrets. Then every file under the XDG data, config, cache
and state folders (caches, settings, profile files, logs, crash reports) and everything the
process wrote to stderr is searched for the token, the password and the token's SHA-256 (whole
and prefixes: what a "safe" log line might show).
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import secrets
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.app_controller import AppController
from console.logging_setup import install_crash_handler, setup_logging
from console.paths import config_dir, log_dir
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.ui.main_window import MainWindow
from console.ui.message_model import MessageListModel
from console.ui.qt import QSettings, Qt
from tests.support.backend_process import BackendProcess

pytestmark = pytest.mark.slow


@pytest.fixture
def debug_logging() -> Iterator[Path]:
    """The app's own logging setup at DEBUG, and its crash handlers; pytest's put back after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quieted = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "alembic")}
    hooks = (sys.excepthook, threading.excepthook)
    path = setup_logging(logging.DEBUG)
    install_crash_handler()
    yield path
    for handler in list(root.handlers):
        handler.close()
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name, was in quieted.items():
        logging.getLogger(name).setLevel(was)
    sys.excepthook, threading.excepthook = hooks


def _needles(token: str, password: str) -> dict[str, bytes]:
    digest = hashlib.sha256(token.encode()).hexdigest()
    found = {"token": token.encode(), "password": password.encode(), "hash": digest.encode()}
    for size in (10, 12, 16, 32):
        found[f"hash[:{size}]"] = digest[:size].encode()
    found["HASH[:16]"] = digest[:16].upper().encode()
    return found


def test_a_full_session_leaves_no_secret_behind(
    qtbot: QtBot,
    fresh_backend: BackendProcess,
    isolated_dirs: Path,
    debug_logging: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    # A staff account of this test's own, with a password nobody else uses.
    email = f"scan-{secrets.token_hex(4)}@example.com"
    password = "pw-" + secrets.token_urlsafe(18)
    admin = fresh_backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    with fresh_backend.client(admin) as http:
        created = http.post("/v1/users", json={"email": email, "password": password,
                                               "name": "Scan Test", "role": "admin"})
        assert created.status_code == 201, created.text

    settings_file = config_dir() / "ui.ini"  # where the app's own settings live, in the scan
    window = MainWindow(settings=QSettings(str(settings_file), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    args = argparse.Namespace(demo=False, server=fresh_backend.url, profile=None,
                              exit_when_ready=False)
    controller = AppController(window, args, time.perf_counter())
    controller.start()
    body = f"Scan test message {secrets.token_hex(6)}"
    try:
        # Sign in through the dialog.
        qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=10_000)
        dialog = controller.login_dialog
        assert dialog is not None
        qtbot.keyClicks(dialog.email_edit, email)
        qtbot.keyClicks(dialog.password_edit, password)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        # Sync.
        qtbot.waitUntil(lambda: window.conversation_model.rowCount() >= 5, timeout=20_000)
        account = controller.account
        assert account is not None
        assert account.token
        token = account.token
        # Send.
        workspace = controller.workspace
        assert workspace is not None
        conversation = workspace.conversations.list_conversations()[0]
        assert window.select_conversation(conversation.id)
        qtbot.keyClicks(window.compose.edit, body)
        qtbot.keyClick(window.compose.edit, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)
        model = window.conversation_panel.model

        def delivered() -> bool:
            return any(
                model.index(r, 0).data(MessageListModel.BodyRole) == body
                and model.index(r, 0).data(MessageListModel.StatusRole) == "delivered"
                for r in range(model.rowCount())
            )

        qtbot.waitUntil(delivered, timeout=20_000)
        # Sign out (the server revokes the token).
        window.account_menu.sign_out_action.trigger()
        qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=10_000)
        with fresh_backend.client(token) as http:
            assert http.get("/v1/me").status_code == 401
        controller.login_dialog.reject()  # type: ignore[union-attr]
    finally:
        controller.shutdown()
        window.close()

    # A crash report from an exception that carries the secrets in its message.
    def crash() -> None:
        raise RuntimeError(f"boom: token={token} Authorization: Bearer {token} {password}")

    crasher = threading.Thread(target=crash, name="crasher")
    crasher.start()
    crasher.join()
    for handler in logging.getLogger().handlers:
        handler.flush()

    files = [p for p in isolated_dirs.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    # The scan covers what it should: the DEBUG log, the cache, the settings, a crash report.
    assert debug_logging in files
    log_text = debug_logging.read_text(encoding="utf-8")
    assert " DEBUG " in log_text
    assert "signing out" in log_text
    assert "cache.db" in names
    assert "ui.ini" in names
    assert "profile.json" not in names
    assert any(n.startswith("crash-") for n in names), names
    assert list(log_dir().glob("crash-*.txt"))
    assert any(body.encode() in p.read_bytes() for p in files if p.name.startswith("cache.db"))

    captured = capfd.readouterr()
    needles = _needles(token, password)
    leaks = [
        f"{label} in {path.relative_to(isolated_dirs)}"
        for path in files
        for label, needle in needles.items()
        if needle in path.read_bytes()
    ]
    leaks += [f"{label} on stderr/stdout" for label, needle in needles.items()
              if needle.decode() in captured.err + captured.out]
    assert leaks == []
