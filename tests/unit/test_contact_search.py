"""Contact search in SQL and the local contact writes, on a real cache file (no Qt)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from console.store import contact_writes
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.contact_search import (
    count_contact_phones,
    count_contacts,
    position_of,
    refresh_index,
    search_contact_ids,
    search_contact_phones,
    stale_count,
)
from console.store.models import contact_phones, contacts

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
PEOPLE = [
    ("c1", "Maria Gonzalez", "maria.gonzalez@example.com", ["+14155550111"]),
    ("c2", "James Whitaker", "jwhitaker@example.com", ["+12125550112", "+16465550113"]),
    ("c3", "lily chen", None, ["+14155550140", "+15105550141"]),
    ("c4", "Oliver Bennett", "oliver@example.co.uk", ["+442079460123"]),
    ("c5", "Gone Person", None, ["+14155550199"]),  # deleted
    ("c6", "100% Real_Name", None, []),
]


@pytest.fixture(params=["indexed", "stale"])
def cache(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cache]:
    """The same contacts with the search index written, or still to write (every contact
    then searched by the scan that covers changed contacts): the answers must not differ."""
    cache = Cache.open(tmp_path / "cache.db")
    with cache.write() as conn:
        conn.execute(
            insert(contacts),
            [
                {"id": cid, "name": name, "email": email, "dnd": False,
                 "assigned_user_id": None, "updated_at": NOW, "deleted": cid == "c5"}
                for cid, name, email, _ in PEOPLE
            ],
        )
        conn.execute(
            insert(contact_phones),
            [
                {"contact_id": cid, "position": i, "number": number,
                 "label": "primary" if i == 0 else "secondary"}
                for cid, _, _, numbers in PEOPLE
                for i, number in enumerate(numbers)
            ],
        )
        if request.param == "indexed":
            assert refresh_index(conn) == len(PEOPLE)
            assert stale_count(conn) == 0
    yield cache
    cache.close()


def ids(cache: Cache, text: str, **kw: int) -> list[str]:
    with cache.read() as conn:
        return search_contact_ids(conn, text, limit=kw.get("limit", 50), offset=kw.get("offset", 0))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["c6", "c2", "c3", "c1", "c4"]),  # name order, any case; deleted never
        ("maria", ["c1"]),
        ("GONZ mar", ["c1"]),  # every word, any order, any case
        ("555 0111", ["c1"]),
        ("(415) 555", ["c3", "c1"]),
        ("+1415", ["c3", "c1"]),
        ("646-555-0113", ["c2"]),  # a secondary number
        ("+44 20 7946", ["c4"]),
        ("example.co.uk", ["c4"]),
        ("jwhitaker@", ["c2"]),
        ("0199", []),  # the deleted contact's number
        ("100%", ["c6"]),  # LIKE wildcards are plain characters
        ("m_ria", []),
        ("real_", ["c6"]),
    ],
)
def test_search_by_name_number_fragment_or_email(
    cache: Cache, text: str, expected: list[str]
) -> None:
    assert ids(cache, text) == expected
    with cache.read() as conn:
        assert count_contacts(conn, text) == len(expected)


def test_pages_and_positions(cache: Cache) -> None:
    assert ids(cache, "", limit=2) == ["c6", "c2"]
    assert ids(cache, "", limit=2, offset=2) == ["c3", "c1"]
    with cache.read() as conn:
        assert position_of(conn, "", "c1") == 3
        assert position_of(conn, "555", "c1") == 2
        assert position_of(conn, "maria", "c2") is None
        assert position_of(conn, "", "c5") is None  # deleted


def test_phones_one_row_per_number(cache: Cache) -> None:
    with cache.read() as conn:
        by_name = search_contact_phones(conn, "chen", limit=10)
        by_number = search_contact_phones(conn, "(510) 555", limit=10)
        every = search_contact_phones(conn, "", limit=3, offset=1)
        assert count_contact_phones(conn, "") == 6
        assert count_contact_phones(conn, "(510) 555") == 1
    assert by_name == [("c3", "+14155550140"), ("c3", "+15105550141")]
    assert by_number == [("c3", "+15105550141")]  # only the number that matched
    assert every == [("c2", "+16465550113"), ("c3", "+14155550140"), ("c3", "+15105550141")]


def test_a_new_contact_is_local_until_created_and_left_out_of_the_picker(cache: Cache) -> None:
    body = {"name": "Nina Park", "phones": [{"number": "+14155550190", "label": "primary"}],
            "email": None, "dnd": False}
    with cache.write() as conn:
        local_id, item_id, key, changes = contact_writes.queue_contact_create(
            conn, body=body, now=NOW
        )
        edit = ob.enqueue(
            conn, ob.OutboxKind.CONTACT_EDIT, now=NOW,
            payload={"contact_id": local_id, "patch": {"dnd": True}},
        )
    assert changes.contacts == {local_id}
    assert local_id.endswith(key)
    assert ids(cache, "nina") == []  # not for a group chat yet
    with cache.read() as conn:
        assert search_contact_ids(conn, "nina", limit=5, include_pending=True) == [local_id]
        assert contact_writes.pending_contact_states(conn) == {local_id: "creating"}

    # The server answers: its row replaces the local one, the edit behind follows the new id.
    with cache.write() as conn:
        conn.execute(insert(contacts).values(
            id="c9", name="Nina Park", email=None, dnd=False, assigned_user_id=None,
            updated_at=NOW, deleted=False,
        ))
        contact_writes.adopt_contact(conn, local_id, "c9")
        ob.claim(conn, item_id, NOW)
        ob.complete(conn, item_id, NOW, result_id="c9")
    with cache.read() as conn:
        assert search_contact_ids(conn, "nina", limit=5, include_pending=True) == ["c9"]
        assert contact_writes.server_id_of(conn, local_id) == "c9"
        moved = ob.get(conn, edit)
        assert moved is not None
        assert moved.payload["contact_id"] == "c9"
        assert moved.lane == "contact:c9"


def test_a_refused_create_takes_its_edits_down_and_discard_removes_the_row(
    cache: Cache,
) -> None:
    from console.store import local_writes

    body: dict[str, Any] = {"name": "Nina Park", "phones": [], "email": None, "dnd": False}
    with cache.write() as conn:
        local_id, item_id, _, _ = contact_writes.queue_contact_create(conn, body=body, now=NOW)
        edit = ob.enqueue(
            conn, ob.OutboxKind.CONTACT_EDIT, now=NOW,
            payload={"contact_id": local_id, "patch": {"dnd": True}},
        )
        item = ob.claim(conn, item_id, NOW)
        changes = ob.fail(conn, item_id, code="phone_taken", error="Taken.", now=NOW)
        changes.merge(contact_writes.fail_behind_create(conn, item, error="Taken.", now=NOW))
    assert local_id in changes.contacts
    with cache.read() as conn:
        assert contact_writes.pending_contact_states(conn) == {local_id: "refused"}
        assert contact_writes.refusals(conn, [local_id]) == {local_id: "Taken."}
        behind = ob.get(conn, edit)
        assert behind is not None
        assert behind.state is ob.OutboxState.FAILED
        assert behind.last_error_code == contact_writes.NOT_CREATED_CODE
    with cache.write() as conn:
        local_writes.discard(conn, item_id)
    with cache.read() as conn:
        assert search_contact_ids(conn, "nina", limit=5, include_pending=True) == []
        assert ob.failed_items(conn) == []


def test_deleting_a_contact_never_sent_drops_it_and_a_synced_one_waits(cache: Cache) -> None:
    body: dict[str, Any] = {"name": "Nina Park", "phones": [], "email": None, "dnd": False}
    with cache.write() as conn:
        local_id, _, _, _ = contact_writes.queue_contact_create(conn, body=body, now=NOW)
        dropped, _ = contact_writes.queue_contact_delete(conn, contact_id=local_id, now=NOW)
        queued, changes = contact_writes.queue_contact_delete(conn, contact_id="c1", now=NOW)
    assert dropped is None
    assert queued is not None
    assert changes.contacts == {"c1"}
    with cache.read() as conn:
        assert search_contact_ids(conn, "nina", limit=5, include_pending=True) == []
        assert contact_writes.pending_contact_states(conn) == {"c1": "deleting"}
        assert ids(cache, "maria") == ["c1"]  # the cached row stays until the server says
    with pytest.raises(contact_writes.UnknownContact), cache.write() as conn:
        contact_writes.queue_contact_delete(conn, contact_id="c5", now=NOW)  # deleted already


def test_a_renamed_contact_is_found_by_its_new_name_before_and_after_the_refresh(
    cache: Cache,
) -> None:
    from sqlalchemy import update

    with cache.write() as conn:
        refresh_index(conn)
        conn.execute(update(contacts).where(contacts.c.id == "c4").values(name="Olivia Stone"))
        conn.execute(update(contact_phones).where(contact_phones.c.contact_id == "c2")
                     .values(number="+13125550100"))
        assert stale_count(conn) == 2
    assert ids(cache, "bennett") == []
    assert ids(cache, "stone") == ["c4"]
    assert ids(cache, "312 555") == ["c2"]
    assert ids(cache, "212 555") == []
    with cache.write() as conn:
        assert refresh_index(conn) == 2
    assert ids(cache, "bennett") == []
    assert ids(cache, "stone") == ["c4"]
    assert ids(cache, "312 555") == ["c2"]
    assert ids(cache, "212 555") == []
