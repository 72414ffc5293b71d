"""Audience-group writes made here: shown at once, sent through the outbox in the group's lane.

Nothing of them is written into the synced tables: reads lay the open outbox items over the
cache (pending_group_writes), the way contact edits are shown. So a sync page landing before
the request does not undo them on screen, a refused write simply stops showing (the refused
list has it), and a full resync, which replaces the synced tables whole but keeps the outbox,
keeps showing them.

A new group lives under a local id (LOCAL_GROUP_PREFIX + its outbox key) until the server
answers; membership edits and group messages queued for it wait behind it in its lane and are
moved to the server's id when it is created (adopt_group), or fail with it (fail_behind_create).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, update

from console.store import outbox as ob
from console.store.changes import Changes
from console.store.models import outbox

LOCAL_GROUP_PREFIX = "local-group-"
# Items behind a group that could not be created fail with this code (a Retry of the create
# puts them back: outbox.requeue_failed).
NOT_CREATED_CODE = ob.GROUP_NOT_CREATED_CODE
MEMBER_KINDS = (ob.OutboxKind.GROUP_MEMBER_ADD, ob.OutboxKind.GROUP_MEMBER_REMOVE)


def is_local_group(group_id: str | None) -> bool:
    return bool(group_id) and str(group_id).startswith(LOCAL_GROUP_PREFIX)


def server_id(conn: Connection, group_id: str) -> str:
    """`group_id`, or the server's id once the group created here under it was created (its
    create item done, with the server's id as result_id). Writes resolve it inside their own
    transaction: a dialog opened while the group was still being created holds the local id."""
    if not is_local_group(group_id):
        return group_id
    item = ob.by_key(conn, group_id[len(LOCAL_GROUP_PREFIX) :])
    result = item.payload.get("result_id") if item is not None else None
    return result if isinstance(result, str) and result else group_id


def _queue(
    conn: Connection, kind: ob.OutboxKind, payload: Mapping[str, Any], now: datetime,
    key: str | None = None,
) -> tuple[int, str]:
    key = key or ob.new_idempotency_key()
    return ob.enqueue(conn, kind, now=now, payload=payload, idempotency_key=key), key


def queue_create_group(
    conn: Connection, *, name: str, description: str, now: datetime
) -> tuple[str, int, str, Changes]:
    """A new group (name and description already checked); returns (local id, outbox id, key,
    changes)."""
    key = ob.new_idempotency_key()
    group_id = f"{LOCAL_GROUP_PREFIX}{key}"
    item_id, _ = _queue(
        conn,
        ob.OutboxKind.CREATE_GROUP,
        {"group_id": group_id, "name": name, "description": description},
        now,
        key,
    )
    return group_id, item_id, key, Changes(groups={group_id}, outbox=True)


def queue_rename_group(
    conn: Connection, *, group_id: str, patch: Mapping[str, str], now: datetime
) -> tuple[int, str, Changes]:
    """A PATCH of the group's name and/or description."""
    item_id, key = _queue(
        conn, ob.OutboxKind.RENAME_GROUP, {"group_id": group_id, "patch": dict(patch)}, now
    )
    return item_id, key, Changes(groups={group_id}, outbox=True)


def queue_delete_group(
    conn: Connection, *, group_id: str, now: datetime
) -> tuple[int, str, Changes]:
    item_id, key = _queue(conn, ob.OutboxKind.DELETE_GROUP, {"group_id": group_id}, now)
    return item_id, key, Changes(groups={group_id}, outbox=True)


# -- what the open items show ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PendingCreate:
    group_id: str  # the local id
    key: str
    name: str
    description: str
    created_at: datetime
    refused: bool = False
    error: str | None = None


@dataclass
class PendingGroupWrites:
    """Open (and, for creates, refused) group writes, folded in composition order."""

    creates: dict[str, PendingCreate] = field(default_factory=dict)
    # group id -> the merged patch ({name?, description?}) still on its way
    patches: dict[str, dict[str, str]] = field(default_factory=dict)
    deletes: set[str] = field(default_factory=set)
    # group id -> contact id -> True (being added) / False (being removed): the newest wins
    members: dict[str, dict[str, bool]] = field(default_factory=dict)
    # group id -> idempotency key of its newest open write (Retry / Discard / follow-up)
    keys: dict[str, str] = field(default_factory=dict)
    messages: list[ob.OutboxItem] = field(default_factory=list)
    refused_messages: list[ob.OutboxItem] = field(default_factory=list)

    def membership(self, group_id: str) -> dict[str, bool]:
        return self.members.get(group_id, {})

    def adds(self, group_id: str) -> list[str]:
        return [c for c, add in self.membership(group_id).items() if add]

    def removes(self, group_id: str) -> list[str]:
        return [c for c, add in self.membership(group_id).items() if not add]

    def groups_of(self, contact_id: str) -> dict[str, bool]:
        """group id -> being added (True) / removed (False), for one person."""
        return {g: m[contact_id] for g, m in self.members.items() if contact_id in m}


def pending_group_writes(conn: Connection) -> PendingGroupWrites:
    """Every group write still to go (pending or sending), and refused creates and messages."""
    found = PendingGroupWrites()
    kinds = tuple(ob.GROUP_LANE_KINDS)
    for item in ob.open_of_kind(conn, *kinds):
        _fold(found, item, refused=False)
    for item in ob.failed_items(conn):
        if item.kind in (ob.OutboxKind.CREATE_GROUP, ob.OutboxKind.GROUP_MESSAGE):
            _fold(found, item, refused=True)
    return found


def _fold(found: PendingGroupWrites, item: ob.OutboxItem, *, refused: bool) -> None:
    payload = item.payload
    group_id = str(payload.get("group_id") or "")
    if not refused:
        found.keys[group_id] = item.idempotency_key
    if item.kind == ob.OutboxKind.CREATE_GROUP:
        found.creates[group_id] = PendingCreate(
            group_id=group_id,
            key=item.idempotency_key,
            name=str(payload.get("name") or ""),
            description=str(payload.get("description") or ""),
            created_at=item.created_at,
            refused=refused,
            error=item.last_error if refused else None,
        )
    elif item.kind == ob.OutboxKind.RENAME_GROUP:
        patch = payload.get("patch")
        if isinstance(patch, dict):
            found.patches.setdefault(group_id, {}).update(
                {k: str(v) for k, v in patch.items() if k in ("name", "description")}
            )
    elif item.kind == ob.OutboxKind.DELETE_GROUP:
        found.deletes.add(group_id)
    elif item.kind in MEMBER_KINDS:
        contact_id = payload.get("contact_id")
        if isinstance(contact_id, str):
            found.members.setdefault(group_id, {})[contact_id] = (
                item.kind == ob.OutboxKind.GROUP_MEMBER_ADD
            )
    elif item.kind == ob.OutboxKind.GROUP_MESSAGE:
        (found.refused_messages if refused else found.messages).append(item)


# -- the server's answer to a create ----------------------------------------------------------


def adopt_group(conn: Connection, local_id: str, server_id: str) -> Changes:
    """The server created `local_id` as `server_id`: every item still naming the local id
    (queued behind the create, or refused) names the server's from now on."""
    changes = Changes(groups={local_id, server_id}, outbox=True)
    for item in ob.open_items(conn) + ob.failed_items(conn):
        if item.kind in ob.GROUP_LANE_KINDS and item.payload.get("group_id") == local_id:
            payload = {**item.payload, "group_id": server_id}
            conn.execute(
                update(outbox).where(outbox.c.id == item.id).values(payload=json.dumps(payload))
            )
    return changes


def fail_behind_create(
    conn: Connection, item: ob.OutboxItem, *, error: str, now: datetime
) -> Changes:
    """The create `item` was refused: what waits behind it for its local id fails too (it has
    nowhere to go until the user retries the create)."""
    changes = Changes(outbox=True)
    local_id = item.payload.get("group_id")
    if not is_local_group(local_id if isinstance(local_id, str) else None):
        return changes
    detail = f"The group could not be created: {error}"
    for other in ob.open_items(conn):
        if other.id == item.id or other.payload.get("group_id") != local_id:
            continue
        if other.kind not in ob.GROUP_LANE_KINDS or other.state is not ob.OutboxState.PENDING:
            continue
        changes.merge(ob.fail(conn, other.id, code=NOT_CREATED_CODE, error=detail, now=now))
    changes.groups.add(str(local_id))
    return changes


def discard_local_group(conn: Connection, local_id: str) -> Changes:
    """Drop a group that never reached the server, with everything queued for it: deleting it
    before it exists. InvalidTransition when its create is already being sent (it may exist)."""
    items = [
        i
        for i in ob.open_items(conn) + ob.failed_items(conn)
        if i.kind in ob.GROUP_LANE_KINDS and i.payload.get("group_id") == local_id
    ]
    for item in sorted(items, key=lambda i: i.kind != ob.OutboxKind.CREATE_GROUP):
        ob.discard(conn, item.id)  # the create first: if it is in flight, nothing goes
    return Changes(groups={local_id}, outbox=True)
