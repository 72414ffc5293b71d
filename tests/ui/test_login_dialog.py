"""The sign-in dialog against real servers: errors in plain words, success hands back a login.

Failed sign-ins count against the backend's rate limit (per email and per client address), so
the tests that fail on purpose use a backend of this module's own, never the shared demo one.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import AuthService, LoginResult
from console.ui.login_dialog import LoginDialog
from console.ui.qt import Qt
from tests.support.backend_process import BackendProcess, sqlite_url

# Few free failures and a short first delay, so the rate limit is reached and over in seconds.
LIMIT_ENV = {"CONSOLE_LOGIN_FREE_FAILURES": "2", "CONSOLE_LOGIN_FIRST_DELAY_S": "3"}


@pytest.fixture(scope="module")
def strict_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    db = tmp_path_factory.mktemp("login-backend") / "backend.db"
    backend = BackendProcess(sqlite_url(db), args=["--seed", "demo"], env=LIMIT_ENV).start()
    yield backend
    backend.stop()


class _WebPage(BaseHTTPRequestHandler):
    """Some other web server at the address: HTML for everything, 404 for the API path."""

    status = 404

    def do_POST(self) -> None:
        body = b"<html><body><h1>Not Found</h1></body></html>"
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(params=[404, 200, 501], ids=["html-404", "html-200", "html-501"])
def other_web_server(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = type("Handler", (_WebPage,), {"status": request.param})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="web-page", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


def _dialog(qtbot: QtBot, server: str, email: str, ca_bundle: str = "") -> LoginDialog:
    auth = AuthService(timeout=5.0)
    dialog = LoginDialog(auth.login, server_url=server, email=email, ca_bundle=ca_bundle)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sign_in(qtbot: QtBot, dialog: LoginDialog, password: str) -> str:
    """Type the password, press Sign in, wait for the error; its text."""
    dialog.password_edit.clear()
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible() and not dialog.busy(), timeout=10_000)
    return dialog.error_label.text()


def test_sign_in_button_needs_every_field(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, "", "")
    assert not dialog.sign_in_button.isEnabled()
    qtbot.keyClicks(dialog.server_edit, "http://127.0.0.1:1")
    qtbot.keyClicks(dialog.email_edit, "a@example.com")
    assert not dialog.sign_in_button.isEnabled()
    qtbot.keyClicks(dialog.password_edit, "x")
    assert dialog.sign_in_button.isEnabled()


def test_the_request_runs_off_the_gui_thread(
    qtbot: QtBot, strict_backend: BackendProcess
) -> None:
    auth = AuthService(timeout=5.0)
    threads: list[threading.Thread] = []

    def login(server: str, email: str, password: str, *, ca_bundle: str | None = None) -> object:
        threads.append(threading.current_thread())
        return auth.login(server, email, password, ca_bundle=ca_bundle)

    dialog = LoginDialog(login, server_url=strict_backend.url, email=DEMO_ADMIN_EMAIL)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password_edit, DEMO_ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.loggedIn, timeout=10_000):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        # While the request is out, the dialog says so and takes no second click.
        assert dialog.busy()
        assert not dialog.sign_in_button.isEnabled()
    assert len(threads) == 1
    assert threads[0] is not threading.main_thread()


def test_wrong_password_says_so_and_keeps_the_dialog(
    qtbot: QtBot, strict_backend: BackendProcess
) -> None:
    dialog = _dialog(qtbot, strict_backend.url, "nobody@example.com")
    qtbot.keyClicks(dialog.password_edit, "not the password")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=10_000)
    assert dialog.error_label.text() == "Wrong email or password."
    assert dialog.error_code == "unauthorized"
    assert dialog.isVisible()
    assert dialog.server_edit.isEnabled()
    assert "Traceback" not in dialog.error_label.text()


def test_rate_limit_counts_down_then_lets_the_user_in(
    qtbot: QtBot, strict_backend: BackendProcess
) -> None:
    email = "counted@example.com"  # its own email: its own failure count
    dialog = _dialog(qtbot, strict_backend.url, email)
    for _ in range(2):  # the backend lets 2 failures per email and address go undelayed
        assert _sign_in(qtbot, dialog, "wrong-1") == "Wrong email or password."
    text = _sign_in(qtbot, dialog, "wrong-2")
    assert dialog.error_code == "rate_limited"
    assert re.fullmatch(r"Too many attempts, try again in [123] seconds?\.", text), text
    assert not dialog.sign_in_button.isEnabled()  # held until the server allows another try
    qtbot.waitUntil(lambda: dialog.error_label.text() == "You can try again now.", timeout=8_000)
    assert dialog.sign_in_button.isEnabled()
    # And the next (wrong) attempt is judged again, not refused outright.
    assert _sign_in(qtbot, dialog, "wrong-3") == "Wrong email or password."


def test_unreachable_server_is_named(qtbot: QtBot) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    dialog = _dialog(qtbot, url, "a@example.com")
    text = _sign_in(qtbot, dialog, "whatever")
    assert url in text
    assert "could not be reached" in text
    assert dialog.error_code == "unreachable"


def test_text_that_is_no_address_is_told_so_not_unreachable(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, "not a url at all", "a@example.com")
    text = _sign_in(qtbot, dialog, "whatever")
    assert text.startswith("'not a url at all' is not a server address. Enter one like"), text
    assert dialog.error_code == "invalid_server"


def test_a_long_error_makes_the_dialog_taller_not_the_fields_smaller(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, "not a url at all", "a@example.com")
    qtbot.waitExposed(dialog)
    before = dialog.height()
    _sign_in(qtbot, dialog, "whatever")
    qtbot.waitUntil(lambda: dialog.height() > before, timeout=2000)
    label = dialog.error_label
    assert label.height() >= label.heightForWidth(label.width())  # every line shown
    for edit in (dialog.server_edit, dialog.email_edit, dialog.password_edit):
        assert edit.height() >= edit.sizeHint().height()  # not squashed


def test_another_kind_of_server_is_not_taken_for_ours(
    qtbot: QtBot, other_web_server: str
) -> None:
    dialog = _dialog(qtbot, other_web_server, "a@example.com")
    text = _sign_in(qtbot, dialog, "whatever")
    assert dialog.error_code == "not_console_server"
    assert other_web_server in text
    assert "not an Agent Console server" in text


def test_not_a_server_address(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, "ftp://example.com", "a@example.com")
    text = _sign_in(qtbot, dialog, "whatever")
    assert "http(s)" in text


def test_a_missing_ca_bundle_is_named_and_opens_advanced(
    qtbot: QtBot, strict_backend: BackendProcess, tmp_path: Path
) -> None:
    missing = tmp_path / "nope.pem"
    dialog = _dialog(qtbot, strict_backend.url, DEMO_ADMIN_EMAIL)
    assert not dialog.advanced.isVisible()
    dialog.advanced_toggle.click()
    assert dialog.advanced.isVisible()
    qtbot.keyClicks(dialog.ca_edit, str(missing))
    dialog.advanced_toggle.click()  # folded away again: the setting still applies
    text = _sign_in(qtbot, dialog, DEMO_ADMIN_PASSWORD)
    assert dialog.error_code == "ca_bundle_invalid"
    assert str(missing) in text
    assert "cannot be read" in text
    assert dialog.advanced.isVisible()
    assert dialog.ca_edit.hasFocus()


def test_a_given_ca_bundle_shows_the_advanced_section(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, "https://h", "a@b.c", ca_bundle="/etc/ssl/our-ca.pem")
    assert dialog.advanced.isVisible()
    assert dialog.ca_edit.text() == "/etc/ssl/our-ca.pem"


def test_success_emits_the_login_and_closes(qtbot: QtBot, demo_backend: BackendProcess) -> None:
    dialog = _dialog(qtbot, demo_backend.url, DEMO_ADMIN_EMAIL)
    qtbot.keyClicks(dialog.password_edit, DEMO_ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.loggedIn, timeout=10_000) as signal:
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    result = signal.args[0]
    assert isinstance(result, LoginResult)
    assert result.user.email == DEMO_ADMIN_EMAIL
    assert result.ca_bundle is None
    assert not dialog.isVisible()
    assert dialog.password_edit.text() == ""
