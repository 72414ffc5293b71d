"""Staff accounts (admins only)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.auth import AdminDep, BackendDep
from console.backend.idempotency import Created, IdempotencyKeyHeader, create_once, fingerprint
from console.backend.ops import users as ops
from console.backend.pagination import (
    DEFAULT_PAGE,
    CursorParam,
    LimitParam,
    decode_cursor,
    encode_cursor,
    split_page,
)
from console.backend.problems import problem_responses
from console.backend.views import user_view
from console.domain.errors import ErrorCode
from console.protocol.auth import User, UserCreate, UserPatch
from console.protocol.common import Page

router = APIRouter(
    tags=["users"],
    responses=problem_responses(ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN),
)


@router.get("/v1/users")
def list_users(
    _admin: AdminDep, backend: BackendDep, limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[User]:
    query = select(models.User).order_by(models.User.email, models.User.id)
    if cursor:
        email, user_id = decode_cursor(cursor, (str, str))
        query = query.where(
            or_(models.User.email > email, and_(models.User.email == email,
                                                models.User.id > user_id))
        )
    with backend.db.reading() as session:
        rows, more = split_page(session.scalars(query.limit(limit + 1)).all(), limit)
        items = [user_view(row) for row in rows]
    next_cursor = encode_cursor(rows[-1].email, rows[-1].id) if more else None
    return Page[User](items=items, next_cursor=next_cursor)


@router.post(
    "/v1/users",
    status_code=201,
    responses=problem_responses(ErrorCode.CONFLICT, ErrorCode.IDEMPOTENCY_CONFLICT),
)
def create_user(
    body: UserCreate, admin: AdminDep, backend: BackendDep, response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> User:
    def create(session: Session) -> Created:
        return Created(201, "user", ops.create_user(session, body).id)

    # The password stays out of the fingerprint: no password-derived value is ever stored.
    request = fingerprint("POST", "/v1/users", body.model_dump(mode="json", exclude={"password"}))
    created = create_once(backend.db, admin.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    with backend.db.reading() as session:
        return user_view(ops.find_user(session, created.resource_id))


@router.get("/v1/users/{user_id}", responses=problem_responses(ErrorCode.NOT_FOUND))
def get_user(user_id: str, _admin: AdminDep, backend: BackendDep) -> User:
    with backend.db.reading() as session:
        return user_view(ops.find_user(session, user_id))


@router.patch(
    "/v1/users/{user_id}",
    responses=problem_responses(
        ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.CANNOT_DEACTIVATE_SELF
    ),
)
def patch_user(user_id: str, body: UserPatch, admin: AdminDep, backend: BackendDep) -> User:
    """A new `password` ends every session of that user; `active: false` deactivates (as
    DELETE does), `active: true` reactivates."""
    with backend.db.writing() as session:
        return user_view(ops.patch_user(session, user_id, body, admin.actor.user_id))


@router.delete(
    "/v1/users/{user_id}",
    status_code=204,
    responses=problem_responses(
        ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.CANNOT_DEACTIVATE_SELF
    ),
)
def deactivate_user(user_id: str, admin: AdminDep, backend: BackendDep) -> Response:
    """Deactivate: the user can no longer sign in, their tokens are revoked and their open event
    streams end; their history stays (the user reads back with `active: false`). PATCH
    `{"active": true}` undoes it. Admins cannot deactivate themselves (409)."""
    with backend.db.writing() as session:
        ops.deactivate_user(session, user_id, admin.actor.user_id)
    return Response(status_code=204)
