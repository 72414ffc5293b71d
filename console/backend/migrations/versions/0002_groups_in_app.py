"""Audience groups, group messages, in-app conversations, notifications, integrations.

In-app conversations reuse `conversations` (kind "in_app"); what is new here is the groups,
the recipients snapshot of each group message, the job queue and the delivery records.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen copies of the column types as they were at this revision (models may move on).
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _id(name: str = "id", nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(40), nullable=nullable)


def _ts(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "audience_groups",
        _id(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("live_name_key", sa.String(100), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        _id("created_by_user_id", nullable=True),
        _ts("deleted_at", nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("live_name_key"),
    )
    op.create_table(
        "group_members",
        _id("group_id"),
        _id("contact_id"),
        _id("added_by_user_id", nullable=True),
        _ts("added_at"),
        sa.ForeignKeyConstraint(["group_id"], ["audience_groups.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["added_by_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("group_id", "contact_id"),
    )
    op.create_index("ix_group_members_contact_id", "group_members", ["contact_id"])
    op.create_table(
        "group_messages",
        _id(),
        _id("group_id"),
        _id("sender_user_id"),
        _id("created_by_user_id", nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        _ts("sent_at"),
        sa.ForeignKeyConstraint(["group_id"], ["audience_groups.id"]),
        sa.ForeignKeyConstraint(["sender_user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_group_messages_group_id", "group_messages", ["group_id"])
    op.create_index("ix_group_messages_sent", "group_messages", ["sent_at", "id"])
    op.create_table(
        "group_message_recipients",
        _id("group_message_id"),
        _id("contact_id"),
        _id("conversation_id"),
        _id("message_id"),
        _ts("sent_at"),
        _ts("delivered_at", nullable=True),
        _ts("read_at", nullable=True),
        _ts("replied_at", nullable=True),
        sa.ForeignKeyConstraint(["group_message_id"], ["group_messages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"]),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"]),
        sa.PrimaryKeyConstraint("group_message_id", "contact_id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index(
        "ix_group_message_recipients_contact",
        "group_message_recipients",
        ["contact_id", "sent_at"],
    )
    op.create_table(
        "jobs",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("payload", JSON_DOC, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        _ts("run_at"),
        _ts("locked_until", nullable=True),
        sa.Column("locked_by", sa.String(64), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_jobs_due", "jobs", ["state", "run_at"])
    op.create_table(
        "integrations",
        _id(),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("events", JSON_DOC, nullable=True),
        _id("created_by_user_id", nullable=True),
        _ts("created_at"),
        _ts("deleted_at", nullable=True),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "deliveries",
        _id(),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("dedupe_key", sa.String(200), nullable=False),
        sa.Column("target", sa.String(2000), nullable=False),
        _id("contact_id", nullable=True),
        _id("group_message_id", nullable=True),
        _id("integration_id", nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("response_status", sa.Integer(), nullable=True),
        _ts("created_at"),
        _ts("last_attempt_at", nullable=True),
        _ts("delivered_at", nullable=True),
        sa.ForeignKeyConstraint(["group_message_id"], ["group_messages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["integration_id"], ["integrations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    op.create_index("ix_deliveries_group_message_id", "deliveries", ["group_message_id"])
    op.create_index("ix_deliveries_integration_id", "deliveries", ["integration_id"])


def downgrade() -> None:
    for table in (
        "deliveries",
        "integrations",
        "jobs",
        "group_message_recipients",
        "group_messages",
        "group_members",
        "audience_groups",
    ):
        op.drop_table(table)
