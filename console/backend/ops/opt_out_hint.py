"""The opt-out hint on a conversation's first text (console/domain/opt_out_hint.py): a number
with a hint adds it to the first text it sends in each 1:1 or group chat."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from console.backend import models
from console.domain.messages import Direction
from console.domain.opt_out_hint import check_length, with_hint


def first_text_body(
    session: Session, conversation: models.Conversation, number: models.BusinessNumber,
    text: str,
) -> str:
    """`text`, with the number's hint when nothing was sent in the conversation before (a text
    refused or failed still counts as sent: the person may have got it)."""
    hint = number.opt_out_hint or ""
    if not hint:
        return text
    sent_before = session.scalar(select(exists().where(
        models.Message.conversation_id == conversation.id,
        models.Message.direction == Direction.OUT.value,
        models.Message.note.is_(False),  # a note was sent to nobody
    )))
    if sent_before:
        return text
    check_length(text, hint)
    return with_hint(text, hint)
