"""A phone number belongs to one live contact at most.

`contact_phones.live_number` is the number while its contact is live and NULL once the contact
is deleted; a unique index on it is what enforces the rule, also for two requests at once. The
check before a write only turns the common case into a clear 409 `phone_taken` that says
nothing about the holder (the caller may not be allowed to see them), and inbound texts find
their contact through the same column: the one live holder, never "the newest".
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import models
from console.domain.errors import DomainError, ErrorCode


def claim(contact: models.Contact) -> None:
    """Hold the contact's numbers while it is live; free them once it is deleted."""
    live = contact.deleted_at is None
    for phone in contact.phones:
        phone.live_number = phone.number if live else None


def live_holder(session: Session, number: str) -> models.Contact | None:
    """The live contact holding `number` (E.164), if any: there is at most one."""
    return session.scalar(
        select(models.Contact)
        .join(models.ContactPhone, models.ContactPhone.contact_id == models.Contact.id)
        .where(models.ContactPhone.live_number == number)
    )


def holds(session: Session, contact_id: str, number: str) -> bool:
    """Whether the contact is live and holds `number` now (it is theirs to be texted at)."""
    return session.scalar(
        select(models.ContactPhone.id).where(
            models.ContactPhone.contact_id == contact_id,
            models.ContactPhone.live_number == number,
        )
    ) is not None


def require_free(session: Session, numbers: Sequence[str], contact_id: str | None) -> None:
    """409 `phone_taken` for the first of `numbers` another live contact holds.

    The detail is the same whoever holds it and whether the caller may see them: only the
    caller's own input (the field and the number) is named.
    """
    if not numbers:
        return
    taken = set(
        session.scalars(
            select(models.ContactPhone.live_number).where(
                models.ContactPhone.live_number.in_(list(numbers)),
                models.ContactPhone.contact_id != (contact_id or ""),
            )
        )
    )
    for index, number in enumerate(numbers):
        if number in taken:
            raise DomainError(
                ErrorCode.PHONE_TAKEN,
                f"phones[{index}].number: {number} already belongs to another contact; a "
                "number can be on one contact only.",
            )
