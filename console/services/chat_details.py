"""What the open conversation shows beside its messages: who is in a group chat (with live
tags) and whether this user may write in it. Reads the cache only; Qt-free.

A group chat's participants are frozen at creation (contact id + the number chosen then). The
cache holds them as the server last described them (`conversations.participants_json`, with
the server's tags); the contacts as they are now come from the cache's contact tables, and the
tags are recomputed from those with the same domain rule the server uses
(`domain.group_chat.participant_tags`), so a contact edit applied by a sync batch shows at once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, exists, or_, select

from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.group_chat import (
    NO_CHANGES,
    TAG_DELETED,
    TAG_DND,
    TAG_UPDATED,
    ContactFacts,
    ContactSnapshot,
    ParticipantChanges,
    participant_changes,
    participant_tags,
)
from console.domain.messages import Direction, MessageStatus
from console.domain.phones import format_display
from console.services.mapping import conversation_kind, conversation_status
from console.services.types import SendDenied as SendDenied  # re-exported
from console.store.cache import Cache
from console.store.models import contact_phones, contacts, conversations, messages, numbers
from console.store.outbox import PENDING_CONVERSATION_PREFIX


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    contact_id: str
    name: str  # the contact's name now (as the server last named them if the cache has none)
    phone: str  # E.164, frozen at creation: where messages go
    phone_display: str
    phone_label: str  # "primary" | "secondary" on the contact now; "" if no longer on it
    tags: tuple[str, ...]  # domain TAG_* values, in the domain's order
    # What `Updated` stands for (the name then, the frozen number gone, numbers removed or
    # added, E.164); the views word it. Empty when nothing changed or the cache cannot tell
    # (the server's tags are shown then).
    changes: ParticipantChanges = NO_CHANGES
    # The frozen number is no longer one of the contact's: a new chat cannot take it.
    number_gone: bool = False

    @property
    def display_name(self) -> str:
        return self.name or self.phone_display


@dataclass(frozen=True, slots=True)
class ChatDetails:
    conversation_id: str
    kind: ConversationKind
    status: ConversationStatus
    blocked_reason: str | None
    number_id: str | None
    number_display: str  # the business number it goes out from, for display
    # Why this user may not write here even if nothing blocks the chat (None: they may).
    send_denied: SendDenied | None
    participants: tuple[ParticipantRow, ...] = ()
    # Created here and not yet confirmed by the server.
    pending: bool = False
    # The number `send_denied` is about, for display (its label, else the number).
    denied_number: str = ""
    # The business number alone, for display ("(555) 010-0100": a template's {business_number}).
    number_plain: str = ""
    # What the first text here gets added (the number's opt-out hint; "" once one was sent).
    opt_out_hint: str = ""

    @property
    def is_group(self) -> bool:
        return self.kind is ConversationKind.GROUP_SMS

    @property
    def is_blocked(self) -> bool:
        return self.status is ConversationStatus.BLOCKED

    @property
    def blocking(self) -> tuple[ParticipantRow, ...]:
        """The participants whose Do Not Disturb blocks the chat."""
        return tuple(p for p in self.participants if TAG_DND in p.tags)

    def others_for_new_chat(self) -> list[tuple[str, str]]:
        """(contact_id, E.164) of the participants a new chat without the blocking ones can
        keep: not DND, not deleted, and the number still one of the contact's (a new chat
        is held to the creation rules, which refuse the others). One merely renamed, or
        with another number added or removed, is kept: `Updated` alone refuses nothing."""
        return [
            (p.contact_id, p.phone)
            for p in self.participants
            if not set(p.tags) & {TAG_DND, TAG_DELETED} and not p.number_gone
        ]


def _number_denied(number: Any, number_id: str | None) -> tuple[SendDenied | None, str]:
    """Why this user may not send through the chat's number (None: they may), and the number
    as shown."""
    if number_id is None:
        return None, ""
    if number is None:
        return SendDenied.NUMBER_UNAVAILABLE, ""
    if not number.can_send:
        return SendDenied.NUMBER_NOT_ALLOWED, number.label or format_display(number.e164)
    return None, ""


class ChatDetailService:
    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    def details(self, conversation_id: str) -> ChatDetails | None:
        """The conversation's send permission and, for a group chat, its participants."""
        with self._cache.read() as conn:
            row = conn.execute(
                select(
                    conversations.c.id,
                    conversations.c.kind,
                    conversations.c.status,
                    conversations.c.blocked_reason,
                    conversations.c.number_id,
                    conversations.c.participants_json,
                ).where(conversations.c.id == conversation_id, conversations.c.known.is_(True))
            ).first()
            if row is None:
                return None
            number = None
            if row.number_id is not None:
                number = conn.execute(
                    select(
                        numbers.c.e164, numbers.c.label, numbers.c.can_send,
                        numbers.c.opt_out_hint,
                    ).where(numbers.c.id == row.number_id)
                ).first()
            # The number's opt-out hint goes with the conversation's first text only.
            hint = ""
            if number is not None and number.opt_out_hint:
                sent = conn.execute(select(exists().where(
                    messages.c.conversation_id == row.id,
                    messages.c.direction == Direction.OUT.value,
                    # A text refused before the server had it never went: the next one is
                    # still the first (as the server counts).
                    or_(messages.c.server_id.is_not(None),
                        messages.c.status != MessageStatus.FAILED.value),
                    messages.c.note.is_(False),  # a note was sent to nobody (as the server)
                ))).scalar()
                hint = "" if sent else number.opt_out_hint
            kind = conversation_kind(row.kind)
            frozen = _frozen(row.participants_json) if kind is ConversationKind.GROUP_SMS else []
            participants = _participants(conn, frozen)
        if number is not None:
            number_display = format_display(number.e164)
            if number.label:
                number_display = f"{number.label}, {number_display}"
        else:
            number_display = ""
        denied, denied_number = (
            (None, "") if kind is ConversationKind.IN_APP
            else _number_denied(number, row.number_id)
        )
        return ChatDetails(
            conversation_id=row.id,
            kind=kind,
            status=conversation_status(row.status),
            blocked_reason=row.blocked_reason,
            number_id=row.number_id,
            number_display=number_display,
            send_denied=denied,
            participants=tuple(participants),
            pending=row.id.startswith(PENDING_CONVERSATION_PREFIX),
            denied_number=denied_number,
            number_plain=format_display(number.e164) if number is not None else "",
            opt_out_hint=hint if kind is not ConversationKind.IN_APP else "",
        )


def _frozen(participants_json: str | None) -> list[dict[str, Any]]:
    if not participants_json:
        return []
    try:
        loaded = json.loads(participants_json)
    except ValueError:
        return []
    return [p for p in loaded if isinstance(p, dict) and p.get("phone")]


def _participants(conn: Connection, frozen: Sequence[dict[str, Any]]) -> list[ParticipantRow]:
    ids = sorted({str(p.get("contact_id", "")) for p in frozen})
    if not ids:
        return []
    people = {
        r.id: r
        for r in conn.execute(
            select(
                contacts.c.id,
                contacts.c.name,
                contacts.c.dnd,
                contacts.c.deleted,
                contacts.c.assigned_user_id,
            ).where(contacts.c.id.in_(ids))
        )
    }
    phones: dict[str, list[tuple[str, str]]] = {}
    for r in conn.execute(
        select(contact_phones.c.contact_id, contact_phones.c.number, contact_phones.c.label)
        .where(contact_phones.c.contact_id.in_(ids))
        .order_by(contact_phones.c.contact_id, contact_phones.c.position)
    ):
        phones.setdefault(r.contact_id, []).append((r.number, r.label))
    rows = []
    for item in frozen:
        contact_id, phone = str(item.get("contact_id", "")), str(item["phone"])
        person = people.get(contact_id)
        changes = NO_CHANGES
        if person is None:  # not in the cache: as the server last described them
            name = str(item.get("name") or "")
            tags = tuple(str(t) for t in item.get("tags") or ())
            label = ""
            number_gone = TAG_UPDATED in tags  # cannot tell what changed: assume the worst
        else:
            numbers_now = phones.get(contact_id, [])
            facts = ContactFacts(
                id=person.id,
                name=person.name,
                phones=tuple(n for n, _ in numbers_now),
                dnd=bool(person.dnd),
                deleted=bool(person.deleted),
                assigned_user_id=person.assigned_user_id,
            )
            name = person.name
            snapshot = _snapshot(item)
            tags = tuple(participant_tags(phone, facts, snapshot))
            changes = participant_changes(phone, facts, snapshot)
            number_gone = changes.number_gone
            label = next((lbl for n, lbl in numbers_now if n == phone), "")
        rows.append(
            ParticipantRow(
                contact_id=contact_id,
                name=name,
                phone=phone,
                phone_display=format_display(phone),
                phone_label=label,
                tags=tags,
                changes=changes,
                number_gone=number_gone,
            )
        )
    return rows


def _snapshot(item: dict[str, Any]) -> ContactSnapshot | None:
    """The contact as it was at creation, as the server sent it (None: not recorded, e.g. a
    chat still pending here: then only the frozen number is checked)."""
    name, phones = item.get("name_then"), item.get("phones_then")
    if not isinstance(name, str) or not isinstance(phones, list):
        return None
    return ContactSnapshot(name=name, phones=tuple(str(p) for p in phones))

