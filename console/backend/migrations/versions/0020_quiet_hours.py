"""Quiet hours: states' own windows, and messages sent anyway outside them.

- `quiet_hours_rules`: a state's or province's window (minutes after local midnight, the end
  exclusive), stricter than the default 08:00-21:00.
- `messages.quiet_hours_override`: the agent was told a recipient was outside quiet hours and
  sent anyway (false for every message before this).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quiet_hours_rules",
        sa.Column("state", sa.String(2), primary_key=True),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.Column(
            "updated_by_user_id", sa.String(40),
            sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
        ),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.add_column(
        "messages",
        sa.Column(
            "quiet_hours_override", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )


def downgrade() -> None:
    op.drop_column("messages", "quiet_hours_override")
    op.drop_table("quiet_hours_rules")
