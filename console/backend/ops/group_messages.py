"""Group messages: sent at once to the group's members of that instant, in-app; never cancelled.

Sending writes, in one transaction: the group message, its recipients (the snapshot that makes
someone added later never receive it), each recipient's in-app conversation (created on first
need), one message in each, their change-feed events, and one notification job. Each of those
sets is one INSERT ... SELECT whatever the group's size (console.backend.ops.group_message_fanout),
never the ORM unit of work nor a row per recipient in Python.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from console.backend import events, jobs, models
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops import group_message_fanout as fanout
from console.backend.ops.groups import find_group
from console.backend.ops.in_app import NO_NUMBER
from console.backend.ops.templates import require_known_fields
from console.backend.ops.users import require_user_id
from console.domain import merge_fields
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.domain.groups import normalize_title
from console.domain.messages import Direction, MessageStatus, normalize_body
from console.protocol.group_messages import GroupMessage, GroupMessageCreate, GroupMessageStats

UPSERTED = "group_message.upserted"
NOTIFY_JOB = "group_message.notify"
# The notifications a group message fans out to (deliveries.channel), and the state of one that
# failed for good (deliveries.py FAILED: that module imports this one).
NOTIFICATION_CHANNELS = ("email", "push")
DELIVERY_FAILED = "failed"


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
    d = models.Delivery
    failed = session.execute(
        select(d.group_message_id, func.count())
        .where(
            d.group_message_id.in_(list(ids)),
            d.channel.in_(NOTIFICATION_CHANNELS),
            d.state == DELIVERY_FAILED,
        )
        .group_by(d.group_message_id)
    ).all()
    failures: dict[str, int] = {str(message_id): count for message_id, count in failed}
    out = {
        message_id: GroupMessageStats(notification_failures=failures.get(message_id, 0))
        for message_id in ids
    }
    for message_id, recipients, delivered, read, replied in rows:
        out[message_id] = GroupMessageStats(
            recipients=recipients, delivered=delivered, read=read, replied=replied,
            notification_failures=failures.get(message_id, 0),
        )
    return out


def group_message_view(row: models.GroupMessage, stats: GroupMessageStats) -> GroupMessage:
    return GroupMessage(
        id=row.id, group_id=row.group_id, sender_user_id=row.sender_user_id, title=row.title,
        body=row.body, recipient_count=row.recipient_count, sent_at=row.sent_at, stats=stats,
        created_by_user_id=row.created_by_user_id,
        quiet_hours_override=row.quiet_hours_override,
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


def check(
    session: Session, actor: Actor, data: GroupMessageCreate
) -> tuple[models.AudienceGroup, str, str, int]:
    """What a send checks before it writes: the group, its sender, the text, and that the
    actor may message every member. Returns the group, title, body and member count."""
    group = find_group(session, data.group_id)
    require_user_id(session, data.sender_user_id, "sender_user_id")  # and active
    title, body = normalize_title(data.title), normalize_body(data.body)
    if data.merge_fields:
        require_known_fields(body, "body")
    # Membership, deletions and the members' owners (who label the recipients' threads) all
    # change only with a feed event, so from the feed's write turn on they hold still until
    # this commits: every statement below sees the same members (events.owner_now).
    events.prepare_write(session)
    members, not_theirs = fanout.count_members(session, group.id, actor.user_id)
    if not members:
        raise DomainError(ErrorCode.VALIDATION_ERROR, f"group {group.name!r} has no members")
    if actor.assigned_only and not_theirs:
        raise DomainError(
            ErrorCode.CONTACT_NOT_ASSIGNED,
            "With assigned-only access you can message only groups whose members are all "
            "assigned to you.",
        )
    return group, title, body, members


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
    group, title, body, members = check(session, actor, data)
    at = now or utcnow()
    row_id, prefix = new_id("gms", rng), fanout.message_id_prefix(rng)
    bodies = _merged_bodies(session, group.id, body, data.sender_user_id) \
        if data.merge_fields and merge_fields.uses_fields(body) else None
    merged = bodies is not None
    new_threads = fanout.create_missing_threads(
        session, group.id, body, at, with_events=not merged
    )
    fanout.touch_threads(session, group.id, body, at)
    written = fanout.write_messages(
        session, group.id, prefix, sender_user_id=data.sender_user_id, body=body, at=at
    )
    if bodies is not None:
        fanout.personalize(session, group.id, prefix, bodies)
    row = models.GroupMessage(
        id=row_id, group_id=group.id, sender_user_id=data.sender_user_id,
        created_by_user_id=actor.user_id, title=title, body=body, recipient_count=written,
        sent_at=at, quiet_hours_override=data.quiet_hours_override,
    )
    session.add(row)
    session.flush()
    recipients = fanout.write_recipients(session, row.id, group.id, prefix, at)
    if not members == written == recipients:  # a thread or a message went missing
        raise RuntimeError(f"{members} members, {written} messages, {recipients} recipients")
    fanout.record_feed(
        session, row.id, _sample_message(prefix, data.sender_user_id, body, at), at,
        new_threads=new_threads, merged=merged,
    )
    group_message_changed(session, row)
    if notify_channels:
        jobs.enqueue(
            session, NOTIFY_JOB, {"group_message_id": row.id, "channels": list(notify_channels)}
        )
    return row


def _merged_bodies(
    session: Session, group_id: str, body: str, sender_user_id: str
) -> dict[str, str]:
    """Each member's own copy of a body with merge fields, by contact id: their first and
    last name, the sender's name as `{agent_name}`. `{business_number}` is left empty: a
    group message's copy is an in-app message, sent from no number (in_app.NO_NUMBER)."""
    sender = session.get(models.User, sender_user_id)
    agent_name = sender.name if sender is not None else None
    bodies: dict[str, str] = {}
    for contact_id, name in fanout.member_names(session, group_id):
        text = merge_fields.render(body, merge_fields.person_values(
            name, agent_name=agent_name, business_number=None,
        )).text.strip()
        if not text:  # nothing but fields this person has no value for
            raise DomainError(
                ErrorCode.VALIDATION_ERROR,
                f"body: the text for {name or contact_id!r} would be empty (the fields it "
                "uses have no value for them); add some words around them.",
            )
        bodies[contact_id] = text
    return bodies


def _sample_message(prefix: str, sender_user_id: str, body: str, at: datetime) -> dict[str, Any]:
    """One recipient's copy as a Message row's columns (the feed's template)."""
    return {
        "id": f"{prefix}000000", "conversation_id": "cnv_sample",
        "direction": Direction.OUT.value, "author_user_id": sender_user_id,
        "author_contact_id": None, "body": body, "status": MessageStatus.SENT.value,
        "error_code": None, "from_number": NO_NUMBER, "to_number": NO_NUMBER,
        "client_key": None, "read_at": None, "created_at": at, "updated_at": at,
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


def note_reply(session: Session, contact_id: str, at: datetime) -> models.GroupMessage | None:
    """A reply from the person counts for the latest group message they received (once): that
    group message, or None when the reply counts for none (none received, or already
    answered)."""
    r = models.GroupMessageRecipient
    latest = session.scalars(
        select(r).where(r.contact_id == contact_id).order_by(r.sent_at.desc()).limit(1)
    ).first()
    if latest is None or latest.replied_at is not None:
        return None
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
    answered = session.get_one(models.GroupMessage, latest.group_message_id)
    group_message_changed(session, answered)
    return answered
