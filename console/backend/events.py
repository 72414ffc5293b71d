"""The change feed: write one event per change, inside the transaction that made the change.

Readers must never see seq N+1 committed while N is still in flight (they would skip N for
good), so event writers are serialized until commit: SQLite has a single writer anyway
(BEGIN IMMEDIATE), PostgreSQL takes a transaction-scoped advisory lock before taking a seq.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import CTE, Select, delete, insert, select, text
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


def prepare_write(session: Session) -> None:
    """What every feed write does first (re-labelling existing events included)."""
    _serialize_writers(session)
    feed_notify.mark_changed(session)  # open event streams wake once this commits


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
    prepare_write(session)
    payload = data.model_dump(mode="json", by_alias=True) if isinstance(data, BaseModel) else data
    scope_id = scope_of(type_, entity_id, payload, contact_id)
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
            scope_id=scope_id,
        )
    )
    # Integrations hear about messages from here, so every path that records one is covered.
    webhooks.forward(session, type_, entity_id, payload)


def record_many(
    session: Session, rows: list[dict[str, Any]] | Select[Any], *, ctes: Sequence[CTE] = ()
) -> int:
    """Bulk `record` for fan-outs such as a group message's per-recipient events. Never
    forwarded to integrations. `rows`: dicts of Event columns (Core executemany), or a SELECT
    whose labelled columns are Event columns, `scope_id` (see scope_of) included: the database
    writes those rows itself (INSERT ... SELECT), in the SELECT's order. `ctes` go on the
    INSERT itself: PostgreSQL allows a data-modifying WITH (INSERT ... RETURNING) only there.
    Returns how many events were written."""
    if not isinstance(rows, Select):
        if not rows:
            return 0
        for row in rows:
            row.setdefault(
                "scope_id", scope_of(row["type"], row["entity_id"], row["data"], row["contact_id"])
            )
    prepare_write(session)
    session.flush()  # events recorded before these keep the lower seqs
    if isinstance(rows, Select):
        names = list(rows.selected_columns.keys())
        assert "scope_id" in names, "who may see these events must be given"
        statement = insert(models.Event)
        for cte in ctes:
            statement = statement.add_cte(cte)
        # Without preserve_rowcount psycopg's answer to an INSERT ... SELECT reads -1.
        result = session.connection().execute(
            statement.from_select(names, rows).execution_options(preserve_rowcount=True)
        )
        return int(result.rowcount)
    session.connection().execute(insert(models.Event), rows)
    return len(rows)


_CONTACT_SCOPED = frozenset(
    {"contact.upserted", "contact.deleted", "group.member_added", "group.member_removed"}
)
_CONVERSATION_SCOPED = frozenset(
    {"conversation.upserted", "conversation.deleted", "opt_out_suspected"}
)
GROUP_MESSAGE_SCOPED = frozenset({"group_message.upserted", "group_message.deleted"})


def scope_of(
    type_: str, entity_id: str, data: dict[str, Any], contact_id: str | None
) -> str | None:
    """What decides who may see an event now (see models.Event.scope_id): the contact, the
    conversation, or the group message (seen by whoever owns one of its recipients)."""
    if type_ in GROUP_MESSAGE_SCOPED:
        return entity_id
    if type_ == ACCESS_CHANGED:
        return access_scope(entity_id)
    if contact_id is None:
        return None  # about no person: everyone's
    if type_ in _CONTACT_SCOPED:
        return contact_id
    if type_ in _CONVERSATION_SCOPED:
        return entity_id
    if type_ == "message.upserted":
        conversation_id = data.get("conversation_id")
        return conversation_id if isinstance(conversation_id, str) else None
    return contact_id


def owner_now(session: Session, contact_id: str) -> str | None:
    """Who a contact is assigned to, read once this transaction holds the feed's write turn:
    a reassignment committed meanwhile has re-labelled the feed already, so an owner read
    before the turn (e.g. from a loaded row) could label this event for the old owner."""
    prepare_write(session)
    return session.scalar(
        select(models.Contact.assigned_user_id).where(models.Contact.id == contact_id)
    )


def user_changed(session: Session, row: models.User) -> None:
    # Stored whole; the feed gives non-admins their colleagues' names only (routes/sync.py).
    record(session, "user.upserted", row.id, user_view(row))


ACCESS_CHANGED = "user.access_changed"
SCHEDULED_UPSERTED = "scheduled.upserted"  # one user's scheduled send (ops/scheduled.py)
# Message templates (ops/templates.py): a personal one's reach its owner only.
TEMPLATE_UPSERTED = "template.upserted"
TEMPLATE_DELETED = "template.deleted"
CONTACT_IMPORT_UPSERTED = "contact_import.upserted"  # one user's import (ops/contact_imports.py)


def access_scope(user_id: str) -> str:
    """The scope of a user's access changes: found through ix_events_scope_seq at once."""
    return f"access:{user_id}"


def access_changed(session: Session, row: models.User) -> None:
    """The user's role or data access changed: what their console holds was filtered by other
    rules, so their cursors from before this are refused (routes/sync.py) and it syncs again."""
    # Their personal events were written under the old rules ("drop this" notices, replays of
    # what came into sight); the full resync the new cursor epoch forces must not replay them:
    # a stale drop notice would delete a thread they may now see.
    # Their scheduled sends and personal templates stay: those are their own, whatever they
    # may see.
    session.execute(
        delete(models.Event).where(
            models.Event.only_user_id == row.id,
            models.Event.type.not_in(
                [ACCESS_CHANGED, SCHEDULED_UPSERTED, TEMPLATE_UPSERTED, TEMPLATE_DELETED,
                 CONTACT_IMPORT_UPSERTED]
            ),
        )
    )
    record(session, ACCESS_CHANGED, row.id, {"id": row.id}, owner_user_id=row.id,
           only_user_id=row.id)


def number_changed(session: Session, row: models.BusinessNumber) -> None:
    record(session, "number.upserted", row.id, number_view(row, None), number_id=row.id)


def contact_changed(session: Session, row: models.Contact) -> None:
    """After a reassignment, call ops.visibility.follow_contact first: it moves the feed."""
    kind = "contact.deleted" if row.deleted_at is not None else "contact.upserted"
    owner = owner_now(session, row.id)
    record(session, kind, row.id, contact_view(row), contact_id=row.id, owner_user_id=owner)


def loses_sight(session: Session, user_id: str | None) -> bool:
    """True for an assigned-only user: what stops being assigned to them leaves their view."""
    if user_id is None:
        return False
    user = session.get(models.User, user_id)
    return user is not None and user.role != "admin" and user.data_access == "assigned"


def conversation_changed(session: Session, row: models.Conversation) -> None:
    # Group chats carry their participants (live tags); their scope is all their contacts.
    prepare_write(session)  # who owns it is read in the feed's write turn (see owner_now)
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


def opt_out_suspected(
    session: Session, conversation: models.Conversation, data: BaseModel
) -> None:
    prepare_write(session)  # who owns it is read in the feed's write turn (see owner_now)
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
    prepare_write(session)  # who owns it is read in the feed's write turn (see owner_now)
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
