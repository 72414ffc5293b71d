"""A person's reply to a group message says which one it answers.

A reply arrives in the person's own in-app conversation; the console marks it as the reply to
the group message it counts for (the latest one they had received, console.backend.ops.
group_messages.note_reply), showing that message's title. Group messages are never changed or
deleted, so the title is kept on the reply itself: every read of a message (lists, feed events)
carries it without a join. Older replies stay unmarked: which one a reply answered was not
recorded.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain nullable columns: ADD COLUMN on both databases, no table rebuild on SQLite.
    op.add_column("messages", sa.Column("reply_to_group_message_id", sa.String(40), nullable=True))
    op.add_column("messages", sa.Column("reply_to_title", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("reply_to_title")
        batch.drop_column("reply_to_group_message_id")
