"""Message templates: the caller's own and the shared ones; admins manage the shared ones."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy.orm import Session

from console.backend.auth import BackendDep, CallerDep
from console.backend.idempotency import Created, IdempotencyKeyHeader, create_once, fingerprint
from console.backend.ops import templates as ops
from console.backend.problems import problem_responses
from console.domain.errors import ErrorCode
from console.protocol.common import Page
from console.protocol.templates import Template, TemplateCreate, TemplatePatch

router = APIRouter(tags=["templates"], responses=problem_responses(ErrorCode.UNAUTHORIZED))

IdPath = Annotated[str, Path(min_length=1, max_length=64)]
_WRITE_PROBLEMS = (
    ErrorCode.FORBIDDEN,
    ErrorCode.TEMPLATE_NAME_TAKEN,
    ErrorCode.UNKNOWN_MERGE_FIELD,
    ErrorCode.VALIDATION_ERROR,
)


@router.get("/v1/templates")
def list_templates(caller: CallerDep, backend: BackendDep) -> Page[Template]:
    """The caller's personal templates and every shared one, by name (case does not count);
    all of them in one page (`next_cursor` is always null)."""
    with backend.db.reading() as session:
        rows = ops.by_name(session.scalars(ops.visible(caller.actor)).all())
        return Page[Template](items=[ops.view(row) for row in rows])


@router.post(
    "/v1/templates",
    status_code=201,
    responses=problem_responses(*_WRITE_PROBLEMS, ErrorCode.IDEMPOTENCY_CONFLICT),
)
def create_template(
    body: TemplateCreate,
    caller: CallerDep,
    backend: BackendDep,
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Template:
    """409 `template_name_taken` if a live template of the same scope (the caller's personal
    ones, or the shared ones) has that name, case aside; 403 `forbidden` for a shared one
    unless an admin; 422 `unknown_merge_field` for a `{token}` that is no merge field."""

    def create(session: Session) -> Created:
        return Created(201, "template", ops.create(session, caller.actor, body).id)

    request = fingerprint("POST", "/v1/templates", body.model_dump(mode="json"))
    created = create_once(backend.db, caller.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    with backend.db.reading() as session:  # as GET would: a replay of a deleted one is 404
        return ops.view(ops.find(session, caller.actor, created.resource_id))


@router.get("/v1/templates/{template_id}", responses=problem_responses(ErrorCode.NOT_FOUND))
def get_template(template_id: IdPath, caller: CallerDep, backend: BackendDep) -> Template:
    with backend.db.reading() as session:
        return ops.view(ops.find(session, caller.actor, template_id))


@router.patch(
    "/v1/templates/{template_id}",
    responses=problem_responses(ErrorCode.NOT_FOUND, *_WRITE_PROBLEMS),
)
def edit_template(
    template_id: IdPath, patch: TemplatePatch, caller: CallerDep, backend: BackendDep
) -> Template:
    """Change its name, body or sharing (`version` moves by one when anything changed). A
    shared template, or sharing one: admins only (403 `forbidden`)."""
    with backend.db.writing() as session:
        return ops.view(ops.edit(session, caller.actor, template_id, patch))


@router.delete(
    "/v1/templates/{template_id}",
    status_code=204,
    responses=problem_responses(ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN),
)
def delete_template(template_id: IdPath, caller: CallerDep, backend: BackendDep) -> Response:
    """Soft delete; its name is free again. A shared one: admins only."""
    with backend.db.writing() as session:
        ops.delete(session, caller.actor, template_id)
    return Response(status_code=204)
