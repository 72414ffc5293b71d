"""Do Not Disturb: every change is audited and reaches every conversation of the contact.

A direct thread of a contact with DND on is blocked; so is every group chat in which any
participant's contact has DND on (naming them), until no participant has it any more.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.models import utcnow
from console.backend.ops.participants import GROUP_SMS, group_status, participant_rows
from console.domain.conversations import ConversationKind

DIRECT_DND_REASON = "dnd"

SOURCE_USER = "user"
SOURCE_CONFIRMED = "opt_out_confirmed"
SOURCE_KEYWORD = "inbound_keyword"
SOURCE_SEED = "seed"


def audit(
    session: Session,
    contact: models.Contact,
    old: bool,
    new: bool,
    *,
    source: str,
    user_id: str | None = None,
    message_id: str | None = None,
    simulated_by_user_id: str | None = None,
    at: datetime | None = None,
) -> None:
    session.add(
        models.DndChange(
            contact_id=contact.id, old_dnd=old, new_dnd=new, source=source, user_id=user_id,
            message_id=message_id, simulated_by_user_id=simulated_by_user_id, at=at or utcnow(),
        )
    )


def set_dnd(
    session: Session,
    contact: models.Contact,
    dnd: bool,
    *,
    source: str,
    user_id: str | None = None,
    message_id: str | None = None,
    simulated_by_user_id: str | None = None,
) -> bool:
    """Turn DND on or off, audited, with the contact's event and its conversations' changes.

    False (and nothing recorded) when it already was so.
    """
    if contact.dnd == dnd:
        return False
    events.prepare_write(session)  # the feed's write turn before the contact's row lock
    audit(session, contact, contact.dnd, dnd, source=source, user_id=user_id,
          message_id=message_id, simulated_by_user_id=simulated_by_user_id)
    contact.dnd = dnd
    contact.updated_at = utcnow()
    session.flush()
    events.contact_changed(session, contact)
    refresh_own_threads(session, contact)
    refresh_group_chats(session, [contact.id])
    return True


def refresh_own_threads(session: Session, contact: models.Contact) -> None:
    """A person's own threads (SMS 1:1 and in-app) show their name; the SMS ones are blocked
    while they have DND on (in-app messages are not texts)."""
    threads = session.scalars(
        select(models.Conversation).where(
            models.Conversation.contact_id == contact.id,
            models.Conversation.kind.in_((ConversationKind.DIRECT, ConversationKind.IN_APP)),
        )
    ).all()
    for thread in threads:
        status, reason = thread.status, thread.blocked_reason
        if thread.kind == ConversationKind.DIRECT:
            status = "blocked" if contact.dnd else "active"
            reason = DIRECT_DND_REASON if contact.dnd else None
        if (thread.title, thread.status, thread.blocked_reason) == (contact.name, status, reason):
            continue
        thread.title, thread.status, thread.blocked_reason = contact.name, status, reason
        thread.updated_at = utcnow()
        session.flush()
        events.conversation_changed(session, thread)


def group_chats_of(session: Session, contact_ids: Iterable[str]) -> list[models.Conversation]:
    ids = list(set(contact_ids))
    if not ids:
        return []
    return list(
        session.scalars(
            select(models.Conversation)
            .where(
                models.Conversation.kind == GROUP_SMS,
                models.Conversation.id.in_(
                    select(models.GroupChatParticipant.conversation_id).where(
                        models.GroupChatParticipant.contact_id.in_(ids)
                    )
                ),
            )
            .order_by(models.Conversation.id)
        ).all()
    )


def refresh_group_chats(session: Session, contact_ids: Iterable[str]) -> None:
    """Every group chat with these contacts: status recomputed, and a conversation.upserted so
    readers see the live participant tags (updated, deleted, dnd) and who blocks it."""
    chats = group_chats_of(session, contact_ids)
    pairs = participant_rows(session, [c.id for c in chats])
    for chat in chats:
        status, reason = group_status(pairs.get(chat.id, []))
        chat.status, chat.blocked_reason = status, reason
        chat.updated_at = utcnow()
        session.flush()
        events.conversation_changed(session, chat)


def conversations_of(session: Session, contact_id: str) -> list[models.Conversation]:
    """Every conversation the contact is in: its own threads and the group chats."""
    own = session.scalars(
        select(models.Conversation)
        .where(models.Conversation.contact_id == contact_id)
        .order_by(models.Conversation.id)
    ).all()
    return [*own, *group_chats_of(session, [contact_id])]
