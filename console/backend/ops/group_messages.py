"""Group messages: sent at once to the group's members of that instant, in-app; never cancelled.

Sending writes, in one transaction: the group message, its recipients (the snapshot that makes
someone added later never receive it), each recipient's in-app conversation (created on first
need), one message in each, their change-feed events, and one notification job. A 10,000-member
send is bulk Core statements (see PERFORMANCE.md), never the ORM unit of work.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    and_,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from console.backend import events, jobs, models
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops.groups import find_group
from console.backend.ops.in_app import (
    IN_APP,
    NO_NUMBER,
    conversation_id_for,
    insert_ignoring_existing,
    new_conversation_row,
    preview_of,
)
from console.backend.ops.users import require_user_id
from console.backend.views import conversation_view, message_view
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.domain.groups import normalize_title
from console.domain.messages import Direction, MessageStatus, normalize_body
from console.protocol.group_messages import GroupMessage, GroupMessageCreate, GroupMessageStats

UPSERTED = "group_message.upserted"
NOTIFY_JOB = "group_message.notify"


# --- views and events ---


def stats_of(session: Session, ids: Sequence[str]) -> dict[str, GroupMessageStats]:
    if not ids:
        return {}
    r = models.GroupMessageRecipient
    rows = session.execute(
        select(
            r.group_message_id, func.count(), func.count(r.delivered_at), func.count(r.read_at),
            func.count(r.replied_at),
        )
        .where(r.group_message_id.in_(list(ids)))
        .group_by(r.group_message_id)
    ).all()
    out = {message_id: GroupMessageStats() for message_id in ids}
    for message_id, recipients, delivered, read, replied in rows:
        out[message_id] = GroupMessageStats(
            recipients=recipients, delivered=delivered, read=read, replied=replied
        )
    return out


def group_message_view(row: models.GroupMessage, stats: GroupMessageStats) -> GroupMessage:
    return GroupMessage(
        id=row.id, group_id=row.group_id, sender_user_id=row.sender_user_id, title=row.title,
        body=row.body, recipient_count=row.recipient_count, sent_at=row.sent_at, stats=stats,
        created_by_user_id=row.created_by_user_id,
    )


def views_of(session: Session, rows: Sequence[models.GroupMessage]) -> list[GroupMessage]:
    stats = stats_of(session, [row.id for row in rows])
    return [group_message_view(row, stats[row.id]) for row in rows]


def group_message_changed(session: Session, row: models.GroupMessage) -> None:
    # No contact: every user's feed gets it (the counts name nobody).
    events.record(session, UPSERTED, row.id, views_of(session, [row])[0])


def reached_by(actor: Actor) -> ColumnElement[bool] | None:
    """SQL condition on `models.GroupMessage` for what `actor` may see (None: everything): an
    assigned-only user sees the group messages that reached one of their contacts."""
    if not actor.assigned_only:
        return None
    return models.GroupMessage.id.in_(reaching_contacts_of(actor.user_id))


def reaching_contacts_of(user_id: str) -> Select[str]:
    """The ids of the group messages that reached a contact assigned to `user_id`.

    Uncorrelated on purpose: evaluated once per list query, not once per row.
    """
    r = models.GroupMessageRecipient
    return select(r.group_message_id).where(r.contact_id.in_(owned_contacts(user_id)))


def owned_contacts(user_id: str) -> Select[str]:
    """The ids of the contacts assigned to `user_id` (ix_contacts_assigned_user_id)."""
    return select(models.Contact.id).where(models.Contact.assigned_user_id == user_id)


def find_group_message(
    session: Session, group_message_id: str, actor: Actor | None = None
) -> models.GroupMessage:
    """The group message; 404 if unknown or (with `actor`) not theirs to see."""
    query = select(models.GroupMessage).where(models.GroupMessage.id == group_message_id)
    condition = reached_by(actor) if actor is not None else None
    if condition is not None:
        query = query.where(condition)
    row = session.scalars(query).first()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No group message {group_message_id!r}.")
    return row


def newest_first() -> Any:
    return (models.GroupMessage.sent_at.desc(), models.GroupMessage.id.desc())


def older_than(query: Any, sent_at: datetime, group_message_id: str) -> Any:
    gm = models.GroupMessage
    return query.where(
        or_(gm.sent_at < sent_at, and_(gm.sent_at == sent_at, gm.id < group_message_id))
    )


# --- sending ---


def send(
    session: Session,
    actor: Actor,
    data: GroupMessageCreate,
    *,
    notify_channels: Sequence[str] = (),
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> models.GroupMessage:
    """Send to every live member of the group now. `rng` makes ids deterministic (demo seed)."""
    group = find_group(session, data.group_id)
    require_user_id(session, data.sender_user_id, "sender_user_id")  # and active
    title, body = normalize_title(data.title), normalize_body(data.body)
    # The members' owners label the recipients' threads: read them in the feed's write turn,
    # after any reassignment committed meanwhile (events.owner_now).
    events.prepare_write(session)
    members = session.execute(
        select(models.Contact.id, models.Contact.name, models.Contact.assigned_user_id)
        .join(models.GroupMember, models.GroupMember.contact_id == models.Contact.id)
        .where(models.GroupMember.group_id == group.id, models.Contact.deleted_at.is_(None))
        .order_by(models.Contact.id)
    ).all()
    if not members:
        raise DomainError(ErrorCode.VALIDATION_ERROR, f"group {group.name!r} has no members")
    if actor.assigned_only and any(owner != actor.user_id for _, _, owner in members):
        raise DomainError(
            ErrorCode.CONTACT_NOT_ASSIGNED,
            "With assigned-only access you can message only groups whose members are all "
            "assigned to you.",
        )
    at = now or utcnow()
    row = models.GroupMessage(
        id=new_id("gms", rng), group_id=group.id, sender_user_id=data.sender_user_id,
        created_by_user_id=actor.user_id, title=title, body=body, recipient_count=len(members),
        sent_at=at,
    )
    session.add(row)
    session.flush()
    _deliver_in_app(session, row, [(m[0], m[1], m[2]) for m in members], rng)
    group_message_changed(session, row)
    if notify_channels:
        jobs.enqueue(
            session, NOTIFY_JOB, {"group_message_id": row.id, "channels": list(notify_channels)}
        )
    return row


def _table(model: type[models.Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _deliver_in_app(
    session: Session,
    row: models.GroupMessage,
    members: list[tuple[str, str, str | None]],
    rng: random.Random | None,
) -> None:
    """One message in each recipient's in-app conversation, with its feed events."""
    at, connection = row.sent_at, session.connection()
    threads = {contact_id: conversation_id_for(contact_id) for contact_id, _, _ in members}
    known = _known_threads(connection, row.group_id, set(threads.values()))
    preview = preview_of(row.body)
    fresh = [
        {**new_conversation_row(contact_id, name, at), "last_message_at": at,
         "last_message_preview": preview}
        for contact_id, name, _ in members if threads[contact_id] not in known
    ]
    if fresh:
        connection.execute(insert_ignoring_existing(session, _table(models.Conversation)), fresh)
    messages: list[dict[str, Any]] = [
        {
            "id": new_id("msg", rng), "conversation_id": threads[contact_id],
            "direction": Direction.OUT.value, "author_user_id": row.sender_user_id,
            "author_contact_id": None, "body": row.body, "status": MessageStatus.SENT.value,
            "error_code": None, "from_number": NO_NUMBER, "to_number": NO_NUMBER,
            "client_key": None, "read_at": None, "created_at": at, "updated_at": at,
        }
        for contact_id, _, _ in members
    ]
    connection.execute(insert(_table(models.Message)), messages)
    connection.execute(
        insert(_table(models.GroupMessageRecipient)),
        [
            {
                "group_message_id": row.id, "contact_id": contact_id,
                "conversation_id": message["conversation_id"], "message_id": message["id"],
                "sent_at": at,
            }
            for (contact_id, _, _), message in zip(members, messages, strict=True)
        ],
    )
    if known:
        conversation = models.Conversation
        current_name = (
            select(models.Contact.name)
            .where(models.Contact.id == conversation.contact_id)
            .scalar_subquery()
        )
        recipients = select(models.GroupMessageRecipient.conversation_id).where(
            models.GroupMessageRecipient.group_message_id == row.id
        )
        connection.execute(
            update(conversation)
            .where(conversation.id.in_(recipients))
            .values(
                title=current_name, last_message_at=at, last_message_preview=preview,
                updated_at=at,
            )
        )
    events.record_many(session, _feed(row, members, threads, known, messages))


_PER_THREAD = ("unread_count", "status", "blocked_reason")


def _known_threads(
    connection: Connection, group_id: str, ids: set[str]
) -> dict[str, dict[str, Any]]:
    """The members' in-app conversations that exist, with what differs between them (one join
    on the contact index; a 10,000-id IN list would be slow on PostgreSQL)."""
    conversation = models.Conversation
    rows = connection.execute(
        select(conversation.id, *(getattr(conversation, c) for c in _PER_THREAD))
        .join(models.GroupMember, models.GroupMember.contact_id == conversation.contact_id)
        .where(models.GroupMember.group_id == group_id, conversation.kind == IN_APP)
    ).all()
    return {r.id: dict(zip(_PER_THREAD, r[1:], strict=True)) for r in rows if r.id in ids}


def _feed(
    row: models.GroupMessage,
    members: list[tuple[str, str, str | None]],
    threads: dict[str, str],
    known: dict[str, dict[str, Any]],
    messages: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Every thread's event, then every message's (a reader never holds a message of a thread
    it lacks). 20,000 wire views would cost more than the inserts, so each kind is viewed once
    by the real view function and the copies differ only in the fields that vary per person
    (in-app threads: never participants or opt-out marks)."""
    at = row.sent_at
    first_id, first_name, _ = members[0]
    sample = models.Conversation(**{
        **new_conversation_row(first_id, first_name, at), "last_message_at": at,
        "last_message_preview": preview_of(row.body),
    })
    thread_view = conversation_view(sample).model_dump(mode="json")
    message_template = message_view(models.Message(**messages[0])).model_dump(mode="json")
    owners = {contact_id: owner for contact_id, _, owner in members}
    feed = [
        _event(
            "conversation.upserted",
            {**thread_view, **known.get(threads[contact_id], {}), "id": threads[contact_id],
             "title": name, "contact_id": contact_id},
            contact_id, owners[contact_id], at,
        )
        for contact_id, name, _ in members
    ]
    feed += [
        _event(
            "message.upserted",
            {**message_template, "id": message["id"],
             "conversation_id": message["conversation_id"]},
            contact_id, owners[contact_id], at,
        )
        for (contact_id, _, _), message in zip(members, messages, strict=True)
    ]
    return feed


def _event(
    type_: str, data: dict[str, Any], contact_id: str, owner: str | None, at: datetime
) -> dict[str, Any]:
    return {
        "type": type_, "entity_id": data["id"], "data": data, "contact_id": contact_id,
        "number_id": None, "owner_user_id": owner, "admin_only": False, "created_at": at,
    }


# --- the person's side moves the stats ---


def note_progress(
    session: Session,
    message_ids: Sequence[str],
    *,
    delivered: bool = False,
    read: bool = False,
    now: datetime | None = None,
) -> None:
    """The person's app fetched (`delivered`) or showed (`read`) these messages: move the
    stats of the group messages they came from. Reading implies delivery."""
    if not message_ids:
        return
    at = now or utcnow()
    r = models.GroupMessageRecipient
    touched: set[str] = set()
    for recipient in session.scalars(select(r).where(r.message_id.in_(list(message_ids)))):
        moved = False
        if (delivered or read) and recipient.delivered_at is None:
            recipient.delivered_at, moved = at, True
        if read and recipient.read_at is None:
            recipient.read_at, moved = at, True
        if moved:
            touched.add(recipient.group_message_id)
    session.flush()
    for group_message_id in sorted(touched):
        group_message_changed(session, session.get_one(models.GroupMessage, group_message_id))


def note_reply(session: Session, contact_id: str, at: datetime) -> None:
    """A reply from the person counts for the latest group message they received (once)."""
    r = models.GroupMessageRecipient
    latest = session.scalars(
        select(r).where(r.contact_id == contact_id).order_by(r.sent_at.desc()).limit(1)
    ).first()
    if latest is None or latest.replied_at is not None:
        return
    latest.replied_at = at
    # Replying means they got it and saw it.
    latest.delivered_at = latest.delivered_at or at
    latest.read_at = latest.read_at or at
    message = session.get(models.Message, latest.message_id)
    if message is not None and (message.read_at is None or message.status != "delivered"):
        message.status, message.read_at = MessageStatus.DELIVERED, message.read_at or at
        message.updated_at = at
        session.flush()
        events.message_changed(
            session, message, session.get_one(models.Conversation, message.conversation_id)
        )
    session.flush()
    group_message_changed(session, session.get_one(models.GroupMessage, latest.group_message_id))
