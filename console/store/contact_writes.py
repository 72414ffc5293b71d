"""New and deleted contacts: shown at once, sent through the outbox (edits: local_writes.py).

A new contact is written to the cache under a local id (LOCAL_CONTACT_PREFIX + its outbox key)
with its phones, so the contacts page lists it straight away; the outbox item carries the POST
body. When the server answers, its contact replaces the local row and every queued item that
named the local id names the server's (adopt_contact). A refused create keeps its row (the
page shows why) until the user retries or discards it; Discard removes the row.

A delete leaves the cached row as the server last said (group chats need it for their
`Deleted` tag) and waits in the outbox: the page shows the contact as being deleted until the
feed or the answer marks it deleted. A refused delete simply stops showing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from console.store import outbox as ob
from console.store.changes import Changes
from console.store.contact_search import LOCAL_CONTACT_PREFIX
from console.store.models import contact_phones, contacts, outbox

CONTACT_KINDS = (
    ob.OutboxKind.CONTACT_CREATE,
    ob.OutboxKind.CONTACT_EDIT,
    ob.OutboxKind.CONTACT_DELETE,
)
# Items behind a contact that could not be created fail with this code.
NOT_CREATED_CODE = "contact_not_created"


class UnknownContact(LookupError):
    pass


def is_local_contact(contact_id: str | None) -> bool:
    return bool(contact_id) and str(contact_id).startswith(LOCAL_CONTACT_PREFIX)


def queue_contact_create(
    conn: Connection, *, body: Mapping[str, Any], now: datetime
) -> tuple[str, int, str, Changes]:
    """The local contact row (and its phones) plus its outbox item, in the caller's
    transaction. `body` is the POST body, already checked: name, phones [{number (E.164),
    label}], email, dnd, and assigned_user_id when the user chose one. Returns (local id,
    outbox id, key, changes)."""
    key = ob.new_idempotency_key()
    contact_id = f"{LOCAL_CONTACT_PREFIX}{key}"
    conn.execute(
        insert(contacts).values(
            id=contact_id,
            name=body["name"],
            email=body.get("email"),
            dnd=bool(body.get("dnd", False)),
            assigned_user_id=body.get("assigned_user_id"),
            updated_at=now,
            deleted=False,
        )
    )
    phones = [
        {"contact_id": contact_id, "position": i, "number": p["number"], "label": p["label"]}
        for i, p in enumerate(body.get("phones") or [])
    ]
    if phones:
        conn.execute(insert(contact_phones), phones)
    item_id = ob.enqueue(
        conn,
        ob.OutboxKind.CONTACT_CREATE,
        now=now,
        payload={"contact_id": contact_id, "body": dict(body)},
        idempotency_key=key,
    )
    return contact_id, item_id, key, Changes(contacts={contact_id}, outbox=True)


def queue_contact_delete(
    conn: Connection, *, contact_id: str, now: datetime
) -> tuple[int | None, Changes]:
    """Delete `contact_id`: one outbox item (the cached row stays until the server says).

    A contact that never left this machine (its create not yet sent) is simply dropped, with
    its create and the edits queued behind it; returns (None, changes) then.
    """
    exists = conn.execute(
        select(contacts.c.id).where(contacts.c.id == contact_id, contacts.c.deleted.is_(False))
    ).first()
    if exists is None:
        raise UnknownContact(contact_id)
    changes = Changes(contacts={contact_id}, outbox=True)
    if is_local_contact(contact_id):
        create = _create_item(conn, contact_id)
        if create is None or (
            create.state is ob.OutboxState.FAILED
            or (create.state is ob.OutboxState.PENDING and create.attempts == 0)
        ):
            for item in _items_of(conn, contact_id):
                conn.execute(delete(outbox).where(outbox.c.id == item.id))
            conn.execute(delete(contacts).where(contacts.c.id == contact_id))
            return None, changes
    item_id = ob.enqueue(
        conn,
        ob.OutboxKind.CONTACT_DELETE,
        now=now,
        payload={"contact_id": contact_id},
    )
    return item_id, changes


def adopt_contact(conn: Connection, local_id: str, server_id: str) -> Changes:
    """The server created `local_id` as `server_id` (already applied to the cache): the local
    row goes, and the items queued behind the create name the server's id."""
    for item in _items_of(conn, local_id):
        if item.kind == ob.OutboxKind.CONTACT_CREATE:
            continue  # it keeps the local id: server_id_of() finds the new one through it
        payload = {**item.payload, "contact_id": server_id}
        conn.execute(
            update(outbox).where(outbox.c.id == item.id).values(payload=json.dumps(payload))
        )
    conn.execute(delete(contacts).where(contacts.c.id == local_id))
    return Changes(contacts={local_id, server_id}, outbox=True)


def fail_behind_create(
    conn: Connection, item: ob.OutboxItem, *, error: str, now: datetime
) -> Changes:
    """A refused create takes down what was queued for that contact: those edits and deletes
    have nowhere to go until the user retries the create."""
    changes = Changes(outbox=True)
    contact_id = item.payload.get("contact_id")
    if item.kind != ob.OutboxKind.CONTACT_CREATE or not isinstance(contact_id, str):
        return changes
    changes.contacts.add(contact_id)
    detail = f"The contact could not be created: {error}"
    for other in _items_of(conn, contact_id):
        if other.id == item.id or other.state is not ob.OutboxState.PENDING:
            continue
        ob.fail(conn, other.id, code=NOT_CREATED_CODE, error=detail, now=now)
    return changes


def requeue_behind_create(conn: Connection, item: ob.OutboxItem, now: datetime) -> Changes:
    """Retry of a create: what failed only because the contact did not exist goes back too."""
    changes = Changes(outbox=True)
    contact_id = item.payload.get("contact_id")
    if item.kind != ob.OutboxKind.CONTACT_CREATE or not isinstance(contact_id, str):
        return changes
    changes.contacts.add(contact_id)
    for other in ob.failed_items(conn):
        if (
            other.payload.get("contact_id") == contact_id
            and other.last_error_code == NOT_CREATED_CODE
        ):
            changes.merge(ob.requeue_failed(conn, other.id, now))
    return changes


def discard_local(conn: Connection, item: ob.OutboxItem) -> Changes:
    """What a discarded contact item showed locally goes with it (in the caller's transaction):
    a create's local row, and the items that could only follow it."""
    changes = Changes(outbox=True)
    contact_id = item.payload.get("contact_id")
    if not isinstance(contact_id, str):
        return changes
    changes.contacts.add(contact_id)
    if item.kind == ob.OutboxKind.CONTACT_CREATE and is_local_contact(contact_id):
        for other in _items_of(conn, contact_id):
            conn.execute(delete(outbox).where(outbox.c.id == other.id))
        conn.execute(delete(contacts).where(contacts.c.id == contact_id))
    return changes


# -- reads over the outbox ------------------------------------------------------------------------


def pending_contact_states(
    conn: Connection, contact_ids: Sequence[str] | None = None
) -> dict[str, str]:
    """contact id -> what is waiting for it: "deleting", "creating", "saving" (an edit), or
    "refused" (its create was refused and waits for the user). Only contacts with something
    waiting are listed; `contact_ids` narrows the answer (None: all)."""
    wanted = set(contact_ids) if contact_ids is not None else None
    states: dict[str, str] = {}
    rows = conn.execute(
        select(outbox.c.kind, outbox.c.payload, outbox.c.state)
        .where(
            outbox.c.kind.in_([k.value for k in CONTACT_KINDS]),
            outbox.c.state.in_(
                [s.value for s in (*ob.OPEN_STATES, ob.OutboxState.FAILED)]
            ),
        )
        .order_by(outbox.c.id)
    )
    rank = {"saving": 1, "creating": 2, "refused": 3, "deleting": 4}
    for kind, payload, state in rows:
        contact_id = json.loads(payload).get("contact_id")
        if not isinstance(contact_id, str) or (wanted is not None and contact_id not in wanted):
            continue
        if state == ob.OutboxState.FAILED.value:
            if kind != ob.OutboxKind.CONTACT_CREATE.value:
                continue  # a refused edit or delete stops showing (the refused list has it)
            label = "refused"
        elif kind == ob.OutboxKind.CONTACT_DELETE.value:
            label = "deleting"
        elif kind == ob.OutboxKind.CONTACT_CREATE.value:
            label = "creating"
        else:
            label = "saving"
        if rank[label] > rank.get(states.get(contact_id, ""), 0):
            states[contact_id] = label
    return states


def server_id_of(conn: Connection, local_id: str) -> str | None:
    """The server's id for a contact created here under `local_id`, once it answered."""
    rows = conn.execute(
        select(outbox.c.payload).where(
            outbox.c.kind == ob.OutboxKind.CONTACT_CREATE.value,
            outbox.c.state == ob.OutboxState.DONE.value,
            outbox.c.idempotency_key == local_id.removeprefix(LOCAL_CONTACT_PREFIX),
        )
    ).scalars()
    for payload in rows:
        result = json.loads(payload).get("result_id")
        if isinstance(result, str):
            return result
    return None


def pending_patches(conn: Connection, contact_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """contact id -> its open edits merged in composition order (later fields win), for the
    ids of `contact_ids` that have any. One pass over the outbox for a whole page of rows."""
    wanted = set(contact_ids)
    merged: dict[str, dict[str, Any]] = {}
    for item in ob.open_of_kind(conn, ob.OutboxKind.CONTACT_EDIT):
        contact_id = item.payload.get("contact_id")
        if isinstance(contact_id, str) and contact_id in wanted:
            merged.setdefault(contact_id, {}).update(item.payload.get("patch") or {})
    return merged


def refusals(conn: Connection, contact_ids: Sequence[str]) -> dict[str, str]:
    """contact id -> the server's reason for refusing its create, for local contacts of
    `contact_ids` whose create was refused."""
    wanted = {c for c in contact_ids if is_local_contact(c)}
    if not wanted:
        return {}
    found: dict[str, str] = {}
    for item in ob.failed_items(conn):
        contact_id = item.payload.get("contact_id")
        if item.kind == ob.OutboxKind.CONTACT_CREATE and contact_id in wanted:
            found[str(contact_id)] = item.last_error or item.last_error_code or "refused"
    return found


def refusal_of(conn: Connection, contact_id: str) -> str | None:
    """The server's reason for refusing this local contact's create, if it did."""
    create = _create_item(conn, contact_id)
    if create is None or create.state is not ob.OutboxState.FAILED:
        return None
    return create.last_error or create.last_error_code


def group_chats_with(conn: Connection, contact_id: str) -> list[tuple[str, str, str]]:
    """(conversation id, title, frozen number) of each cached group chat that has `contact_id`
    as a participant, by title. Those chats keep sending to that number after a delete."""
    rows = conn.exec_driver_sql(
        "SELECT c.id, c.title, json_extract(p.value, '$.phone') "
        "FROM conversations AS c, json_each(c.participants_json) AS p "
        "WHERE c.kind = 'group_sms' AND c.participants_json IS NOT NULL "
        "AND json_extract(p.value, '$.contact_id') = ? "
        "ORDER BY c.title COLLATE NOCASE, c.id",
        (contact_id,),
    )
    return [(str(r[0]), str(r[1] or ""), str(r[2] or "")) for r in rows]


def _items_of(conn: Connection, contact_id: str) -> list[ob.OutboxItem]:
    """Open or failed contact items naming `contact_id`, in composition order."""
    rows = conn.execute(
        select(outbox)
        .where(
            outbox.c.kind.in_([k.value for k in CONTACT_KINDS]),
            outbox.c.state != ob.OutboxState.DONE.value,
        )
        .order_by(outbox.c.id)
    )
    found = []
    for row in rows:
        if json.loads(row.payload).get("contact_id") == contact_id:
            item = ob.get(conn, row.id)
            if item is not None:
                found.append(item)
    return found


def _create_item(conn: Connection, contact_id: str) -> ob.OutboxItem | None:
    for item in _items_of(conn, contact_id):
        if item.kind == ob.OutboxKind.CONTACT_CREATE:
            return item
    return None
