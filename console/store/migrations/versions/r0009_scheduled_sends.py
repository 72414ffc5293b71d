"""The user's scheduled sends (the feed's `scheduled.upserted`); `failure_told` marks a failed
one the user was told of.

A cache synced before this revision read past any `scheduled.upserted` its user made from
another console: it syncs again from the start (as r0005 did), its outbox kept.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None

# No server makes cursors of this form (theirs are "<epoch>.<seq>" with a numeric seq).
RESYNC_CURSOR = "r0009.resync"


def upgrade() -> None:
    op.create_table(
        "scheduled_sends",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=True),
        sa.Column("group_id", sa.String(length=64), nullable=True),
        sa.Column("sender_user_id", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("send_at", sa.DateTime(), nullable=False),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_detail", sa.Text(), nullable=True),
        sa.Column("result_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("failure_told", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_sends")),
    )
    op.create_index(
        "ix_scheduled_sends_status_send_at", "scheduled_sends", ["status", "send_at"]
    )
    op.create_index(
        "ix_scheduled_sends_conversation_id_status",
        "scheduled_sends",
        ["conversation_id", "status"],
    )
    op.execute(
        sa.text("UPDATE sync_state SET cursor = :resync WHERE cursor IS NOT NULL").bindparams(
            resync=RESYNC_CURSOR
        )
    )


def downgrade() -> None:
    op.drop_index("ix_scheduled_sends_conversation_id_status", table_name="scheduled_sends")
    op.drop_index("ix_scheduled_sends_status_send_at", table_name="scheduled_sends")
    op.drop_table("scheduled_sends")
