"""The simulator carrier's test hooks: pretend inbound SMS, and what handsets received.

Mounted only with the simulator carrier (app.py), and for admins only: these routes read every
SMS sent to anyone and speak for any person (a made-up STOP turns their DND on). Each made-up
inbound message is audited with the admin who made it up (ops.inbound_audit), and so is a DND
change it causes (`simulated_by_user_id` in the contact's DND history).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.auth import AdminDep, BackendDep, require_admin
from console.backend.carrier.simulator import deliver_copies
from console.backend.idempotency import Created, IdempotencyKeyHeader, create_once, fingerprint
from console.backend.models import utcnow
from console.backend.ops import inbound as inbound_ops
from console.backend.ops import inbound_audit
from console.backend.ops.in_app import receive_reply
from console.backend.ops.opt_out import Replies
from console.backend.pagination import (
    DEFAULT_PAGE,
    CursorParam,
    LimitParam,
    TimeParam,
    decode_cursor,
    encode_cursor,
    split_page,
)
from console.backend.problems import problem_responses
from console.backend.views import handset_view
from console.domain.errors import DomainError, ErrorCode
from console.domain.phones import parse_phone
from console.protocol.common import Page
from console.protocol.simulator import (
    HandsetMessage,
    InboundResult,
    SimulatedAppReply,
    SimulatedInbound,
)

# Admin-only for every route here, present and future: the check sits on the router itself.
router = APIRouter(
    tags=["simulator"],
    dependencies=[Depends(require_admin)],
    responses=problem_responses(ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN),
)


def _phone_field(value: str, field: str) -> str:
    try:
        return parse_phone(value)
    except DomainError as exc:
        raise DomainError(exc.code, f"{field}: {exc.detail}") from exc


@router.post(
    "/v1/simulator/inbound",
    status_code=201,
    responses=problem_responses(ErrorCode.INVALID_PHONE, ErrorCode.VALIDATION_ERROR),
)
def inbound(
    body: SimulatedInbound, caller: AdminDep, backend: BackendDep, response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> InboundResult:
    """An SMS arriving from `from` at the business number in `to`; with more numbers in `to`,
    a group MMS: it lands in the group chat of that number and participant set, and every
    other participant's handset gets a copy. Opt-out keywords are acted on (and answered)."""
    sender = _phone_field(body.from_, "from")
    recipients = [_phone_field(number, f"to[{i}]") for i, number in enumerate(body.to)]
    if not body.body.strip():
        raise DomainError(ErrorCode.VALIDATION_ERROR, "body: an SMS needs some text")
    replies = Replies.of(backend.settings)

    # Answers (opt-out confirmations) are queued with their send jobs in this transaction.
    def create(session: Session) -> Created:
        received = inbound_ops.receive(session, sender, recipients, body.body, replies,
                                       simulated_by=caller.actor.user_id)
        inbound_audit.record(session, received.message.id, caller.actor.user_id,
                             inbound_audit.SIMULATOR_INBOUND)
        deliver_copies(session, received.message, received.copies_to, at=utcnow())
        return Created(201, "message", received.message.id)

    request = fingerprint("POST", "/v1/simulator/inbound", body.model_dump(mode="json"))
    created = create_once(backend.db, caller.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    with backend.db.reading() as session:
        message = session.get_one(models.Message, created.resource_id)
        return InboundResult(conversation_id=message.conversation_id, message_id=message.id)


@router.get("/v1/simulator/outbox")
def outbox(
    _caller: AdminDep,
    backend: BackendDep,
    to: Annotated[str | None, Query(max_length=64, description="Handset number")] = None,
    since: Annotated[
        TimeParam, Query(description="Only what arrived after this time (RFC 3339, with offset)")
    ] = None,
    limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[HandsetMessage]:
    """What the simulator delivered to handsets, oldest first."""
    query = select(models.HandsetMessage).order_by(models.HandsetMessage.seq)
    if to:
        query = query.where(models.HandsetMessage.to_number == _phone_field(to, "to"))
    if since is not None:
        query = query.where(models.HandsetMessage.at > since)
    if cursor:
        (seq,) = decode_cursor(cursor, (int,))
        query = query.where(models.HandsetMessage.seq > seq)
    with backend.db.reading() as session:
        rows, more = split_page(session.scalars(query.limit(limit + 1)).all(), limit)
        items = [handset_view(row) for row in rows]
    return Page[HandsetMessage](
        items=items, next_cursor=encode_cursor(rows[-1].seq) if more else None
    )


@router.post(
    "/v1/simulator/app-reply",
    status_code=201,
    responses=problem_responses(
        ErrorCode.NOT_FOUND, ErrorCode.VALIDATION_ERROR, ErrorCode.IDEMPOTENCY_CONFLICT
    ),
)
def app_reply(
    body: SimulatedAppReply, caller: AdminDep, backend: BackendDep, response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> InboundResult:
    """The person replies in the app's Message Center: inbound in their in-app conversation,
    counted as the reply to the latest group message they received."""

    def create(session: Session) -> Created:
        message = receive_reply(session, body.contact_id, body.body)
        inbound_audit.record(session, message.id, caller.actor.user_id,
                             inbound_audit.SIMULATOR_APP_REPLY)
        return Created(201, "message", message.id)

    request = fingerprint("POST", "/v1/simulator/app-reply", body.model_dump(mode="json"))
    created = create_once(backend.db, caller.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    with backend.db.reading() as session:
        message = session.get_one(models.Message, created.resource_id)
        return InboundResult(conversation_id=message.conversation_id, message_id=message.id)
