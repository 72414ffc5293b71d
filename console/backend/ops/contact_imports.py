"""Contact imports: many contacts made in one transaction, undoable as a whole.

The rows are checked again here (the console's checks are a preview): a bad row is skipped
with its reason, the good ones are written with Core bulk inserts (contacts, their phones,
the DND audit of those imported with DND on) and their feed events in bulk: 10,000 contacts
through the ORM's unit of work would take seconds. The contacts name their import
(`contacts.import_id`): a contact is made by one import at most, so a column does what a join
table would, with no second 10,000-row insert, and an undo finds them through its index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, insert, select, update
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops import dnd
from console.backend.ops.contacts import name_key
from console.backend.views import contact_view, contact_view_of
from console.domain.access import Actor
from console.domain.contact_import import RowCode, read_phone
from console.domain.emails import InvalidEmail, parse_email
from console.domain.errors import DomainError, ErrorCode
from console.protocol.contact_imports import (
    CONTACT_IMPORT_UPSERTED,
    ContactImport,
    ContactImportCreate,
    ContactImportRow,
    SkippedRow,
)

SOURCE_IMPORT = "import"  # dnd_changes.source of a contact imported with DND on
_CHUNK = 500  # numbers per IN (...) query


def import_view(row: models.ContactImport) -> ContactImport:
    return ContactImport.model_validate(
        {
            "id": row.id,
            "source": row.source,
            "user_id": row.user_id,
            "created_count": row.created_count,
            "skipped": row.skipped,
            "created_at": row.created_at,
            "undone_at": row.undone_at,
        }
    )


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _live_numbers(session: Session, numbers: Sequence[str]) -> set[str]:
    taken: set[str] = set()
    for chunk in _chunks(sorted(set(numbers))):
        taken.update(
            n
            for n in session.scalars(
                select(models.ContactPhone.live_number).where(
                    models.ContactPhone.live_number.in_(chunk)
                )
            )
            if n is not None
        )
    return taken


class _Checked:
    """A row that passed: what it creates."""

    __slots__ = ("dnd", "email", "name", "phones")

    def __init__(
        self, name: str, phones: list[tuple[str, str]], email: str | None, dnd: bool
    ) -> None:
        self.name, self.phones, self.email, self.dnd = name, phones, email, dnd


def _check(row: ContactImportRow) -> _Checked | tuple[RowCode, str]:
    """A row on its own: its numbers read and in US/Canada, a name, a plain email."""
    phones: list[tuple[str, str]] = []
    for index, phone in enumerate(row.phones):
        number, code = read_phone(phone.number)
        if code == RowCode.INVALID_NUMBER:
            return code, f"phones[{index}]: {phone.number!r} is not a phone number"
        if code == RowCode.OUTSIDE_NANP:
            return code, f"phones[{index}]: {number} is not a US or Canada number"
        assert number is not None
        if all(number != n for n, _ in phones):  # the same number twice: kept once
            phones.append((number, phone.label))
    name = " ".join(row.name.split())
    if not name:
        return RowCode.NO_NAME_OR_NUMBER, "a contact needs a name"
    email: str | None = None
    if row.email and row.email.strip():
        try:
            email = parse_email(row.email)
        except InvalidEmail as exc:
            return RowCode.INVALID_EMAIL, f"email: {exc}"
    return _Checked(name, phones, email, row.dnd)


def _check_all(
    session: Session, rows: Sequence[ContactImportRow]
) -> tuple[list[_Checked], list[SkippedRow]]:
    checked: list[tuple[int, _Checked]] = []
    skipped: list[SkippedRow] = []
    for position, row in enumerate(rows, start=1):
        result = _check(row)
        if isinstance(result, _Checked):
            checked.append((position, result))
        else:
            skipped.append(SkippedRow(row=position, code=result[0], detail=result[1]))
    taken = _live_numbers(session, [n for _, c in checked for n, _ in c.phones])
    earlier: dict[str, int] = {}
    good: list[_Checked] = []
    for position, contact in checked:
        problem: tuple[RowCode, str] | None = None
        for number, _ in contact.phones:
            if number in taken:
                problem = (RowCode.DUPLICATE_EXISTING, f"{number} is already on a contact")
                break
            if number in earlier:
                problem = (RowCode.DUPLICATE_IN_FILE, f"{number} is also on row {earlier[number]}")
                break
        if problem is not None:
            skipped.append(SkippedRow(row=position, code=problem[0], detail=problem[1]))
            continue
        earlier.update((number, position) for number, _ in contact.phones)
        good.append(contact)
    skipped.sort(key=lambda s: s.row)
    return good, skipped


def _event_row(
    type_: str, contact_id: str, data: dict[str, Any], owner: str | None, at: datetime
) -> dict[str, Any]:
    return {
        "type": type_,
        "entity_id": contact_id,
        "data": data,
        "contact_id": contact_id,
        "number_id": None,
        "owner_user_id": owner,
        "admin_only": False,
        "only_user_id": None,
        "created_at": at,
    }


def create_import(
    session: Session, actor: Actor, body: ContactImportCreate
) -> models.ContactImport:
    """Every good row a contact, assigned as POST /v1/contacts assigns one made by `actor`
    with no assignee given (to them if they see only their own, to nobody otherwise)."""
    events.prepare_write(session)  # the feed's write turn first, as every contact write
    good, skipped = _check_all(session, body.rows)
    now = utcnow()
    assigned = actor.user_id if actor.assigned_only else None
    imported = models.ContactImport(
        id=new_id("imp"),
        source=body.source.strip() or body.source,
        user_id=actor.user_id,
        created_count=len(good),
        skipped=[s.model_dump(mode="json") for s in skipped],
        created_at=now,
        undone_at=None,
    )
    session.add(imported)
    contacts: list[dict[str, Any]] = []
    phones: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    feed: list[dict[str, Any]] = []
    for contact in good:
        contact_id = new_id("con")
        contacts.append(
            {
                "id": contact_id,
                "name": contact.name,
                "name_key": name_key(contact.name),
                "email": contact.email,
                "dnd": contact.dnd,
                "assigned_user_id": assigned,
                "deleted_at": None,
                "created_at": now,
                "updated_at": now,
                "import_id": imported.id,
            }
        )
        for position, (number, label) in enumerate(contact.phones):
            phones.append(
                {
                    "contact_id": contact_id,
                    "number": number,
                    "label": label,
                    "position": position,
                    "live_number": number,
                }
            )
        if contact.dnd:
            audits.append(
                {
                    "contact_id": contact_id,
                    "old_dnd": False,
                    "new_dnd": True,
                    "source": SOURCE_IMPORT,
                    "user_id": actor.user_id,
                    "message_id": None,
                    "at": now,
                    "simulated_by_user_id": None,
                }
            )
        # The very view GET /v1/contacts/{id} answers (consoles cache it as it is).
        view = contact_view_of(
            contact_id=contact_id,
            name=contact.name,
            phones=contact.phones,
            email=contact.email,
            dnd=contact.dnd,
            assigned_user_id=assigned,
            updated_at=now,
            deleted=False,
        )
        feed.append(
            _event_row(
                "contact.upserted",
                contact_id,
                view.model_dump(mode="json", by_alias=True),
                assigned,
                now,
            )
        )
    session.flush()  # the import's row first
    connection = session.connection()
    if contacts:
        connection.execute(insert(models.Contact), contacts)
    if phones:
        connection.execute(insert(models.ContactPhone), phones)
    if audits:
        connection.execute(insert(models.DndChange), audits)
    events.record_many(session, feed)
    _announce(session, imported)
    return imported


def _announce(session: Session, row: models.ContactImport) -> None:
    events.record(
        session,
        CONTACT_IMPORT_UPSERTED,
        row.id,
        import_view(row),
        owner_user_id=row.user_id,
        only_user_id=row.user_id,
    )


def visible_imports(actor: Actor) -> Select[models.ContactImport]:
    query = select(models.ContactImport)
    if not actor.is_admin:
        query = query.where(models.ContactImport.user_id == actor.user_id)
    return query


def find_import(session: Session, actor: Actor, import_id: str) -> models.ContactImport:
    """The import if the caller made it or is an admin; 404 otherwise."""
    row = session.get(models.ContactImport, import_id)
    if row is None or not (actor.is_admin or row.user_id == actor.user_id):
        raise DomainError(ErrorCode.NOT_FOUND, f"No contact import {import_id!r}.")
    return row


def undo_import(session: Session, actor: Actor, import_id: str) -> models.ContactImport:
    """Delete every contact the import made that is still live, as DELETE /v1/contacts/{id}
    does (soft, each with its contact.deleted event). An assigned-only caller deletes those
    still assigned to them only: the others are out of their sight (and reach)."""
    events.prepare_write(session)  # before the rows' locks, as in delete_contact
    row = find_import(session, actor, import_id)
    if row.undone_at is not None:
        raise DomainError(
            ErrorCode.ALREADY_UNDONE, f"Contact import {import_id!r} was already undone."
        )
    now = utcnow()
    live = select(models.Contact.id).where(
        models.Contact.import_id == row.id, models.Contact.deleted_at.is_(None)
    )
    if actor.assigned_only:
        live = live.where(models.Contact.assigned_user_id == actor.user_id)
    ids = list(session.scalars(live))
    for chunk in _chunks(ids):
        session.execute(
            update(models.ContactPhone)
            .where(models.ContactPhone.contact_id.in_(chunk))
            .values(live_number=None),  # their numbers are free for another contact
            execution_options={"synchronize_session": False},
        )
        session.execute(
            update(models.Contact)
            .where(models.Contact.id.in_(chunk))
            .values(deleted_at=now, updated_at=now),
            execution_options={"synchronize_session": False},
        )
    feed: list[dict[str, Any]] = []
    for chunk in _chunks(ids):
        for contact in session.scalars(
            select(models.Contact)
            .where(models.Contact.id.in_(chunk))
            .execution_options(populate_existing=True)
        ):
            feed.append(
                _event_row(
                    "contact.deleted",
                    contact.id,
                    contact_view(contact).model_dump(mode="json", by_alias=True),
                    contact.assigned_user_id,
                    now,
                )
            )
    events.record_many(session, feed)
    dnd.refresh_group_chats(session, ids)  # group chats show them "deleted"
    row.undone_at = now
    session.flush()
    _announce(session, row)
    return row
