"""The opt-out hint a business number adds to the first text of each conversation.

- `business_numbers.opt_out_hint`: e.g. "Reply STOP to opt out." ("" for every number before
  this: none is added until an admin sets one).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "business_numbers",
        sa.Column("opt_out_hint", sa.String(160), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_column("business_numbers", "opt_out_hint")
