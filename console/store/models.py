"""Typed SQLAlchemy models of the local cache.

The ORM classes describe the schema (and give typed rows to small reads); bulk writes go
through their `__table__` with Core statements (see apply.py: PERFORMANCE.md).
Every change to these models needs a migration in store/migrations/versions.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from console.store.coltypes import UtcDateTime

# Stable constraint names so Alembic batch migrations on SQLite can find them again.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime()}


class Meta(Base):
    """Session meta of this profile: server_url, email, user_id, last_opened_at (never secrets)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class UserRecord(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    data_access: Mapped[str] = mapped_column(String(16))


class NumberRecord(Base):
    __tablename__ = "business_numbers"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    e164: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(100), default="")
    is_default: Mapped[bool] = mapped_column(default=False)
    assigned_user_id: Mapped[str | None] = mapped_column(String(64))
    can_send: Mapped[bool] = mapped_column(default=False)
    # Added to the first text sent from it in each conversation ("" : none; r0012).
    opt_out_hint: Mapped[str] = mapped_column(String(160), default="", server_default="")


class ContactRecord(Base):
    __tablename__ = "contacts"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    dnd: Mapped[bool] = mapped_column(default=False)
    assigned_user_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime]
    deleted: Mapped[bool] = mapped_column(default=False)


class ContactPhoneRecord(Base):
    __tablename__ = "contact_phones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    contact_id: Mapped[str] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    number: Mapped[str] = mapped_column(String(32), index=True)
    label: Mapped[str] = mapped_column(String(16), default="primary")


class ConversationRecord(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        # The open suspected opt-outs, oldest first (queries.open_opt_outs), read after every
        # change set: a few rows, not a scan of every conversation (r0008).
        Index(
            "ix_conversations_open_opt_out", "opt_out_at", "id",
            sqlite_where=text("opt_out_message_id IS NOT NULL"),
        ),
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300), default="")
    number_id: Mapped[str | None] = mapped_column(String(64))
    contact_id: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="active")
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    last_message_at: Mapped[datetime | None]
    last_message_preview: Mapped[str] = mapped_column(Text, default="")
    unread_count: Mapped[int] = mapped_column(default=0)
    participants_json: Mapped[str | None] = mapped_column(Text)
    # Group chats (r0003): the chat this one was started instead of, and the newest one
    # started instead of this one (a `local-...` id while that one is pending).
    replaces: Mapped[str | None] = mapped_column(String(64))
    replaced_by: Mapped[str | None] = mapped_column(String(64))
    # Newest activity known locally: the server's last_message_at, or a local pending send.
    activity_at: Mapped[datetime | None] = mapped_column(index=True)
    # False for a placeholder made for a message that arrived before its conversation.
    known: Mapped[bool] = mapped_column(default=True)
    # The server's open suspected opt-out (r0008): the flagged message's server id and when it
    # was flagged; and the agent's answer queued here ("confirm" / "dismiss") for that message.
    opt_out_message_id: Mapped[str | None] = mapped_column(String(64))
    opt_out_at: Mapped[datetime | None]
    opt_out_pending: Mapped[str | None] = mapped_column(String(16))
    opt_out_pending_message_id: Mapped[str | None] = mapped_column(String(64))


class MessageRecord(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # Keyset paging: newest first within one conversation.
        Index("ix_messages_conversation_created", "conversation_id", "created_at", "id"),
        {"sqlite_autoincrement": True},  # keys are never reused, so views can trust them
    )
    # The stable local key (MessageRow.key): survives the pending -> server copy swap.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    server_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    client_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(4))
    author_user_id: Mapped[str | None] = mapped_column(String(64))
    author_contact_id: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(64))
    # Human reason for a local failure (the server refused the send); None otherwise.
    error_detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    # Group chat messages: the server's per-recipient delivery, as JSON (migration r0004).
    deliveries_json: Mapped[str | None] = mapped_column(Text)
    # A reply to a group message: which one, and its title (migration r0006).
    reply_to_group_message_id: Mapped[str | None] = mapped_column(String(64))
    reply_to_title: Mapped[str | None] = mapped_column(Text)
    # An internal note for the team, sent to nobody: it never moves the thread (r0013).
    note: Mapped[bool] = mapped_column(default=False, server_default=text("0"))


class OutboxRecord(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'sending', 'done', 'failed')", name="state"),
        Index("ix_outbox_state_id", "state", "id"),
        UniqueConstraint("idempotency_key"),
        {"sqlite_autoincrement": True},  # composition order = id order
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    conversation_id: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    payload: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error_code: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class GroupRecord(Base):
    """An audience group as the server last described it (migration r0005). Kept when deleted:
    sent group messages still name it."""

    __tablename__ = "groups"
    __table_args__ = (Index("ix_groups_deleted_name_key", "deleted", "name_key", "id"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # console.domain.groups.group_name_key(name): the list's order, case not counting.
    name_key: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    # Live members across all staff, as the server counts them (an assigned-only user's cache
    # holds only the memberships of their own contacts: see store/group_queries.py).
    member_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted: Mapped[bool] = mapped_column(default=False)


class GroupMemberRecord(Base):
    """One person in one audience group (the feed's group.member_added / _removed)."""

    __tablename__ = "group_members"
    # The primary key finds a group's members; this one a person's groups.
    __table_args__ = (Index("ix_group_members_contact_id_group_id", "contact_id", "group_id"),)
    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    contact_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    added_at: Mapped[datetime]


class GroupMessageRecord(Base):
    """A sent group message with the statistics the server last reported (r0005)."""

    __tablename__ = "group_messages"
    __table_args__ = (
        Index("ix_group_messages_sent_at_id", "sent_at", "id"),
        Index("ix_group_messages_group_id_sent_at", "group_id", "sent_at"),
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_id: Mapped[str] = mapped_column(String(64))
    # The group's name when the message arrived here (a later rename does not change it).
    group_name: Mapped[str] = mapped_column(String(100), default="")
    sender_user_id: Mapped[str] = mapped_column(String(64))
    created_by_user_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]
    recipient_count: Mapped[int] = mapped_column(default=0)
    delivered_count: Mapped[int] = mapped_column(default=0)
    read_count: Mapped[int] = mapped_column(default=0)
    replied_count: Mapped[int] = mapped_column(default=0)
    # None: the server does not report notification outcomes (yet).
    notification_failures: Mapped[int | None] = mapped_column()
    # The server's whole `stats` object, as JSON: counts added later show without a migration.
    stats_json: Mapped[str | None] = mapped_column(Text)


class ScheduledRecord(Base):
    """One of the user's scheduled sends (r0009), as the server last described it. Those
    written here and not yet accepted live in the outbox only (store/scheduled_writes.py)."""

    __tablename__ = "scheduled_sends"
    __table_args__ = (
        Index("ix_scheduled_sends_status_send_at", "status", "send_at"),
        Index("ix_scheduled_sends_conversation_id_status", "conversation_id", "status"),
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # message | group_message
    status: Mapped[str] = mapped_column(String(16))  # scheduled | sent | failed | cancelled
    conversation_id: Mapped[str | None] = mapped_column(String(64))
    group_id: Mapped[str | None] = mapped_column(String(64))
    sender_user_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    send_at: Mapped[datetime]
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_detail: Mapped[str | None] = mapped_column(Text)
    result_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # A failure the user was told of (a notice, once: also when it failed while closed).
    failure_told: Mapped[bool] = mapped_column(default=False)


class TemplateRecord(Base):
    """A template the user may insert (r0010): their own or a shared one, as the server last
    described it."""

    __tablename__ = "templates"
    __table_args__ = (Index("ix_templates_name_key", "name_key"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(300))  # casefolded, for order and search
    body: Mapped[str] = mapped_column(Text)
    shared: Mapped[bool]
    owner_user_id: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]


class ContactImportRecord(Base):
    """A contact import this user made (r0011), as the server last described it. One still on
    its way lives in the outbox only (store/contact_import_writes.py)."""

    __tablename__ = "contact_imports"
    __table_args__ = (Index("ix_contact_imports_created_at", "created_at"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(200))  # the file's name
    created_count: Mapped[int] = mapped_column(Integer)
    skipped_count: Mapped[int] = mapped_column(Integer)
    skipped_json: Mapped[str] = mapped_column(Text)  # [{row, code, detail}], as the server said
    created_at: Mapped[datetime]
    undone_at: Mapped[datetime | None]


class SyncStateRecord(Base):
    """One row (id = 1): where the change feed was read up to, and when."""

    __tablename__ = "sync_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cursor: Mapped[str | None] = mapped_column(Text)
    last_sync_at: Mapped[datetime | None]


meta = cast(Table, Meta.__table__)
users = cast(Table, UserRecord.__table__)
numbers = cast(Table, NumberRecord.__table__)
contacts = cast(Table, ContactRecord.__table__)
contact_phones = cast(Table, ContactPhoneRecord.__table__)
conversations = cast(Table, ConversationRecord.__table__)
messages = cast(Table, MessageRecord.__table__)
outbox = cast(Table, OutboxRecord.__table__)
sync_state = cast(Table, SyncStateRecord.__table__)
groups = cast(Table, GroupRecord.__table__)
group_members = cast(Table, GroupMemberRecord.__table__)
group_messages = cast(Table, GroupMessageRecord.__table__)
scheduled_sends = cast(Table, ScheduledRecord.__table__)
templates = cast(Table, TemplateRecord.__table__)
contact_imports = cast(Table, ContactImportRecord.__table__)
