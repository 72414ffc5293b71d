"""The person's side: what the customer app's Message Center does, for real replies and tests.

Authorization: an admin's bearer token (the backend acts for the person, as the simulator does
for handsets). A production deployment would put the customer app behind its own per-person
tokens; the routes and their effects would stay the same.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.auth import AdminDep, BackendDep
from console.backend.idempotency import Created, IdempotencyKeyHeader, create_once, fingerprint
from console.backend.ops import in_app, inbound_audit, people
from console.backend.pagination import (
    DEFAULT_PAGE,
    CursorParam,
    LimitParam,
    decode_cursor,
    encode_cursor,
)
from console.backend.problems import problem_responses
from console.domain.errors import ErrorCode
from console.protocol.common import Page
from console.protocol.people import PersonMessage, PersonReadMark, PersonReadResult, PersonReply

router = APIRouter(
    tags=["people (customer app)"],
    responses=problem_responses(ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN),
)

IdPath = Annotated[str, Path(min_length=1, max_length=64)]


@router.get(
    "/v1/people/{contact_id}/messages", responses=problem_responses(ErrorCode.NOT_FOUND)
)
def person_messages(
    contact_id: IdPath, caller: AdminDep, backend: BackendDep, limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[PersonMessage]:
    """The person's Message Center, newest first. Fetching it marks what we sent them as
    delivered (the group messages' `delivered` stats move)."""
    after = tuple(decode_cursor(cursor, (datetime, str))) if cursor else None
    with backend.db.writing() as session:
        people.mark_delivered(session, contact_id)
        items, more = people.messages_of(
            session, contact_id, limit, (after[0], after[1]) if after else None
        )
    last = items[-1] if more else None
    next_cursor = encode_cursor(last.created_at, last.id) if last else None
    return Page[PersonMessage](items=items, next_cursor=next_cursor)


@router.post(
    "/v1/people/{contact_id}/read",
    responses=problem_responses(ErrorCode.NOT_FOUND, ErrorCode.VALIDATION_ERROR),
)
def person_read(
    contact_id: IdPath, body: PersonReadMark, caller: AdminDep, backend: BackendDep
) -> PersonReadResult:
    """The person saw their messages (all, or up to one): they count as read."""
    with backend.db.writing() as session:
        marked = people.mark_read(session, contact_id, body.up_to_message_id)
    return PersonReadResult(marked=marked)


@router.post(
    "/v1/people/{contact_id}/replies",
    status_code=201,
    responses=problem_responses(
        ErrorCode.NOT_FOUND, ErrorCode.VALIDATION_ERROR, ErrorCode.IDEMPOTENCY_CONFLICT
    ),
)
def person_reply(
    contact_id: IdPath, body: PersonReply, caller: AdminDep, backend: BackendDep,
    response: Response, idempotency_key: IdempotencyKeyHeader = None,
) -> PersonMessage:
    """The person writes in their Message Center: inbound in their in-app conversation, the
    reply to the latest group message they received, forwarded to integrations."""

    def create(session: Session) -> Created:
        message = in_app.receive_reply(session, contact_id, body.body)
        inbound_audit.record(session, message.id, caller.actor.user_id,
                             inbound_audit.PEOPLE_REPLY)
        return Created(201, "message", message.id)

    path = f"/v1/people/{contact_id}/replies"
    request = fingerprint("POST", path, body.model_dump(mode="json"))
    created = create_once(backend.db, caller.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    with backend.db.reading() as session:
        in_app.live_contact(session, contact_id)  # as their GET would: 404 once deleted
        row = session.get_one(models.Message, created.resource_id)
        return PersonMessage(
            id=row.id, conversation_id=row.conversation_id, from_person=True, body=row.body,
            created_at=row.created_at, read_at=row.read_at,
        )
