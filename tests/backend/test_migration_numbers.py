"""Migration 0009 on a database that already holds one number on several contacts: the oldest
live contact keeps it, and from then on the database refuses a second live holder."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from console.backend.db import Database
from console.backend.migrate import upgrade

NUMBER, OTHER = "+12865550100", "+12865550101"
T0 = datetime(2026, 1, 1)  # naive UTC, as stored

# The two tables as they are at revision 0008 (the models describe the newest schema).
CONTACTS = sa.table(
    "contacts", sa.column("id"), sa.column("name"), sa.column("name_key"), sa.column("dnd"),
    sa.column("created_at"), sa.column("updated_at"), sa.column("deleted_at"),
)
PHONES = sa.table(
    "contact_phones", sa.column("contact_id"), sa.column("number"), sa.column("label"),
    sa.column("position"), sa.column("live_number"),
)


def _contact(
    connection: sa.Connection, contact_id: str, age_days: int, *numbers: str,
    deleted: bool = False,
) -> None:
    connection.execute(sa.insert(CONTACTS).values(
        id=contact_id, name=contact_id, name_key=contact_id, dnd=False,
        created_at=T0 - timedelta(days=age_days), updated_at=T0,
        deleted_at=T0 if deleted else None,
    ))
    for position, number in enumerate(numbers):
        connection.execute(sa.insert(PHONES).values(
            contact_id=contact_id, number=number, label="primary", position=position))


def test_the_oldest_live_contact_keeps_a_shared_number(empty_database: Database) -> None:
    upgrade(empty_database.engine, "0008")
    with empty_database.engine.begin() as connection:
        # The newest was edited last: the old routing picked it, the migration must not.
        _contact(connection, "con_deleted_oldest", 30, NUMBER, deleted=True)
        _contact(connection, "con_old", 20, NUMBER)
        _contact(connection, "con_new_squatter", 1, OTHER, NUMBER)
    upgrade(empty_database.engine)

    with empty_database.engine.connect() as connection:
        claims = {
            (row.contact_id, row.number): row.live_number
            for row in connection.execute(sa.select(PHONES))
        }
    assert claims == {
        ("con_deleted_oldest", NUMBER): None,
        ("con_old", NUMBER): NUMBER,
        ("con_new_squatter", NUMBER): None,  # stays on the card, but no longer routes to it
        ("con_new_squatter", OTHER): OTHER,
    }
    # From now on the database itself refuses a second live holder.
    with pytest.raises(IntegrityError), empty_database.engine.begin() as connection:
        connection.execute(
            sa.update(PHONES)
            .where(PHONES.c.contact_id == "con_new_squatter", PHONES.c.number == NUMBER)
            .values(live_number=NUMBER)
        )
