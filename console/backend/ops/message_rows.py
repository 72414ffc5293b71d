"""Writing one message into a conversation: its row, the thread's preview, unread count, feed
events and, for a queued outbound SMS, the job that hands it to the carrier. Every channel
(1:1 SMS, group SMS, in-app) and both directions go through here, so a thread and its messages
always change together and reach readers in the same order."""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.carrier.send_jobs import enqueue_send
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops.conversations import touch
from console.domain.messages import Direction, MessageStatus


def add_message(
    session: Session,
    conversation: models.Conversation,
    *,
    direction: Direction,
    body: str,
    status: MessageStatus,
    from_number: str,
    to_number: str,
    author_user_id: str | None = None,
    author_contact_id: str | None = None,
    client_key: str | None = None,
    at: datetime | None = None,
    rng: random.Random | None = None,
    quiet_hours_override: bool = False,
    note: bool = False,
) -> models.Message:
    """Add the message (already normalized `body`) and record its events; inbound ones count
    as unread. `rng` makes the id deterministic (demo seed). `note`: an internal note
    (console.backend.ops.notes): the thread keeps its preview, time and unread count (so it
    has no event of its own) and nothing goes to the carrier."""
    now = at or utcnow()
    message = models.Message(
        id=new_id("msg", rng),
        conversation_id=conversation.id,
        direction=direction,
        author_user_id=author_user_id,
        author_contact_id=author_contact_id,
        body=body,
        status=status,
        from_number=from_number,
        to_number=to_number,
        client_key=client_key,
        created_at=now,
        updated_at=now,
        quiet_hours_override=quiet_hours_override,
        note=note,
    )
    session.add(message)
    if note:
        session.flush()
        events.message_changed(session, message, conversation)
        return message
    if direction == Direction.IN:
        conversation.unread_count = (conversation.unread_count or 0) + 1
    touch(conversation, body, now)
    session.flush()
    # The thread first, so a reader never holds a message of a conversation it does not know.
    events.conversation_changed(session, conversation)
    events.message_changed(session, message, conversation)
    if direction == Direction.OUT and status == MessageStatus.QUEUED:
        enqueue_send(session, message.id)  # with the message, or neither
    return message
