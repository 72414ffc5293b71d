"""Push the outbox: send each due item with its idempotency key and record what happened.

What to do with a failure is a pure decision (`verdict`): no network, no cache, no Qt.

- No answer (connection refused, timeout, dropped mid-response) or 401: the item goes back to
  pending, due at once, and the engine backs off the whole cycle (the backend is away, or we
  need a new token). The retry reuses the key, so a request that did get through is replayed
  by the server, never done twice.
- 5xx, 408, 429, or a 2xx the console cannot read: retry this item later with jittered
  exponential backoff, never sooner than the server's Retry-After.
- Any other 4xx: the server refused it for good. The item fails with the server's problem+json
  `code` and `detail`, and waits for the user's Retry or Discard.

Each successful answer is applied to the cache and the item completed in ONE transaction, so a
crash leaves either the old state (the item is sent again with its key: the server replays it)
or the new one, never half.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from console.protocol.sync import SyncEvent
from console.store import contact_import_writes, contact_writes, group_writes, local_writes
from console.store import outbox as ob
from console.store.apply import apply_events, apply_sent_message
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.models import contacts
from console.sync.api_client import ApiClient
from console.sync.backoff import Backoff
from console.sync.compliance_push import ComplianceSenders
from console.sync.contact_import_push import ContactImportSenders
from console.sync.errors import (
    ApiError,
    BackendUnreachable,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    UnexpectedResponse,
)
from console.sync.group_push import GroupSenders
from console.sync.scheduled_push import ScheduledSenders
from console.sync.template_push import TemplateSenders
from console.sync.unsendable import Unsendable

__all__ = ["Action", "Pusher", "Unsendable", "Verdict", "verdict"]

log = logging.getLogger("console.sync.pusher")

# 4xx statuses that are not a refusal: the request may succeed as it is if tried again.
RETRYABLE_4XX = frozenset({408, 429})


class Action(StrEnum):
    RETRY_NOW = "retry_now"  # due again at once; the engine backs off the cycle
    RETRY_LATER = "retry_later"  # due again after `delay`
    FAIL = "fail"  # refused for good: the user decides


@dataclass(frozen=True, slots=True)
class Verdict:
    action: Action
    code: str
    detail: str
    delay: float = 0.0
    # Stop pushing for this cycle (the server is away or asked us to slow down).
    pause: bool = False
    # Let the engine see the error too (to report offline / signed out).
    propagate: bool = False


def verdict(
    error: BaseException, attempts: int, backoff: Backoff, rng: random.Random | None = None
) -> Verdict:
    """What to do with an item whose `attempts`-th attempt raised `error`. Pure."""
    if isinstance(error, BackendUnreachable):
        return Verdict(Action.RETRY_NOW, "unreachable", error.detail, pause=True, propagate=True)
    if isinstance(error, Unauthorized):
        return Verdict(Action.RETRY_NOW, error.code, error.detail, pause=True, propagate=True)
    if isinstance(error, Unsendable):
        return Verdict(Action.FAIL, error.code, str(error))
    if isinstance(error, ApiError):
        retry_after = error.retry_after
        transient = (
            isinstance(error, (ServerError, UnexpectedResponse))
            or error.status >= 500
            or error.status in RETRYABLE_4XX
        )
        if transient:
            delay = backoff.delay(max(1, attempts), retry_after=retry_after, rng=rng)
            return Verdict(
                Action.RETRY_LATER,
                error.code,
                error.detail,
                delay=delay,
                pause=isinstance(error, RateLimited) or error.status >= 500,
            )
        return Verdict(Action.FAIL, error.code, error.detail)
    # A bug or an unexpected local failure: keep the item, try later, and let it be logged.
    delay = backoff.delay(max(1, attempts), rng=rng)
    return Verdict(
        Action.RETRY_LATER,
        "client_error",
        str(error) or type(error).__name__,
        delay=delay,
        propagate=True,
    )


class Pusher:
    """Sends due outbox items, lane by lane (console/store/outbox.py explains the order)."""

    def __init__(
        self,
        cache: Cache,
        client: ApiClient,
        *,
        backoff: Backoff,
        emit: Callable[[Changes], None],
        check_stop: Callable[[], None],
    ) -> None:
        self._cache = cache
        self._client = client
        self._backoff = backoff
        self._emit = emit
        self._check_stop = check_stop
        self._senders: dict[str, Callable[[ob.OutboxItem], Changes]] = {
            ob.OutboxKind.SEND_MESSAGE: self._send_message,
            ob.OutboxKind.NOTE_CREATE: self._add_note,
            ob.OutboxKind.MARK_READ: self._mark_read,
            ob.OutboxKind.MARK_UNREAD: self._mark_unread,
            ob.OutboxKind.CONTACT_EDIT: self._contact_edit,
            ob.OutboxKind.CONTACT_CREATE: self._contact_create,
            ob.OutboxKind.CONTACT_DELETE: self._contact_delete,
            ob.OutboxKind.CREATE_GROUP_CHAT: self._create_group_chat,
            ob.OutboxKind.OPT_OUT_CONFIRM: self._resolve_opt_out,
            ob.OutboxKind.OPT_OUT_DISMISS: self._resolve_opt_out,
        }
        # Audience groups: create, rename, delete, memberships, group messages.
        self._senders.update(GroupSenders(cache, client).by_kind())
        self._senders.update(ScheduledSenders(cache, client).by_kind())  # scheduled sends
        self._senders.update(TemplateSenders(cache, client).by_kind())  # templates
        self._senders.update(ContactImportSenders(cache, client).by_kind())  # contact imports
        self._senders.update(ComplianceSenders(cache, client).by_kind())  # admin settings

    def push(self) -> None:
        """Send everything due, lane heads first, until nothing is due or the server says wait.

        Raises what the engine must report (BackendUnreachable, Unauthorized, bugs).
        """
        while True:
            self._check_stop()
            with self._cache.read() as conn:
                due = ob.due_items(conn, utcnow())
            if not due:
                return
            for item in due:
                self._check_stop()
                if not self.push_item(item):
                    return

    def push_item(self, item: ob.OutboxItem) -> bool:
        """Send one item; False when pushing should pause for this cycle."""
        try:
            with self._cache.write() as conn:
                item = ob.claim(conn, item.id, utcnow())
        except ob.InvalidTransition:
            # Someone else (a second console on this profile) took it, or the user discarded
            # it: never send it twice.
            log.info("outbox item %d is no longer pending; skipping it", item.id)
            return True
        try:
            sender = self._senders.get(item.kind)
            if sender is None:
                raise Unsendable(f"unknown outbox kind {item.kind!r}")
            changes = sender(item)
        except Exception as exc:
            decided = verdict(exc, item.attempts, self._backoff)
            self._settle(item, decided)
            if decided.propagate:
                raise
            return not decided.pause
        changes.outbox = True
        self._emit(changes)
        return True

    def _settle(self, item: ob.OutboxItem, decided: Verdict) -> None:
        now = utcnow()
        if decided.action is Action.FAIL:
            with self._cache.write() as conn:
                changes = ob.fail(conn, item.id, code=decided.code, error=decided.detail, now=now)
                if item.kind == ob.OutboxKind.CONTACT_CREATE:
                    changes.merge(
                        contact_writes.fail_behind_create(conn, item, error=decided.detail, now=now)
                    )
                if item.kind == ob.OutboxKind.CREATE_GROUP:
                    changes.merge(
                        group_writes.fail_behind_create(conn, item, error=decided.detail, now=now)
                    )
                if item.kind == ob.OutboxKind.CONTACT_IMPORT:  # the dialog following it
                    changes.contact_imports.add(
                        contact_import_writes.local_id(item.idempotency_key)
                    )
                if item.kind == ob.OutboxKind.CONTACT_IMPORT_UNDO:  # undoing -> done again
                    changes.contact_imports.add(str(item.payload.get("import_id")))
            log.info("outbox item %d (%s) refused: %s", item.id, item.kind, decided.code)
            self._emit(changes)
            return
        at = now + timedelta(seconds=decided.delay)
        with self._cache.write() as conn:
            ob.retry_later(conn, item.id, at=at, now=now, code=decided.code, error=decided.detail)
        if decided.action is Action.RETRY_LATER:
            log.info(
                "outbox item %d (%s) will be retried in %.1f s: %s",
                item.id,
                item.kind,
                decided.delay,
                decided.code,
            )

    # -- one sender per kind: the request, then its answer + completion in one transaction -----

    @staticmethod
    def _conversation(item: ob.OutboxItem) -> str:
        if item.conversation_id is None:
            raise Unsendable(f"outbox item {item.id} names no conversation")
        if ob.is_pending_conversation(item.conversation_id):
            raise Unsendable(
                "The group chat this was written in was never created.", ob.NOT_CREATED_CODE
            )
        return item.conversation_id

    @staticmethod
    def _text(item: ob.OutboxItem, name: str) -> str:
        value = item.payload.get(name)
        if not isinstance(value, str):
            raise Unsendable(f"outbox item {item.id} has no {name!r}")
        return value

    def _send_message(self, item: ob.OutboxItem) -> Changes:
        conversation_id = self._conversation(item)
        message = self._client.post_message(
            conversation_id, self._text(item, "body"), item.idempotency_key,
            quiet_hours_override=item.payload.get("quiet_hours_override") is True,
        )
        with self._cache.write() as conn:
            changes = apply_sent_message(conn, message, item.message_id)
            ob.complete(conn, item.id, utcnow(), result_id=message.id)
        return changes

    def _add_note(self, item: ob.OutboxItem) -> Changes:
        # As a send: the answer fills the pending note row in place (its client key).
        message = self._client.post_note(
            self._conversation(item), self._text(item, "body"), item.idempotency_key
        )
        with self._cache.write() as conn:
            changes = apply_sent_message(conn, message, item.message_id)
            ob.complete(conn, item.id, utcnow(), result_id=message.id)
        return changes

    def _mark_read(self, item: ob.OutboxItem) -> Changes:
        self._client.mark_read(self._conversation(item))
        with self._cache.write() as conn:
            ob.complete(conn, item.id, utcnow())
        return Changes()

    def _mark_unread(self, item: ob.OutboxItem) -> Changes:
        # The count the server keeps comes back through the feed (conversation.upserted).
        self._client.mark_unread(self._conversation(item))
        with self._cache.write() as conn:
            ob.complete(conn, item.id, utcnow())
        return Changes()

    @staticmethod
    def _server_contact(item: ob.OutboxItem) -> str:
        contact_id = Pusher._text(item, "contact_id")
        if contact_writes.is_local_contact(contact_id):
            raise Unsendable(
                "The contact this change is for was never created.",
                contact_writes.NOT_CREATED_CODE,
            )
        return contact_id

    def _contact_create(self, item: ob.OutboxItem) -> Changes:
        local_id = self._text(item, "contact_id")
        body = item.payload.get("body")
        if not isinstance(body, dict):
            raise Unsendable(f"outbox item {item.id} has no contact")
        contact = self._client.create_contact(body, item.idempotency_key)
        with self._cache.write() as conn:
            changes = apply_events(conn, [_event("contact.upserted", contact.model_dump())])
            changes.merge(contact_writes.adopt_contact(conn, local_id, contact.id))
            ob.complete(conn, item.id, utcnow(), result_id=contact.id)
        return changes

    def _contact_delete(self, item: ob.OutboxItem) -> Changes:
        contact_id = self._server_contact(item)
        try:
            self._client.delete_contact(contact_id, item.idempotency_key)
        except NotFound:
            # Deleted already (an earlier attempt whose answer was lost, or someone else):
            # what the user asked for is done. The feed brings the tombstone.
            log.info("contact %s was already gone on the server", contact_id)
        with self._cache.write() as conn:
            conn.execute(
                contacts.update().where(contacts.c.id == contact_id).values(deleted=True)
            )
            ob.complete(conn, item.id, utcnow(), result_id=contact_id)
        return Changes(contacts={contact_id})

    def _contact_edit(self, item: ob.OutboxItem) -> Changes:
        contact_id = self._server_contact(item)
        patch = item.payload.get("patch")
        if not isinstance(patch, dict):
            raise Unsendable(f"outbox item {item.id} has no patch")
        contact = self._client.patch_contact(contact_id, patch, item.idempotency_key)
        with self._cache.write() as conn:
            cached = conn.execute(
                contacts.select()
                .with_only_columns(contacts.c.updated_at)
                .where(contacts.c.id == contact.id)
            ).scalar_one_or_none()
            changes = Changes(contacts={contact.id})
            # The feed may already hold something newer than this answer: never go back.
            if cached is None or cached <= contact.updated_at:
                changes = apply_events(conn, [_event("contact.upserted", contact.model_dump())])
            ob.complete(conn, item.id, utcnow(), result_id=contact.id)
        return changes

    def _create_group_chat(self, item: ob.OutboxItem) -> Changes:
        number_id = self._text(item, "number_id")
        participants = item.payload.get("participants")
        if not isinstance(participants, list):
            raise Unsendable(f"outbox item {item.id} has no participants")
        replaces = item.payload.get("replaces")
        created = self._client.create_group_chat(
            number_id,
            participants,
            item.idempotency_key,
            replaces=replaces if isinstance(replaces, str) else None,
        )
        with self._cache.write() as conn:
            changes = apply_events(conn, [_event("conversation.upserted", created.model_dump())])
            if ob.is_pending_conversation(item.conversation_id):
                assert item.conversation_id is not None
                changes.merge(
                    local_writes.adopt_conversation(conn, item.conversation_id, created.id)
                )
            ob.complete(conn, item.id, utcnow(), result_id=created.id)
        return changes

    def _resolve_opt_out(self, item: ob.OutboxItem) -> Changes:
        """Confirm or dismiss a suspected opt-out. A 404 (the flag closed meanwhile: the person
        texted STOP, a colleague answered) is a refusal the user sees in Refused changes."""
        conversation_id = self._conversation(item)
        message_id = item.payload.get("message_id")
        answered = self._client.resolve_opt_out(
            conversation_id,
            confirm=item.kind == ob.OutboxKind.OPT_OUT_CONFIRM,
            message_id=message_id if isinstance(message_id, str) else None,
            idempotency_key=item.idempotency_key,
        )
        with self._cache.write() as conn:
            changes = apply_events(conn, [_event("conversation.upserted", answered.model_dump())])
            changes.merge(local_writes.settle_opt_out(conn, item))
            ob.complete(conn, item.id, utcnow(), result_id=answered.id)
        return changes


def _event(kind: str, data: dict[str, Any]) -> SyncEvent:
    # The write's answer has no feed position; seq 0 marks it as such (it moves no cursor).
    return SyncEvent(seq=0, type=kind, data=data)
