"""Messages: sending in a conversation, paging its history, receiving inbound SMS."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops import group_chats, in_app, opt_out_hint, phone_claims
from console.backend.ops.contacts import name_key
from console.backend.ops.conversations import DIRECT, direct_thread, find_conversation
from console.backend.ops.message_rows import add_message
from console.backend.ops.numbers import find_number, require_send_access
from console.backend.ops.participants import GROUP_SMS
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.domain.messages import Direction, MessageStatus, normalize_body
from console.domain.phones import format_display


def send(
    session: Session, actor: Actor, conversation_id: str, body: str, client_key: str | None,
    *, quiet_hours_override: bool = False,
) -> models.Message:
    """Accept an outbound message: SMS ones queued (the carrier gets them after the commit),
    in-app ones sent (no carrier). `quiet_hours_override`: the agent was told a recipient is
    outside quiet hours and sent anyway (recorded on the message; in-app ones have none)."""
    conversation = find_conversation(session, actor, conversation_id)
    text = normalize_body(body)
    if conversation.kind == GROUP_SMS:
        return group_chats.send(session, actor, conversation, text, client_key,
                                quiet_hours_override=quiet_hours_override)
    if conversation.kind == in_app.IN_APP:
        return in_app.send(session, actor, conversation, text, client_key)
    if conversation.kind != DIRECT or conversation.number_id is None or not conversation.phone:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "Only 1:1 SMS conversations can send here.")
    number = find_number(session, conversation.number_id)
    require_send_access(actor, number)
    contact = session.get(models.Contact, conversation.contact_id) if conversation.contact_id \
        else None
    if contact is None or not phone_claims.holds(session, contact.id, conversation.phone):
        # The contact was deleted or the number taken off their card: the handset may be
        # someone else's customer now (inbound texts from it go to their thread).
        raise DomainError(
            ErrorCode.PHONE_NOT_ON_CONTACT,
            f"{conversation.phone} is no longer a number of this conversation's contact, so "
            "nothing was sent. Open a conversation with the contact who has that number now.",
        )
    if contact.dnd:
        raise DomainError(
            ErrorCode.PARTICIPANT_DND, f"{contact.name} has Do Not Disturb on; nothing was sent."
        )
    text = opt_out_hint.first_text_body(session, conversation, number, text)
    return add_message(
        session, conversation, direction=Direction.OUT, body=text, status=MessageStatus.QUEUED,
        from_number=number.e164, to_number=conversation.phone, author_user_id=actor.user_id,
        client_key=client_key, quiet_hours_override=quiet_hours_override,
    )


def history(conversation_id: str) -> Select[models.Message]:
    return (
        select(models.Message)
        .where(models.Message.conversation_id == conversation_id)
        .order_by(models.Message.created_at.desc(), models.Message.id.desc())
    )


def older_than(
    query: Select[models.Message], created_at: datetime, message_id: str
) -> Select[models.Message]:
    return query.where(
        or_(
            models.Message.created_at < created_at,
            and_(models.Message.created_at == created_at, models.Message.id < message_id),
        )
    )


def receive(
    session: Session, sender: str, business: models.BusinessNumber, body: str
) -> models.Message:
    """An SMS from `sender` (E.164) to one of our numbers lands in their 1:1 thread.

    (console.backend.ops.inbound calls this, and handles group MMS and opt-out keywords.)

    Unknown senders become a contact named by their number, so the thread has someone to show.
    """
    text = body.strip() or body
    contact = contact_for(session, sender)
    conversation, _ = direct_thread(session, business, sender, contact)
    # A new thread's event comes with the message's (add_message records both).
    return add_message(
        session, conversation, direction=Direction.IN, body=text, status=MessageStatus.RECEIVED,
        from_number=sender, to_number=business.e164, author_contact_id=contact.id,
    )


def contact_for(session: Session, sender: str) -> models.Contact:
    """The one live contact holding `sender`'s number; made (unassigned) if there is none."""
    found = phone_claims.live_holder(session, sender)
    if found is not None:
        return found
    now = utcnow()
    name = format_display(sender)
    contact = models.Contact(
        id=new_id("con"),
        name=name,
        name_key=name_key(name),
        email=None,
        dnd=False,
        assigned_user_id=None,
        created_at=now,
        updated_at=now,
    )
    contact.phones = [models.ContactPhone(number=sender, label="primary", position=0)]
    phone_claims.claim(contact)
    try:
        with session.begin_nested():
            session.add(contact)
    except IntegrityError:
        # A text from the same new number made its contact at the same moment: file under it.
        found = phone_claims.live_holder(session, sender)
        if found is None:
            raise
        return found
    events.contact_changed(session, contact)
    return contact


def business_number_among(session: Session, numbers: list[str]) -> models.BusinessNumber:
    rows = session.scalars(
        select(models.BusinessNumber).where(models.BusinessNumber.e164.in_(numbers))
    ).all()
    if not rows:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, "to: none of these numbers is one of our business numbers"
        )
    if len(rows) > 1:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "to: more than one business number")
    return rows[0]
