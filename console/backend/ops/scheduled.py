"""Scheduled sends: a message or group message kept until its `send_at`, then sent by a job.

Scheduling checks the rules a send would check now (a schedule that could not go today is
refused today), and the job checks them again when it fires: Do Not Disturb, the author's
access, a blocked group chat. What can no longer go is `failed` with the rule's code and
sentence; its author's console hears it through the feed (`scheduled.upserted`, theirs only).

Exactly once: the job and the send share one transaction that first locks the scheduled row
(FOR UPDATE on PostgreSQL; SQLite's single writer) and goes on only while it is `scheduled`
with the version the job was queued for. A second run (a lease taken over from a process that
died, another serve process) finds it `sent` and does nothing; an edit moves the version, so
the job of the earlier time does nothing and the edit's own job sends it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from console.backend import events, jobs, models
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops import group_messages, messages
from console.backend.ops.conversations import find_conversation
from console.backend.ops.templates import require_known_fields
from console.backend.views import actor_of
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.domain.groups import normalize_title
from console.domain.messages import normalize_body
from console.protocol.group_messages import GroupMessageCreate
from console.protocol.scheduled import ScheduledSend, ScheduledSendPatch

SCHEDULED_JOB = "scheduled.send"
SCHEDULED, SENT, FAILED, CANCELLED = "scheduled", "sent", "failed", "cancelled"
MESSAGE, GROUP_MESSAGE = "message", "group_message"
# How far ahead a send may be scheduled.
MAX_AHEAD = timedelta(days=366)
# A job runs a little early only by the clocks of two machines: then it waits the rest.
EARLY_SLACK = timedelta(milliseconds=50)


def check_send_at(send_at: datetime, now: datetime | None = None) -> datetime:
    """`send_at` as UTC, refused unless it carries an offset and lies in the next year."""
    if send_at.tzinfo is None or send_at.utcoffset() is None:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            "send_at: give the time with its offset (RFC 3339, e.g. 2027-01-05T09:00:00-05:00).",
        )
    now = now or utcnow()
    try:
        at = send_at.astimezone(now.tzinfo)
    except OverflowError:  # 9999-12-31T23:00-05:00 is past what a datetime holds in UTC
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, "send_at: a send can be scheduled at most a year ahead."
        ) from None
    if at <= now:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, "send_at: that time has passed; choose a later one."
        )
    if at > now + MAX_AHEAD:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, "send_at: a send can be scheduled at most a year ahead."
        )
    return at


def view(row: models.ScheduledSend) -> ScheduledSend:
    return ScheduledSend.model_validate(row)


def changed(session: Session, row: models.ScheduledSend) -> None:
    """Its author's feed hears every change (no one else's: it is theirs until it goes)."""
    session.flush()
    events.record(
        session, events.SCHEDULED_UPSERTED, row.id, view(row),
        owner_user_id=row.user_id, only_user_id=row.user_id,
    )


def _add(session: Session, row: models.ScheduledSend) -> models.ScheduledSend:
    session.add(row)
    session.flush()
    jobs.enqueue(session, SCHEDULED_JOB, _job(row), run_at=row.send_at)
    changed(session, row)
    return row


def _job(row: models.ScheduledSend) -> dict[str, object]:
    return {"id": row.id, "version": row.version}


def schedule_message(
    session: Session, actor: Actor, conversation_id: str, body: str, send_at: datetime
) -> models.ScheduledSend:
    at = check_send_at(send_at)
    conversation = find_conversation(session, actor, conversation_id)
    text = normalize_body(body)
    _dry_run(session, lambda: messages.send(session, actor, conversation.id, text, None))
    now = utcnow()
    return _add(session, models.ScheduledSend(
        id=new_id("sch"), user_id=actor.user_id, kind=MESSAGE, conversation_id=conversation.id,
        body=text, send_at=at, status=SCHEDULED, version=1, created_at=now, updated_at=now,
    ))


def schedule_group_message(
    session: Session, actor: Actor, data: GroupMessageCreate, send_at: datetime
) -> models.ScheduledSend:
    at = check_send_at(send_at)
    group, title, body, _members = group_messages.check(session, actor, data)
    now = utcnow()
    return _add(session, models.ScheduledSend(
        id=new_id("sch"), user_id=actor.user_id, kind=GROUP_MESSAGE, group_id=group.id,
        sender_user_id=data.sender_user_id, title=title, body=body, send_at=at,
        status=SCHEDULED, version=1, merge_fields=data.merge_fields, created_at=now,
        updated_at=now,
    ))


def _dry_run(session: Session, send: Callable[[], object]) -> None:
    """Run a send in a savepoint and roll it back: only its refusal (DomainError) is kept."""
    # The feed's write turn first, outside the savepoint: PostgreSQL lets go of a lock taken
    # inside one when it rolls back, and the turn must last until this commits.
    events.prepare_write(session)
    savepoint = session.begin_nested()
    try:
        send()
    finally:
        savepoint.rollback()


def mine(actor: Actor) -> Select[models.ScheduledSend]:
    return (
        select(models.ScheduledSend)
        .where(models.ScheduledSend.user_id == actor.user_id)
        .order_by(models.ScheduledSend.send_at, models.ScheduledSend.id)
    )


def not_found(scheduled_id: str) -> DomainError:
    # Someone else's is as unknown as one that never was.
    return DomainError(ErrorCode.NOT_FOUND, f"No scheduled send {scheduled_id!r}.")


def find_mine(session: Session, actor: Actor, scheduled_id: str) -> models.ScheduledSend:
    events.prepare_write(session)  # the feed's turn, then the row: the order fire() takes
    row = session.get(models.ScheduledSend, scheduled_id, with_for_update=True)
    if row is None or row.user_id != actor.user_id:
        raise not_found(scheduled_id)
    return row


def _still_scheduled(row: models.ScheduledSend) -> None:
    if row.status == SCHEDULED:
        return
    what = {SENT: "it was sent", FAILED: "it failed when its time came",
            CANCELLED: "it was cancelled"}.get(row.status, row.status)
    raise DomainError(
        ErrorCode.NOT_CANCELLABLE, f"This scheduled send can no longer change: {what}."
    )


def edit(
    session: Session, actor: Actor, scheduled_id: str, patch: ScheduledSendPatch
) -> models.ScheduledSend:
    row = find_mine(session, actor, scheduled_id)
    _still_scheduled(row)
    if patch.title is not None and row.kind != GROUP_MESSAGE:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "title: only a group message has a title.")
    if patch.merge_fields is not None and row.kind != GROUP_MESSAGE:
        raise DomainError(ErrorCode.VALIDATION_ERROR,
                          "merge_fields: only a group message fills merge fields.")
    if patch.merge_fields is not None:
        row.merge_fields = patch.merge_fields
    if patch.send_at is not None:
        row.send_at = check_send_at(patch.send_at)
    if patch.body is not None:
        row.body = normalize_body(patch.body)
    if row.merge_fields:  # the text as it now stands, fields as they now are
        require_known_fields(row.body, "body")
    if patch.title is not None:
        row.title = normalize_title(patch.title)
    row.version += 1
    row.updated_at = utcnow()
    session.flush()
    # The earlier job finds the version moved and does nothing; this one sends it.
    jobs.enqueue(session, SCHEDULED_JOB, _job(row), run_at=row.send_at)
    changed(session, row)
    return row


def cancel(session: Session, actor: Actor, scheduled_id: str) -> models.ScheduledSend:
    row = find_mine(session, actor, scheduled_id)
    if row.status == CANCELLED:
        return row  # a retried cancel: done already
    _still_scheduled(row)
    row.status = CANCELLED
    row.version += 1
    row.updated_at = utcnow()
    changed(session, row)
    return row


def fire(
    session: Session, scheduled_id: str, version: int, *, notify_channels: list[str]
) -> float | None:
    """Send it if it is still due under `version`. Returns seconds to wait when it is not due
    yet (this machine's clock is behind the one that queued it), else None."""
    # The feed's write turn first: before the row (the order edit and cancel take: no
    # deadlock between them) and outside the savepoint below (PostgreSQL lets go of a lock
    # taken inside one that rolls back, while the session would think it still held it).
    events.prepare_write(session)
    row = session.get(models.ScheduledSend, scheduled_id, with_for_update=True)
    if row is None or row.status != SCHEDULED or row.version != version:
        return None  # sent, cancelled or edited meanwhile
    now = utcnow()
    if row.send_at - now > EARLY_SLACK:
        return (row.send_at - now).total_seconds()
    try:
        with session.begin_nested():
            row.result_id = _send(session, row, notify_channels)
    except DomainError as refused:
        row.status, row.error_code = FAILED, refused.code.value
        row.error_detail = refused.detail
    else:
        row.status = SENT
    row.updated_at = utcnow()
    changed(session, row)
    return None


def give_up(session: Session, scheduled_id: str, reason: str) -> None:
    """Its job failed for good in a way no rule explains (the database away through every
    retry, a bug): it is failed, not left scheduled with its time past, and its author is
    told like any failure."""
    events.prepare_write(session)
    row = session.get(models.ScheduledSend, scheduled_id, with_for_update=True)
    if row is None or row.status != SCHEDULED:
        return
    row.status, row.error_code = FAILED, ErrorCode.INTERNAL_ERROR.value
    row.error_detail = f"It could not be sent at its time ({reason[:200]})."
    row.updated_at = utcnow()
    changed(session, row)


def _send(session: Session, row: models.ScheduledSend, notify_channels: list[str]) -> str:
    author = session.get(models.User, row.user_id)
    if author is None or author.deactivated_at is not None:
        raise DomainError(
            ErrorCode.USER_DEACTIVATED, "Its author's account was deactivated; nothing was sent."
        )
    actor = actor_of(author)
    if row.kind == GROUP_MESSAGE:
        data = GroupMessageCreate(
            group_id=row.group_id or "", sender_user_id=row.sender_user_id or "",
            title=row.title or "", body=row.body, merge_fields=row.merge_fields,
        )
        return group_messages.send(session, actor, data, notify_channels=notify_channels).id
    return messages.send(session, actor, row.conversation_id or "", row.body, None).id
