"""The one person of a direct or in-app conversation (the person panel's subject)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from console.store.models import conversations


def conversation_contact(conn: Connection, conversation_id: str) -> str | None:
    """The contact id of a direct or in-app conversation (None for a group chat, or when the
    cache does not know the person). One primary-key read."""
    row = conn.execute(
        select(conversations.c.kind, conversations.c.contact_id).where(
            conversations.c.id == conversation_id
        )
    ).first()
    if row is None or row.kind == "group_sms" or not row.contact_id:
        return None
    return str(row.contact_id)
