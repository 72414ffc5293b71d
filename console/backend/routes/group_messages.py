"""Group messages: send to a group's members of this instant; list, read. Never cancelled."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import deliveries, models
from console.backend.auth import BackendDep, CallerDep
from console.backend.idempotency import Created, IdempotencyKeyHeader, create_once, fingerprint
from console.backend.ops import group_messages as ops
from console.backend.ops import scheduled as scheduled_ops
from console.backend.ops.group_message_recipients import recipients_page
from console.backend.ops.integrations import deliveries_page
from console.backend.pagination import (
    DEFAULT_PAGE,
    CursorParam,
    LimitParam,
    decode_cursor,
    encode_cursor,
    split_page,
)
from console.backend.problems import problem_responses
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.protocol.common import Page
from console.protocol.deliveries import Delivery
from console.protocol.group_message_recipients import GroupMessageRecipient
from console.protocol.group_messages import GroupMessage, GroupMessageCreate
from console.protocol.scheduled import ScheduledSend

router = APIRouter(tags=["group messages"], responses=problem_responses(ErrorCode.UNAUTHORIZED))

IdPath = Annotated[str, Path(min_length=1, max_length=64)]


@router.post(
    "/v1/group-messages",
    status_code=201,
    responses=problem_responses(
        ErrorCode.NOT_FOUND, ErrorCode.VALIDATION_ERROR, ErrorCode.CONTACT_NOT_ASSIGNED,
        ErrorCode.IDEMPOTENCY_CONFLICT,
    ),
)
def send_group_message(
    body: GroupMessageCreate, caller: CallerDep, backend: BackendDep, response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> GroupMessage | ScheduledSend:
    """Sends at once to every member of the group now (a snapshot: people added later never
    get it), each in their own in-app conversation, and queues the configured notifications.
    Cannot be cancelled once sent. With `send_at`: kept (a ScheduledSend, editable and
    cancellable until then) and sent then to the members of that moment."""
    channels = deliveries.channels(backend.settings)
    send_at = body.send_at

    def create(session: Session) -> Created:
        if send_at is not None:
            kept = scheduled_ops.schedule_group_message(session, caller.actor, body, send_at)
            return Created(201, "scheduled", kept.id)
        row = ops.send(session, caller.actor, body, notify_channels=channels)
        return Created(201, "group_message", row.id)

    # Without fields left at their defaults: a request from before send_at existed keeps its
    # fingerprint.
    request = fingerprint(
        "POST", "/v1/group-messages", body.model_dump(mode="json", exclude_defaults=True)
    )
    created = create_once(backend.db, caller.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    if send_at is not None:
        with backend.db.reading() as session:
            return scheduled_ops.view(session.get_one(models.ScheduledSend, created.resource_id))
    with backend.db.reading() as session:
        # As GET would: a replay must not show what no longer reaches the caller's contacts.
        row = ops.find_group_message(session, created.resource_id, caller.actor)
        return ops.views_of(session, [row])[0]


@router.get("/v1/group-messages")
def list_group_messages(
    caller: CallerDep,
    backend: BackendDep,
    group_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[GroupMessage]:
    """Newest first, with stats; `group_id` narrows to one group."""
    query = select(models.GroupMessage)
    visible = ops.reached_by(caller.actor)
    if visible is not None:
        query = query.where(visible)
    if group_id:
        query = query.where(models.GroupMessage.group_id == group_id)
    if cursor:
        sent_at, message_id = decode_cursor(cursor, (datetime, str))
        query = ops.older_than(query, sent_at, message_id)
    with backend.db.reading() as session:
        rows, more = split_page(
            session.scalars(query.order_by(*ops.newest_first()).limit(limit + 1)).all(), limit
        )
        items = ops.views_of(session, rows)
    next_cursor = encode_cursor(rows[-1].sent_at, rows[-1].id) if more else None
    return Page[GroupMessage](items=items, next_cursor=next_cursor)


@router.get(
    "/v1/group-messages/{group_message_id}", responses=problem_responses(ErrorCode.NOT_FOUND)
)
def get_group_message(
    group_message_id: IdPath, caller: CallerDep, backend: BackendDep
) -> GroupMessage:
    with backend.db.reading() as session:
        row = ops.find_group_message(session, group_message_id, caller.actor)
        return ops.views_of(session, [row])[0]


@router.get(
    "/v1/group-messages/{group_message_id}/notifications",
    responses=problem_responses(ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN),
)
def list_notifications(
    group_message_id: IdPath, caller: CallerDep, backend: BackendDep,
    limit: LimitParam = DEFAULT_PAGE, cursor: CursorParam = None,
) -> Page[Delivery]:
    """The email and push notifications of a group message and how each went (admin only)."""
    if not caller.actor.is_admin:
        raise DomainError(ErrorCode.FORBIDDEN, "Only admins may see notification records.")
    after = decode_cursor(cursor, (datetime, str)) if cursor else None
    with backend.db.reading() as session:
        ops.find_group_message(session, group_message_id)
        items, last = deliveries_page(
            session, models.Delivery.group_message_id == group_message_id, limit,
            (after[0], after[1]) if after else None,
        )
    return Page[Delivery](items=items, next_cursor=encode_cursor(*last) if last else None)


@router.get(
    "/v1/group-messages/{group_message_id}/recipients",
    responses=problem_responses(ErrorCode.NOT_FOUND),
)
def list_recipients(
    group_message_id: IdPath, caller: CallerDep, backend: BackendDep,
    limit: LimitParam = DEFAULT_PAGE, cursor: CursorParam = None,
) -> Page[GroupMessageRecipient]:
    """The people it went to (the members when it was sent), each with delivered / read /
    replied and the email and push outcome; an assigned-only user sees their own people."""
    after = decode_cursor(cursor, (str,))[0] if cursor else None
    with backend.db.reading() as session:
        ops.find_group_message(session, group_message_id, caller.actor)
        items, more = recipients_page(
            session, group_message_id, caller.actor, after=after, limit=limit
        )
    next_cursor = encode_cursor(items[-1].contact_id) if more and items else None
    return Page[GroupMessageRecipient](items=items, next_cursor=next_cursor)


def _not_cancellable(session: Session, group_message_id: str, actor: Actor) -> DomainError:
    row = ops.find_group_message(session, group_message_id, actor)
    return DomainError(
        ErrorCode.NOT_CANCELLABLE,
        f"Group message {row.id!r} was sent to {row.recipient_count} people when it was "
        "created; it cannot be cancelled, changed or deleted.",
    )


_REFUSED = problem_responses(ErrorCode.NOT_FOUND, ErrorCode.NOT_CANCELLABLE)


@router.delete("/v1/group-messages/{group_message_id}", status_code=204, responses=_REFUSED)
def delete_group_message(group_message_id: IdPath, caller: CallerDep, backend: BackendDep) -> None:
    """Always 409 `not_cancellable` (404 for an unknown id): a group message is sent at once."""
    with backend.db.reading() as session:
        raise _not_cancellable(session, group_message_id, caller.actor)


@router.post(
    "/v1/group-messages/{group_message_id}/cancel", status_code=204, responses=_REFUSED
)
def cancel_group_message(group_message_id: IdPath, caller: CallerDep, backend: BackendDep) -> None:
    """Always 409 `not_cancellable` (404 for an unknown id)."""
    with backend.db.reading() as session:
        raise _not_cancellable(session, group_message_id, caller.actor)


@router.patch("/v1/group-messages/{group_message_id}", status_code=204, responses=_REFUSED)
def patch_group_message(group_message_id: IdPath, caller: CallerDep, backend: BackendDep) -> None:
    """Always 409 `not_cancellable` (404 for an unknown id): what was sent stays as sent."""
    with backend.db.reading() as session:
        raise _not_cancellable(session, group_message_id, caller.actor)
