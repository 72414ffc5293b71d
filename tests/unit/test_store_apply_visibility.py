"""The cache follows what the user may see: a contact that left their sight is forgotten (not
kept as deleted), and colleagues known by name only keep the name and nothing made up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from console.protocol.auth import User
from console.store.apply import apply_sync_page
from console.store.cache import Cache
from console.store.models import contact_phones, contacts, users
from console.store.session_meta import get_user, save_session
from tests.unit.cache_factories import at, contact, conversation, event, page

GONE = {"deleted": True, "out_of_sight": True}


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    opened = Cache.open(tmp_path / "cache.db")
    yield opened
    opened.close()


def test_a_contact_out_of_sight_is_forgotten_with_its_numbers(cache: Cache) -> None:
    apply_sync_page(cache, page(contact("k1", "Ann", "+14155550001"),
                                contact("k2", "Bo", "+14155550002")))
    changes = apply_sync_page(cache, page(event("contact.deleted", {"id": "k1", **GONE})))
    with cache.read() as conn:
        left = conn.execute(select(contacts.c.id)).scalars().all()
        numbers = conn.execute(select(contact_phones.c.number)).scalars().all()
    assert left == ["k2"]
    assert numbers == ["+14155550002"]
    assert changes.contacts == {"k1"}


def test_out_of_sight_then_back_in_one_batch_keeps_the_contact(cache: Cache) -> None:
    apply_sync_page(cache, page(
        contact("k1", "Ann", "+14155550001"),
        event("contact.deleted", {"id": "k1", **GONE}),
        contact("k1", "Ann again", "+14155550001"),
    ))
    with cache.read() as conn:
        rows = conn.execute(select(contacts.c.name, contacts.c.deleted)).all()
    assert [tuple(r) for r in rows] == [("Ann again", False)]


def test_a_deletion_still_keeps_the_contact_as_deleted(cache: Cache) -> None:
    apply_sync_page(cache, page(contact("k1", "Ann", "+14155550001"),
                                conversation("c1", "Ann", last=at(1))))
    apply_sync_page(cache, page(event("contact.deleted", {"id": "k1"})))
    with cache.read() as conn:
        deleted = conn.execute(select(contacts.c.deleted)).scalars().all()
    assert deleted == [True]


def test_colleagues_by_name_only_keep_their_name_and_the_own_account_stays_whole(
    cache: Cache,
) -> None:
    me = User(id="u_me", email="me@x.example", name="Me", role="user", data_access="assigned")
    with cache.write() as conn:
        save_session(conn, "http://127.0.0.1:1", me, at(0))
    apply_sync_page(cache, page(
        event("user.upserted", {"id": "u_other", "name": "Ava"}),
        event("user.upserted", me.model_dump(mode="json")),
    ))
    apply_sync_page(cache, page(event("user.upserted", {"id": "u_other", "name": "Ava T."})))
    with cache.read() as conn:
        rows = {r.id: (r.name, r.email, r.role) for r in conn.execute(select(users))}
        mine = get_user(conn, "u_me")
    assert rows["u_other"] == ("Ava T.", "", "")
    assert mine == me


def test_a_colleague_seen_whole_before_keeps_only_the_name_once_told_by_name(
    cache: Cache,
) -> None:
    """A cache filled under older rules held a colleague's email and role; the names-only event
    that follows must not leave them behind."""
    whole = User(id="u_other", email="ava@x.example", name="Ava", role="admin",
                 data_access="all")
    apply_sync_page(cache, page(event("user.upserted", whole.model_dump(mode="json"))))
    apply_sync_page(cache, page(event("user.upserted", {"id": "u_other", "name": "Ava"})))
    with cache.read() as conn:
        row = conn.execute(select(users).where(users.c.id == "u_other")).one()
    assert (row.name, row.email, row.role, row.data_access) == ("Ava", "", "", "")
