"""A long sign-in lockout is told in minutes or hours on the dialog, not as a pile of seconds
("try again in 15 minutes", not "895 seconds"), both in the first message and in the live
countdown that replaces it (console/ui/login_dialog.py retry_text).

The server is a stand-in on loopback that answers every sign-in as the backend does when it
throttles (429, problem+json, Retry-After): the backend's own delays start at seconds, and a
lockout of a quarter of an hour is not worth waiting for in a test.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from console.services.auth import AuthService
from console.ui.login_dialog import LoginDialog
from console.ui.qt import QLabel, Qt


class _Throttling:
    """A loopback server whose every sign-in is refused for `retry_after` seconds."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.dumps({
                    "type": "about:blank", "title": "Too Many Requests", "status": 429,
                    "code": "rate_limited",
                    "detail": "Too many failed sign-in attempts; wait before trying again.",
                }).encode()
                self.send_response(429)
                self.send_header("Content-Type", "application/problem+json")
                self.send_header("Retry-After", str(owner.retry_after))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.retry_after = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="throttling",
                                       daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture(scope="module")
def throttling() -> Iterator[_Throttling]:
    server = _Throttling()
    yield server
    server.close()


def _locked_out(qtbot: QtBot, server: _Throttling, seconds: int) -> tuple[LoginDialog, str]:
    """Sign in against a server that holds sign-ins for `seconds`; the dialog and what its
    message said first."""
    server.retry_after = seconds
    dialog = LoginDialog(AuthService(timeout=5.0).login, server_url=server.url,
                         email="someone@example.com")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password_edit, "a password")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible() and not dialog.busy(), timeout=10_000)
    first = dialog.error_label.text()
    assert dialog.error_code == "rate_limited"
    return dialog, first


def _countdown_shown(qtbot: QtBot, label: QLabel, first: str) -> str:
    """The countdown's text, once it has replaced the first message (it ticks every 250 ms)."""
    label.setText(first + " ")  # marks the first text as seen: the next tick rewrites it
    qtbot.waitUntil(lambda: label.text() != first + " ", timeout=3_000)
    return label.text()


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (895, "15 minutes"),  # a quarter of an hour, as the backend's later delays are
        (60 * 60, "60 minutes"),
        (3 * 60 * 60 - 5, "3 hours"),
    ],
)
def test_a_long_lockout_is_told_in_minutes_or_hours(
    qtbot: QtBot, throttling: _Throttling, seconds: int, words: str
) -> None:
    dialog, first = _locked_out(qtbot, throttling, seconds)
    expected = f"Too many attempts, try again in {words}."
    assert first == expected
    assert not dialog.sign_in_button.isEnabled()  # held for the whole wait
    # The live countdown says the same, in the same unit (not seconds).
    assert _countdown_shown(qtbot, dialog.error_label, first) == expected
    assert dialog.error_label.isVisible()
    assert "second" not in dialog.error_label.text()
    assert not dialog.sign_in_button.isEnabled()


def test_a_short_lockout_counts_seconds(qtbot: QtBot, throttling: _Throttling) -> None:
    dialog, first = _locked_out(qtbot, throttling, 40)
    assert first == "Too many attempts, try again in 40 seconds."
    countdown = _countdown_shown(qtbot, dialog.error_label, first)
    # Some seconds on: how many depends on how busy the machine is, not on the wording.
    assert countdown in {f"Too many attempts, try again in {n} seconds." for n in range(30, 41)}
