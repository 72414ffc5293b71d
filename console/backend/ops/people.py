"""The person's side of in-app messaging (what the customer app's Message Center does).

Fetching their messages marks what we sent as delivered; `mark_read` marks it read. Both move
the stats of the group messages those came from.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.models import utcnow
from console.backend.ops.group_messages import note_progress
from console.backend.ops.in_app import conversation_id_for, live_contact
from console.domain.errors import DomainError, ErrorCode
from console.domain.messages import Direction, MessageStatus
from console.protocol.people import PersonMessage


def _ours_to_them(conversation_id: str) -> Any:
    """What we sent them: internal notes (console.backend.ops.notes) are the team's alone."""
    return and_(
        models.Message.conversation_id == conversation_id,
        models.Message.direction == Direction.OUT,
        models.Message.note.is_(False),
    )


def mark_delivered(session: Session, contact_id: str) -> int:
    """Everything we sent them that their app had not fetched yet is delivered now."""
    live_contact(session, contact_id)
    conversation_id = conversation_id_for(contact_id)
    rows = session.scalars(
        select(models.Message).where(
            _ours_to_them(conversation_id), models.Message.status == MessageStatus.SENT
        )
    ).all()
    return _advance(session, list(rows), read=False)


def mark_read(session: Session, contact_id: str, up_to_message_id: str | None) -> int:
    live_contact(session, contact_id)
    conversation_id = conversation_id_for(contact_id)
    query = select(models.Message).where(
        _ours_to_them(conversation_id), models.Message.read_at.is_(None)
    )
    if up_to_message_id is not None:
        anchor = session.get(models.Message, up_to_message_id)
        if anchor is None or anchor.conversation_id != conversation_id or anchor.note:
            raise DomainError(
                ErrorCode.VALIDATION_ERROR,
                f"up_to_message_id: no message {up_to_message_id!r} for this person",
            )
        query = query.where(
            or_(
                models.Message.created_at < anchor.created_at,
                and_(
                    models.Message.created_at == anchor.created_at,
                    models.Message.id <= anchor.id,
                ),
            )
        )
    return _advance(session, list(session.scalars(query).all()), read=True)


def _advance(session: Session, rows: list[models.Message], *, read: bool) -> int:
    if not rows:
        return 0
    now = utcnow()
    conversation = session.get_one(models.Conversation, rows[0].conversation_id)
    for row in rows:
        row.status = MessageStatus.DELIVERED
        if read:
            row.read_at = now
        row.updated_at = now
    session.flush()
    for row in rows:
        events.message_changed(session, row, conversation)
    note_progress(session, [row.id for row in rows], delivered=True, read=read, now=now)
    return len(rows)


def messages_of(
    session: Session, contact_id: str, limit: int, cursor: tuple[datetime, str] | None
) -> tuple[list[PersonMessage], bool]:
    """Their in-app conversation, newest first, with group messages' titles and senders."""
    live_contact(session, contact_id)
    conversation_id = conversation_id_for(contact_id)
    message, recipient = models.Message, models.GroupMessageRecipient
    query = (
        select(message, recipient.group_message_id, models.GroupMessage.title, models.User.name)
        .outerjoin(recipient, recipient.message_id == message.id)
        .outerjoin(models.GroupMessage, models.GroupMessage.id == recipient.group_message_id)
        .outerjoin(models.User, models.User.id == message.author_user_id)
        .where(message.conversation_id == conversation_id, message.note.is_(False))
        .order_by(message.created_at.desc(), message.id.desc())
    )
    if cursor is not None:
        at, message_id = cursor
        query = query.where(
            or_(message.created_at < at, and_(message.created_at == at, message.id < message_id))
        )
    rows = session.execute(query.limit(limit + 1)).all()
    items = [
        PersonMessage(
            id=row.id, conversation_id=row.conversation_id,
            from_person=row.direction == Direction.IN, body=row.body, title=title,
            group_message_id=group_message_id, sender_name=sender_name,
            created_at=row.created_at, read_at=row.read_at,
        )
        for row, group_message_id, title, sender_name in rows[:limit]
    ]
    return items, len(rows) > limit
