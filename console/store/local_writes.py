"""Writes the user makes locally: each one shows at once and waits in the outbox, atomically."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, update

from console.domain.messages import Direction, MessageStatus
from console.store import contact_writes, search_index
from console.store import outbox as ob
from console.store.changes import Changes
from console.store.models import contacts, conversations, messages, outbox


class UnknownConversation(LookupError):
    pass


class UnknownContact(LookupError):
    pass


class NoOpenOptOut(LookupError):
    """The conversation has no suspected opt-out waiting for an answer (none is open, or the
    agent's answer to it is queued already)."""


@dataclass(frozen=True, slots=True)
class QueuedSend:
    message_id: int
    outbox_id: int
    client_key: str


def queue_send(
    conn: Connection,
    *,
    conversation_id: str,
    body: str,
    author_user_id: str,
    now: datetime,
    client_key: str | None = None,
    quiet_hours_override: bool = False,
) -> tuple[QueuedSend, Changes]:
    """The pending message row, its outbox item and the conversation bump, in the caller's
    transaction. The outbox item's idempotency key is the message's client_key: the server
    echoes it back, which is how the pending row becomes the server row in place.
    `quiet_hours_override`: the agent was warned a recipient is outside quiet hours and sent
    anyway (the server records it)."""
    payload = {"body": body, **({"quiet_hours_override": True} if quiet_hours_override else {})}
    queued = _queue_local_row(
        conn, ob.OutboxKind.SEND_MESSAGE, conversation_id=conversation_id, body=body,
        author_user_id=author_user_id, now=now, key=client_key or ob.new_idempotency_key(),
        payload=payload, note=False,
    )
    conn.execute(
        update(conversations)
        .where(
            and_(
                conversations.c.id == conversation_id,
                or_(conversations.c.activity_at.is_(None), conversations.c.activity_at <= now),
            )
        )
        .values(activity_at=now, last_message_preview=body)
    )
    changes = Changes(conversations={conversation_id}, outbox=True)
    changes.add_message(conversation_id, queued.message_id)
    return queued, changes


def queue_note(
    conn: Connection, *, conversation_id: str, body: str, author_user_id: str, now: datetime
) -> tuple[QueuedSend, Changes]:
    """An internal note: a pending local row marked `note` and its outbox item, in the
    conversation's lane, as queue_send does for a message (the key is the row's client key,
    so the server's answer fills the row in place). Unlike a send it leaves the thread's
    preview and activity time alone: the server does not move the thread for a note either."""
    queued = _queue_local_row(
        conn, ob.OutboxKind.NOTE_CREATE, conversation_id=conversation_id, body=body,
        author_user_id=author_user_id, now=now, key=ob.new_idempotency_key(),
        payload={"body": body}, note=True,
    )
    changes = Changes(outbox=True)
    changes.add_message(conversation_id, queued.message_id)
    return queued, changes


def _queue_local_row(
    conn: Connection, kind: ob.OutboxKind, *, conversation_id: str, body: str,
    author_user_id: str, now: datetime, key: str, payload: Mapping[str, Any], note: bool,
) -> QueuedSend:
    """A pending outbound row and the outbox item that sends it, under one key."""
    exists = conn.execute(
        select(conversations.c.id).where(conversations.c.id == conversation_id)
    ).first()
    if exists is None:
        raise UnknownConversation(conversation_id)
    result = conn.execute(
        insert(messages).values(
            server_id=None,
            client_key=key,
            conversation_id=conversation_id,
            direction=Direction.OUT.value,
            author_user_id=author_user_id,
            body=body,
            status=MessageStatus.PENDING.value,
            created_at=now,
            note=note,
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    message_id = int(pk[0])
    outbox_id = ob.enqueue(
        conn, kind, now=now, conversation_id=conversation_id, message_id=message_id,
        payload=dict(payload), idempotency_key=key,
    )
    search_index.refresh(conn, message_ids=[message_id])  # History finds it at once
    return QueuedSend(message_id, outbox_id, key)


def mark_read(conn: Connection, *, conversation_id: str, now: datetime) -> Changes:
    """unread = 0 locally at once, plus one outbox item to tell the server (coalesced)."""
    unread = conn.execute(
        select(conversations.c.unread_count).where(conversations.c.id == conversation_id)
    ).scalar_one_or_none()
    if unread is None:
        raise UnknownConversation(conversation_id)
    if unread == 0:
        return Changes()
    conn.execute(
        update(conversations).where(conversations.c.id == conversation_id).values(unread_count=0)
    )
    _queue_read_mark(conn, ob.OutboxKind.MARK_READ, conversation_id, now)
    return Changes(conversations={conversation_id}, outbox=True)


def mark_unread(conn: Connection, *, conversation_id: str, now: datetime) -> Changes:
    """The user's "Mark as unread": unread at least 1 locally at once, plus one outbox item in
    the conversation's lane (coalesced). A mark_read composed after it goes out after it."""
    unread = conn.execute(
        select(conversations.c.unread_count).where(conversations.c.id == conversation_id)
    ).scalar_one_or_none()
    if unread is None:
        raise UnknownConversation(conversation_id)
    if unread > 0:
        return Changes()
    conn.execute(
        update(conversations).where(conversations.c.id == conversation_id).values(unread_count=1)
    )
    _queue_read_mark(conn, ob.OutboxKind.MARK_UNREAD, conversation_id, now)
    return Changes(conversations={conversation_id}, outbox=True)


def _queue_read_mark(
    conn: Connection, kind: ob.OutboxKind, conversation_id: str, now: datetime
) -> None:
    """One more read/unread mark, unless the newest one still waiting says the same: read,
    unread, read must reach the server as three (in order), read, read as one."""
    latest = ob.latest_read_mark(conn, conversation_id)
    if latest is not None and latest.kind == kind and latest.state is ob.OutboxState.PENDING:
        return
    ob.enqueue(conn, kind, now=now, conversation_id=conversation_id)


# -- the other write kinds ------------------------------------------------------------------------


def queue_contact_edit(
    conn: Connection, *, contact_id: str, patch: Mapping[str, Any], now: datetime
) -> tuple[int, str, Changes]:
    """One PATCH of a contact (name, phones, dnd) waiting in the outbox; returns (id, key).

    The cached contact row is left as the server last said: reads lay open edits over it
    (pending_contact_patch), so a sync page that lands before the PATCH does not undo the edit
    on screen, and a refused edit simply stops showing.
    """
    exists = conn.execute(select(contacts.c.id).where(contacts.c.id == contact_id)).first()
    if exists is None:
        raise UnknownContact(contact_id)
    key = ob.new_idempotency_key()
    item_id = ob.enqueue(
        conn,
        ob.OutboxKind.CONTACT_EDIT,
        now=now,
        payload={"contact_id": contact_id, "patch": dict(patch)},
        idempotency_key=key,
    )
    return item_id, key, Changes(contacts={contact_id}, outbox=True)


def pending_contact_patch(conn: Connection, contact_id: str) -> dict[str, Any]:
    """Every open edit of `contact_id`, merged in composition order (later fields win)."""
    merged: dict[str, Any] = {}
    for item in ob.open_of_kind(conn, ob.OutboxKind.CONTACT_EDIT):
        if item.payload.get("contact_id") == contact_id:
            merged.update(item.payload.get("patch") or {})
    return merged


def queue_group_chat(
    conn: Connection,
    *,
    number_id: str,
    participants: Sequence[Mapping[str, str]],
    title: str,
    now: datetime,
    replaces: str | None = None,
) -> tuple[str, int, str, Changes]:
    """A group SMS chat created locally at once (under a `local-<key>` id) plus its outbox item.

    `replaces`: the chat it is started instead of; both rows show the link at once.

    Messages sent in it before the server answers queue behind the create (same lane); when it
    is created they move to the server's id (adopt_conversation). Returns (conversation id,
    outbox id, key, changes). `participants`: {contact_id, phone, name} each.
    """
    key = ob.new_idempotency_key()
    conversation_id = f"{ob.PENDING_CONVERSATION_PREFIX}{key}"
    shown = [
        {"contact_id": p["contact_id"], "name": p.get("name", ""), "phone": p["phone"], "tags": []}
        for p in participants
    ]
    conn.execute(
        insert(conversations).values(
            id=conversation_id,
            kind="group_sms",
            title=title,
            number_id=number_id,
            status="active",
            last_message_preview="",
            unread_count=0,
            participants_json=json.dumps(shown),
            replaces=replaces,
            activity_at=now,
            known=True,
        )
    )
    changes = Changes(conversations={conversation_id}, outbox=True)
    payload: dict[str, Any] = {
        "number_id": number_id,
        "participants": [
            {"contact_id": p["contact_id"], "phone": p["phone"]} for p in participants
        ],
    }
    if replaces is not None:
        payload["replaces"] = replaces
        conn.execute(
            update(conversations)
            .where(conversations.c.id == replaces)
            .values(replaced_by=conversation_id)
        )
        changes.conversations.add(replaces)
    item_id = ob.enqueue(
        conn,
        ob.OutboxKind.CREATE_GROUP_CHAT,
        now=now,
        conversation_id=conversation_id,
        payload=payload,
        idempotency_key=key,
    )
    return conversation_id, item_id, key, changes


def adopt_conversation(conn: Connection, local_id: str, server_id: str) -> Changes:
    """The server created `local_id` as `server_id`: move its messages and queued items there.

    The server's conversation row must already be in the cache (the caller applied it).
    """
    changes = Changes(conversations={local_id, server_id}, outbox=True)
    moved = (
        conn.execute(select(messages.c.id).where(messages.c.conversation_id == local_id))
        .scalars()
        .all()
    )
    conn.execute(
        update(messages)
        .where(messages.c.conversation_id == local_id)
        .values(conversation_id=server_id)
    )
    conn.execute(
        update(outbox).where(outbox.c.conversation_id == local_id).values(conversation_id=server_id)
    )
    preview = conn.execute(
        select(conversations.c.activity_at, conversations.c.last_message_preview).where(
            conversations.c.id == local_id
        )
    ).first()
    conn.execute(delete(conversations).where(conversations.c.id == local_id))
    _relink(conn, local_id, server_id, changes)
    if preview is not None and moved:
        conn.execute(
            update(conversations)
            .where(
                conversations.c.id == server_id,
                or_(
                    conversations.c.activity_at.is_(None),
                    conversations.c.activity_at < preview.activity_at,
                ),
            )
            .values(
                activity_at=preview.activity_at, last_message_preview=preview.last_message_preview
            )
        )
    for message_id in moved:
        changes.add_message(server_id, message_id)
    changes.reset = True  # an open view of the local id must re-find its conversation
    return changes


def _relink(conn: Connection, local_id: str, server_id: str | None, changes: Changes) -> None:
    """A chat replaced by the pending `local_id` now is by `server_id` (None: by nothing)."""
    old = (
        conn.execute(select(conversations.c.id).where(conversations.c.replaced_by == local_id))
        .scalars()
        .all()
    )
    if old:
        conn.execute(
            update(conversations)
            .where(conversations.c.replaced_by == local_id)
            .values(replaced_by=server_id)
        )
        changes.conversations.update(old)


def queue_group_member(
    conn: Connection, *, group_id: str, contact_id: str, add: bool, now: datetime
) -> tuple[int, str, Changes]:
    """PUT (add) or DELETE (remove) of one audience-group membership, in the group's lane."""
    key = ob.new_idempotency_key()
    kind = ob.OutboxKind.GROUP_MEMBER_ADD if add else ob.OutboxKind.GROUP_MEMBER_REMOVE
    item_id = ob.enqueue(
        conn,
        kind,
        now=now,
        payload={"group_id": group_id, "contact_id": contact_id},
        idempotency_key=key,
    )
    return item_id, key, Changes(contacts={contact_id}, outbox=True)


def queue_group_message(
    conn: Connection,
    *,
    group_id: str,
    sender_user_id: str,
    title: str,
    body: str,
    now: datetime,
    merge_fields: bool = False,
    quiet_hours_override: bool = False,
) -> tuple[int, str, Changes]:
    """A group message waiting to go out: after every membership edit composed before it
    (`merge_fields`: each recipient's copy is filled with their own names)."""
    key = ob.new_idempotency_key()
    item_id = ob.enqueue(
        conn,
        ob.OutboxKind.GROUP_MESSAGE,
        now=now,
        payload={
            "group_id": group_id,
            "sender_user_id": sender_user_id,
            "title": title,
            "body": body,
            **({"merge_fields": True} if merge_fields else {}),
            **({"quiet_hours_override": True} if quiet_hours_override else {}),
        },
        idempotency_key=key,
    )
    return item_id, key, Changes(outbox=True)


def queue_opt_out(
    conn: Connection, *, conversation_id: str, confirm: bool, now: datetime
) -> tuple[int, Changes]:
    """The agent's answer to the open suspected opt-out of `conversation_id` (confirm: DND on;
    else dismiss), in the caller's transaction: the flag is marked pending at once (it leaves
    the open-flags list; the banner says the answer is on its way) and one outbox item in the
    conversation's lane carries it, naming the flagged message so the server resolves that
    flag and no later one. Returns (outbox id, changes)."""
    row = conn.execute(
        select(
            conversations.c.title,
            conversations.c.opt_out_message_id,
            conversations.c.opt_out_pending,
            conversations.c.opt_out_pending_message_id,
        ).where(conversations.c.id == conversation_id)
    ).first()
    if row is None:
        raise UnknownConversation(conversation_id)
    message_id = row.opt_out_message_id
    if message_id is None or (
        row.opt_out_pending is not None and row.opt_out_pending_message_id == message_id
    ):
        raise NoOpenOptOut(conversation_id)
    kind = ob.OutboxKind.OPT_OUT_CONFIRM if confirm else ob.OutboxKind.OPT_OUT_DISMISS
    conn.execute(
        update(conversations)
        .where(conversations.c.id == conversation_id)
        .values(opt_out_pending=_OPT_OUT_ACTIONS[kind], opt_out_pending_message_id=message_id)
    )
    item_id = ob.enqueue(
        conn,
        kind,
        now=now,
        conversation_id=conversation_id,
        payload={"message_id": message_id, "title": row.title},
    )
    return item_id, Changes(conversations={conversation_id}, outbox=True)


# What conversations.opt_out_pending holds for each kind (services/types.py OptOutAction).
_OPT_OUT_ACTIONS = {
    ob.OutboxKind.OPT_OUT_CONFIRM: "confirm",
    ob.OutboxKind.OPT_OUT_DISMISS: "dismiss",
}


def settle_opt_out(conn: Connection, item: ob.OutboxItem) -> Changes:
    """The answer in `item` is no longer waiting (the server took it, or the user discarded
    it): the conversation shows its flag as the server has it again."""
    if item.conversation_id is None:
        return Changes()
    conn.execute(
        update(conversations)
        .where(
            conversations.c.id == item.conversation_id,
            conversations.c.opt_out_pending_message_id == item.payload.get("message_id"),
        )
        .values(opt_out_pending=None, opt_out_pending_message_id=None)
    )
    return Changes(conversations={item.conversation_id})


# -- the user's decisions about refused items ---------------------------------------------------


def retry(conn: Connection, item_id: int, now: datetime) -> Changes:
    """Retry a refused item (and what failed only because of it)."""
    item = ob.get(conn, item_id)
    changes = ob.requeue_failed(conn, item_id, now)
    if item is not None and item.kind == ob.OutboxKind.CONTACT_CREATE:
        changes.merge(contact_writes.requeue_behind_create(conn, item, now))
    return changes


def discard(conn: Connection, item_id: int) -> Changes:
    """Drop a refused (or never sent) item and what it shows locally, in one transaction:
    the failed message row, or the group chat that was never created (with its messages)."""
    item = ob.discard(conn, item_id)
    changes = Changes(outbox=True)
    if item.message_id is not None:
        conn.execute(
            delete(messages).where(messages.c.id == item.message_id, messages.c.server_id.is_(None))
        )
        search_index.refresh(conn, message_ids=[item.message_id])  # gone: out of History
        if item.conversation_id:
            changes.add_message(item.conversation_id, item.message_id)
    if item.kind == ob.OutboxKind.CREATE_GROUP_CHAT and ob.is_pending_conversation(
        item.conversation_id
    ):
        conn.execute(delete(outbox).where(outbox.c.conversation_id == item.conversation_id))
        conn.execute(delete(conversations).where(conversations.c.id == item.conversation_id))
        assert item.conversation_id is not None
        _relink(conn, item.conversation_id, None, changes)
        changes.conversations.add(item.conversation_id)
        changes.reset = True
    if item.kind in ob.CONTACT_LANE_KINDS:
        changes.merge(contact_writes.discard_local(conn, item))
    if item.kind in ob.OPT_OUT_KINDS:
        changes.merge(settle_opt_out(conn, item))
    return changes


def pending_contact_key(conn: Connection, contact_id: str) -> str | None:
    """The idempotency key of the newest open edit of `contact_id` (None when none is open)."""
    key = None
    for item in ob.open_of_kind(conn, ob.OutboxKind.CONTACT_EDIT):
        if item.payload.get("contact_id") == contact_id:
            key = item.idempotency_key
    return key
