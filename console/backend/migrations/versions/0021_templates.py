"""Message templates, and merge fields in scheduled group messages.

- `templates`: personal (its owner's alone) or shared (everyone's) message templates;
  `live_name_key` keeps a live name unique within its scope, case-insensitively.
- `scheduled_sends.merge_fields`: a scheduled group message fills each recipient's merge
  fields when it goes (false for every schedule before this).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "templates",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("owner_user_id", sa.String(40), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("live_name_key", sa.String(360), nullable=True, unique=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_templates_owner", "templates", ["owner_user_id", "deleted_at"])
    op.add_column(
        "scheduled_sends",
        sa.Column("merge_fields", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("scheduled_sends", "merge_fields")
    op.drop_table("templates")
