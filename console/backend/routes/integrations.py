"""Integrations (admin only): signed outgoing webhooks and the record of their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy import and_, or_
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.auth import AdminDep, BackendDep
from console.backend.idempotency import Created, IdempotencyKeyHeader, create_once, fingerprint
from console.backend.ops import integrations as ops
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
from console.protocol.deliveries import Delivery
from console.protocol.integrations import Integration, IntegrationCreate

router = APIRouter(
    tags=["integrations"],
    responses=problem_responses(ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN),
)

IdPath = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/v1/integrations")
def list_integrations(
    caller: AdminDep, backend: BackendDep, limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[Integration]:
    """Oldest first. Secrets are never returned (`secret_hint` shows their last characters)."""
    query = ops.live_integrations()
    if cursor:
        at, after = decode_cursor(cursor, (datetime, str))
        i = models.Integration
        query = query.where(or_(i.created_at > at, and_(i.created_at == at, i.id > after)))
    with backend.db.reading() as session:
        rows, more = split_page(
            session.scalars(
                query.order_by(models.Integration.created_at, models.Integration.id)
                .limit(limit + 1)
            ).all(),
            limit,
        )
        items = [ops.integration_view(row) for row in rows]
    next_cursor = encode_cursor(rows[-1].created_at, rows[-1].id) if more else None
    return Page[Integration](items=items, next_cursor=next_cursor)


@router.post(
    "/v1/integrations",
    status_code=201,
    responses=problem_responses(ErrorCode.VALIDATION_ERROR, ErrorCode.IDEMPOTENCY_CONFLICT),
)
def create_integration(
    body: IntegrationCreate, caller: AdminDep, backend: BackendDep, response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Integration:
    """Every forwarded event is `POST url` with `X-Console-Signature: <hex>`, the
    HMAC-SHA256 of the exact body keyed with `secret`. `events` omitted: every type."""

    def create(session: Session) -> Created:
        row = ops.create_integration(
            session, caller.actor, body, allow_private=backend.settings.allow_private_webhooks
        )
        return Created(201, "integration", row.id)

    # The fingerprint holds a hash of the request, never the secret itself.
    request = fingerprint("POST", "/v1/integrations", body.model_dump(mode="json"))
    created = create_once(backend.db, caller.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    with backend.db.reading() as session:
        return ops.integration_view(ops.find_integration(session, created.resource_id))


@router.get(
    "/v1/integrations/{integration_id}", responses=problem_responses(ErrorCode.NOT_FOUND)
)
def get_integration(integration_id: IdPath, caller: AdminDep, backend: BackendDep) -> Integration:
    with backend.db.reading() as session:
        return ops.integration_view(ops.find_integration(session, integration_id))


@router.delete(
    "/v1/integrations/{integration_id}",
    status_code=204,
    responses=problem_responses(ErrorCode.NOT_FOUND),
)
def delete_integration(integration_id: IdPath, caller: AdminDep, backend: BackendDep) -> Response:
    """Stops forwarding at once; pending deliveries give up; the record stays."""
    with backend.db.writing() as session:
        ops.delete_integration(session, integration_id)
    return Response(status_code=204)


@router.get(
    "/v1/integrations/{integration_id}/deliveries",
    responses=problem_responses(ErrorCode.NOT_FOUND),
)
def list_deliveries(
    integration_id: IdPath, caller: AdminDep, backend: BackendDep,
    limit: LimitParam = DEFAULT_PAGE, cursor: CursorParam = None,
) -> Page[Delivery]:
    """Every webhook call made (or being retried) for this integration, oldest first; still
    readable after the integration was removed."""
    after = decode_cursor(cursor, (datetime, str)) if cursor else None
    with backend.db.reading() as session:
        ops.find_integration(session, integration_id, removed_too=True)
        items, last = ops.deliveries_page(
            session, models.Delivery.integration_id == integration_id, limit,
            (after[0], after[1]) if after else None,
        )
    return Page[Delivery](items=items, next_cursor=encode_cursor(*last) if last else None)
