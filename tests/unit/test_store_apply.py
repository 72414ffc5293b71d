"""Applying change-feed batches: bulk upserts, pending -> server reconciliation, atomic cursor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from console.protocol.conversations import Message
from console.store import local_writes, queries
from console.store.apply import MalformedEvent, apply_sent_message, apply_sync_page
from console.store.cache import Cache
from console.store.models import contact_phones, contacts, conversations, messages
from console.store.session_meta import read_cursor
from tests.unit.cache_factories import at, contact, conversation, event, message, number, page


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    opened = Cache.open(tmp_path / "cache.db")
    yield opened
    opened.close()


def count_rows(cache: Cache, table: object) -> int:
    with cache.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_upserts_replace_rows_and_phones_without_duplicates(cache: Cache) -> None:
    apply_sync_page(
        cache,
        page(
            contact("k1", "Ann", "+14155550001", "+14155550002"),
            number("n1", "+14155559999", "Support"),
            conversation("c1", "Ann", last=at(1), preview="hello", unread=1, number_id="n1"),
            cursor="p1",
        ),
    )
    changes = apply_sync_page(
        cache,
        page(
            contact("k1", "Ann Smith", "+14155550003"),
            conversation("c1", "Ann Smith", last=at(2), preview="again", unread=2),
            cursor="p2",
        ),
    )
    assert changes.contacts == {"k1"}
    assert changes.conversations == {"c1"}
    assert count_rows(cache, contacts) == 1
    assert count_rows(cache, conversations) == 1
    with cache.read() as conn:
        phones = conn.execute(select(contact_phones.c.number)).scalars().all()
        rows = queries.list_conversations(conn)
        assert read_cursor(conn).cursor == "p2"
    assert phones == ["+14155550003"]
    assert [(r.title, r.preview, r.unread_count) for r in rows] == [("Ann Smith", "again", 2)]


def test_last_event_of_a_batch_wins(cache: Cache) -> None:
    apply_sync_page(
        cache,
        page(
            conversation("c1", "Ann", last=at(1)),
            message("m1", "c1", "hi", when=at(1), direction="out", status="queued"),
            message("m1", "c1", "hi", when=at(1), direction="out", status="sent"),
            message("m1", "c1", "hi", when=at(1), direction="out", status="delivered"),
            contact("k1", "Ann", "+14155550001"),
            event("contact.deleted", {"id": "k1"}),
        ),
    )
    with cache.read() as conn:
        statuses = conn.execute(select(messages.c.status)).scalars().all()
        deleted = conn.execute(select(contacts.c.deleted)).scalars().all()
    assert statuses == ["delivered"]
    assert deleted == [True]


def test_pending_row_becomes_the_server_row_in_place(cache: Cache) -> None:
    apply_sync_page(cache, page(conversation("c1", "Ann", last=at(1))))
    with cache.write() as conn:
        queued, _ = local_writes.queue_send(
            conn, conversation_id="c1", body="On my way", author_user_id="u1", now=at(5)
        )
    changes = apply_sync_page(
        cache,
        page(
            message(
                "srv-9",
                "c1",
                "On my way",
                when=at(5.1),
                direction="out",
                client_key=queued.client_key,
                author_user_id="u1",
            )
        ),
    )
    assert changes.messages == {"c1": {queued.message_id}}
    apply_sync_page(
        cache,
        page(
            message(
                "srv-9",
                "c1",
                "On my way",
                when=at(5.1),
                direction="out",
                status="delivered",
                client_key=queued.client_key,
            )
        ),
    )
    with cache.read() as conn:
        rows = conn.execute(select(messages.c.id, messages.c.server_id, messages.c.status)).all()
    assert [tuple(r) for r in rows] == [(queued.message_id, "srv-9", "delivered")]


def test_a_replayed_post_answer_never_moves_a_synced_message_back(cache: Cache) -> None:
    apply_sync_page(cache, page(conversation("c1", "Ann", last=at(1))))
    with cache.write() as conn:
        queued, _ = local_writes.queue_send(
            conn, conversation_id="c1", body="x", author_user_id="u1", now=at(2)
        )
    apply_sync_page(
        cache,
        page(
            message(
                "m7",
                "c1",
                "x",
                when=at(2),
                direction="out",
                status="delivered",
                client_key=queued.client_key,
            )
        ),
    )
    first_answer = Message(
        id="m7",
        conversation_id="c1",
        direction="out",
        body="x",
        status="queued",
        created_at=at(2),
        client_key=queued.client_key,
    )
    with cache.write() as conn:
        assert apply_sent_message(conn, first_answer, queued.message_id).is_empty()
        status = conn.execute(select(messages.c.status)).scalar_one()
    assert status == "delivered"


def test_message_before_its_conversation_gets_a_hidden_placeholder(cache: Cache) -> None:
    apply_sync_page(cache, page(message("m1", "c9", "early", when=at(1))))
    with cache.read() as conn:
        assert queries.list_conversations(conn) == []
        assert [m.body for m in queries.message_page(conn, "c9")] == ["early"]
    apply_sync_page(cache, page(conversation("c9", "Late", last=at(1), preview="early")))
    with cache.read() as conn:
        assert [c.title for c in queries.list_conversations(conn)] == ["Late"]


def test_failure_mid_batch_applies_nothing_and_keeps_the_cursor(cache: Cache) -> None:
    apply_sync_page(cache, page(conversation("c0", "Before", last=at(0)), cursor="good"))
    # A real SQLite error in the middle of the batch (as a full disk would raise): contacts
    # and conversations are already written by then, messages are not.
    with cache.write() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER boom BEFORE INSERT ON messages WHEN NEW.body = 'boom' "
            "BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END"
        )
    bad = page(
        contact("k1", "Ann", "+14155550001"),
        conversation("c1", "Ann", last=at(1)),
        message("m1", "c1", "fine", when=at(1)),
        message("m2", "c1", "boom", when=at(2)),
        cursor="never",
    )
    with pytest.raises((IntegrityError, OperationalError), match="simulated disk failure"):
        apply_sync_page(cache, bad)
    assert count_rows(cache, contacts) == 0
    assert count_rows(cache, messages) == 0
    assert count_rows(cache, conversations) == 1
    with cache.read() as conn:
        assert read_cursor(conn).cursor == "good"


def test_malformed_event_refuses_the_whole_batch(cache: Cache) -> None:
    bad = page(
        contact("k1", "Ann", "+14155550001"),
        event("message.upserted", {"id": "m1", "body": "no conversation"}),
        cursor="never",
    )
    with pytest.raises(MalformedEvent, match=r"message\.upserted"):
        apply_sync_page(cache, bad)
    assert count_rows(cache, contacts) == 0
    with cache.read() as conn:
        assert read_cursor(conn).cursor is None


def test_unknown_event_types_are_skipped(cache: Cache) -> None:
    changes = apply_sync_page(cache, page(event("hologram.upserted", {"id": "h1"}), cursor="after"))
    assert changes.is_empty()
    with cache.read() as conn:
        assert read_cursor(conn).cursor == "after"


def test_local_send_bumps_the_conversation_and_an_older_server_copy_keeps_it(
    cache: Cache,
) -> None:
    apply_sync_page(
        cache,
        page(
            conversation("old", "Old", last=at(1), preview="old news"),
            conversation("new", "New", last=at(10), preview="fresh"),
        ),
    )
    with cache.write() as conn:
        local_writes.queue_send(
            conn, conversation_id="old", body="bump", author_user_id="u1", now=at(20)
        )
    # the server has not seen the send yet: its copy of "old" is older than the local one
    apply_sync_page(cache, page(conversation("old", "Old", last=at(1), preview="old news")))
    with cache.read() as conn:
        rows = queries.list_conversations(conn)
    assert [(r.id, r.preview, r.activity_at) for r in rows] == [
        ("old", "bump", at(20)),
        ("new", "fresh", at(10)),
    ]


def test_inbound_message_bumps_its_conversation(cache: Cache) -> None:
    apply_sync_page(
        cache,
        page(
            conversation("a", "A", last=at(1), preview="a1"),
            conversation("b", "B", last=at(5), preview="b1"),
        ),
    )
    apply_sync_page(cache, page(message("m1", "a", "a reply", when=at(9))))
    with cache.read() as conn:
        rows = queries.list_conversations(conn)
    assert [(r.id, r.preview) for r in rows] == [("a", "a reply"), ("b", "b1")]


def test_pending_read_mark_keeps_unread_at_zero(cache: Cache) -> None:
    apply_sync_page(cache, page(conversation("c1", "Ann", last=at(1), unread=3)))
    with cache.write() as conn:
        local_writes.mark_read(conn, conversation_id="c1", now=at(2))
    # a server copy from before the read mark reached it
    apply_sync_page(cache, page(conversation("c1", "Ann", last=at(1), unread=3)))
    with cache.read() as conn:
        view = queries.get_conversation(conn, "c1")
    assert view is not None
    assert view.unread_count == 0


def test_bulk_apply_of_a_large_batch(cache: Cache) -> None:
    events = [conversation(f"c{i}", f"Person {i}", last=at(i)) for i in range(50)]
    events += [message(f"m{i}", f"c{i % 50}", f"body {i}", when=at(i / 10)) for i in range(5000)]
    apply_sync_page(cache, page(*events))
    assert count_rows(cache, messages) == 5000
    with cache.read() as conn:
        newest = queries.message_page(conn, "c7", limit=3)
        older = queries.message_page(conn, "c7", before_id=newest[-1].id, limit=3)
    assert [m.body for m in newest] == ["body 4957", "body 4907", "body 4857"]
    assert [m.body for m in older] == ["body 4807", "body 4757", "body 4707"]


def test_keyset_page_uses_the_conversation_index(cache: Cache) -> None:
    with cache.read() as conn:
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM messages WHERE conversation_id = 'c' "
            "AND (created_at, id) < ('2030-01-01', 5) ORDER BY created_at DESC, id DESC LIMIT 50"
        ).all()
    detail = " ".join(str(row[-1]) for row in plan)
    assert "ix_messages_conversation_created" in detail
    assert "TEMP B-TREE" not in detail
