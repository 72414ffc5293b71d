"""Outbox lanes, Retry and Discard on a real cache file (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.store import local_writes
from console.store import outbox as ob
from console.store.apply import apply_events, apply_sync_page
from console.store.cache import Cache
from console.store.models import conversations, messages, outbox
from tests.unit.cache_factories import at, contact, conversation, event, page


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    opened = Cache.open(tmp_path / "cache.db")
    apply_sync_page(
        opened,
        page(
            conversation("c1", "Ann", last=at(0)),
            conversation("c2", "Bob", last=at(0)),
            contact("p1", "Ann", "+14155550101"),
            contact("p2", "Bob", "+14155550102"),
        ),
    )
    yield opened
    opened.close()


def send(cache: Cache, conversation_id: str, body: str, minute: float) -> local_writes.QueuedSend:
    with cache.write() as conn:
        queued, _ = local_writes.queue_send(
            conn, conversation_id=conversation_id, body=body, author_user_id="u1", now=at(minute)
        )
    return queued


def due(cache: Cache, minute: float) -> list[int]:
    with cache.read() as conn:
        return [i.id for i in ob.due_items(conn, at(minute))]


def refuse(cache: Cache, item_id: int, code: str = "participant_dnd") -> None:
    with cache.write() as conn:
        ob.claim(conn, item_id, at(5))
        ob.fail(conn, item_id, code=code, error="Ann has Do Not Disturb on", now=at(5))


def test_every_kind_has_its_lane_and_a_lane_goes_in_composition_order(cache: Cache) -> None:
    with cache.write() as conn:
        add, _, _ = local_writes.queue_group_member(
            conn, group_id="g1", contact_id="p1", add=True, now=at(1)
        )
        message, _, _ = local_writes.queue_group_message(
            conn, group_id="g1", sender_user_id="u1", title="Hi", body="Hello", now=at(1)
        )
        other_group, _, _ = local_writes.queue_group_member(
            conn, group_id="g2", contact_id="p1", add=False, now=at(1)
        )
        edit1, _, _ = local_writes.queue_contact_edit(
            conn, contact_id="p1", patch={"name": "Ann B"}, now=at(1)
        )
        edit2, _, _ = local_writes.queue_contact_edit(
            conn, contact_id="p1", patch={"dnd": True}, now=at(1)
        )
        assert local_writes.pending_contact_patch(conn, "p1") == {"name": "Ann B", "dnd": True}
    # The group message waits for the membership edit before it; contact edits go one by one.
    assert due(cache, 2) == [add, other_group, edit1]
    with cache.write() as conn:
        ob.claim(conn, add, at(2))
        ob.complete(conn, add, at(2))
        ob.claim(conn, edit1, at(2))
        ob.retry_later(conn, edit1, at=at(9), now=at(2), code="server_error", error="503")
    # A head backing off still holds its lane (edit2 must not overtake edit1).
    assert due(cache, 3) == [message, other_group]
    assert due(cache, 9) == [message, other_group, edit1]
    assert edit2 not in due(cache, 9)


def test_a_failed_message_does_not_block_the_next_and_retry_puts_it_back_in_place(
    cache: Cache,
) -> None:
    first = send(cache, "c1", "first", 1)
    second = send(cache, "c1", "second", 2)
    refuse(cache, first.outbox_id)
    assert due(cache, 6) == [second.outbox_id]
    with cache.read() as conn:
        row = conn.execute(
            select(messages.c.status, messages.c.error_code).where(
                messages.c.id == first.message_id
            )
        ).one()
        assert tuple(row) == ("failed", "participant_dnd")
        assert ob.failed_count(conn) == 1

    with cache.write() as conn:
        changes = local_writes.retry(conn, first.outbox_id, at(7))
    assert changes.messages == {"c1": {first.message_id}}
    # Back at its place: it is the lane's head again, ahead of the later message.
    assert due(cache, 7) == [first.outbox_id]
    with cache.read() as conn:
        item = ob.get(conn, first.outbox_id)
        again = conn.execute(
            select(messages.c.status, messages.c.error_code, messages.c.client_key).where(
                messages.c.id == first.message_id
            )
        ).one()
    assert item is not None
    assert (item.state, item.attempts, item.last_error_code) == (ob.OutboxState.PENDING, 0, None)
    assert item.idempotency_key == first.client_key  # same key: an earlier success replays
    assert tuple(again) == ("pending", None, first.client_key)


def test_retry_after_an_idempotency_conflict_takes_a_new_key(cache: Cache) -> None:
    queued = send(cache, "c1", "hello", 1)
    refuse(cache, queued.outbox_id, code="idempotency_conflict")
    with cache.write() as conn:
        local_writes.retry(conn, queued.outbox_id, at(7))
        item = ob.get(conn, queued.outbox_id)
        key = conn.execute(
            select(messages.c.client_key).where(messages.c.id == queued.message_id)
        ).scalar_one()
    assert item is not None
    assert item.idempotency_key != queued.client_key
    assert key == item.idempotency_key


def test_discard_removes_the_row_and_the_item_together_and_never_an_item_in_flight(
    cache: Cache,
) -> None:
    refused = send(cache, "c1", "refused", 1)
    in_flight = send(cache, "c2", "in flight", 2)
    refuse(cache, refused.outbox_id)
    with cache.write() as conn:
        ob.claim(conn, in_flight.outbox_id, at(3))
    with cache.write() as conn:
        changes = local_writes.discard(conn, refused.outbox_id)
    assert changes.messages == {"c1": {refused.message_id}}
    with pytest.raises(ob.InvalidTransition), cache.write() as conn:
        local_writes.discard(conn, in_flight.outbox_id)
    with cache.read() as conn:
        bodies = conn.execute(select(messages.c.body)).scalars().all()
        items = conn.execute(select(outbox.c.id)).scalars().all()
    assert bodies == ["in flight"]
    assert items == [in_flight.outbox_id]


def test_a_group_chat_refused_takes_its_messages_down_and_retry_brings_them_back(
    cache: Cache,
) -> None:
    with cache.write() as conn:
        local_id, create_id, _, _ = local_writes.queue_group_chat(
            conn,
            number_id="n1",
            participants=[
                {"contact_id": "p1", "phone": "+14155550101", "name": "Ann"},
                {"contact_id": "p2", "phone": "+14155550102", "name": "Bob"},
            ],
            title="Ann, Bob",
            now=at(1),
        )
    inside = send(cache, local_id, "hello both", 2)
    assert due(cache, 3) == [create_id]  # the message waits for its chat
    refuse(cache, create_id, code="participant_dnd")
    with cache.read() as conn:
        item = ob.get(conn, inside.outbox_id)
    assert item is not None
    assert (item.state, item.last_error_code) == (ob.OutboxState.FAILED, ob.NOT_CREATED_CODE)
    with cache.write() as conn:
        local_writes.retry(conn, create_id, at(7))
    assert due(cache, 7) == [create_id]
    with cache.read() as conn:
        item = ob.get(conn, inside.outbox_id)
    assert item is not None
    assert item.state is ob.OutboxState.PENDING

    # Created: the chat and its message move to the server's id, the message goes next.
    with cache.write() as conn:
        ob.claim(conn, create_id, at(8))
        apply_events(
            conn,
            [
                event(
                    "conversation.upserted",
                    {"id": "cnv_srv", "kind": "group_sms", "title": "Ann, Bob", "number_id": "n1"},
                )
            ],
        )
        local_writes.adopt_conversation(conn, local_id, "cnv_srv")
        ob.complete(conn, create_id, at(8), result_id="cnv_srv")
    with cache.read() as conn:
        (head,) = ob.due_items(conn, at(9))
        moved = conn.execute(
            select(messages.c.conversation_id).where(messages.c.id == inside.message_id)
        ).scalar_one()
        gone = conn.execute(
            select(func.count()).select_from(conversations).where(conversations.c.id == local_id)
        ).scalar_one()
    assert (head.id, head.conversation_id, moved, gone) == (
        inside.outbox_id,
        "cnv_srv",
        "cnv_srv",
        0,
    )


def test_discarding_a_refused_group_chat_removes_it_with_its_messages(cache: Cache) -> None:
    with cache.write() as conn:
        local_id, create_id, _, _ = local_writes.queue_group_chat(
            conn,
            number_id="n1",
            participants=[
                {"contact_id": "p1", "phone": "+14155550101", "name": "Ann"},
                {"contact_id": "p2", "phone": "+14155550102", "name": "Bob"},
            ],
            title="Ann, Bob",
            now=at(1),
        )
    send(cache, local_id, "hello both", 2)
    refuse(cache, create_id)
    with cache.write() as conn:
        local_writes.discard(conn, create_id)
    with cache.read() as conn:
        assert conn.execute(select(func.count()).select_from(outbox)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(messages)).scalar_one() == 0
        ids = conn.execute(select(conversations.c.id)).scalars().all()
    assert sorted(ids) == ["c1", "c2"]
