"""A number belongs to one live contact: `contact_phones.live_number`, unique.

`live_number` is the number while its contact is live and NULL once the contact is deleted, so
a unique index on it lets one live contact hold a number (NULLs never collide on SQLite or
PostgreSQL) and frees a deleted contact's number for reuse. A database may already hold the
same number on several live contacts: the oldest contact keeps the claim; the others keep the
number on their card (nothing is lost) but no longer receive its inbound texts.

(Group messages already record who sent them, `created_by_user_id`, and groups their creator,
both since 0002: this revision adds nothing for them.)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEX = "uq_contact_phones_live_number"
_BATCH = 500

# Frozen copies of the tables as they are at this revision (models may move on).
_contacts = sa.table(
    "contacts",
    sa.column("id", sa.String(40)),
    sa.column("deleted_at", sa.DateTime()),
    sa.column("created_at", sa.DateTime()),
)
_phones = sa.table(
    "contact_phones",
    sa.column("id", sa.Integer()),
    sa.column("contact_id", sa.String(40)),
    sa.column("number", sa.String(20)),
    sa.column("position", sa.Integer()),
    sa.column("live_number", sa.String(20)),
)


def upgrade() -> None:
    op.add_column("contact_phones", sa.Column("live_number", sa.String(20), nullable=True))
    _claim_existing_numbers()
    op.create_index(INDEX, "contact_phones", ["live_number"], unique=True)


def _claim_existing_numbers() -> None:
    """Each number goes to the oldest live contact that has it (then the lowest id)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_phones.c.id, _phones.c.number)
        .join(_contacts, _contacts.c.id == _phones.c.contact_id)
        .where(_contacts.c.deleted_at.is_(None))
        .order_by(_contacts.c.created_at, _contacts.c.id, _phones.c.position, _phones.c.id)
    ).all()
    claimed: dict[str, int] = {}
    for phone_id, number in rows:
        claimed.setdefault(number, phone_id)
    claims = [{"phone_id": phone_id, "claim": number} for number, phone_id in claimed.items()]
    statement = (
        sa.update(_phones)
        .where(_phones.c.id == sa.bindparam("phone_id"))
        .values(live_number=sa.bindparam("claim"))
    )
    for start in range(0, len(claims), _BATCH):
        connection.execute(statement, claims[start : start + _BATCH])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="contact_phones")
    with op.batch_alter_table("contact_phones") as batch:
        batch.drop_column("live_number")
