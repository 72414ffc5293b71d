"""The feed's audience-group events, reduced and written in bulk (apply.py calls in here).

Events: `group.upserted` / `group.deleted` (every user's feed: a group's name and size name
nobody), `group.member_added` / `group.member_removed` (scoped by the contact: an assigned-only
user hears only of their own contacts' memberships), `group_message.upserted` (whoever owns one
of its recipients) and `group_message.deleted` (a personal notice: the reader lost sight of it).

Reduction follows apply.py: the last event about a group, a membership or a group message
wins. A group message keeps the group's name as of the event that described it first (the feed
is replayed in order, so on a first sync that is the name it was sent under); a later rename
never rewrites it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import Connection, bindparam, case, delete, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from console.protocol.group_messages import GroupMessage
from console.protocol.groups import Group, GroupMember
from console.protocol.sync import SyncEvent
from console.store.changes import Changes
from console.store.models import group_members, group_messages, groups

log = logging.getLogger("console.store.group_apply")

GROUP_UPSERTED = "group.upserted"
GROUP_DELETED = "group.deleted"
MEMBER_ADDED = "group.member_added"
MEMBER_REMOVED = "group.member_removed"
GROUP_MESSAGE_UPSERTED = "group_message.upserted"
GROUP_MESSAGE_DELETED = "group_message.deleted"
GROUP_EVENT_TYPES = frozenset(
    {
        GROUP_UPSERTED,
        GROUP_DELETED,
        MEMBER_ADDED,
        MEMBER_REMOVED,
        GROUP_MESSAGE_UPSERTED,
        GROUP_MESSAGE_DELETED,
    }
)
_CHUNK = 500  # ids per IN list (SQLite's bound-parameter limit is far above)
T = TypeVar("T")


def name_key(name: str) -> str:
    """The list order of a group name, as the backend's live_name_key (case not counting)."""
    return " ".join(name.split()).casefold()


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


@dataclass(frozen=True, slots=True)
class _SentMessage:
    message: GroupMessage
    stats: dict[str, Any]  # the server's whole stats object (counts this console may not know)
    group_name: str | None  # the group's name as of this event, when this batch knew it


@dataclass
class GroupBatch:
    groups: dict[str, Group] = field(default_factory=dict)
    deleted_group_ids: set[str] = field(default_factory=set)  # tombstones without full data
    # (group_id, contact_id) -> added_at of a membership, or None: removed.
    members: dict[tuple[str, str], GroupMember | None] = field(default_factory=dict)
    # Contacts this user lost sight of: every membership of theirs goes (before `members`).
    forgotten_contacts: set[str] = field(default_factory=set)
    messages: dict[str, _SentMessage] = field(default_factory=dict)
    dropped_messages: set[str] = field(default_factory=set)

    def forget_contact(self, contact_id: str) -> None:
        """The contact left this user's sight: their memberships go, and what this batch said
        about them before does not count (a later replay in the batch re-adds them)."""
        for key in [k for k in self.members if k[1] == contact_id]:
            del self.members[key]
        self.forgotten_contacts.add(contact_id)

    def drop_message(self, message_id: str) -> None:
        """`group_message.deleted`: the reader lost sight of it (no recipient is theirs now)."""
        self.messages.pop(message_id, None)
        self.dropped_messages.add(message_id)

    def is_empty(self) -> bool:
        return not (
            self.groups
            or self.deleted_group_ids
            or self.members
            or self.forgotten_contacts
            or self.messages
            or self.dropped_messages
        )


def reduce_group_event(batch: GroupBatch, event: SyncEvent) -> None:
    """Fold one group event into `batch` (all of GROUP_EVENT_TYPES but
    `group_message.deleted`: GroupBatch.drop_message); raises ValidationError for malformed
    data."""
    kind, data = event.type, event.data
    if kind in (GROUP_UPSERTED, GROUP_DELETED):
        try:
            group = Group.model_validate(data)
        except ValidationError:
            group_id = data.get("id")
            if kind != GROUP_DELETED or not isinstance(group_id, str) or not group_id:
                raise
            earlier = batch.groups.get(group_id)
            if earlier is not None:
                batch.groups[group_id] = earlier.model_copy(update={"deleted": True})
            else:
                batch.deleted_group_ids.add(group_id)
            return
        if kind == GROUP_DELETED:
            group = group.model_copy(update={"deleted": True})
        batch.groups[group.id] = group
        batch.deleted_group_ids.discard(group.id)
    elif kind in (MEMBER_ADDED, MEMBER_REMOVED):
        member = GroupMember.model_validate(data)
        key = (member.group_id, member.contact_id)
        batch.members[key] = member if kind == MEMBER_ADDED else None
    elif kind == GROUP_MESSAGE_UPSERTED:
        message = GroupMessage.model_validate(data)
        stats = data.get("stats")
        sent_under = batch.groups.get(message.group_id)
        first = batch.messages.get(message.id)
        name = first.group_name if first is not None else (sent_under.name if sent_under else None)
        batch.messages[message.id] = _SentMessage(
            message, dict(stats) if isinstance(stats, dict) else {}, name
        )
        batch.dropped_messages.discard(message.id)


def notification_failures(stats: dict[str, Any]) -> int | None:
    """Failed notifications (email, push) the server reports for a group message
    (`GroupMessageStats.notification_failures`); None from an older backend that has no count."""
    value = stats.get("notification_failures")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def write_group_batch(conn: Connection, batch: GroupBatch) -> Changes:
    """Write `batch` in the caller's transaction with bulk Core statements."""
    changes = Changes()
    if batch.is_empty():
        return changes
    _upsert_groups(conn, list(batch.groups.values()), changes)
    for chunk in _chunks(sorted(batch.deleted_group_ids)):
        conn.execute(update(groups).where(groups.c.id.in_(chunk)).values(deleted=True))
    changes.groups.update(batch.deleted_group_ids)
    _write_members(conn, batch, changes)
    _upsert_messages(conn, list(batch.messages.values()), changes)
    for chunk in _chunks(sorted(batch.dropped_messages)):
        conn.execute(delete(group_messages).where(group_messages.c.id.in_(chunk)))
    changes.group_messages.update(batch.dropped_messages)
    return changes


def _upsert_groups(conn: Connection, records: list[Group], changes: Changes) -> None:
    if not records:
        return
    columns = (
        "name",
        "name_key",
        "description",
        "member_count",
        "created_at",
        "updated_at",
        "deleted",
    )
    stmt = sqlite_insert(groups)
    stmt = stmt.on_conflict_do_update(
        index_elements=[groups.c.id], set_={c: stmt.excluded[c] for c in columns}
    )
    conn.execute(
        stmt,
        [
            {
                "id": g.id,
                "name": g.name,
                "name_key": name_key(g.name),
                "description": g.description,
                "member_count": g.member_count,
                "created_at": g.created_at,
                "updated_at": g.updated_at,
                "deleted": g.deleted,
            }
            for g in records
        ],
    )
    changes.groups.update(g.id for g in records)


def _write_members(conn: Connection, batch: GroupBatch, changes: Changes) -> None:
    forgotten = sorted(batch.forgotten_contacts)
    for chunk in _chunks(forgotten):
        touched = conn.execute(
            select(group_members.c.group_id)
            .where(group_members.c.contact_id.in_(chunk))
            .distinct()
        ).scalars()
        changes.groups.update(touched)
        conn.execute(delete(group_members).where(group_members.c.contact_id.in_(chunk)))
    removed = [
        {"b_group": g, "b_contact": c} for (g, c), m in batch.members.items() if m is None
    ]
    if removed:
        conn.execute(
            delete(group_members).where(
                group_members.c.group_id == bindparam("b_group"),
                group_members.c.contact_id == bindparam("b_contact"),
            ),
            removed,
        )
    added = [
        {"group_id": m.group_id, "contact_id": m.contact_id, "added_at": m.added_at}
        for m in batch.members.values()
        if m is not None
    ]
    if added:
        stmt = sqlite_insert(group_members)
        stmt = stmt.on_conflict_do_update(
            index_elements=[group_members.c.group_id, group_members.c.contact_id],
            set_={"added_at": stmt.excluded.added_at},
        )
        conn.execute(stmt, added)
    changes.groups.update(g for g, _ in batch.members)


def _cached_group_names(conn: Connection, group_ids: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for chunk in _chunks(sorted(group_ids)):
        found = select(groups.c.id, groups.c.name).where(groups.c.id.in_(chunk))
        names.update((row.id, row.name) for row in conn.execute(found))
    return names


def _upsert_messages(conn: Connection, records: list[_SentMessage], changes: Changes) -> None:
    if not records:
        return
    unnamed = {r.message.group_id for r in records if r.group_name is None}
    cached = _cached_group_names(conn, unnamed) if unnamed else {}
    rows = []
    for r in records:
        m = r.message
        rows.append(
            {
                "id": m.id,
                "group_id": m.group_id,
                "group_name": r.group_name or cached.get(m.group_id, ""),
                "sender_user_id": m.sender_user_id,
                "created_by_user_id": m.created_by_user_id,
                "title": m.title,
                "body": m.body,
                "sent_at": m.sent_at,
                "recipient_count": m.recipient_count,
                "delivered_count": m.stats.delivered,
                "read_count": m.stats.read,
                "replied_count": m.stats.replied,
                "notification_failures": notification_failures(r.stats),
                "stats_json": json.dumps(r.stats, sort_keys=True) if r.stats else None,
            }
        )
    stmt = sqlite_insert(group_messages)
    new = stmt.excluded
    set_: dict[str, Any] = {c: new[c] for c in rows[0] if c not in ("id", "group_name")}
    # The name it was sent under stays; only a name not known at first is filled in.
    set_["group_name"] = case(
        (group_messages.c.group_name == "", new.group_name), else_=group_messages.c.group_name
    )
    stmt = stmt.on_conflict_do_update(index_elements=[group_messages.c.id], set_=set_)
    conn.execute(stmt, rows)
    changes.group_messages.update(r.message.id for r in records)
