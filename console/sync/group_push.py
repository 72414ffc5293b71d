"""Outbox senders for audience groups: create, rename, delete, membership edits, group messages.

Each sends one request and then, in ONE cache transaction, writes the server's answer and
completes the item (console/sync/pusher.py explains why), so what the user did never blinks
out between the item finishing and the feed bringing the same change:

- create: the new group is written and everything queued for its local id moves to the
  server's id (store/group_writes.adopt_group);
- rename: the answer is written unless the feed already brought something newer;
- delete: the group is marked deleted (a 404 means it is gone already: done);
- membership: the membership is written or removed (the feed's event says the same later);
- group message: the sent message with its recipient count is written.

Items still naming a group that was never created (its create refused or discarded) cannot go
anywhere: they fail as Unsendable with store/group_writes.NOT_CREATED_CODE.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from console.protocol.group_messages import GroupMessage
from console.protocol.sync import SyncEvent
from console.store import group_writes
from console.store import outbox as ob
from console.store.apply import apply_events
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.group_apply import GROUP_MESSAGE_UPSERTED, GROUP_UPSERTED
from console.store.models import group_members, group_messages, groups
from console.sync.api_client import ApiClient
from console.sync.errors import NotFound, UnexpectedResponse
from console.sync.unsendable import Unsendable, payload_text

log = logging.getLogger("console.sync.group_push")


def _event(kind: str, data: dict[str, Any]) -> SyncEvent:
    # A write's answer has no feed position; seq 0 marks it as such (it moves no cursor).
    return SyncEvent(seq=0, type=kind, data=data)


class GroupSenders:
    def __init__(self, cache: Cache, client: ApiClient) -> None:
        self._cache = cache
        self._client = client

    def by_kind(self) -> dict[str, Callable[[ob.OutboxItem], Changes]]:
        return {
            ob.OutboxKind.CREATE_GROUP: self.create,
            ob.OutboxKind.RENAME_GROUP: self.rename,
            ob.OutboxKind.DELETE_GROUP: self.delete,
            ob.OutboxKind.GROUP_MEMBER_ADD: self.membership,
            ob.OutboxKind.GROUP_MEMBER_REMOVE: self.membership,
            ob.OutboxKind.GROUP_MESSAGE: self.group_message,
        }

    def _server_group(self, item: ob.OutboxItem) -> str:
        group_id = payload_text(item, "group_id")
        if group_writes.is_local_group(group_id):
            # Queued with the local id after the create was done (a dialog opened meanwhile),
            # or failed so and retried: the done create says the server's id.
            with self._cache.read() as conn:
                group_id = group_writes.server_id(conn, group_id)
        if group_writes.is_local_group(group_id):
            raise Unsendable(
                "The group this was for was never created.", group_writes.NOT_CREATED_CODE
            )
        return group_id

    def create(self, item: ob.OutboxItem) -> Changes:
        local_id = payload_text(item, "group_id")
        description = item.payload.get("description")
        group = self._client.create_group(
            payload_text(item, "name"),
            description if isinstance(description, str) else "",
            item.idempotency_key,
        )
        with self._cache.write() as conn:
            changes = apply_events(conn, [_event(GROUP_UPSERTED, group.model_dump())])
            changes.merge(group_writes.adopt_group(conn, local_id, group.id))
            ob.complete(conn, item.id, utcnow(), result_id=group.id)
        return changes

    def rename(self, item: ob.OutboxItem) -> Changes:
        group_id = self._server_group(item)
        patch = item.payload.get("patch")
        if not isinstance(patch, dict) or not patch:
            raise Unsendable(f"outbox item {item.id} has no patch")
        group = self._client.patch_group(group_id, patch)
        with self._cache.write() as conn:
            cached = conn.execute(
                select(groups.c.updated_at).where(groups.c.id == group.id)
            ).scalar_one_or_none()
            changes = Changes(groups={group.id})
            # The feed may already hold something newer than this answer: never go back.
            if cached is None or cached <= group.updated_at:
                changes = apply_events(conn, [_event(GROUP_UPSERTED, group.model_dump())])
            ob.complete(conn, item.id, utcnow(), result_id=group.id)
        return changes

    def delete(self, item: ob.OutboxItem) -> Changes:
        group_id = self._server_group(item)
        try:
            self._client.delete_group(group_id)
        except NotFound:
            # Gone already (an earlier attempt whose answer was lost, or someone else): what
            # the user asked for is done.
            log.info("group %s was already gone on the server", group_id)
        with self._cache.write() as conn:
            conn.execute(update(groups).where(groups.c.id == group_id).values(deleted=True))
            ob.complete(conn, item.id, utcnow(), result_id=group_id)
        return Changes(groups={group_id})

    def membership(self, item: ob.OutboxItem) -> Changes:
        group_id = self._server_group(item)
        contact_id = payload_text(item, "contact_id")
        add = item.kind == ob.OutboxKind.GROUP_MEMBER_ADD
        self._client.set_group_member(
            group_id, contact_id, member=add, idempotency_key=item.idempotency_key
        )
        with self._cache.write() as conn:
            if add:
                # The feed's group.member_added brings the server's own time later.
                conn.execute(
                    sqlite_insert(group_members)
                    .values(group_id=group_id, contact_id=contact_id, added_at=utcnow())
                    .on_conflict_do_nothing()
                )
            else:
                conn.execute(
                    delete(group_members).where(
                        group_members.c.group_id == group_id,
                        group_members.c.contact_id == contact_id,
                    )
                )
            ob.complete(conn, item.id, utcnow())
        return Changes(groups={group_id}, contacts={contact_id})

    def group_message(self, item: ob.OutboxItem) -> Changes:
        answer = self._client.post_group_message(
            self._server_group(item),
            payload_text(item, "sender_user_id"),
            payload_text(item, "title"),
            payload_text(item, "body"),
            item.idempotency_key,
            merge_fields=item.payload.get("merge_fields") is True,
            quiet_hours_override=item.payload.get("quiet_hours_override") is True,
        )
        try:
            GroupMessage.model_validate(answer)
        except ValidationError as exc:
            raise UnexpectedResponse(
                "unexpected_response", 201, "The group message answer is not one."
            ) from exc
        with self._cache.write() as conn:
            known = conn.execute(
                select(group_messages.c.id).where(group_messages.c.id == answer["id"])
            ).first()
            # The answer may replay the first one (same key): the feed's copy is never older.
            changes = Changes(group_messages={str(answer["id"])})
            if known is None:
                changes = apply_events(conn, [_event(GROUP_MESSAGE_UPSERTED, answer)])
            ob.complete(conn, item.id, utcnow(), result_id=str(answer["id"]))
        return changes
