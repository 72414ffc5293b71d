"""Scheduled sends: the caller's own, listed, edited and cancelled until they go."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from sqlalchemy import and_, or_

from console.backend import models
from console.backend.auth import BackendDep, CallerDep
from console.backend.ops import scheduled as ops
from console.backend.pagination import (
    DEFAULT_PAGE,
    CursorParam,
    LimitParam,
    decode_cursor,
    encode_cursor,
    split_page,
)
from console.backend.problems import problem_responses
from console.domain.errors import ErrorCode
from console.protocol.common import Page
from console.protocol.scheduled import ScheduledSend, ScheduledSendPatch

router = APIRouter(tags=["scheduled sends"], responses=problem_responses(ErrorCode.UNAUTHORIZED))

IdPath = Annotated[str, Path(min_length=1, max_length=64)]
StatusQuery = Literal["scheduled", "sent", "failed", "cancelled", "all"]


@router.get("/v1/scheduled")
def list_scheduled(
    caller: CallerDep,
    backend: BackendDep,
    status: StatusQuery = "scheduled",
    conversation_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[ScheduledSend]:
    """The caller's scheduled sends, soonest first (`status=all` includes those that went,
    failed or were cancelled); `conversation_id` narrows to one conversation."""
    row = models.ScheduledSend
    query = ops.mine(caller.actor)
    if status != "all":
        query = query.where(row.status == status)
    if conversation_id is not None:
        query = query.where(row.conversation_id == conversation_id)
    if cursor:
        at, after = decode_cursor(cursor, (datetime, str))
        query = query.where(or_(row.send_at > at, and_(row.send_at == at, row.id > after)))
    with backend.db.reading() as session:
        rows, more = split_page(session.scalars(query.limit(limit + 1)).all(), limit)
        items = [ops.view(r) for r in rows]
    next_cursor = encode_cursor(rows[-1].send_at, rows[-1].id) if more else None
    return Page[ScheduledSend](items=items, next_cursor=next_cursor)


@router.get("/v1/scheduled/{scheduled_id}", responses=problem_responses(ErrorCode.NOT_FOUND))
def get_scheduled(scheduled_id: IdPath, caller: CallerDep, backend: BackendDep) -> ScheduledSend:
    with backend.db.reading() as session:
        row = session.get(models.ScheduledSend, scheduled_id)
        if row is None or row.user_id != caller.actor.user_id:
            raise ops.not_found(scheduled_id)
        return ops.view(row)


@router.patch(
    "/v1/scheduled/{scheduled_id}",
    responses=problem_responses(
        ErrorCode.NOT_FOUND, ErrorCode.NOT_CANCELLABLE, ErrorCode.VALIDATION_ERROR
    ),
)
def edit_scheduled(
    scheduled_id: IdPath, patch: ScheduledSendPatch, caller: CallerDep, backend: BackendDep
) -> ScheduledSend:
    """Change its text, title (group messages) or time while it is still scheduled; once it
    went, failed or was cancelled: 409 `not_cancellable`."""
    with backend.db.writing() as session:
        return ops.view(ops.edit(session, caller.actor, scheduled_id, patch))


@router.delete(
    "/v1/scheduled/{scheduled_id}",
    responses=problem_responses(ErrorCode.NOT_FOUND, ErrorCode.NOT_CANCELLABLE),
)
def cancel_scheduled(scheduled_id: IdPath, caller: CallerDep, backend: BackendDep) -> ScheduledSend:
    """Cancel it (again: the same answer); once it went or failed: 409 `not_cancellable`."""
    with backend.db.writing() as session:
        return ops.view(ops.cancel(session, caller.actor, scheduled_id))
