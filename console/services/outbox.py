"""Every write the server refused, whatever its kind, with Retry and Discard.

Messages also show their failure in the conversation (ConversationService.retry/discard by
message key); this service covers the rest (contact edits, group chats, memberships, group
messages) by the item's idempotency key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from console.domain.errors import DomainError, ErrorCode
from console.store import contact_import_writes, local_writes
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.models import contacts

# The kinds of write, for the UI to word (console/ui/refused_writes.py): the ui does not
# reach the store itself.
OutboxKind = ob.OutboxKind


@dataclass(frozen=True, slots=True)
class FailedWrite:
    key: str  # idempotency key
    kind: str  # an OutboxKind value: what sort of write (the UI words it)
    subject: str  # what it was about: a contact's name, a title, a body ("" when nothing)
    code: str  # the server's problem+json code
    reason: str  # the server's detail, in its words
    created_at: datetime
    conversation_id: str | None = None


def _subject(item: ob.OutboxItem, names: dict[str, str]) -> str:
    """The data part of a refused write's label: "Open house" in "Group message: Open house"."""
    if item.kind in ob.CONTACT_LANE_KINDS:
        # Which contact: the name the change gives it, else the one the cache knows.
        given = item.payload.get("body") or item.payload.get("patch") or {}
        subject = given.get("name") if isinstance(given, dict) else None
        return str(subject or names.get(str(item.payload.get("contact_id")), ""))
    if item.kind in ob.CONTACT_IMPORT_KINDS:  # an import by its file's name
        return str(item.payload.get("source") or "")
    patch = item.payload.get("patch")
    if item.kind in ob.TEMPLATE_LANE_KINDS:  # a template by its name (its words may be long)
        name = item.payload.get("name") or (patch.get("name") if isinstance(patch, dict) else "")
        return str(name or "")
    # A rename's new name, a scheduled send's new words.
    renamed = (patch.get("name") or patch.get("body")) if isinstance(patch, dict) else None
    return str(
        item.payload.get("title") or item.payload.get("body") or item.payload.get("name")
        or renamed or ""
    )


class OutboxService:
    def __init__(
        self,
        cache: Cache,
        *,
        publish: Callable[[Changes], None],
        wake_sync: Callable[[], None],
    ) -> None:
        self._cache = cache
        self._publish = publish
        self._wake_sync = wake_sync

    def failed(self) -> list[FailedWrite]:
        with self._cache.read() as conn:
            items = ob.failed_items(conn)
            ids = {
                str(i.payload.get("contact_id"))
                for i in items
                if i.kind in ob.CONTACT_LANE_KINDS
            }
            found = select(contacts.c.id, contacts.c.name).where(contacts.c.id.in_(ids))
            names: dict[str, str] = {r.id: r.name for r in conn.execute(found)} if ids else {}
        return [
            FailedWrite(
                key=i.idempotency_key,
                kind=i.kind,
                subject=_subject(i, names),
                code=i.last_error_code or "",
                reason=i.last_error or "",
                created_at=i.created_at,
                conversation_id=i.conversation_id,
            )
            for i in items
        ]

    def pending_count(self) -> int:
        with self._cache.read() as conn:
            return ob.pending_count(conn)

    def retry(self, key: str) -> None:
        with self._cache.write() as conn:
            item = ob.by_key(conn, key)
            if item is None or item.state is not ob.OutboxState.FAILED:
                raise DomainError(ErrorCode.NOT_FOUND, "Nothing refused under this key.")
            changes = local_writes.retry(conn, item.id, utcnow())
            _note_import(item, changes)
        self._publish(changes)
        self._wake_sync()

    def discard(self, key: str) -> None:
        with self._cache.write() as conn:
            item = ob.by_key(conn, key)
            if item is None:
                raise DomainError(ErrorCode.NOT_FOUND, "Nothing queued under this key.")
            changes = discard_item(conn, item)
            _note_import(item, changes)
        self._publish(changes)
        self._wake_sync()


def _note_import(item: ob.OutboxItem, changes: Changes) -> None:
    """A contact import retried or discarded: an open import dialog shows it anew."""
    if item.kind == ob.OutboxKind.CONTACT_IMPORT:
        changes.contact_imports.add(contact_import_writes.local_id(item.idempotency_key))
    elif item.kind == ob.OutboxKind.CONTACT_IMPORT_UNDO:
        changes.contact_imports.add(str(item.payload.get("import_id")))


def discard_item(conn: Connection, item: ob.OutboxItem) -> Changes:
    """Drop a queued write and what waits behind it; a DomainError (conflict) once the sync
    engine has started sending it."""
    try:
        return local_writes.discard(conn, item.id)
    except ob.InvalidTransition:
        raise DomainError(
            ErrorCode.CONFLICT, "It is being sent; it can no longer be discarded."
        ) from None
