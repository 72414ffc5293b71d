"""The realtime feed, `GET /v1/events`: one connection, read on a thread of its own.

It runs over the ApiClient's shared httpx.Client (a new client costs ~50 ms and a TLS
handshake). Each feed event is handed on with the cursor it follows and the cursor it leads to,
so whoever applies it can check, in the apply transaction, that nothing was skipped or already
applied. A connection lives until it drops, goes quiet for too long (missed heartbeats: the
server sends one after `heartbeat_s` of silence), or stop() is called; then one StreamEnded says
why. Reconnecting (with backoff, from the stored cursor) is the sync engine's decision.

Wire format (console/backend/routes/events_stream.py): `id:` is the cursor (as /v1/sync's
`next`), `event:` the type, `data:` the /v1/sync event as JSON; `event: heartbeat` (no id) when
idle. Comments (`: ...`) also count as signs of life.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from pydantic import ValidationError

from console.protocol.sync import SyncEvent
from console.sync.api_client import ApiClient
from console.sync.errors import ApiError, BackendUnreachable, NotFound, SyncError
from console.sync.sse import SseComment, SseEvent, SseIdUpdate, SseParser

log = logging.getLogger("console.sync.stream")

EVENTS_PATH = "/v1/events"
HEARTBEAT_EVENT = "heartbeat"
# API.md: heartbeats at least every 15 s. A stream quiet for 2.5 intervals is taken for dead
# (one late heartbeat is not enough; a proxy that buffers the stream never gets through).
DEFAULT_HEARTBEAT_S = 15.0
MISSED_HEARTBEATS = 2.5
THREAD_NAME = "console-sync-stream"
# Statuses that mean "this server (or a proxy in front of it) has no event stream here".
_UNAVAILABLE_STATUSES = frozenset({404, 405, 406, 501})


class StreamUnavailable(SyncError):
    """The server answered, but not with an event stream: poll /v1/sync instead."""


class StreamDead(BackendUnreachable):
    """Connected, but nothing (not even a heartbeat) arrived for too long."""


class StreamClosed(BackendUnreachable):
    """The server ended the stream (restart, revoked token, database error)."""


class StreamProtocolError(SyncError):
    """The stream carried something this console does not understand."""


@dataclass(frozen=True, slots=True)
class StreamOpened:
    """The server accepted the subscription (200, text/event-stream)."""


@dataclass(frozen=True, slots=True)
class StreamDelivered:
    """One feed event; `after` is the cursor it follows, `cursor` the one it leads to."""

    after: str | None
    event: SyncEvent
    cursor: str


@dataclass(frozen=True, slots=True)
class StreamMoved:
    """The cursor moved on with no event (past changes this reader may not see)."""

    after: str | None
    cursor: str


@dataclass(frozen=True, slots=True)
class StreamAlive:
    """A heartbeat: the stream is up and nothing is waiting to be sent."""


@dataclass(frozen=True, slots=True)
class StreamEnded:
    """The connection is over. `error` is None only when stop() ended it."""

    error: SyncError | None
    received: bool  # something arrived on it (a heartbeat or an event) before it ended


StreamItem = StreamOpened | StreamDelivered | StreamMoved | StreamAlive | StreamEnded


def dead_after(heartbeat_s: float) -> float:
    """Seconds of silence after which a stream with this heartbeat interval is dead."""
    return heartbeat_s * MISSED_HEARTBEATS


def is_unavailable(error: SyncError) -> bool:
    """The server has no usable stream (not a passing failure): fall back to polling."""
    if isinstance(error, StreamUnavailable | NotFound):
        return True
    return isinstance(error, ApiError) and error.status in _UNAVAILABLE_STATUSES


def _is_event_stream(response: httpx.Response) -> bool:
    content_type = str(response.headers.get("content-type", ""))
    return content_type.split(";", 1)[0].strip().lower() == "text/event-stream"


class EventStreamReader:
    """One subscription from `cursor`. start() it; `on_item` is called on the reader's thread,
    in stream order, and always last with one StreamEnded."""

    def __init__(
        self,
        client: ApiClient,
        cursor: str | None,
        *,
        on_item: Callable[[StreamItem], None],
        heartbeat_s: float = DEFAULT_HEARTBEAT_S,
    ) -> None:
        self._client = client
        self._cursor = cursor
        self._on_item = on_item
        self._read_timeout = dead_after(heartbeat_s)
        self._lock = threading.Lock()
        self._stopping = False
        self._response: httpx.Response | None = None
        self._thread: threading.Thread | None = None
        self._received = False  # set on the reader thread only

    @property
    def cursor(self) -> str | None:
        """The cursor it started from."""
        return self._cursor

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                raise RuntimeError("an EventStreamReader runs once")
            stopped_first = self._stopping
            if not stopped_first:
                # Started under the lock, so stop() never sees a thread it cannot join yet.
                self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
                self._thread.start()
        if stopped_first:
            self._emit(StreamEnded(None, False))

    def stop(self, timeout: float = 2.0) -> bool:
        """End the connection now (any thread); True once the reader thread has finished."""
        with self._lock:
            self._stopping = True
            response = self._response
            thread = self._thread
        if response is not None:
            _abort(response)
        if thread is None or thread is threading.current_thread():
            return True
        thread.join(timeout)
        return not thread.is_alive()

    # -- reader thread ------------------------------------------------------------------------

    def _run(self) -> None:
        error: SyncError | None = None
        try:
            self._read()
        except SyncError as exc:
            error = exc
        except Exception as exc:  # a bug: end this connection; the engine decides what next
            log.exception("event stream reader failed")
            error = StreamProtocolError(f"event stream reader failed: {exc!r}")
        with self._lock:
            stopping = self._stopping
        self._emit(StreamEnded(None if stopping else error, self._received))

    def _emit(self, item: StreamItem) -> None:
        try:
            self._on_item(item)
        except Exception:
            log.exception("event stream listener failed")

    def _read(self) -> None:
        """Read until the stream ends, then raise why it ended."""
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
        if self._cursor is not None:
            headers["Last-Event-ID"] = self._cursor
        response = self._client.open_stream(
            EVENTS_PATH,
            params={"since": self._cursor},
            headers=headers,
            read_timeout=self._read_timeout,
        )
        with self._lock:
            if self._stopping:
                response.close()
                return
            self._response = response
        try:
            if not _is_event_stream(response):
                raise StreamUnavailable(
                    f"{EVENTS_PATH} answered {response.headers.get('content-type')!r}, "
                    "not an event stream"
                )
            self._emit(StreamOpened())
            parser = SseParser(last_event_id=self._cursor)
            after = self._cursor
            try:
                for chunk in response.iter_bytes():
                    for item in parser.feed(chunk):
                        after = self._handle(item, after)
                        self._received = True
            except httpx.TimeoutException as exc:
                raise StreamDead(
                    f"No heartbeat from {EVENTS_PATH} for {self._read_timeout:g} s.",
                    timed_out=True,
                ) from exc
            except httpx.HTTPError as exc:
                raise StreamClosed(f"The event stream dropped ({type(exc).__name__}).") from exc
            raise StreamClosed("The server ended the event stream.")
        finally:
            with self._lock:
                self._response = None
            response.close()

    def _handle(self, item: SseEvent | SseComment | SseIdUpdate, after: str | None) -> str | None:
        if isinstance(item, SseComment):
            self._emit(StreamAlive())
            return after
        if isinstance(item, SseIdUpdate):
            if item.id and item.id != after:
                self._emit(StreamMoved(after, item.id))
                return item.id
            return after
        if item.type == HEARTBEAT_EVENT:
            self._emit(StreamAlive())
            return after
        if not item.id or item.id == after:
            raise StreamProtocolError(f"an event of type {item.type!r} came without a new id")
        try:
            event = SyncEvent.model_validate_json(item.data)
        except ValidationError as exc:
            raise StreamProtocolError(f"an event of type {item.type!r} is malformed") from exc
        self._emit(StreamDelivered(after, event, item.id))
        return item.id


def _abort(response: httpx.Response) -> None:
    """Make a read blocked on `response` return at once. Closing a socket does not wake a
    thread blocked in recv() on it; shutting it down does."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        return
    with contextlib.suppress(Exception):
        response.close()
