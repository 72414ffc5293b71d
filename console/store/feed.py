"""Applying the change feed with a cursor check: a batch lands only on the cursor it follows.

Whoever applies (a /v1/sync page, a burst of streamed events) names the cursor the batch
follows. The write transaction compares it with the stored cursor before writing anything and
stores the batch's own cursor with it, so an event is never applied twice and never skipped,
whichever path (poll or stream) brought it and whatever ran in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update

from console.protocol.sync import SyncEvent
from console.store.apply import prepare_events, write_events
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.models import sync_state
from console.store.session_meta import read_cursor, save_cursor


def apply_after(
    cache: Cache,
    events: Sequence[SyncEvent],
    *,
    after: str | None,
    cursor: str,
    now: datetime | None = None,
    reset: bool = False,
) -> Changes | None:
    """Apply `events` and store `cursor`, in one transaction, if the stored cursor is still
    `after`; None (nothing written) when it is not: the batch does not follow on. `reset`
    marks the changes "reload everything" (a first sync fills the whole cache)."""
    prepared = prepare_events(events)  # before the transaction: it holds the write lock
    with cache.write() as conn:
        if read_cursor(conn).cursor != after:
            return None
        changes = write_events(conn, prepared)
        save_cursor(conn, cursor, now or utcnow())
    changes.reset = changes.reset or reset or after is None
    return changes


def record_synced(cache: Cache, now: datetime) -> None:
    """The cache was known current at `now` (the live stream's heartbeat: nothing waiting)."""
    with cache.write() as conn:
        conn.execute(update(sync_state).where(sync_state.c.id == 1).values(last_sync_at=now))
