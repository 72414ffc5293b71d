"""Reading scheduled sends: the synced rows with the open outbox items laid over them (a
schedule made here shows at once, an edit shows its new text and time, a cancel hides it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from console.domain.scheduled import ScheduledItem, ScheduledKind, ScheduledStatus
from console.store import outbox as ob
from console.store.models import scheduled_sends
from console.store.scheduled_writes import server_id

_OPEN = (ob.OutboxState.PENDING, ob.OutboxState.SENDING)


def _item(row: Any) -> ScheduledItem:
    return ScheduledItem(
        id=row.id, kind=ScheduledKind(row.kind), status=ScheduledStatus(row.status),
        body=row.body, send_at=row.send_at, conversation_id=row.conversation_id,
        group_id=row.group_id, title=row.title, error_code=row.error_code,
        error_detail=row.error_detail, result_id=row.result_id,
    )


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo is not None else None


def _laid_over(conn: Connection, synced: Iterable[ScheduledItem]) -> list[ScheduledItem]:
    by_id = {item.id: item for item in synced}
    items = [i for i in ob.open_of_kind(conn, *ob.SCHEDULE_LANE_KINDS) if i.state in _OPEN]
    for open_item in items:  # composition order: a later edit wins
        payload = open_item.payload
        scheduled_id = payload.get("scheduled_id")
        if not isinstance(scheduled_id, str):
            continue
        if open_item.kind == ob.OutboxKind.SCHEDULE_CREATE:
            created = _created(scheduled_id, payload)
            if created is not None:
                by_id[scheduled_id] = created
            continue
        target = by_id.get(scheduled_id)
        if target is None:
            continue
        if open_item.kind == ob.OutboxKind.SCHEDULE_CANCEL:
            by_id.pop(target.id, None)
            continue
        patch = payload.get("patch")
        if isinstance(patch, dict):
            send_at = _moment(patch.get("send_at")) or target.send_at
            body = patch.get("body") if isinstance(patch.get("body"), str) else target.body
            by_id[target.id] = ScheduledItem(**{
                **_fields(target), "send_at": send_at, "body": body, "local": True,
            })
    return sorted(by_id.values(), key=lambda i: (i.send_at, i.id))


def _created(scheduled_id: str, payload: dict[str, Any]) -> ScheduledItem | None:
    """What a create still on its way shows (None: not a payload this console wrote)."""
    send_at, body = _moment(payload.get("send_at")), payload.get("body")
    if send_at is None or not isinstance(body, str):
        return None
    kind = ScheduledKind.GROUP_MESSAGE if payload.get("kind") == "group_message" \
        else ScheduledKind.MESSAGE
    return ScheduledItem(
        id=scheduled_id, kind=kind, status=ScheduledStatus.SCHEDULED, body=body, send_at=send_at,
        conversation_id=_text(payload, "conversation_id"), group_id=_text(payload, "group_id"),
        title=_text(payload, "title"), local=True,
    )


def _text(payload: dict[str, Any], name: str) -> str | None:
    value = payload.get(name)
    return value if isinstance(value, str) else None


def _fields(item: ScheduledItem) -> dict[str, Any]:
    return {name: getattr(item, name) for name in ScheduledItem.__slots__}


def upcoming(conn: Connection, conversation_id: str | None = None) -> list[ScheduledItem]:
    """What is still to go, soonest first: every conversation's, or one's."""
    query = select(scheduled_sends).where(
        scheduled_sends.c.status == ScheduledStatus.SCHEDULED.value
    )
    if conversation_id is not None:
        query = query.where(scheduled_sends.c.conversation_id == conversation_id)
    items = _laid_over(conn, (_item(r) for r in conn.execute(query)))
    items = [i for i in items if i.status is ScheduledStatus.SCHEDULED]
    if conversation_id is not None:
        items = [i for i in items if i.conversation_id == conversation_id]
    return items


def untold_failures(conn: Connection, since: datetime | None = None) -> list[ScheduledItem]:
    """Schedules that failed when their time came (at or after `since`) and the user was not
    told of yet."""
    query = (
        select(scheduled_sends)
        .where(
            scheduled_sends.c.status == ScheduledStatus.FAILED.value,
            scheduled_sends.c.failure_told.is_(False),
            scheduled_sends.c.send_at >= (since or datetime.min.replace(tzinfo=UTC)),
        )
        .order_by(scheduled_sends.c.send_at, scheduled_sends.c.id)
    )
    return [_item(row) for row in conn.execute(query)]


def get_item(conn: Connection, scheduled_id: str) -> ScheduledItem | None:
    """One send by id; a local id whose create went finds the server's row."""
    scheduled_id = server_id(conn, scheduled_id)
    for item in _laid_over(conn, (
        _item(r) for r in conn.execute(
            select(scheduled_sends).where(scheduled_sends.c.id == scheduled_id)
        )
    )):
        if item.id == scheduled_id:
            return item
    return None
