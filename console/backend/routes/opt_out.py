"""Suspected opt-outs (confirm or dismiss in one click) and the DND audit of a contact."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated

from fastapi import APIRouter, Body
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.auth import BackendDep, CallerDep
from console.backend.idempotency import Created, IdempotencyKeyHeader, create_once, fingerprint
from console.backend.ops import dnd as dnd_ops
from console.backend.ops import opt_out as ops
from console.backend.ops.contacts import find_contact
from console.backend.ops.conversations import find_conversation
from console.backend.ops.participants import can_see, full_view
from console.backend.pagination import (
    DEFAULT_PAGE,
    CursorParam,
    LimitParam,
    decode_cursor,
    encode_cursor,
    split_page,
)
from console.backend.problems import problem_responses
from console.backend.state import Backend
from console.backend.views import contact_view
from console.domain.access import Actor
from console.domain.errors import ErrorCode
from console.protocol.common import Page
from console.protocol.contacts import Contact
from console.protocol.conversations import Conversation
from console.protocol.group_chats import DndChange, DndSet, OptOutResolve

router = APIRouter(tags=["opt-out"], responses=problem_responses(ErrorCode.UNAUTHORIZED))

ResolveBody = Annotated[OptOutResolve | None, Body()]


@router.post(
    "/v1/conversations/{conversation_id}/opt-out/confirm",
    responses=problem_responses(ErrorCode.NOT_FOUND, ErrorCode.IDEMPOTENCY_CONFLICT),
)
def confirm_opt_out(
    conversation_id: str, caller: CallerDep, backend: BackendDep, body: ResolveBody = None,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Conversation:
    """The suspected opt-out is one: the person's DND goes on (audited as yours), the flag
    closes, and they get one confirmation SMS. `message_id` picks a flag (default: the latest
    open one). With an `Idempotency-Key`, a retry whose first answer was lost gets the
    conversation again instead of a 404 for the flag it closed (and no second SMS)."""
    message_id = body.message_id if body else None

    def resolve(session: Session) -> Created:
        # The confirmation SMS is queued with its send job in this transaction.
        conversation, _replies = ops.confirm(
            session, caller.actor, conversation_id, message_id, ops.Replies.of(backend.settings)
        )
        return Created(200, "conversation", conversation.id)

    return _resolved(backend, caller.actor, conversation_id, "confirm", body, idempotency_key,
                     resolve)


@router.post(
    "/v1/conversations/{conversation_id}/opt-out/dismiss",
    responses=problem_responses(ErrorCode.NOT_FOUND, ErrorCode.IDEMPOTENCY_CONFLICT),
)
def dismiss_opt_out(
    conversation_id: str, caller: CallerDep, backend: BackendDep, body: ResolveBody = None,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Conversation:
    """The suspected opt-out was none: the flag closes (kept, with who decided). Idempotent
    with an `Idempotency-Key`, as confirm is."""
    message_id = body.message_id if body else None

    def resolve(session: Session) -> Created:
        conversation = ops.dismiss(session, caller.actor, conversation_id, message_id)
        return Created(200, "conversation", conversation.id)

    return _resolved(backend, caller.actor, conversation_id, "dismiss", body, idempotency_key,
                     resolve)


def _resolved(
    backend: Backend,
    actor: Actor,
    conversation_id: str,
    action: str,
    body: OptOutResolve | None,
    key: str | None,
    resolve: Callable[[Session], Created],
) -> Conversation:
    """Run `resolve` once per key; answer with the conversation as a GET shows it now."""
    path = f"/v1/conversations/{conversation_id}/opt-out/{action}"
    request = fingerprint("POST", path, body.model_dump(mode="json") if body else None)
    create_once(backend.db, actor.user_id, key, request, resolve)
    with backend.db.reading() as session:
        # A replay may come after the caller lost sight of the chat: 404 then, as a GET is.
        conversation = find_conversation(session, actor, conversation_id)
        return full_view(session, conversation, actor)


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
    `message_id`), when, from and to.

    Also, for the contact editor: `keyword`, the words the person sent (the inbound message's
    body, trimmed) behind an `inbound_keyword` or `opt_out_confirmed` change, left out when
    the caller may not read the conversation that message is in; `from_phone`, the number it
    came from (E.164); `user_name`, the name of the `user_id` account."""
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
        items = _with_details(session, caller.actor, rows)
    return Page[DndChange](items=items, next_cursor=encode_cursor(rows[-1].id) if more else None)


def _with_details(
    session: Session, actor: Actor, rows: Sequence[models.DndChange]
) -> list[DndChange]:
    """The wire rows, with the keyword, its number and the agent's name looked up in bulk."""
    message_ids = {row.message_id for row in rows if row.message_id}
    messages = {
        m.id: m for m in session.scalars(
            select(models.Message).where(models.Message.id.in_(message_ids))
        )
    } if message_ids else {}
    conversation_ids = {m.conversation_id for m in messages.values()}
    readable = {
        c.id for c in session.scalars(
            select(models.Conversation).where(models.Conversation.id.in_(conversation_ids))
        ) if can_see(session, actor, c)
    } if conversation_ids else set()
    user_ids = {row.user_id for row in rows if row.user_id}
    names = dict(
        session.execute(
            select(models.User.id, models.User.name).where(models.User.id.in_(user_ids))
        ).tuples().all()
    ) if user_ids else {}
    items = []
    for row in rows:
        item = DndChange.model_validate(row)
        message = messages.get(row.message_id or "")
        if message is not None:
            item.from_phone = message.from_number or None
            if message.conversation_id in readable:
                item.keyword = message.body.strip()
        if row.user_id:
            item.user_name = names.get(row.user_id) or None
        items.append(item)
    return items
