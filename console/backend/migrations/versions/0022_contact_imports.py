"""Contact imports: a batch of contacts made at once, undoable as a whole.

- `contact_imports`: who imported which file when, how many contacts it made, the rows it
  skipped (and why), and when it was undone.
- `contacts.import_id`: the import that made the contact (NULL for every contact before this
  and every one made by hand), indexed: an undo finds its contacts through it.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_imports",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("user_id", sa.String(40), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_contact_imports_user", "contact_imports", ["user_id", "created_at"])
    op.add_column("contacts", sa.Column("import_id", sa.String(40), nullable=True))
    op.create_index("ix_contacts_import_id", "contacts", ["import_id"])


def downgrade() -> None:
    op.drop_index("ix_contacts_import_id", table_name="contacts")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("import_id")
    op.drop_index("ix_contact_imports_user", table_name="contact_imports")
    op.drop_table("contact_imports")
