"""A suspected opt-out on a cached conversation, and the agent's answer to it while pending.

`opt_out_message_id` / `opt_out_at` hold the server's `Conversation.opt_out_suspected` (its
latest open flag; None when none is open or the server predates flags). `opt_out_pending` is
the answer ("confirm" / "dismiss") queued here for the flag on `opt_out_pending_message_id`:
while it waits in the outbox the flag leaves the sidebar's list and its banner says so; the
pusher clears it with the server's answer, Discard clears it so the flag shows again as the
server has it (store/local_writes.py queue_opt_out).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

_COLUMNS = ("opt_out_message_id", "opt_out_at", "opt_out_pending", "opt_out_pending_message_id")


def upgrade() -> None:
    op.add_column(
        "conversations", sa.Column("opt_out_message_id", sa.String(length=64), nullable=True)
    )
    op.add_column("conversations", sa.Column("opt_out_at", sa.DateTime(), nullable=True))
    op.add_column(
        "conversations", sa.Column("opt_out_pending", sa.String(length=16), nullable=True)
    )
    op.add_column(
        "conversations",
        sa.Column("opt_out_pending_message_id", sa.String(length=64), nullable=True),
    )
    # The sidebar re-reads the open flags after every change set (sync included): a few rows
    # out of 100,000 conversations, found through this partial index instead of a scan.
    op.create_index(
        "ix_conversations_open_opt_out",
        "conversations",
        ["opt_out_at", "id"],
        sqlite_where=sa.text("opt_out_message_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_conversations_open_opt_out", table_name="conversations")
    # SQLite's own DROP COLUMN (3.35+), not a batch copy: a batch recreates `conversations`,
    # and dropping the old table with foreign keys on cascades into every cached message.
    for name in reversed(_COLUMNS):
        op.drop_column("conversations", name)
