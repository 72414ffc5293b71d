"""Business numbers: the lines SMS are sent from."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops.users import require_user_id
from console.domain.access import Actor, can_send_from
from console.domain.errors import DomainError, ErrorCode
from console.domain.opt_out_hint import normalize_hint
from console.domain.phones import parse_phone, require_us_or_canada
from console.protocol.numbers import NumberCreate, NumberPatch


def find_number(session: Session, number_id: str) -> models.BusinessNumber:
    row = session.get(models.BusinessNumber, number_id)
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No business number {number_id!r}.")
    return row


def require_send_access(actor: Actor, row: models.BusinessNumber) -> None:
    if not can_send_from(actor, is_default=row.is_default, assigned_user_id=row.assigned_user_id):
        raise DomainError(
            ErrorCode.NUMBER_ACCESS_DENIED, f"You may not send from {row.e164} ({row.label})."
        )


def create_number(session: Session, data: NumberCreate) -> models.BusinessNumber:
    e164 = parse_phone(data.e164)
    # Our lines are NANP long codes (group MMS needs US/Canada).
    require_us_or_canada(e164)
    require_user_id(session, data.assigned_user_id, "assigned_user_id")
    if session.scalar(select(models.BusinessNumber).where(models.BusinessNumber.e164 == e164)):
        raise DomainError(ErrorCode.CONFLICT, f"The business number {e164} already exists.")
    now = utcnow()
    row = models.BusinessNumber(
        id=new_id("num"),
        e164=e164,
        label=data.label.strip(),
        is_default=False,
        assigned_user_id=data.assigned_user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    if data.is_default:
        _make_default(session, row)
    events.number_changed(session, row)
    return row


def patch_number(session: Session, number_id: str, patch: NumberPatch) -> models.BusinessNumber:
    row = find_number(session, number_id)
    given = patch.model_fields_set
    if patch.label is not None:
        row.label = patch.label.strip()
    if patch.opt_out_hint is not None:
        row.opt_out_hint = normalize_hint(patch.opt_out_hint)
    if "assigned_user_id" in given:
        require_user_id(
            session, patch.assigned_user_id, "assigned_user_id", current=row.assigned_user_id
        )
        row.assigned_user_id = patch.assigned_user_id
    if patch.is_default is True and not row.is_default:
        _make_default(session, row)
    elif patch.is_default is False:
        row.is_default = False
    row.updated_at = utcnow()
    session.flush()
    events.number_changed(session, row)
    return row


def _make_default(session: Session, row: models.BusinessNumber) -> None:
    """Exactly one default: the previous one stops being it (with its own event)."""
    previous = session.scalars(
        select(models.BusinessNumber).where(
            models.BusinessNumber.is_default.is_(True), models.BusinessNumber.id != row.id
        )
    ).all()
    now = utcnow()
    for other in previous:
        other.is_default = False
        other.updated_at = now
        events.number_changed(session, other)
    row.is_default = True
    row.updated_at = now
