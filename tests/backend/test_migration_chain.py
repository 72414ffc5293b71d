"""Upgrading a database that already holds data keeps every row: SQLite rebuilds a table to
change a column, and with foreign keys on that rebuild would delete or refuse the rows that
point at it (a contact's phones, its conversations, group memberships)."""

from __future__ import annotations

import sqlalchemy as sa

from console.backend.db import Database
from console.backend.migrate import upgrade
from tests.backend.test_feed_scope_migration import (
    CONTACTS,
    CONVERSATIONS,
    MESSAGES,
    T0,
    USERS,
)

# As they are at revision 0005.
PHONES = sa.table(
    "contact_phones", sa.column("contact_id"), sa.column("number"), sa.column("label"),
    sa.column("position"),
)
GROUPS = sa.table(
    "audience_groups", sa.column("id"), sa.column("name"), sa.column("live_name_key"),
    sa.column("description"), sa.column("created_at"), sa.column("updated_at"),
)
MEMBERS = sa.table(
    "group_members", sa.column("group_id"), sa.column("contact_id"), sa.column("added_at"),
)
COUNTED = ("users", "contacts", "contact_phones", "conversations", "messages",
           "audience_groups", "group_members")


def _counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {
            table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in COUNTED
        }


def test_upgrading_a_database_with_data_keeps_every_row(empty_database: Database) -> None:
    upgrade(empty_database.engine, "0005")
    with empty_database.engine.begin() as connection:
        connection.execute(sa.insert(USERS).values(
            id="usr_a", email="a@x.example", name="A", role="user", data_access="assigned",
            password_hash="-", created_at=T0, updated_at=T0,
        ))
        for index in range(3):
            contact = f"con_{index}"
            connection.execute(sa.insert(CONTACTS).values(
                id=contact, name=contact, name_key=contact, dnd=False, assigned_user_id="usr_a",
                created_at=T0, updated_at=T0,
            ))
            connection.execute(sa.insert(PHONES).values(
                contact_id=contact, number=f"+1415555020{index}", label="primary", position=0,
            ))
            connection.execute(sa.insert(CONVERSATIONS).values(
                id=f"cnv_{index}", kind="direct", title=contact, contact_id=contact,
                phone=f"+1415555020{index}", status="active", last_message_preview="",
                unread_count=0, created_at=T0, updated_at=T0,
            ))
            connection.execute(sa.insert(MESSAGES).values(
                id=f"msg_{index}", conversation_id=f"cnv_{index}", direction="out", body="hi",
                status="sent", from_number="+14155550100", to_number=f"+1415555020{index}",
                created_at=T0, updated_at=T0,
            ))
        connection.execute(sa.insert(GROUPS).values(
            id="grp_1", name="Buyers", live_name_key="buyers", description="",
            created_at=T0, updated_at=T0,
        ))
        connection.execute(sa.insert(MEMBERS).values(
            group_id="grp_1", contact_id="con_0", added_at=T0,
        ))
    before = _counts(empty_database)

    upgrade(empty_database.engine)

    assert _counts(empty_database) == before
    with empty_database.engine.connect() as connection:
        if empty_database.engine.dialect.name == "sqlite":
            # Checks are back on for the app once the migration is done.
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        live = connection.execute(
            sa.text("SELECT count(*) FROM contact_phones WHERE live_number IS NOT NULL")
        ).scalar_one()
    assert live == 3
