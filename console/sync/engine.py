"""The sync engine: one background thread per profile that keeps the cache and server in step.

Each cycle: push the due outbox items (console/sync/pusher.py: per conversation in composition
order), then pull (console/sync/puller.py: apply what the realtime stream delivered or, while
it is not up, catch up with /v1/sync and reopen it); then wait for the next wake-up (a streamed
event, a local write), outbox due time or poll. It never runs on the GUI thread and reports what
changed by id (Changes) and how it is doing (EngineStatus).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from console.domain.status_detail import NO_DETAIL, DetailCode, StatusDetail
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.session_meta import read_cursor
from console.sync.api_client import ApiClient
from console.sync.backoff import Backoff
from console.sync.errors import (
    ApiError,
    BackendUnreachable,
    RateLimited,
    ServerError,
    Unauthorized,
)
from console.sync.event_stream import DEFAULT_HEARTBEAT_S
from console.sync.puller import STREAM_BACKOFF, FeedMode, Puller
from console.sync.pusher import Pusher
from console.timing import MAX_APPLY_EVENTS, PAGE_LIMIT, STATUS_REFRESH_S

log = logging.getLogger("console.sync.engine")

SIGNED_OUT_DETAIL = StatusDetail(DetailCode.SIGNED_OUT)
NOT_SIGNED_IN_DETAIL = StatusDetail(DetailCode.NOT_SIGNED_IN)
CONNECTING_DETAIL = StatusDetail(DetailCode.CONNECTING)


class EngineState(StrEnum):
    OFFLINE = "offline"
    CONNECTING = "connecting"
    ONLINE = "online"


@dataclass(frozen=True, slots=True)
class EngineStatus:
    state: EngineState
    detail: StatusDetail = NO_DETAIL  # worded by the UI (console/ui/sync_status.py)
    last_sync_at: datetime | None = None
    pending: int = 0
    signed_out: bool = False
    refused: int = 0  # outbox items the server refused, waiting for Retry or Discard
    live: bool = False  # the realtime stream is up (changes arrive as they happen)


class _Stop(Exception):
    """close() was called: leave the cycle at once."""


class _Unsendable(ValueError):
    """An outbox item this console cannot send (corrupt or from a newer version)."""


def _seconds(delay: float) -> int:
    return max(1, round(delay))


class SyncEngine:
    def __init__(
        self,
        cache: Cache,
        client: ApiClient,
        *,
        on_changes: Callable[[Changes], None],
        on_status: Callable[[EngineStatus], None],
        poll_interval: float = 0.5,
        backoff: Backoff | None = None,
        page_limit: int = PAGE_LIMIT,
        realtime: bool = True,
        heartbeat_s: float = DEFAULT_HEARTBEAT_S,
        stream_backoff: Backoff = STREAM_BACKOFF,
        max_apply_events: int = MAX_APPLY_EVENTS,
    ) -> None:
        self._cache = cache
        self._client = client
        self._on_changes = on_changes
        self._on_status = on_status
        self._poll_interval = poll_interval
        self._backoff = backoff or Backoff()
        self._page_limit = page_limit
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._signed_out = False
        self._failures = 0
        self._status_lock = threading.Lock()
        with cache.read() as conn:
            last_sync_at = read_cursor(conn).last_sync_at
            counts = ob.counts(conn)
        self._status = EngineStatus(
            EngineState.OFFLINE if not client.has_token else EngineState.CONNECTING,
            NOT_SIGNED_IN_DETAIL if not client.has_token else CONNECTING_DETAIL,
            last_sync_at,
            counts.pending,
            refused=counts.refused,
        )
        self._last_emit = 0.0
        # Requests from other threads, handled by the engine thread at its next cycle.
        self._refresh = False
        self._new_token = False
        self._pusher = Pusher(
            cache, client, backoff=self._backoff, emit=self._emit, check_stop=self._check_stop
        )
        self._puller = Puller(
            cache,
            client,
            emit=self._emit,
            wake=self._wake.set,
            check_stop=self._check_stop,
            poll_interval=poll_interval,
            page_limit=page_limit,
            realtime=realtime,
            heartbeat_s=heartbeat_s,
            backoff=stream_backoff,
            max_apply_events=max_apply_events,
        )

    # -- control (any thread) -------------------------------------------------------------

    @property
    def status(self) -> EngineStatus:
        with self._status_lock:
            return self._status

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="console-sync", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Run a cycle now (after a local write, or when the user asks)."""
        self._wake.set()

    def sync_now(self) -> None:
        """The user asked: catch up from the server now, even if the realtime stream seems up
        (it may be dead without knowing it yet), and push what is due."""
        self._refresh = True
        self._wake.set()

    def note_local_write(self) -> None:
        """A local write queued outbox work: update the pending count now, then run a cycle."""
        if self._stop.is_set():
            return
        with self._cache.read() as conn:
            counts = ob.counts(conn)
        with self._status_lock:
            previous = self._status
            self._status = replace(previous, pending=counts.pending, refused=counts.refused)
            status = self._status
        if status != previous:
            self._on_status(status)
        self.wake()

    def set_token(self, token: str | None) -> None:
        """A new sign-in (or sign-out): resume pushing and pulling with it."""
        self._client.set_token(token)
        self._signed_out = False
        self._failures = 0
        self._new_token = True
        self.wake()

    def close(self, timeout: float = 1.5) -> bool:
        """Stop the thread; True if it ended within `timeout` seconds."""
        self._stop.set()
        self._wake.set()
        self._puller.abort()  # the stream reader's thread ends now, not at its next read
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # -- the loop (engine thread) ---------------------------------------------------------

    def _run(self) -> None:
        try:
            with self._cache.write() as conn:
                recovered = ob.recover_interrupted(conn, utcnow())
            if recovered:
                log.info("%d outbox item(s) were mid-request at the last exit: retrying", recovered)
            while not self._stop.is_set():
                self._wake.clear()
                delay = self._cycle()
                if self._stop.is_set():
                    break
                self._wake.wait(delay)
        except _Stop:
            pass
        except Exception:  # a bug: say so in the log and the status bar rather than die silently
            log.exception("sync engine stopped by an unexpected error")
            self._publish(EngineState.OFFLINE, StatusDetail(DetailCode.INTERNAL_ERROR))
        finally:
            self._puller.close()

    def _cycle(self) -> float | None:
        """One push + pull; returns how long to wait before the next (None = until woken)."""
        if not self._client.has_token or self._signed_out:
            self._puller.stop_stream()
            detail = SIGNED_OUT_DETAIL if self._signed_out else NOT_SIGNED_IN_DETAIL
            self._publish(EngineState.OFFLINE, detail)
            return None
        if self._new_token:
            self._new_token = False
            self._puller.reset()
        if self._refresh:
            self._refresh = False
            self._puller.refresh()
        if self.status.state is EngineState.OFFLINE:
            self._publish(EngineState.CONNECTING, CONNECTING_DETAIL)
        try:
            self._push()
            self._pull()
        except _Stop:
            raise
        except Unauthorized:
            self._signed_out = True
            self._puller.stop_stream()
            self._publish(EngineState.OFFLINE, SIGNED_OUT_DETAIL)
            return None
        except BackendUnreachable:
            return self._retry_in(DetailCode.RETRY_UNREACHABLE)
        except RateLimited as exc:
            return self._retry_in(DetailCode.RETRY_BUSY, retry_after=exc.retry_after)
        except ServerError as exc:
            return self._retry_in(
                DetailCode.RETRY_SERVER_ERROR, retry_after=exc.retry_after, status=exc.status
            )
        except ApiError as exc:
            log.warning("sync refused: %r", exc)
            return self._retry_in(DetailCode.RETRY_REFUSED, code=exc.code)
        except Exception:
            log.exception("sync cycle failed")
            return self._retry_in(DetailCode.RETRY_ERROR)
        self._failures = 0
        self._publish(EngineState.ONLINE, self._puller.detail, synced=True)
        return self._idle_wait()

    def _retry_in(
        self, reason: DetailCode, /, *, retry_after: float | None = None, **values: str | int
    ) -> float:
        self._failures += 1
        delay = self._backoff.delay(self._failures, retry_after=retry_after)
        detail = StatusDetail.of(reason, seconds=_seconds(delay), **values)
        self._publish(EngineState.OFFLINE, detail)
        return delay

    def _idle_wait(self) -> float | None:
        """Until the next outbox item is due or the pull side needs a cycle (the stream's
        events and local writes wake the engine sooner)."""
        with self._cache.read() as conn:
            due = ob.next_due_at(conn)
        wait = self._puller.wait_hint()
        if due is not None:
            until_due = max(0.01, (due - utcnow()).total_seconds())
            wait = until_due if wait is None else min(wait, until_due)
        return wait

    def _check_stop(self) -> None:
        if self._stop.is_set():
            raise _Stop

    # -- push (console/sync/pusher.py) -----------------------------------------------------

    def _push(self) -> None:
        self._pusher.push()

    # -- pull (console/sync/puller.py) -----------------------------------------------------

    def _pull(self) -> None:
        self._puller.sync()

    # -- reporting --------------------------------------------------------------------------

    def _emit(self, changes: Changes) -> None:
        if self._stop.is_set():
            return  # closed: whoever listened may be gone already
        if not changes.is_empty():
            self._on_changes(changes)
        if changes.outbox:
            self._publish(self.status.state, self.status.detail)

    def _publish(self, state: EngineState, detail: StatusDetail, *, synced: bool = False) -> None:
        if self._stop.is_set():
            return
        with self._cache.read() as conn:
            counts = ob.counts(conn)
        with self._status_lock:
            previous = self._status
            status = replace(
                previous,
                state=state,
                detail=detail,
                pending=counts.pending,
                refused=counts.refused,
                signed_out=self._signed_out,
                last_sync_at=utcnow() if synced else previous.last_sync_at,
                live=state is EngineState.ONLINE and self._puller.mode is FeedMode.LIVE,
            )
            self._status = status
        now = time.monotonic()
        meaningful = replace(status, last_sync_at=None) != replace(previous, last_sync_at=None)
        if meaningful or now - self._last_emit >= STATUS_REFRESH_S:
            self._last_emit = now
            self._on_status(status)
