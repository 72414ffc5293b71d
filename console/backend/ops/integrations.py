"""Integrations (admin): outgoing webhooks, their secrets (kept, never shown) and deliveries."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.outbound_guard import check_url
from console.backend.webhooks import secret_hint
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.protocol.deliveries import Delivery
from console.protocol.integrations import Integration, IntegrationCreate


def integration_view(row: models.Integration) -> Integration:
    return Integration.model_validate(
        {
            "id": row.id,
            "url": row.url,
            "events": row.events,
            "secret_hint": secret_hint(row.secret),
            "created_at": row.created_at,
        }
    )


def delivery_view(row: models.Delivery) -> Delivery:
    return Delivery.model_validate(row)


def _check_url(url: str, allow_private: bool) -> str:
    text = url.strip()
    # A literal private address is refused here, clearly; what a name resolves to is checked
    # on every connection (console.backend.outbound_guard).
    problem = check_url(text, allow_private=allow_private)
    if problem:
        raise DomainError(ErrorCode.VALIDATION_ERROR, f"url: {problem}")
    parts = urlsplit(text)
    if parts.username or parts.password:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, "url: no credentials in the URL; the secret signs calls"
        )
    return text


def live_integrations() -> Select[models.Integration]:
    return select(models.Integration).where(models.Integration.deleted_at.is_(None))


def create_integration(
    session: Session, actor: Actor, data: IntegrationCreate, *, allow_private: bool = False
) -> models.Integration:
    secret = data.secret.strip()
    if len(secret) < 16:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "secret: at least 16 characters")
    row = models.Integration(
        id=new_id("int"),
        url=_check_url(data.url, allow_private),
        secret=secret,
        events=sorted(set(data.events)) if data.events is not None else None,
        created_by_user_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def find_integration(
    session: Session, integration_id: str, *, removed_too: bool = False
) -> models.Integration:
    """`removed_too`: also one that was deleted (its delivery record stays readable)."""
    row = session.get(models.Integration, integration_id)
    if row is None or (row.deleted_at is not None and not removed_too):
        raise DomainError(ErrorCode.NOT_FOUND, f"No integration {integration_id!r}.")
    return row


def delete_integration(session: Session, integration_id: str) -> None:
    """Stops forwarding at once; its pending deliveries give up; past ones stay on record."""
    row = find_integration(session, integration_id)
    row.deleted_at = utcnow()


def deliveries_page(
    session: Session,
    condition: ColumnElement[bool],
    limit: int,
    cursor: tuple[datetime, str] | None,
) -> tuple[list[Delivery], tuple[datetime, str] | None]:
    """Deliveries matching `condition`, oldest first; and the cursor of the next page."""
    d = models.Delivery
    query = select(d).where(condition)
    if cursor is not None:
        at, delivery_id = cursor
        query = query.where(or_(d.created_at > at, and_(d.created_at == at, d.id > delivery_id)))
    rows = session.scalars(query.order_by(d.created_at, d.id).limit(limit + 1)).all()
    page = [delivery_view(row) for row in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    return page, (last.created_at, last.id) if last is not None else None
