"""A group chat started instead of a blocked one names it (`conversations.replaces_id`).

"New group chat without ..." on a blocked chat makes a chat that links back to the old one;
the old one's `replaced_by` is derived (the newest chat naming it), looked up by the index.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

FK = "fk_conversations_replaces_id"
INDEX = "ix_conversations_replaces_id"


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("replaces_id", sa.String(40), nullable=True))
        batch.create_foreign_key(FK, "conversations", ["replaces_id"], ["id"])
        batch.create_index(INDEX, ["replaces_id"])


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_index(INDEX)
        batch.drop_constraint(FK, type_="foreignkey")
        batch.drop_column("replaces_id")
