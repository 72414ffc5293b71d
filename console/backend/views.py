"""ORM rows -> wire models (console.protocol): what the API returns and what events carry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from console.backend import models
from console.domain.access import Actor, can_send_from
from console.domain.conversations import ConversationKind
from console.domain.messages import Direction, MessageStatus
from console.protocol.auth import User
from console.protocol.contacts import Contact
from console.protocol.conversations import (
    Conversation,
    Message,
    OptOutSuspected,
    Participant,
    RecipientDelivery,
)
from console.protocol.numbers import BusinessNumber
from console.protocol.simulator import HandsetMessage

# A copy's status as the wire tells it; the Twilio carrier's own "submitting" (the request
# is on its way) is still queued to a reader.
_WIRE_COPY_STATUSES = frozenset(
    {MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.FAILED,
     MessageStatus.UNDELIVERED}
)


def user_view(row: models.User) -> User:
    return User.model_validate(row).model_copy(update={"active": row.deactivated_at is None})


def actor_of(row: models.User) -> Actor:
    return Actor(user_id=row.id, role=row.role, data_access=row.data_access)


def number_view(row: models.BusinessNumber, actor: Actor | None) -> BusinessNumber:
    """`can_send` depends on the caller; events store False and the feed fills it per reader."""
    can_send = actor is not None and can_send_from(
        actor, is_default=row.is_default, assigned_user_id=row.assigned_user_id
    )
    return BusinessNumber.model_validate(
        {
            "id": row.id,
            "e164": row.e164,
            "label": row.label,
            "is_default": row.is_default,
            "assigned_user_id": row.assigned_user_id,
            "can_send": can_send,
            "opt_out_hint": row.opt_out_hint or "",
        }
    )


def contact_view(row: models.Contact) -> Contact:
    return contact_view_of(
        contact_id=row.id, name=row.name, phones=[(p.number, p.label) for p in row.phones],
        email=row.email, dnd=row.dnd, assigned_user_id=row.assigned_user_id,
        updated_at=row.updated_at, deleted=row.deleted_at is not None,
    )


def contact_view_of(
    *, contact_id: str, name: str, phones: Sequence[tuple[str, str]], email: str | None,
    dnd: bool, assigned_user_id: str | None, updated_at: datetime, deleted: bool,
) -> Contact:
    """`contact_view` of a contact not loaded as a row (bulk writes: ops/contact_imports.py)."""
    return Contact.model_validate(
        {
            "id": contact_id,
            "name": name,
            "phones": [{"number": number, "label": label} for number, label in phones],
            "email": email,
            "dnd": dnd,
            "assigned_user_id": assigned_user_id,
            "updated_at": updated_at,
            "deleted": deleted,
        }
    )


def conversation_view(
    row: models.Conversation,
    participants: list[Participant] | None = None,
    *,
    replaced_by: str | None = None,
) -> Conversation:
    """`participants` and `replaced_by` (group SMS chats) come from
    console.backend.ops.participants."""
    view = Conversation.model_validate(row)
    updates: dict[str, object] = {}
    if participants is not None:
        updates["participants"] = participants
    if row.replaces_id is not None:
        updates["replaces"] = row.replaces_id
    if replaced_by is not None:
        updates["replaced_by"] = replaced_by
    if row.opt_out_suspected_message_id and row.opt_out_suspected_at:
        updates["opt_out_suspected"] = OptOutSuspected(
            message_id=row.opt_out_suspected_message_id, at=row.opt_out_suspected_at
        )
    return view.model_copy(update=updates) if updates else view


def message_view(
    row: models.Message, copies: Sequence[models.CarrierSend] | None = None
) -> Message:
    """`copies`: the message's per-recipient carrier copies when the caller loaded them for a
    page at once (`copies_by_message`); None looks them up (one query, group chats only)."""
    view = Message.model_validate(row)
    if copies is None:
        copies = _copies_of(row)
    if not copies:
        return view
    return view.model_copy(update={"deliveries": [delivery_view(c) for c in copies]})


def delivery_view(row: models.CarrierSend) -> RecipientDelivery:
    status = row.status if row.status in _WIRE_COPY_STATUSES else MessageStatus.QUEUED
    return RecipientDelivery(
        to=row.to_number, status=status, error_code=row.error_code, updated_at=row.updated_at
    )


def is_group_outbound(row: models.Message, conversation_kind: str) -> bool:
    """Deliveries are told for outbound group chat messages only: a 1:1 message's own status
    is its one copy's. Notes have none (nothing is sent)."""
    return (
        row.direction == Direction.OUT
        and conversation_kind == ConversationKind.GROUP_SMS
        and not row.note
    )


def copies_by_message(
    session: Session, message_ids: Sequence[str]
) -> dict[str, list[models.CarrierSend]]:
    """The copies of these messages, in one query (a page of history, not one per message)."""
    found: dict[str, list[models.CarrierSend]] = {}
    if not message_ids:
        return found
    rows = session.scalars(
        select(models.CarrierSend)
        .where(models.CarrierSend.message_id.in_(list(dict.fromkeys(message_ids))))
        .order_by(models.CarrierSend.message_id, models.CarrierSend.id)
    )
    for copy in rows:
        found.setdefault(copy.message_id, []).append(copy)
    return found


def copies_in_conversation(
    session: Session, conversation: models.Conversation
) -> dict[str, list[models.CarrierSend]]:
    """The copies of every outbound message of a group chat, in one query however long the
    thread (a replay of a whole thread); {} for other conversations (no deliveries told)."""
    found: dict[str, list[models.CarrierSend]] = {}
    if conversation.kind != ConversationKind.GROUP_SMS:
        return found
    rows = session.scalars(
        select(models.CarrierSend)
        .join(models.Message, models.Message.id == models.CarrierSend.message_id)
        .where(
            models.Message.conversation_id == conversation.id,
            models.Message.direction == Direction.OUT,
        )
        .order_by(models.CarrierSend.message_id, models.CarrierSend.id)
    )
    for copy in rows:
        found.setdefault(copy.message_id, []).append(copy)
    return found


def _copies_of(row: models.Message) -> Sequence[models.CarrierSend]:
    # A group chat message is addressed to no single number (ops.group_chats.GROUP_RECIPIENT):
    # only those can be one, so other messages cost no query.
    session = object_session(row)
    if session is None or row.direction != Direction.OUT or row.to_number:
        return ()
    conversation = session.get(models.Conversation, row.conversation_id)  # usually loaded
    if conversation is None or not is_group_outbound(row, conversation.kind):
        return ()
    return copies_by_message(session, [row.id]).get(row.id, [])


def handset_view(row: models.HandsetMessage) -> HandsetMessage:
    return HandsetMessage.model_validate(
        {
            "id": row.id,
            "from": row.from_number,
            "to": row.to_number,
            "body": row.body,
            "conversation_id": row.conversation_id,
            "at": row.at,
        }
    )
