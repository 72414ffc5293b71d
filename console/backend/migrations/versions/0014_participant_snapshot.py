"""A group chat participant keeps its contact as it was when the chat was made.

`Updated` means the contact's name or numbers changed since the chat was made (issue 10), but
until now only the frozen number was kept, so a rename or a new secondary number went unseen.
`name_then` and `phones_then` (every number of the contact, E.164, comma-separated in card
order) are written at creation from now on.

Existing rows are filled from the contact as it is now: the best available, since what it was
at creation was never recorded. Those chats show `Updated` only for changes made after this
migration (and, as before, for a frozen number no longer on the contact).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# Participants filled per round trip: memory stays flat however many chats a database holds.
PAGE = 1000

# Frozen copies of the tables as they are at this revision (models may move on).
_participants = sa.table(
    "group_chat_participants",
    sa.column("id", sa.BigInteger),
    sa.column("contact_id", sa.String(40)),
    sa.column("name_then", sa.String(200)),
    sa.column("phones_then", sa.String(240)),
)
_contacts = sa.table("contacts", sa.column("id", sa.String(40)), sa.column("name", sa.String(200)))
_phones = sa.table(
    "contact_phones",
    sa.column("contact_id", sa.String(40)),
    sa.column("number", sa.String(20)),
    sa.column("position", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("group_chat_participants") as batch:
        batch.add_column(sa.Column("name_then", sa.String(200), nullable=True))
        batch.add_column(sa.Column("phones_then", sa.String(240), nullable=True))
    _backfill()


def downgrade() -> None:
    with op.batch_alter_table("group_chat_participants") as batch:
        batch.drop_column("phones_then")
        batch.drop_column("name_then")


def _backfill() -> None:
    bind = op.get_bind()
    update = (
        sa.update(_participants)
        .where(_participants.c.id == sa.bindparam("row_id"))
        .values(name_then=sa.bindparam("name"), phones_then=sa.bindparam("phones"))
    )
    after: int | None = None
    while True:
        # Keyset pages: the next PAGE ids, then that id range (no OFFSET rescans, no long lists
        # of bound ids for a database to cap).
        next_ids = sa.select(_participants.c.id).order_by(_participants.c.id).limit(PAGE)
        if after is not None:
            next_ids = next_ids.where(_participants.c.id > after)
        ids = bind.scalars(next_ids).all()
        if not ids:
            return
        in_page = _participants.c.id.between(ids[0], ids[-1])
        rows = bind.execute(
            sa.select(_participants.c.id, _participants.c.contact_id, _contacts.c.name)
            .join(_contacts, _contacts.c.id == _participants.c.contact_id)
            .where(in_page)
        ).all()
        numbers: dict[str, list[str]] = defaultdict(list)
        for contact_id, number in bind.execute(
            sa.select(_phones.c.contact_id, _phones.c.number)
            .where(_phones.c.contact_id.in_(sa.select(_participants.c.contact_id).where(in_page)))
            .order_by(_phones.c.contact_id, _phones.c.position)
        ):
            numbers[contact_id].append(number)
        if rows:
            bind.execute(update, [
                {"row_id": row_id, "name": name, "phones": ",".join(numbers[contact_id])}
                for row_id, contact_id, name in rows
            ])
        after = ids[-1]
