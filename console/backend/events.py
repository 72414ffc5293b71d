"""The change feed: write one event per change, inside the transaction that made the change.

Readers must never see seq N+1 committed while N is still in flight (they would skip N for
good), so event writers are serialized until commit: SQLite has a single writer anyway
(BEGIN IMMEDIATE), PostgreSQL takes a transaction-scoped advisory lock before taking a seq.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from console.backend import feed_notify, models, webhooks
from console.backend.ops import participants
from console.backend.views import (
    contact_view,
    message_view,
    number_view,
    user_view,
)

_FEED_LOCK_KEY = 0x636F6E73  # any constant shared by every backend process on the database
_LOCKED = "console_feed_locked"


def _serialize_writers(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    if session.info.get(_LOCKED):
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _FEED_LOCK_KEY})
    session.info[_LOCKED] = True


def record(
    session: Session,
    type_: str,
    entity_id: str,
    data: BaseModel | dict[str, Any],
    *,
    contact_id: str | None = None,
    number_id: str | None = None,
    owner_user_id: str | None = None,
    admin_only: bool = False,
    only_user_id: str | None = None,
) -> None:
    _serialize_writers(session)
    feed_notify.mark_changed(session)  # open event streams wake once this commits
    payload = data.model_dump(mode="json", by_alias=True) if isinstance(data, BaseModel) else data
    session.add(
        models.Event(
            type=type_,
            entity_id=entity_id,
            data=payload,
            contact_id=contact_id,
            number_id=number_id,
            owner_user_id=owner_user_id,
            admin_only=admin_only,
            only_user_id=only_user_id,
        )
    )
    # Integrations hear about messages from here, so every path that records one is covered.
    webhooks.forward(session, type_, entity_id, payload)


def record_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk `record` (Core executemany) for fan-outs such as a group message's per-recipient
    events; rows hold Event columns. Never forwarded to integrations."""
    if not rows:
        return
    _serialize_writers(session)
    feed_notify.mark_changed(session)
    session.flush()  # events recorded before these keep the lower seqs
    session.connection().execute(insert(models.Event), rows)


def _owner_of(session: Session, contact_id: str | None) -> str | None:
    if contact_id is None:
        return None
    return session.scalar(
        select(models.Contact.assigned_user_id).where(models.Contact.id == contact_id)
    )


def user_changed(session: Session, row: models.User) -> None:
    # Every signed-in user may read colleagues' names (message authors); emails and roles too.
    record(session, "user.upserted", row.id, user_view(row))


def number_changed(session: Session, row: models.BusinessNumber) -> None:
    record(session, "number.upserted", row.id, number_view(row, None), number_id=row.id)


def contact_changed(session: Session, row: models.Contact, *, owner_before: str | None) -> None:
    """`owner_before` is the assignment before this change, so the old owner hears it too."""
    kind = "contact.deleted" if row.deleted_at is not None else "contact.upserted"
    view = contact_view(row)
    record(session, kind, row.id, view, contact_id=row.id, owner_user_id=row.assigned_user_id)
    if owner_before != row.assigned_user_id and loses_sight(session, owner_before):
        # The previous owner loses sight of it: tell them (only them) it is gone from their view.
        gone = view.model_copy(update={"deleted": True})
        record(session, "contact.deleted", row.id, gone, contact_id=row.id,
               owner_user_id=owner_before, only_user_id=owner_before)


def loses_sight(session: Session, user_id: str | None) -> bool:
    """True for an assigned-only user: what stops being assigned to them leaves their view."""
    if user_id is None:
        return False
    user = session.get(models.User, user_id)
    return user is not None and user.role != "admin" and user.data_access == "assigned"


def conversation_changed(session: Session, row: models.Conversation) -> None:
    # Group chats carry their participants (live tags); their scope is all their contacts.
    contact_id, owner = participants.feed_scope(session, row)
    record(
        session,
        "conversation.upserted",
        row.id,
        participants.full_view(session, row),
        contact_id=contact_id,
        number_id=row.number_id,
        owner_user_id=owner,
    )


def conversation_hidden(session: Session, row: models.Conversation, owner_user_id: str) -> None:
    """Tell an assigned-only user who lost sight of a conversation (a contact was reassigned)
    to drop it: `conversation.deleted` goes to that user only (admins still see it)."""
    record(
        session,
        "conversation.deleted",
        row.id,
        {"id": row.id, "kind": row.kind, "deleted": True},
        contact_id=row.contact_id,
        number_id=row.number_id,
        owner_user_id=owner_user_id,
        only_user_id=owner_user_id,
    )


def opt_out_suspected(
    session: Session, conversation: models.Conversation, data: BaseModel
) -> None:
    contact_id, owner = participants.feed_scope(session, conversation)
    record(
        session,
        "opt_out_suspected",
        conversation.id,
        data,
        contact_id=contact_id,
        number_id=conversation.number_id,
        owner_user_id=owner,
    )


def message_changed(
    session: Session, row: models.Message, conversation: models.Conversation
) -> None:
    contact_id, owner = participants.feed_scope(session, conversation)
    record(
        session,
        "message.upserted",
        row.id,
        message_view(row),
        contact_id=contact_id,
        number_id=conversation.number_id,
        owner_user_id=owner,
    )
