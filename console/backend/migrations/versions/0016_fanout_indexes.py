"""Lighter indexes on the rows a group message writes by the ten thousand.

A group message updates every member's in-app thread and writes a message in each; every index
on those rows is one more entry per recipient (a thread's update cannot be a HOT update: its
indexed `last_message_at` changes, so every index of `conversations` gets a new entry).

- `ix_messages_status` served no query (the one that filters on status also names the
  conversation, ix_messages_conversation_created): dropped.
- `uq_conversations_group_set` and `ix_conversations_replaces_id` only ever hold group SMS
  chats: now partial, so in-app and 1:1 threads (NULL there) have no entry. The same rows stay
  unique (NULLs never clashed) and every lookup names a value, which implies the condition.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

GROUP_SET = "uq_conversations_group_set"
REPLACES = "ix_conversations_replaces_id"


def upgrade() -> None:
    op.drop_index("ix_messages_status", table_name="messages")
    op.drop_index(GROUP_SET, table_name="conversations")
    has_set = sa.text("participant_key IS NOT NULL")
    op.create_index(
        GROUP_SET, "conversations", ["number_id", "participant_key"], unique=True,
        postgresql_where=has_set, sqlite_where=has_set,
    )
    op.drop_index(REPLACES, table_name="conversations")
    replaces = sa.text("replaces_id IS NOT NULL")
    op.create_index(
        REPLACES, "conversations", ["replaces_id"], postgresql_where=replaces,
        sqlite_where=replaces,
    )


def downgrade() -> None:
    op.drop_index(REPLACES, table_name="conversations")
    op.create_index(REPLACES, "conversations", ["replaces_id"])
    op.drop_index(GROUP_SET, table_name="conversations")
    op.create_index(GROUP_SET, "conversations", ["number_id", "participant_key"], unique=True)
    op.create_index("ix_messages_status", "messages", ["status"])
