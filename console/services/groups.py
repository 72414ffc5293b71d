"""Audience groups: membership edits and group messages, sent through the outbox.

Both go in the group's lane, in the order they were made: a group message written right after
adding someone reaches them, as the user expects ("members at the moment it is sent").
Each call returns the pending write at once; its state follows in pending()/OutboxService.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from console.domain.errors import DomainError, ErrorCode
from console.services.session import Session
from console.store import local_writes
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow

MAX_TITLE = 200
MAX_GROUP_BODY = 5000


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


class GroupService:
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

    def add_member(self, group_id: str, contact_id: str) -> PendingWrite:
        return self._membership(group_id, contact_id, add=True)

    def remove_member(self, group_id: str, contact_id: str) -> PendingWrite:
        return self._membership(group_id, contact_id, add=False)

    def _membership(self, group_id: str, contact_id: str, *, add: bool) -> PendingWrite:
        if not group_id or not contact_id:
            raise DomainError(ErrorCode.VALIDATION_ERROR, "Pick a group and a person.")
        with self._cache.write() as conn:
            item_id, _, changes = local_writes.queue_group_member(
                conn, group_id=group_id, contact_id=contact_id, add=add, now=utcnow()
            )
            item = ob.get(conn, item_id)
        assert item is not None
        self._publish(changes)
        self._wake_sync()
        return _pending_write(item)

    def send_group_message(self, group_id: str, title: str, body: str) -> PendingWrite:
        """Queue a group message from the signed-in user; it cannot be cancelled once sent."""
        title_text = " ".join((title or "").split())
        text = (body or "").strip()
        if not group_id:
            raise DomainError(ErrorCode.VALIDATION_ERROR, "Pick a group.")
        if not title_text or len(title_text) > MAX_TITLE:
            raise DomainError(
                ErrorCode.VALIDATION_ERROR, f"A title needs 1 to {MAX_TITLE} characters."
            )
        if not text or len(text) > MAX_GROUP_BODY:
            raise DomainError(
                ErrorCode.VALIDATION_ERROR, f"A message needs 1 to {MAX_GROUP_BODY} characters."
            )
        with self._cache.write() as conn:
            item_id, _, changes = local_writes.queue_group_message(
                conn,
                group_id=group_id,
                sender_user_id=self._session.user.id,
                title=title_text,
                body=text,
                now=utcnow(),
            )
            item = ob.get(conn, item_id)
        assert item is not None
        self._publish(changes)
        self._wake_sync()
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
        kinds = (
            ob.OutboxKind.GROUP_MEMBER_ADD,
            ob.OutboxKind.GROUP_MEMBER_REMOVE,
            ob.OutboxKind.GROUP_MESSAGE,
        )
        mine = [i for i in items if i.kind in kinds and i.payload.get("group_id") == group_id]
        return [_pending_write(i) for i in sorted(mine, key=lambda i: i.id)]
