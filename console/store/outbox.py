"""The outbox: local writes waiting to reach the server, and their state machine.

    pending --claim--> sending --complete--> done
       ^                  |
       +---retry_later----+--fail--> failed
    (sending -> pending also on start-up: a crash mid-request is retried with the same key)

Every transition is one guarded UPDATE (`WHERE state IN (...)`), so a stale caller gets
InvalidTransition instead of silently overwriting a newer state.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from console.domain.messages import MessageStatus
from console.store.changes import Changes
from console.store.models import messages, outbox


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DONE = "done"
    FAILED = "failed"


class OutboxKind(StrEnum):
    SEND_MESSAGE = "send_message"
    MARK_READ = "mark_read"


# state -> states it may move to
TRANSITIONS: Mapping[OutboxState, frozenset[OutboxState]] = {
    OutboxState.PENDING: frozenset({OutboxState.SENDING, OutboxState.FAILED}),
    OutboxState.SENDING: frozenset({OutboxState.DONE, OutboxState.PENDING, OutboxState.FAILED}),
    OutboxState.DONE: frozenset(),
    OutboxState.FAILED: frozenset(),
}
OPEN_STATES = (OutboxState.PENDING, OutboxState.SENDING)


class InvalidTransition(RuntimeError):
    def __init__(self, item_id: int, current: str | None, target: OutboxState) -> None:
        where = "missing" if current is None else f"in state {current!r}"
        super().__init__(f"outbox item {item_id} is {where}: cannot move to {target.value!r}")
        self.item_id = item_id
        self.current = current
        self.target = target


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    idempotency_key: str
    kind: str
    conversation_id: str | None
    message_id: int | None
    payload: dict[str, Any]
    state: OutboxState
    attempts: int
    next_attempt_at: datetime
    last_error_code: str | None
    last_error: str | None
    created_at: datetime


def _item(row: Any) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        idempotency_key=row.idempotency_key,
        kind=row.kind,
        conversation_id=row.conversation_id,
        message_id=row.message_id,
        payload=json.loads(row.payload),
        state=OutboxState(row.state),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error_code=row.last_error_code,
        last_error=row.last_error,
        created_at=row.created_at,
    )


def new_idempotency_key() -> str:
    return str(uuid.uuid4())


def enqueue(
    conn: Connection,
    kind: OutboxKind,
    *,
    now: datetime,
    conversation_id: str | None = None,
    message_id: int | None = None,
    payload: Mapping[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> int:
    """Add a pending item (inside the caller's transaction); returns its id."""
    result = conn.execute(
        insert(outbox).values(
            idempotency_key=idempotency_key or new_idempotency_key(),
            kind=kind.value,
            conversation_id=conversation_id,
            message_id=message_id,
            payload=json.dumps(dict(payload or {})),
            state=OutboxState.PENDING.value,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def get(conn: Connection, item_id: int) -> OutboxItem | None:
    row = conn.execute(select(outbox).where(outbox.c.id == item_id)).first()
    return _item(row) if row else None


def open_items(conn: Connection) -> list[OutboxItem]:
    """Items not finished yet, in composition order."""
    rows = conn.execute(select(outbox).where(outbox.c.state.in_(OPEN_STATES)).order_by(outbox.c.id))
    return [_item(row) for row in rows]


def due_items(conn: Connection, now: datetime) -> list[OutboxItem]:
    """The head of each conversation's queue, when it is pending and due.

    Items for one conversation go strictly in composition order: a later message waits while
    an earlier one is backing off, so the other side never sees them swapped.
    """
    due: list[OutboxItem] = []
    seen: set[str] = set()
    for item in open_items(conn):
        lane = item.conversation_id or f"#{item.id}"
        if lane in seen:
            continue
        seen.add(lane)
        if item.state is OutboxState.PENDING and item.next_attempt_at <= now:
            due.append(item)
    return due


def next_due_at(conn: Connection) -> datetime | None:
    """When the earliest pending item becomes due (for the engine's wait)."""
    value = conn.execute(
        select(func.min(outbox.c.next_attempt_at)).where(
            outbox.c.state == OutboxState.PENDING.value
        )
    ).scalar_one_or_none()
    return value if isinstance(value, datetime) else None


def pending_count(conn: Connection) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(outbox).where(outbox.c.state.in_(OPEN_STATES))
        ).scalar_one()
    )


def _move(
    conn: Connection, item_id: int, target: OutboxState, now: datetime, **values: Any
) -> None:
    sources = [s.value for s, targets in TRANSITIONS.items() if target in targets]
    result = conn.execute(
        update(outbox)
        .where(outbox.c.id == item_id, outbox.c.state.in_(sources))
        .values(state=target.value, updated_at=now, **values)
    )
    if result.rowcount != 1:
        current = conn.execute(
            select(outbox.c.state).where(outbox.c.id == item_id)
        ).scalar_one_or_none()
        raise InvalidTransition(item_id, current, target)


def claim(conn: Connection, item_id: int, now: datetime) -> OutboxItem:
    """pending -> sending, counting the attempt. Commit before the request goes out."""
    _move(conn, item_id, OutboxState.SENDING, now, attempts=outbox.c.attempts + 1)
    item = get(conn, item_id)
    assert item is not None
    return item


def complete(conn: Connection, item_id: int, now: datetime) -> None:
    """sending -> done."""
    _move(conn, item_id, OutboxState.DONE, now, last_error_code=None, last_error=None)


def retry_later(
    conn: Connection,
    item_id: int,
    *,
    at: datetime,
    now: datetime,
    code: str | None = None,
    error: str | None = None,
) -> None:
    """sending -> pending, due again at `at` (the same idempotency key is reused)."""
    _move(
        conn,
        item_id,
        OutboxState.PENDING,
        now,
        next_attempt_at=at,
        last_error_code=code,
        last_error=error,
    )


def fail(conn: Connection, item_id: int, *, code: str, error: str, now: datetime) -> Changes:
    """-> failed for good (the server refused it); a message it carried is marked failed too."""
    _move(conn, item_id, OutboxState.FAILED, now, last_error_code=code, last_error=error)
    changes = Changes(outbox=True)
    item = get(conn, item_id)
    if item is not None and item.message_id is not None:
        conn.execute(
            update(messages)
            .where(messages.c.id == item.message_id, messages.c.server_id.is_(None))
            .values(status=MessageStatus.FAILED.value, error_code=code, error_detail=error)
        )
        if item.conversation_id:
            changes.add_message(item.conversation_id, item.message_id)
    return changes


def recover_interrupted(conn: Connection, now: datetime) -> int:
    """sending -> pending for items a previous run left mid-request; returns how many."""
    result = conn.execute(
        update(outbox)
        .where(outbox.c.state == OutboxState.SENDING.value)
        .values(state=OutboxState.PENDING.value, next_attempt_at=now, updated_at=now)
    )
    return int(result.rowcount)


def find_open(conn: Connection, kind: OutboxKind, conversation_id: str) -> OutboxItem | None:
    row = conn.execute(
        select(outbox)
        .where(
            outbox.c.kind == kind.value,
            outbox.c.conversation_id == conversation_id,
            outbox.c.state == OutboxState.PENDING.value,
        )
        .order_by(outbox.c.id.desc())
        .limit(1)
    ).first()
    return _item(row) if row else None
