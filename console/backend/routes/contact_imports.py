"""Contact imports: many contacts at once (each bad row skipped with its reason), listed,
and undone as a whole."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy import and_, or_
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.auth import BackendDep, CallerDep
from console.backend.idempotency import Created, IdempotencyKeyHeader, create_once, fingerprint
from console.backend.ops import contact_imports as ops
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
from console.protocol.contact_imports import ContactImport, ContactImportCreate

router = APIRouter(tags=["contact imports"], responses=problem_responses(ErrorCode.UNAUTHORIZED))

PATH = "/v1/contact-imports"
# A 20,000-row import is a few MB of JSON: this route alone takes more than the usual limit.
MAX_IMPORT_BODY_BYTES = 16 * 1024 * 1024
IdPath = Annotated[str, Path(min_length=1, max_length=64)]


@router.post(
    PATH,
    status_code=201,
    responses=problem_responses(ErrorCode.IDEMPOTENCY_CONFLICT, ErrorCode.PAYLOAD_TOO_LARGE),
)
def create_contact_import(
    body: ContactImportCreate,
    caller: CallerDep,
    backend: BackendDep,
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> ContactImport:
    """Every row checked again: one whose number is invalid, outside US/Canada, already on a
    live contact or on an earlier row, or with no name, is skipped (`skipped`: its 1-based
    position in `rows`, a code, a detail); the others become contacts in one transaction, each
    with its `contact.upserted` event, assigned as POST /v1/contacts assigns one made by the
    caller. A row with `dnd` true has DND on, audited with source "import"."""

    def create(session: Session) -> Created:
        return Created(201, "contact_import", ops.create_import(session, caller.actor, body).id)

    request = fingerprint("POST", PATH, body.model_dump(mode="json"))
    created = create_once(backend.db, caller.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    with backend.db.reading() as session:
        return ops.import_view(ops.find_import(session, caller.actor, created.resource_id))


@router.get(PATH)
def list_contact_imports(
    caller: CallerDep,
    backend: BackendDep,
    limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[ContactImport]:
    """The caller's imports (an admin's: everyone's), newest first."""
    row = models.ContactImport
    query = ops.visible_imports(caller.actor)
    if cursor:
        at, after = decode_cursor(cursor, (datetime, str))
        query = query.where(or_(row.created_at < at, and_(row.created_at == at, row.id < after)))
    query = query.order_by(row.created_at.desc(), row.id.desc()).limit(limit + 1)
    with backend.db.reading() as session:
        rows, more = split_page(session.scalars(query).all(), limit)
        items = [ops.import_view(r) for r in rows]
    next_cursor = encode_cursor(rows[-1].created_at, rows[-1].id) if more else None
    return Page[ContactImport](items=items, next_cursor=next_cursor)


@router.get(PATH + "/{import_id}", responses=problem_responses(ErrorCode.NOT_FOUND))
def get_contact_import(import_id: IdPath, caller: CallerDep, backend: BackendDep) -> ContactImport:
    with backend.db.reading() as session:
        return ops.import_view(ops.find_import(session, caller.actor, import_id))


@router.delete(
    PATH + "/{import_id}",
    responses=problem_responses(ErrorCode.NOT_FOUND, ErrorCode.ALREADY_UNDONE),
)
def undo_contact_import(import_id: IdPath, caller: CallerDep, backend: BackendDep) -> ContactImport:
    """Undo: every contact it made that is still live is deleted as DELETE /v1/contacts/{id}
    deletes one, in one transaction; answers the import with `undone_at` set. Again: 409
    `already_undone`. Only its importer or an admin (others: 404)."""
    with backend.db.writing() as session:
        return ops.import_view(ops.undo_import(session, caller.actor, import_id))
