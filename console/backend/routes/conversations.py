"""Conversations and their messages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.auth import BackendDep, CallerDep
from console.backend.idempotency import Created, IdempotencyKeyHeader, create_once, fingerprint
from console.backend.ops import conversations as ops
from console.backend.ops import messages as message_ops
from console.backend.ops import notes as note_ops
from console.backend.ops import scheduled as scheduled_ops
from console.backend.ops.participants import conversation_views, full_view
from console.backend.pagination import (
    DEFAULT_PAGE,
    CursorParam,
    LimitParam,
    decode_cursor,
    encode_cursor,
    split_page,
)
from console.backend.problems import problem_responses
from console.backend.views import (
    conversation_view,
    copies_by_message,
    is_group_outbound,
    message_view,
)
from console.domain.errors import DomainError, ErrorCode
from console.protocol.common import Page
from console.protocol.conversations import (
    Conversation,
    ConversationKind,
    DirectConversationCreate,
    Message,
    MessageCreate,
    NoteCreate,
    ReadMark,
)
from console.protocol.scheduled import ScheduledSend

router = APIRouter(tags=["conversations"], responses=problem_responses(ErrorCode.UNAUTHORIZED))


@router.get("/v1/conversations")
def list_conversations(
    caller: CallerDep,
    backend: BackendDep,
    kind: ConversationKind | None = None,
    limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[Conversation]:
    """Most recent activity first."""
    query = ops.visible_conversations(caller.actor)
    if kind is not None:
        query = query.where(models.Conversation.kind == kind)
    if cursor:
        at, conversation_id = decode_cursor(cursor, (datetime, str))
        query = ops.after_activity(query, at, conversation_id)
    query = query.order_by(ops.activity_at().desc(), models.Conversation.id.desc())
    with backend.db.reading() as session:
        rows, more = split_page(session.scalars(query.limit(limit + 1)).all(), limit)
        items = conversation_views(session, rows, caller.actor)
    last = rows[-1] if more else None
    next_cursor = (
        encode_cursor(last.last_message_at or last.created_at, last.id) if last else None
    )
    return Page[Conversation](items=items, next_cursor=next_cursor)


@router.post(
    "/v1/conversations",
    status_code=201,
    responses=problem_responses(
        ErrorCode.NOT_FOUND, ErrorCode.CONTACT_NOT_ASSIGNED, ErrorCode.NUMBER_ACCESS_DENIED,
        ErrorCode.PHONE_NOT_ON_CONTACT, ErrorCode.INVALID_PHONE, ErrorCode.IDEMPOTENCY_CONFLICT,
    ),
)
def open_conversation(
    body: DirectConversationCreate, caller: CallerDep, backend: BackendDep, response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Conversation:
    """Opens (or returns, with 200) the 1:1 SMS thread of a contact's number and our number."""

    def create(session: Session) -> Created:
        row, new = ops.open_direct(session, caller.actor, body)
        return Created(201 if new else 200, "conversation", row.id)

    request = fingerprint("POST", "/v1/conversations", body.model_dump(mode="json"))
    created = create_once(backend.db, caller.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    with backend.db.reading() as session:
        return conversation_view(ops.find_conversation(session, caller.actor, created.resource_id))


@router.get(
    "/v1/conversations/{conversation_id}", responses=problem_responses(ErrorCode.NOT_FOUND)
)
def get_conversation(conversation_id: str, caller: CallerDep, backend: BackendDep) -> Conversation:
    with backend.db.reading() as session:
        row = ops.find_conversation(session, caller.actor, conversation_id)
        return full_view(session, row, caller.actor)


@router.get(
    "/v1/conversations/{conversation_id}/messages",
    responses=problem_responses(ErrorCode.NOT_FOUND),
)
def list_messages(
    conversation_id: str,
    caller: CallerDep,
    backend: BackendDep,
    before: Annotated[
        str | None, Query(max_length=64, description="Only messages older than this message id")
    ] = None,
    limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[Message]:
    """Newest first."""
    with backend.db.reading() as session:
        conversation = ops.find_conversation(session, caller.actor, conversation_id)
        query = message_ops.history(conversation.id)
        if before:
            anchor = session.get(models.Message, before)
            if anchor is None or anchor.conversation_id != conversation.id:
                raise DomainError(
                    ErrorCode.VALIDATION_ERROR,
                    f"before: no message {before!r} in this conversation",
                )
            query = message_ops.older_than(query, anchor.created_at, anchor.id)
        if cursor:
            at, message_id = decode_cursor(cursor, (datetime, str))
            query = message_ops.older_than(query, at, message_id)
        rows, more = split_page(session.scalars(query.limit(limit + 1)).all(), limit)
        # Per-recipient copies of the page's group messages in one query, not one per row.
        group = [row.id for row in rows if is_group_outbound(row, conversation.kind)]
        copies = copies_by_message(session, group)
        items = [message_view(row, copies.get(row.id, ())) for row in rows]
    next_cursor = encode_cursor(rows[-1].created_at, rows[-1].id) if more else None
    return Page[Message](items=items, next_cursor=next_cursor)


@router.post(
    "/v1/conversations/{conversation_id}/messages",
    status_code=201,
    responses=problem_responses(
        ErrorCode.NOT_FOUND, ErrorCode.NUMBER_ACCESS_DENIED, ErrorCode.PARTICIPANT_DND,
        ErrorCode.PHONE_NOT_ON_CONTACT, ErrorCode.IDEMPOTENCY_CONFLICT,
    ),
)
def send_message(
    conversation_id: str, body: MessageCreate, caller: CallerDep, backend: BackendDep,
    response: Response, idempotency_key: IdempotencyKeyHeader = None,
) -> Message | ScheduledSend:
    """SMS (1:1 or group chat): queued, then sent and delivered by the carrier. In-app (the
    person's Message Center): sent at once, delivered when their app fetches it. With
    `send_at`: kept and sent then, the rules checked now and again then (a ScheduledSend)."""
    send_at = body.send_at

    def create(session: Session) -> Created:
        if send_at is not None:
            kept = scheduled_ops.schedule_message(
                session, caller.actor, conversation_id, body.body, send_at
            )
            return Created(201, "scheduled", kept.id)
        row = message_ops.send(
            session, caller.actor, conversation_id, body.body, idempotency_key,
            quiet_hours_override=body.quiet_hours_override,
        )
        return Created(201, "message", row.id)

    path = f"/v1/conversations/{conversation_id}/messages"
    # Without fields left at their defaults: a request from before send_at (and
    # quiet_hours_override) existed keeps its fingerprint.
    request = fingerprint("POST", path, body.model_dump(mode="json", exclude_defaults=True))
    created = create_once(backend.db, caller.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    if send_at is not None:
        with backend.db.reading() as session:
            return scheduled_ops.view(session.get_one(models.ScheduledSend, created.resource_id))
    with backend.db.reading() as session:
        view = message_view(session.get_one(models.Message, created.resource_id))
        # As a GET of its conversation would: a replay must not show a message the caller
        # may no longer see (the contact was reassigned away or deleted since).
        hidden: DomainError | None = None
        try:
            ops.find_conversation(session, caller.actor, conversation_id)
        except DomainError as exc:
            hidden = exc
    # A queued SMS went to the carrier's job queue with the message itself (message_rows).
    if hidden is not None:
        raise hidden
    return view


@router.post(
    "/v1/conversations/{conversation_id}/notes",
    status_code=201,
    responses=problem_responses(
        ErrorCode.NOT_FOUND, ErrorCode.VALIDATION_ERROR, ErrorCode.IDEMPOTENCY_CONFLICT
    ),
)
def add_note(
    conversation_id: str, body: NoteCreate, caller: CallerDep, backend: BackendDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Message:
    """An internal note for the team (a Message with `note` true): sent to nobody (no carrier,
    no Message Center, no integration, no notification), seen by whoever sees the
    conversation, and allowed wherever they may see it, a blocked chat included (a note is
    not a send). The thread's unread count, preview and last_message_at stay as they were."""

    def create(session: Session) -> Created:
        row = note_ops.add_note(session, caller.actor, conversation_id, body.body, idempotency_key)
        return Created(201, "message", row.id)

    path = f"/v1/conversations/{conversation_id}/notes"
    request = fingerprint("POST", path, body.model_dump(mode="json"))
    created = create_once(backend.db, caller.actor.user_id, idempotency_key, request, create)
    with backend.db.reading() as session:
        # As a GET of its conversation would: a replay shows nothing the caller no longer sees.
        ops.find_conversation(session, caller.actor, conversation_id)
        return message_view(session.get_one(models.Message, created.resource_id))


@router.post(
    "/v1/conversations/{conversation_id}/read", responses=problem_responses(ErrorCode.NOT_FOUND)
)
def mark_read(conversation_id: str, caller: CallerDep, backend: BackendDep) -> ReadMark:
    with backend.db.writing() as session:
        row = ops.mark_read(session, caller.actor, conversation_id)
        return ReadMark(unread_count=row.unread_count)


@router.post(
    "/v1/conversations/{conversation_id}/unread", responses=problem_responses(ErrorCode.NOT_FOUND)
)
def mark_unread(conversation_id: str, caller: CallerDep, backend: BackendDep) -> ReadMark:
    """Mark as unread: the unread count becomes at least 1 (a reminder, even in a thread with
    no inbound message) and `conversation.upserted` goes out; already unread, nothing changes.
    A later POST .../read zeroes it again."""
    with backend.db.writing() as session:
        row = ops.mark_unread(session, caller.actor, conversation_id)
        return ReadMark(unread_count=row.unread_count)
