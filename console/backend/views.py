"""ORM rows -> wire models (console.protocol): what the API returns and what events carry."""

from __future__ import annotations

from console.backend import models
from console.domain.access import Actor, can_send_from
from console.protocol.auth import User
from console.protocol.contacts import Contact
from console.protocol.conversations import Conversation, Message, OptOutSuspected, Participant
from console.protocol.numbers import BusinessNumber
from console.protocol.simulator import HandsetMessage


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
        }
    )


def contact_view(row: models.Contact) -> Contact:
    return Contact.model_validate(
        {
            "id": row.id,
            "name": row.name,
            "phones": [{"number": p.number, "label": p.label} for p in row.phones],
            "email": row.email,
            "dnd": row.dnd,
            "assigned_user_id": row.assigned_user_id,
            "updated_at": row.updated_at,
            "deleted": row.deleted_at is not None,
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


def message_view(row: models.Message) -> Message:
    return Message.model_validate(row)


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
