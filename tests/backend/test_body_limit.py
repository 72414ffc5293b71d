"""Request bodies over the limit (`--max-body-bytes`, 1 MiB by default) are refused with 413
`payload_too_large` before they are read: a declared Content-Length at once, a chunked body as
soon as the count passes the limit. The server does not grow with what it is sent."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.backend.conftest import Api, assert_problem
from tests.support.backend_process import BackendProcess, sqlite_url

MiB = 1024 * 1024
CHUNK = b"x" * (64 * 1024)


def _chunks(total: int) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        piece = CHUNK[: total - sent]
        sent += len(piece)
        yield piece


def _raw_headers_only(url: str, path: str, length: int) -> tuple[bytes, float]:
    """Send only the headers of a POST declaring `length` bytes; the answer and how long it
    took (a server that waited for the body would time out here)."""
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1"
    started = time.monotonic()
    with socket.create_connection((parts.hostname, parts.port or 80), timeout=5) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n".encode()
        )
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    return answer, time.monotonic() - started


@pytest.mark.parametrize("path", ["/v1/auth/token", "/v1/contacts", "/webhooks/twilio/sms",
                                  "/v1/simulator/inbound", "/nowhere"])
def test_a_declared_length_over_the_limit_is_413_before_the_body_is_sent(
    api: Api, path: str
) -> None:
    answer, took = _raw_headers_only(api.backend.url, path, 100 * MiB)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), answer[:300]
    assert b"application/problem+json" in head.lower()
    assert b'"code":"payload_too_large"' in body
    assert took < 3


def test_a_chunked_body_over_the_limit_is_413(api: Api) -> None:
    with api.anonymous() as http:
        response = http.post(
            "/v1/auth/token", content=_chunks(3 * MiB),
            headers={"Content-Type": "application/json"},
        )
    assert "content-length" not in response.request.headers  # it really went chunked
    assert_problem(response, 413, "payload_too_large")
    admin_response = api.admin.post(
        "/v1/contacts", content=_chunks(2 * MiB), headers={"Content-Type": "application/json"}
    )
    assert_problem(admin_response, 413, "payload_too_large")


def test_a_body_within_the_limit_still_reaches_the_route(api: Api) -> None:
    response = api.admin.post("/v1/contacts", json={"name": "x" * (MiB - 100)})
    assert_problem(response, 422, "validation_error")  # too long a name, not too big a body
    chunked = api.admin.post("/v1/contacts", content=iter([b'{"name": ', b'"Chunked Body"}']),
                             headers={"Content-Type": "application/json"})
    assert chunked.status_code == 201, chunked.text


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def small_limit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    db = sqlite_url(tmp_path_factory.mktemp("body-limit") / "backend.db")
    backend = BackendProcess(db, args=["--max-body-bytes", "4096"]).start()
    yield backend
    backend.stop()


@pytest.fixture(scope="module")
def default_limit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    db = sqlite_url(tmp_path_factory.mktemp("body-default") / "backend.db")
    backend = BackendProcess(db).start()
    yield backend
    backend.stop()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_50_mb_sent_chunked_does_not_grow_the_server(default_limit: BackendProcess) -> None:
    assert default_limit.proc is not None
    pid = default_limit.proc.pid
    with default_limit.client() as http:
        http.get("/healthz")
        before = _rss_kib(pid)
        responses = [
            http.post("/v1/auth/token", content=_chunks(50 * MiB),
                      headers={"Content-Type": "application/json"})
            for _ in range(3)
        ]
    grown_mib = (_rss_kib(pid) - before) / 1024
    assert grown_mib < 10, f"the server grew by {grown_mib:.1f} MiB"
    for response in responses:
        assert_problem(response, 413, "payload_too_large")


def test_max_body_bytes_sets_the_limit(small_limit: BackendProcess) -> None:
    with small_limit.client() as http:
        over = http.post("/v1/auth/token", content=b"{" + b" " * 5000 + b"}",
                         headers={"Content-Type": "application/json"})
        assert_problem(over, 413, "payload_too_large")
        assert "4096" in over.json()["detail"]
        under = http.post("/v1/auth/token", json={"email": "a@b.example", "password": "x" * 10})
        assert under.status_code == 401, under.text


def test_max_body_bytes_must_be_positive(tmp_path: Path) -> None:
    backend = BackendProcess(sqlite_url(tmp_path / "bad.db"), args=["--max-body-bytes", "0"])
    with pytest.raises(RuntimeError) as failure:
        backend.start(timeout=20)
    assert "--max-body-bytes" in str(failure.value)



def test_twilio_webhooks_are_covered(tmp_path: Path) -> None:
    env = {"TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000009",
           "TWILIO_AUTH_TOKEN": "twilio-test-auth-token-0009",
           "CONSOLE_PUBLIC_URL": "https://console.example.test",
           "TWILIO_API_BASE": "http://127.0.0.1:9"}  # never called: nothing is sent here
    backend = BackendProcess(sqlite_url(tmp_path / "twilio.db"), args=["--carrier", "twilio"],
                             env=env).start()
    try:
        for path in ("/webhooks/twilio/sms", "/webhooks/twilio/status"):
            answer, _ = _raw_headers_only(backend.url, path, 10 * MiB)
            assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
            with backend.client() as http:
                response = http.post(
                    path, content=_chunks(2 * MiB),
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
            assert_problem(response, 413, "payload_too_large")
    finally:
        backend.stop()
