"""Forget a conversation this user lost sight of (the feed's `conversation.deleted`).

The backend sends it to an assigned-only user when a contact of the conversation is assigned
to someone else: the user may no longer read it, so the cache drops it and its messages.
Writes still waiting for it would only be refused (404): they are marked failed with the
reason instead of vanishing with the conversation, so the user sees what was not sent
(the outbox keeps the text) and can discard it; one the server already refused for it (the
push may come first) gets the same reason instead of a bare 404. A read or unread mark: dropped.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select, update

from console.store import outbox as ob
from console.store import search_index
from console.store.changes import Changes
from console.store.models import conversations, messages, outbox

# The error code of writes that failed because their conversation went out of sight.
CONVERSATION_GONE_CODE = "conversation_not_visible"
# What the server answers a write to a conversation its author may no longer see.
_REFUSED_AS_HIDDEN = ("not_found", "forbidden", "contact_not_assigned")
CONVERSATION_GONE_DETAIL = (
    "This conversation is no longer visible to you (its contact was assigned to someone "
    "else), so this was not sent."
)


def forget_conversation(conn: Connection, conversation_id: str, now: datetime) -> Changes:
    """Drop `conversation_id` and its messages in the caller's transaction; fail its open
    outbox items (all but read marks, which are deleted). Returns what changed."""
    changes = Changes(conversations={conversation_id})
    items = [i for i in ob.open_items(conn) if i.conversation_id == conversation_id]
    for item in items:
        if item.kind in ob.READ_MARK_KINDS:
            conn.execute(delete(outbox).where(outbox.c.id == item.id))
        else:
            ob.fail(
                conn, item.id, code=CONVERSATION_GONE_CODE, error=CONVERSATION_GONE_DETAIL, now=now
            )
        changes.outbox = True
    refused = conn.execute(
        update(outbox)
        .where(
            outbox.c.conversation_id == conversation_id,
            outbox.c.state == ob.OutboxState.FAILED.value,
            outbox.c.last_error_code.in_(_REFUSED_AS_HIDDEN),
        )
        .values(last_error_code=CONVERSATION_GONE_CODE, last_error=CONVERSATION_GONE_DETAIL)
    )
    changes.outbox = changes.outbox or bool(refused.rowcount)
    # Outbox items keep their own copy of what they carried (the payload): detach them from
    # the message rows about to go, or the foreign key's cascade would delete them too.
    in_conversation = select(messages.c.id).where(messages.c.conversation_id == conversation_id)
    conn.execute(
        update(outbox).where(outbox.c.message_id.in_(in_conversation)).values(message_id=None)
    )
    search_index.forget_conversation(conn, conversation_id)
    conn.execute(delete(messages).where(messages.c.conversation_id == conversation_id))
    conn.execute(delete(conversations).where(conversations.c.id == conversation_id))
    return changes
