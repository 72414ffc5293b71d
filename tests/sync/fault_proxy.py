"""A loopback TCP proxy in front of a real backend that can fail the way networks do: cut
connections, go silent (a dead stream), buffer a stream (some proxies do), refuse the event
stream (a server or gateway without it), refuse everything, or hold requests (slow network)."""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field

EVENTS = b"GET /v1/events"
_NOT_FOUND_BODY = (
    b'{"type":"about:blank","title":"Not Found","status":404,'
    b'"detail":"No such route.","code":"not_found"}'
)
_UNAVAILABLE_BODY = (
    b'{"type":"about:blank","title":"Service Unavailable","status":503,'
    b'"detail":"Try again later.","code":"server_error"}'
)
UNAVAILABLE = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
    b"Content-Length: " + str(len(_UNAVAILABLE_BODY)).encode() + b"\r\nConnection: close\r\n\r\n"
    + _UNAVAILABLE_BODY
)
NOT_FOUND = (
    b"HTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json\r\n"
    b"Content-Length: " + str(len(_NOT_FOUND_BODY)).encode() + b"\r\nConnection: close\r\n\r\n"
    + _NOT_FOUND_BODY
)


@dataclass
class _Conn:
    client: socket.socket
    upstream: socket.socket
    events: bool = False  # it carried GET /v1/events (an event stream never ends)
    buffered: bytearray = field(default_factory=bytearray)


@dataclass
class FaultProxy:
    upstream_host: str
    upstream_port: int
    stall_events: bool = False  # event-stream bytes are swallowed: the stream goes silent
    buffer_events: bool = False  # event-stream bytes are held until the connection ends
    refuse_events: bool = False  # GET /v1/events answered 404 here, never forwarded
    refuse_all: bool = False  # new connections are closed at once (backend unreachable)
    fail_posts: bool = False  # every POST is answered 503 here (the server is struggling)
    event_requests: list[bytes] = field(default_factory=list)  # heads of GET /v1/events
    request_lines: list[bytes] = field(default_factory=list)  # first line of every request
    _flowing: threading.Event = field(default_factory=threading.Event)
    _server: socket.socket | None = None
    _conns: list[_Conn] = field(default_factory=list)
    _threads: list[threading.Thread] = field(default_factory=list)
    _sockets: list[socket.socket] = field(default_factory=list)  # closed at close()
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closed: bool = False

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.getsockname()[:2]
        return f"http://{host}:{port}"

    def start(self) -> FaultProxy:
        self._flowing.set()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._spawn(self._accept_loop)
        return self

    # -- faults ---------------------------------------------------------------------------------

    def hold(self) -> None:
        """Requests (new and on open connections) wait until release()."""
        self._flowing.clear()

    def release(self) -> None:
        self._flowing.set()

    def cut_events(self) -> int:
        """Drop every connection that carries an event stream; returns how many."""
        return self._cut(lambda conn: conn.events)

    def cut_all(self) -> int:
        return self._cut(lambda conn: True)

    def event_stream_count(self) -> int:
        with self._lock:
            return len(self.event_requests)

    def _cut(self, which: object) -> int:
        with self._lock:
            doomed = [c for c in self._conns if which(c)]  # type: ignore[operator]
            self._conns = [c for c in self._conns if c not in doomed]
        for conn in doomed:
            for sock in (conn.client, conn.upstream):
                self._shut(sock)
        return len(doomed)

    def close(self) -> None:
        self._closed = True
        self._flowing.set()
        if self._server is not None:
            self._shut(self._server)
            self._server.close()
        self.cut_all()
        for thread in list(self._threads):
            thread.join(5)
        for sock in self._sockets:
            sock.close()

    # -- plumbing -------------------------------------------------------------------------------

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._server is not None
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                self._sockets.append(client)
            if self.refuse_all or self._closed:
                self._shut(client)
                continue
            try:
                upstream = socket.create_connection((self.upstream_host, self.upstream_port))
            except OSError:
                self._shut(client)
                continue
            conn = _Conn(client, upstream)
            with self._lock:
                self._sockets.append(upstream)
                self._conns.append(conn)
            self._spawn(self._pump_requests, conn)
            self._spawn(self._pump_responses, conn)

    def _pump_requests(self, conn: _Conn) -> None:
        try:
            while data := conn.client.recv(65536):
                self._flowing.wait()
                if data[:1].isupper():  # a request starts here (not the rest of a body)
                    with self._lock:
                        self.request_lines.append(data.split(b"\r\n", 1)[0])
                    if self.fail_posts and data.startswith(b"POST "):
                        conn.client.sendall(UNAVAILABLE)
                        break
                if data.startswith(EVENTS):
                    with self._lock:
                        self.event_requests.append(data.split(b"\r\n\r\n", 1)[0])
                    if self.refuse_events:
                        conn.client.sendall(NOT_FOUND)
                        break
                    conn.events = True
                conn.upstream.sendall(data)
        except OSError:
            pass
        finally:
            self._shut(conn.upstream)
            self._shut(conn.client)

    def _pump_responses(self, conn: _Conn) -> None:
        try:
            while data := conn.upstream.recv(65536):
                if conn.events and self.stall_events:
                    continue
                if conn.events and self.buffer_events:
                    conn.buffered += data
                    continue
                conn.client.sendall(data)
            if conn.buffered:
                conn.client.sendall(bytes(conn.buffered))
        except OSError:
            pass
        finally:
            self._shut(conn.client)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
