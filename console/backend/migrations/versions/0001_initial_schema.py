"""Initial schema: users, tokens, numbers, contacts, conversations, messages, events, simulator.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the column types as they were at this revision (models may move on).
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _id(name: str = "id") -> sa.Column[str]:
    return sa.Column(name, sa.String(40), nullable=False)


def _ts(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )
    op.create_table(
        "users",
        _id(),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("data_access", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "access_tokens",
        sa.Column("token_hash", sa.String(64), nullable=False),
        _id("user_id"),
        _ts("created_at"),
        _ts("revoked_at", nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_access_tokens_user_id", "access_tokens", ["user_id"])
    op.create_table(
        "business_numbers",
        _id(),
        sa.Column("e164", sa.String(20), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("assigned_user_id", sa.String(40), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(["assigned_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("e164"),
    )
    op.create_table(
        "contacts",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("dnd", sa.Boolean(), nullable=False),
        sa.Column("assigned_user_id", sa.String(40), nullable=True),
        _ts("deleted_at", nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(["assigned_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_contacts_assigned_user_id", "contacts", ["assigned_user_id"])
    op.create_index("ix_contacts_name_key", "contacts", ["name_key"])
    op.create_table(
        "contact_phones",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        _id("contact_id"),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_id", "number", name="uq_contact_phone"),
    )
    op.create_index("ix_contact_phones_number", "contact_phones", ["number"])
    op.create_table(
        "conversations",
        _id(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("number_id", sa.String(40), nullable=True),
        sa.Column("contact_id", sa.String(40), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("blocked_reason", sa.String(200), nullable=True),
        _ts("last_message_at", nullable=True),
        sa.Column("last_message_preview", sa.String(200), nullable=False),
        sa.Column("unread_count", sa.Integer(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"]),
        sa.ForeignKeyConstraint(["number_id"], ["business_numbers.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "number_id", "phone", name="uq_conversation_thread"),
    )
    op.create_index("ix_conversations_activity", "conversations", ["last_message_at", "id"])
    op.create_index("ix_conversations_contact", "conversations", ["contact_id"])
    op.create_table(
        "messages",
        _id(),
        _id("conversation_id"),
        sa.Column("direction", sa.String(4), nullable=False),
        sa.Column("author_user_id", sa.String(40), nullable=True),
        sa.Column("author_contact_id", sa.String(40), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error_code", sa.String(16), nullable=True),
        sa.Column("from_number", sa.String(20), nullable=False),
        sa.Column("to_number", sa.String(20), nullable=False),
        sa.Column("client_key", sa.String(200), nullable=True),
        _ts("read_at", nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(["author_contact_id"], ["contacts.id"]),
        sa.ForeignKeyConstraint(["author_user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_messages_conversation_created", "messages", ["conversation_id", "created_at", "id"]
    )
    op.create_index("ix_messages_status", "messages", ["status"])
    op.create_table(
        "idempotency_records",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        _id("user_id"),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("resource_kind", sa.String(32), nullable=False),
        _id("resource_id"),
        _ts("created_at"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),
    )
    op.create_table(
        "events",
        sa.Column("seq", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        _id("entity_id"),
        sa.Column("data", JSON_DOC, nullable=False),
        sa.Column("contact_id", sa.String(40), nullable=True),
        sa.Column("number_id", sa.String(40), nullable=True),
        sa.Column("owner_user_id", sa.String(40), nullable=True),
        sa.Column("admin_only", sa.Boolean(), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("seq"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_events_owner_seq", "events", ["owner_user_id", "seq"])
    op.create_table(
        "simulator_handset_messages",
        sa.Column("seq", BIGINT_PK, autoincrement=True, nullable=False),
        _id(),
        _id("message_id"),
        sa.Column("from_number", sa.String(20), nullable=False),
        sa.Column("to_number", sa.String(20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("conversation_id", sa.String(40), nullable=True),
        _ts("at"),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"]),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
        sa.UniqueConstraint("message_id", "to_number", name="uq_handset_copy"),
    )
    op.create_index(
        "ix_simulator_handset_messages_to_number", "simulator_handset_messages", ["to_number"]
    )


def downgrade() -> None:
    for table in (
        "simulator_handset_messages",
        "events",
        "idempotency_records",
        "messages",
        "conversations",
        "contact_phones",
        "contacts",
        "business_numbers",
        "access_tokens",
        "users",
        "meta",
    ):
        op.drop_table(table)
