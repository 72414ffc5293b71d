"""Group SMS chats (frozen participants), opt-out and DND audit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Frozen copies of the column types as they were at this revision (models may move on).
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("events", sa.Column("only_user_id", sa.String(40), nullable=True))
    op.add_column("conversations", sa.Column("participant_key", sa.String(64), nullable=True))
    op.add_column(
        "conversations", sa.Column("opt_out_suspected_message_id", sa.String(40), nullable=True)
    )
    op.add_column("conversations", sa.Column("opt_out_suspected_at", sa.DateTime(), nullable=True))
    op.create_index(
        "uq_conversations_group_set", "conversations", ["number_id", "participant_key"],
        unique=True,
    )
    op.create_table(
        "group_chat_participants",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.String(40), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id", "phone", name="uq_group_chat_participant_phone"),
    )
    op.create_index(
        "ix_group_chat_participants_contact_id", "group_chat_participants", ["contact_id"]
    )
    op.create_index("ix_group_chat_participants_phone", "group_chat_participants", ["phone"])
    op.create_table(
        "dnd_changes",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("contact_id", sa.String(40), nullable=False),
        sa.Column("old_dnd", sa.Boolean(), nullable=False),
        sa.Column("new_dnd", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(40), nullable=True),
        sa.Column("message_id", sa.String(40), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_dnd_changes_contact", "dnd_changes", ["contact_id", "id"])
    op.create_table(
        "opt_out_flags",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(40), nullable=False),
        sa.Column("message_id", sa.String(40), nullable=False),
        sa.Column("contact_id", sa.String(40), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("resolution", sa.String(16), nullable=True),
        sa.Column("resolved_by_user_id", sa.String(40), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"]),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"]),
        sa.ForeignKeyConstraint(["resolved_by_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index(
        "ix_opt_out_flags_open", "opt_out_flags", ["conversation_id", "resolution", "id"]
    )


def downgrade() -> None:
    op.drop_table("opt_out_flags")
    op.drop_table("dnd_changes")
    op.drop_table("group_chat_participants")
    op.drop_index("uq_conversations_group_set", table_name="conversations")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("opt_out_suspected_at")
        batch.drop_column("opt_out_suspected_message_id")
        batch.drop_column("participant_key")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("only_user_id")
