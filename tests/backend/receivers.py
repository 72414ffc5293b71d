"""Real receivers on loopback for what the backend sends out: an SMTP server (aiosmtpd) and a
tiny HTTP server for push notifications and webhooks (it keeps the exact bytes it got)."""

from __future__ import annotations

import hashlib
import hmac
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    message: Message


class _Collect:
    def __init__(self, box: list[Mail]) -> None:
        self._box = box

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self._box.append(
            Mail(str(envelope.mail_from), list(envelope.rcpt_tos), message_from_bytes(content))
        )
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[str, list[Mail]]]:
    """A real SMTP server on loopback: yields its smtp:// URL and the list mail arrives in."""
    box: list[Mail] = []
    controller = Controller(_Collect(box), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{controller.port}", box
    finally:
        controller.stop()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpSink:
    """Records every POST; answers `status` (change it to make the receiver fail or recover)."""

    status: int = 200
    received: list[Received] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, item: Received) -> int:
        with self._lock:
            self.received.append(item)
            self.answered.append(self.status)
            return self.status

    def ok(self) -> list[Received]:
        """What was received and answered with success."""
        with self._lock:
            return [r for r, s in zip(self.received, self.answered, strict=True) if s < 300]


@contextmanager
def http_sink(status: int = 200) -> Iterator[HttpSink]:
    sink = HttpSink(status=status)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            code = sink.record(Received(self.path, headers, body))
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    sink.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return header is not None and hmac.compare_digest(expected, header)
