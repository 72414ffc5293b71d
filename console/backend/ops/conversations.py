"""Conversations: who sees which, opening 1:1 SMS threads, marking them read or unread."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops import participants, phone_claims
from console.backend.ops.contacts import DND_REASON, find_contact
from console.backend.ops.numbers import find_number, require_send_access
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.domain.messages import Direction, preview_of
from console.domain.phones import parse_phone
from console.protocol.conversations import DirectConversationCreate

DIRECT = "direct"


def activity_at() -> ColumnElement[datetime]:
    """Sort key of the conversation list: last message, or creation for an empty thread."""
    return func.coalesce(models.Conversation.last_message_at, models.Conversation.created_at)


def visible_conversations(actor: Actor) -> Select[models.Conversation]:
    query = select(models.Conversation)
    condition = participants.visible_condition(actor)
    return query if condition is None else query.where(condition)


def find_conversation(session: Session, actor: Actor, conversation_id: str) -> models.Conversation:
    row = session.get(models.Conversation, conversation_id)
    if row is not None and not participants.can_see(session, actor, row):
        row = None
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No conversation {conversation_id!r}.")
    return row


def open_direct(
    session: Session, actor: Actor, data: DirectConversationCreate
) -> tuple[models.Conversation, bool]:
    """The 1:1 thread between a contact's number and a business number; True if new."""
    contact = session.get(models.Contact, data.contact_id)
    if contact is not None and contact.deleted_at is None and actor.assigned_only \
            and contact.assigned_user_id != actor.user_id:
        raise DomainError(
            ErrorCode.CONTACT_NOT_ASSIGNED, f"Contact {data.contact_id!r} is not assigned to you."
        )
    contact = find_contact(session, actor, data.contact_id)
    phone = parse_phone(data.phone)
    if phone not in {p.number for p in contact.phones}:
        raise DomainError(
            ErrorCode.PHONE_NOT_ON_CONTACT, f"{phone} is not one of {contact.name}'s numbers."
        )
    if not phone_claims.holds(session, contact.id, phone):
        # On the card but held by another contact (a database from before one number, one
        # contact): its texts go to that holder, so no thread here could be answered.
        raise DomainError(
            ErrorCode.PHONE_NOT_ON_CONTACT,
            f"{phone} belongs to another contact now; it cannot be texted as {contact.name}'s.",
        )
    number = find_number(session, data.number_id)
    require_send_access(actor, number)
    row, new = direct_thread(session, number, phone, contact)
    if new:
        events.conversation_changed(session, row)
    return row, new


def direct_thread(
    session: Session, business: models.BusinessNumber, phone: str, contact: models.Contact
) -> tuple[models.Conversation, bool]:
    """The 1:1 thread of a business number, a handset and the contact holding it, made (and
    flushed, no event yet) if there is none; True if new. The caller records the thread's event.

    The contact is part of the key: a number may pass to another contact (the old one deleted,
    or the number taken off its card), and the new holder's texts must not land in the old
    contact's thread, which the old contact's user still reads."""
    existing = session.scalar(
        select(models.Conversation).where(
            models.Conversation.kind == DIRECT,
            models.Conversation.number_id == business.id,
            models.Conversation.phone == phone,
            models.Conversation.contact_id == contact.id,
        )
    )
    if existing is not None:
        return existing, False
    now = utcnow()
    row = models.Conversation(
        id=new_id("cnv"),
        kind=DIRECT,
        title=contact.name,
        number_id=business.id,
        contact_id=contact.id,
        phone=phone,
        status="blocked" if contact.dnd else "active",
        blocked_reason=DND_REASON if contact.dnd else None,
        last_message_preview="",
        unread_count=0,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row, True


def after_activity(
    query: Select[models.Conversation], at: datetime, conversation_id: str
) -> Select[models.Conversation]:
    key = activity_at()
    return query.where(or_(key < at, and_(key == at, models.Conversation.id < conversation_id)))


def mark_read(session: Session, actor: Actor, conversation_id: str) -> models.Conversation:
    row = find_conversation(session, actor, conversation_id)
    now = utcnow()
    result = session.execute(
        update(models.Message)
        .where(
            models.Message.conversation_id == row.id,
            models.Message.direction == Direction.IN,
            models.Message.read_at.is_(None),
        )
        .values(read_at=now),
        execution_options={"synchronize_session": False},
    )
    if row.unread_count or getattr(result, "rowcount", 0):
        row.unread_count = 0
        row.updated_at = now
        session.flush()
        events.conversation_changed(session, row)
    return row


def mark_unread(session: Session, actor: Actor, conversation_id: str) -> models.Conversation:
    """The user's "Mark as unread": unread_count is at least 1 afterwards, even in a thread
    with no inbound message (it is a reminder). Messages keep their read times; the next
    mark_read zeroes the count again. Already unread: nothing changes (idempotent)."""
    row = find_conversation(session, actor, conversation_id)
    if not row.unread_count:
        row.unread_count = 1
        row.updated_at = utcnow()
        session.flush()
        events.conversation_changed(session, row)
    return row


def touch(row: models.Conversation, body: str, at: datetime) -> None:
    row.last_message_at = at
    row.last_message_preview = preview_of(body)
    row.updated_at = utcnow()
