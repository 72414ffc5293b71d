"""Scheduled sends: the user's own, read from the cache, written through the outbox.

A message scheduled here shows at once (the reads lay the open outbox items over the cache)
and goes to the server in its own lane; the server sends it at its time whether or not this
console is open. Its edits and its cancellation follow it in the same lane. A schedule that
failed when its time came is told once (untold_failures / mark_told).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from console.domain.errors import DomainError, ErrorCode
from console.domain.groups import normalize_title
from console.domain.merge_fields import check_merge_fields
from console.domain.messages import normalize_body
from console.domain.scheduled import ScheduledItem, ScheduledKind
from console.domain.scheduled import ScheduleProblem as ScheduleProblem  # re-exported
from console.store import group_writes, scheduled_queries, scheduled_writes
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow

# As the server allows (console/backend/ops/scheduled.py MAX_AHEAD).
MAX_AHEAD = timedelta(days=366)
# A failure is told when it was due this recently (a console closed for a week still hears).
TELL_FAILURES_FOR = timedelta(days=14)


def _refused(problem: ScheduleProblem, detail: str) -> DomainError:
    return DomainError(ErrorCode.VALIDATION_ERROR, detail, hint=problem.value)


def check_send_at(send_at: datetime, now: datetime | None = None) -> datetime:
    """`send_at` if it can be scheduled (aware, later than now, within a year)."""
    if send_at.tzinfo is None or send_at.utcoffset() is None:
        raise _refused(ScheduleProblem.NAIVE_TIME, "send_at needs its time zone")
    now = now or utcnow()
    if send_at <= now:
        raise _refused(ScheduleProblem.PASSED, "that time has passed")
    if send_at > now + MAX_AHEAD:
        raise _refused(ScheduleProblem.TOO_FAR, "at most a year ahead")
    return send_at


class ScheduledService:
    def __init__(
        self, cache: Cache, *, publish: Callable[[Changes], None], wake_sync: Callable[[], None]
    ) -> None:
        self._cache = cache
        self._publish = publish
        self._wake_sync = wake_sync

    # -- reads (GUI thread is fine: a few rows through an index) --------------------------

    def upcoming(self, conversation_id: str | None = None) -> list[ScheduledItem]:
        """What is still to go, soonest first: all of the user's, or one conversation's."""
        with self._cache.read() as conn:
            return scheduled_queries.upcoming(conn, conversation_id)

    def get(self, scheduled_id: str) -> ScheduledItem | None:
        with self._cache.read() as conn:
            return scheduled_queries.get_item(conn, scheduled_id)

    def untold_failures(self) -> list[ScheduledItem]:
        """Schedules that could not go when their time came within TELL_FAILURES_FOR, not yet
        told to the user (a new profile does not replay last year's)."""
        with self._cache.read() as conn:
            return scheduled_queries.untold_failures(conn, since=utcnow() - TELL_FAILURES_FOR)

    def mark_told(self, ids: Sequence[str]) -> None:
        with self._cache.write() as conn:
            scheduled_writes.mark_failures_told(conn, ids)

    # -- writes ----------------------------------------------------------------------------

    def schedule_message(self, conversation_id: str, body: str, send_at: datetime) -> str:
        """Keep `body` for `conversation_id` until `send_at`; returns its (local) id."""
        text = normalize_body(body)
        at = check_send_at(send_at)
        if ob.is_pending_conversation(conversation_id):
            raise _refused(ScheduleProblem.NOT_CREATED, "the group chat is being created")
        with self._cache.write() as conn:
            scheduled_id, changes = scheduled_writes.queue_schedule(
                conn, conversation_id=conversation_id, body=text, send_at=at, now=utcnow()
            )
        self._done(changes)
        return scheduled_id

    def schedule_group_message(
        self, group_id: str, sender_user_id: str, title: str, body: str, send_at: datetime
    ) -> str:
        """Keep a group message until `send_at`: it goes to the group's members of that
        moment, as the server checks the rules then; returns its (local) id."""
        text, heading = normalize_body(body), normalize_title(title)
        merge = check_merge_fields(text)
        at = check_send_at(send_at)
        if group_writes.is_local_group(group_id):
            with self._cache.read() as conn:
                group_id = group_writes.server_id(conn, group_id)
        if group_writes.is_local_group(group_id):
            raise _refused(ScheduleProblem.NOT_CREATED, "the group is being created")
        with self._cache.write() as conn:
            scheduled_id, changes = scheduled_writes.queue_schedule_group_message(
                conn, group_id=group_id, sender_user_id=sender_user_id, title=heading,
                body=text, send_at=at, now=utcnow(), merge_fields=merge,
            )
        self._done(changes)
        return scheduled_id

    def reschedule(
        self, scheduled_id: str, *, send_at: datetime | None = None, body: str | None = None
    ) -> None:
        """A new time and/or text while it waits."""
        patch: dict[str, object] = {}
        if body is not None:
            patch["body"] = normalize_body(body)
        if send_at is not None:
            patch["send_at"] = check_send_at(send_at)
        if not patch:
            return
        item = self._require_editable(scheduled_id)
        if body is not None and item.kind is ScheduledKind.GROUP_MESSAGE:
            # New words, judged as new: each person's fields are filled when it goes (a
            # field that does not exist is refused now, not sent as written).
            patch["merge_fields"] = check_merge_fields(str(patch["body"]))
        with self._cache.write() as conn:
            changes = scheduled_writes.queue_edit(
                conn, scheduled_id=scheduled_id, patch=patch, now=utcnow()
            )
        self._done(changes)

    def cancel(self, scheduled_id: str) -> None:
        item = self._require_editable(scheduled_id)
        with self._cache.write() as conn:
            changes = scheduled_writes.queue_cancel(
                conn, scheduled_id=scheduled_id, now=utcnow(), body=item.body
            )
        self._done(changes)

    def _require_editable(self, scheduled_id: str) -> ScheduledItem:
        item = self.get(scheduled_id)
        if item is None:
            raise _refused(ScheduleProblem.GONE, "no such scheduled send")
        if not item.editable:
            raise _refused(ScheduleProblem.NOT_EDITABLE, "it can no longer change")
        return item

    def _done(self, changes: Changes) -> None:
        self._publish(changes)
        self._wake_sync()
