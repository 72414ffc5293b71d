"""A small independent reader of `GET /v1/events` for backend tests and benchmarks.

Plain sockets and HTTP/1.1 chunked decoding, so a test can end a stream from another thread at
once (shutdown() wakes a blocked recv(); closing an httpx response from another thread may not)
and can tell a clean end of the stream (the last chunk arrived) from a dropped connection.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit


@dataclass(frozen=True)
class Sse:
    id: str | None  # None: not set in this block
    event: str | None
    data: str | None  # None: the block had no data (an id-only block)
    at: float  # time.perf_counter() when the block was complete

    def json(self) -> Any:
        assert self.data is not None
        return json.loads(self.data)


@dataclass
class SseStream:
    """One stream, read on a thread of its own. `items` grows as blocks arrive."""

    url: str
    token: str | None
    since: str | None = None
    last_event_id: str | None = None
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""  # the whole body of a non-200 answer
    items: list[Sse] = field(default_factory=list)
    ended_cleanly: bool = False  # the server finished the response (last chunk)
    error: str = ""
    on_item: Callable[[Sse], None] | None = None
    _sock: socket.socket | None = None
    _thread: threading.Thread | None = None
    _answered: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def start(self, timeout: float = 10.0) -> SseStream:
        parts = urlsplit(self.url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        query = urlencode({"since": self.since}) if self.since is not None else ""
        lines = [f"GET /v1/events{'?' + query if query else ''} HTTP/1.1", f"Host: {host}:{port}",
                 "Accept: text/event-stream"]
        if self.token:
            lines.append(f"Authorization: Bearer {self.token}")
        if self.last_event_id is not None:
            lines.append(f"Last-Event-ID: {self.last_event_id}")
        self._sock = socket.create_connection((host, port), timeout=timeout)
        self._sock.settimeout(None)
        self._sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self._thread = threading.Thread(target=self._run, daemon=True, name="sse-test-reader")
        self._thread.start()
        if not self._answered.wait(timeout):
            self.close()
            raise AssertionError("no answer to GET /v1/events")
        return self

    # -- reading ------------------------------------------------------------------------------

    def _run(self) -> None:
        assert self._sock is not None
        reader = self._sock.makefile("rb")
        try:
            status_line = reader.readline().decode()
            self.status = int(status_line.split()[1])
            while True:
                line = reader.readline().decode().rstrip("\r\n")
                if not line:
                    break
                name, _, value = line.partition(":")
                self.headers[name.strip().lower()] = value.strip()
            if self.status != 200:
                self.body = reader.read(int(self.headers.get("content-length", "0")))
                self._answered.set()
                return
            self._answered.set()
            self._read_chunks(reader)
        except (OSError, ValueError, IndexError) as exc:
            self.error = f"{exc.__class__.__name__}: {exc}"
        finally:
            self._answered.set()
            with self._cond:
                self.done.set()
                self._cond.notify_all()
            with contextlib.suppress(OSError):
                reader.close()

    def _read_chunks(self, reader: Any) -> None:
        pending = b""
        while True:
            size_line = reader.readline()
            if not size_line:
                self.error = "connection dropped"
                return
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                reader.readline()
                self.ended_cleanly = True
                return
            chunk = reader.read(size)
            reader.readline()  # CRLF after the chunk
            pending += chunk
            while b"\n\n" in pending:
                block, pending = pending.split(b"\n\n", 1)
                self._block(block.decode())

    def _block(self, text: str) -> None:
        fields: dict[str, list[str]] = {}
        for line in text.split("\n"):
            if not line or line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            fields.setdefault(name, []).append(value[1:] if value.startswith(" ") else value)
        if not fields:
            return
        item = Sse(
            id=fields["id"][-1] if "id" in fields else None,
            event=fields["event"][-1] if "event" in fields else None,
            data="\n".join(fields["data"]) if "data" in fields else None,
            at=time.perf_counter(),
        )
        with self._cond:
            self.items.append(item)
            self._cond.notify_all()
        if self.on_item is not None:
            self.on_item(item)

    # -- for tests ----------------------------------------------------------------------------

    @property
    def events(self) -> list[Sse]:
        """Feed events (not heartbeats, not id-only blocks)."""
        with self._cond:
            return [i for i in self.items if i.data is not None and i.event != "heartbeat"]

    def wait_until(self, probe: Callable[[SseStream], bool], timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not probe(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"stream condition not met within {timeout} s; {len(self.items)} items,"
                        f" done={self.done.is_set()} error={self.error!r}"
                    )
                self._cond.wait(min(left, 0.1))

    def wait_ended(self, timeout: float = 5.0) -> None:
        if not self.done.wait(timeout):
            raise AssertionError(f"stream still open after {timeout} s")

    def problem(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data

    def close(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
            self._sock.close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> SseStream:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_stream(url: str, token: str | None, **kwargs: Any) -> SseStream:
    return SseStream(url, token, **kwargs).start()
