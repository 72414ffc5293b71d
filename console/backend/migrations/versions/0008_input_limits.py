"""Input limits: lower-cased key columns wide enough for what lower-casing makes.

`contacts.name_key` holds `name.lower()` and `audience_groups.live_name_key` holds
`name.casefold()`; one character may become two (lower) or three (casefold), so a name at its
length limit made a key PostgreSQL refused (a 500). Widening a VARCHAR keeps every row as it is.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# (table, column, before, after, nullable)
_WIDENED = (
    ("contacts", "name_key", 200, 400, False),
    ("audience_groups", "live_name_key", 100, 300, True),
)


def upgrade() -> None:
    for table, column, before, after, nullable in _WIDENED:
        # batch: SQLite cannot alter a column's type in place (it copies the table).
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column, existing_type=sa.String(before), type_=sa.String(after),
                existing_nullable=nullable,
            )


def downgrade() -> None:
    # Keys longer than the old width cannot go back: they are cut, as they are only keys.
    for table, column, before, after, nullable in _WIDENED:
        op.execute(
            sa.text(
                f"UPDATE {table} SET {column} = substr({column}, 1, {before}) "
                f"WHERE length({column}) > {before}"
            )
        )
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column, existing_type=sa.String(after), type_=sa.String(before),
                existing_nullable=nullable,
            )
