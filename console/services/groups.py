"""Audience groups: reads from the cache (services/group_reads.py) and every write through the
outbox: create, rename, delete, membership edits and group messages.

All go in the group's lane, in the order they were made: a group message written right after
adding someone reaches them, as the user expects ("members at the moment it is sent"), and
members added to a group made here wait for it to be created. Each call shows at once (the
reads lay open writes over the cache) and returns; its state follows in pending() /
OutboxService, and a refusal lands in OutboxService.failed().
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from console.domain.errors import DomainError, ErrorCode
from console.domain.groups import MAX_TITLE as MAX_GROUP_MESSAGE_TITLE
from console.domain.groups import normalize_description, normalize_group_name, normalize_title
from console.domain.merge_fields import check_merge_fields
from console.domain.messages import normalize_body
from console.domain.sms import MAX_BODY_CHARS
from console.services.group_reads import PENDING_MESSAGE_PREFIX, GroupReads, GroupRow
from console.services.session import Session
from console.store import contact_writes, group_writes, local_writes
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.group_apply import name_key

MAX_TITLE = MAX_GROUP_MESSAGE_TITLE  # the domain rule's (normalize_title)
MAX_GROUP_BODY = MAX_BODY_CHARS  # the domain rule's (normalize_body), as the server checks


@dataclass(frozen=True, slots=True)
class PendingWrite:
    """A write waiting in (or refused by way of) the outbox."""

    key: str  # its idempotency key: what Retry / Discard take
    kind: str  # an OutboxKind value
    group_id: str
    state: str  # pending | sending | done | failed
    contact_id: str | None = None
    title: str | None = None
    error_code: str | None = None
    error: str | None = None
    result_id: str | None = None  # e.g. the group message's id once sent


def _pending_write(item: ob.OutboxItem) -> PendingWrite:
    payload = item.payload
    return PendingWrite(
        key=item.idempotency_key,
        kind=item.kind,
        group_id=str(payload.get("group_id", "")),
        state=item.state.value,
        contact_id=payload.get("contact_id"),
        title=payload.get("title"),
        error_code=item.last_error_code,
        error=item.last_error,
        result_id=payload.get("result_id"),
    )


def _checked_name(name: str) -> str:
    try:
        return normalize_group_name(name)
    except DomainError as exc:
        raise DomainError(exc.code, _reason(exc)) from None


def _checked_description(description: str) -> str:
    try:
        return normalize_description(description)
    except DomainError as exc:
        raise DomainError(exc.code, _reason(exc)) from None


def _reason(exc: DomainError) -> str:
    """The domain rule's message ("name: at most 100 characters") as a sentence to act on."""
    _, _, rest = exc.detail.partition(": ")
    rest = rest or exc.detail
    return rest[:1].upper() + rest[1:] + "."


class GroupService(GroupReads):
    def __init__(
        self,
        cache: Cache,
        session: Session,
        *,
        publish: Callable[[Changes], None],
        wake_sync: Callable[[], None],
    ) -> None:
        super().__init__(cache, session)
        self._publish = publish
        self._wake_sync = wake_sync

    # -- groups ------------------------------------------------------------------------------

    def _require_free_name(self, name: str, except_id: str | None = None) -> None:
        """The server refuses a second live group with the same name (case not counting):
        say so now, from what the cache and the outbox know."""
        key = name_key(name)
        text = " ".join(name.split())
        for row in self.groups_page(text, 0, 50):
            if row.id != except_id and name_key(row.name) == key:
                raise DomainError(
                    ErrorCode.CONFLICT,
                    f"There is already a group named {row.name!r}: choose another name.",
                )

    def create_group(self, name: str, description: str = "") -> GroupRow:
        """A new group, listed at once (creating) and queued for the server. Members can be
        added and group messages sent to it straight away: they go once it is created."""
        clean = _checked_name(name)
        about = _checked_description(description)
        self._require_free_name(clean)
        with self._cache.write() as conn:
            group_id, _, _, changes = group_writes.queue_create_group(
                conn, name=clean, description=about, now=utcnow()
            )
        self._done(changes)
        shown = self.group(group_id)
        assert shown is not None
        return shown

    def rename_group(
        self, group_id: str, name: str | None = None, description: str | None = None
    ) -> GroupRow:
        """Rename (and/or re-describe) a group: shown at once, queued for the server."""
        patch: dict[str, str] = {}
        if name is not None:
            patch["name"] = _checked_name(name)
            self._require_free_name(patch["name"], except_id=group_id)
        if description is not None:
            patch["description"] = _checked_description(description)
        if not patch:
            raise DomainError(ErrorCode.VALIDATION_ERROR, "Nothing to change.")
        if self.group(group_id) is None:
            raise DomainError(ErrorCode.NOT_FOUND, "This group is not available.")
        with self._cache.write() as conn:
            # A dialog opened while the group was being created may still hold its local id.
            group_id = group_writes.server_id(conn, group_id)
            _, _, changes = group_writes.queue_rename_group(
                conn, group_id=group_id, patch=patch, now=utcnow()
            )
        self._done(changes)
        shown = self.group(group_id)
        assert shown is not None
        return shown

    def delete_group(self, group_id: str) -> GroupRow | None:
        """Delete a group: shown as deleting at once, queued for the server. Group messages
        already sent keep their recipients (and still name the group). A group made here
        that never reached the server goes at once, with what was queued for it; returns the
        row as shown now (None when it is gone)."""
        if self.group(group_id) is None:
            raise DomainError(ErrorCode.NOT_FOUND, "This group is not available.")
        with self._cache.write() as conn:
            group_id = group_writes.server_id(conn, group_id)
            if group_writes.is_local_group(group_id):
                try:
                    changes = group_writes.discard_local_group(conn, group_id)
                except ob.InvalidTransition:
                    raise DomainError(
                        ErrorCode.CONFLICT,
                        "It is being created right now; delete it once it is created.",
                    ) from None
            else:
                _, _, changes = group_writes.queue_delete_group(
                    conn, group_id=group_id, now=utcnow()
                )
        self._done(changes)
        return self.group(group_id)

    def dropped_with(self, group_id: str) -> int:
        """How many group messages deleting `group_id` now would drop unsent: those queued
        for a group made here that the server has not created (delete_group discards them)."""
        if not group_writes.is_local_group(self.current_id(group_id)):
            return 0
        return sum(1 for w in self.pending(group_id) if w.kind == ob.OutboxKind.GROUP_MESSAGE)

    def _done(self, changes: Changes) -> None:
        self._publish(changes)
        self._wake_sync()

    # -- members -----------------------------------------------------------------------------

    def add_member(self, group_id: str, contact_id: str) -> PendingWrite:
        return self._membership(group_id, [contact_id], add=True)[0]

    def remove_member(self, group_id: str, contact_id: str) -> PendingWrite:
        return self._membership(group_id, [contact_id], add=False)[0]

    def add_members(self, group_id: str, contact_ids: Sequence[str]) -> list[PendingWrite]:
        """Add several people (the picker's multi-select) in one step: one outbox item each."""
        return self._membership(group_id, contact_ids, add=True)

    def remove_members(self, group_id: str, contact_ids: Sequence[str]) -> list[PendingWrite]:
        return self._membership(group_id, contact_ids, add=False)

    def _membership(
        self, group_id: str, contact_ids: Sequence[str], *, add: bool
    ) -> list[PendingWrite]:
        people = list(dict.fromkeys(c for c in contact_ids if c))
        if not group_id or not people:
            raise DomainError(ErrorCode.VALIDATION_ERROR, "Pick a group and a person.")
        if any(contact_writes.is_local_contact(c) for c in people):
            # The server cannot add a contact it does not have yet (it would refuse it).
            raise DomainError(
                ErrorCode.VALIDATION_ERROR,
                "This contact is still being saved; add it to groups once it is saved.",
            )
        changes = Changes(groups={group_id})
        ids = []
        with self._cache.write() as conn:
            # The picker may have been opened while the group was being created: its local id
            # is never sent once the create is done (the server knows only its own id).
            group_id = group_writes.server_id(conn, group_id)
            changes.groups.add(group_id)
            # One item per person even where the cache says nothing would change: the server
            # is the judge (both requests are idempotent there) and the cache may be behind.
            for contact_id in people:
                item_id, _, queued = local_writes.queue_group_member(
                    conn, group_id=group_id, contact_id=contact_id, add=add, now=utcnow()
                )
                changes.merge(queued)
                ids.append(item_id)
            items = [ob.get(conn, i) for i in ids]
        self._done(changes)
        return [_pending_write(i) for i in items if i is not None]

    def send_group_message(
        self, group_id: str, title: str, body: str, *, sender_user_id: str | None = None,
        quiet_hours_override: bool = False,
    ) -> PendingWrite:
        """Queue a group message; it cannot be cancelled once sent. `sender_user_id` is the
        staff member the customers see it from (any agent; default: the signed-in user); the
        server keeps who pressed Send apart, and refuses a sender it does not know or who is
        deactivated (the refusal reaches the refused-changes list)."""
        if not group_id:
            raise DomainError(ErrorCode.VALIDATION_ERROR, "Pick a group.")
        sender = sender_user_id or self._session.user.id
        try:
            title_text = normalize_title(title)
        except DomainError as exc:
            raise DomainError(exc.code, _reason(exc)) from None
        text = normalize_body(body)  # its message already says what to fix
        merge = check_merge_fields(text)
        with self._cache.write() as conn:
            item_id, key, changes = local_writes.queue_group_message(
                conn,
                group_id=group_writes.server_id(conn, group_id),
                sender_user_id=sender,
                title=title_text,
                body=text,
                now=utcnow(),
                merge_fields=merge,
                quiet_hours_override=quiet_hours_override,
            )
            item = ob.get(conn, item_id)
        assert item is not None
        changes.group_messages.add(PENDING_MESSAGE_PREFIX + key)
        self._done(changes)
        return _pending_write(item)

    def write(self, key: str) -> PendingWrite | None:
        """The current state of one write this service queued."""
        with self._cache.read() as conn:
            item = ob.by_key(conn, key)
        return _pending_write(item) if item is not None else None

    def pending(self, group_id: str) -> list[PendingWrite]:
        """Writes to `group_id` not yet done (open or refused), in composition order."""
        with self._cache.read() as conn:
            items = ob.open_items(conn) + ob.failed_items(conn)
        mine = [
            i for i in items
            if i.kind in ob.GROUP_LANE_KINDS and i.payload.get("group_id") == group_id
        ]
        return [_pending_write(i) for i in sorted(mine, key=lambda i: i.id)]
