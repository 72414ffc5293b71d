"""Reads for the services: one query per view, joins instead of per-row look-ups, keyset pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, or_, select, tuple_

from console.store.conversation_views import ConversationView as ConversationView
from console.store.conversation_views import ParticipantView as ParticipantView
from console.store.conversation_views import conversation_view as _conversation_view
from console.store.conversation_views import participants_of as _participants
from console.store.models import contacts, conversations, messages, numbers, users


@dataclass(frozen=True, slots=True)
class MessageView:
    id: int
    server_id: str | None
    conversation_id: str
    direction: str
    author_user_id: str | None
    author_user_name: str | None
    author_contact_id: str | None
    author_contact_name: str | None
    body: str
    status: str
    error_code: str | None
    error_detail: str | None
    created_at: datetime
    # Group chat messages: the server's per-recipient delivery as stored (store/apply.py).
    deliveries_json: str | None = None
    # A reply to a group message: which one and its title.
    reply_to_group_message_id: str | None = None
    reply_to_title: str | None = None
    # An internal note for the team, sent to nobody (migration r0013).
    note: bool = False


def _opt_out_body() -> Any:
    """The flagged message's text, when the cache holds it (the unique server_id index)."""
    return (
        select(messages.c.body)
        .where(messages.c.server_id == conversations.c.opt_out_message_id)
        .limit(1)
        .scalar_subquery()
    )


def _conversation_select() -> Select[Any]:
    return select(
        conversations.c.id,
        conversations.c.kind,
        conversations.c.title,
        conversations.c.phone,
        conversations.c.participants_json,
        conversations.c.last_message_preview,
        conversations.c.activity_at,
        conversations.c.unread_count,
        conversations.c.status,
        conversations.c.blocked_reason,
        conversations.c.replaces,
        conversations.c.replaced_by,
        conversations.c.contact_id,
        conversations.c.number_id,
        conversations.c.opt_out_message_id,
        conversations.c.opt_out_at,
        conversations.c.opt_out_pending,
        conversations.c.opt_out_pending_message_id,
        _opt_out_body().label("opt_out_body"),
        numbers.c.label.label("number_label"),
        numbers.c.e164.label("number_e164"),
    ).select_from(conversations.outerjoin(numbers, numbers.c.id == conversations.c.number_id))


def list_conversations(conn: Connection) -> list[ConversationView]:
    """Newest activity first; conversations with no activity last, then by title."""
    rows = conn.execute(
        _conversation_select()
        .where(conversations.c.known.is_(True))
        .order_by(
            conversations.c.activity_at.is_(None),
            conversations.c.activity_at.desc(),
            conversations.c.title,
            conversations.c.id,
        )
    )
    return [_conversation_view(row) for row in rows]


@dataclass(frozen=True, slots=True)
class ListKey:
    """Where a page of the conversation list ended: its last row's sort values (keyset)."""

    activity_at: datetime | None
    title: str
    id: str


def conversation_page(
    conn: Connection,
    *,
    after: ListKey | None = None,
    limit: int = 100,
    kind: str | None = None,
    status: str | None = None,
) -> list[tuple[ConversationView, ListKey]]:
    """One page of `list_conversations`' order, after `after` (None: the first page), each
    with its key. A cache holds 100,000 conversations: the list reads a page at a time.

    Two reads so each walks the activity_at index: the rows with activity (newest first, then
    title, id), then the ones without (by title, id). `kind` / `status` narrow it (a chip).
    """
    base = _conversation_select().where(conversations.c.known.is_(True))
    if kind is not None:
        base = base.where(conversations.c.kind == kind)
    if status is not None:
        base = base.where(conversations.c.status == status)
    activity, title, cid = conversations.c.activity_at, conversations.c.title, conversations.c.id
    found: list[Any] = []
    if after is None or after.activity_at is not None:
        dated = base.where(activity.is_not(None))
        if after is not None:
            at = bindparam("after_at", after.activity_at, type_=activity.type)
            dated = dated.where(
                activity <= at,  # the index range; the rest orders ties
                or_(activity < at, tuple_(title, cid) > tuple_(after.title, after.id)),
            )
        found += conn.execute(dated.order_by(activity.desc(), title, cid).limit(limit)).all()
    if len(found) < limit:
        undated = base.where(activity.is_(None))
        if after is not None and after.activity_at is None:
            undated = undated.where(tuple_(title, cid) > tuple_(after.title, after.id))
        found += conn.execute(undated.order_by(title, cid).limit(limit - len(found))).all()
    return [(_conversation_view(row), ListKey(row.activity_at, row.title, row.id))
            for row in found]


def open_opt_outs(conn: Connection) -> list[ConversationView]:
    """Every known conversation with a suspected opt-out no answer is queued for, the oldest
    flag first (the one waiting longest for an agent)."""
    return [_conversation_view(row) for row in conn.execute(open_opt_outs_select())]


def open_opt_outs_select() -> Select[Any]:
    """open_opt_outs' query: `opt_out_message_id IS NOT NULL` as written lets SQLite use the
    partial index ix_conversations_open_opt_out (its condition), in flag order."""
    return (
        _conversation_select()
        .where(
            conversations.c.known.is_(True),
            conversations.c.opt_out_message_id.is_not(None),
            or_(
                conversations.c.opt_out_pending.is_(None),
                conversations.c.opt_out_pending_message_id.is_(None),
                conversations.c.opt_out_pending_message_id
                != conversations.c.opt_out_message_id,
            ),
        )
        .order_by(conversations.c.opt_out_at, conversations.c.id)
    )


def unread_counts(conn: Connection) -> dict[str, int]:
    """Every known conversation with unread messages (the list's total counts them all, read
    or not yet)."""
    rows = conn.execute(
        select(conversations.c.id, conversations.c.unread_count).where(
            conversations.c.known.is_(True), conversations.c.unread_count > 0
        )
    )
    return {row.id: int(row.unread_count) for row in rows}


def count_conversations(conn: Connection) -> int:
    found = conn.execute(
        select(func.count()).select_from(conversations).where(conversations.c.known.is_(True))
    ).scalar()
    return int(found or 0)


def get_conversation(conn: Connection, conversation_id: str) -> ConversationView | None:
    row = conn.execute(
        _conversation_select().where(
            conversations.c.id == conversation_id, conversations.c.known.is_(True)
        )
    ).first()
    return _conversation_view(row) if row else None


def get_conversations(
    conn: Connection, conversation_ids: Iterable[str]
) -> dict[str, ConversationView]:
    """The known ones among `conversation_ids`, in one query (a sync batch names several)."""
    wanted = sorted(set(conversation_ids))
    found: dict[str, ConversationView] = {}
    # SQLite allows 32,766 bound parameters; stay far below in case of a huge change set.
    for start in range(0, len(wanted), 500):
        rows = conn.execute(
            _conversation_select().where(
                conversations.c.id.in_(wanted[start : start + 500]),
                conversations.c.known.is_(True),
            )
        )
        for row in rows:
            found[row.id] = _conversation_view(row)
    return found


@dataclass(frozen=True, slots=True)
class ConversationPeople:
    """Who a conversation is with and from which business number (to start a new chat)."""

    kind: str
    number_id: str | None
    status: str
    participants: tuple[ParticipantView, ...]  # a direct thread: its one contact and number


def conversation_people(conn: Connection, conversation_id: str) -> ConversationPeople | None:
    row = conn.execute(
        select(
            conversations.c.kind,
            conversations.c.number_id,
            conversations.c.status,
            conversations.c.contact_id,
            conversations.c.phone,
            conversations.c.participants_json,
            contacts.c.name.label("contact_name"),
        )
        .select_from(
            conversations.outerjoin(contacts, contacts.c.id == conversations.c.contact_id)
        )
        .where(conversations.c.id == conversation_id, conversations.c.known.is_(True))
    ).first()
    if row is None:
        return None
    participants = _participants(row.participants_json) or ()
    if not participants and row.contact_id and row.phone:
        participants = (ParticipantView(row.contact_id, row.contact_name or "", row.phone),)
    return ConversationPeople(
        kind=row.kind, number_id=row.number_id, status=row.status, participants=participants
    )


def _message_select() -> Select[Any]:
    return select(
        messages.c.id,
        messages.c.server_id,
        messages.c.conversation_id,
        messages.c.direction,
        messages.c.author_user_id,
        users.c.name.label("author_user_name"),
        messages.c.author_contact_id,
        contacts.c.name.label("author_contact_name"),
        messages.c.body,
        messages.c.status,
        messages.c.error_code,
        messages.c.error_detail,
        messages.c.created_at,
        messages.c.deliveries_json,
        messages.c.reply_to_group_message_id,
        messages.c.reply_to_title,
        messages.c.note,
    ).select_from(
        messages.outerjoin(users, users.c.id == messages.c.author_user_id).outerjoin(
            contacts, contacts.c.id == messages.c.author_contact_id
        )
    )


def _message_view(row: Any) -> MessageView:
    return MessageView(
        id=row.id,
        server_id=row.server_id,
        conversation_id=row.conversation_id,
        direction=row.direction,
        author_user_id=row.author_user_id,
        author_user_name=row.author_user_name,
        author_contact_id=row.author_contact_id,
        author_contact_name=row.author_contact_name,
        body=row.body,
        status=row.status,
        error_code=row.error_code,
        error_detail=row.error_detail,
        created_at=row.created_at,
        deliveries_json=row.deliveries_json,
        reply_to_group_message_id=row.reply_to_group_message_id,
        reply_to_title=row.reply_to_title,
        note=bool(row.note),
    )


def message_page(
    conn: Connection, conversation_id: str, *, before_id: int | None = None, limit: int = 200
) -> list[MessageView]:
    """Newest first. `before_id` continues below that message (keyset: created_at, id)."""
    query = _message_select().where(messages.c.conversation_id == conversation_id)
    if before_id is not None:
        anchor = conn.execute(
            select(messages.c.created_at, messages.c.id).where(
                messages.c.id == before_id, messages.c.conversation_id == conversation_id
            )
        ).first()
        if anchor is None:
            return []
        # Row-value comparison lets SQLite walk the (conversation_id, created_at, id) index.
        query = query.where(
            tuple_(messages.c.created_at, messages.c.id)
            < tuple_(
                bindparam("anchor_at", anchor.created_at, type_=messages.c.created_at.type),
                bindparam("anchor_id", anchor.id, type_=messages.c.id.type),
            )
        )
    query = query.order_by(messages.c.created_at.desc(), messages.c.id.desc()).limit(max(1, limit))
    return [_message_view(row) for row in conn.execute(query)]


def messages_by_ids(
    conn: Connection, conversation_id: str, ids: Iterable[int]
) -> list[MessageView]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = conn.execute(
        _message_select()
        .where(messages.c.conversation_id == conversation_id, messages.c.id.in_(wanted))
        .order_by(messages.c.created_at.desc(), messages.c.id.desc())
    )
    return [_message_view(row) for row in rows]


def message_page_after(
    conn: Connection, conversation_id: str, *, after_id: int, limit: int = 200
) -> list[MessageView]:
    """Oldest first: the messages newer than `after_id` (keyset: created_at, id), for a window
    opened around an old message that pages towards the newest. [] when it is not there."""
    anchor = conn.execute(
        select(messages.c.created_at, messages.c.id).where(
            messages.c.id == after_id, messages.c.conversation_id == conversation_id
        )
    ).first()
    if anchor is None:
        return []
    query = (
        _message_select()
        .where(messages.c.conversation_id == conversation_id)
        .where(
            tuple_(messages.c.created_at, messages.c.id)
            > tuple_(
                bindparam("anchor_at", anchor.created_at, type_=messages.c.created_at.type),
                bindparam("anchor_id", anchor.id, type_=messages.c.id.type),
            )
        )
        .order_by(messages.c.created_at.asc(), messages.c.id.asc())
        .limit(max(1, limit))
    )
    return [_message_view(row) for row in conn.execute(query)]
