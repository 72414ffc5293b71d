"""Contact imports this user made (the feed's `contact_import.upserted`, to the importer only):
what each created and skipped, and whether it was undone.

A cache synced before this revision read past its imports' events: it syncs again from the
start (as r0010 did), its outbox kept.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None

# No server makes cursors of this form (theirs are "<epoch>.<seq>" with a numeric seq).
RESYNC_CURSOR = "r0011.resync"


def upgrade() -> None:
    op.create_table(
        "contact_imports",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("skipped_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_imports")),
    )
    op.create_index("ix_contact_imports_created_at", "contact_imports", ["created_at"])
    op.execute(
        sa.text("UPDATE sync_state SET cursor = :resync WHERE cursor IS NOT NULL").bindparams(
            resync=RESYNC_CURSOR
        )
    )


def downgrade() -> None:
    op.drop_index("ix_contact_imports_created_at", table_name="contact_imports")
    op.drop_table("contact_imports")
