"""A conversation as the cache records it, read into plain values (no SQLAlchemy here).

The services' reads (store/queries.py) and the window's first look at the cache before the
services load (store/first_page.py) build the same values from a row with these columns:
id, kind, title, phone, participants_json, last_message_preview, activity_at, unread_count,
status, blocked_reason, replaces, replaced_by, number_label, number_e164.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# A group chat created offline lives under this id until the server names it.
PENDING_CONVERSATION_PREFIX = "local-"


@dataclass(frozen=True, slots=True)
class ParticipantView:
    """One frozen participant of a group chat as the server last described it."""

    contact_id: str
    name: str  # the contact's name now ("" when the server sent none)
    phone: str  # E.164, frozen at creation
    tags: tuple[str, ...] = ()  # console.domain.group_chat TAG_* values


@dataclass(frozen=True, slots=True)
class OptOutView:
    """The conversation's open suspected opt-out as the server last said (migration r0008)."""

    message_id: str  # the flagged inbound message's server id
    at: datetime  # when the server flagged it
    body: str | None  # that message's text; None when the message is not in the cache
    pending: str | None = None  # "confirm" / "dismiss": the agent's answer, still queued here


@dataclass(frozen=True, slots=True)
class ConversationView:
    id: str
    kind: str
    title: str
    phone: str | None
    participant_count: int | None
    preview: str
    activity_at: datetime | None
    unread_count: int
    status: str
    blocked_reason: str | None
    number_label: str
    number_e164: str | None
    participants: tuple[ParticipantView, ...] = ()  # group SMS chats only, in creation order
    replaces: str | None = None  # the chat this group chat was started instead of
    replaced_by: str | None = None  # the newest chat started instead of this one
    contact_id: str | None = None  # a direct or in-app chat's person
    number_id: str | None = None  # the business number it goes out from
    opt_out: OptOutView | None = None  # an open suspected opt-out


def opt_out_of(row: Any) -> OptOutView | None:
    """The flag in a row with opt_out_message_id, opt_out_at, opt_out_body, opt_out_pending,
    opt_out_pending_message_id (a row without them, e.g. the first page's: None)."""
    message_id = getattr(row, "opt_out_message_id", None)
    at = getattr(row, "opt_out_at", None)
    if message_id is None or at is None:
        return None
    pending = getattr(row, "opt_out_pending", None)
    if getattr(row, "opt_out_pending_message_id", None) != message_id:
        pending = None  # an answer queued for an earlier flag says nothing about this one
    return OptOutView(message_id, at, getattr(row, "opt_out_body", None), pending)


def participants_of(raw: str | None) -> tuple[ParticipantView, ...] | None:
    """A group chat's `participants_json` (None: not a group chat, or unreadable)."""
    if not raw:
        return None
    try:
        items = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    return tuple(
        ParticipantView(
            contact_id=str(item.get("contact_id") or ""),
            name=str(item.get("name") or ""),
            phone=str(item.get("phone") or ""),
            tags=tuple(str(tag) for tag in item.get("tags") or ()),
        )
        for item in items
        if isinstance(item, dict)
    )


def conversation_view(row: Any) -> ConversationView:
    """`row`: anything with the columns above as attributes (activity_at an aware datetime)."""
    participants = participants_of(row.participants_json)
    count = len(participants) if participants is not None else None
    return ConversationView(
        id=row.id,
        kind=row.kind,
        title=row.title,
        phone=row.phone,
        participant_count=count,
        preview=row.last_message_preview,
        activity_at=row.activity_at,
        unread_count=row.unread_count,
        status=row.status,
        blocked_reason=row.blocked_reason,
        number_label=row.number_label or "",
        number_e164=row.number_e164,
        participants=participants or (),
        replaces=row.replaces,
        replaced_by=row.replaced_by,
        contact_id=getattr(row, "contact_id", None),
        number_id=getattr(row, "number_id", None),
        opt_out=opt_out_of(row),
    )
