"""Integrations and push reach public addresses only, unless `serve --allow-private-webhooks`.

Refused at creation (422) for a literal address in any spelling; refused at connect time for a
name that resolves to a private address (the real guard), with a delivery record that says
only "destination not allowed". No traffic leaves loopback: refusals are checked without
connecting, and the only receivers are on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from console.backend import outbound_guard
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import Api, assert_problem, contact_named, page_all, wait_for
from tests.backend.receivers import http_sink
from tests.support.backend_process import BackendProcess, sqlite_url

FAST = {"CONSOLE_RETRY_BASE_S": "0.05", "CONSOLE_JOB_POLL_S": "0.05"}
PRIVATE_URLS = [
    "http://127.0.0.1/hook", "http://127.1/hook", "http://0.0.0.0/hook",
    "http://2130706433/hook", "http://0x7f.1/hook", "http://0177.0.0.1/hook",
    "http://[::1]/hook", "http://[::]/hook", "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:7f00:1]/hook", "http://[2002:7f00:1::1]/hook",
    "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/hook",
    "http://10.0.0.5/hook", "http://172.16.0.1/hook", "http://192.168.1.1/hook",
    "http://100.64.0.1/hook", "http://[fc00::1]/hook", "http://224.0.0.1/hook",
    "http://[ff02::1]/hook", "http://240.0.0.1/hook", "http://255.255.255.255/hook",
    "http://192.0.2.10/hook", "http://198.18.0.1/hook",
    "http://localhost:8080/hook", "http://LOCALHOST./hook", "http://api.localhost/hook",
]


def _secret() -> str:
    return f"whsec_{uuid.uuid4().hex}"


# --- at creation: the shared package backend runs without --allow-private-webhooks ---


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_private_targets_are_refused_when_an_integration_is_created(api: Api, url: str) -> None:
    body = assert_problem(
        api.admin.post("/v1/integrations", json={"url": url, "secret": _secret()}), 422,
        "validation_error",
    )
    assert body["detail"].startswith("url: destination not allowed"), body


# Python 3.11's is_global calls these public: site-local IPv6 (fec0::/10, deprecated but
# routed inside some networks) and the IETF protocol block 192.0.0.0/24.
NOT_GLOBAL_TO_PYTHON = ["fec0::1", "feff::1", "fec0::ffff:7f00:1", "192.0.0.9", "192.0.0.10",
                        "192.0.0.255", "::ffff:192.0.0.9"]


@pytest.mark.parametrize("text", NOT_GLOBAL_TO_PYTHON)
def test_site_local_and_the_ietf_protocol_block_are_not_public(text: str) -> None:
    assert not outbound_guard.is_public(ipaddress.ip_address(text))


@pytest.mark.parametrize("text", NOT_GLOBAL_TO_PYTHON)
def test_site_local_and_the_ietf_protocol_block_are_refused_at_creation(
    api: Api, text: str
) -> None:
    host = f"[{text}]" if ":" in text else text
    created = api.admin.post(
        "/v1/integrations", json={"url": f"http://{host}/hook", "secret": _secret()}
    )
    body = assert_problem(created, 422, "validation_error")
    assert body["detail"].startswith("url: destination not allowed"), body


# Not a URL one can send to: urlsplit raised ValueError (a 500) for the first three; the port
# ones were accepted and the delivery failed (retried) later.
MALFORMED_URLS = ["http://[::1/", "http://[zz]/", "http://\u2100.example/", "http://[::1",
                  "http://a.example:99999/", "http://a.example:65536/x", "http://a.example:0/",
                  "http://a.example:-1/", "http://a.example:+80/", "https://a.example:8x/"]


@pytest.mark.parametrize("url", MALFORMED_URLS)
@pytest.mark.parametrize("allow_private", [False, True])
def test_a_malformed_url_is_explained(url: str, allow_private: bool) -> None:
    problem = outbound_guard.check_url(url, allow_private=allow_private)
    assert problem is not None
    assert problem.startswith("give an http:// or https:// URL")


@pytest.mark.parametrize("url", MALFORMED_URLS)
def test_a_malformed_url_is_422_when_an_integration_is_created(api: Api, url: str) -> None:
    body = assert_problem(
        api.admin.post("/v1/integrations", json={"url": url, "secret": _secret()}), 422,
        "validation_error",
    )
    assert body["detail"].startswith("url: give an http:// or https:// URL"), body


def test_the_backend_itself_is_refused(api: Api) -> None:
    response = api.admin.post(
        "/v1/integrations", json={"url": f"{api.backend.url}/v1/auth/token", "secret": _secret()}
    )
    assert_problem(response, 422, "validation_error")


def test_public_targets_are_still_accepted(api: Api) -> None:
    for url in ("https://hooks.example.com/in", "http://93.184.215.14:8080/x",
                "https://[2606:4700::1111]/x"):
        created = api.admin.post("/v1/integrations", json={"url": url, "secret": _secret()})
        assert created.status_code == 201, created.text
        assert api.admin.delete(f"/v1/integrations/{created.json()['id']}").status_code == 204


# --- at connect time: the guard itself ---


def _host_resolving_privately() -> str:
    """This machine's name: it resolves through /etc/hosts to a loopback or private address
    (never refused when an integration is created, since it is a name)."""
    name = socket.gethostname()
    try:
        infos = socket.getaddrinfo(name, 80, type=socket.SOCK_STREAM)
    except socket.gaierror:
        pytest.skip(f"{name} does not resolve here")
    addresses = {ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos}
    if any(outbound_guard.is_public(a) for a in addresses):
        pytest.skip(f"{name} resolves to a public address here")
    return name


def test_the_guard_refuses_a_name_resolving_to_a_private_address_without_connecting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connected: list[Any] = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a))
    monkeypatch.setattr(
        socket, "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80))],
    )
    with (outbound_guard.guarded_client(timeout=2, allow_private=False) as client,
          pytest.raises(outbound_guard.DestinationRefused)):
        client.post("http://internal.example/hook", content=b"{}")
    assert connected == []


def test_a_name_with_one_private_address_among_public_ones_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80)),
               (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", 80, 0, 0))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: pytest.fail("connected"))
    with pytest.raises(outbound_guard.DestinationRefused):
        outbound_guard.resolve_checked("mixed.example", 80, allow_private=False)


def test_the_guard_connects_to_the_address_it_checked_and_keeps_the_host_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Resolved once: a second answer (DNS rebinding) is never used. 127.0.0.1 stands in
    for a public address here (is_public patched), 127.0.0.2 for the rebound one."""
    real_getaddrinfo = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.example":
            return real_getaddrinfo(host, port, *args, **kwargs)
        lookups.append(host)
        address = "127.0.0.1" if len(lookups) == 1 else "127.0.0.2"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(outbound_guard, "is_public",
                        lambda address: str(address) == "127.0.0.1")
    with http_sink() as sink:
        port = sink.url.rsplit(":", 1)[1]
        with outbound_guard.guarded_client(timeout=5, allow_private=False) as client:
            response = client.post(f"http://rebind.example:{port}/hook", content=b"{}")
        assert response.status_code == 200
        assert lookups == ["rebind.example"]
        assert sink.received[0].headers["host"] == f"rebind.example:{port}"


# --- end to end: a real backend without the flag, a receiver on loopback ---


@pytest.fixture(scope="module")
def strict_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    db = sqlite_url(tmp_path_factory.mktemp("guard") / "backend.db")
    process = BackendProcess(db, args=["--seed", "demo"], env=FAST).start()
    yield process
    process.stop()


def test_a_webhook_to_a_name_resolving_privately_is_refused_and_says_only_that(
    strict_backend: BackendProcess,
) -> None:
    host = _host_resolving_privately()
    with http_sink() as sink, strict_backend.client(
        strict_backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    ) as admin:
        port = sink.url.rsplit(":", 1)[1]
        created = admin.post(
            "/v1/integrations", json={"url": f"http://{host}:{port}/hook", "secret": _secret()}
        )
        assert created.status_code == 201, created.text
        integration = created.json()
        maria = contact_named(admin, "Maria Gonzalez")
        reply = admin.post("/v1/simulator/app-reply",
                           json={"contact_id": maria["id"], "body": "Is it still available?"})
        assert reply.status_code in (200, 201), reply.text

        def settled() -> list[dict[str, Any]] | None:
            records = page_all(admin, f"/v1/integrations/{integration['id']}/deliveries",
                               limit=50)
            return records if records and records[0]["state"] != "pending" else None

        record = wait_for(settled, timeout=10)[0]
        assert (record["state"], record["last_error"]) == ("failed", "destination not allowed")
        assert record["response_status"] is None
        assert sink.received == []


def _serve_once(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "console.backend", "serve", "--db",
         sqlite_url(tmp_path / "push.db"), "--port", "0", *args],
        capture_output=True, text=True, timeout=60, input="",
    )


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/push", "http://169.254.169.254/",
                                 "http://[::1]:9/push", "http://localhost/push"])
def test_a_private_push_url_is_refused_at_start(tmp_path: Path, url: str) -> None:
    result = _serve_once(tmp_path, "--push-url", url)
    assert result.returncode == 1, result
    assert "--push-url: destination not allowed" in result.stderr
    assert "--allow-private-webhooks" in result.stderr


@pytest.mark.parametrize("url", ["http://[::1", "http://[zz]/", "http://a.example:99999/"])
@pytest.mark.parametrize("allow_private", [False, True])
def test_a_malformed_push_url_stops_the_start_with_one_line(
    tmp_path: Path, url: str, allow_private: bool
) -> None:
    extra = ["--allow-private-webhooks"] if allow_private else []
    result = _serve_once(tmp_path, "--push-url", url, *extra)
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "--push-url: give an http:// or https:// URL" in lines[0], lines


def test_allow_private_webhooks_lets_loopback_receivers_work(tmp_path: Path) -> None:
    with http_sink() as sink:
        backend = BackendProcess(
            sqlite_url(tmp_path / "allowed.db"),
            args=["--seed", "demo", "--allow-private-webhooks"], env=FAST,
        ).start()
        try:
            with backend.client(backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)) as admin:
                created = admin.post("/v1/integrations",
                                     json={"url": f"{sink.url}/hook", "secret": _secret()})
                assert created.status_code == 201, created.text
                maria = contact_named(admin, "Maria Gonzalez")
                admin.post("/v1/simulator/app-reply",
                           json={"contact_id": maria["id"], "body": "Allowed?"})
                wait_for(lambda: sink.ok(), timeout=10)
        finally:
            backend.stop()


# --- TLS through the guard: the certificate is checked for the name, not the address ---


def _self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    now = datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "hook.pem", folder / "hook.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_tls_through_the_guard_verifies_the_name_and_sends_it_as_sni(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = _self_signed(tmp_path, "hooks.test")
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(cert, key)
    names: list[str | None] = []

    def record_sni(_sock: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> None:
        names.append(name)

    server_side.sni_callback = record_sni

    class Ok(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    server.socket = server_side.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    real_getaddrinfo = socket.getaddrinfo

    def resolve(host: Any, port_: Any, *args: Any, **kwargs: Any) -> Any:
        if host in ("hooks.test", "other.test"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port_))]
        return real_getaddrinfo(host, port_, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(outbound_guard, "is_public", lambda address: str(address) == "127.0.0.1")
    trust = ssl.create_default_context(cafile=str(cert))
    try:
        with outbound_guard.guarded_client(timeout=5, allow_private=False,
                                           ssl_context=trust) as client:
            assert client.get(f"https://hooks.test:{port}/").status_code == 200
            assert names[-1] == "hooks.test"
            with pytest.raises(httpx.ConnectError, match=r"(?i)certificate|hostname"):
                client.get(f"https://other.test:{port}/")  # same address, wrong name
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
