"""Group SMS chats: who may be in one, and what the participants show later.

The rules of the seed, as one pure function both the backend (the law) and the console (early,
courtesy checks) call. Checks run in a fixed order and the first broken rule wins, so the same
proposal always gets the same answer:

1. participant count (2..9), 2. the business number is US/Canada,
3. then each participant in the order given: the contact exists (not_found), the caller may use
   it (contact_not_assigned), the number parses (invalid_phone), it is one of the contact's
   numbers (phone_not_on_contact), it is US/Canada (region_not_supported), the contact has no
   DND (participant_dnd), the number was not chosen before (duplicate_participant).

The backend's create runs count, then the business number (not_found, number_access_denied),
then `validate_group_chat`; `validate_group_chat_request` is that whole sequence in one call,
for the console (which holds the number's facts in its cache). `unaddable_reason` is rule 3
for one participant alone, so the console's picker greys a row out for the same reason the
server would refuse it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from console.domain.access import Actor, can_see_contact, can_send_from
from console.domain.errors import DomainError, ErrorCode
from console.domain.phones import is_us_or_canada, parse_phone

MIN_PARTICIPANTS = 2
MAX_PARTICIPANTS = 9

TAG_UPDATED = "updated"
TAG_DELETED = "deleted"
TAG_DND = "dnd"


@dataclass(frozen=True, slots=True)
class ContactFacts:
    """What the rules need to know about one contact (phones in E.164)."""

    id: str
    name: str
    phones: tuple[str, ...]
    dnd: bool = False
    deleted: bool = False
    assigned_user_id: str | None = None


@dataclass(frozen=True, slots=True)
class ProposedParticipant:
    contact_id: str
    phone: str  # as typed: any form parse_phone accepts


@dataclass(frozen=True, slots=True)
class ChosenParticipant:
    contact_id: str
    name: str
    phone: str  # E.164, frozen from now on


class ParticipantError(DomainError):
    """A rule broken by one participant; `index` is its position in the request."""

    def __init__(self, code: ErrorCode, index: int, contact_id: str, detail: str) -> None:
        super().__init__(code, f"participants[{index}]: {detail}")
        self.index = index
        self.contact_id = contact_id

    @property
    def errors(self) -> list[dict[str, object]]:
        """Which participant broke the rule, for the problem document's `errors`."""
        return [
            {
                "loc": ["body", "participants", str(self.index)],
                "msg": self.detail,
                "type": self.code.value,
                "index": self.index,
                "contact_id": self.contact_id,
            }
        ]


def check_count(count: int) -> None:
    if not MIN_PARTICIPANTS <= count <= MAX_PARTICIPANTS:
        raise DomainError(
            ErrorCode.PARTICIPANT_COUNT,
            f"A group chat needs {MIN_PARTICIPANTS} to {MAX_PARTICIPANTS} participants, "
            f"not {count}.",
        )


def check_business_number(e164: str) -> None:
    if not is_us_or_canada(e164):
        raise DomainError(
            ErrorCode.REGION_NOT_SUPPORTED,
            f"number_id: group chats need a US or Canada business number, not {e164}.",
        )


def validate_group_chat(
    actor: Actor,
    business_e164: str,
    proposed: Sequence[ProposedParticipant],
    contacts: Mapping[str, ContactFacts],
) -> list[ChosenParticipant]:
    """The participants as they will be frozen, or the first broken rule (see module doc).

    `contacts` holds the facts of every contact the proposal names that exists; a missing
    id is an unknown contact.
    """
    check_count(len(proposed))
    check_business_number(business_e164)
    chosen: list[ChosenParticipant] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(proposed):
        person = check_participant(actor, index, item, contacts.get(item.contact_id))
        if person.phone in seen:
            raise ParticipantError(
                ErrorCode.DUPLICATE_PARTICIPANT, index, person.contact_id,
                f"{person.phone} is already participants[{seen[person.phone]}]",
            )
        seen[person.phone] = index
        chosen.append(person)
    return chosen


def check_participant(
    actor: Actor, index: int, item: ProposedParticipant, contact: ContactFacts | None
) -> ChosenParticipant:
    """Rule 3 for one participant on its own (all but the duplicate check), in order."""
    if contact is None or contact.deleted:
        raise ParticipantError(
            ErrorCode.NOT_FOUND, index, item.contact_id, f"no contact {item.contact_id!r}"
        )
    if not can_see_contact(actor, assigned_user_id=contact.assigned_user_id):
        raise ParticipantError(
            ErrorCode.CONTACT_NOT_ASSIGNED, index, contact.id,
            f"contact {contact.id!r} is not assigned to you",
        )
    try:
        phone = parse_phone(item.phone)
    except DomainError as exc:
        raise ParticipantError(exc.code, index, contact.id, exc.detail) from exc
    if phone not in contact.phones:
        raise ParticipantError(
            ErrorCode.PHONE_NOT_ON_CONTACT, index, contact.id,
            f"{phone} is not one of {contact.name}'s numbers",
        )
    if not is_us_or_canada(phone):
        raise ParticipantError(
            ErrorCode.REGION_NOT_SUPPORTED, index, contact.id,
            f"{contact.name}'s number {phone} is not a US or Canada number",
        )
    if contact.dnd:
        raise ParticipantError(
            ErrorCode.PARTICIPANT_DND, index, contact.id,
            f"{contact.name} has Do Not Disturb on",
        )
    return ChosenParticipant(contact_id=contact.id, name=contact.name, phone=phone)


def unaddable_reason(
    actor: Actor, contact: ContactFacts | None, phone: str
) -> ParticipantError | None:
    """Why this number of this contact can never join a group chat (None: it can).

    Rule 3 for one row of a picker; the duplicate check is left to the proposal, since a row
    already chosen is not unaddable, merely taken."""
    contact_id = contact.id if contact is not None else ""
    try:
        check_participant(actor, 0, ProposedParticipant(contact_id, phone), contact)
    except ParticipantError as exc:
        return exc
    return None


@dataclass(frozen=True, slots=True)
class NumberFacts:
    """What the rules need to know about one business number."""

    id: str
    e164: str
    is_default: bool = False
    assigned_user_id: str | None = None


def check_number_access(actor: Actor, number: NumberFacts) -> None:
    """The caller may send from `number` (access.can_send_from), or number_access_denied."""
    if not can_send_from(
        actor, is_default=number.is_default, assigned_user_id=number.assigned_user_id
    ):
        raise DomainError(
            ErrorCode.NUMBER_ACCESS_DENIED, f"You may not send from {number.e164}."
        )


def validate_group_chat_request(
    actor: Actor,
    number_id: str,
    number: NumberFacts | None,
    proposed: Sequence[ProposedParticipant],
    contacts: Mapping[str, ContactFacts],
) -> list[ChosenParticipant]:
    """The whole create check in the backend's order: count, the business number (exists,
    the caller may send from it), then `validate_group_chat`. `number` None: unknown."""
    check_count(len(proposed))
    if number is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No business number {number_id!r}.")
    check_number_access(actor, number)
    return validate_group_chat(actor, number.e164, proposed, contacts)


def participant_key(members: Iterable[tuple[str, str]]) -> str:
    """One key per participant set of (contact id, phone) pairs, order aside: how a group MMS
    finds its chat. The contacts are part of it because a number may pass to another contact
    (the old one deleted, or the number taken off its card): a text from the same numbers held
    by other people is another chat, not the old people's."""
    canonical = ",".join(sorted({f"{phone}={contact_id}" for contact_id, phone in members}))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ContactSnapshot:
    """A participant's contact as it was when the chat was made: its name and every number
    (E.164). Chats from before the snapshot was kept (backend migration 0014 filled theirs from
    the contact as it was then, the best available) may have none."""

    name: str
    phones: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParticipantChanges:
    """How a participant's contact differs now from when the chat was made (`Updated`)."""

    number_gone: bool = False  # the frozen number is no longer one of the contact's
    name_was: str | None = None  # the name then, when the contact is named otherwise now
    phones_removed: tuple[str, ...] = ()  # other numbers it had then and has no longer
    phones_added: tuple[str, ...] = ()  # numbers it has now and had not then

    def __bool__(self) -> bool:
        return bool(
            self.number_gone or self.name_was is not None or self.phones_removed
            or self.phones_added
        )


NO_CHANGES = ParticipantChanges()


def participant_changes(
    frozen_phone: str, contact: ContactFacts | None, snapshot: ContactSnapshot | None
) -> ParticipantChanges:
    """What changed on the contact since the chat was made. Without a snapshot only the frozen
    number can be checked; a contact that is gone altogether is `Deleted`, not changed."""
    if contact is None:
        return NO_CHANGES
    number_gone = frozen_phone not in contact.phones
    if snapshot is None:
        return ParticipantChanges(number_gone=number_gone)
    then, now = set(snapshot.phones), set(contact.phones)
    return ParticipantChanges(
        number_gone=number_gone,
        name_was=snapshot.name if snapshot.name != contact.name else None,
        phones_removed=tuple(p for p in snapshot.phones if p not in now and p != frozen_phone),
        phones_added=tuple(p for p in contact.phones if p not in then),
    )


def participant_tags(
    frozen_phone: str, contact: ContactFacts | None, snapshot: ContactSnapshot | None = None
) -> list[str]:
    """The live tags of a frozen participant: `updated` when the contact's name or numbers
    changed since the chat was made (see participant_changes), then deletion and DND now."""
    if contact is None:
        return [TAG_DELETED]
    tags: list[str] = []
    if participant_changes(frozen_phone, contact, snapshot):
        tags.append(TAG_UPDATED)
    if contact.deleted:
        tags.append(TAG_DELETED)
    if contact.dnd:
        tags.append(TAG_DND)
    return tags


def blocked_reason(dnd_names: Sequence[str], limit: int = 200) -> str | None:
    """Why a group chat cannot send: the participants with DND on, by name (None: it can)."""
    if not dnd_names:
        return None
    who = ", ".join(dnd_names)
    verb = "has" if len(dnd_names) == 1 else "have"
    reason = f"{who} {verb} Do Not Disturb on"
    return reason if len(reason) <= limit else reason[: limit - 1] + "\u2026"


def out_of_rules_reason(phones: Sequence[str]) -> str | None:
    """Why a chat that exists anyway may not send (None: it may).

    A chat made here always keeps the rules above; one a carrier started (a group MMS from a
    person to us and others) can break them: too many people, or a number outside US/Canada.
    Its messages are kept, but it is not texted from here: a new chat within the rules is."""
    count = len(phones)
    if not MIN_PARTICIPANTS <= count <= MAX_PARTICIPANTS:
        return (
            f"This group text has {count} participants; group chats may have "
            f"{MIN_PARTICIPANTS} to {MAX_PARTICIPANTS}. Start a new chat within that."
        )
    foreign = [phone for phone in phones if not is_us_or_canada(phone)]
    if foreign:
        verb = "is not a" if len(foreign) == 1 else "are not"
        noun = "number" if len(foreign) == 1 else "numbers"
        return f"{', '.join(foreign)} {verb} US or Canada {noun}; group chats text only those."
    return None


def default_title(names: Sequence[str], limit: int = 200) -> str:
    title = ", ".join(names)
    return title if len(title) <= limit else title[: limit - 1] + "\u2026"
