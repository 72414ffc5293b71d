"""Migration 0014 on a database with group chats: every participant gets its contact's name and
numbers as they are at upgrade time (the best available), deleted contacts included."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from console.backend import migrate
from console.backend.db import Database
from console.backend.migrate import upgrade
from tests.backend.test_feed_scope_migration import CONTACTS, CONVERSATIONS, PARTICIPANTS, T0

# As it is at revision 0013.
PHONES = sa.table(
    "contact_phones", sa.column("contact_id"), sa.column("number"), sa.column("label"),
    sa.column("position"), sa.column("live_number"),
)
DELETED = sa.table("contacts", sa.column("id"), sa.column("deleted_at"))


def test_0014_fills_each_participant_from_its_contact_now(empty_database: Database) -> None:
    upgrade(empty_database.engine, "0013")
    people = {
        "con_maria": ("Maria Lopez", ["+14155550111", "+14155550112"]),
        "con_james": ("James Whitaker", ["+14155550120"]),
        "con_gone": ("Lily Chen", ["+14155550130"]),
        "con_bare": ("No Numbers", []),
    }
    with empty_database.engine.begin() as connection:
        for contact_id, (name, numbers) in people.items():
            connection.execute(sa.insert(CONTACTS).values(
                id=contact_id, name=name, name_key=name.lower(), dnd=False,
                created_at=T0, updated_at=T0,
            ))
            # Inserted out of card order: the snapshot keeps the card's order.
            for position, number in reversed(list(enumerate(numbers))):
                connection.execute(sa.insert(PHONES).values(
                    contact_id=contact_id, number=number, label="primary", position=position,
                    live_number=number,
                ))
        connection.execute(
            sa.update(DELETED).where(DELETED.c.id == "con_gone").values(deleted_at=T0)
        )
        for chat in ("cnv_a", "cnv_b"):
            connection.execute(sa.insert(CONVERSATIONS).values(
                id=chat, kind="group_sms", title=chat, contact_id=None, phone=None,
                status="active", last_message_preview="", unread_count=0, created_at=T0,
                updated_at=T0,
            ))
        members = [
            ("cnv_a", "con_maria", "+14155550112"), ("cnv_a", "con_james", "+14155550120"),
            ("cnv_b", "con_maria", "+14155550111"), ("cnv_b", "con_gone", "+14155550130"),
            ("cnv_b", "con_bare", "+14155550199"),
        ]
        for position, (chat, contact_id, phone) in enumerate(members):
            connection.execute(sa.insert(PARTICIPANTS).values(
                conversation_id=chat, position=position, contact_id=contact_id, phone=phone,
            ))

    upgrade(empty_database.engine)

    with empty_database.engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT conversation_id, contact_id, phone, name_then, phones_then "
            "FROM group_chat_participants ORDER BY position"
        )).all()
    assert [tuple(r) for r in rows] == [
        ("cnv_a", "con_maria", "+14155550112", "Maria Lopez", "+14155550111,+14155550112"),
        ("cnv_a", "con_james", "+14155550120", "James Whitaker", "+14155550120"),
        ("cnv_b", "con_maria", "+14155550111", "Maria Lopez", "+14155550111,+14155550112"),
        ("cnv_b", "con_gone", "+14155550130", "Lily Chen", "+14155550130"),
        ("cnv_b", "con_bare", "+14155550199", "No Numbers", ""),
    ]


def _migration_page() -> int:
    """The migration's page size, read from its file (its module name starts with a digit)."""
    path = Path(migrate.__file__).parent / "migrations/versions/0014_participant_snapshot.py"
    spec = importlib.util.spec_from_file_location("migration_0014", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page: int = module.PAGE
    return page


def test_0014_fills_more_participants_than_one_page_a_page_at_a_time(
    empty_database: Database,
) -> None:
    upgrade(empty_database.engine, "0013")
    page = _migration_page()
    contacts, per_chat = 40, 7
    chats = (2 * page + 150) // per_chat + 1  # three pages and a bit, not a page multiple
    names = {f"con_{i:03d}": f"Person {i:03d}" for i in range(contacts)}
    numbers = {c: [f"+1415555{i:04d}", f"+1628555{i:04d}"] for i, c in enumerate(names)}
    ids = list(names)
    with empty_database.engine.begin() as connection:
        connection.execute(sa.insert(CONTACTS), [
            {"id": c, "name": n, "name_key": n.lower(), "dnd": False, "created_at": T0,
             "updated_at": T0} for c, n in names.items()])
        connection.execute(sa.insert(PHONES), [
            {"contact_id": c, "number": number, "label": "primary", "position": position,
             "live_number": number}
            for c, own in numbers.items() for position, number in enumerate(own)])
        connection.execute(sa.insert(CONVERSATIONS), [
            {"id": f"cnv_{k:04d}", "kind": "group_sms", "title": "", "contact_id": None,
             "phone": None, "status": "active", "last_message_preview": "", "unread_count": 0,
             "created_at": T0, "updated_at": T0} for k in range(chats)])
        connection.execute(sa.insert(PARTICIPANTS), [
            {"conversation_id": f"cnv_{k:04d}", "position": j,
             "contact_id": ids[(k + j) % contacts], "phone": numbers[ids[(k + j) % contacts]][0]}
            for k in range(chats) for j in range(per_chat)])
    total = chats * per_chat
    assert total > 2 * page

    statements: list[tuple[str, int]] = []

    def seen(_conn: object, _cursor: object, statement: str, parameters: object,
             _context: object, executemany: bool) -> None:
        count = len(parameters) if executemany and isinstance(parameters, Sequence) else 1
        statements.append((" ".join(statement.split()), count))

    sa.event.listen(empty_database.engine, "before_cursor_execute", seen)
    try:
        upgrade(empty_database.engine)
    finally:
        sa.event.remove(empty_database.engine, "before_cursor_execute", seen)

    with empty_database.engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT contact_id, name_then, phones_then FROM group_chat_participants"
        )).all()
    assert len(rows) == total
    assert all((n, p) == (names[c], ",".join(numbers[c])) for c, n, p in rows)
    # Page by page: each participant written once, never more than a page in one go, and the
    # names read a page per query (not every participant at once).
    updates = [n for s, n in statements if s.startswith("UPDATE group_chat_participants")]
    assert sum(updates) == total
    assert max(updates) <= page
    names_read = "SELECT group_chat_participants.id, group_chat_participants.contact_id"
    reads = [s for s, _ in statements if s.startswith(names_read)]
    assert len(reads) == -(-total // page)
