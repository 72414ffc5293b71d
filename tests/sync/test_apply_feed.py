"""Applying the feed to a real SQLite cache: the bulk message upsert, `conversation.deleted`,
and the cursor check, as the sync engine drives them (console/store/apply.py, feed.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from console.store import local_writes
from console.store import outbox as ob
from console.store.apply import MalformedEvent, apply_events, prepare_events
from console.store.cache import Cache
from console.store.feed import apply_after
from console.store.forget import CONVERSATION_GONE_CODE
from console.store.models import conversations, messages, outbox
from console.store.session_meta import read_cursor
from tests.unit.cache_factories import at, conversation, event, message


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache.open(tmp_path / "cache.db")
    yield c
    c.close()


def stored(cache: Cache, table_column: object) -> list[object]:
    with cache.read() as conn:
        return list(conn.execute(select(table_column)).scalars())  # type: ignore[call-overload]


def test_bulk_upsert_writes_what_a_core_insert_writes(cache: Cache) -> None:
    """The multi-row upsert stores times exactly as the column type does (text compared in
    ORDER BY and keyset paging), whatever offset the server wrote them with."""
    events = [conversation("cnv_1", "Ann")]
    events += [
        message(f"msg_{n}", "cnv_1", f"hello {n}", when=at(n)) for n in range(1_200)
    ]  # more than one statement's worth of rows
    odd = at(1) + timedelta(microseconds=123_456)
    events.append(message("msg_odd", "cnv_1", "odd", when=odd))
    with cache.write() as conn:
        changes = apply_events(conn, events)
        conn.execute(
            insert(messages).values(
                conversation_id="cnv_1", direction="in", body="core", status="received",
                created_at=odd,
            )
        )
        texts: dict[str, str] = dict(
            conn.exec_driver_sql(
                "SELECT body, created_at FROM messages WHERE body IN ('core', 'odd')"
            ).all()
        )
    assert texts["odd"] == texts["core"] == "2026-01-05 09:01:00.123456"
    assert len(changes.messages["cnv_1"]) == 1_201
    # An offset time is stored in UTC, as the column type stores it.
    offset = message("msg_tz", "cnv_1", "tz", when=at(0))
    offset.data["created_at"] = "2026-01-05T11:00:00+02:00"
    with cache.write() as conn:
        apply_events(conn, [offset])
        text = conn.exec_driver_sql(
            "SELECT created_at FROM messages WHERE server_id = 'msg_tz'"
        ).scalar_one()
    assert text == "2026-01-05 09:00:00.000000"


def test_an_update_keeps_the_local_row_and_a_pending_send_becomes_the_server_row(
    cache: Cache,
) -> None:
    with cache.write() as conn:
        apply_events(conn, [conversation("cnv_1", "Ann")])
        queued, _ = local_writes.queue_send(
            conn, conversation_id="cnv_1", body="on my way", author_user_id="usr_me", now=at(1)
        )
        key = queued.client_key
        first = apply_events(conn, [
            message("msg_a", "cnv_1", "hi", when=at(0)),
            message("msg_mine", "cnv_1", "on my way", when=at(1), direction="out",
                    status="sent", client_key=key),
        ])
        second = apply_events(conn, [
            message("msg_a", "cnv_1", "hi (edited)", when=at(0)),
            message("msg_mine", "cnv_1", "on my way", when=at(1), direction="out",
                    status="delivered"),  # no key echoed this time: the local one stays
        ])
        rows = conn.execute(
            select(messages.c.id, messages.c.server_id, messages.c.body, messages.c.status,
                   messages.c.client_key).order_by(messages.c.id)
        ).all()
    assert len(rows) == 2
    mine = next(r for r in rows if r.server_id == "msg_mine")
    assert mine.id == queued.message_id
    assert mine.status == "delivered"
    assert mine.client_key == key
    assert next(r for r in rows if r.server_id == "msg_a").body == "hi (edited)"
    assert first.messages["cnv_1"] == second.messages["cnv_1"] == {r.id for r in rows}


def test_a_malformed_message_refuses_the_batch_and_names_its_event(cache: Cache) -> None:
    good = message("msg_ok", "cnv_1", "fine", when=at(0))
    bad = message("msg_bad", "cnv_1", "no time", when=at(0))
    del bad.data["created_at"]
    with pytest.raises(MalformedEvent, match=rf"event {bad.seq} \(message\.upserted\)"):
        prepare_events([good, bad])


def test_conversation_deleted_drops_it_and_fails_what_waits_for_it(cache: Cache) -> None:
    """The feed says this user lost sight of a conversation: it leaves the cache with its
    messages; unsent messages stay in the outbox as failed, with the reason; a pending read
    mark goes; other conversations are untouched."""
    with cache.write() as conn:
        apply_events(conn, [
            conversation("cnv_gone", "Bea"), conversation("cnv_kept", "Cal"),
            message("msg_1", "cnv_gone", "hello", when=at(0)),
            message("msg_2", "cnv_kept", "hi", when=at(0)),
        ])
        queued, _ = local_writes.queue_send(
            conn, conversation_id="cnv_gone", body="are you there?", author_user_id="usr_me",
            now=at(2),
        )
        local_writes.mark_read(conn, conversation_id="cnv_gone", now=at(2))
    changes = apply_after(
        cache,
        [event("conversation.deleted", {"id": "cnv_gone", "kind": "direct", "deleted": True})],
        after=None,
        cursor="c9",
    )
    assert changes is not None
    assert "cnv_gone" in changes.conversations
    assert changes.outbox
    assert stored(cache, conversations.c.id) == ["cnv_kept"]
    assert stored(cache, messages.c.server_id) == ["msg_2"]
    with cache.read() as conn:
        items = ob.open_items(conn) + ob.failed_items(conn)
        assert read_cursor(conn).cursor == "c9"
    assert len(items) == 1  # the read mark is gone, the message is not
    item = items[0]
    assert item.state is ob.OutboxState.FAILED
    assert item.kind == ob.OutboxKind.SEND_MESSAGE
    assert item.last_error_code == CONVERSATION_GONE_CODE
    assert "no longer visible" in (
        item.last_error or ""
    )
    assert item.payload["body"] == "are you there?"
    assert item.message_id is None
    assert queued.outbox_id == item.id


def test_a_deletion_is_a_barrier_within_a_batch(cache: Cache) -> None:
    """Events after `conversation.deleted` in the same batch are applied after it: a chat
    given back at once is cached again, with what came after."""
    with cache.write() as conn:
        apply_events(conn, [
            conversation("cnv_x", "Dee"),
            message("msg_old", "cnv_x", "before", when=at(0)),
            event("conversation.deleted", {"id": "cnv_x", "kind": "direct", "deleted": True}),
            conversation("cnv_x", "Dee"),
            message("msg_new", "cnv_x", "after", when=at(1)),
        ])
    assert stored(cache, conversations.c.id) == ["cnv_x"]
    assert stored(cache, messages.c.server_id) == ["msg_new"]


def test_a_batch_lands_only_on_the_cursor_it_follows(cache: Cache) -> None:
    batch = [conversation("cnv_1", "Ann"), message("msg_1", "cnv_1", "hi", when=at(0))]
    assert apply_after(cache, batch, after=None, cursor="c1") is not None
    # Replayed (the cursor moved on): nothing is written, not even the cursor.
    assert apply_after(cache, batch, after=None, cursor="c2") is None
    with cache.read() as conn:
        assert read_cursor(conn).cursor == "c1"
        assert conn.execute(select(func.count()).select_from(messages)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(outbox)).scalar_one() == 0
