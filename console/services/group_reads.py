"""Audience groups for the UI, read from the cache only (so the Groups and Group messages pages
work offline), with the writes still in the outbox laid over them at once.

Every list is paged (`count_*` + `*_page(text, offset, limit)`): the SQL lives in
store/group_queries.py, which explains why a 50,000-person group or contact list stays fast
and what an assigned-only user's cache holds (their own people's memberships; the server's
member counts). Writes waiting in the outbox (store/group_writes.py) show as states: a new group
"creating", a rename "saving", a delete "deleting", a member being added or removed, a group
message "sending". A write the server refuses stops showing (a refused new group or group
message stays listed as refused, with the reason) and waits in the refused-changes list
(services/outbox.py) for Retry or Discard.

Views re-read on the workspace's change channel: `ChangeSet.groups` names groups whose row or
members changed (a person panel re-reads its person's groups on any of them),
`ChangeSet.group_messages` sent group messages whose row or statistics changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Connection

from console.domain.phones import format_display
from console.services.session import Session
from console.store import group_queries as gq
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.group_queries import SentSort
from console.store.group_writes import (
    PendingGroupWrites,
    is_local_group,
    pending_group_writes,
    server_id,
)

# The key of a group message still in the outbox: this + its idempotency key.
PENDING_MESSAGE_PREFIX = "pending:"

__all__ = [
    "PENDING_MESSAGE_PREFIX",
    "AddableContactRow",
    "GroupMemberRow",
    "GroupMessageRow",
    "GroupReads",
    "GroupRow",
    "GroupState",
    "MemberState",
    "PersonGroupRow",
    "RecipientCount",
    "SentSort",
    "SentState",
]


class GroupState(StrEnum):
    """What is still on its way to the server for a group."""

    NONE = ""
    CREATING = "creating"
    SAVING = "saving"  # a rename (or new description)
    DELETING = "deleting"
    REFUSED = "refused"  # its create was refused: the refused-changes list has it


class MemberState(StrEnum):
    NONE = ""
    ADDING = "adding"
    REMOVING = "removing"


class SentState(StrEnum):
    SENT = ""
    SENDING = "sending"  # in the outbox
    REFUSED = "refused"  # the server refused it: the refused-changes list has it


@dataclass(frozen=True, slots=True)
class GroupRow:
    id: str  # a `local-group-…` id while its create is on its way
    name: str
    description: str
    # The server's count of live members across all staff, moved by this user's membership
    # edits still on their way (an assigned-only user's member list may be shorter).
    member_count: int
    state: GroupState = GroupState.NONE
    pending_key: str | None = None  # the newest open write's idempotency key
    refusal: str | None = None  # the server's reason, when its create was refused
    updated_at: datetime | None = None

    @property
    def pending(self) -> bool:
        return self.state not in (GroupState.NONE, GroupState.REFUSED)


@dataclass(frozen=True, slots=True)
class GroupMemberRow:
    contact_id: str
    name: str
    phone: str | None  # E.164 of the contact's first number
    email: str | None
    added_at: datetime | None  # None while being added here
    state: MemberState = MemberState.NONE

    @property
    def display_phone(self) -> str:
        return format_display(self.phone) if self.phone else ""


@dataclass(frozen=True, slots=True)
class AddableContactRow:
    """A contact the add-member picker offers (not in the group, nor being added)."""

    contact_id: str
    name: str
    phone: str | None
    email: str | None

    @property
    def display_phone(self) -> str:
        return format_display(self.phone) if self.phone else ""


@dataclass(frozen=True, slots=True)
class PersonGroupRow:
    """One group a person is in (or being added to / removed from), for `personGroups`."""

    group: GroupRow
    state: MemberState = MemberState.NONE


@dataclass(frozen=True, slots=True)
class GroupMessageRow:
    key: str  # the server id, or PENDING_MESSAGE_PREFIX + idempotency key while in the outbox
    id: str | None  # the server id (None until sent)
    group_id: str
    group_name: str  # as when it was sent
    sender_user_id: str
    sender_name: str  # "" when this cache does not know the colleague
    title: str  # for staff only, never shown to customers
    body: str
    sent_at: datetime  # when sent; for one in the outbox, when it was composed
    recipient_count: int | None  # the members when it was sent (None until the server says)
    delivered: int = 0
    read: int = 0
    replied: int = 0
    notification_failures: int | None = None  # None: the server reports none
    state: SentState = SentState.SENT
    pending_key: str | None = None  # idempotency key while in the outbox (Retry / Discard)
    error: str | None = None  # the server's reason when refused


@dataclass(frozen=True, slots=True)
class RecipientCount:
    """Who a group message sent now would reach, for the send confirmation.

    `count` is what to state: the members at this moment, counted from the cache (with this
    user's membership edits that go before the message). For a user whose cache holds every
    membership that is exact; an assigned-only user's cache holds only their own people, so
    their count is the server's member count (and the server refuses a group with anyone else's
    people in it). The server's answer after sending (GroupMessageRow.recipient_count) is the
    final word: show it if it differs.
    """

    count: int
    cached_members: int  # live members this cache holds, with pending edits applied
    server_count: int  # the server's member count, with pending edits applied
    complete: bool  # the cache holds every membership (not an assigned-only user)


def _matches(text: str, *fields: str) -> bool:
    words = text.casefold().split()
    haystack = " ".join(fields).casefold()
    return all(w in haystack for w in words)


class GroupReads:
    """The read side of GroupService (services/groups.py)."""

    def __init__(self, cache: Cache, session: Session) -> None:
        self._cache = cache
        self._session = session

    @property
    def assigned_only(self) -> bool:
        return self._session.user.data_access == "assigned"

    # -- groups ------------------------------------------------------------------------------

    @staticmethod
    def _filter(text: str, pending: PendingGroupWrites) -> gq.GroupFilter:
        renamed = tuple((gid, p["name"]) for gid, p in pending.patches.items() if "name" in p)
        return gq.GroupFilter(text or "", renamed)

    @staticmethod
    def _creates(text: str, pending: PendingGroupWrites) -> list[GroupRow]:
        """Groups created here and not on the server yet, newest first."""
        rows = [
            GroupRow(
                id=c.group_id,
                # Renamed before it was even created: the rename waits behind the create.
                name=pending.patches.get(c.group_id, {}).get("name", c.name),
                description=pending.patches.get(c.group_id, {}).get(
                    "description", c.description
                ),
                member_count=len(pending.adds(c.group_id)),
                state=GroupState.REFUSED if c.refused else GroupState.CREATING,
                pending_key=c.key,
                refusal=c.error,
            )
            for c in pending.creates.values()
            if _matches(text, pending.patches.get(c.group_id, {}).get("name", c.name))
        ]
        return rows[::-1]

    def count_groups(self, text: str = "") -> int:
        """Live groups whose name holds `text` (case not counting), with new ones made here."""
        with self._cache.read() as conn:
            pending = pending_group_writes(conn)
            return len(self._creates(text, pending)) + gq.count_groups(
                conn, self._filter(text, pending)
            )

    def groups_page(self, text: str, offset: int, limit: int) -> list[GroupRow]:
        """Rows `offset` .. `offset + limit`: groups made here first, then by name."""
        with self._cache.read() as conn:
            pending = pending_group_writes(conn)
            creates = self._creates(text, pending)
            rows = creates[offset : offset + limit]
            skip = max(0, offset - len(creates))
            rest = limit - len(rows)
            if rest > 0:
                views = gq.group_page(conn, self._filter(text, pending), offset=skip, limit=rest)
                rows += self._rows(conn, views, pending)
        return rows

    def group(self, group_id: str) -> GroupRow | None:
        return self.groups([group_id]).get(group_id)

    def groups(self, group_ids: Iterable[str]) -> dict[str, GroupRow]:
        """The ones of `group_ids` known here (deleted ones too: a sent message names them)."""
        ids = list(dict.fromkeys(group_ids))
        with self._cache.read() as conn:
            pending = pending_group_writes(conn)
            found = {r.id: r for r in self._creates("", pending) if r.id in ids}
            views = gq.groups_by_id(conn, [i for i in ids if i not in found])
            found.update((r.id, r) for r in self._rows(conn, list(views.values()), pending))
        return found

    def current_id(self, group_id: str) -> str:
        """`group_id`, or the server's id once a group created here was created."""
        if not is_local_group(group_id):
            return group_id
        with self._cache.read() as conn:
            return server_id(conn, group_id)

    def _rows(
        self, conn: Connection, views: list[gq.GroupView], pending: PendingGroupWrites
    ) -> list[GroupRow]:
        rows = []
        for v in views:
            patch = pending.patches.get(v.id, {})
            state = GroupState.NONE
            if v.id in pending.deletes:
                state = GroupState.DELETING
            elif patch:
                state = GroupState.SAVING
            rows.append(
                GroupRow(
                    id=v.id,
                    name=patch.get("name", v.name),
                    description=patch.get("description", v.description),
                    member_count=max(0, v.member_count + self._delta(conn, v.id, pending)),
                    state=state,
                    pending_key=pending.keys.get(v.id),
                    updated_at=v.updated_at,
                )
            )
        return rows

    @staticmethod
    def _delta(conn: Connection, group_id: str, pending: PendingGroupWrites) -> int:
        """How this user's membership edits on their way move the group's size."""
        edits = pending.membership(group_id)
        if not edits:
            return 0
        members = gq.cached_members_among(conn, group_id, list(edits))
        return sum(
            (1 if add and c not in members else -1 if not add and c in members else 0)
            for c, add in edits.items()
        )

    # -- members -----------------------------------------------------------------------------

    def count_members(self, group_id: str, text: str = "", *, cap: int | None = None) -> int:
        """Members the cache has (with people being added here) matching the contact search
        `text`; for an assigned-only user, their own people only (module doc). With `cap`,
        counting stops there (as ContactService.count: a model counts on while scrolling)."""
        with self._cache.read() as conn:
            pending = pending_group_writes(conn)
            return gq.count_members(
                conn, group_id, text, adding=pending.adds(group_id), cap=cap
            )

    def members_page(
        self, group_id: str, text: str, offset: int, limit: int
    ) -> list[GroupMemberRow]:
        """Rows `offset` .. `offset + limit` of the members, in the contact list's name order."""
        with self._cache.read() as conn:
            pending = pending_group_writes(conn)
            edits = pending.membership(group_id)
            views = gq.member_page(
                conn, group_id, text, offset=offset, limit=limit, adding=pending.adds(group_id)
            )
        return [self._member(v, edits) for v in views]

    @staticmethod
    def _member(view: gq.MemberView, edits: dict[str, bool]) -> GroupMemberRow:
        edit = edits.get(view.contact_id)
        state = MemberState.NONE
        if edit is True and view.added_at is None:
            state = MemberState.ADDING
        elif edit is False:
            state = MemberState.REMOVING
        return GroupMemberRow(
            view.contact_id, view.name, view.phone, view.email, view.added_at, state
        )

    def count_addable(self, group_id: str, text: str = "", *, cap: int | None = None) -> int:
        """Contacts the add-member picker lists for `text` (not members, not being added);
        with `cap`, counting stops there."""
        with self._cache.read() as conn:
            pending = pending_group_writes(conn)
            return gq.count_addable(
                conn, group_id, text, adding=pending.adds(group_id),
                removing=pending.removes(group_id), cap=cap,
            )

    def addable_page(
        self, group_id: str, text: str, offset: int, limit: int
    ) -> list[AddableContactRow]:
        """One page of the add-member picker, in name order (contact search `text`)."""
        with self._cache.read() as conn:
            pending = pending_group_writes(conn)
            views = gq.addable_page(
                conn, group_id, text, offset=offset, limit=limit,
                adding=pending.adds(group_id), removing=pending.removes(group_id),
            )
        return [AddableContactRow(v.contact_id, v.name, v.phone, v.email) for v in views]

    def groups_of_contact(self, contact_id: str) -> list[PersonGroupRow]:
        """The live groups `contact_id` is in, and those they are being added to or removed
        from here, by name (for the person panel)."""
        with self._cache.read() as conn:
            pending = pending_group_writes(conn)
            edits = pending.groups_of(contact_id)
            ids = gq.group_ids_of_contact(conn, contact_id)  # live ones only
            adding = [g for g, add in edits.items() if add and g not in ids]
            local = {r.id: r for r in self._creates("", pending) if r.id in adding}
            views = gq.groups_by_id(conn, [g for g in ids + adding if g not in local])
            live = [v for v in views.values() if not v.deleted]
            rows = {r.id: r for r in self._rows(conn, live, pending)}
        rows.update(local)
        found = []
        for gid in ids + adding:
            row = rows.get(gid)
            if row is None:
                continue
            if edits.get(gid) is False:
                state = MemberState.REMOVING
            else:
                state = MemberState.ADDING if gid in adding else MemberState.NONE
            found.append(PersonGroupRow(row, state))
        return sorted(found, key=lambda p: (p.group.name.casefold(), p.group.id))

    def recipients_now(self, group_id: str) -> RecipientCount:
        """Who a group message sent now would reach (RecipientCount says how it is counted)."""
        with self._cache.read() as conn:
            pending = pending_group_writes(conn)
            delta = self._delta(conn, group_id, pending)
            cached = gq.cached_member_count(conn, group_id) + delta
            view = gq.groups_by_id(conn, [group_id]).get(group_id)
        server = (view.member_count if view is not None else 0) + delta
        if group_id in pending.creates:
            server = cached = len(pending.adds(group_id))
        complete = not self.assigned_only
        return RecipientCount(
            count=max(0, cached if complete else server),
            cached_members=max(0, cached),
            server_count=max(0, server),
            complete=complete,
        )

    # -- sent group messages -----------------------------------------------------------------

    def _unsent(
        self, conn: Connection, text: str, pending: PendingGroupWrites
    ) -> list[GroupMessageRow]:
        """Group messages in the outbox (sending, then refused), newest first, as rows."""
        items = pending.messages[::-1] + pending.refused_messages[::-1]
        group_ids = {str(i.payload.get("group_id", "")) for i in items}
        names = gq.group_names(conn, group_ids)
        names.update((c.group_id, c.name) for c in pending.creates.values())
        senders = gq.user_names(conn, {str(i.payload.get("sender_user_id", "")) for i in items})
        rows = []
        for item in items:
            p = item.payload
            gid, sender = str(p.get("group_id", "")), str(p.get("sender_user_id", ""))
            title, body = str(p.get("title", "")), str(p.get("body", ""))
            if not _matches(text, title, body, names.get(gid, "")):
                continue
            refused = item.state is ob.OutboxState.FAILED
            rows.append(
                GroupMessageRow(
                    key=PENDING_MESSAGE_PREFIX + item.idempotency_key,
                    id=None,
                    group_id=gid,
                    group_name=names.get(gid, ""),
                    sender_user_id=sender,
                    sender_name=senders.get(sender, ""),
                    title=title,
                    body=body,
                    sent_at=item.created_at,
                    recipient_count=None,
                    state=SentState.REFUSED if refused else SentState.SENDING,
                    pending_key=item.idempotency_key,
                    error=item.last_error if refused else None,
                )
            )
        return rows

    @staticmethod
    def _sent_row(v: gq.SentView) -> GroupMessageRow:
        return GroupMessageRow(
            key=v.id,
            id=v.id,
            group_id=v.group_id,
            group_name=v.group_name,
            sender_user_id=v.sender_user_id,
            sender_name=v.sender_name,
            title=v.title,
            body=v.body,
            sent_at=v.sent_at,
            recipient_count=v.recipient_count,
            delivered=v.delivered,
            read=v.read,
            replied=v.replied,
            notification_failures=v.notification_failures,
        )

    def count_sent(self, text: str = "") -> int:
        """Sent group messages (and ones still in the outbox) whose title, body or group name
        holds every word of `text`."""
        with self._cache.read() as conn:
            pending = pending_group_writes(conn)
            return len(self._unsent(conn, text, pending)) + gq.count_sent(conn, text)

    def sent_page(
        self,
        text: str,
        offset: int,
        limit: int,
        *,
        sort: SentSort = SentSort.SENT_AT,
        descending: bool = True,
    ) -> list[GroupMessageRow]:
        """Rows `offset` .. `offset + limit`: those still in the outbox first, then the sent
        ones in `sort` order (newest first by default; ties newest first)."""
        with self._cache.read() as conn:
            pending = pending_group_writes(conn)
            unsent = self._unsent(conn, text, pending)
            rows = unsent[offset : offset + limit]
            rest = limit - len(rows)
            if rest > 0:
                views = gq.sent_page(
                    conn, text, offset=max(0, offset - len(unsent)), limit=rest, sort=sort,
                    descending=descending,
                )
                rows += [self._sent_row(v) for v in views]
        return rows

    def sent_message(self, key: str) -> GroupMessageRow | None:
        """One row by its key (a server id, or a pending key; once sent, a pending key finds
        the sent message)."""
        if key.startswith(PENDING_MESSAGE_PREFIX):
            idempotency_key = key[len(PENDING_MESSAGE_PREFIX) :]
            with self._cache.read() as conn:
                item = ob.by_key(conn, idempotency_key)
                if item is None:
                    return None
                result = item.payload.get("result_id")
                if item.state is ob.OutboxState.DONE and isinstance(result, str):
                    key = result
                else:
                    pending = pending_group_writes(conn)
                    return next((r for r in self._unsent(conn, "", pending) if r.key == key),
                                None)
        return self.sent_messages([key]).get(key)

    def sent_messages(self, ids: Iterable[str]) -> dict[str, GroupMessageRow]:
        """The sent group messages of `ids` in the cache, by id (re-read what changed)."""
        with self._cache.read() as conn:
            views = gq.sent_by_id(conn, ids)
        return {i: self._sent_row(v) for i, v in views.items()}
