"""The change feed follows who may see a thing *now* (API.md, Sync).

An assigned-only user's feed holds the events whose scope (`models.Event.scope_id`: a contact,
a conversation, a group message) is theirs. A contact changing hands moves every scope that
follows it: the contact itself (and its group memberships), its 1:1 and in-app threads, the
group chats it is in (theirs when all participants' contacts are one user's) and the group
messages it received (seen by whoever owns one of the recipients). In the same transaction:

- the scope's past events are re-labelled with the new owner, so a full sync gives the present;
- an assigned-only user who lost sight gets personal events that make the console drop the
  rows (`conversation.deleted`, a bare `contact.deleted` tombstone, `group_message.deleted`);
- one who gained sight gets a personal replay of the current state (the thread, every message,
  the group messages, the memberships): their cursor is already past the history;
- either one gets again, as they now read it, each chat they still see that links to a moved one
  (`replaces` / `replaced_by` name only chats their reader sees: console.backend.chat_links).

A user's earlier personal events of a scope are superseded by the new ones and deleted: a
replay must not keep handing out what its reader has since lost.

The labels themselves are the "before" state: every shared event of a scope carries the scope's
owner as of the last change, so nothing needs capturing before a change is made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.models import utcnow
from console.backend.ops import dnd, participants
from console.backend.views import actor_of, copies_in_conversation, message_view

CONVERSATION_DELETED = "conversation.deleted"
CONTACT_DELETED = "contact.deleted"
GROUP_MESSAGE_DELETED = "group_message.deleted"
# `contact.deleted` for a contact that left the reader's sight (not deleted): consoles drop it;
# older ones that do not know the mark keep it as deleted.
OUT_OF_SIGHT_TOMBSTONE = {"deleted": True, "out_of_sight": True}
_CHUNK = 500  # ids bound in one IN list


@dataclass
class _Moves:
    """Per user, the scopes they lost or gained (only assigned-only users are told)."""

    lost_conversations: dict[str, list[models.Conversation]] = field(
        default_factory=lambda: defaultdict(list)
    )
    gained_conversations: dict[str, list[models.Conversation]] = field(
        default_factory=lambda: defaultdict(list)
    )
    lost_group_messages: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    gained_group_messages: dict[str, list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )


def label_of(session: Session, scope_id: str) -> tuple[bool, str | None]:
    """(True, owner) the scope's shared events carry, or (False, None) if it has none yet."""
    row = session.execute(
        select(models.Event.owner_user_id)
        .where(models.Event.scope_id == scope_id, models.Event.only_user_id.is_(None))
        .order_by(models.Event.seq.desc())
        .limit(1)
    ).first()
    return (False, None) if row is None else (True, row[0])


def relabel(session: Session, scope_id: str, owner: str | None) -> None:
    """Every shared event of the scope is now seen by `owner` (besides admins and all-data
    users); personal events keep their reader."""
    session.execute(
        update(models.Event)
        .where(
            models.Event.scope_id == scope_id,
            models.Event.only_user_id.is_(None),
            models.Event.contact_id.is_not(None),
        )
        .values(owner_user_id=owner)
        .execution_options(synchronize_session=False)
    )


def follow_contact(session: Session, contact: models.Contact) -> None:
    """Call after the contact's assignment changed (flushed), before its own event is recorded."""
    # Labels are read and moved in the feed's write turn: no writer labels meanwhile.
    events.prepare_write(session)
    known, before = label_of(session, contact.id)
    after = contact.assigned_user_id
    if not known or before == after:
        return
    moves = _Moves()
    relabel(session, contact.id, after)
    for chat in dnd.conversations_of(session, contact.id):
        chat_known, chat_before = label_of(session, chat.id)
        chat_after = participants.feed_scope(session, chat)[1]
        if not chat_known or chat_before == chat_after:
            continue
        relabel(session, chat.id, chat_after)
        if chat_before is not None:
            moves.lost_conversations[chat_before].append(chat)
        if chat_after is not None:
            moves.gained_conversations[chat_after].append(chat)
    _group_message_moves(session, contact.id, before, after, moves)
    _tell_losers(session, contact, before, moves)
    _tell_gainers(session, contact, after, moves)


def _group_message_moves(
    session: Session, contact_id: str, before: str | None, after: str | None, moves: _Moves
) -> None:
    """A group message is seen by the owners of its recipients: the old owner loses it unless
    another recipient is still theirs; the new one gains it unless one already was."""
    r = models.GroupMessageRecipient
    received = select(r.group_message_id).where(r.contact_id == contact_id)
    ids = list(session.scalars(received.order_by(r.sent_at, r.group_message_id)).all())
    if not ids:
        return
    others: dict[str, set[str | None]] = defaultdict(set)
    for group_message_id, owner in session.execute(
        select(r.group_message_id, models.Contact.assigned_user_id)
        .join(models.Contact, models.Contact.id == r.contact_id)
        .where(r.group_message_id.in_(received), r.contact_id != contact_id)
        .distinct()
    ):
        others[group_message_id].add(owner)
    for group_message_id in ids:
        if before is not None and before not in others[group_message_id]:
            moves.lost_group_messages[before].append(group_message_id)
        if after is not None and after not in others[group_message_id]:
            moves.gained_group_messages[after].append(group_message_id)


def _forget_personal(session: Session, user_id: str, scope_ids: Iterable[str]) -> None:
    ids = list(scope_ids)
    if ids:
        session.execute(
            delete(models.Event)
            .where(models.Event.only_user_id == user_id, models.Event.scope_id.in_(ids))
            .execution_options(synchronize_session=False)
        )


def _tell_losers(
    session: Session, contact: models.Contact, before: str | None, moves: _Moves
) -> None:
    users = {*moves.lost_conversations, *moves.lost_group_messages}
    if before is not None:
        users.add(before)
    for user_id in sorted(users):
        if not events.loses_sight(session, user_id):
            continue  # admins and all-data users see it all the same
        chats = moves.lost_conversations.get(user_id, [])
        sent = moves.lost_group_messages.get(user_id, [])
        lost_contact = user_id == before
        scopes = [c.id for c in chats] + sent + ([contact.id] if lost_contact else [])
        _forget_personal(session, user_id, scopes)
        rows: list[dict[str, Any]] = []
        if lost_contact:
            # No name, no numbers: the console forgets the person.
            rows.append(_personal(CONTACT_DELETED, contact.id, OUT_OF_SIGHT_TOMBSTONE | {
                "id": contact.id}, contact.id, user_id))
        rows += [
            _personal(CONVERSATION_DELETED, chat.id, {"id": chat.id, "kind": chat.kind,
                                                      "deleted": True}, contact.id, user_id)
            for chat in chats
        ]
        rows += [
            _personal(GROUP_MESSAGE_DELETED, group_message_id,
                      {"id": group_message_id, "deleted": True}, contact.id, user_id)
            for group_message_id in sent
        ]
        rows += _link_refresh(session, chats, contact.id, user_id)
        events.record_many(session, rows)


def _tell_gainers(
    session: Session, contact: models.Contact, after: str | None, moves: _Moves
) -> None:
    users = {*moves.gained_conversations, *moves.gained_group_messages}
    if after is not None:
        users.add(after)
    for user_id in sorted(users):
        if not events.loses_sight(session, user_id):
            continue
        chats = moves.gained_conversations.get(user_id, [])
        sent = moves.gained_group_messages.get(user_id, [])
        gained_contact = user_id == after
        scopes = [c.id for c in chats] + sent + ([contact.id] if gained_contact else [])
        _forget_personal(session, user_id, scopes)
        rows: list[dict[str, Any]] = []
        if gained_contact:
            rows += _membership_replay(session, contact, user_id)
        for chat in chats:
            rows += _conversation_replay(session, chat, contact.id, user_id)
        rows += _group_message_replay(session, sent, contact.id, user_id)
        rows += _link_refresh(session, chats, contact.id, user_id)
        events.record_many(session, rows)
        # (The contact's own current state follows: its event is recorded after this call.)


def _link_refresh(
    session: Session, moved: Sequence[models.Conversation], contact_id: str, user_id: str
) -> list[dict[str, Any]]:
    """The chats `user_id` still sees that link to or from a chat that came into or left their
    sight (`replaces` / `replaced_by`), as they now read them: the feed serves a stored event
    with the links its reader sees when served, but a cursor past it would keep the old ones
    (a link to a chat dropped, or none to one gained)."""
    moved_ids = sorted({chat.id for chat in moved})
    linked = {chat.replaces_id for chat in moved if chat.replaces_id is not None}
    for start in range(0, len(moved_ids), _CHUNK):  # ix_conversations_replaces_id
        linked.update(session.scalars(select(models.Conversation.id).where(
            models.Conversation.replaces_id.in_(moved_ids[start : start + _CHUNK])
        )))
    linked.difference_update(moved_ids)
    user = session.get(models.User, user_id)
    if not linked or user is None:
        return []
    reader = actor_of(user)
    seen = sorted(linked - participants.unseen_chats(session, reader, linked))
    rows: list[models.Conversation] = []
    for start in range(0, len(seen), _CHUNK):
        rows += session.scalars(select(models.Conversation).where(
            models.Conversation.id.in_(seen[start : start + _CHUNK])
        ).order_by(models.Conversation.id)).all()
    return [
        _personal("conversation.upserted", view.id, view.model_dump(mode="json", by_alias=True),
                  contact_id, user_id, number_id=chat.number_id)
        for chat, view in zip(rows, participants.conversation_views(session, rows, reader),
                              strict=True)
    ]


def _membership_replay(
    session: Session, contact: models.Contact, user_id: str
) -> list[dict[str, Any]]:
    from console.backend.ops.groups import MEMBER_ADDED, member_view  # groups imports contacts

    members = session.scalars(
        select(models.GroupMember)
        .where(models.GroupMember.contact_id == contact.id)
        .order_by(models.GroupMember.added_at, models.GroupMember.group_id)
    ).all()
    return [
        _personal(MEMBER_ADDED, row.group_id,
                  member_view(row, contact).model_dump(mode="json"), contact.id, user_id)
        for row in members
    ]


def _conversation_replay(
    session: Session, chat: models.Conversation, contact_id: str, user_id: str
) -> list[dict[str, Any]]:
    """The thread as it is now, then every message in it (a reader never holds a message of a
    thread it lacks)."""
    view = participants.full_view(session, chat).model_dump(mode="json", by_alias=True)
    rows = [_personal("conversation.upserted", chat.id, view, contact_id, user_id,
                      number_id=chat.number_id)]
    # Every outbound group message's copies in one query, not one per message.
    copies = copies_in_conversation(session, chat)
    for message in session.scalars(
        select(models.Message)
        .where(models.Message.conversation_id == chat.id)
        .order_by(models.Message.created_at, models.Message.id)
    ):
        view_ = message_view(message, copies.get(message.id, ()))
        rows.append(_personal("message.upserted", message.id,
                              view_.model_dump(mode="json", by_alias=True),
                              contact_id, user_id, number_id=chat.number_id))
    return rows


def _group_message_replay(
    session: Session, ids: Sequence[str], contact_id: str, user_id: str
) -> list[dict[str, Any]]:
    if not ids:
        return []
    # group_messages imports groups, which imports contacts, which imports this module.
    from console.backend.ops.group_messages import UPSERTED, views_of

    rows = session.scalars(
        select(models.GroupMessage).where(models.GroupMessage.id.in_(list(ids)))
    ).all()
    by_id = {view.id: view for view in views_of(session, rows)}
    return [
        _personal(UPSERTED, group_message_id,
                  by_id[group_message_id].model_dump(mode="json", by_alias=True),
                  contact_id, user_id)
        for group_message_id in ids
    ]


def _personal(
    type_: str, entity_id: str, data: dict[str, Any], contact_id: str, user_id: str,
    *, number_id: str | None = None,
) -> dict[str, Any]:
    """An event row for `user_id` only (`events.record_many` gives it its scope)."""
    return {
        "type": type_, "entity_id": entity_id, "data": data, "contact_id": contact_id,
        "number_id": number_id, "owner_user_id": user_id, "admin_only": False,
        "only_user_id": user_id, "created_at": utcnow(),
    }
