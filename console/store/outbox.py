"""The outbox: local writes waiting to reach the server, and their state machine.

    pending --claim--> sending --complete--> done
       ^  ^               |
       |  +--retry_later--+--fail--> failed
       +----------- user Retry ----------+        (Discard deletes a failed item)
    (sending -> pending also on start-up: a crash mid-request is retried with the same key)

Every transition is one guarded UPDATE (`WHERE state IN (...)`), so a stale caller gets
InvalidTransition instead of silently overwriting a newer state.

Ordering. Items fall into lanes: one conversation, one contact, one audience group. A lane goes
out strictly in composition order (outbox id order): while its head is pending (even backing
off after an error) or in flight, nothing behind it is sent, so the other side never sees two
messages swapped and a group message never overtakes the membership edit composed before it.
A head that FAILED for good (the server refused it) no longer holds the lane: the user decides
about it (Retry puts it back in its original place, Discard drops it), and the messages written
after it are not held hostage to that decision. This is what chat apps do: one refused message
shows a red "not sent" while the ones after it go out.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, select, update

from console.domain.messages import MessageStatus
from console.store.changes import Changes
from console.store.conversation_views import (
    PENDING_CONVERSATION_PREFIX as PENDING_CONVERSATION_PREFIX,
)
from console.store.models import messages, outbox


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DONE = "done"
    FAILED = "failed"


class OutboxKind(StrEnum):
    SEND_MESSAGE = "send_message"
    # An internal note (store/local_writes.py queue_note): a pending row in the conversation,
    # in its lane like a send, filled in place by the server's answer.
    NOTE_CREATE = "note_create"
    MARK_READ = "mark_read"
    MARK_UNREAD = "mark_unread"  # the user's "Mark as unread"; a later MARK_READ wins in order
    CONTACT_EDIT = "contact_edit"
    CONTACT_CREATE = "contact_create"  # local row under a local id (store/contact_writes.py)
    CONTACT_DELETE = "contact_delete"
    CREATE_GROUP_CHAT = "create_group_chat"
    GROUP_MEMBER_ADD = "group_member_add"
    GROUP_MEMBER_REMOVE = "group_member_remove"
    GROUP_MESSAGE = "group_message"
    # Audience groups (store/group_writes.py): a new one lives under a local id until created.
    CREATE_GROUP = "create_group"
    RENAME_GROUP = "rename_group"
    DELETE_GROUP = "delete_group"
    # An agent's answer to a suspected opt-out (store/local_writes.py queue_opt_out).
    OPT_OUT_CONFIRM = "opt_out_confirm"
    OPT_OUT_DISMISS = "opt_out_dismiss"
    # Scheduled sends (store/scheduled_writes.py): a new one lives under a local id until
    # created; its edits and cancellation go after it in its own lane.
    SCHEDULE_CREATE = "schedule_create"
    SCHEDULE_EDIT = "schedule_edit"
    SCHEDULE_CANCEL = "schedule_cancel"
    # Templates (store/template_writes.py): the same, in the template's lane.
    TEMPLATE_CREATE = "template_create"
    TEMPLATE_EDIT = "template_edit"
    TEMPLATE_DELETE = "template_delete"
    # Contact imports (store/contact_import_writes.py): one POST of a whole file's good rows,
    # and the undo of one the server made. Each is a lane of its own (OutboxItem.lane): an
    # import waits for nothing else, and nothing waits for a large one.
    CONTACT_IMPORT = "contact_import"
    CONTACT_IMPORT_UNDO = "contact_import_undo"
    # An admin's compliance settings (services/compliance.py): a number's opt-out hint, and
    # a state's quiet hours window set or cleared. The server's answer is written on success.
    NUMBER_EDIT = "number_edit"
    QUIET_HOURS_SET = "quiet_hours_set"
    QUIET_HOURS_CLEAR = "quiet_hours_clear"


# state -> states it may move to (FAILED -> PENDING only by the user's Retry)
TRANSITIONS: Mapping[OutboxState, frozenset[OutboxState]] = {
    OutboxState.PENDING: frozenset({OutboxState.SENDING, OutboxState.FAILED}),
    OutboxState.SENDING: frozenset({OutboxState.DONE, OutboxState.PENDING, OutboxState.FAILED}),
    OutboxState.DONE: frozenset(),
    OutboxState.FAILED: frozenset({OutboxState.PENDING}),
}
OPEN_STATES = (OutboxState.PENDING, OutboxState.SENDING)
# Kinds that go out in their contact's lane (payload["contact_id"]).
CONTACT_LANE_KINDS = frozenset(
    {OutboxKind.CONTACT_CREATE, OutboxKind.CONTACT_EDIT, OutboxKind.CONTACT_DELETE}
)
# Kinds that go out in their audience group's lane (payload["group_id"]): a membership edit or
# group message composed after a create, rename or delete goes after it.
GROUP_LANE_KINDS = frozenset(
    {
        OutboxKind.CREATE_GROUP,
        OutboxKind.RENAME_GROUP,
        OutboxKind.DELETE_GROUP,
        OutboxKind.GROUP_MEMBER_ADD,
        OutboxKind.GROUP_MEMBER_REMOVE,
        OutboxKind.GROUP_MESSAGE,
    }
)
# Kinds that go out in their scheduled send's lane (payload["scheduled_id"]).
SCHEDULE_LANE_KINDS = frozenset(
    {OutboxKind.SCHEDULE_CREATE, OutboxKind.SCHEDULE_EDIT, OutboxKind.SCHEDULE_CANCEL}
)
# Kinds that go out in their template's lane (payload["template_id"]).
TEMPLATE_LANE_KINDS = frozenset(
    {OutboxKind.TEMPLATE_CREATE, OutboxKind.TEMPLATE_EDIT, OutboxKind.TEMPLATE_DELETE}
)
# Contact imports and their undos (payload["import_id"] for an undo).
CONTACT_IMPORT_KINDS = frozenset({OutboxKind.CONTACT_IMPORT, OutboxKind.CONTACT_IMPORT_UNDO})
# A state's quiet hours window: set and clear go in the state's lane, in order.
QUIET_HOURS_KINDS = frozenset({OutboxKind.QUIET_HOURS_SET, OutboxKind.QUIET_HOURS_CLEAR})
# Read and unread marks of a conversation: the newest open one says what the row shows.
READ_MARK_KINDS = frozenset({OutboxKind.MARK_READ, OutboxKind.MARK_UNREAD})
# An agent's answer to a suspected opt-out: goes in its conversation's lane.
OPT_OUT_KINDS = frozenset({OutboxKind.OPT_OUT_CONFIRM, OutboxKind.OPT_OUT_DISMISS})
# Items behind a group chat that could not be created fail with this code.
NOT_CREATED_CODE = "group_chat_not_created"
# Items behind an audience group that could not be created (store/group_writes.py).
GROUP_NOT_CREATED_CODE = "group_not_created"


class InvalidTransition(RuntimeError):
    def __init__(self, item_id: int, current: str | None, target: OutboxState | str) -> None:
        where = "missing" if current is None else f"in state {current!r}"
        name = target.value if isinstance(target, OutboxState) else target
        super().__init__(f"outbox item {item_id} is {where}: cannot move to {name!r}")
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

    @property
    def lane(self) -> str:
        """Items of one lane go out one at a time, in composition order (see the module doc)."""
        if self.kind in CONTACT_LANE_KINDS:
            return f"contact:{self.payload.get('contact_id')}"
        if self.kind in GROUP_LANE_KINDS:
            return f"group:{self.payload.get('group_id')}"
        if self.kind in SCHEDULE_LANE_KINDS:
            return f"scheduled:{self.payload.get('scheduled_id')}"
        if self.kind in TEMPLATE_LANE_KINDS:
            return f"template:{self.payload.get('template_id')}"
        if self.kind in CONTACT_IMPORT_KINDS:
            return f"contact_import:{self.id}"
        if self.kind == OutboxKind.NUMBER_EDIT:
            return f"number:{self.payload.get('number_id')}"
        if self.kind in QUIET_HOURS_KINDS:
            return f"quiet_hours:{self.payload.get('state')}"
        if self.conversation_id:
            return f"conversation:{self.conversation_id}"
        return f"item:{self.id}"


def is_pending_conversation(conversation_id: str | None) -> bool:
    return bool(conversation_id) and str(conversation_id).startswith(PENDING_CONVERSATION_PREFIX)


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


def by_key(conn: Connection, idempotency_key: str) -> OutboxItem | None:
    row = conn.execute(select(outbox).where(outbox.c.idempotency_key == idempotency_key)).first()
    return _item(row) if row else None


def for_message(conn: Connection, message_id: int) -> OutboxItem | None:
    row = conn.execute(
        select(outbox).where(outbox.c.message_id == message_id).order_by(outbox.c.id.desc())
    ).first()
    return _item(row) if row else None


def open_items(conn: Connection) -> list[OutboxItem]:
    """Items not finished yet, in composition order."""
    rows = conn.execute(select(outbox).where(outbox.c.state.in_(OPEN_STATES)).order_by(outbox.c.id))
    return [_item(row) for row in rows]


def failed_items(conn: Connection) -> list[OutboxItem]:
    """Items the server refused, waiting for the user's Retry or Discard; oldest first."""
    rows = conn.execute(
        select(outbox).where(outbox.c.state == OutboxState.FAILED.value).order_by(outbox.c.id)
    )
    return [_item(row) for row in rows]


def due_items(conn: Connection, now: datetime) -> list[OutboxItem]:
    """The head of each lane, when it is pending and due (see the module doc on ordering)."""
    due: list[OutboxItem] = []
    seen: set[str] = set()
    for item in open_items(conn):
        lane = item.lane
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


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    pending: int  # still to go (pending or sending)
    refused: int  # refused by the server, waiting for the user's Retry or Discard


def counts(conn: Connection) -> OutboxCounts:
    """Both counts the status bar shows, in one query."""
    rows = conn.execute(select(outbox.c.state, func.count()).group_by(outbox.c.state))
    by_state: dict[str, int] = {str(state): int(count) for state, count in rows}
    pending = sum(by_state.get(state.value, 0) for state in OPEN_STATES)
    return OutboxCounts(pending, by_state.get(OutboxState.FAILED.value, 0))


def failed_count(conn: Connection) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(outbox)
            .where(outbox.c.state == OutboxState.FAILED.value)
        ).scalar_one()
    )


def _move(
    conn: Connection,
    item_id: int,
    target: OutboxState,
    now: datetime,
    *,
    sources: tuple[OutboxState, ...],
    **values: Any,
) -> None:
    assert all(target in TRANSITIONS[s] for s in sources), (sources, target)
    result = conn.execute(
        update(outbox)
        .where(outbox.c.id == item_id, outbox.c.state.in_([s.value for s in sources]))
        .values(state=target.value, updated_at=now, **values)
    )
    if result.rowcount != 1:
        current = conn.execute(
            select(outbox.c.state).where(outbox.c.id == item_id)
        ).scalar_one_or_none()
        raise InvalidTransition(item_id, current, target)


def claim(conn: Connection, item_id: int, now: datetime) -> OutboxItem:
    """pending -> sending, counting the attempt. Commit before the request goes out."""
    _move(
        conn,
        item_id,
        OutboxState.SENDING,
        now,
        sources=(OutboxState.PENDING,),
        attempts=outbox.c.attempts + 1,
    )
    item = get(conn, item_id)
    assert item is not None
    return item


def complete(
    conn: Connection, item_id: int, now: datetime, *, result_id: str | None = None
) -> None:
    """sending -> done; `result_id` (what the server created, if anything) joins the payload."""
    values: dict[str, Any] = {"last_error_code": None, "last_error": None}
    if result_id is not None:
        item = get(conn, item_id)
        if item is not None:
            values["payload"] = json.dumps({**item.payload, "result_id": result_id})
    _move(conn, item_id, OutboxState.DONE, now, sources=(OutboxState.SENDING,), **values)


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
        sources=(OutboxState.SENDING,),
        next_attempt_at=at,
        last_error_code=code,
        last_error=error,
    )


def _fail_message(
    conn: Connection, item: OutboxItem, code: str, error: str, changes: Changes
) -> None:
    if item.message_id is None:
        return
    conn.execute(
        update(messages)
        .where(messages.c.id == item.message_id, messages.c.server_id.is_(None))
        .values(status=MessageStatus.FAILED.value, error_code=code, error_detail=error)
    )
    if item.conversation_id:
        changes.add_message(item.conversation_id, item.message_id)


def fail(conn: Connection, item_id: int, *, code: str, error: str, now: datetime) -> Changes:
    """-> failed for good (the server refused it); a message it carried is marked failed too.

    A group chat that could not be created takes down what was queued inside it: those
    messages have nowhere to go until the user retries the chat.
    """
    _move(
        conn,
        item_id,
        OutboxState.FAILED,
        now,
        sources=(OutboxState.PENDING, OutboxState.SENDING),
        last_error_code=code,
        last_error=error,
    )
    changes = Changes(outbox=True)
    item = get(conn, item_id)
    if item is None:
        return changes
    _fail_message(conn, item, code, error, changes)
    _note_contact(item, changes)
    if item.kind == OutboxKind.CREATE_GROUP_CHAT and item.conversation_id:
        detail = f"The group chat could not be created: {error}"
        for other in open_items(conn):
            if other.conversation_id != item.conversation_id or other.id == item.id:
                continue
            _move(
                conn,
                other.id,
                OutboxState.FAILED,
                now,
                sources=(OutboxState.PENDING,),
                last_error_code=NOT_CREATED_CODE,
                last_error=detail,
            )
            _fail_message(conn, other, NOT_CREATED_CODE, detail, changes)
        changes.conversations.add(item.conversation_id)
    return changes


def _note_contact(item: OutboxItem, changes: Changes) -> None:
    """A contact's item changed state: its row shows differently (pending, refused)."""
    contact_id = item.payload.get("contact_id")
    if item.kind in CONTACT_LANE_KINDS and isinstance(contact_id, str):
        changes.contacts.add(contact_id)


def requeue_failed(conn: Connection, item_id: int, now: datetime) -> Changes:
    """The user's Retry: failed -> pending, due now, attempts counted afresh.

    The key is kept, so if an earlier attempt did reach the server the retry replays it instead
    of doing it twice; only a key the server says it holds for a different request
    (idempotency_conflict) is replaced. A message goes back to pending where it was composed.
    """
    item = get(conn, item_id)
    if item is None or item.state is not OutboxState.FAILED:
        raise InvalidTransition(item_id, item.state.value if item else None, OutboxState.PENDING)
    values: dict[str, Any] = {
        "next_attempt_at": now,
        "attempts": 0,
        "last_error_code": None,
        "last_error": None,
    }
    key = item.idempotency_key
    if item.last_error_code == "idempotency_conflict":
        key = new_idempotency_key()
        values["idempotency_key"] = key
    _move(conn, item_id, OutboxState.PENDING, now, sources=(OutboxState.FAILED,), **values)
    changes = Changes(outbox=True)
    _note_contact(item, changes)
    if item.message_id is not None:
        message_values: dict[str, Any] = {
            "status": MessageStatus.PENDING.value,
            "error_code": None,
            "error_detail": None,
        }
        if key != item.idempotency_key:
            message_values["client_key"] = key
        conn.execute(
            update(messages)
            .where(messages.c.id == item.message_id, messages.c.server_id.is_(None))
            .values(**message_values)
        )
        if item.conversation_id:
            changes.add_message(item.conversation_id, item.message_id)
    if item.kind == OutboxKind.CREATE_GROUP_CHAT and item.conversation_id:
        # What failed only because the chat did not exist goes back with it.
        for other in failed_items(conn):
            if (
                other.conversation_id == item.conversation_id
                and other.last_error_code == NOT_CREATED_CODE
            ):
                changes.merge(requeue_failed(conn, other.id, now))
        changes.conversations.add(item.conversation_id)
    if item.kind == OutboxKind.CREATE_GROUP:
        # Likewise what was queued for an audience group that was not created.
        for other in failed_items(conn):
            if (
                other.payload.get("group_id") == item.payload.get("group_id")
                and other.last_error_code == GROUP_NOT_CREATED_CODE
            ):
                changes.merge(requeue_failed(conn, other.id, now))
    return changes


def discard(conn: Connection, item_id: int) -> OutboxItem:
    """Delete an item the server refused, or one that never left this machine.

    One guarded DELETE: an item the engine claimed meanwhile (it may reach the server) is not
    deleted, and InvalidTransition says so. The caller removes what the item showed locally,
    in the same transaction.
    """
    item = get(conn, item_id)
    result = conn.execute(
        delete(outbox).where(
            outbox.c.id == item_id,
            (outbox.c.state == OutboxState.FAILED.value)
            | ((outbox.c.state == OutboxState.PENDING.value) & (outbox.c.attempts == 0)),
        )
    )
    if result.rowcount != 1 or item is None:
        current = conn.execute(
            select(outbox.c.state).where(outbox.c.id == item_id)
        ).scalar_one_or_none()
        raise InvalidTransition(item_id, current, "discarded")
    return item


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


def latest_read_mark(conn: Connection, conversation_id: str) -> OutboxItem | None:
    """The newest open read or unread mark of `conversation_id` (it decides the unread badge
    until the server has both)."""
    row = conn.execute(
        select(outbox)
        .where(
            outbox.c.kind.in_([k.value for k in READ_MARK_KINDS]),
            outbox.c.conversation_id == conversation_id,
            outbox.c.state.in_(OPEN_STATES),
        )
        .order_by(outbox.c.id.desc())
        .limit(1)
    ).first()
    return _item(row) if row else None


def conversations_marked(kind: OutboxKind) -> Select[tuple[str | None]]:
    """Ids of the conversations whose newest open read/unread mark is of `kind` (a subquery
    for laying those marks over server copies of the conversations)."""
    newest = (
        select(func.max(outbox.c.id))
        .where(
            outbox.c.kind.in_([k.value for k in READ_MARK_KINDS]),
            outbox.c.state.in_(OPEN_STATES),
        )
        .group_by(outbox.c.conversation_id)
    )
    return select(outbox.c.conversation_id).where(
        outbox.c.id.in_(newest), outbox.c.kind == kind.value
    )


def open_of_kind(conn: Connection, *kinds: OutboxKind) -> list[OutboxItem]:
    """Open items of these kinds, oldest first (for showing local edits over the cache)."""
    rows = conn.execute(
        select(outbox)
        .where(outbox.c.state.in_(OPEN_STATES), outbox.c.kind.in_([k.value for k in kinds]))
        .order_by(outbox.c.id)
    )
    return [_item(row) for row in rows]
