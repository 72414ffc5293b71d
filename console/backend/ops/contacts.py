"""Contacts (people): CRUD, search, and who may see them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops import dnd, phone_claims, visibility
from console.backend.ops.users import require_user_id
from console.domain.access import Actor, can_see_contact
from console.domain.emails import checked_email
from console.domain.errors import DomainError, ErrorCode
from console.domain.phones import digits_fragment, parse_phone
from console.protocol.contacts import ContactCreate, ContactPatch, ContactPhone

DND_REASON = dnd.DIRECT_DND_REASON


def name_key(name: str) -> str:
    return name.strip().lower()


def _email(text: str | None) -> str | None:
    """One plain address or none (blank clears it); it ends up in a notification's To:."""
    return checked_email(text) if text and text.strip() else None


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def visible_contacts(actor: Actor) -> Select[models.Contact]:
    query = select(models.Contact).where(models.Contact.deleted_at.is_(None))
    if actor.assigned_only:
        query = query.where(models.Contact.assigned_user_id == actor.user_id)
    return query


def search(actor: Actor, q: str | None) -> Select[models.Contact]:
    """Name fragment (any case) or number fragment (its digits, found inside the E.164 form)."""
    query = visible_contacts(actor)
    text = (q or "").strip()
    if not text:
        return query
    conditions: list[ColumnElement[bool]] = [
        models.Contact.name_key.like(f"%{_like_escape(text.lower())}%", escape="\\")
    ]
    digits = digits_fragment(text)
    if digits:
        conditions.append(
            exists().where(
                models.ContactPhone.contact_id == models.Contact.id,
                models.ContactPhone.number.like(f"%{digits}%"),
            )
        )
    return query.where(or_(*conditions))


def after_cursor(
    query: Select[models.Contact], key: str, contact_id: str
) -> Select[models.Contact]:
    return query.where(
        or_(
            models.Contact.name_key > key,
            and_(models.Contact.name_key == key, models.Contact.id > contact_id),
        )
    )


def find_contact(session: Session, actor: Actor, contact_id: str) -> models.Contact:
    """The contact if the caller may see it; 404 otherwise (no hint that it exists)."""
    row = session.get(models.Contact, contact_id)
    if (
        row is None
        or row.deleted_at is not None
        or not can_see_contact(actor, assigned_user_id=row.assigned_user_id)
    ):
        raise DomainError(ErrorCode.NOT_FOUND, f"No contact {contact_id!r}.")
    return row


def normalize_phones(phones: Sequence[ContactPhone]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for index, phone in enumerate(phones):
        try:
            number = parse_phone(phone.number)
        except DomainError as exc:
            raise DomainError(exc.code, f"phones[{index}].number: {exc.detail}") from exc
        if number in seen:
            raise DomainError(
                ErrorCode.VALIDATION_ERROR, f"phones[{index}].number: {number} is listed twice"
            )
        seen.add(number)
        out.append((number, phone.label))
    return out


def _set_phones(row: models.Contact, phones: list[tuple[str, str]]) -> None:
    # Replace in place, keeping rows whose number stays (so their ids do not churn).
    keep = {p.number: p for p in row.phones}
    row.phones = []
    for position, (number, label) in enumerate(phones):
        phone = keep.get(number) or models.ContactPhone(number=number)
        phone.label, phone.position = label, position
        row.phones.append(phone)
    phone_claims.claim(row)


def _check_assignment(
    session: Session, actor: Actor, assigned_user_id: str | None, current: str | None = None
) -> None:
    if actor.assigned_only and assigned_user_id != actor.user_id:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "With assigned-only access you can only assign contacts to yourself.",
        )
    require_user_id(session, assigned_user_id, "assigned_user_id", current=current)


def create_contact(session: Session, actor: Actor, data: ContactCreate) -> models.Contact:
    phones = normalize_phones(data.phones)
    assigned = data.assigned_user_id
    if actor.assigned_only and "assigned_user_id" not in data.model_fields_set:
        assigned = actor.user_id  # otherwise they would lose sight of what they just made
    _check_assignment(session, actor, assigned)
    phone_claims.require_free(session, [number for number, _ in phones], None)
    now = utcnow()
    name = data.name.strip()
    if not name:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "name: a contact needs a name")
    row = models.Contact(
        id=new_id("con"),
        name=name,
        name_key=name_key(name),
        email=_email(data.email),
        dnd=data.dnd,
        assigned_user_id=assigned,
        created_at=now,
        updated_at=now,
    )
    _set_phones(row, phones)
    session.add(row)
    session.flush()
    if row.dnd:
        dnd.audit(session, row, False, True, source=dnd.SOURCE_USER, user_id=actor.user_id)
    events.contact_changed(session, row)
    return row


def patch_contact(
    session: Session, actor: Actor, contact_id: str, patch: ContactPatch
) -> models.Contact:
    # The feed's write turn before the contact's row lock: an inbound STOP takes them in that
    # order too (its message, then the contact's DND), so PostgreSQL never deadlocks the two.
    events.prepare_write(session)
    row = find_contact(session, actor, contact_id)
    given = patch.model_fields_set
    if patch.name is not None:
        name = patch.name.strip()
        if not name:
            raise DomainError(ErrorCode.VALIDATION_ERROR, "name: a contact needs a name")
        row.name, row.name_key = name, name_key(name)
    if patch.phones is not None:
        phones = normalize_phones(patch.phones)
        phone_claims.require_free(session, [number for number, _ in phones], row.id)
        _set_phones(row, phones)
    if "email" in given:
        row.email = _email(patch.email)
    if "assigned_user_id" in given:
        _check_assignment(session, actor, patch.assigned_user_id, row.assigned_user_id)
        row.assigned_user_id = patch.assigned_user_id
    if patch.dnd is not None and patch.dnd != row.dnd:
        dnd.audit(session, row, row.dnd, patch.dnd, source=dnd.SOURCE_USER,
                  user_id=actor.user_id)
        row.dnd = patch.dnd
    row.updated_at = utcnow()
    session.flush()
    # Who lost or gained sight hears it, and the feed's past follows the new owner.
    visibility.follow_contact(session, row)
    events.contact_changed(session, row)
    dnd.refresh_own_threads(session, row)
    if given & {"name", "phones", "dnd"}:  # what group chats show of a participant
        dnd.refresh_group_chats(session, [row.id])
    return row


def delete_contact(session: Session, actor: Actor, contact_id: str) -> models.Contact:
    """Soft delete: history keeps pointing at the person; lists and search stop showing them.

    Group chats keep sending to the number chosen at creation; they show a "deleted" tag.
    """
    events.prepare_write(session)  # before the row lock, as in patch_contact
    row = find_contact(session, actor, contact_id)
    row.deleted_at = row.updated_at = utcnow()
    phone_claims.claim(row)  # its numbers are free for another contact
    session.flush()
    events.contact_changed(session, row)
    dnd.refresh_group_chats(session, [row.id])
    return row


def refresh_conversations(session: Session, contact: models.Contact) -> None:
    """Their own threads follow the contact (name; DND for SMS); group chats show live tags
    and status."""
    dnd.refresh_own_threads(session, contact)
    dnd.refresh_group_chats(session, [contact.id])
