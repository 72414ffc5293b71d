"""Business numbers: everyone lists them (with their own `can_send`); admins change them."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.auth import AdminDep, BackendDep, CallerDep
from console.backend.idempotency import Created, IdempotencyKeyHeader, create_once, fingerprint
from console.backend.ops import numbers as ops
from console.backend.pagination import (
    DEFAULT_PAGE,
    CursorParam,
    LimitParam,
    decode_cursor,
    encode_cursor,
    split_page,
)
from console.backend.problems import problem_responses
from console.backend.views import number_view
from console.domain.errors import ErrorCode
from console.protocol.common import Page
from console.protocol.numbers import BusinessNumber, NumberCreate, NumberPatch

router = APIRouter(tags=["numbers"], responses=problem_responses(ErrorCode.UNAUTHORIZED))


@router.get("/v1/numbers")
def list_numbers(
    caller: CallerDep, backend: BackendDep, limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[BusinessNumber]:
    query = select(models.BusinessNumber).order_by(
        models.BusinessNumber.e164, models.BusinessNumber.id
    )
    if cursor:
        e164, number_id = decode_cursor(cursor, (str, str))
        query = query.where(
            or_(
                models.BusinessNumber.e164 > e164,
                and_(models.BusinessNumber.e164 == e164, models.BusinessNumber.id > number_id),
            )
        )
    with backend.db.reading() as session:
        rows, more = split_page(session.scalars(query.limit(limit + 1)).all(), limit)
        items = [number_view(row, caller.actor) for row in rows]
    next_cursor = encode_cursor(rows[-1].e164, rows[-1].id) if more else None
    return Page[BusinessNumber](items=items, next_cursor=next_cursor)


@router.get("/v1/numbers/{number_id}", responses=problem_responses(ErrorCode.NOT_FOUND))
def get_number(number_id: str, caller: CallerDep, backend: BackendDep) -> BusinessNumber:
    with backend.db.reading() as session:
        return number_view(ops.find_number(session, number_id), caller.actor)


@router.post(
    "/v1/numbers",
    status_code=201,
    responses=problem_responses(
        ErrorCode.FORBIDDEN, ErrorCode.INVALID_PHONE, ErrorCode.REGION_NOT_SUPPORTED,
        ErrorCode.CONFLICT, ErrorCode.IDEMPOTENCY_CONFLICT,
    ),
)
def create_number(
    body: NumberCreate, admin: AdminDep, backend: BackendDep, response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> BusinessNumber:
    def create(session: Session) -> Created:
        return Created(201, "number", ops.create_number(session, body).id)

    request = fingerprint("POST", "/v1/numbers", body.model_dump(mode="json"))
    created = create_once(backend.db, admin.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    with backend.db.reading() as session:
        return number_view(ops.find_number(session, created.resource_id), admin.actor)


@router.patch(
    "/v1/numbers/{number_id}",
    responses=problem_responses(ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND),
)
def patch_number(
    number_id: str, body: NumberPatch, admin: AdminDep, backend: BackendDep
) -> BusinessNumber:
    with backend.db.writing() as session:
        return number_view(ops.patch_number(session, number_id, body), admin.actor)
