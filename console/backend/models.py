"""The backend's tables (SQLAlchemy 2 typed ORM). The Alembic migrations create exactly these."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets a real bigint.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")
JsonDoc = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about this database (e.g. the change-feed epoch)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    data_access: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set while an admin has the account switched off (migration 0007): no sign-in, no tokens.
    # The row stays, so history keeps naming its author.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AccessToken(Base):
    """Bearer tokens, kept only as SHA-256 hashes: a stolen database yields no usable token."""

    __tablename__ = "access_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # For idle expiry (console.backend.tokens); moved at most once a minute, not per request.
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class BusinessNumber(Base):
    __tablename__ = "business_numbers"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    e164: Mapped[str] = mapped_column(String(20), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    assigned_user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    # Added to the first text this number sends in each conversation ("" : none; 0025).
    opt_out_hint: Mapped[str] = mapped_column(String(160), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Contact(Base):
    __tablename__ = "contacts"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Lower-case, for search/sort. Twice `name`'s 200: lower() may double a text's length
    # ("İ" -> "i̇") and PostgreSQL refuses what does not fit (migration 0008).
    name_key: Mapped[str] = mapped_column(String(400), index=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    dnd: Mapped[bool] = mapped_column(Boolean, default=False)
    assigned_user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The import that created it (migration 0022), which an undo deletes it with. A plain id,
    # no foreign key: imports are never deleted, and SQLite would rebuild the table for one.
    import_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)

    phones: Mapped[list[ContactPhone]] = relationship(
        order_by="ContactPhone.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class ContactPhone(Base):
    __tablename__ = "contact_phones"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(20), index=True)  # E.164
    label: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    # The number while its contact is live, NULL once it is deleted (migration 0009): unique, so
    # one live contact holds a number (NULLs never collide) and inbound texts have one owner.
    live_number: Mapped[str | None] = mapped_column(String(20), nullable=True)

    __table_args__ = (
        UniqueConstraint("contact_id", "number", name="uq_contact_phone"),
        Index("uq_contact_phones_live_number", "live_number", unique=True),
    )


def _only_set(column: str) -> dict[str, Any]:
    """A partial index's condition: the rows where `column` holds a value."""
    condition = text(f"{column} IS NOT NULL")
    return {"postgresql_where": condition, "sqlite_where": condition}


class Conversation(Base):
    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    number_id: Mapped[str | None] = mapped_column(
        ForeignKey("business_numbers.id"), nullable=True
    )
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    blocked_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_message_preview: Mapped[str] = mapped_column(String(200), default="")
    unread_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Group SMS chats (migration 0003): the frozen participant set's key (one chat per set and
    # business number, which is how an inbound group MMS finds it), and the open suspected
    # opt-out an agent has yet to confirm or dismiss.
    participant_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    opt_out_suspected_message_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    opt_out_suspected_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The blocked group chat this one was started instead of (migration 0013); the old one's
    # `replaced_by` is the newest chat naming it (ix_conversations_replaces_id).
    replaces_id: Mapped[str | None] = mapped_column(
        ForeignKey("conversations.id", name="fk_conversations_replaces_id"),
        nullable=True,
    )

    __table_args__ = (
        # One 1:1 thread per (business number, handset, contact): a number passed to another
        # contact gets a thread of its own (migration 0011). NULLs are distinct, so other
        # kinds pass.
        UniqueConstraint("kind", "number_id", "phone", "contact_id", name="uq_conversation_thread"),
        # Partial (migration 0016): only group SMS chats have these, and a group message
        # updates thousands of other threads at once, each update an entry in every index.
        Index(
            "uq_conversations_group_set", "number_id", "participant_key", unique=True,
            **_only_set("participant_key"),
        ),
        Index("ix_conversations_contact", "contact_id"),
        Index("ix_conversations_replaces_id", "replaces_id", **_only_set("replaces_id")),
    )


class Message(Base):
    # On PostgreSQL these foreign keys (and the recipients' to their group message) are
    # checked per statement by triggers (migration 0018): a group message writes 10,000 rows.
    __tablename__ = "messages"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    direction: Mapped[str] = mapped_column(String(4))
    author_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    author_contact_id: Mapped[str | None] = mapped_column(
        ForeignKey("contacts.id"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    from_number: Mapped[str] = mapped_column(String(20))
    to_number: Mapped[str] = mapped_column(String(20))
    client_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # An in-app reply: the group message it answers and that message's title, kept here as
    # group messages never change (migration 0015).
    reply_to_group_message_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reply_to_title: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Sent although the agent was told a recipient was outside quiet hours (migration 0020).
    quiet_hours_override: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # An internal note (migration 0024): written by an agent for the team, sent to nobody
    # (console.backend.ops.notes).
    note: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (
        # No index on status alone (dropped in migration 0016): no query needs one.
        Index("ix_messages_conversation_created", "conversation_id", "created_at", "id"),
    )


class IdempotencyRecord(Base):
    """The first outcome of a create request, so a retry with the same key replays it."""

    __tablename__ = "idempotency_records"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    resource_kind: Mapped[str] = mapped_column(String(32))
    resource_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),)


class Event(Base):
    """The change feed: one row per change, written in the transaction that made the change.

    `contact_id`, `number_id`, `owner_user_id` and `admin_only` let the feed be filtered per
    caller without opening `data`.
    """

    __tablename__ = "events"
    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    # `json`, not `jsonb`, on PostgreSQL: written and read as text (migration 0017).
    data: Mapped[dict[str, Any]] = mapped_column(JSON())
    contact_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    number_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    owner_user_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    admin_only: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A notice for one user only (e.g. "you lost sight of this": admins must not apply it).
    only_user_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # What decides who may see the event now: the contact (contact and membership events), the
    # conversation (its events and its messages') or the group message. When a scope's
    # visibility changes its events are re-labelled (console.backend.ops.visibility), so a full
    # sync reflects the present.
    scope_id: Mapped[str | None] = mapped_column(String(40), nullable=True)

    __table_args__ = (
        Index("ix_events_owner_seq", "owner_user_id", "seq"),
        Index("ix_events_scope_seq", "scope_id", "seq"),
        {"sqlite_autoincrement": True},  # never reuse a seq, even after deletes
    )


class HandsetMessage(Base):
    """What the simulator carrier delivered to a (pretend) handset."""

    __tablename__ = "simulator_handset_messages"
    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id"))
    from_number: Mapped[str] = mapped_column(String(20))
    to_number: Mapped[str] = mapped_column(String(20), index=True)
    body: Mapped[str] = mapped_column(Text)
    conversation_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # One copy per handset: a group message reaches each other participant once.
    __table_args__ = (UniqueConstraint("message_id", "to_number", name="uq_handset_copy"),)


# --- Audience groups, group messages (in-app), notifications, integrations (migration 0002) ---


class AudienceGroup(Base):
    """A named set of people that group messages go to. Deleting is soft (messages keep it)."""

    __tablename__ = "audience_groups"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # The name's key while the group is live, NULL once deleted: unique among live groups on
    # every database (NULLs never collide), so a deleted group's name can be used again.
    # Three times `name`'s 100: casefold() may triple a text's length ("ΐ", "ﬃ"; migration 0008).
    live_name_key: Mapped[str | None] = mapped_column(String(300), nullable=True, unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class GroupMember(Base):
    __tablename__ = "group_members"
    group_id: Mapped[str] = mapped_column(
        ForeignKey("audience_groups.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[str] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_by_user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class GroupMessage(Base):
    """A message sent once to every member of a group at `sent_at`; never cancelled or changed."""

    __tablename__ = "group_messages"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("audience_groups.id"), index=True)
    sender_user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_by_user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    recipient_count: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Sent although the agent was told members were outside quiet hours (migration 0023).
    quiet_hours_override: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    __table_args__ = (Index("ix_group_messages_sent", "sent_at", "id"),)


class GroupMessageRecipient(Base):
    """Who a group message went to (the members at that instant) and how far it got with them."""

    __tablename__ = "group_message_recipients"
    group_message_id: Mapped[str] = mapped_column(
        ForeignKey("group_messages.id", ondelete="CASCADE"), primary_key=True
    )
    # The person, their thread and their copy: written from the rows the same send wrote, none
    # ever deleted, so no foreign keys of their own (migration 0017 says why).
    contact_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(40))
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (Index("ix_group_message_recipients_contact", "contact_id", "sent_at"),)


class Job(Base):
    """The background job queue (console.backend.jobs): claimed with a lease, retried later."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    state: Mapped[str] = mapped_column(String(16))  # queued | running | done | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    locked_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        Index("ix_jobs_due", "state", "run_at"),
        # Claims walk it per kind in run_at order (console.backend.jobs._candidates).
        Index("ix_jobs_claim", "kind", "state", "run_at"),
    )


class Integration(Base):
    """An outgoing webhook. The secret must be here to sign; it is never logged or returned."""

    __tablename__ = "integrations"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))
    events: Mapped[list[str] | None] = mapped_column(JsonDoc, nullable=True)  # None: all
    created_by_user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Delivery(Base):
    """One notification (email, push) or webhook call: its attempts and outcome.

    `dedupe_key` makes each (what, to whom) pair exist once, so nothing is sent twice.
    """

    __tablename__ = "deliveries"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # email | push | webhook
    event_type: Mapped[str] = mapped_column(String(40))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    target: Mapped[str] = mapped_column(String(2000))
    contact_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    group_message_id: Mapped[str | None] = mapped_column(
        ForeignKey("group_messages.id", ondelete="CASCADE"), nullable=True, index=True
    )
    integration_id: Mapped[str | None] = mapped_column(
        ForeignKey("integrations.id", ondelete="CASCADE"), nullable=True, index=True
    )
    body: Mapped[str | None] = mapped_column(Text, nullable=True)  # exact bytes a webhook signs
    state: Mapped[str] = mapped_column(String(16))  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LoginAttempt(Base):
    """A sign-in attempt that failed, or is being checked (console.backend.ratelimit).

    Kept in the database so every serve process counts the same attempts per client address;
    rows older than the throttling window are deleted as new attempts come in. Never holds a
    password, nor what was typed as the email: only a keyed hash of it (migration 0007).
    """

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    account_key: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 of the email, hex
    client_address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        Index("ix_login_attempts_account_address_at", "account_key", "client_address", "at"),
        Index("ix_login_attempts_address_at", "client_address", "at"),
        Index("ix_login_attempts_at", "at"),
    )


# --- Group SMS chats, opt-out and the DND audit (migration 0003) ---


class GroupChatParticipant(Base):
    """A participant of a group SMS chat, frozen at creation: the number chosen then is where
    messages go for good, whatever later happens to the contact."""

    __tablename__ = "group_chat_participants"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)  # E.164
    # The contact as it was when the chat was made (migration 0014), so `Updated` can say what
    # changed since: its name, and every number of it, E.164, comma-separated in card order.
    # NULL: not recorded (a row written by code that predates the snapshot).
    name_then: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phones_then: Mapped[str | None] = mapped_column(String(240), nullable=True)

    __table_args__ = (
        UniqueConstraint("conversation_id", "phone", name="uq_group_chat_participant_phone"),
    )


class DndChange(Base):
    """The audit of a contact's Do Not Disturb: who or what changed it, when, from what."""

    __tablename__ = "dnd_changes"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"))
    old_dnd: Mapped[bool] = mapped_column(Boolean)
    new_dnd: Mapped[bool] = mapped_column(Boolean)
    # "user" (an edit), "opt_out_confirmed" (an agent confirmed a suspected opt-out),
    # "inbound_keyword" (the person texted STOP/START...), "seed".
    source: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    message_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The admin who made up the inbound message behind a keyword change (the simulator), so a
    # forged STOP names who forged it. A plain id, no foreign key: the audit outlives accounts.
    simulated_by_user_id: Mapped[str | None] = mapped_column(String(40), nullable=True)

    __table_args__ = (Index("ix_dnd_changes_contact", "contact_id", "id"),)


class OptOutFlag(Base):
    """Opt-out wording that is not a keyword: kept until an agent confirms or dismisses it."""

    __tablename__ = "opt_out_flags"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id"), unique=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolution: Mapped[str | None] = mapped_column(String(16), nullable=True)  # confirmed|dismissed
    resolved_by_user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (Index("ix_opt_out_flags_open", "conversation_id", "resolution", "id"),)


class ScheduledSend(Base):
    """A message or group message to send at `send_at` (console.backend.ops.scheduled): the
    backend sends it then, whether or not a console is open, checking the rules again."""

    __tablename__ = "scheduled_sends"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))  # who scheduled it
    kind: Mapped[str] = mapped_column(String(16))  # message | group_message
    conversation_id: Mapped[str | None] = mapped_column(
        ForeignKey("conversations.id"), nullable=True
    )
    # A group message's group, sender and title (its body is `body`).
    group_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    sender_user_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    title: Mapped[str | None] = mapped_column(String(200), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    send_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # scheduled -> sent | failed | cancelled; only `scheduled` may be edited or cancelled.
    status: Mapped[str] = mapped_column(String(16))
    # Moves with each edit: the job of an earlier send_at finds it changed and does nothing.
    version: Mapped[int] = mapped_column(Integer, default=1)
    error_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    error_detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    result_id: Mapped[str | None] = mapped_column(String(40), nullable=True)  # what it became
    # A group message whose body fills each recipient's merge fields (migration 0021).
    merge_fields: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        Index("ix_scheduled_sends_user", "user_id", "status", "send_at"),
        Index("ix_scheduled_sends_conversation", "conversation_id", "status"),
    )


class Template(Base):
    """A message template (console.backend.ops.templates): personal (its owner's alone) or
    shared (everyone's; only admins make, change or delete those). Deleting is soft."""

    __tablename__ = "templates"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))  # who created it
    # The name's key within its scope while live ("shared:<name>" or "user:<id>:<name>",
    # casefolded), NULL once deleted: unique among live templates, reusable after a delete.
    live_name_key: Mapped[str | None] = mapped_column(String(360), nullable=True, unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)  # +1 per edit
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_templates_owner", "owner_user_id", "deleted_at"),)


class QuietHoursRule(Base):
    """A state's or province's own quiet hours, stricter than the default 08:00-21:00
    (console/domain/quiet_hours.py): minutes after local midnight, the end exclusive."""

    __tablename__ = "quiet_hours_rules"
    state: Mapped[str] = mapped_column(String(2), primary_key=True)  # "FL"
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)
    updated_by_user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CarrierSend(Base):
    """One copy of an outbound SMS handed to a real provider (Twilio), per recipient number.

    Written before the provider is called ("submitting"): after a crash a copy in that state
    is never sent again (the provider may have it), so nothing goes out twice; the provider's
    message sid arrives with its answer, and its status callbacks move `status` on."""

    __tablename__ = "carrier_sends"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id"), index=True)
    to_number: Mapped[str] = mapped_column(String(20))
    sid: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    error_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("message_id", "to_number", name="uq_carrier_send_copy"),)


class CarrierInbound(Base):
    """Provider message sids already recorded: a webhook the provider retries is taken once."""

    __tablename__ = "carrier_inbound"
    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InboundAudit(Base):
    """An inbound message staff made up on someone's behalf (the simulator's inbound SMS and
    in-app replies, the people gateway's replies), and who made it up (migration 0010)."""

    __tablename__ = "inbound_audit"
    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id"), unique=True)
    # A plain id, no foreign key: the audit keeps naming the user after their account goes.
    user_id: Mapped[str] = mapped_column(String(40), index=True)
    route: Mapped[str] = mapped_column(String(32))  # simulator_inbound | simulator_app_reply | ...
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ContactImport(Base):
    """A batch of contacts imported at once (console.backend.ops.contact_imports), undoable as
    a whole: its contacts name it in `contacts.import_id` (migration 0022)."""

    __tablename__ = "contact_imports"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    source: Mapped[str] = mapped_column(String(200))  # the file's name
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))  # who imported it
    created_count: Mapped[int] = mapped_column(Integer)
    # The rows not imported: [{"row", "code", "detail"}], as answered.
    skipped: Mapped[list[dict[str, Any]]] = mapped_column(JSON())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (Index("ix_contact_imports_user", "user_id", "created_at"),)
