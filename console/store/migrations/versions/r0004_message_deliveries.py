"""Per-recipient delivery of an outbound group chat message.

`messages.deliveries_json` holds the server's `Message.deliveries` (one entry per participant
number: its status and, when it failed, the carrier's error), as JSON; NULL for messages that
go to one person, whose own status says it all.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("messages", sa.Column("deliveries_json", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("deliveries_json")
