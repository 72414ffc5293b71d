"""A person's reply to a group message is marked as such in their own conversation.

`messages.reply_to_group_message_id` / `reply_to_title` hold the server's `Message` fields of
the same names (backend migration 0015): the group message it answers and that message's
title (for the team; shown beside the reply, never to the person).

Messages cached before this revision carry NULL: a reply already synced stays unmarked until
the server sends it again (a full resync marks it).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column(
        "messages", sa.Column("reply_to_group_message_id", sa.String(length=64), nullable=True)
    )
    op.add_column("messages", sa.Column("reply_to_title", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("reply_to_title")
        batch.drop_column("reply_to_group_message_id")
