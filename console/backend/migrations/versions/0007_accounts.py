"""Accounts: token expiry and revocation, deactivated users, login throttling.

- `users.deactivated_at`: an admin switched the account off (no sign-in; history keeps it).
- `access_tokens.last_used_at`: for idle expiry; existing tokens start from their creation.
- `login_attempts` keyed by a keyed hash of the typed email instead of the email itself. The
  table only holds the last few minutes of failures, so it is emptied and rebuilt: that also
  removes what earlier versions kept of typed emails in clear.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Frozen copy of the column type as it is at this revision (models may move on).
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("users", sa.Column("deactivated_at", sa.DateTime(), nullable=True))
    op.add_column("access_tokens", sa.Column("last_used_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE access_tokens SET last_used_at = created_at")
    with op.batch_alter_table("access_tokens") as batch:
        batch.alter_column("last_used_at", existing_type=sa.DateTime(), nullable=False)
    op.drop_table("login_attempts")
    _login_attempts("account_key", 64)
    op.create_index(
        "ix_login_attempts_account_address_at", "login_attempts",
        ["account_key", "client_address", "at"],
    )


def downgrade() -> None:
    op.drop_table("login_attempts")
    _login_attempts("email", 254)
    op.create_index("ix_login_attempts_email_at", "login_attempts", ["email", "at"])
    # Plain DROP COLUMN (SQLite 3.35+): a rebuild of `users` would cascade into its children.
    op.drop_column("access_tokens", "last_used_at")
    op.drop_column("users", "deactivated_at")


def _login_attempts(key_column: str, key_length: int) -> None:
    op.create_table(
        "login_attempts",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column(key_column, sa.String(key_length), nullable=False),
        sa.Column("client_address", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_attempts_address_at", "login_attempts", ["client_address", "at"])
    op.create_index("ix_login_attempts_at", "login_attempts", ["at"])
