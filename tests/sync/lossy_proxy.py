"""A loopback TCP proxy that can swallow responses, so the client times out after the server
has already done the work (the case idempotency keys exist for)."""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field


@dataclass
class LossyProxy:
    upstream_host: str
    upstream_port: int
    # Responses to this many requests whose first line matches `match` are never delivered.
    swallow: int = 0
    match: bytes = b"POST /v1/conversations/"
    swallowed: int = 0
    _server: socket.socket | None = None
    _threads: list[threading.Thread] = field(default_factory=list)
    _sockets: list[socket.socket] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closed: bool = False

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.getsockname()[:2]
        return f"http://{host}:{port}"

    def start(self) -> LossyProxy:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._spawn(self._accept_loop)
        return self

    def close(self) -> None:
        self._closed = True
        with self._lock:
            sockets = list(self._sockets)
        if self._server is not None:
            self._shut(self._server)  # wakes the thread blocked in accept() (close alone does not)
            self._server.close()
        for sock in sockets:
            self._shut(sock)
            sock.close()
        for thread in self._threads:
            thread.join(5)

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._server is not None
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            upstream = socket.create_connection((self.upstream_host, self.upstream_port))
            with self._lock:
                self._sockets += [client, upstream]
            state = {"drop": False}
            self._spawn(self._pump_requests, client, upstream, state)
            self._spawn(self._pump_responses, upstream, client, state)

    def _pump_requests(
        self, src: socket.socket, dst: socket.socket, state: dict[str, bool]
    ) -> None:
        try:
            while data := src.recv(65536):
                if data.startswith(self.match):
                    with self._lock:
                        if self.swallowed < self.swallow:
                            self.swallowed += 1
                            state["drop"] = True
                dst.sendall(data)
        except OSError:
            pass
        finally:
            self._shut(dst)

    def _pump_responses(
        self, src: socket.socket, dst: socket.socket, state: dict[str, bool]
    ) -> None:
        try:
            while data := src.recv(65536):
                if not state["drop"]:
                    dst.sendall(data)
        except OSError:
            pass
        finally:
            self._shut(dst)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # already closed by the other side
            sock.shutdown(socket.SHUT_RDWR)
