"""Contacts for the UI: listed and searched from the cache, written through the outbox.

Reads lay the edits still in the outbox over the cached contact, so the user sees their change
at once and a sync page that lands before the PATCH does not undo it on screen. An edit the
server refuses stops showing (the cache still holds what the server said) and waits in the
outbox's failed list with the reason, for Retry or Discard (services/outbox.py). A new contact
shows at once under a local id (store/contact_writes.py); a delete shows as "deleting" until
the server confirms it.

The list is never read whole: `count` and `page` answer one window of the search at a time
(store/contact_search.py does the SQL), which is what keeps 50,000 contacts responsive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from console.domain.emails import InvalidEmail, parse_email
from console.domain.errors import DomainError, ErrorCode
from console.domain.phones import format_display, parse_phone
from console.services.session import Session
from console.services.types import ChangeSet
from console.store import contact_search, contact_writes, local_writes
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.models import contact_phones, contacts, users

MAX_NAME = 200
MAX_PHONES = 10
MAX_EMAIL = 254
LABELS = ("primary", "secondary")


class _Unset:
    """"Leave this field as it is" (None means "clear it" for email and assignment)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


class PendingState(StrEnum):
    """What is still on its way to the server for a contact."""

    NONE = ""
    SAVING = "saving"  # an edit
    CREATING = "creating"  # a new contact
    DELETING = "deleting"
    REFUSED = "refused"  # its create was refused: the refused-changes list has it


@dataclass(frozen=True, slots=True)
class ContactPhoneRow:
    number: str  # E.164
    label: str  # "primary" | "secondary"

    @property
    def display(self) -> str:
        return format_display(self.number)


@dataclass(frozen=True, slots=True)
class ContactRow:
    id: str
    name: str
    phones: tuple[ContactPhoneRow, ...]
    dnd: bool
    deleted: bool
    pending: bool  # something is still on its way to the server
    pending_key: str | None = None  # the newest pending edit's idempotency key
    email: str | None = None
    assigned_user_id: str | None = None
    assigned_name: str = ""  # the assigned user's name ("" when unassigned or unknown)
    updated_at: datetime | None = None
    state: PendingState = PendingState.NONE
    refusal: str | None = None  # the server's reason, when its create was refused

    def phone(self, label: str) -> ContactPhoneRow | None:
        """The first phone with this label."""
        return next((p for p in self.phones if p.label == label), None)


@dataclass(frozen=True, slots=True)
class GroupChatRef:
    """A group chat a contact is in, with the number it was frozen to."""

    conversation_id: str
    title: str
    number: str  # E.164, frozen at creation

    @property
    def display_number(self) -> str:
        return format_display(self.number) if self.number else ""


@dataclass(frozen=True, slots=True)
class UserChoice:
    id: str
    name: str


# -- checks the editor runs as the user types (the backend has the last word) --------------------


class ContactProblem(StrEnum):
    """Which check a contact's field failed: the `hint` of the DomainError the checks below
    raise (its `detail` says the same in English for the log). The UI words it."""

    NAME_MISSING = "name_missing"
    NAME_TOO_LONG = "name_too_long"  # more than MAX_NAME characters
    PHONE_MISSING = "phone_missing"
    PHONE_LETTERS = "phone_letters"  # letters in a number
    PHONE_NEEDS_COUNTRY_CODE = "phone_needs_country_code"  # over 10 digits, no +
    PHONE_TOO_SHORT = "phone_too_short"  # under 10 digits
    PHONE_NOT_VALID = "phone_not_valid"  # 10 digits, but no such number (the area code)
    EMAIL_NOT_VALID = "email_not_valid"
    TOO_MANY_PHONES = "too_many_phones"  # more than MAX_PHONES
    PHONE_TWICE = "phone_twice"
    NOTHING_TO_CHANGE = "nothing_to_change"


def _problem(code: ErrorCode, hint: ContactProblem, detail: str) -> DomainError:
    return DomainError(code, detail, hint=hint.value)


def check_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise _problem(
            ErrorCode.VALIDATION_ERROR, ContactProblem.NAME_MISSING, "A contact needs a name."
        )
    if len(name) > MAX_NAME:
        raise _problem(
            ErrorCode.VALIDATION_ERROR,
            ContactProblem.NAME_TOO_LONG,
            f"A name has at most {MAX_NAME} characters.",
        )
    return name


def check_phone(text: str) -> str:
    """E.164 of what was typed, or DomainError(invalid_phone) whose hint (ContactProblem)
    says what to fix."""
    raw = text.strip()
    if not raw:
        raise _problem(ErrorCode.INVALID_PHONE, ContactProblem.PHONE_MISSING, "Type a number.")
    try:
        return parse_phone(raw)
    except DomainError:
        digits = sum(ch.isdigit() for ch in raw)
        if any(ch.isalpha() for ch in raw):
            hint, detail = (
                ContactProblem.PHONE_LETTERS, "Use digits only (a + first for another country)."
            )
        elif not raw.startswith("+") and digits > 10:
            hint, detail = (
                ContactProblem.PHONE_NEEDS_COUNTRY_CODE,
                "For a number outside the US and Canada, start with + and the country code.",
            )
        elif digits < 10:
            hint, detail = (
                ContactProblem.PHONE_TOO_SHORT, "Too short: a US or Canada number has 10 digits."
            )
        else:
            hint, detail = (
                ContactProblem.PHONE_NOT_VALID, "This is not a valid number; check the area code."
            )
        raise _problem(ErrorCode.INVALID_PHONE, hint, detail) from None


def check_email(text: str) -> str | None:
    """The address, None for blank, or DomainError (hint EMAIL_NOT_VALID)."""
    if not text.strip():
        return None
    try:
        return parse_email(text)
    except InvalidEmail as exc:
        raise _problem(
            ErrorCode.VALIDATION_ERROR,
            ContactProblem.EMAIL_NOT_VALID,
            f"Not an email address: {exc}.",
        ) from None


def _clean_phones(phones: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    if len(phones) > MAX_PHONES:
        raise _problem(
            ErrorCode.VALIDATION_ERROR,
            ContactProblem.TOO_MANY_PHONES,
            f"A contact has at most {MAX_PHONES} numbers.",
        )
    seen: set[str] = set()
    cleaned = []
    for number, label in phones:
        if label not in LABELS:
            raise DomainError(ErrorCode.VALIDATION_ERROR, f"Unknown phone label {label!r}.")
        e164 = parse_phone(number)
        if e164 in seen:
            raise _problem(
                ErrorCode.VALIDATION_ERROR,
                ContactProblem.PHONE_TWICE,
                f"{format_display(e164)} is listed twice.",
            )
        seen.add(e164)
        cleaned.append({"number": e164, "label": label})
    return cleaned


def _clean_patch(
    name: str | None,
    phones: Sequence[tuple[str, str]] | None,
    dnd: bool | None,
    email: Any = UNSET,
    assigned_user_id: Any = UNSET,
) -> dict[str, Any]:
    """The PATCH body, checked here first (the backend has the last word)."""
    patch: dict[str, Any] = {}
    if name is not None:
        patch["name"] = check_name(name)
    if phones is not None:
        patch["phones"] = _clean_phones(phones)
    if email is not UNSET:
        patch["email"] = check_email(email or "")
    if dnd is not None:
        patch["dnd"] = bool(dnd)
    if assigned_user_id is not UNSET:
        patch["assigned_user_id"] = assigned_user_id or None
    if not patch:
        raise _problem(
            ErrorCode.VALIDATION_ERROR, ContactProblem.NOTHING_TO_CHANGE, "Nothing to change."
        )
    return patch


class ContactService:
    def __init__(
        self,
        cache: Cache,
        *,
        publish: Callable[[Changes], None],
        wake_sync: Callable[[], None],
        session: Session | None = None,
    ) -> None:
        self._cache = cache
        self._wake_sync = wake_sync
        self._session = session
        # One change channel for every service (ConversationService.publish): the UI listens once.
        self.publish = publish

    # -- who may do what ------------------------------------------------------------------------

    @property
    def can_assign(self) -> bool:
        """Only admins choose whom a contact is assigned to."""
        return self._session is not None and self._session.user.role == "admin"

    @property
    def assigned_only(self) -> bool:
        return self._session is not None and self._session.user.data_access == "assigned"

    def assignable_users(self) -> list[UserChoice]:
        """Staff a contact may be assigned to, by name (what the cache knows of them)."""
        with self._cache.read() as conn:
            rows = conn.execute(
                select(users.c.id, users.c.name, users.c.email).order_by(users.c.name, users.c.id)
            ).all()
        return [UserChoice(r.id, r.name or r.email or r.id) for r in rows]

    # -- reads ----------------------------------------------------------------------------------

    def count(self, text: str = "", *, cap: int | None = None) -> int:
        """How many contacts the search `text` finds ("" = every contact this user sees);
        with `cap`, counting stops there."""
        with self._cache.read() as conn:
            return contact_search.count_contacts(conn, text, include_pending=True, cap=cap)

    # -- the search index (store/contact_search.py) -------------------------------------------

    def follow_changes(self, changes: ChangeSet) -> None:
        """Listener on the workspace's change channel, registered before any view's: after a
        write that touched contacts, bring the search index up to date before the views
        re-read (on the thread that published: usually the sync engine's)."""
        if changes.contacts or changes.reset:
            self.refresh_search_index()

    def refresh_search_index(self) -> int:
        """Rewrite the index rows of contacts changed since; returns how many. Short write
        turns of REFRESH_CHUNK rows, so a big first sync never holds the cache long."""
        with self._cache.read() as conn:
            if contact_search.stale_count(conn) == 0:
                return 0
        total = 0
        while True:
            with self._cache.write() as conn:
                done = contact_search.refresh_index(conn)
            total += done
            if done < contact_search.REFRESH_CHUNK:
                return total

    def page(self, text: str, offset: int, limit: int) -> list[ContactRow]:
        """Rows `offset` .. `offset + limit` of the search `text`, in name order."""
        with self._cache.read() as conn:
            ids = contact_search.search_contact_ids(
                conn, text, limit=limit, offset=offset, include_pending=True
            )
            found = self._rows(conn, ids)
        return [found[i] for i in ids if i in found]

    def contact(self, contact_id: str) -> ContactRow | None:
        """The cached contact with the edits still in the outbox laid over it."""
        with self._cache.read() as conn:
            return self._rows(conn, [contact_id]).get(contact_id)

    def contacts(self, contact_ids: Iterable[str]) -> dict[str, ContactRow]:
        """The ones of `contact_ids` the cache has, by id, in one read."""
        ids = list(dict.fromkeys(contact_ids))
        with self._cache.read() as conn:
            return self._rows(conn, ids)

    def current_id(self, contact_id: str) -> str:
        """`contact_id`, or the server's id for it once a contact created here was created."""
        if not contact_writes.is_local_contact(contact_id):
            return contact_id
        with self._cache.read() as conn:
            return contact_writes.server_id_of(conn, contact_id) or contact_id

    def position(self, text: str, contact_id: str) -> int | None:
        """Row of `contact_id` in the search `text` (None when the search does not list it)."""
        with self._cache.read() as conn:
            return contact_search.position_of(conn, text, contact_id, include_pending=True)

    def group_chats_with(self, contact_id: str) -> list[GroupChatRef]:
        """The group chats `contact_id` is in (they keep its number when it is deleted)."""
        with self._cache.read() as conn:
            found = contact_writes.group_chats_with(conn, contact_id)
        return [GroupChatRef(cid, title, number) for cid, title, number in found]

    def number_owner(self, e164: str, *, besides: str | None = None) -> ContactRow | None:
        """The live contact (other than `besides`) that holds `e164`, if this cache knows one:
        a number belongs to one contact only, and the server refuses a second."""
        with self._cache.read() as conn:
            owner = conn.execute(
                select(contact_phones.c.contact_id)
                .join(contacts, contacts.c.id == contact_phones.c.contact_id)
                .where(contact_phones.c.number == e164, contacts.c.deleted.is_(False))
                .where(contacts.c.id != (besides or ""))
                .limit(1)
            ).scalar_one_or_none()
            return self._rows(conn, [owner]).get(owner) if owner else None

    def _rows(self, conn: Any, ids: Sequence[str]) -> dict[str, ContactRow]:
        if not ids:
            return {}
        records = conn.execute(
            select(
                contacts.c.id,
                contacts.c.name,
                contacts.c.email,
                contacts.c.dnd,
                contacts.c.assigned_user_id,
                contacts.c.updated_at,
                contacts.c.deleted,
            ).where(contacts.c.id.in_(ids))
        ).all()
        phones: dict[str, list[ContactPhoneRow]] = {}
        for p in conn.execute(
            select(contact_phones.c.contact_id, contact_phones.c.number, contact_phones.c.label)
            .where(contact_phones.c.contact_id.in_(ids))
            .order_by(contact_phones.c.contact_id, contact_phones.c.position, contact_phones.c.id)
        ):
            phones.setdefault(p.contact_id, []).append(ContactPhoneRow(p.number, p.label))
        states = contact_writes.pending_contact_states(conn, ids)
        patches = contact_writes.pending_patches(conn, ids)
        refused = contact_writes.refusals(conn, ids)
        keys = {i: local_writes.pending_contact_key(conn, i) for i in patches}
        names: dict[str, str] = {}
        assigned = {r.assigned_user_id for r in records} | {
            p["assigned_user_id"] for p in patches.values() if p.get("assigned_user_id")
        }
        assigned.discard(None)
        if assigned:
            found = select(users.c.id, users.c.name).where(users.c.id.in_(assigned))
            names = {r.id: r.name for r in conn.execute(found)}
        rows: dict[str, ContactRow] = {}
        for r in records:
            patch = patches.get(r.id, {})
            shown_phones = tuple(phones.get(r.id, ()))
            if "phones" in patch:
                shown_phones = tuple(
                    ContactPhoneRow(p["number"], p["label"]) for p in patch["phones"]
                )
            assigned_id = patch.get("assigned_user_id", r.assigned_user_id)
            state = PendingState(states.get(r.id, ""))
            rows[r.id] = ContactRow(
                id=r.id,
                name=patch.get("name", r.name),
                phones=shown_phones,
                dnd=bool(patch.get("dnd", r.dnd)),
                deleted=bool(r.deleted),
                pending=state not in (PendingState.NONE, PendingState.REFUSED),
                pending_key=keys.get(r.id),
                email=patch.get("email", r.email),
                assigned_user_id=assigned_id,
                assigned_name=names.get(assigned_id, "") if assigned_id else "",
                updated_at=r.updated_at,
                state=state,
                refusal=refused.get(r.id),
            )
        return rows

    # -- writes ---------------------------------------------------------------------------------

    def create(
        self,
        *,
        name: str,
        phones: Sequence[tuple[str, str]] = (),
        email: str | None = None,
        dnd: bool = False,
        assigned_user_id: Any = UNSET,
    ) -> ContactRow:
        """A new contact, shown at once (pending) and queued for the server.

        `phones`: (number as typed, "primary" | "secondary") pairs. `assigned_user_id`: admins
        only; an assigned-only user's new contact is theirs. Raises DomainError for a bad value
        (nothing is written then).
        """
        body: dict[str, Any] = {
            "name": check_name(name),
            "phones": _clean_phones(phones),
            "email": check_email(email or ""),
            "dnd": bool(dnd),
        }
        if assigned_user_id is not UNSET and self.can_assign:
            body["assigned_user_id"] = assigned_user_id or None
        elif self.assigned_only and self._session is not None:
            body["assigned_user_id"] = self._session.user.id  # otherwise they lose sight of it
        with self._cache.write() as conn:
            contact_id, _, _, changes = contact_writes.queue_contact_create(
                conn, body=body, now=utcnow()
            )
            contact_search.refresh_index(conn)  # findable at once
        self.publish(changes)
        self._wake_sync()
        shown = self.contact(contact_id)
        assert shown is not None
        return shown

    def edit(
        self,
        contact_id: str,
        *,
        name: str | None = None,
        phones: Sequence[tuple[str, str]] | None = None,
        dnd: bool | None = None,
        email: Any = UNSET,
        assigned_user_id: Any = UNSET,
    ) -> ContactRow:
        """Change a contact now (locally) and queue the PATCH; returns the row as shown.

        `phones`: (number as typed, "primary" | "secondary") pairs, the full new list.
        `email` / `assigned_user_id`: None clears; leave them out to keep them. Assignment is
        for admins only. Raises DomainError for a bad value or an unknown contact; nothing is
        written then.
        """
        if assigned_user_id is not UNSET and not self.can_assign:
            raise DomainError(ErrorCode.FORBIDDEN, "Only an admin can change the assignment.")
        patch = _clean_patch(name, phones, dnd, email, assigned_user_id)
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

    def delete(self, contact_id: str) -> ContactRow | None:
        """Delete a contact: shown as deleting at once, queued for the server. Group chats it
        is in keep sending to the number chosen at creation (and show it as Deleted).

        Returns the row as shown now (None when it never left this machine and is gone).
        """
        with self._cache.write() as conn:
            try:
                _, changes = contact_writes.queue_contact_delete(
                    conn, contact_id=contact_id, now=utcnow()
                )
            except contact_writes.UnknownContact:
                raise DomainError(ErrorCode.NOT_FOUND, "This contact is not available.") from None
        self.publish(changes)
        self._wake_sync()
        return self.contact(contact_id)
