"""The demo seed: what it holds, that it is deterministic, and seeds only once."""

from __future__ import annotations

from pathlib import Path

import phonenumbers
from sqlalchemy import func, select

from console.backend import models
from console.backend.db import Database
from console.backend.lifecycle import prepare_database
from console.backend.seed import seed_demo
from console.backend.seed_data import CONTACTS, NUMBERS
from console.backend.settings import Settings
from console.domain.phones import region_of


def _seeded(path: Path) -> Database:
    db = Database(f"sqlite:///{path}")
    prepare_database(db, Settings(db_url=db.url))
    return db


def _snapshot(db: Database) -> list[tuple[str, ...]]:
    with db.reading() as session:
        contacts: list[tuple[str, ...]] = [(c.id, c.name, ",".join(p.number for p in c.phones))
                    for c in session.scalars(select(models.Contact).order_by(models.Contact.id))]
        messages: list[tuple[str, ...]] = [(m.id, m.conversation_id, m.body, m.direction)
                    for m in session.scalars(select(models.Message).order_by(models.Message.id))]
    return contacts + messages


def test_seed_is_deterministic_and_only_once(tmp_path: Path) -> None:
    # How long seeding takes is measured by tests/bench/bench_startup.py, not asserted here.
    first, second = _seeded(tmp_path / "a.db"), _seeded(tmp_path / "b.db")
    try:
        assert seed_demo(first) is True
        assert seed_demo(second) is True
        assert _snapshot(first) == _snapshot(second)
        assert seed_demo(first) is False
        with first.reading() as session:
            assert session.scalar(select(func.count()).select_from(models.Contact)) == 40
    finally:
        first.dispose()
        second.dispose()


def test_seed_holds_what_the_demo_needs(tmp_path: Path) -> None:
    db = _seeded(tmp_path / "demo.db")
    try:
        seed_demo(db)
        with db.reading() as session:
            users = session.scalars(select(models.User)).all()
            assert sorted((u.role, u.data_access) for u in users) == [
                ("admin", "all"), ("admin", "all"), ("user", "all"), ("user", "assigned"),
            ]
            numbers = session.scalars(select(models.BusinessNumber)).all()
            assert sum(n.is_default for n in numbers) == 1
            assert sum(n.assigned_user_id is not None for n in numbers) == 1
            assert sum(not n.is_default and n.assigned_user_id is None for n in numbers) == 1
            contacts = session.scalars(select(models.Contact)).all()
            assert sum(c.dnd for c in contacts) == 3
            assert sum(len(c.phones) > 1 for c in contacts) >= 5
            assigned_only = next(u for u in users if u.data_access == "assigned")
            assert sum(c.assigned_user_id == assigned_only.id for c in contacts) >= 5
            everything = session.scalars(select(models.Conversation)).all()
            conversations = [c for c in everything if c.kind == "direct"]
            assert len(conversations) == 8
            # Group SMS chats: one of Diego's (all his contacts), one blocked by a DND
            # participant's STOP (audited as that keyword), each with some history.
            chats = [c for c in everything if c.kind == "group_sms"]
            assert len(chats) == 3
            assert [c.blocked_reason for c in chats if c.status == "blocked"] == [
                "Harper Lewis has Do Not Disturb on"
            ]
            stop = session.scalars(
                select(models.DndChange).where(models.DndChange.source == "inbound_keyword")
            ).one()
            assert session.get_one(models.Message, stop.message_id).body == "STOP"
            assert session.scalar(select(func.count()).select_from(models.DndChange)) == 3
            assert sum(c.unread_count > 0 for c in conversations) >= 3
            # Nobody with DND on has a thread: the demo's first send must succeed anywhere.
            dnd_ids = {c.id for c in contacts if c.dnd}
            assert not any(c.contact_id in dnd_ids for c in conversations)
            messages = session.scalars(select(models.Message)).all()
            assert len(messages) >= 30
            assert {m.direction for m in messages} == {"in", "out"}
            days = {m.created_at.date() for m in messages}
            assert len(days) >= 3
    finally:
        db.dispose()


def test_seed_numbers_are_valid_and_cover_the_regions() -> None:
    every = [n.e164 for n in NUMBERS] + [c.phone for c in CONTACTS] + [
        c.secondary for c in CONTACTS if c.secondary
    ]
    assert len(set(every)) == len(every)
    for number in every:
        assert phonenumbers.is_valid_number(phonenumbers.parse(number)), number
    regions = [region_of(number) for number in every]
    assert regions.count("CA") >= 1
    assert regions.count("GB") == 1


def test_every_seeded_number_has_one_live_holder(tmp_path: Path) -> None:
    """Inbound texts find their contact by the claimed number: the seed claims each one once."""
    db = _seeded(tmp_path / "claims.db")
    try:
        assert seed_demo(db)
        with db.reading() as session:
            phones = session.scalars(select(models.ContactPhone)).all()
    finally:
        db.dispose()
    assert phones
    assert all(p.live_number == p.number for p in phones)
    assert len({p.number for p in phones}) == len(phones)
