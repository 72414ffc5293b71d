"""Scheduled sends in the cache, without a server: the feed's rows (never overwritten by an
older copy), the open outbox items laid over them, a told failure staying told through a full
resync, and r0009 making an older cache resync."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from alembic import command

from console.domain.scheduled import ScheduledStatus
from console.protocol.sync import SyncEvent
from console.store import outbox as ob
from console.store import scheduled_queries, scheduled_writes
from console.store.apply import apply_events, apply_sync_page
from console.store.cache import Cache
from console.store.generations import open_new_generation, swap_in
from console.store.migrate import alembic_config
from console.store.session_meta import read_cursor, save_cursor
from tests.unit.cache_factories import at, event, page, resync_cursors


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache.open(tmp_path / "cache.db")
    yield c
    c.close()


def scheduled(sid: str, status: str = "scheduled", *, updated: float = 0, send: float = 60,
              body: str = "See you then", conversation_id: str = "c1",
              **extra: Any) -> SyncEvent:
    return event("scheduled.upserted", {
        "id": sid, "kind": "message", "status": status, "user_id": "u1", "body": body,
        "send_at": at(send).isoformat(), "conversation_id": conversation_id,
        "created_at": at(0).isoformat(), "updated_at": at(updated).isoformat(), **extra,
    })


def test_the_feed_fills_the_list_and_an_older_copy_never_wins(cache: Cache) -> None:
    with cache.write() as conn:
        apply_events(conn, [scheduled("s1", send=90), scheduled("s2", send=30,
                                                                  conversation_id="c2")])
        assert [i.id for i in scheduled_queries.upcoming(conn)] == ["s2", "s1"]  # soonest first
        assert [i.id for i in scheduled_queries.upcoming(conn, "c1")] == ["s1"]
        # It went (updated at 5); an answer from before (updated at 1) arrives late.
        apply_events(conn, [scheduled("s1", "sent", updated=5, result_id="m9")])
        apply_events(conn, [scheduled("s1", updated=1)])
        assert scheduled_queries.upcoming(conn, "c1") == []
        item = scheduled_queries.get_item(conn, "s1")
    assert item is not None
    assert (item.status, item.result_id, item.editable) == (ScheduledStatus.SENT, "m9", False)


def test_open_writes_show_over_the_synced_rows(cache: Cache) -> None:
    with cache.write() as conn:
        apply_events(conn, [scheduled("s1", send=60), scheduled("s2", send=70)])
        local_id, _ = scheduled_writes.queue_schedule(
            conn, conversation_id="c1", body="New one", send_at=at(65), now=at(1))
        scheduled_writes.queue_edit(conn, scheduled_id="s1",
                                    patch={"body": "Moved", "send_at": at(80)}, now=at(1))
        scheduled_writes.queue_cancel(conn, scheduled_id="s2", now=at(1))
        shown = scheduled_queries.upcoming(conn, "c1")
        assert [(i.id, i.body, i.send_at, i.local) for i in shown] == [
            (local_id, "New one", at(65), True), ("s1", "Moved", at(80), True)]
        # The server accepted the new one: its row replaces the local overlay.
        item = ob.by_key(conn, local_id.removeprefix(scheduled_writes.LOCAL_SCHEDULED_PREFIX))
        assert item is not None
        ob.claim(conn, item.id, at(2))
        apply_events(conn, [scheduled("s3", send=65, body="New one", updated=2)])
        scheduled_writes.adopt_scheduled(conn, local_id, "s3")
        ob.complete(conn, item.id, at(2), result_id="s3")
        assert scheduled_writes.server_id(conn, local_id) == "s3"
        shown = scheduled_queries.upcoming(conn, "c1")
    assert [(i.id, i.local) for i in shown] == [("s3", False), ("s1", True)]


def test_a_write_tried_once_is_never_rewritten_or_dropped(cache: Cache) -> None:
    with cache.write() as conn:
        local_id, _ = scheduled_writes.queue_schedule(
            conn, conversation_id="c1", body="First", send_at=at(65), now=at(1))
        item = ob.by_key(conn, local_id.removeprefix(scheduled_writes.LOCAL_SCHEDULED_PREFIX))
        assert item is not None
        ob.claim(conn, item.id, at(2))  # on its way: the server may have it under its key
        ob.retry_later(conn, item.id, at=at(3), now=at(2), code="unreachable", error="x")
        scheduled_writes.queue_edit(conn, scheduled_id=local_id, patch={"body": "Second"},
                                    now=at(2))
        scheduled_writes.queue_cancel(conn, scheduled_id=local_id, now=at(2))
        kinds = [(i.kind, i.payload.get("body")) for i in ob.open_items(conn)]
    assert kinds == [(ob.OutboxKind.SCHEDULE_CREATE, "First"), (ob.OutboxKind.SCHEDULE_EDIT, None),
                     (ob.OutboxKind.SCHEDULE_CANCEL, "")]


def test_a_told_failure_stays_told_through_a_full_resync(cache: Cache) -> None:
    failed = scheduled("s1", "failed", updated=5, error_code="group_chat_blocked",
                       error_detail="Blocked")
    apply_sync_page(cache, page(failed, scheduled("s2", "failed", updated=6)))
    with cache.write() as conn:
        assert [i.id for i in scheduled_queries.untold_failures(conn)] == ["s1", "s2"]
        # Only those due since a moment (a new profile does not replay old ones).
        assert [i.id for i in scheduled_queries.untold_failures(conn, since=at(61))] == []
        assert [i.id for i in scheduled_queries.untold_failures(conn, since=at(60))] == [
            "s1", "s2"]
        scheduled_writes.mark_failures_told(conn, ["s1"])
    generation = open_new_generation(cache)
    apply_sync_page(generation, page(failed, scheduled("s2", "failed", updated=6)))
    generation.close()
    swap_in(cache, generation.path, now=at(10))
    with cache.read() as conn:
        assert [i.id for i in scheduled_queries.untold_failures(conn)] == ["s2"]
        # A copy of the feed again changes nothing about what was told.
    with cache.write() as conn:
        apply_events(conn, [scheduled("s1", "failed", updated=5, error_code="x")])
        assert [i.id for i in scheduled_queries.untold_failures(conn)] == ["s2"]


def test_a_cache_synced_before_r0009_syncs_again_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    cache = Cache.open(path)
    with cache.write() as conn:
        save_cursor(conn, "epoch.42", at(0))
        command.downgrade(alembic_config(conn), "0008")
    cache.close()
    cache = Cache.open(path)  # migrates to head again
    try:
        with cache.read() as conn:
            # Its user may have scheduled from another console: the feed is read again.
            assert read_cursor(conn).cursor in resync_cursors()
            assert scheduled_queries.upcoming(conn) == []
    finally:
        cache.close()
    fresh = Cache.open(tmp_path / "fresh.db")
    try:
        with fresh.read() as conn:
            assert read_cursor(conn).cursor is None  # never synced: nothing to read again
    finally:
        fresh.close()


def test_times_keep_their_instant_whatever_zone_they_came_in(cache: Cache) -> None:
    eastern = at(60).astimezone(timezone(timedelta(hours=-5)))
    with cache.write() as conn:
        local_id, _ = scheduled_writes.queue_schedule(
            conn, conversation_id="c1", body="Zoned", send_at=eastern, now=at(1))
        (item,) = scheduled_queries.upcoming(conn, "c1")
    assert item.id == local_id
    assert item.send_at == at(60)
    assert item.send_at.utcoffset() == timedelta(0)
