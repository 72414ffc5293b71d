"""Group messages sent anyway outside quiet hours.

- `group_messages.quiet_hours_override`: the agent was told members were outside quiet hours
  where they are and sent anyway (false for every group message before this).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "group_messages",
        sa.Column(
            "quiet_hours_override", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )


def downgrade() -> None:
    op.drop_column("group_messages", "quiet_hours_override")
