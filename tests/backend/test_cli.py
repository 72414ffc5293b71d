"""`agent-console-backend` as scripts call it: exit statuses, one-line errors, listening line."""

from __future__ import annotations

import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from console.backend.startup_notice import simulator_exposure_warning
from console.backend.user_password import PASSWORD_ENV
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.support.backend_process import BackendProcess, sqlite_url


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "console.backend", *args],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, **(env or {})},
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path / "cli.db")


def test_create_user_and_add_number_print_ids_usable_by_the_api(db_url: str) -> None:
    created = run_cli("create-user", "--db", db_url, "--email", "Owner@Example.com",
                      "--password", "owner-pass-1", "--role", "admin", "--data-access", "all")
    assert created.returncode == 0, created.stderr
    user_id = created.stdout.strip()
    assert user_id
    assert "\n" not in user_id

    number = run_cli("add-number", "--db", db_url, "--e164", "(415) 555-0180", "--label", "Front",
                     "--default", "--assign-to", user_id)
    assert number.returncode == 0, number.stderr
    number_id = number.stdout.strip()

    backend = BackendProcess(db_url).start()
    try:
        token = backend.login("owner@example.com", "owner-pass-1")
        with backend.client(token) as http:
            assert http.get("/v1/me").json()["id"] == user_id
            numbers = http.get("/v1/numbers").json()["items"]
    finally:
        backend.stop()
    assert numbers == [{"id": number_id, "e164": "+14155550180", "label": "Front",
                        "is_default": True, "assigned_user_id": user_id, "can_send": True,
                        "opt_out_hint": ""}]


def test_cli_errors_are_one_line_and_non_zero(db_url: str) -> None:
    base = ["--db", db_url, "--password", "long-enough-1"]
    first = run_cli("create-user", *base, "--email", "a@example.com", "--role", "user")
    assert first.returncode == 0
    duplicate = run_cli("create-user", *base, "--email", "A@example.com", "--role", "user")
    assert "already exists" in one_line_error(duplicate)
    bad_role = run_cli("create-user", *base, "--email", "b@example.com", "--role", "root")
    assert bad_role.returncode == 2
    assert "role" in one_line_error(bad_role)
    bad_access = run_cli("create-user", *base, "--email", "c@example.com", "--role", "user",
                         "--data-access", "some")
    assert "data-access" in one_line_error(bad_access)
    short = run_cli("create-user", "--db", db_url, "--password", "short", "--email",
                    "d@example.com", "--role", "user")
    assert "password" in one_line_error(short)

    bad_phone = run_cli("add-number", "--db", db_url, "--e164", "12345")
    assert "not a" in one_line_error(bad_phone)
    assert run_cli("add-number", "--db", db_url, "--e164", "+14155550181").returncode == 0
    again = run_cli("add-number", "--db", db_url, "--e164", "415-555-0181")
    assert "already exists" in one_line_error(again)
    nobody = run_cli("add-number", "--db", db_url, "--e164", "+14155550182", "--assign-to", "usr_x")
    assert "no user" in one_line_error(nobody)
    assert run_cli("add-number").returncode == 2


def _without_password_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != PASSWORD_ENV}


def _create_user_on_a_terminal(db_url: str, email: str, answers: list[str]) -> tuple[int, str]:
    """Run create-user with a pseudo-terminal as its terminal, typing `answers` at its prompts;
    (exit status, everything it showed on the terminal)."""
    argv = [sys.executable, "-m", "console.backend", "create-user", "--db", db_url,
            "--email", email, "--role", "user"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the command, the pty its controlling terminal
        os.execve(sys.executable, argv, _without_password_env())
    shown = b""
    unanswered = b""  # shown since the last answer: the next prompt appears here
    pending = list(answers)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
            unanswered += chunk
            if pending and unanswered.endswith(b": "):
                os.write(fd, pending.pop(0).encode() + b"\n")
                unanswered = b""
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


def test_create_user_takes_the_password_from_stdin_the_environment_or_a_prompt(
    db_url: str,
) -> None:
    base = ["create-user", "--db", db_url, "--role", "user"]
    env = _without_password_env()
    piped = subprocess.run(
        [sys.executable, "-m", "console.backend", *base, "--email", "stdin@example.com",
         "--password-stdin"],
        input="stdin-pass-123\n", capture_output=True, text=True, timeout=60, env=env,
    )
    assert piped.returncode == 0, piped.stderr
    from_env = subprocess.run(
        [sys.executable, "-m", "console.backend", *base, "--email", "env@example.com"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        env={**env, PASSWORD_ENV: "env-pass-123"},
    )
    assert from_env.returncode == 0, from_env.stderr
    status, shown = _create_user_on_a_terminal(db_url, "tty@example.com",
                                               ["tty-pass-123", "tty-pass-123"])
    assert status == 0, shown
    assert "Password" in shown
    assert "tty-pass-123" not in shown  # asked, and not echoed
    status, shown = _create_user_on_a_terminal(db_url, "typo@example.com",
                                               ["typo-pass-123", "typo-pass-124"])
    assert status != 0
    assert "do not match" in shown

    backend = BackendProcess(db_url).start()
    try:
        for email, password in (("stdin@example.com", "stdin-pass-123"),
                                ("env@example.com", "env-pass-123"),
                                ("tty@example.com", "tty-pass-123")):
            assert backend.login(email, password)
        with backend.client() as http:
            refused = http.post("/v1/auth/token",
                                json={"email": "typo@example.com", "password": "typo-pass-123"})
            assert refused.status_code == 401
    finally:
        backend.stop()


def test_create_user_without_a_terminal_or_a_password_fails_in_one_line(db_url: str) -> None:
    base = [sys.executable, "-m", "console.backend", "create-user", "--db", db_url,
            "--email", "nobody@example.com", "--role", "user"]
    env = _without_password_env()
    no_source = subprocess.run(base, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                               timeout=60, env=env)
    error = one_line_error(no_source)
    assert "password" in error
    assert "--password-stdin" in error
    assert PASSWORD_ENV in error
    empty = subprocess.run([*base, "--password-stdin"], input="", capture_output=True,
                           text=True, timeout=60, env=env)
    assert "password" in one_line_error(empty)
    both = subprocess.run([*base, "--password", "x-pass-1234", "--password-stdin"],
                          input="y-pass-1234\n", capture_output=True, text=True, timeout=60,
                          env=env)
    assert both.returncode == 2
    assert "password" in one_line_error(both)


def test_the_startup_output_names_the_carrier_and_loopback_gets_no_warning(
    db_url: str,
) -> None:
    backend = BackendProcess(db_url).start()
    backend.stop()
    listening = next(i for i, ln in enumerate(backend.log_lines)
                     if ln.startswith("listening on "))
    before = backend.log_lines[:listening]
    assert [ln for ln in before if ln.startswith("carrier: ")] == ["carrier: simulator"]
    assert not [ln for ln in backend.log_lines if "WARNING" in ln.upper()]


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "192.168.1.20", "backend.example.com",
                                  "10.0.0.5"])
def test_a_simulator_on_a_non_loopback_address_warns(host: str) -> None:
    warning = simulator_exposure_warning("simulator", host)
    assert warning is not None
    assert warning.startswith("WARNING")
    assert "simulator" in warning
    assert "\n" not in warning
    assert simulator_exposure_warning("twilio", host) is None


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost", "LOCALHOST"])
def test_a_simulator_on_loopback_does_not_warn(host: str) -> None:
    assert simulator_exposure_warning("simulator", host) is None


def test_serve_with_twilio_but_no_credentials_names_what_is_missing(db_url: str) -> None:
    result = run_cli("serve", "--db", db_url, "--port", "0", "--carrier", "twilio")
    error = one_line_error(result)
    assert "TWILIO_ACCOUNT_SID" in error
    assert "CONSOLE_PUBLIC_URL" in error


def test_serve_refuses_a_port_out_of_range(db_url: str) -> None:
    result = run_cli("serve", "--db", db_url, "--port", "70000")
    assert result.returncode == 2
    assert "65535" in one_line_error(result)


@pytest.mark.parametrize(("args", "named"), [
    (["--carrier-workers", "-1"], "--carrier-workers"),
    (["--job-workers", "-2"], "--job-workers"),
])
def test_serve_refuses_a_negative_worker_count(
    db_url: str, args: list[str], named: str
) -> None:
    result = run_cli("serve", "--db", db_url, "--port", "0", *args)
    assert named in one_line_error(result)


@pytest.mark.parametrize("value", ["0", "-3", "soon", "nan"])
def test_serve_refuses_a_lease_that_is_not_a_positive_number(db_url: str, value: str) -> None:
    result = run_cli("serve", "--db", db_url, "--port", "0",
                     env={"CONSOLE_JOB_LEASE_S": value})
    assert "CONSOLE_JOB_LEASE_S" in one_line_error(result)


def test_serve_with_a_bad_database_url_is_one_line(tmp_path: Path) -> None:
    missing_dir = tmp_path / "no" / "such" / "dir" / "x.db"
    result = run_cli("serve", "--db", sqlite_url(missing_dir), "--port", "0")
    assert "database" in one_line_error(result)


def test_serve_prints_the_listening_line_and_stops_cleanly_on_sigterm(db_url: str) -> None:
    backend = BackendProcess(db_url).start()
    try:
        lines = [line for line in backend.log_lines if line.startswith("listening on ")]
        assert lines == [f"listening on {backend.url}"]
        assert backend.port != 0
        assert httpx.get(f"{backend.url}/healthz").json() == {"status": "ok"}
    finally:
        assert backend.proc is not None
        backend.proc.send_signal(signal.SIGTERM)
        assert backend.proc.wait(10) == 0


def test_seed_happens_once_per_database(db_url: str) -> None:
    def counts() -> tuple[int, ...]:
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as db:
            tables = tuple(
                db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("users", "business_numbers", "contacts", "conversations",
                              "messages")
            )
            # The simulator may still move seeded messages along after a restart
            # (message.upserted); any other new event would mean a second seed.
            others = db.execute(
                "SELECT count(*) FROM events WHERE type != 'message.upserted'"
            ).fetchone()[0]
            return (*tables, others)

    first = BackendProcess(db_url, args=["--seed", "demo"]).start()
    first.stop()
    seeded = counts()
    # 8 direct threads plus group SMS chats and in-app conversations.
    assert seeded[:3] == (4, 3, 40)
    assert seeded[3] > 8
    assert seeded[4] >= 30
    second = BackendProcess(db_url, args=["--seed", "demo"]).start()
    try:
        assert second.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    finally:
        second.stop()
    assert counts() == seeded
