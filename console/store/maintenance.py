"""Whole-cache chores."""

from __future__ import annotations

from sqlalchemy import Connection, delete

from console.store import search_index
from console.store.models import (
    contact_imports,
    contact_phones,
    contacts,
    conversations,
    group_members,
    group_messages,
    groups,
    messages,
    numbers,
    outbox,
    scheduled_sends,
    templates,
    users,
)
from console.store.session_meta import save_cursor


def clear_cached_data(conn: Connection) -> None:
    """Forget every cached row and the cursor (the next sync reads the whole feed again)."""
    for table in (outbox, messages, conversations, contact_phones, contacts, numbers, users):
        conn.execute(delete(table))
    for table in (group_members, group_messages, groups):  # audience groups (r0005)
        conn.execute(delete(table))
    search_index.clear(conn)  # history search (r0007)
    conn.execute(delete(scheduled_sends))  # the user's scheduled sends (r0009)
    conn.execute(delete(templates))  # templates (r0010)
    conn.execute(delete(contact_imports))  # contact imports (r0011)
    save_cursor(conn, None, None)
