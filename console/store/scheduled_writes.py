"""Scheduled sends written here: shown at once, sent through the outbox in their own lane.

As with audience groups (store/group_writes.py), nothing is written into the synced table:
reads lay the open outbox items over it (scheduled_queries.py). A new schedule lives under a
local id (LOCAL_SCHEDULED_PREFIX + its outbox key) until the server answers; an edit or a
cancel queued behind it names that id and is resolved to the server's when it goes
(server_id). The server's answers and the feed fill the synced table (upsert_scheduled).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, update
from sqlalchemy.dialects.sqlite import insert

from console.protocol.scheduled import ScheduledSend
from console.store import outbox as ob
from console.store.changes import Changes
from console.store.local_lane import LocalLane
from console.store.models import scheduled_sends

LOCAL_SCHEDULED_PREFIX = "local-sch-"
NOT_CREATED_CODE = "scheduled_not_created"
LANE = LocalLane(
    prefix=LOCAL_SCHEDULED_PREFIX,
    id_key="scheduled_id",
    create=ob.OutboxKind.SCHEDULE_CREATE,
    followers=(ob.OutboxKind.SCHEDULE_EDIT, ob.OutboxKind.SCHEDULE_CANCEL),
)


def is_local_scheduled(scheduled_id: str | None) -> bool:
    return LANE.is_local(scheduled_id)


def server_id(conn: Connection, scheduled_id: str) -> str:
    """`scheduled_id`, or the server's id once the schedule made here under it was created."""
    return LANE.server_id(conn, scheduled_id)


def _send_at(moment: datetime) -> str:
    return moment.isoformat()


def queue_schedule(
    conn: Connection, *, conversation_id: str, body: str, send_at: datetime, now: datetime
) -> tuple[str, Changes]:
    """A message to send in `conversation_id` at `send_at` (aware); returns its local id."""
    scheduled_id = LANE.queue_create(conn, {
        "kind": "message", "conversation_id": conversation_id, "body": body,
        "send_at": _send_at(send_at),
    }, now)
    return scheduled_id, Changes(scheduled={scheduled_id}, conversations={conversation_id},
                                 outbox=True)


def queue_schedule_group_message(
    conn: Connection, *, group_id: str, sender_user_id: str, title: str, body: str,
    send_at: datetime, now: datetime, merge_fields: bool = False,
) -> tuple[str, Changes]:
    """A group message to send at `send_at` to the group's members of that moment (each
    recipient's copy filled with their own merge fields when `merge_fields`)."""
    scheduled_id = LANE.queue_create(conn, {
        "kind": "group_message", "group_id": group_id, "sender_user_id": sender_user_id,
        "title": title, "body": body, "send_at": _send_at(send_at),
        "merge_fields": merge_fields,
    }, now)
    return scheduled_id, Changes(scheduled={scheduled_id}, outbox=True)


def queue_edit(
    conn: Connection, *, scheduled_id: str, patch: Mapping[str, Any], now: datetime
) -> Changes:
    """New text and/or time (`patch`: body?, send_at? as an aware datetime)."""
    scheduled_id = server_id(conn, scheduled_id)  # made here and created since
    wire = {k: _send_at(v) if isinstance(v, datetime) else v for k, v in patch.items()}
    if not LANE.fold_into_create(conn, scheduled_id, wire):
        LANE.queue_follower(conn, ob.OutboxKind.SCHEDULE_EDIT, scheduled_id, {"patch": wire}, now)
    return Changes(scheduled={scheduled_id}, outbox=True)


def queue_cancel(
    conn: Connection, *, scheduled_id: str, now: datetime, body: str = ""
) -> Changes:
    """Cancel it (`body`: its text, for the refused list should the server refuse)."""
    scheduled_id = server_id(conn, scheduled_id)  # made here and created since
    if not LANE.drop_create(conn, scheduled_id):  # never left: nothing for the server to do
        LANE.queue_follower(conn, ob.OutboxKind.SCHEDULE_CANCEL, scheduled_id, {"body": body},
                            now)
    return Changes(scheduled={scheduled_id}, outbox=True)


def adopt_scheduled(conn: Connection, local_id: str, server_id: str) -> Changes:
    """The server created `local_id` as `server_id` (its answer applied already): the edits
    and the cancel queued behind the create name the server's id from now on."""
    LANE.adopt(conn, local_id, server_id)
    return Changes(scheduled={local_id, server_id}, outbox=True)


def upsert_scheduled(conn: Connection, records: Sequence[ScheduledSend]) -> Changes:
    """The server's descriptions (feed events, write answers); an older one never overwrites a
    newer. Whether a failure was told stays as it was."""
    if not records:
        return Changes()
    rows = [
        {
            "id": r.id, "kind": r.kind, "status": r.status, "conversation_id": r.conversation_id,
            "group_id": r.group_id, "sender_user_id": r.sender_user_id, "title": r.title,
            "body": r.body, "send_at": r.send_at, "error_code": r.error_code,
            "error_detail": r.error_detail, "result_id": r.result_id,
            "created_at": r.created_at, "updated_at": r.updated_at, "failure_told": False,
        }
        for r in records
    ]
    statement = insert(scheduled_sends)
    kept = {"id", "failure_told", "created_at"}
    statement = statement.on_conflict_do_update(
        index_elements=[scheduled_sends.c.id],
        set_={c.name: statement.excluded[c.name] for c in scheduled_sends.columns
              if c.name not in kept},
        where=statement.excluded.updated_at >= scheduled_sends.c.updated_at,
    )
    conn.execute(statement, rows)
    conversations = {r.conversation_id for r in records if r.conversation_id}
    return Changes(scheduled={r.id for r in records}, conversations=conversations)


def mark_failures_told(conn: Connection, ids: Sequence[str]) -> None:
    if ids:
        conn.execute(
            update(scheduled_sends)
            .where(scheduled_sends.c.id.in_(list(ids)))
            .values(failure_told=True)
        )
