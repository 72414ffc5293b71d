"""Lighter rows for a group message's fan-out: feed documents kept as text, and recipients
without the foreign keys that repeat their message's.

A 10,000-member send writes 10,000 recipients and 10,000+ feed events in one transaction; on
PostgreSQL these two were 0.5 s of a 1.3 s send.

- `events.data` becomes `json` on PostgreSQL (was `jsonb`): the fan-out spells each event's
  document as text (group_message_fanout.json_with), which `json` only checks where `jsonb`
  parses and rebuilds it; the feed reads it back as text (routes/sync.py), which `json` keeps
  as stored where `jsonb` printed it again. Nothing queries inside a feed document. SQLite
  stores JSON as text already.
- `group_message_recipients` keeps its foreign key to the group message and drops those of
  `contact_id`, `conversation_id` and `message_id`. They cost four checks per recipient (0.35 s
  for 10,000) and guarded nothing the write does not: all three come from the rows the same
  send just wrote (the message names its thread, the thread its person; the message keeps its
  own foreign key to the thread), the send checks the three counts agree, and none of those
  rows is ever deleted (contacts are soft-deleted; messages and conversations stay).

- `ix_conversations_activity` (last_message_at, id) is dropped: no query could use it (the
  conversation list sorts by coalesce(last_message_at, created_at), which it does not hold),
  and it made every thread's activity update write index entries instead of a HOT update.
  On PostgreSQL `conversations` keeps 30% of each page free for those HOT updates.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

RECIPIENTS = "group_message_recipients"
# column -> the table it referenced
DROPPED = {"contact_id": "contacts", "conversation_id": "conversations", "message_id": "messages"}
# SQLite's foreign keys have no names: batch mode names them by this convention to find them.
SQLITE_NAMES = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def _name(column: str, dialect: str) -> str:
    if dialect == "postgresql":
        return f"{RECIPIENTS}_{column}_fkey"  # PostgreSQL's own default names
    return f"fk_{RECIPIENTS}_{column}_{DROPPED[column]}"


ACTIVITY = "ix_conversations_activity"


def upgrade() -> None:
    op.drop_index(ACTIVITY, table_name="conversations")
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # Room on each page for a thread's next version: a HOT update (no index entries).
        op.execute("ALTER TABLE conversations SET (fillfactor = 70)")
        op.alter_column(
            "events", "data", type_=sa.JSON(), existing_type=postgresql.JSONB(),
            existing_nullable=False, postgresql_using="data::json",
        )
        for column in DROPPED:
            op.drop_constraint(_name(column, dialect), RECIPIENTS, type_="foreignkey")
        return
    with op.batch_alter_table(RECIPIENTS, naming_convention=SQLITE_NAMES) as batch:
        for column in DROPPED:
            batch.drop_constraint(_name(column, dialect), type_="foreignkey")


def downgrade() -> None:
    op.create_index(ACTIVITY, "conversations", ["last_message_at", "id"])
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("ALTER TABLE conversations RESET (fillfactor)")
        for column, referred in DROPPED.items():
            op.create_foreign_key(
                _name(column, dialect), RECIPIENTS, referred, [column], ["id"]
            )
        op.alter_column(
            "events", "data", type_=postgresql.JSONB(), existing_type=sa.JSON(),
            existing_nullable=False, postgresql_using="data::jsonb",
        )
        return
    with op.batch_alter_table(RECIPIENTS, naming_convention=SQLITE_NAMES) as batch:
        for column, referred in DROPPED.items():
            batch.create_foreign_key(_name(column, dialect), referred, [column], ["id"])
