"""Applying the change feed with a cursor check: a batch lands only on the cursor it follows.

Whoever applies (a /v1/sync page, a burst of streamed events) names the cursor the batch
follows. The write transaction compares it with the stored cursor before writing anything and
stores the batch's own cursor with it, so an event is never applied twice and never skipped,
whichever path (poll or stream) brought it and whatever ran in between.

A big catch-up batch may be written in steps of a few hundred events, each its own short
transaction (a GUI-thread write waits for the one in progress, console/timing.py
APPLY_STEP_EVENTS). The steps before the last store how far they got (PARTIAL_KEY: the cursor
the batch follows and the seq of its last event written) instead of a cursor; the last stores
the batch's cursor, which drops the mark (as storing any cursor does). A batch cut short
(the process killed mid-way) is read again from the stored cursor, and the events up to the
mark are skipped: still never twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, update

from console.protocol.sync import SyncEvent
from console.store.apply import prepare_events, write_events
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.models import sync_state
from console.store.session_meta import (
    FEED_PARTIAL_KEY as PARTIAL_KEY,
)
from console.store.session_meta import (
    get_meta,
    read_cursor,
    save_cursor,
    set_meta,
)


def apply_after(
    cache: Cache,
    events: Sequence[SyncEvent],
    *,
    after: str | None,
    cursor: str,
    now: datetime | None = None,
    reset: bool = False,
    step: int = 0,
) -> Changes | None:
    """Apply `events` and store `cursor` if the stored cursor is still `after`; None (nothing
    written) when it is not: the batch does not follow on. In one transaction, or with `step`
    in transactions of at most that many events (see above): if another writer stores a
    cursor between two steps, the changes of the steps written are returned (the cursor stays
    the other writer's). Events another writer's steps covered meanwhile (the mark, read
    again in each transaction) are not written twice. `reset` marks the changes "reload
    everything" (a first sync fills the whole cache)."""
    mark = after or ""
    done = _written_up_to(cache, mark)
    if done is not None:  # an earlier attempt at this batch got this far
        events = [event for event in events if event.seq > done]
    parts = [events[i : i + step] for i in range(0, len(events), step)] if step > 0 else []
    parts = parts or [events]
    changes = Changes()
    for number, part in enumerate(parts, 1):
        prepared = prepare_events(part)  # before the transaction: it holds the write lock
        with cache.write() as conn:
            if read_cursor(conn).cursor != after:
                # Another writer stored a cursor meanwhile. Steps already written stand (their
                # changes are returned: the caller shows them, then finds the next batch does
                # not follow on and reads on from the stored cursor).
                return changes if number > 1 else None
            now_done = _mark_in(conn, mark)
            if now_done != done:  # another writer wrote steps of this batch meanwhile
                part = [event for event in part if now_done is None or event.seq > now_done]
                prepared = prepare_events(part)
            changes.merge(write_events(conn, prepared))
            if number < len(parts):
                done = max(part[-1].seq if part else 0, now_done or 0)
                set_meta(conn, {PARTIAL_KEY: f"{mark}\n{done}"})
                continue
            save_cursor(conn, cursor, now or utcnow())  # and drops the mark
    changes.reset = changes.reset or reset or after is None
    return changes


def _written_up_to(cache: Cache, mark: str) -> int | None:
    """The seq an earlier, cut-short attempt at the batch after `mark` wrote up to."""
    with cache.read() as conn:
        return _mark_in(conn, mark)


def _mark_in(conn: Connection, mark: str) -> int | None:
    value = get_meta(conn).get(PARTIAL_KEY, "")
    following, _, seq = value.rpartition("\n")
    if not value or following != mark or not seq.isdigit():
        return None
    return int(seq)


def record_synced(cache: Cache, now: datetime) -> None:
    """The cache was known current at `now` (the live stream's heartbeat: nothing waiting)."""
    with cache.write() as conn:
        conn.execute(update(sync_state).where(sync_state.c.id == 1).values(last_sync_at=now))
