"""A message's per-recipient copies (models.CarrierSend) and the status they add up to.

Both carriers keep one copy row per recipient number (a group chat message has one per
participant). A change to copies is bracketed: `lock` first (the message row, locked, and
what a reader is told about it now), then the copies change, then `settle`: the message takes
the status the rule in console.domain.delivery gives, and its `message.upserted` event goes
out only when something a reader sees moved, the message's status or error code or some
copy's (views.delivery_view) - so a console sees "delivered to Maria" the moment the carrier
says so, and a Twilio copy accepted as `queued` (its wire status already) sends nothing.
Integrations' webhooks hear only of the message's own status moves (see `_copies_changed`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.models import utcnow
from console.backend.ops import participants
from console.backend.ops.group_chats import phones_of
from console.backend.views import delivery_view, is_group_outbound, message_view
from console.domain.conversations import ConversationKind
from console.domain.delivery import CopyState, overall
from console.domain.messages import MessageStatus

# The Twilio carrier's copy on its way to Twilio (its request may be in flight): still queued.
SUBMITTING = "submitting"

# What a reader is told of a message: its status and error code, and each copy's number,
# status and error code as the wire says them (not their updated_at, sid, ...).
Told = tuple[str, str | None, tuple[tuple[str, str, str | None], ...]]


@dataclass(frozen=True, slots=True)
class Locked:
    """A message locked for a change to its copies, and what a reader was told before it."""

    message: models.Message
    told: Told


def recipients(session: Session, message: models.Message) -> list[str]:
    """Where the message goes: every participant's frozen number of a group chat (each once),
    else its one number."""
    conversation = session.get_one(models.Conversation, message.conversation_id)
    if conversation.kind == ConversationKind.GROUP_SMS:
        return list(dict.fromkeys(phones_of(session, conversation.id)))
    return [message.to_number] if message.to_number else []


def copies_of(session: Session, message_id: str) -> list[models.CarrierSend]:
    return list(
        session.scalars(
            select(models.CarrierSend)
            .where(models.CarrierSend.message_id == message_id)
            .order_by(models.CarrierSend.id)
            .execution_options(populate_existing=True)  # a bulk update may have moved them
        ).all()
    )


def lock(session: Session, message_id: str) -> Locked | None:
    """The message locked (None when there is none), before its copies change."""
    # Locked first, before any copy: two copies' callbacks settling at once (two processes)
    # would each read the other's copy as it was before and neither move the message on, and
    # one order (message, then copies) for every writer leaves no deadlock.
    message = session.get(
        models.Message, message_id, with_for_update=True, populate_existing=True
    )
    if message is None:
        return None
    return Locked(message, _told(message, copies_of(session, message_id)))


def settle(session: Session, locked: Locked) -> models.Message:
    """After the copies changed: the message's status from them, and its event when a reader
    would see a difference."""
    message = locked.message
    session.flush()
    copies = copies_of(session, message.id)
    was = CopyState(MessageStatus(message.status), message.error_code)
    state = overall([_state(c) for c in copies], len(recipients(session, message)), was)
    if state != was:
        message.status, message.error_code = state.status, state.error_code
        message.updated_at = utcnow()
    if _told(message, copies) != locked.told:
        conversation = session.get_one(models.Conversation, message.conversation_id)
        if state != was:
            events.message_changed(session, message, conversation)
        else:
            _copies_changed(session, message, conversation, copies)
    return message


def _copies_changed(
    session: Session,
    message: models.Message,
    conversation: models.Conversation,
    copies: list[models.CarrierSend],
) -> None:
    """The message's event for consoles when only its copies moved. Written like
    events.message_changed but through record_many, which does not hand it to integrations'
    webhooks (webhooks.forward): they hear of a message once, when it is accepted, and a copy
    delivered while the message is still `queued` must not reach an integration made since as
    a second "message.outbound"."""
    events.prepare_write(session)  # who owns it is read in the feed's write turn
    contact_id, owner = participants.feed_scope(session, conversation)
    told = copies if is_group_outbound(message, conversation.kind) else ()
    view = message_view(message, told).model_dump(mode="json", by_alias=True)
    events.record_many(session, [{
        "type": "message.upserted", "entity_id": message.id, "data": view,
        "contact_id": contact_id, "number_id": conversation.number_id,
        "owner_user_id": owner, "admin_only": False, "only_user_id": None,
    }])


def _told(message: models.Message, copies: list[models.CarrierSend]) -> Told:
    wire = tuple((d.to, str(d.status), d.error_code) for d in map(delivery_view, copies))
    return str(message.status), message.error_code, wire


def _state(copy: models.CarrierSend) -> CopyState:
    try:
        status = MessageStatus(copy.status)
    except ValueError:  # SUBMITTING
        status = MessageStatus.QUEUED
    return CopyState(status, copy.error_code)
