"""History search over the cache: feed batches applied by the real sync apply into real SQLite
files, read back through HistoryService (filters, full text over bodies, names and numbers,
odd input, highlights, keyset paging), the index kept in step by the apply, local sends and
discards, forget and clear, and an r0006 cache migrated with its index filled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command

from console.domain.messages import Direction, MessageStatus
from console.protocol.auth import User
from console.protocol.sync import SyncEvent
from console.services.history import (
    AuthorKind,
    AuthorRef,
    HistoryChannel,
    HistoryCursor,
    HistoryFilter,
    HistoryRow,
    HistoryService,
)
from console.services.session import Session
from console.store import history_queries as hq
from console.store import local_writes
from console.store.apply import apply_sync_page
from console.store.cache import Cache
from console.store.generations import open_new_generation, swap_in
from console.store.maintenance import clear_cached_data
from console.store.migrate import alembic_config
from console.store.search_index import HISTORY_TABLES
from tests.unit.cache_factories import at, contact, conversation, event, message, number, page

ME = "u1"


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    opened = Cache.open(tmp_path / "cache.db")
    yield opened
    opened.close()


def history(cache: Cache) -> HistoryService:
    user = User(id=ME, email="me@example.com", name="Me", role="admin", data_access="all")
    return HistoryService(cache, Session(user, "http://x", "p", cache.path))


def user(uid: str, name: str) -> SyncEvent:
    return event("user.upserted", {"id": uid, "name": name})


def group_message(gid: str, group_id: str, body: str, minute: float, title: str) -> SyncEvent:
    return event("group_message.upserted", {
        "id": gid, "group_id": group_id, "sender_user_id": ME, "title": title, "body": body,
        "recipient_count": 2, "sent_at": at(minute).isoformat(), "stats": {"recipients": 2},
    })


def group(group_id: str, name: str) -> SyncEvent:
    return event("group.upserted", {
        "id": group_id, "name": name, "description": "", "member_count": 2,
        "created_at": at(0).isoformat(), "updated_at": at(0).isoformat(),
    })


def participants(*people: tuple[str, str, str]) -> list[dict[str, Any]]:
    return [{"contact_id": c, "name": n, "phone": p, "tags": []} for c, n, p in people]


WORLD = [
    user(ME, "Me Myself"),
    user("u2", "Dana Colleague"),
    number("n1", "+14155550100", "Main"),
    number("n2", "+14155550200", "Support"),
    contact("k1", "José Pérez", "+14155550111"),
    contact("k2", "Ann Lee", "+16285550122"),
    contact("k3", "Bob Stone", "+15105550133"),
    conversation("c1", "José Pérez", phone="+14155550111", number_id="n1", contact_id="k1"),
    conversation("c2", "Ann Lee", phone="+16285550122", number_id="n2", contact_id="k2"),
    conversation(
        "c3", "", phone=None, number_id="n1", kind="group_sms",
        participants=participants(("k2", "Ann Lee", "+16285550122"),
                                  ("k3", "Bob Stone", "+15105550133")),
    ),
    conversation("c4", "Bob Stone", phone=None, kind="in_app", contact_id="k3"),
    group("g1", "Parents club"),
    message("m1", "c1", "Hola, where is my invoice?", when=at(1), author_contact_id="k1"),
    message("m2", "c1", "Invoice 2291 sent to your email", when=at(2), direction="out",
            status="delivered", author_user_id=ME),
    message("m3", "c2", "Can we reschedule Tuesday?", when=at(3), author_contact_id="k2"),
    message("m4", "c2", "Sure, Thursday at 10", when=at(4), direction="out", status="failed",
            author_user_id="u2"),
    message("m5", "c3", "Team dinner on Friday", when=at(5), direction="out",
            status="delivered", author_user_id=ME),
    message("m6", "c3", "Count me in!", when=at(6), author_contact_id="k3"),
    # A group message and its copy in Bob's in-app thread (same sender, body, time).
    group_message("gm1", "g1", "Field trip forms are due Monday", 7, "Trip forms"),
    message("m7", "c4", "Field trip forms are due Monday", when=at(7), direction="out",
            status="sent", author_user_id=ME),
    message("m8", "c4", "Got it, thanks", when=at(8), author_contact_id="k3",
            reply_to_group_message_id="gm1", reply_to_title="Trip forms"),
]


@pytest.fixture
def filled(cache: Cache) -> Cache:
    apply_sync_page(cache, page(*WORLD))
    return cache


def bodies(rows: tuple[HistoryRow, ...] | list[HistoryRow]) -> list[str]:
    return [r.body for r in rows]


def search(cache: Cache, flt: HistoryFilter) -> list[str]:
    return bodies(history(cache).page(flt).rows)


def test_every_message_newest_first_and_a_group_message_once(filled: Cache) -> None:
    rows = history(filled).page(HistoryFilter()).rows
    assert bodies(rows) == [
        "Got it, thanks", "Field trip forms are due Monday", "Count me in!",
        "Team dinner on Friday", "Sure, Thursday at 10", "Can we reschedule Tuesday?",
        "Invoice 2291 sent to your email", "Hola, where is my invoice?",
    ]
    sent = rows[1]
    assert sent.channel is HistoryChannel.GROUP_MESSAGE
    assert (sent.group_message_id, sent.recipient_count, sent.conversation_title) == (
        "gm1", 2, "Parents club")
    assert sent.target.group_message_id == "gm1"
    assert sent.target.conversation_id is None
    first = rows[-1]
    assert first.channel is HistoryChannel.DIRECT
    assert first.direction is Direction.IN
    assert (first.author, first.conversation_title, first.number_label) == (
        "José Pérez", "José Pérez", "Main")
    assert first.target.conversation_id == "c1"
    assert first.target.message_key == first.message_key
    assert history(filled).count(HistoryFilter()).count == 8


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (HistoryFilter(channels=frozenset({HistoryChannel.GROUP_SMS})),
         ["Count me in!", "Team dinner on Friday"]),
        (HistoryFilter(channels=frozenset({HistoryChannel.IN_APP,
                                           HistoryChannel.GROUP_MESSAGE})),
         ["Got it, thanks", "Field trip forms are due Monday"]),
        (HistoryFilter(number_ids=frozenset({"n2"})),
         ["Sure, Thursday at 10", "Can we reschedule Tuesday?"]),
        (HistoryFilter(direction=Direction.OUT, number_ids=frozenset({"n1"})),
         ["Team dinner on Friday", "Invoice 2291 sent to your email"]),
        (HistoryFilter(statuses=frozenset({MessageStatus.FAILED})), ["Sure, Thursday at 10"]),
        (HistoryFilter(statuses=frozenset({MessageStatus.SENT})),
         ["Field trip forms are due Monday"]),
        (HistoryFilter(author=AuthorRef(user_id="u2")), ["Sure, Thursday at 10"]),
        (HistoryFilter(author=AuthorRef(contact_id="k3")), ["Got it, thanks", "Count me in!"]),
        # The group: its sent message and the replies to it.
        (HistoryFilter(group_id="g1"), ["Got it, thanks", "Field trip forms are due Monday"]),
        (HistoryFilter(date_from=at(3), date_to=at(5)),
         ["Sure, Thursday at 10", "Can we reschedule Tuesday?"]),
        (HistoryFilter(date_from=at(8) + timedelta(seconds=1)), []),
    ],
)
def test_each_filter(filled: Cache, flt: HistoryFilter, expected: list[str]) -> None:
    assert search(filled, flt) == expected
    assert history(filled).count(flt).count == len(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("invoice", ["Invoice 2291 sent to your email", "Hola, where is my invoice?"]),
        ("INVO", ["Invoice 2291 sent to your email", "Hola, where is my invoice?"]),
        ("invoice 22", ["Invoice 2291 sent to your email"]),
        # names: the conversation's title, its participants, the author; accents not counting
        ("jose", ["Invoice 2291 sent to your email", "Hola, where is my invoice?"]),
        ("pérez hola", ["Hola, where is my invoice?"]),
        ("bob", ["Got it, thanks", "Count me in!", "Team dinner on Friday"]),
        ("dana", ["Sure, Thursday at 10"]),
        ("trip forms", ["Field trip forms are due Monday"]),  # the group message, not its copy
        ("parents", ["Field trip forms are due Monday"]),
        # numbers in any layout
        ("5550111", ["Invoice 2291 sent to your email", "Hola, where is my invoice?"]),
        ("(415) 555-0111", ["Invoice 2291 sent to your email", "Hola, where is my invoice?"]),
        ("+1 415 555 0111", ["Invoice 2291 sent to your email", "Hola, where is my invoice?"]),
        ("+14155550111", ["Invoice 2291 sent to your email", "Hola, where is my invoice?"]),
        ("510-555", ["Count me in!", "Team dinner on Friday"]),  # in-app threads have none
        ("0122", ["Count me in!", "Team dinner on Friday", "Sure, Thursday at 10",
                  "Can we reschedule Tuesday?"]),
        ("nothing like this", []),
    ],
)
def test_full_text_over_bodies_names_and_numbers(
    filled: Cache, query: str, expected: list[str]
) -> None:
    assert search(filled, HistoryFilter(query=query)) == expected


@pytest.mark.parametrize(
    "query", ['"', "*", "AND", "-", "OR", "NOT", "NEAR(", '"inv', "inv*", "a AND", "-invoice",
              "col:invoice", "^invoice", "(", ")", "{body}", "'", "½", "x²", "🙂", "\\", "%", "_"],
)
def test_odd_input_never_raises(filled: Cache, query: str) -> None:
    flt = HistoryFilter(query=query)
    history(filled).page(flt)
    history(filled).count(flt)


def test_syntax_words_are_plain_text(filled: Cache) -> None:
    assert search(filled, HistoryFilter(query="-invoice")) == search(
        filled, HistoryFilter(query="invoice"))
    assert search(filled, HistoryFilter(query='"invoice" AND')) == []  # "and" is a word here
    assert search(filled, HistoryFilter(query="inv*")) == search(
        filled, HistoryFilter(query="inv"))


def spans_of(text: str, highlights: tuple[Any, ...]) -> list[str]:
    return [text[h.start : h.end] for h in highlights]


def test_matches_are_highlighted_in_body_title_and_author(filled: Cache) -> None:
    rows = history(filled).page(HistoryFilter(query="jose invo")).rows
    assert [spans_of(r.body, r.body_highlights) for r in rows] == [["Invo"], ["invo"]]
    assert [spans_of(r.conversation_title, r.title_highlights) for r in rows] == [
        ["José"], ["José"]]
    assert spans_of(rows[1].author, rows[1].author_highlights) == ["José"]
    assert (rows[1].author_kind, rows[1].author) == (AuthorKind.CONTACT, "José Pérez")
    # This user has no name to highlight (the views word "You").
    assert (rows[0].author_kind, rows[0].author) == (AuthorKind.ME, "")
    assert rows[0].author_highlights == ()
    by_number = history(filled).page(HistoryFilter(query="555-0111")).rows
    assert by_number
    assert all(r.matched_number and not r.body_highlights for r in by_number)
    assert history(filled).page(HistoryFilter()).rows[0].body_highlights == ()


def test_keyset_pages_cover_everything_once_and_survive_new_rows(filled: Cache) -> None:
    service = history(filled)
    first = service.page(HistoryFilter(), limit=3)
    assert first.next_cursor is not None
    # A message arriving between two pages goes on top: the next page is not shifted.
    apply_sync_page(filled, page(message("m9", "c1", "Newest one", when=at(9))))
    seen = list(first.rows)
    cursor: HistoryCursor | None = first.next_cursor
    while cursor is not None:
        more = service.page(HistoryFilter(), after=cursor, limit=3)
        seen += more.rows
        cursor = more.next_cursor
    assert len(seen) == 8
    assert len({r.key for r in seen}) == 8
    assert [r.created_at for r in seen] == sorted((r.created_at for r in seen), reverse=True)
    capped = service.count(HistoryFilter(), cap=5)
    assert (capped.count, capped.at_least, capped.label()) == (5, True, "5+ results")


def test_the_apply_keeps_the_index_in_step(filled: Cache) -> None:
    flt = HistoryFilter(query="invoice")
    # A status change: the status filter follows it.
    apply_sync_page(filled, page(message("m2", "c1", "Invoice 2291 sent to your email",
                                         when=at(2), direction="out", status="failed",
                                         author_user_id=ME)))
    failed = HistoryFilter(statuses=frozenset({MessageStatus.FAILED}))
    assert "Invoice 2291 sent to your email" in search(filled, failed)
    # A renamed person: their thread's messages are found by the new name, not the old one.
    apply_sync_page(filled, page(conversation("c1", "Joe Gold", phone="+14155550111",
                                              number_id="n1", contact_id="k1")))
    assert len(search(filled, HistoryFilter(query="gold"))) == 2
    assert search(filled, HistoryFilter(query="pérez 2291")) == []  # the old title is gone
    # A conversation out of sight: its messages leave the index.
    apply_sync_page(filled, page(event("conversation.deleted", {"id": "c1"})))
    assert search(filled, flt) == []
    with filled.read() as conn:
        assert hq.count(conn, hq.HistoryQuery(text="invoice"), cap=10) == (
            0, False)


def test_a_group_message_after_its_copies_replaces_them(cache: Cache) -> None:
    copy_first = [e for e in WORLD if e.type != "group_message.upserted"]
    apply_sync_page(cache, page(*copy_first))
    assert search(cache, HistoryFilter(query="trip")) == ["Field trip forms are due Monday"]
    assert history(cache).page(HistoryFilter(query="trip")).rows[0].channel is (
        HistoryChannel.IN_APP)
    apply_sync_page(cache, page(group_message("gm1", "g1", "Field trip forms are due Monday", 7,
                                              "Trip forms")))
    rows = history(cache).page(HistoryFilter(query="trip")).rows
    assert [(r.channel, r.group_message_id) for r in rows] == [
        (HistoryChannel.GROUP_MESSAGE, "gm1")]


def test_a_local_send_is_found_at_once_and_a_discard_removes_it(filled: Cache) -> None:
    with filled.write() as conn:
        queued, _ = local_writes.queue_send(
            conn, conversation_id="c2", body="Parking is behind the building",
            author_user_id=ME, now=at(20),
        )
    rows = history(filled).page(HistoryFilter(query="parking")).rows
    assert [(r.body, r.status, r.author_kind, r.author) for r in rows] == [
        ("Parking is behind the building", MessageStatus.PENDING, AuthorKind.ME, "")]
    with filled.write() as conn:
        local_writes.discard(conn, queued.outbox_id)
    assert search(filled, HistoryFilter(query="parking")) == []


def test_clearing_the_cache_clears_the_index(filled: Cache) -> None:
    with filled.write() as conn:
        clear_cached_data(conn)
        counts = [conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()
                  for t in sorted(HISTORY_TABLES)]
    assert counts == [0, 0, 0]
    assert search(filled, HistoryFilter()) == []


def test_filter_options_list_what_the_cache_holds(filled: Cache) -> None:
    options = history(filled).filter_options()
    assert [(n.id, n.label) for n in options.numbers] == [
        ("n1", "Main · (415) 555-0100"), ("n2", "Support · (415) 555-0200")]
    assert [(g.id, g.name) for g in options.groups] == [("g1", "Parents club")]
    # Who each author is, as data (the views word "You" and sort by the words they show).
    assert [(a.author, a.kind, a.label) for a in options.authors] == [
        (AuthorRef(user_id=ME), AuthorKind.ME, ""),
        (AuthorRef(user_id="u2"), AuthorKind.COLLEAGUE, "Dana Colleague"),
        (AuthorRef(contact_id="k2"), AuthorKind.CONTACT, "Ann Lee"),
        (AuthorRef(contact_id="k3"), AuthorKind.CONTACT, "Bob Stone"),
        (AuthorRef(contact_id="k1"), AuthorKind.CONTACT, "José Pérez"),
    ]


def test_a_sender_nobody_can_tell_has_no_name_for_the_views_to_word(filled: Cache) -> None:
    """An inbound group chat message whose contact the cache does not know: its author is ""
    (the views say "Unknown sender" in the user's language), and so is its filter option."""
    apply_sync_page(filled, page(
        message("m30", "c3", "Who is this?", when=at(30), author_contact_id="k9")))
    service = history(filled)
    row = service.page(HistoryFilter()).rows[0]
    assert (row.body, row.author, row.author_highlights) == ("Who is this?", "", ())
    unknown = [a for a in service.filter_options().authors if a.author.contact_id == "k9"]
    assert [(a.kind, a.label) for a in unknown] == [(AuthorKind.CONTACT, "")]


def test_an_r0006_cache_is_indexed_by_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    cache = Cache.open(path)
    apply_sync_page(cache, page(*WORLD))
    with cache.write() as conn:
        command.downgrade(alembic_config(conn), "0006")
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    cache.close()
    assert not tables & HISTORY_TABLES  # really a cache from before the index
    cache = Cache.open(path)  # migrates to head: r0007 fills the index
    try:
        assert len(search(cache, HistoryFilter())) == 8
        assert search(cache, HistoryFilter(query="trip")) == ["Field trip forms are due Monday"]
        assert len(search(cache, HistoryFilter(query="415 555 0111"))) == 2
        with cache.read() as conn:  # the bulk fill's big term buffer is not kept
            hash_bytes = conn.exec_driver_sql(
                "SELECT v FROM history_fts_config WHERE k = 'hashsize'").scalar()
        assert hash_bytes == 1024 * 1024
    finally:
        cache.close()


def test_the_plans_use_the_index(filled: Cache) -> None:
    with filled.read() as conn:
        text = hq.explain(conn, hq.HistoryQuery(text="inv", channels=("direct",)))
        plain = hq.explain(conn, hq.HistoryQuery())
        by_channel = hq.explain(conn, hq.HistoryQuery(channels=("group_sms",)))
        by_contact = hq.explain(conn, hq.HistoryQuery(author_contact_id="k1"))
    assert text[0].startswith("SCAN f VIRTUAL TABLE")
    assert "PRIMARY KEY" in text[1]
    assert not any("TEMP B-TREE" in step for step in text + plain + by_channel + by_contact)
    assert "ix_history_entries_channel_key" in by_channel[0]
    assert "ix_history_entries_contact_key" in by_contact[0]


def test_a_resync_swap_reindexes_the_new_generation_under_the_local_ids(filled: Cache) -> None:
    before = {r.body: r.message_key for r in history(filled).page(HistoryFilter()).rows}
    generation = open_new_generation(filled)
    # The server now has m1 (the same message: it keeps its local id) and a new m20; the rest
    # of the old server's messages are gone.
    apply_sync_page(generation, page(*WORLD[:11], message(
        "m1", "c1", "Hola, where is my invoice?", when=at(1), author_contact_id="k1"),
        message("m20", "c2", "Rebuilt after the resync", when=at(30), author_contact_id="k2")))
    generation.close()
    swap_in(filled, generation.path, now=at(40))
    rows = history(filled).page(HistoryFilter()).rows
    assert [(r.body, r.message_key == before.get(r.body)) for r in rows] == [
        ("Rebuilt after the resync", False), ("Hola, where is my invoice?", True)]
    assert search(filled, HistoryFilter(query="rebuilt")) == ["Rebuilt after the resync"]
    assert search(filled, HistoryFilter(query="thursday")) == []
    with filled.read() as conn:  # every key points at a message of this cache
        orphans = conn.exec_driver_sql(
            "SELECT count(*) FROM history_entries AS e WHERE e.message_id IS NOT NULL AND "
            "NOT EXISTS (SELECT 1 FROM messages AS m WHERE m.id = e.message_id)"
        ).scalar_one()
    assert orphans == 0
