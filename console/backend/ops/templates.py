"""Message templates: personal (its owner's alone: anyone else is told it does not exist) or
shared (everyone sees them; only admins make, change, share or delete them).

A live name is unique within its scope (the owner's personal templates, or the shared ones),
case-insensitively: `live_name_key` holds the scope and the casefolded name while the template
is live (NULL once deleted, so the name can be used again). A body or name using a `{token}`
that is no merge field is refused (422 `unknown_merge_field`) so a typo is never sent.

Feed: `template.upserted` (the Template) and `template.deleted` (`{"id"}`). A personal
template's events reach its owner only; a shared one's reach everyone. Turning a shared
template personal tells everyone it is gone, then its owner that it is theirs.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.domain import merge_fields
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.domain.messages import normalize_body
from console.protocol.templates import (
    MAX_TEMPLATE_NAME,
    Template,
    TemplateCreate,
    TemplateDeleted,
    TemplatePatch,
)

UPSERTED = events.TEMPLATE_UPSERTED
DELETED = events.TEMPLATE_DELETED


def view(row: models.Template) -> Template:
    return Template.model_validate(row)


def require_known_fields(text: str, what: str) -> None:
    """422 `unknown_merge_field` naming the `{tokens}` of `text` that are no merge field."""
    unknown = merge_fields.unknown_fields(text)
    if unknown:
        named = ", ".join("{" + name + "}" for name in unknown)
        known = ", ".join("{" + name + "}" for name in merge_fields.FIELDS)
        raise DomainError(
            ErrorCode.UNKNOWN_MERGE_FIELD,
            f"{what}: {named} is not a merge field (known: {known}; "
            "write {{ and }} for a literal brace).",
        )


def _name(name: str) -> str:
    text = " ".join(name.split())
    if not text:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "name: a template needs a name.")
    if len(text) > MAX_TEMPLATE_NAME:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, f"name: at most {MAX_TEMPLATE_NAME} characters."
        )
    require_known_fields(text, "name")
    return text


def _body(body: str) -> str:
    text = normalize_body(body)
    require_known_fields(text, "body")
    return text


def name_key(name: str, *, shared: bool, owner_user_id: str) -> str:
    scope = "shared" if shared else f"user:{owner_user_id}"
    return f"{scope}:{name.casefold()}"


def _require_free_name(session: Session, key: str, except_id: str | None = None) -> None:
    clash = session.scalar(
        select(models.Template.name)
        .where(models.Template.live_name_key == key)
        .where(models.Template.id != (except_id or ""))
    )
    if clash is not None:
        raise DomainError(
            ErrorCode.TEMPLATE_NAME_TAKEN, f"There is already a template named {clash!r}."
        )


def _require_admin_for_shared(actor: Actor) -> None:
    if not actor.is_admin:
        raise DomainError(
            ErrorCode.FORBIDDEN, "Only admins may create, change or delete shared templates."
        )


def visible(actor: Actor) -> Select[models.Template]:
    """The live templates `actor` sees: their own and every shared one."""
    t = models.Template
    return select(t).where(
        t.deleted_at.is_(None), or_(t.shared.is_(True), t.owner_user_id == actor.user_id)
    )


def by_name(rows: Sequence[models.Template]) -> list[models.Template]:
    """Shared and personal together, by name (case does not count), then id."""
    return sorted(rows, key=lambda row: (row.name.casefold(), row.id))


def not_found(template_id: str) -> DomainError:
    # Someone else's personal template is as unknown as one that never was.
    return DomainError(ErrorCode.NOT_FOUND, f"No template {template_id!r}.")


def find(session: Session, actor: Actor, template_id: str) -> models.Template:
    row = session.get(models.Template, template_id)
    if (
        row is None
        or row.deleted_at is not None
        or (not row.shared and row.owner_user_id != actor.user_id)
    ):
        raise not_found(template_id)
    return row


def _record(session: Session, row: models.Template, type_: str) -> None:
    data = view(row) if type_ == UPSERTED else TemplateDeleted(id=row.id)
    if row.shared:
        events.record(session, type_, row.id, data)  # about no person: everyone's
    else:
        events.record(
            session,
            type_,
            row.id,
            data,
            owner_user_id=row.owner_user_id,
            only_user_id=row.owner_user_id,
        )


def create(session: Session, actor: Actor, data: TemplateCreate) -> models.Template:
    if data.shared:
        _require_admin_for_shared(actor)
    name, body = _name(data.name), _body(data.body)
    key = name_key(name, shared=data.shared, owner_user_id=actor.user_id)
    # The feed's write turn first: it serializes writers, so no other create takes the name
    # between the check and the insert (the unique key would refuse it besides).
    events.prepare_write(session)
    _require_free_name(session, key)
    now = utcnow()
    row = models.Template(
        id=new_id("tpl"),
        name=name,
        body=body,
        shared=data.shared,
        owner_user_id=actor.user_id,
        live_name_key=key,
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    _record(session, row, UPSERTED)
    return row


def edit(session: Session, actor: Actor, template_id: str, patch: TemplatePatch) -> models.Template:
    events.prepare_write(session)
    row = find(session, actor, template_id)
    if row.shared or patch.shared:
        _require_admin_for_shared(actor)
    name = _name(patch.name) if patch.name is not None else row.name
    body = _body(patch.body) if patch.body is not None else row.body
    shared = patch.shared if patch.shared is not None else row.shared
    if (name, body, shared) == (row.name, row.body, row.shared):
        return row  # nothing changed: no new version, no event
    key = name_key(name, shared=shared, owner_user_id=row.owner_user_id)
    _require_free_name(session, key, except_id=row.id)
    unshared = row.shared and not shared
    if unshared:
        _record(session, row, DELETED)  # everyone else: it is gone
    row.name, row.body, row.shared, row.live_name_key = name, body, shared, key
    row.version += 1
    row.updated_at = utcnow()
    session.flush()
    _record(session, row, UPSERTED)
    return row


def delete(session: Session, actor: Actor, template_id: str) -> None:
    events.prepare_write(session)
    row = find(session, actor, template_id)
    if row.shared:
        _require_admin_for_shared(actor)
    row.deleted_at = row.updated_at = utcnow()
    row.live_name_key = None
    session.flush()
    _record(session, row, DELETED)
