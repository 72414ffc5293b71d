"""The outbox state machine and its ordering rules, on a real cache file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import IntegrityError

from console.store import local_writes
from console.store import outbox as ob
from console.store.apply import apply_sync_page
from console.store.cache import Cache
from console.store.models import conversations, messages, outbox
from tests.unit.cache_factories import at, conversation, page


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    opened = Cache.open(tmp_path / "cache.db")
    apply_sync_page(
        opened,
        page(conversation("c1", "Ann", last=at(0)), conversation("c2", "Bob", last=at(0))),
    )
    yield opened
    opened.close()


def send(cache: Cache, conversation_id: str, body: str, minute: float) -> local_writes.QueuedSend:
    with cache.write() as conn:
        queued, _ = local_writes.queue_send(
            conn, conversation_id=conversation_id, body=body, author_user_id="u1", now=at(minute)
        )
    return queued


def test_happy_path_pending_sending_done(cache: Cache) -> None:
    queued = send(cache, "c1", "hi", 1)
    with cache.write() as conn:
        item = ob.get(conn, queued.outbox_id)
        assert item is not None
        assert (item.state, item.attempts, item.kind) == (ob.OutboxState.PENDING, 0, "send_message")
        assert item.idempotency_key == queued.client_key
        assert item.payload == {"body": "hi"}
        assert ob.pending_count(conn) == 1
        claimed = ob.claim(conn, item.id, at(2))
        assert (claimed.state, claimed.attempts) == (ob.OutboxState.SENDING, 1)
        ob.complete(conn, item.id, at(3))
        done = ob.get(conn, item.id)
        assert done is not None
        assert done.state is ob.OutboxState.DONE
        assert ob.pending_count(conn) == 0
        assert ob.due_items(conn, at(10)) == []


@pytest.mark.parametrize(
    ("steps", "bad"),
    [
        ((), "complete"),  # pending -> done skips sending
        (("claim", "complete"), "claim"),  # done is final
        (("claim", "complete"), "retry"),
        (("claim",), "claim"),  # two engines must not both send it
        (("claim", "fail"), "complete"),  # failed is final
    ],
)
def test_invalid_transitions_are_refused(cache: Cache, steps: tuple[str, ...], bad: str) -> None:
    queued = send(cache, "c1", "hi", 1)
    item_id = queued.outbox_id

    def step(conn: Connection, name: str) -> None:
        if name == "claim":
            ob.claim(conn, item_id, at(2))
        elif name == "complete":
            ob.complete(conn, item_id, at(2))
        elif name == "retry":
            ob.retry_later(conn, item_id, at=at(3), now=at(2))
        elif name == "fail":
            ob.fail(conn, item_id, code="not_found", error="gone", now=at(2))

    with cache.write() as conn:
        for name in steps:
            step(conn, name)
        before = ob.get(conn, item_id)
        with pytest.raises(ob.InvalidTransition):
            step(conn, bad)
        assert ob.get(conn, item_id) == before


def test_retry_later_waits_until_due_and_keeps_the_key(cache: Cache) -> None:
    queued = send(cache, "c1", "hi", 1)
    with cache.write() as conn:
        ob.claim(conn, queued.outbox_id, at(2))
        ob.retry_later(
            conn, queued.outbox_id, at=at(5), now=at(2), code="server_error", error="503"
        )
        assert ob.due_items(conn, at(4)) == []
        assert ob.next_due_at(conn) == at(5)
        (due,) = ob.due_items(conn, at(5))
    assert due.idempotency_key == queued.client_key
    assert (due.attempts, due.last_error_code) == (1, "server_error")


def test_a_conversation_sends_in_composition_order(cache: Cache) -> None:
    first = send(cache, "c1", "first", 1)
    second = send(cache, "c1", "second", 2)
    other = send(cache, "c2", "other", 3)
    with cache.write() as conn:
        assert [i.id for i in ob.due_items(conn, at(10))] == [first.outbox_id, other.outbox_id]
        # while the first backs off, the second waits behind it; other conversations go on
        ob.claim(conn, first.outbox_id, at(10))
        ob.retry_later(conn, first.outbox_id, at=at(20), now=at(10))
        assert [i.id for i in ob.due_items(conn, at(11))] == [other.outbox_id]
        assert [i.id for i in ob.due_items(conn, at(20))] == [first.outbox_id, other.outbox_id]
        # a failed head no longer blocks the next message
        ob.claim(conn, first.outbox_id, at(20))
        ob.fail(conn, first.outbox_id, code="not_found", error="gone", now=at(20))
        assert [i.id for i in ob.due_items(conn, at(21))] == [second.outbox_id, other.outbox_id]


def test_fail_marks_the_message_failed_with_the_code(cache: Cache) -> None:
    queued = send(cache, "c1", "hi", 1)
    with cache.write() as conn:
        ob.claim(conn, queued.outbox_id, at(2))
        changes = ob.fail(
            conn, queued.outbox_id, code="number_access_denied", error="Not your number", now=at(2)
        )
        row = conn.execute(
            select(messages.c.status, messages.c.error_code, messages.c.error_detail)
        ).one()
    assert tuple(row) == ("failed", "number_access_denied", "Not your number")
    assert changes.messages == {"c1": {queued.message_id}}


def test_items_left_sending_by_a_crash_are_recovered(cache: Cache) -> None:
    queued = send(cache, "c1", "hi", 1)
    with cache.write() as conn:
        ob.claim(conn, queued.outbox_id, at(2))
    with cache.write() as conn:
        assert ob.due_items(conn, at(3)) == []  # sending: not picked twice
        assert ob.recover_interrupted(conn, at(3)) == 1
        (item,) = ob.due_items(conn, at(3))
    assert (item.state, item.attempts, item.idempotency_key) == (
        ob.OutboxState.PENDING,
        1,
        queued.client_key,
    )


def test_message_and_outbox_item_are_written_together_or_not_at_all(cache: Cache) -> None:
    queued = send(cache, "c1", "hi", 1)
    # The same idempotency key again: the outbox insert fails after the message insert.
    with pytest.raises(IntegrityError), cache.write() as conn:
        local_writes.queue_send(
            conn,
            conversation_id="c2",
            body="dup",
            author_user_id="u1",
            now=at(2),
            client_key=queued.client_key,
        )
    with cache.read() as conn:
        assert conn.execute(select(func.count()).select_from(messages)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(outbox)).scalar_one() == 1


def test_mark_read_is_coalesced_while_pending(cache: Cache) -> None:
    apply_sync_page(cache, page(conversation("c1", "Ann", last=at(0), unread=2)))
    with cache.write() as conn:
        local_writes.mark_read(conn, conversation_id="c1", now=at(1))
    apply_sync_page(cache, page(conversation("c1", "Ann", last=at(0), unread=2)))
    with cache.write() as conn:
        # unread is already 0 locally: nothing new to tell the server
        assert local_writes.mark_read(conn, conversation_id="c1", now=at(2)).is_empty()
        items = ob.open_items(conn)
    assert [(i.kind, i.conversation_id) for i in items] == [("mark_read", "c1")]


def unread_of(cache: Cache, conversation_id: str) -> int:
    with cache.read() as conn:
        return int(
            conn.execute(
                select(conversations.c.unread_count).where(conversations.c.id == conversation_id)
            ).scalar_one()
        )


def test_mark_unread_shows_at_once_and_survives_a_server_copy_until_sent(cache: Cache) -> None:
    with cache.write() as conn:
        changes = local_writes.mark_unread(conn, conversation_id="c1", now=at(1))
        assert changes.conversations == {"c1"}
        assert changes.outbox
        # unread already: nothing more to tell the server
        assert local_writes.mark_unread(conn, conversation_id="c1", now=at(2)).is_empty()
        items = ob.open_items(conn)
    assert [(i.kind, i.conversation_id, i.lane) for i in items] == [
        ("mark_unread", "c1", "conversation:c1")
    ]
    assert unread_of(cache, "c1") == 1
    # A server copy from before the mark arrives: the mark still waiting wins.
    apply_sync_page(cache, page(conversation("c1", "Ann", last=at(0), unread=0)))
    assert unread_of(cache, "c1") == 1
    with pytest.raises(local_writes.UnknownConversation), cache.write() as conn:
        local_writes.mark_unread(conn, conversation_id="nope", now=at(3))


def test_read_unread_read_go_out_in_order_and_the_newest_mark_decides(cache: Cache) -> None:
    apply_sync_page(cache, page(conversation("c1", "Ann", last=at(0), unread=2)))
    with cache.write() as conn:
        local_writes.mark_read(conn, conversation_id="c1", now=at(1))
        local_writes.mark_unread(conn, conversation_id="c1", now=at(2))
    apply_sync_page(cache, page(conversation("c1", "Ann", last=at(0), unread=0)))
    assert unread_of(cache, "c1") == 1  # the unread mark is the newest
    with cache.write() as conn:
        local_writes.mark_read(conn, conversation_id="c1", now=at(3))  # opened again
        items = ob.open_items(conn)
        due = ob.due_items(conn, at(10))
    assert [i.kind for i in items] == ["mark_read", "mark_unread", "mark_read"]
    assert [i.id for i in due] == [items[0].id]  # one lane: the server sees them in order
    apply_sync_page(cache, page(conversation("c1", "Ann", last=at(0), unread=2)))
    assert unread_of(cache, "c1") == 0  # the newest is a read mark
    # The first two reached the server: the last one still decides.
    with cache.write() as conn:
        for item in items[:2]:
            ob.claim(conn, item.id, at(11))
            ob.complete(conn, item.id, at(11))
    apply_sync_page(cache, page(conversation("c1", "Ann", last=at(0), unread=1)))
    assert unread_of(cache, "c1") == 0
    with cache.write() as conn:
        ob.claim(conn, items[2].id, at(12))
        ob.complete(conn, items[2].id, at(12))
    apply_sync_page(cache, page(conversation("c1", "Ann", last=at(0), unread=3)))
    assert unread_of(cache, "c1") == 3  # nothing waiting: the server's count


def test_unknown_conversation_is_refused(cache: Cache) -> None:
    with pytest.raises(local_writes.UnknownConversation), cache.write() as conn:
        local_writes.queue_send(
            conn, conversation_id="nope", body="x", author_user_id="u1", now=at(1)
        )
    with cache.read() as conn:
        assert conn.execute(select(func.count()).select_from(messages)).scalar_one() == 0


def test_due_items_respects_time(cache: Cache) -> None:
    queued = send(cache, "c1", "hi", 1)
    with cache.read() as conn:
        assert ob.due_items(conn, at(1) - timedelta(seconds=1)) == []
        assert [i.id for i in ob.due_items(conn, at(1))] == [queued.outbox_id]
