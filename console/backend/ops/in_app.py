"""In-app conversations: each person's one thread with us in the customer app's Message Center.

Group messages land here (one copy per recipient) and the person's replies come back here.
"""

from __future__ import annotations

import functools
import hashlib
import random
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ColumnExpressionArgument, String, Table, func, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from console.backend import events, models
from console.backend.models import utcnow
from console.backend.ops.message_rows import add_message
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.domain.messages import Direction, MessageStatus, normalize_body

IN_APP = "in_app"
# In-app messages have no phone numbers; the columns are required for SMS, so they hold "".
NO_NUMBER = ""


def conversation_id_for(contact_id: str) -> str:
    """A person has exactly one in-app conversation, so its id derives from theirs.

    The primary key then keeps it one per person on every database, and a group message to
    10,000 people knows every thread's id without looking any up.
    """
    digest = hashlib.sha256(f"{_SALT}{contact_id}".encode()).hexdigest()
    return f"cnv_{digest[:20]}"


_SALT = "in_app:"


@functools.lru_cache(maxsize=50_000)
def _remembered_id(contact_id: str) -> str:
    # A send hashes each member in three statements; SQLite calls back into Python for each.
    return conversation_id_for(contact_id)

_SQLITE_FUNCTION = "console_in_app_thread_id"


def conversation_id_sql(
    session: Session, contact_id: ColumnExpressionArgument[str]
) -> ColumnElement[str]:
    """`conversation_id_for` computed by the database, so a bulk statement joins each member's
    thread by its primary key (a plan no stale statistics can spoil). PostgreSQL spells the
    same hash in SQL; SQLite calls the Python function (tests/backend/test_group_message_fanout
    checks both agree)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        salted = func.convert_to(literal(_SALT, String()) + contact_id, "UTF8")
        digest = func.encode(func.sha256(salted), "hex")
        return literal("cnv_", String()) + func.left(digest, 20)
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.create_function(_SQLITE_FUNCTION, 1, _remembered_id, deterministic=True)
    called: ColumnElement[str] = getattr(func, _SQLITE_FUNCTION)(contact_id, type_=String())
    return called


def insert_ignoring_existing(session: Session, table: Table) -> Insert:
    """INSERT that skips rows whose primary key exists (both dialects spell it differently)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def new_conversation_row(contact_id: str, title: str, now: datetime) -> dict[str, Any]:
    return {
        "id": conversation_id_for(contact_id),
        "kind": IN_APP,
        "title": title,
        "number_id": None,
        "contact_id": contact_id,
        "phone": None,
        "status": "active",
        "blocked_reason": None,
        "last_message_at": None,
        "last_message_preview": "",
        "unread_count": 0,
        "created_at": now,
        "updated_at": now,
    }


def live_contact(session: Session, contact_id: str) -> models.Contact:
    row = session.get(models.Contact, contact_id)
    if row is None or row.deleted_at is not None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No contact {contact_id!r}.")
    return row


def conversation_of(
    session: Session, contact: models.Contact, now: datetime
) -> models.Conversation:
    """The person's in-app conversation, created on first need."""
    row = session.get(models.Conversation, conversation_id_for(contact.id))
    if row is not None:
        return row
    row = models.Conversation(**new_conversation_row(contact.id, contact.name, now))
    session.add(row)
    session.flush()
    return row


def receive_reply(
    session: Session,
    contact_id: str,
    body: str,
    *,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> models.Message:
    """The person wrote in their Message Center: an inbound message in their conversation.

    It counts as the reply to the latest group message they received, if not answered yet,
    and then says so (`reply_to_group_message_id`, `reply_to_title`).
    """
    from console.backend.ops.group_messages import note_reply  # the two modules use each other

    contact = live_contact(session, contact_id)
    text = normalize_body(body)
    at = now or utcnow()
    conversation = conversation_of(session, contact, at)
    message = add_message(
        session, conversation, direction=Direction.IN, body=text, status=MessageStatus.RECEIVED,
        from_number=NO_NUMBER, to_number=NO_NUMBER, author_contact_id=contact.id, at=at, rng=rng,
    )
    answered = note_reply(session, contact.id, at)
    if answered is not None:
        # add_message recorded the message before it was known to be a reply: record it again
        # with the mark (readers upsert, so the later event wins).
        message.reply_to_group_message_id, message.reply_to_title = answered.id, answered.title
        session.flush()
        events.message_changed(session, message, conversation)
    return message


def send(
    session: Session,
    actor: Actor,
    conversation: models.Conversation,
    text: str,
    client_key: str | None,
) -> models.Message:
    """Staff answer the person in their Message Center. No carrier is involved: the message is
    `sent` at once and turns `delivered` when their app fetches it (console.backend.ops.people).
    Number access does not apply (no number); seeing the conversation is the access rule, and
    the caller found it already. DND is an SMS rule: it does not stop an in-app answer, as it
    does not stop group messages."""
    assert conversation.kind == IN_APP and conversation.contact_id is not None
    live_contact(session, conversation.contact_id)  # a deleted person's app fetches nothing
    return add_message(
        session, conversation, direction=Direction.OUT, body=text, status=MessageStatus.SENT,
        from_number=NO_NUMBER, to_number=NO_NUMBER, author_user_id=actor.user_id,
        client_key=client_key,
    )
