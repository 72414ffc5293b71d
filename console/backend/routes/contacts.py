"""Contacts: list/search, create, read, change, soft-delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.auth import BackendDep, CallerDep
from console.backend.idempotency import Created, IdempotencyKeyHeader, create_once, fingerprint
from console.backend.ops import contacts as ops
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
from console.domain.errors import DomainError, ErrorCode
from console.protocol.common import Page
from console.protocol.contacts import Contact, ContactCreate, ContactPatch

router = APIRouter(tags=["contacts"], responses=problem_responses(ErrorCode.UNAUTHORIZED))


@router.get("/v1/contacts")
def list_contacts(
    caller: CallerDep,
    backend: BackendDep,
    q: Annotated[str | None, Query(max_length=200, description="Name or number fragment")] = None,
    limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[Contact]:
    query = ops.search(caller.actor, q)
    if cursor:
        key, contact_id = decode_cursor(cursor, (str, str))
        query = ops.after_cursor(query, key, contact_id)
    query = query.order_by(models.Contact.name_key, models.Contact.id).limit(limit + 1)
    with backend.db.reading() as session:
        rows, more = split_page(session.scalars(query).all(), limit)
        items = [contact_view(row) for row in rows]
    next_cursor = encode_cursor(rows[-1].name_key, rows[-1].id) if more else None
    return Page[Contact](items=items, next_cursor=next_cursor)


@router.post(
    "/v1/contacts",
    status_code=201,
    responses=problem_responses(
        ErrorCode.INVALID_PHONE, ErrorCode.FORBIDDEN, ErrorCode.IDEMPOTENCY_CONFLICT,
        ErrorCode.PHONE_TAKEN,
    ),
)
def create_contact(
    body: ContactCreate, caller: CallerDep, backend: BackendDep, response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Contact:
    """409 `phone_taken` when another live contact holds one of the numbers (a number is on one
    contact only; the answer never says whose)."""

    def create(session: Session) -> Created:
        return Created(201, "contact", ops.create_contact(session, caller.actor, body).id)

    request = fingerprint("POST", "/v1/contacts", body.model_dump(mode="json"))
    created = create_once(backend.db, caller.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    # Read as GET would: a replay must not show a contact reassigned away or deleted since.
    with backend.db.reading() as session:
        return contact_view(ops.find_contact(session, caller.actor, created.resource_id))


@router.get("/v1/contacts/{contact_id}", responses=problem_responses(ErrorCode.NOT_FOUND))
def get_contact(contact_id: str, caller: CallerDep, backend: BackendDep) -> Contact:
    with backend.db.reading() as session:
        return contact_view(ops.find_contact(session, caller.actor, contact_id))


@router.patch(
    "/v1/contacts/{contact_id}",
    responses=problem_responses(
        ErrorCode.NOT_FOUND, ErrorCode.INVALID_PHONE, ErrorCode.FORBIDDEN, ErrorCode.PHONE_TAKEN,
        ErrorCode.CONFLICT,
    ),
)
def patch_contact(
    contact_id: str, body: ContactPatch, caller: CallerDep, backend: BackendDep
) -> Contact:
    """409 `phone_taken` when another live contact holds one of the numbers."""
    try:
        with backend.db.writing() as session:
            return contact_view(ops.patch_contact(session, caller.actor, contact_id, body))
    except IntegrityError:
        pass
    # Another request took one of these numbers at the same moment (the unique index refused
    # ours): run again, and the check before the write names the clash.
    try:
        with backend.db.writing() as session:
            return contact_view(ops.patch_contact(session, caller.actor, contact_id, body))
    except IntegrityError as exc:
        raise DomainError(
            ErrorCode.CONFLICT, "A concurrent change conflicted with this one; retry."
        ) from exc


@router.delete(
    "/v1/contacts/{contact_id}", status_code=204, responses=problem_responses(ErrorCode.NOT_FOUND)
)
def delete_contact(contact_id: str, caller: CallerDep, backend: BackendDep) -> Response:
    with backend.db.writing() as session:
        ops.delete_contact(session, caller.actor, contact_id)
    return Response(status_code=204)
