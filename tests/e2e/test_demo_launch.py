"""`agent-console --demo` as a user runs it: a real process, a real embedded backend."""

from __future__ import annotations

import re
import signal
import socket
from pathlib import Path

import pytest

from tests.support.console_process import ConsoleProcess

pytestmark = pytest.mark.slow


def _port_open(url: str) -> bool:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, int(port))) == 0


def test_demo_opens_window_with_data_and_quits_cleanly(tmp_path: Path) -> None:
    app = ConsoleProcess(["--demo"], home=tmp_path)
    try:
        app.wait_for("window shown", timeout=30)
        backend_line = app.wait_for("embedded backend at", timeout=60)
        ready = app.wait_for("ready:", timeout=60)
        match = re.search(r"ready: (\d+) conversations", ready)
        assert match, ready
        assert int(match.group(1)) >= 5
        backend_url = re.search(r"(http://[\d.:]+)", backend_line)
        assert backend_url
        assert _port_open(backend_url.group(1))

        app.proc.send_signal(signal.SIGTERM)
        assert app.proc.wait(20) == 0, app.output()
    finally:
        if app.proc.poll() is None:
            app.proc.kill()
    assert "Traceback" not in app.output()
    # The embedded backend goes away with the console.
    assert not _port_open(backend_url.group(1))
    # The cache and the demo backend live under the user's data dir.
    assert list((tmp_path / "data" / "agent-console").rglob("cache.db"))
    assert (tmp_path / "data" / "agent-console" / "demo" / "backend.db").exists()


def test_version_prints_without_starting_qt(tmp_path: Path) -> None:
    app = ConsoleProcess(["--version"], home=tmp_path)
    assert app.proc.wait(30) == 0
    assert re.fullmatch(r"agent-console \d+\.\d+\.\d+", app.output().strip()), app.output()


def test_bad_server_url_is_a_clear_one_line_error(tmp_path: Path) -> None:
    app = ConsoleProcess(["--server", "ftp://nope"], home=tmp_path)
    assert app.proc.wait(30) == 2
    out = app.output()
    assert "Traceback" not in out
    assert "http(s)" in out
