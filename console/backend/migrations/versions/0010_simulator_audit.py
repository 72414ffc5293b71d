"""Simulator audit: who made up an inbound message, and which admin a simulated keyword's DND
change came from.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Frozen copies of the column types as they were at this revision (models may move on).
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # A nullable column with no constraint: a plain ADD COLUMN on SQLite and PostgreSQL, and
    # existing rows (real keywords, edits) rightly have none.
    op.add_column("dnd_changes", sa.Column("simulated_by_user_id", sa.String(40), nullable=True))
    op.create_table(
        "inbound_audit",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(40), nullable=False),
        sa.Column("user_id", sa.String(40), nullable=False),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index("ix_inbound_audit_user_id", "inbound_audit", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_inbound_audit_user_id", table_name="inbound_audit")
    op.drop_table("inbound_audit")
    with op.batch_alter_table("dnd_changes") as batch:
        batch.drop_column("simulated_by_user_id")
