"""Group SMS chats: creating one (atomically, by the seed's rules) and sending in one.

Participants and the business number are frozen at creation: messages go to the numbers chosen
then, whatever later happens to the contacts. There is one chat per business number and
participant set, which is also how an inbound group MMS finds its chat.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops import opt_out_hint
from console.backend.ops.conversations import find_conversation
from console.backend.ops.message_rows import add_message
from console.backend.ops.numbers import find_number, require_send_access
from console.backend.ops.participants import (
    GROUP_SMS,
    contact_facts,
    group_status,
    participant_rows,
    snapshot_columns,
)
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.domain.group_chat import (
    ChosenParticipant,
    ProposedParticipant,
    check_count,
    default_title,
    participant_key,
    validate_group_chat,
)
from console.domain.messages import Direction, MessageStatus
from console.protocol.group_chats import GroupChatCreate

# Where a group message is "to" on its row: every participant (the carrier fans it out).
GROUP_RECIPIENT = ""


def create(
    session: Session, actor: Actor, data: GroupChatCreate
) -> tuple[models.Conversation, bool]:
    """The new chat and True; or the existing chat of the same number and set and False.

    Raises the first broken rule before writing anything (the caller's transaction is rolled
    back on any error, so nothing is ever half created).
    """
    check_count(len(data.participants))
    number = find_number(session, data.number_id)
    require_send_access(actor, number)
    ids = {p.contact_id for p in data.participants}
    contacts = session.scalars(select(models.Contact).where(models.Contact.id.in_(ids))).all()
    chosen = validate_group_chat(
        actor,
        number.e164,
        [ProposedParticipant(p.contact_id, p.phone) for p in data.participants],
        {c.id: contact_facts(c) for c in contacts},
    )
    replaced = _replaced_chat(session, actor, data, number.id)
    key = participant_key((p.contact_id, p.phone) for p in chosen)
    existing = session.scalar(
        select(models.Conversation).where(
            models.Conversation.number_id == number.id,
            models.Conversation.participant_key == key,
        )
    )
    if existing is not None:
        if replaced is not None and existing.replaces_id is None and existing.id != replaced.id:
            existing.replaces_id = replaced.id  # once only: a repeat changes nothing
            existing.updated_at = utcnow()
            events.conversation_changed(session, existing)
            events.conversation_changed(session, replaced)
        return existing, False
    title = (data.title or "").strip() or default_title([p.name for p in chosen])
    row = start(session, number, chosen, title=title, replaces_id=replaced.id if replaced else None)
    if replaced is not None:
        # In the same transaction: every console learns the old chat's `replaced_by` with it.
        events.conversation_changed(session, replaced)
    return row, True


def _replaced_chat(
    session: Session, actor: Actor, data: GroupChatCreate, number_id: str
) -> models.Conversation | None:
    """The group chat `data.replaces` names: one the caller sees (404 otherwise), texting from
    the same business number (422 otherwise). It need not be blocked still (a DND may have
    been lifted meanwhile)."""
    if data.replaces is None:
        return None
    replaced = find_group_chat(session, actor, data.replaces)
    if replaced.number_id != number_id:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, "A replacement chat texts from the same number."
        )
    return replaced


def start(
    session: Session,
    number: models.BusinessNumber,
    chosen: Sequence[ChosenParticipant],
    *,
    title: str,
    replaces_id: str | None = None,
) -> models.Conversation:
    """Write a chat with these (already checked) participants, and its event."""
    now = utcnow()
    row = models.Conversation(
        id=new_id("cnv"),
        kind=GROUP_SMS,
        title=title,
        number_id=number.id,
        contact_id=None,
        phone=None,
        status="active",
        blocked_reason=None,
        last_message_preview="",
        unread_count=0,
        participant_key=participant_key((p.contact_id, p.phone) for p in chosen),
        replaces_id=replaces_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    # The contacts as they are now, kept with each participant: `Updated` compares with them.
    contacts = {
        c.id: c
        for c in session.scalars(
            select(models.Contact).where(models.Contact.id.in_({p.contact_id for p in chosen}))
        )
    }
    session.add_all(
        models.GroupChatParticipant(
            conversation_id=row.id, position=position, contact_id=p.contact_id, phone=p.phone,
            **snapshot_columns(contacts[p.contact_id]),
        )
        for position, p in enumerate(chosen)
    )
    session.flush()
    # An inbound group MMS may bring a participant with DND on: the chat starts blocked then.
    row.status, row.blocked_reason = group_status(participant_rows(session, [row.id])[row.id])
    events.conversation_changed(session, row)
    return row


def find_group_chat(session: Session, actor: Actor, conversation_id: str) -> models.Conversation:
    row = find_conversation(session, actor, conversation_id)
    if row.kind != GROUP_SMS:
        raise DomainError(ErrorCode.NOT_FOUND, f"No group chat {conversation_id!r}.")
    return row


def phones_of(session: Session, conversation_id: str) -> list[str]:
    return list(
        session.scalars(
            select(models.GroupChatParticipant.phone)
            .where(models.GroupChatParticipant.conversation_id == conversation_id)
            .order_by(models.GroupChatParticipant.position)
        ).all()
    )


def send(
    session: Session,
    actor: Actor,
    conversation: models.Conversation,
    text: str,
    client_key: str | None,
    *,
    quiet_hours_override: bool = False,
) -> models.Message:
    """Queue a message to every participant; 409 group_chat_blocked while one has DND on."""
    assert conversation.number_id is not None
    number = find_number(session, conversation.number_id)
    require_send_access(actor, number)
    status, reason = group_status(participant_rows(session, [conversation.id])[conversation.id])
    if status == "blocked":
        raise DomainError(
            ErrorCode.GROUP_CHAT_BLOCKED,
            f"{reason}; nothing was sent. Start a new group chat without them.",
        )
    text = opt_out_hint.first_text_body(session, conversation, number, text)
    return add_message(
        session, conversation, direction=Direction.OUT, body=text, status=MessageStatus.QUEUED,
        from_number=number.e164, to_number=GROUP_RECIPIENT, author_user_id=actor.user_id,
        client_key=client_key, quiet_hours_override=quiet_hours_override,
    )


def refuse_change(session: Session, actor: Actor, conversation_id: str, what: str) -> None:
    """Participants and number never change: 409 immutable (404 first for what is not seen)."""
    find_group_chat(session, actor, conversation_id)
    raise DomainError(
        ErrorCode.IMMUTABLE,
        f"A group chat's {what} cannot be changed; start a new group chat instead.",
    )
