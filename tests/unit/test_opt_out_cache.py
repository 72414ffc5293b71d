"""The suspected opt-out in the cache, without a server: stored from conversation.upserted
(and absent from an old server's), its body read from the cached message (or the time alone),
and an answer queued here kept pending over later feed copies until it is settled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from console.protocol.sync import SyncEvent
from console.services.mapping import to_conversation_row
from console.store import local_writes, queries
from console.store import outbox as ob
from console.store.apply import apply_events
from console.store.cache import Cache
from console.ui.conversation_delegate import ConversationDelegate
from tests.unit.cache_factories import at, conversation, event, message


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache.open(tmp_path / "cache.db")
    yield c
    c.close()


def flagged(cid: str, message_id: str, minutes: float = 5) -> SyncEvent:
    return conversation(
        cid, "Ada", last=at(minutes),
        opt_out_suspected={"message_id": message_id, "at": at(minutes).isoformat()},
    )


def test_old_server_without_the_field_stores_no_flag(cache: Cache) -> None:
    with cache.write() as conn:
        apply_events(conn, [conversation("c1", "Ada", last=at(1))])
        view = queries.get_conversation(conn, "c1")
    assert view is not None
    assert view.opt_out is None


def test_flag_with_and_without_the_message_in_the_cache(cache: Cache) -> None:
    with cache.write() as conn:
        apply_events(conn, [flagged("c1", "m-missing")])
        view = queries.get_conversation(conn, "c1")
        assert view is not None
        assert view.opt_out is not None
        assert (view.opt_out.message_id, view.opt_out.at, view.opt_out.body) == (
            "m-missing", at(5), None
        )
        apply_events(conn, [message("m1", "c1", "please stop texting me", when=at(4)),
                            flagged("c1", "m1")])
        (listed,) = queries.open_opt_outs(conn)
    assert listed.opt_out is not None
    assert listed.opt_out.body == "please stop texting me"


def test_queued_answer_stays_pending_over_feed_copies_and_discard_restores(
    cache: Cache,
) -> None:
    with cache.write() as conn:
        apply_events(conn, [message("m1", "c1", "stop messaging me", when=at(4)),
                            flagged("c1", "m1")])
        item_id, _changes = local_writes.queue_opt_out(
            conn, conversation_id="c1", confirm=True, now=at(6)
        )
        with pytest.raises(local_writes.NoOpenOptOut):
            local_writes.queue_opt_out(conn, conversation_id="c1", confirm=False, now=at(6))
        apply_events(conn, [flagged("c1", "m1")])  # the feed again, before the push
        view = queries.get_conversation(conn, "c1")
        assert view is not None
        assert view.opt_out is not None
        assert view.opt_out.pending == "confirm"
        assert queries.open_opt_outs(conn) == []
        row = to_conversation_row(view)
        tags = [text for text, _fill, _ink in ConversationDelegate._tags(row)]
        assert "Opt-out?" not in tags
        # A newer flag (another message) is not hidden by the answer to the older one.
        apply_events(conn, [flagged("c1", "m2", minutes=8)])
        assert [v.id for v in queries.open_opt_outs(conn)] == ["c1"]
        apply_events(conn, [flagged("c1", "m1")])
        local_writes.discard(conn, item_id)
        assert ob.get(conn, item_id) is None
        (back,) = queries.open_opt_outs(conn)
    assert back.opt_out is not None
    assert back.opt_out.pending is None
    row = to_conversation_row(back)
    assert row.opt_out is not None
    assert "Opt-out?" in [text for text, _fill, _ink in ConversationDelegate._tags(row)]


def test_unknown_event_body_is_skipped(cache: Cache) -> None:
    with cache.write() as conn:
        apply_events(conn, [event("opt_out_suspected", {"conversation_id": "c1"})])
        assert queries.get_conversation(conn, "c1") is None


def test_the_open_flags_are_read_through_their_index_not_a_scan(cache: Cache) -> None:
    """The sidebar re-reads them after every change set, sync included: with 100,000
    conversations a scan would cost every one of those reads (r0008's partial index)."""
    from sqlalchemy import text

    with cache.write() as conn:
        apply_events(conn, [flagged("c1", "m1"), conversation("c2", "Bo", last=at(2))])
        compiled = queries.open_opt_outs_select().compile(conn, compile_kwargs={
            "literal_binds": True
        })
        plan = conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
        flags = queries.open_opt_outs(conn)
    details = " | ".join(str(row[-1]) for row in plan)
    assert "ix_conversations_open_opt_out" in details, details
    assert [f.id for f in flags] == ["c1"]
