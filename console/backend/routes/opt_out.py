"""Suspected opt-outs (confirm or dismiss in one click) and the DND audit of a contact."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from sqlalchemy import select

from console.backend import models
from console.backend.auth import BackendDep, CallerDep
from console.backend.ops import dnd as dnd_ops
from console.backend.ops import opt_out as ops
from console.backend.ops.contacts import find_contact
from console.backend.ops.participants import full_view
from console.backend.pagination import (
    DEFAULT_PAGE,
    CursorParam,
    LimitParam,
    decode_cursor,
    encode_cursor,
    split_page,
)
from console.backend.problems import problem_responses
from console.backend.views import contact_view
from console.domain.errors import ErrorCode
from console.protocol.common import Page
from console.protocol.contacts import Contact
from console.protocol.conversations import Conversation
from console.protocol.group_chats import DndChange, DndSet, OptOutResolve

router = APIRouter(tags=["opt-out"], responses=problem_responses(ErrorCode.UNAUTHORIZED))

ResolveBody = Annotated[OptOutResolve | None, Body()]


@router.post(
    "/v1/conversations/{conversation_id}/opt-out/confirm",
    responses=problem_responses(ErrorCode.NOT_FOUND),
)
def confirm_opt_out(
    conversation_id: str, caller: CallerDep, backend: BackendDep, body: ResolveBody = None
) -> Conversation:
    """The suspected opt-out is one: the person's DND goes on (audited as yours), the flag
    closes, and they get one confirmation SMS. `message_id` picks a flag (default: the latest
    open one)."""
    message_id = body.message_id if body else None
    with backend.db.writing() as session:
        # The confirmation SMS is queued with its send job in this transaction.
        conversation, _replies = ops.confirm(
            session, caller.actor, conversation_id, message_id, ops.Replies.of(backend.settings)
        )
        return full_view(session, conversation, caller.actor)


@router.post(
    "/v1/conversations/{conversation_id}/opt-out/dismiss",
    responses=problem_responses(ErrorCode.NOT_FOUND),
)
def dismiss_opt_out(
    conversation_id: str, caller: CallerDep, backend: BackendDep, body: ResolveBody = None
) -> Conversation:
    """The suspected opt-out was none: the flag closes (kept, with who decided)."""
    message_id = body.message_id if body else None
    with backend.db.writing() as session:
        conversation = ops.dismiss(session, caller.actor, conversation_id, message_id)
        return full_view(session, conversation, caller.actor)


@router.post(
    "/v1/contacts/{contact_id}/dnd", responses=problem_responses(ErrorCode.NOT_FOUND)
)
def set_dnd(contact_id: str, body: DndSet, caller: CallerDep, backend: BackendDep) -> Contact:
    """Turn Do Not Disturb on or off (audited as yours); the contact's chats follow."""
    with backend.db.writing() as session:
        contact = find_contact(session, caller.actor, contact_id)
        dnd_ops.set_dnd(session, contact, body.dnd, source=dnd_ops.SOURCE_USER,
                        user_id=caller.actor.user_id)
        return contact_view(contact)


@router.get(
    "/v1/contacts/{contact_id}/dnd-history", responses=problem_responses(ErrorCode.NOT_FOUND)
)
def dnd_history(
    contact_id: str, caller: CallerDep, backend: BackendDep, limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[DndChange]:
    """Every DND change of the contact, newest first: who or what (`source`, `user_id`,
    `message_id`), when, from and to."""
    query = (
        select(models.DndChange)
        .where(models.DndChange.contact_id == contact_id)
        .order_by(models.DndChange.id.desc())
    )
    if cursor:
        (before,) = decode_cursor(cursor, (int,))
        query = query.where(models.DndChange.id < before)
    with backend.db.reading() as session:
        find_contact(session, caller.actor, contact_id)
        rows, more = split_page(session.scalars(query.limit(limit + 1)).all(), limit)
        items = [DndChange.model_validate(row) for row in rows]
    return Page[DndChange](items=items, next_cursor=encode_cursor(rows[-1].id) if more else None)
