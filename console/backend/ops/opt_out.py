"""Opt-out on every inbound path: keywords act at once, opt-out wording waits for an agent.

STOP-family keywords set DND on the sender's contact(s), including every group chat participant
frozen on the sending number (deleted or re-numbered since: its chats still text that number),
and send exactly one confirmation; START-family keywords clear it (and confirm) when it was on
(on a contact that no longer has the number, only when a STOP from that number set it);
HELP/INFO get the configured help reply. Answers are 1:1 SMS from the business number to the
sender (never to a whole group chat), recorded in their direct thread, and handed to the
carrier after the commit.

Wording that reads like an opt-out raises a flag on the conversation (a field and an
`opt_out_suspected` feed event) that stays until an agent confirms or dismisses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.models import utcnow
from console.backend.ops import dnd
from console.backend.ops.conversations import DIRECT, direct_thread, find_conversation
from console.backend.ops.message_rows import add_message
from console.backend.settings import Settings
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.domain.messages import Direction, MessageStatus
from console.domain.opt_out import Keyword, classify_keyword, looks_like_opt_out
from console.protocol.group_chats import OptOutSuspectedEvent

CONFIRMED = "confirmed"
DISMISSED = "dismissed"
BY_KEYWORD = "keyword"  # the person texted STOP themselves while a flag was open


@dataclass(frozen=True, slots=True)
class Replies:
    opt_out: str
    opt_in: str
    help: str

    @classmethod
    def of(cls, settings: Settings) -> Replies:
        return cls(settings.opt_out_reply, settings.opt_in_reply, settings.help_reply)


def on_inbound(
    session: Session,
    message: models.Message,
    conversation: models.Conversation,
    business: models.BusinessNumber,
    replies: Replies,
    *,
    simulated_by: str | None = None,
) -> list[str]:
    """Act on a just-recorded inbound message; the ids of the answers to hand to the carrier.
    `simulated_by`: the admin who made the message up (the simulator), named in the DND audit."""
    keyword = classify_keyword(message.body)
    if keyword is Keyword.OPT_OUT:
        holders, frozen = _sender_contacts(session, message)
        for contact in [*holders, *frozen]:
            dnd.set_dnd(session, contact, True, source=dnd.SOURCE_KEYWORD, message_id=message.id,
                        simulated_by_user_id=simulated_by)
            _resolve_open_flags(session, contact.id, BY_KEYWORD, None)
        return [_answer(session, business, message, replies.opt_out).id]
    if keyword is Keyword.OPT_IN:
        holders, frozen = _sender_contacts(session, message)
        # A contact that no longer has the number gets back only what a STOP from it took.
        targets = [*holders, *(c for c in frozen if _stopped_from(session, c, message))]
        changed = [
            dnd.set_dnd(session, c, False, source=dnd.SOURCE_KEYWORD, message_id=message.id,
                        simulated_by_user_id=simulated_by)
            for c in targets
        ]
        # "YES" is also an ordinary answer: only a real opt-in (DND was on) gets a confirmation.
        return [_answer(session, business, message, replies.opt_in).id] if any(changed) else []
    if keyword is Keyword.HELP:
        return [_answer(session, business, message, replies.help).id]
    if looks_like_opt_out(message.body) and message.author_contact_id is not None:
        _flag(session, conversation, message, message.author_contact_id)
    return []


def _sender_contacts(
    session: Session, message: models.Message
) -> tuple[list[models.Contact], list[models.Contact]]:
    """Whose DND a keyword from `message.from_number` changes, as (holders, frozen).

    Holders: every live contact that has the number now. Frozen: the other contacts behind it,
    i.e. every group chat participant frozen on the number and the contact the message is filed
    under, deleted or re-numbered since. Group chats keep texting the number frozen in them, so
    a STOP from it must block every one of them (a participant with DND blocks its chat).
    """
    number = message.from_number
    holders = list(
        session.scalars(
            select(models.Contact)
            .join(models.ContactPhone, models.ContactPhone.contact_id == models.Contact.id)
            .where(models.ContactPhone.number == number, models.Contact.deleted_at.is_(None))
            .order_by(models.Contact.id)
        ).all()
    )
    frozen_ids = set(
        session.scalars(
            select(models.GroupChatParticipant.contact_id).where(
                models.GroupChatParticipant.phone == number
            )
        ).all()
    )
    if message.author_contact_id:
        frozen_ids.add(message.author_contact_id)
    frozen_ids -= {c.id for c in holders}
    if not frozen_ids:
        return holders, []
    frozen = session.scalars(
        select(models.Contact).where(models.Contact.id.in_(frozen_ids)).order_by(models.Contact.id)
    ).all()
    return holders, list(frozen)


def _stopped_from(session: Session, contact: models.Contact, message: models.Message) -> bool:
    """True when the contact's DND was last turned on by a STOP-family keyword from the number
    `message` comes from (not by an agent, nor by a keyword from another of its numbers)."""
    last_on = session.scalar(
        select(models.DndChange)
        .where(models.DndChange.contact_id == contact.id, models.DndChange.new_dnd.is_(True))
        .order_by(models.DndChange.id.desc())
        .limit(1)
    )
    if last_on is None or last_on.source != dnd.SOURCE_KEYWORD or last_on.message_id is None:
        return False
    stop = session.get(models.Message, last_on.message_id)
    return stop is not None and stop.from_number == message.from_number


def _answer(
    session: Session, business: models.BusinessNumber, inbound: models.Message, text: str
) -> models.Message:
    """The automatic answer to `inbound`, to its sender only. Sent even with DND on: it is the
    confirmation the rules require."""
    author = session.get(models.Contact, inbound.author_contact_id or "")
    origin = session.get_one(models.Conversation, inbound.conversation_id)
    if origin.kind == DIRECT or author is None:
        thread = origin
    else:
        thread, _ = direct_thread(session, business, inbound.from_number, author)
    return add_message(
        session, thread, direction=Direction.OUT, body=text, status=MessageStatus.QUEUED,
        from_number=business.e164, to_number=inbound.from_number,
    )


def _flag(
    session: Session,
    conversation: models.Conversation,
    message: models.Message,
    contact_id: str,
) -> None:
    at = utcnow()
    session.add(
        models.OptOutFlag(
            conversation_id=conversation.id, message_id=message.id, contact_id=contact_id, at=at
        )
    )
    conversation.opt_out_suspected_message_id = message.id
    conversation.opt_out_suspected_at = at
    conversation.updated_at = at
    session.flush()
    events.conversation_changed(session, conversation)
    events.opt_out_suspected(
        session,
        conversation,
        OptOutSuspectedEvent(
            conversation_id=conversation.id, message_id=message.id, contact_id=contact_id,
            body=message.body, at=at,
        ),
    )


def _open_flags(session: Session, conversation_id: str) -> list[models.OptOutFlag]:
    return list(
        session.scalars(
            select(models.OptOutFlag)
            .where(
                models.OptOutFlag.conversation_id == conversation_id,
                models.OptOutFlag.resolution.is_(None),
            )
            .order_by(models.OptOutFlag.id.desc())
        ).all()
    )


def _show_latest_open_flag(session: Session, conversation: models.Conversation) -> None:
    still_open = _open_flags(session, conversation.id)
    latest = still_open[0] if still_open else None
    conversation.opt_out_suspected_message_id = latest.message_id if latest else None
    conversation.opt_out_suspected_at = latest.at if latest else None
    conversation.updated_at = utcnow()
    session.flush()
    events.conversation_changed(session, conversation)


def _resolve_open_flags(
    session: Session, contact_id: str, resolution: str, user_id: str | None
) -> None:
    flags = session.scalars(
        select(models.OptOutFlag).where(
            models.OptOutFlag.contact_id == contact_id, models.OptOutFlag.resolution.is_(None)
        )
    ).all()
    now = utcnow()
    for flag in flags:
        flag.resolution, flag.resolved_by_user_id, flag.resolved_at = resolution, user_id, now
    session.flush()
    for conversation_id in sorted({flag.conversation_id for flag in flags}):
        _show_latest_open_flag(session, session.get_one(models.Conversation, conversation_id))


def _pick_flag(
    session: Session, conversation: models.Conversation, message_id: str | None
) -> models.OptOutFlag:
    for flag in _open_flags(session, conversation.id):
        if message_id is None or flag.message_id == message_id:
            return flag
    raise DomainError(
        ErrorCode.NOT_FOUND,
        "No open suspected opt-out on this conversation"
        + (f" for message {message_id!r}." if message_id else "."),
    )


def confirm(
    session: Session,
    actor: Actor,
    conversation_id: str,
    message_id: str | None,
    replies: Replies,
) -> tuple[models.Conversation, list[str]]:
    """An agent confirms: DND on (audited as theirs), the flag closed, one confirmation SMS."""
    conversation = find_conversation(session, actor, conversation_id)
    flag = _pick_flag(session, conversation, message_id)
    contact = session.get_one(models.Contact, flag.contact_id)
    message = session.get_one(models.Message, flag.message_id)
    dnd.set_dnd(session, contact, True, source=dnd.SOURCE_CONFIRMED, user_id=actor.user_id,
                message_id=message.id)
    _resolve_open_flags(session, contact.id, CONFIRMED, actor.user_id)
    business = session.get_one(models.BusinessNumber, conversation.number_id)
    reply = _answer(session, business, message, replies.opt_out)
    return conversation, [reply.id]


def dismiss(
    session: Session, actor: Actor, conversation_id: str, message_id: str | None
) -> models.Conversation:
    """An agent judges it was no opt-out: the flag is closed (and kept, with who decided)."""
    conversation = find_conversation(session, actor, conversation_id)
    flag = _pick_flag(session, conversation, message_id)
    flag.resolution, flag.resolved_by_user_id, flag.resolved_at = (
        DISMISSED, actor.user_id, utcnow(),
    )
    session.flush()
    _show_latest_open_flag(session, conversation)
    return conversation
