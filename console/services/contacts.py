"""Contact edits (name, phones, DND) for the UI: shown at once, sent through the outbox.

Reads lay the edits still in the outbox over the cached contact, so the user sees their change
at once and a sync page that lands before the PATCH does not undo it on screen. An edit the
server refuses stops showing (the cache still holds what the server said) and waits in the
outbox's failed list with the reason, for Retry or Discard (services/outbox.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from console.domain.errors import DomainError, ErrorCode
from console.domain.phones import parse_phone
from console.store import local_writes
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.models import contact_phones, contacts

MAX_NAME = 200
MAX_PHONES = 10
LABELS = ("primary", "secondary")


@dataclass(frozen=True, slots=True)
class ContactPhoneRow:
    number: str  # E.164
    label: str  # "primary" | "secondary"


@dataclass(frozen=True, slots=True)
class ContactRow:
    id: str
    name: str
    phones: tuple[ContactPhoneRow, ...]
    dnd: bool
    deleted: bool
    pending: bool  # an edit is still on its way to the server
    pending_key: str | None = None  # the newest pending edit's idempotency key


def _clean_patch(
    name: str | None, phones: Sequence[tuple[str, str]] | None, dnd: bool | None
) -> dict[str, Any]:
    """The PATCH body, checked here first (the backend has the last word)."""
    patch: dict[str, Any] = {}
    if name is not None:
        text = " ".join(name.split())
        if not text or len(text) > MAX_NAME:
            raise DomainError(
                ErrorCode.VALIDATION_ERROR, f"A name needs 1 to {MAX_NAME} characters."
            )
        patch["name"] = text
    if phones is not None:
        if len(phones) > MAX_PHONES:
            raise DomainError(
                ErrorCode.VALIDATION_ERROR, f"A contact has at most {MAX_PHONES} numbers."
            )
        seen: set[str] = set()
        cleaned = []
        for number, label in phones:
            if label not in LABELS:
                raise DomainError(ErrorCode.VALIDATION_ERROR, f"Unknown phone label {label!r}.")
            e164 = parse_phone(number)
            if e164 in seen:
                raise DomainError(ErrorCode.DUPLICATE_PARTICIPANT, f"{e164} is listed twice.")
            seen.add(e164)
            cleaned.append({"number": e164, "label": label})
        patch["phones"] = cleaned
    if dnd is not None:
        patch["dnd"] = bool(dnd)
    if not patch:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "Nothing to change.")
    return patch


class ContactService:
    def __init__(
        self,
        cache: Cache,
        *,
        publish: Callable[[Changes], None],
        wake_sync: Callable[[], None],
    ) -> None:
        self._cache = cache
        self._wake_sync = wake_sync
        # One change channel for every service (ConversationService.publish): the UI listens once.
        self.publish = publish

    def contact(self, contact_id: str) -> ContactRow | None:
        """The cached contact with the edits still in the outbox laid over it."""
        with self._cache.read() as conn:
            row = conn.execute(select(contacts).where(contacts.c.id == contact_id)).first()
            if row is None:
                return None
            phones = conn.execute(
                select(contact_phones.c.number, contact_phones.c.label)
                .where(contact_phones.c.contact_id == contact_id)
                .order_by(contact_phones.c.position)
            ).all()
            patch = local_writes.pending_contact_patch(conn, contact_id)
            key = local_writes.pending_contact_key(conn, contact_id)
        shown_phones = tuple(ContactPhoneRow(p.number, p.label) for p in phones)
        if "phones" in patch:
            shown_phones = tuple(ContactPhoneRow(p["number"], p["label"]) for p in patch["phones"])
        return ContactRow(
            id=row.id,
            name=patch.get("name", row.name),
            phones=shown_phones,
            dnd=bool(patch.get("dnd", row.dnd)),
            deleted=bool(row.deleted),
            pending=bool(patch),
            pending_key=key,
        )

    def edit(
        self,
        contact_id: str,
        *,
        name: str | None = None,
        phones: Sequence[tuple[str, str]] | None = None,
        dnd: bool | None = None,
    ) -> ContactRow:
        """Change a contact now (locally) and queue the PATCH; returns the row as shown.

        `phones`: (number as typed, "primary" | "secondary") pairs, the full new list.
        Raises DomainError for a bad value or an unknown contact; nothing is written then.
        """
        patch = _clean_patch(name, phones, dnd)
        with self._cache.write() as conn:
            try:
                _, _, changes = local_writes.queue_contact_edit(
                    conn, contact_id=contact_id, patch=patch, now=utcnow()
                )
            except local_writes.UnknownContact:
                raise DomainError(ErrorCode.NOT_FOUND, "This contact is not available.") from None
        self.publish(changes)
        self._wake_sync()
        shown = self.contact(contact_id)
        assert shown is not None
        return shown
