"""Scheduled sends: a message or group message the backend sends at `send_at`.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduled_sends",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("user_id", sa.String(40), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column(
            "conversation_id", sa.String(40), sa.ForeignKey("conversations.id"), nullable=True
        ),
        sa.Column("group_id", sa.String(40), nullable=True),
        sa.Column("sender_user_id", sa.String(40), nullable=True),
        sa.Column("title", sa.String(200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("send_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.String(40), nullable=True),
        sa.Column("error_detail", sa.Text(), nullable=True),
        sa.Column("result_id", sa.String(40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        "ix_scheduled_sends_user", "scheduled_sends", ["user_id", "status", "send_at"]
    )
    op.create_index(
        "ix_scheduled_sends_conversation", "scheduled_sends", ["conversation_id", "status"]
    )


def downgrade() -> None:
    op.drop_table("scheduled_sends")
