"""Group SMS chats: created locally at once, then on the server through the outbox.

The chat shows in the list straight away under a `local-…` id (ConversationRow.pending) and
messages can be written in it; they queue behind the create and move to the server's id when
it answers. Before anything is queued the whole create is checked against the cache with the
domain's own rule, `validate_group_chat_request`: the sequence the backend runs (count, the
business number and the caller's access to it, then each participant: exists, assigned to the
caller, number parses, is on the contact, US/Canada, no DND, not chosen twice), so the console
names the same first error the server would. The backend has the last word: a refusal there
shows on the chat's outbox item (`creation()` says so, with the server's reason) for Retry or
Discard.

The group editor's reads live here too: the numbers the user may send from, and the picker's
rows (one per phone of a contact, each with the code of the rule it breaks, if any, for the
UI to word), found with the cache's SQL contact search a page at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Connection, select

from console.domain.access import Actor
from console.domain.conversations import ConversationKind
from console.domain.errors import DomainError, ErrorCode
from console.domain.group_chat import (
    MAX_PARTICIPANTS,
    MIN_PARTICIPANTS,
    ContactFacts,
    NumberFacts,
    ProposedParticipant,
    check_count,
    check_number_access,
    default_title,
    participant_key,
    unaddable_reason,
    validate_group_chat_request,
)
from console.domain.phones import format_display, is_us_or_canada, try_parse_phone
from console.services.mapping import to_conversation_row
from console.services.outbox import discard_item
from console.services.session import Session
from console.services.types import ConversationRow
from console.store import local_writes, queries
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.contact_search import search_contact_phone_facts
from console.store.models import contact_phones, contacts, conversations, numbers

__all__ = [
    "MAX_PARTICIPANTS",
    "MIN_PARTICIPANTS",
    "Creation",
    "CreationState",
    "GroupChatService",
    "NumberChoice",
    "PhoneHit",
    "PickerRow",
    "count_allowed",
]

# SQLite allows 32,766 bound parameters; a page of picker rows names far fewer contacts.
_CHUNK = 500

# Parsing a number for its display form takes ~50 us (phonenumbers); a picker row is painted
# many times, and the same numbers come back keystroke after keystroke.
_display = lru_cache(maxsize=8192)(format_display)


class PhoneHit(NamedTuple):
    """One phone of one contact found by a picker search: the SQL's row, before the rule is
    run on it (GroupChatService.picker_row), which only the rows a view shows need."""

    contact_id: str
    name: str
    phone: str  # E.164 as stored
    label: str
    dnd: bool
    assigned_user_id: str | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.contact_id, self.phone)


@dataclass(frozen=True, slots=True)
class NumberChoice:
    """A business number this user may start a group chat from."""

    id: str
    e164: str
    label: str
    is_default: bool

    @property
    def display(self) -> str:
        return format_display(self.e164)

    @property
    def text(self) -> str:
        """What the number picker shows: the label and the number (the number always)."""
        return f"{self.label} \u00b7 {self.display}" if self.label else self.display


@dataclass(frozen=True, slots=True)
class PickerRow:
    """One phone of one contact, as the group editor offers it."""

    contact_id: str
    name: str
    phone: str  # E.164
    phone_label: str  # "primary" | "secondary" ("" when unknown)
    code: ErrorCode | None = None  # the rule it breaks; None: it can be added (the UI words it)

    @property
    def addable(self) -> bool:
        return self.code is None

    @property
    def key(self) -> tuple[str, str]:
        return (self.contact_id, self.phone)

    @property
    def phone_display(self) -> str:
        return _display(self.phone)

    @property
    def title(self) -> str:
        return self.name or self.phone_display


class CreationState(StrEnum):
    PENDING = "pending"  # waiting in the outbox (or on its way)
    LIVE = "live"  # the server created it (or had it already)
    REFUSED = "refused"  # the server refused it: Retry or Discard (the reason says why)
    GONE = "gone"  # discarded


@dataclass(frozen=True, slots=True)
class Creation:
    state: CreationState
    conversation_id: str  # the server's id once live, the local one before
    code: str = ""  # the server's problem code, when refused
    reason: str = ""  # the server's detail, in its words, when refused


def _actor(session: Session) -> Actor:
    user = session.user
    return Actor(user.id, user.role, user.data_access)


def _facts(conn: Connection, contact_ids: Iterable[str]) -> dict[str, ContactFacts]:
    """Every contact of `contact_ids` the cache holds (deleted ones marked), in two queries."""
    wanted = sorted(set(contact_ids))
    found: dict[str, ContactFacts] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        phones: dict[str, list[str]] = {}
        for phone_row in conn.execute(
            select(contact_phones.c.contact_id, contact_phones.c.number)
            .where(contact_phones.c.contact_id.in_(chunk))
            .order_by(contact_phones.c.contact_id, contact_phones.c.position, contact_phones.c.id)
        ):
            phones.setdefault(phone_row.contact_id, []).append(phone_row.number)
        for row in conn.execute(
            select(
                contacts.c.id,
                contacts.c.name,
                contacts.c.dnd,
                contacts.c.deleted,
                contacts.c.assigned_user_id,
            ).where(contacts.c.id.in_(chunk))
        ):
            found[row.id] = ContactFacts(
                id=row.id,
                name=row.name,
                phones=tuple(phones.get(row.id, ())),
                dnd=bool(row.dnd),
                deleted=bool(row.deleted),
                assigned_user_id=row.assigned_user_id,
            )
    return found


def _labels(conn: Connection, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    ids = sorted({contact_id for contact_id, _ in pairs})
    labels: dict[tuple[str, str], str] = {}
    for start in range(0, len(ids), _CHUNK):
        for row in conn.execute(
            select(contact_phones.c.contact_id, contact_phones.c.number, contact_phones.c.label)
            .where(contact_phones.c.contact_id.in_(ids[start : start + _CHUNK]))
        ):
            labels[(row.contact_id, row.number)] = row.label
    return labels


def _number_facts(conn: Connection, number_id: str) -> NumberFacts | None:
    row = conn.execute(
        select(
            numbers.c.id, numbers.c.e164, numbers.c.is_default, numbers.c.assigned_user_id
        ).where(numbers.c.id == number_id)
    ).first()
    if row is None:
        return None
    return NumberFacts(row.id, row.e164, bool(row.is_default), row.assigned_user_id)


def _member_set(participants_json: str | None) -> frozenset[tuple[str, str]]:
    if not participants_json:
        return frozenset()
    try:
        members = json.loads(participants_json)
    except ValueError:
        return frozenset()
    return frozenset(
        (str(p.get("contact_id", "")), str(p.get("phone", "")))
        for p in members
        if isinstance(p, dict)
    )


class GroupChatService:
    def __init__(
        self,
        cache: Cache,
        session: Session,
        *,
        publish: Callable[[Changes], None],
        wake_sync: Callable[[], None],
    ) -> None:
        self._cache = cache
        self._session = session
        self._publish = publish
        self._wake_sync = wake_sync

    # -- reads for the group editor (cache only, any thread) ---------------------------------

    def numbers(self) -> list[NumberChoice]:
        """The business numbers this user may start a group chat from, the default first.

        The same access rule the server applies (domain.access.can_send_from); numbers
        outside US/Canada cannot carry group chats and are left out."""
        actor = _actor(self._session)
        with self._cache.read() as conn:
            rows = conn.execute(
                select(
                    numbers.c.id,
                    numbers.c.e164,
                    numbers.c.label,
                    numbers.c.is_default,
                    numbers.c.assigned_user_id,
                ).order_by(numbers.c.is_default.desc(), numbers.c.label, numbers.c.e164)
            ).all()
        choices = []
        for row in rows:
            facts = NumberFacts(row.id, row.e164, bool(row.is_default), row.assigned_user_id)
            try:
                check_number_access(actor, facts)
            except DomainError:
                continue
            if is_us_or_canada(row.e164):
                choices.append(NumberChoice(row.id, row.e164, row.label, bool(row.is_default)))
        return choices

    def search(self, text: str, *, limit: int, offset: int = 0) -> list[PickerRow]:
        """A page of picker rows matching `text` (name, a number fragment in any format, email),
        in name order, one per phone, each with the reason it cannot be added, if any."""
        return [self.picker_row(hit) for hit in self.search_hits(text, limit=limit, offset=offset)]

    def search_hits(self, text: str, *, limit: int, offset: int = 0) -> list[PhoneHit]:
        """The page search() would give, as the SQL found it: one indexed query and no
        per-row rule (a keystroke pays for the SQL; picker_row runs for the rows shown)."""
        with self._cache.read() as conn:
            found = search_contact_phone_facts(conn, text, limit=limit, offset=offset)
        return [PhoneHit._make(row) for row in found]

    def picker_row(self, hit: PhoneHit) -> PickerRow:
        """The picker row of one hit of search_hits, with the reason it cannot be added (the
        domain's rule, as _rows runs it: the hit carries every fact the rule reads)."""
        contact = ContactFacts(
            id=hit.contact_id,
            name=hit.name,
            phones=(hit.phone,),
            dnd=hit.dnd,
            deleted=False,  # a search never finds a deleted contact
            assigned_user_id=hit.assigned_user_id,
        )
        return self._row(_actor(self._session), contact, hit.contact_id, hit.phone, hit.label)

    def describe(self, participants: Sequence[tuple[str, str]]) -> list[PickerRow]:
        """Picker rows for given (contact_id, phone) pairs, in order: a prefill's chips.
        A phone that does not parse is kept as typed (its row says why it cannot be added)."""
        pairs = [(cid, try_parse_phone(phone) or phone) for cid, phone in participants]
        with self._cache.read() as conn:
            return self._rows(conn, pairs)

    def _rows(self, conn: Connection, pairs: Sequence[tuple[str, str]]) -> list[PickerRow]:
        actor = _actor(self._session)
        facts = _facts(conn, (contact_id for contact_id, _ in pairs))
        labels = _labels(conn, pairs)
        return [
            self._row(
                actor,
                facts.get(contact_id),
                contact_id,
                phone,
                labels.get((contact_id, phone), ""),
            )
            for contact_id, phone in pairs
        ]

    @staticmethod
    def _row(
        actor: Actor, contact: ContactFacts | None, contact_id: str, phone: str, label: str
    ) -> PickerRow:
        name = contact.name if contact is not None else ""
        error = unaddable_reason(actor, contact, phone)
        return PickerRow(
            contact_id=contact_id,
            name=name,
            phone=phone,
            phone_label=label,
            code=error.code if error is not None else None,
        )

    def check(self, number_id: str, participants: Sequence[tuple[str, str]]) -> None:
        """The create's early check: raises the first broken rule as the server would name it
        (DomainError; a ParticipantError carries the participant's index)."""
        with self._cache.read() as conn:
            self._validate(conn, number_id, participants)

    def _validate(
        self, conn: Connection, number_id: str, participants: Sequence[tuple[str, str]]
    ) -> list[dict[str, str]]:
        proposed = [ProposedParticipant(cid, phone) for cid, phone in participants]
        chosen = validate_group_chat_request(
            _actor(self._session),
            number_id,
            _number_facts(conn, number_id),
            proposed,
            _facts(conn, (p.contact_id for p in proposed)),
        )
        return [{"contact_id": p.contact_id, "phone": p.phone, "name": p.name} for p in chosen]

    def existing(
        self, number_id: str, participants: Sequence[tuple[str, str]]
    ) -> ConversationRow | None:
        """The group chat from `number_id` with exactly these (contact_id, phone) participants,
        if the cache holds one (also one still being created): the server keeps one chat per
        number and participant set, so creating it again would only return that one."""
        wanted = frozenset(
            (cid, try_parse_phone(phone) or phone) for cid, phone in participants
        )
        if not wanted:
            return None
        key = participant_key(wanted)
        with self._cache.read() as conn:
            candidates = conn.execute(
                select(conversations.c.id, conversations.c.participants_json).where(
                    conversations.c.kind == ConversationKind.GROUP_SMS.value,
                    conversations.c.number_id == number_id,
                    conversations.c.known.is_(True),
                )
            ).all()
            for row in candidates:
                if participant_key(_member_set(row.participants_json)) == key:
                    view = queries.get_conversation(conn, row.id)
                    if view is not None:
                        return to_conversation_row(view)
        return None

    def creation(self, conversation_id: str) -> Creation:
        """Where the create of `conversation_id` (as create() returned it) stands now."""
        with self._cache.read() as conn:
            if not ob.is_pending_conversation(conversation_id):
                exists = queries.get_conversation(conn, conversation_id) is not None
                state = CreationState.LIVE if exists else CreationState.GONE
                return Creation(state, conversation_id)
            key = conversation_id[len(ob.PENDING_CONVERSATION_PREFIX) :]
            item = ob.by_key(conn, key)
            local = queries.get_conversation(conn, conversation_id)
        if item is None:
            state = CreationState.PENDING if local is not None else CreationState.GONE
            return Creation(state, conversation_id)
        if item.state is ob.OutboxState.DONE:
            return Creation(CreationState.LIVE, str(item.payload.get("result_id") or ""))
        if item.state is ob.OutboxState.FAILED:
            return Creation(
                CreationState.REFUSED,
                conversation_id,
                code=item.last_error_code or "",
                reason=item.last_error or "",
            )
        return Creation(CreationState.PENDING, conversation_id)

    # -- writes ------------------------------------------------------------------------------

    def create(
        self,
        number_id: str,
        participants: Sequence[tuple[str, str]],
        *,
        replaces: str | None = None,
    ) -> ConversationRow:
        """Create a group chat from `number_id` with (contact_id, phone as typed) participants;
        `replaces`: the (blocked) chat it is started instead of, linked both ways.

        Returns the conversation row at once (pending under a local id). Raises DomainError
        with the API's code for a rule broken in what the cache knows; nothing is written then.
        """
        with self._cache.write() as conn:
            shown = self._validate(conn, number_id, participants)
            title = default_title([p["name"] for p in shown])
            conversation_id, _, _, changes = local_writes.queue_group_chat(
                conn,
                number_id=number_id,
                participants=shown,
                title=title,
                now=utcnow(),
                replaces=replaces,
            )
            view = queries.get_conversation(conn, conversation_id)
        assert view is not None
        self._publish(changes)
        self._wake_sync()
        return to_conversation_row(view)

    def discard(self, conversation_id: str) -> None:
        """Drop a group chat the server refused (or one not sent yet) with what was queued in
        it. Raises DomainError when it is not (or no longer) a chat waiting to be created."""
        if not ob.is_pending_conversation(conversation_id):
            raise DomainError(ErrorCode.NOT_FOUND, "This group chat is not waiting to be created.")
        key = conversation_id[len(ob.PENDING_CONVERSATION_PREFIX) :]
        with self._cache.write() as conn:
            item = ob.by_key(conn, key)
            if item is None or item.state is ob.OutboxState.DONE:
                raise DomainError(
                    ErrorCode.NOT_FOUND, "This group chat is not waiting to be created."
                )
            changes = discard_item(conn, item)
        self._publish(changes)
        self._wake_sync()


def count_allowed(count: int) -> bool:
    """Whether a group chat may have `count` participants (the domain's check_count)."""
    try:
        check_count(count)
    except DomainError:
        return False
    return True
