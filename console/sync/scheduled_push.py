"""Outbox senders for scheduled sends: create, edit, cancel.

Each sends one request and then, in ONE cache transaction, writes the server's answer and
completes the item (console/sync/pusher.py explains why). A create moves the edits and the
cancel queued behind it to the server's id (store/scheduled_writes.adopt_scheduled); an edit
or cancel still naming a schedule that was never created (its create refused or discarded)
fails as Unsendable with store/scheduled_writes.NOT_CREATED_CODE. Once it went, the server
answers 409 not_cancellable: a refusal the user sees in Refused changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from console.protocol.scheduled import ScheduledSend
from console.store import group_writes, scheduled_writes
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.sync.api_client import ApiClient
from console.sync.unsendable import Unsendable, payload_text


class ScheduledSenders:
    def __init__(self, cache: Cache, client: ApiClient) -> None:
        self._cache = cache
        self._client = client

    def by_kind(self) -> dict[str, Callable[[ob.OutboxItem], Changes]]:
        return {
            ob.OutboxKind.SCHEDULE_CREATE: self.create,
            ob.OutboxKind.SCHEDULE_EDIT: self.edit,
            ob.OutboxKind.SCHEDULE_CANCEL: self.cancel,
        }

    def create(self, item: ob.OutboxItem) -> Changes:
        local_id = payload_text(item, "scheduled_id")
        try:
            send_at = datetime.fromisoformat(payload_text(item, "send_at"))
        except ValueError as exc:
            raise Unsendable(f"outbox item {item.id} has no valid send_at") from exc
        body = payload_text(item, "body")
        if item.payload.get("kind") == "group_message":
            with self._cache.read() as conn:
                group_id = group_writes.server_id(conn, payload_text(item, "group_id"))
            if group_writes.is_local_group(group_id):
                raise Unsendable(
                    "The group this was scheduled for was never created.",
                    group_writes.NOT_CREATED_CODE,
                )
            kept = self._client.schedule_group_message(
                group_id, payload_text(item, "sender_user_id"), payload_text(item, "title"),
                body, send_at, item.idempotency_key,
                merge_fields=item.payload.get("merge_fields") is True,
            )
        else:
            conversation_id = payload_text(item, "conversation_id")
            if ob.is_pending_conversation(conversation_id):
                raise Unsendable(
                    "The group chat this was scheduled in was never created.",
                    ob.NOT_CREATED_CODE,
                )
            kept = self._client.schedule_message(
                conversation_id, body, send_at, item.idempotency_key
            )
        with self._cache.write() as conn:
            changes = scheduled_writes.upsert_scheduled(conn, [kept])
            changes.merge(scheduled_writes.adopt_scheduled(conn, local_id, kept.id))
            ob.complete(conn, item.id, utcnow(), result_id=kept.id)
        return changes

    def edit(self, item: ob.OutboxItem) -> Changes:
        patch = item.payload.get("patch")
        if not isinstance(patch, dict):
            raise Unsendable(f"outbox item {item.id} has no patch")
        return self._answered(item, self._client.edit_scheduled(self._server_id(item), patch))

    def cancel(self, item: ob.OutboxItem) -> Changes:
        return self._answered(item, self._client.cancel_scheduled(self._server_id(item)))

    def _server_id(self, item: ob.OutboxItem) -> str:
        with self._cache.read() as conn:
            found = scheduled_writes.server_id(conn, payload_text(item, "scheduled_id"))
        if scheduled_writes.is_local_scheduled(found):
            raise Unsendable(
                "The scheduled send this change is for was never created.",
                scheduled_writes.NOT_CREATED_CODE,
            )
        return found

    def _answered(self, item: ob.OutboxItem, answer: ScheduledSend) -> Changes:
        with self._cache.write() as conn:
            changes = scheduled_writes.upsert_scheduled(conn, [answer])
            ob.complete(conn, item.id, utcnow(), result_id=answer.id)
        return changes
