"""A group chat started instead of a blocked one, and the blocked one, link to each other.

`conversations.replaces` / `replaced_by` hold the server's `Conversation.replaces` /
`replaced_by`; a chat created here and not confirmed yet sets both at once (the old chat's
`replaced_by` is then the pending `local-...` id, moved to the server's by adopt_conversation).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("conversations", sa.Column("replaces", sa.String(length=64), nullable=True))
    op.add_column("conversations", sa.Column("replaced_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("replaced_by")
        batch.drop_column("replaces")
