"""`--seed demo`: fill an empty database with the demo data set (deterministic, < 1 s).

Only an empty database (no users) is seeded, so serving twice on one file seeds once.
Every row gets its change event, so a console syncing from the start sees all of it.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.db import Database
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops import dnd, phone_claims
from console.backend.ops.contacts import name_key
from console.backend.ops.participants import (
    GROUP_SMS,
    group_status,
    participant_rows,
    snapshot_columns,
)
from console.backend.security import hash_password
from console.backend.seed_data import (
    CONTACTS,
    GROUP_CHATS,
    NUMBERS,
    STAFF,
    THREADS,
    GroupChatSeed,
    ThreadSeed,
)
from console.backend.seed_groups import seed_groups
from console.domain.group_chat import participant_key
from console.domain.messages import Direction, MessageStatus, preview_of
from console.domain.opt_out import Keyword, classify_keyword
from console.domain.phones import parse_phone
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PASSWORD

SEED = 20241118
MESSAGE_GAP = timedelta(minutes=7)


def seed_demo(db: Database) -> bool:
    """Seed if the database has no users yet; True if it did."""
    with db.writing() as session:
        if session.scalar(select(func.count()).select_from(models.User)):
            return False
        _seed(session, random.Random(SEED), utcnow())
    return True


def _seed(session: Session, rng: random.Random, now: datetime) -> None:
    # argon2 is slow on purpose: hash each distinct password once.
    admin_hash, shared_hash = hash_password(DEMO_ADMIN_PASSWORD), hash_password(DEMO_PASSWORD)
    staff: dict[str, models.User] = {}
    for seed in STAFF:
        user = models.User(
            id=new_id("usr", rng), email=seed.email, name=seed.name, role=seed.role,
            data_access=seed.data_access,
            password_hash=admin_hash if seed.email == DEMO_ADMIN_EMAIL else shared_hash,
            created_at=now - timedelta(days=90), updated_at=now - timedelta(days=90),
        )
        session.add(user)
        staff[seed.key] = user
    session.flush()
    for user in staff.values():
        events.user_changed(session, user)

    lines: dict[str, models.BusinessNumber] = {}
    for number_seed in NUMBERS:
        number = models.BusinessNumber(
            id=new_id("num", rng), e164=parse_phone(number_seed.e164), label=number_seed.label,
            is_default=number_seed.is_default,
            assigned_user_id=staff[number_seed.assigned_to].id if number_seed.assigned_to
            else None,
            created_at=now - timedelta(days=80), updated_at=now - timedelta(days=80),
        )
        session.add(number)
        lines[number_seed.key] = number
    session.flush()
    for number in lines.values():
        events.number_changed(session, number)

    people: dict[str, models.Contact] = {}
    for contact_seed in CONTACTS:
        created = now - timedelta(days=rng.randint(10, 60), minutes=rng.randint(0, 1440))
        contact = models.Contact(
            id=new_id("con", rng), name=contact_seed.name, name_key=name_key(contact_seed.name),
            email=contact_seed.email, dnd=contact_seed.dnd,
            assigned_user_id=staff[contact_seed.assigned_to].id if contact_seed.assigned_to
            else None,
            created_at=created, updated_at=created,
        )
        numbers = [(contact_seed.phone, "primary")]
        if contact_seed.secondary:
            numbers.append((contact_seed.secondary, "secondary"))
        contact.phones = [
            models.ContactPhone(number=parse_phone(number), label=label, position=position)
            for position, (number, label) in enumerate(numbers)
        ]
        phone_claims.claim(contact)
        session.add(contact)
        people[contact_seed.name] = contact
    session.flush()
    for contact in people.values():
        events.contact_changed(session, contact)

    for thread in THREADS:
        _seed_thread(session, rng, now, thread, people[thread.contact], lines[thread.line],
                     staff)
    seed_groups(session, rng, now, people, staff)
    for chat in GROUP_CHATS:
        _seed_group_chat(session, rng, now, chat, people, lines[chat.line], staff)
    audited = set(session.scalars(select(models.DndChange.contact_id)))
    for contact in people.values():
        if contact.dnd and contact.id not in audited:
            dnd.audit(session, contact, False, True, source=dnd.SOURCE_SEED,
                      at=contact.created_at)


def _seed_thread(
    session: Session,
    rng: random.Random,
    now: datetime,
    thread: ThreadSeed,
    contact: models.Contact,
    line: models.BusinessNumber,
    staff: dict[str, models.User],
) -> None:
    phone = contact.phones[0].number
    last_at = now - timedelta(hours=thread.hours_ago)
    first_at = last_at - MESSAGE_GAP * (len(thread.lines) - 1)
    conversation = models.Conversation(
        id=new_id("cnv", rng), kind="direct", title=contact.name, number_id=line.id,
        contact_id=contact.id, phone=phone, status="active", blocked_reason=None,
        last_message_at=last_at, last_message_preview=preview_of(thread.lines[-1][1]),
        unread_count=thread.unread, created_at=first_at, updated_at=last_at,
    )
    session.add(conversation)
    session.flush()
    unread_from = len(thread.lines) - thread.unread
    rows: list[models.Message] = []
    for index, (direction, text) in enumerate(thread.lines):
        at = first_at + MESSAGE_GAP * index + timedelta(seconds=rng.randint(0, 50))
        at = min(at, last_at) if index == len(thread.lines) - 1 else at
        inbound = direction == Direction.IN
        message = models.Message(
            id=new_id("msg", rng), conversation_id=conversation.id,
            direction=Direction.IN if inbound else Direction.OUT,
            author_user_id=None if inbound else staff[thread.author].id,
            author_contact_id=contact.id if inbound else None,
            body=text,
            status=MessageStatus.RECEIVED if inbound else MessageStatus.DELIVERED,
            from_number=phone if inbound else line.e164,
            to_number=line.e164 if inbound else phone,
            read_at=at if inbound and index < unread_from else None,
            created_at=at, updated_at=at,
        )
        session.add(message)
        rows.append(message)
    conversation.last_message_at = rows[-1].created_at
    session.flush()
    events.conversation_changed(session, conversation)
    for message in rows:
        events.message_changed(session, message, conversation)


def _seed_group_chat(
    session: Session,
    rng: random.Random,
    now: datetime,
    chat: GroupChatSeed,
    people: dict[str, models.Contact],
    line: models.BusinessNumber,
    staff: dict[str, models.User],
) -> None:
    """A group SMS chat made before anyone in it had DND on; a STOP in its history is what
    turned that participant's DND on (audited so)."""
    members = [
        (people[name], next(p.number for p in people[name].phones if p.label == label))
        for name, label in chat.participants
    ]
    phone_of = {contact.name: phone for contact, phone in members}
    last_at = now - timedelta(hours=chat.hours_ago)
    first_at = last_at - MESSAGE_GAP * (len(chat.lines) - 1)
    conversation = models.Conversation(
        id=new_id("cnv", rng), kind=GROUP_SMS, title=chat.title, number_id=line.id,
        contact_id=None, phone=None, status="active", blocked_reason=None,
        last_message_at=last_at,
        last_message_preview=preview_of(chat.lines[-1][1]),
        unread_count=chat.unread, participant_key=participant_key((c.id, p) for c, p in members),
        created_at=first_at - timedelta(minutes=2), updated_at=last_at,
    )
    session.add(conversation)
    session.flush()
    session.add_all(
        models.GroupChatParticipant(
            conversation_id=conversation.id, position=position, contact_id=contact.id,
            phone=phone, **snapshot_columns(contact),
        )
        for position, (contact, phone) in enumerate(members)
    )
    unread_from = len(chat.lines) - chat.unread
    rows: list[models.Message] = []
    for index, (who, text) in enumerate(chat.lines):
        at = first_at + MESSAGE_GAP * index + timedelta(seconds=rng.randint(0, 50))
        at = min(at, last_at) if index == len(chat.lines) - 1 else at
        inbound = who != Direction.OUT
        message = models.Message(
            id=new_id("msg", rng), conversation_id=conversation.id,
            direction=Direction.IN if inbound else Direction.OUT,
            author_user_id=None if inbound else staff[chat.author].id,
            author_contact_id=people[who].id if inbound else None,
            body=text,
            status=MessageStatus.RECEIVED if inbound else MessageStatus.DELIVERED,
            from_number=phone_of[who] if inbound else line.e164,
            to_number=line.e164 if inbound else "",
            read_at=at if inbound and index < unread_from else None,
            created_at=at, updated_at=at,
        )
        session.add(message)
        rows.append(message)
        if inbound and classify_keyword(text) is Keyword.OPT_OUT and people[who].dnd:
            session.flush()
            dnd.audit(session, people[who], False, True, source=dnd.SOURCE_KEYWORD,
                      message_id=message.id, at=at)
    conversation.last_message_at = rows[-1].created_at
    session.flush()
    pairs = participant_rows(session, [conversation.id])[conversation.id]
    conversation.status, conversation.blocked_reason = group_status(pairs)
    events.conversation_changed(session, conversation)
    for message in rows:
        events.message_changed(session, message, conversation)
