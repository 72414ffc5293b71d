"""A business number's opt-out hint (the feed's `number.upserted` carries it): added to the
first text of each conversation, counted in compose before the send.

A cache synced before this revision has its numbers without the hint: it syncs again from the
start (as r0010 did), its outbox kept.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None

# No server makes cursors of this form (theirs are "<epoch>.<seq>" with a numeric seq).
RESYNC_CURSOR = "r0012.resync"


def upgrade() -> None:
    with op.batch_alter_table("business_numbers") as batch:
        batch.add_column(
            sa.Column("opt_out_hint", sa.String(length=160), nullable=False, server_default="")
        )
    op.execute(
        sa.text("UPDATE sync_state SET cursor = :resync WHERE cursor IS NOT NULL").bindparams(
            resync=RESYNC_CURSOR
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("business_numbers") as batch:
        batch.drop_column("opt_out_hint")
