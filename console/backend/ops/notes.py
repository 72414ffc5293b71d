"""Internal notes: what an agent writes in a conversation for the team, sent to nobody.

A note is a `messages` row with `note` set, written through message_rows.add_message so it
reaches the same readers as the thread's messages (message.upserted, scoped to the
conversation). It is outbound (written by staff, `author_user_id`) with status `sent`, a
status a console that predates notes knows, and nothing ever moves it on: it never reaches
the carrier, the person's Message Center (ops.people), integrations (webhooks.forward) or
notifications, and the thread's unread count, preview and last_message_at stay as they were.

Who may write one: whoever may see the conversation. A note is not a send, so the send rules
(number access, Do Not Disturb, opt-out, a blocked group chat, a number no longer on the
contact) do not apply.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from console.backend import models
from console.backend.ops.conversations import find_conversation
from console.backend.ops.message_rows import add_message
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.domain.messages import Direction, MessageStatus
from console.protocol.conversations import NOTE_MAX_CHARS

# A note goes to no number; the columns are required for SMS, so they hold "".
NO_NUMBER = ""


def normalize_note(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "A note needs some text.")
    if len(text) > NOTE_MAX_CHARS:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            f"A note can be at most {NOTE_MAX_CHARS} characters (this one has {len(text)}).",
        )
    return text


def add_note(
    session: Session, actor: Actor, conversation_id: str, body: str, client_key: str | None
) -> models.Message:
    """The caller's note in a conversation they see (404 otherwise, as every conversation
    route)."""
    conversation = find_conversation(session, actor, conversation_id)
    text = normalize_note(body)
    return add_message(
        session,
        conversation,
        direction=Direction.OUT,
        body=text,
        status=MessageStatus.SENT,
        from_number=NO_NUMBER,
        to_number=NO_NUMBER,
        author_user_id=actor.user_id,
        client_key=client_key,
        note=True,
    )
