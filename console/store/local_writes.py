"""Writes the user makes locally: each one shows at once and waits in the outbox, atomically."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, insert, or_, select, update

from console.domain.messages import Direction, MessageStatus
from console.store import outbox as ob
from console.store.changes import Changes
from console.store.models import conversations, messages


class UnknownConversation(LookupError):
    pass


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
) -> tuple[QueuedSend, Changes]:
    """The pending message row, its outbox item and the conversation bump, in the caller's
    transaction. The outbox item's idempotency key is the message's client_key: the server
    echoes it back, which is how the pending row becomes the server row in place."""
    exists = conn.execute(
        select(conversations.c.id).where(conversations.c.id == conversation_id)
    ).first()
    if exists is None:
        raise UnknownConversation(conversation_id)
    key = client_key or ob.new_idempotency_key()
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
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    message_id = int(pk[0])
    outbox_id = ob.enqueue(
        conn,
        ob.OutboxKind.SEND_MESSAGE,
        now=now,
        conversation_id=conversation_id,
        message_id=message_id,
        payload={"body": body},
        idempotency_key=key,
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
    changes.add_message(conversation_id, message_id)
    return QueuedSend(message_id, outbox_id, key), changes


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
    if ob.find_open(conn, ob.OutboxKind.MARK_READ, conversation_id) is None:
        ob.enqueue(conn, ob.OutboxKind.MARK_READ, now=now, conversation_id=conversation_id)
    return Changes(conversations={conversation_id}, outbox=True)
