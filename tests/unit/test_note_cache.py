"""Internal notes in the cache, without a server: a note from the feed is stored marked as one
and leaves its thread's preview, times and unread count alone; a note written here is a pending
local row (its thread unmoved) that the server's answer fills in place by client key, as a sent
message's; History finds it marked; r0013 makes an older cache read the feed again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select

from console.protocol.conversations import Message
from console.store import history_queries, local_writes, queries
from console.store import outbox as ob
from console.store.apply import apply_events, apply_sent_message
from console.store.cache import Cache
from console.store.migrate import alembic_config
from console.store.migrations.versions.r0013_message_notes import RESYNC_CURSOR
from console.store.models import conversations, messages
from console.store.session_meta import read_cursor, save_cursor
from tests.unit.cache_factories import at, conversation, message, resync_cursors


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache.open(tmp_path / "cache.db")
    yield c
    c.close()


def thread(conn: Any, cid: str) -> tuple[Any, ...]:
    row = conn.execute(
        select(
            conversations.c.last_message_preview,
            conversations.c.activity_at,
            conversations.c.last_message_at,
            conversations.c.unread_count,
        ).where(conversations.c.id == cid)
    ).one()
    return tuple(row)


def note_event(mid: str, cid: str, body: str, *, minutes: float, key: str | None = None) -> Any:
    return message(mid, cid, body, when=at(minutes), direction="out", status="sent",
                   client_key=key, note=True, author_user_id="u-dana")


def seeded(conn: Any) -> None:
    apply_events(conn, [
        conversation("c1", "Maria", last=at(1), preview="See you at 10", unread=2),
        message("m1", "c1", "See you at 10", when=at(1)),
    ])


def test_a_note_from_the_feed_is_stored_and_moves_nothing(cache: Cache) -> None:
    with cache.write() as conn:
        seeded(conn)
        before = thread(conn, "c1")
        apply_events(conn, [note_event("n1", "c1", "Called her, she prefers mornings",
                                       minutes=5)])
        assert thread(conn, "c1") == before  # preview, activity, server time, unread
        views = queries.message_page(conn, "c1")
        assert [(v.server_id, v.note) for v in views] == [("n1", True), ("m1", False)]
        # A message after it moves the thread as ever.
        apply_events(conn, [message("m2", "c1", "Thanks!", when=at(6))])
        assert thread(conn, "c1")[0] == "Thanks!"


def test_a_note_written_here_is_pending_and_its_answer_fills_the_row(cache: Cache) -> None:
    with cache.write() as conn:
        seeded(conn)
        before = thread(conn, "c1")
        queued, changes = local_writes.queue_note(
            conn, conversation_id="c1", body="Gate code is 4411", author_user_id="u-dana",
            now=at(5),
        )
        assert changes.messages == {"c1": {queued.message_id}}
        assert thread(conn, "c1") == before  # the thread does not move for a note
        item = ob.get(conn, queued.outbox_id)
        assert item is not None
        assert item.kind == ob.OutboxKind.NOTE_CREATE
        assert item.lane == "conversation:c1"  # behind the sends composed before it
        assert item.idempotency_key == queued.client_key
        assert item.payload == {"body": "Gate code is 4411"}
        pending = queries.messages_by_ids(conn, "c1", [queued.message_id])[0]
        assert (pending.note, pending.status, pending.server_id) == (True, "pending", None)

        answer = Message.model_validate({
            "id": "n9", "conversation_id": "c1", "direction": "out", "body": "Gate code is 4411",
            "status": "sent", "created_at": at(5.1).isoformat(),
            "client_key": queued.client_key, "author_user_id": "u-dana", "note": True,
        })
        apply_sent_message(conn, answer, queued.message_id)
        rows = conn.execute(
            select(messages.c.id, messages.c.server_id, messages.c.note, messages.c.status)
            .where(messages.c.conversation_id == "c1", messages.c.note.is_(True))
        ).all()
        assert [tuple(r) for r in rows] == [(queued.message_id, "n9", True, "sent")]
        assert thread(conn, "c1") == before
        # The feed's copy of the same note adopts the row too: still one row, in place.
        apply_events(conn, [note_event("n9", "c1", "Gate code is 4411", minutes=5.1,
                                       key=queued.client_key)])
        assert conn.execute(
            select(messages.c.id).where(messages.c.note.is_(True))
        ).scalars().all() == [queued.message_id]
        assert thread(conn, "c1") == before


def test_the_feed_copy_arriving_first_claims_the_pending_note(cache: Cache) -> None:
    with cache.write() as conn:
        seeded(conn)
        queued, _ = local_writes.queue_note(
            conn, conversation_id="c1", body="VIP", author_user_id="u-dana", now=at(5)
        )
        apply_events(conn, [note_event("n2", "c1", "VIP", minutes=5, key=queued.client_key)])
        row = conn.execute(
            select(messages.c.id, messages.c.server_id, messages.c.note)
            .where(messages.c.note.is_(True))
        ).one()
        assert tuple(row) == (queued.message_id, "n2", True)


def test_history_finds_a_note_marked_as_one(cache: Cache) -> None:
    with cache.write() as conn:
        seeded(conn)
        apply_events(conn, [note_event("n1", "c1", "Prefers the zebrafinch room", minutes=5)])
        query = history_queries.HistoryQuery(text="zebrafinch")
        keys = history_queries.page_keys(
            conn, query, after=None, limit=10
        )
        found = history_queries.records(conn, keys)
        assert [(r.body, r.note) for r in found] == [("Prefers the zebrafinch room", True)]


def test_a_cache_synced_before_r0013_syncs_again_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    cache = Cache.open(path)
    with cache.write() as conn:
        save_cursor(conn, "epoch.42", at(0))
        command.downgrade(alembic_config(conn), "0012")
    cache.close()
    cache = Cache.open(path)  # migrates to head again
    try:
        with cache.read() as conn:
            # Notes stored before were plain sent messages: the feed is read again to learn them.
            assert read_cursor(conn).cursor in resync_cursors()
            assert RESYNC_CURSOR in resync_cursors()
    finally:
        cache.close()
