"""Internal notes: a message an agent wrote for the team, sent to nobody (the feed's
`message.upserted` carries `note: true`). The thread's preview, time and unread count never
move for one.

A cache synced before this revision stored its notes as plain sent messages: it syncs again
from the start (as r0012 did), its outbox kept, so it learns which messages are notes.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None

# No server makes cursors of this form (theirs are "<epoch>.<seq>" with a numeric seq).
RESYNC_CURSOR = "r0013.resync"


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(
            sa.Column("note", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        sa.text("UPDATE sync_state SET cursor = :resync WHERE cursor IS NOT NULL").bindparams(
            resync=RESYNC_CURSOR
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("note")
