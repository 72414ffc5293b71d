"""Inbound SMS and group MMS: file the message in its conversation, then act on opt-out.

An SMS to one business number lands in the sender's 1:1 thread. A group MMS (addressed to the
business number and other handsets) lands in the group chat of that business number and
participant set, the numbers with their live holders: one chat per set, found by the set's key,
and made if there is none yet (a person may start a group text with us; nothing they send is
dropped).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.ops import group_chats, messages, opt_out
from console.backend.ops.message_rows import add_message
from console.domain.errors import DomainError, ErrorCode
from console.domain.group_chat import ChosenParticipant, default_title, participant_key
from console.domain.messages import Direction, MessageStatus


@dataclass(frozen=True, slots=True)
class Received:
    message: models.Message
    conversation: models.Conversation
    # Handsets that get a copy (the other participants of a group MMS).
    copies_to: list[str]
    # Automatic answers (opt-out confirmations, help) to hand to the carrier after the commit.
    replies: list[str]


def receive(
    session: Session,
    sender: str,
    recipients: list[str],
    body: str,
    replies: opt_out.Replies,
    *,
    simulated_by: str | None = None,
) -> Received:
    """`sender` and `recipients` in E.164; exactly one recipient is a business number.
    `simulated_by`: the admin who made the message up (the simulator), None for a real one."""
    business = messages.business_number_among(session, recipients)
    if sender == business.e164:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "from: that is our own number")
    others: list[str] = []
    for number in recipients:
        if number not in (business.e164, sender) and number not in others:
            others.append(number)
    if not others:
        message = messages.receive(session, sender, business, body)
        conversation = session.get_one(models.Conversation, message.conversation_id)
    else:
        conversation = _group_chat_for(session, business, [sender, *others])
        message = _record_group_message(session, conversation, business, sender, body)
    answers = opt_out.on_inbound(session, message, conversation, business, replies,
                                 simulated_by=simulated_by)
    return Received(message, conversation, others, answers)


def _group_chat_for(
    session: Session, business: models.BusinessNumber, phones: list[str]
) -> models.Conversation:
    # The chat of these numbers' live holders: once a number has passed to another contact,
    # the old chat (whose frozen participants are other people) is not theirs.
    people = [messages.contact_for(session, phone) for phone in phones]
    chat = session.scalar(
        select(models.Conversation).where(
            models.Conversation.number_id == business.id,
            models.Conversation.participant_key
            == participant_key((c.id, phone) for c, phone in zip(people, phones, strict=True)),
        )
    )
    if chat is not None:
        return chat
    chosen = [
        ChosenParticipant(contact_id=c.id, name=c.name, phone=phone)
        for c, phone in zip(people, phones, strict=True)
    ]
    return group_chats.start(
        session, business, chosen, title=default_title([c.name for c in people])
    )


def _record_group_message(
    session: Session,
    chat: models.Conversation,
    business: models.BusinessNumber,
    sender: str,
    body: str,
) -> models.Message:
    author = session.scalar(
        select(models.GroupChatParticipant.contact_id).where(
            models.GroupChatParticipant.conversation_id == chat.id,
            models.GroupChatParticipant.phone == sender,
        )
    )
    return add_message(
        session, chat, direction=Direction.IN, body=body.strip() or body,
        status=MessageStatus.RECEIVED, from_number=sender, to_number=business.e164,
        author_contact_id=author,
    )
