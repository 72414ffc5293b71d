"""The sync engine: one background thread per profile that keeps the cache and server in step.

Each cycle: push the due outbox items (per conversation in composition order), then pull the
change feed from the stored cursor until it is drained, applying every page and its cursor in
one transaction; then wait for the poll interval or a wake-up. It never runs on the GUI thread
and reports what changed by id (Changes) and how it is doing (EngineStatus).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from console.store import outbox as ob
from console.store.apply import apply_sent_message, apply_sync_page
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.session_meta import read_cursor, save_cursor
from console.sync.api_client import ApiClient
from console.sync.backoff import Backoff
from console.sync.errors import (
    ApiError,
    BackendUnreachable,
    CursorInvalid,
    RateLimited,
    ServerError,
    Unauthorized,
)

log = logging.getLogger("console.sync.engine")

SIGNED_OUT_DETAIL = "Signed out: log in again"
NOT_SIGNED_IN_DETAIL = "Not signed in"
PAGE_LIMIT = 500
# Even with nothing changing, re-announce the status this often so "last synced" stays fresh.
STATUS_REFRESH_S = 5.0


class EngineState(StrEnum):
    OFFLINE = "offline"
    CONNECTING = "connecting"
    ONLINE = "online"


@dataclass(frozen=True, slots=True)
class EngineStatus:
    state: EngineState
    detail: str = ""
    last_sync_at: datetime | None = None
    pending: int = 0
    signed_out: bool = False


class _Stop(Exception):
    """close() was called: leave the cycle at once."""


class _Unsendable(ValueError):
    """An outbox item this console cannot send (corrupt or from a newer version)."""


def _seconds(delay: float) -> str:
    return f"{max(1, round(delay))} s"


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
            pending = ob.pending_count(conn)
        self._status = EngineStatus(
            EngineState.OFFLINE if not client.has_token else EngineState.CONNECTING,
            NOT_SIGNED_IN_DETAIL if not client.has_token else "Connecting…",
            last_sync_at,
            pending,
        )
        self._last_emit = 0.0

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

    def note_local_write(self) -> None:
        """A local write queued outbox work: update the pending count now, then run a cycle."""
        if self._stop.is_set():
            return
        with self._cache.read() as conn:
            pending = ob.pending_count(conn)
        with self._status_lock:
            previous = self._status
            self._status = replace(previous, pending=pending)
            status = self._status
        if status != previous:
            self._on_status(status)
        self.wake()

    def set_token(self, token: str | None) -> None:
        """A new sign-in (or sign-out): resume pushing and pulling with it."""
        self._client.set_token(token)
        self._signed_out = False
        self._failures = 0
        self.wake()

    def close(self, timeout: float = 1.5) -> bool:
        """Stop the thread; True if it ended within `timeout` seconds."""
        self._stop.set()
        self._wake.set()
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
            self._publish(EngineState.OFFLINE, "Sync stopped by an internal error (see the log)")

    def _cycle(self) -> float | None:
        """One push + pull; returns how long to wait before the next (None = until woken)."""
        if not self._client.has_token or self._signed_out:
            detail = SIGNED_OUT_DETAIL if self._signed_out else NOT_SIGNED_IN_DETAIL
            self._publish(EngineState.OFFLINE, detail)
            return None
        try:
            self._push()
            self._pull()
        except _Stop:
            raise
        except Unauthorized:
            self._signed_out = True
            self._publish(EngineState.OFFLINE, SIGNED_OUT_DETAIL)
            return None
        except BackendUnreachable:
            return self._retry_in("Backend unreachable")
        except RateLimited as exc:
            return self._retry_in("Server busy", retry_after=exc.retry_after)
        except ServerError as exc:
            return self._retry_in(f"Server error ({exc.status})")
        except ApiError as exc:
            log.warning("sync refused: %r", exc)
            return self._retry_in(f"Sync refused ({exc.code})")
        except Exception:
            log.exception("sync cycle failed")
            return self._retry_in("Sync error")
        self._failures = 0
        self._publish(EngineState.ONLINE, "", synced=True)
        return self._idle_wait()

    def _retry_in(self, reason: str, *, retry_after: float | None = None) -> float:
        self._failures += 1
        delay = self._backoff.delay(self._failures, retry_after=retry_after)
        self._publish(EngineState.OFFLINE, f"{reason} - retrying in {_seconds(delay)}")
        return delay

    def _idle_wait(self) -> float:
        with self._cache.read() as conn:
            due = ob.next_due_at(conn)
        if due is None:
            return self._poll_interval
        until_due = (due - utcnow()).total_seconds()
        return max(0.01, min(self._poll_interval, until_due))

    def _check_stop(self) -> None:
        if self._stop.is_set():
            raise _Stop

    # -- push -------------------------------------------------------------------------------

    def _push(self) -> None:
        while True:
            self._check_stop()
            with self._cache.read() as conn:
                due = ob.due_items(conn, utcnow())
            if not due:
                return
            for item in due:
                self._check_stop()
                if not self._push_item(item):
                    return  # the server asked us to slow down: pull, then wait

    def _push_item(self, item: ob.OutboxItem) -> bool:
        """Send one item; False when pushing should pause for this cycle."""
        try:
            with self._cache.write() as conn:
                item = ob.claim(conn, item.id, utcnow())
        except ob.InvalidTransition:
            # Someone else (a second console on this profile) took it: never send it twice.
            log.warning("outbox item %d was claimed elsewhere; skipping it", item.id)
            return True
        try:
            changes = self._send(item)
        except (BackendUnreachable, Unauthorized) as exc:
            # Not refused: due again as soon as the backend (or a new token) is back.
            # The retry reuses the idempotency key, so a request that did get through
            # before the timeout is not done twice.
            code = getattr(exc, "code", "unreachable")
            self._requeue(item, utcnow(), code, str(exc))
            raise
        except (RateLimited, ServerError) as exc:
            retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
            delay = self._backoff.delay(item.attempts, retry_after=retry_after)
            self._requeue(item, utcnow() + timedelta(seconds=delay), exc.code, exc.detail)
            return False
        except ApiError as exc:
            # Refused for good (4xx): the user sees why on the message.
            self._fail(item, exc.code, exc.detail)
            return True
        except _Unsendable as exc:
            self._fail(item, "client_error", str(exc))
            return True
        except Exception as exc:
            delay = self._backoff.delay(item.attempts)
            self._requeue(item, utcnow() + timedelta(seconds=delay), "client_error", str(exc))
            raise
        self._emit(changes)
        return True

    def _fail(self, item: ob.OutboxItem, code: str, detail: str) -> None:
        with self._cache.write() as conn:
            changes = ob.fail(conn, item.id, code=code, error=detail, now=utcnow())
        log.info("outbox item %d (%s) refused: %s", item.id, item.kind, code)
        self._emit(changes)

    def _requeue(self, item: ob.OutboxItem, at: datetime, code: str, error: str) -> None:
        with self._cache.write() as conn:
            ob.retry_later(conn, item.id, at=at, now=utcnow(), code=code, error=error)

    def _send(self, item: ob.OutboxItem) -> Changes:
        if item.kind == ob.OutboxKind.SEND_MESSAGE:
            if item.conversation_id is None:
                raise _Unsendable(f"outbox item {item.id} names no conversation")
            message = self._client.post_message(
                item.conversation_id, str(item.payload["body"]), item.idempotency_key
            )
            with self._cache.write() as conn:
                changes = apply_sent_message(conn, message, item.message_id)
                ob.complete(conn, item.id, utcnow())
        elif item.kind == ob.OutboxKind.MARK_READ:
            if item.conversation_id is None:
                raise _Unsendable(f"outbox item {item.id} names no conversation")
            self._client.mark_read(item.conversation_id)
            with self._cache.write() as conn:
                ob.complete(conn, item.id, utcnow())
            changes = Changes()
        else:
            raise _Unsendable(f"unknown outbox kind {item.kind!r}")
        changes.outbox = True
        return changes

    # -- pull -------------------------------------------------------------------------------

    def _pull(self) -> None:
        with self._cache.read() as conn:
            cursor = read_cursor(conn).cursor
        reset = cursor is None
        restarted = False
        while True:
            self._check_stop()
            try:
                page = self._client.sync(cursor, limit=self._page_limit)
            except CursorInvalid:
                if restarted or cursor is None:
                    raise
                # The server no longer knows our cursor: read the whole feed again.
                log.warning("sync cursor rejected by the server: resyncing from the start")
                with self._cache.write() as conn:
                    save_cursor(conn, None, None)
                cursor, reset, restarted = None, True, True
                continue
            changes = apply_sync_page(self._cache, page, reset=reset)
            self._emit(changes)
            if not page.has_more or page.next == cursor:
                return
            cursor = page.next

    # -- reporting --------------------------------------------------------------------------

    def _emit(self, changes: Changes) -> None:
        if self._stop.is_set():
            return  # closed: whoever listened may be gone already
        if not changes.is_empty():
            self._on_changes(changes)
        if changes.outbox:
            self._publish(self.status.state, self.status.detail)

    def _publish(self, state: EngineState, detail: str, *, synced: bool = False) -> None:
        if self._stop.is_set():
            return
        with self._cache.read() as conn:
            pending = ob.pending_count(conn)
        with self._status_lock:
            previous = self._status
            status = replace(
                previous,
                state=state,
                detail=detail,
                pending=pending,
                signed_out=self._signed_out,
                last_sync_at=utcnow() if synced else previous.last_sync_at,
            )
            self._status = status
        now = time.monotonic()
        meaningful = replace(status, last_sync_at=None) != replace(previous, last_sync_at=None)
        if meaningful or now - self._last_emit >= STATUS_REFRESH_S:
            self._last_emit = now
            self._on_status(status)
