"""Outbox senders for templates: create, edit, delete.

Each sends one request and then, in ONE cache transaction, writes the server's answer and
completes the item (console/sync/pusher.py explains why). A create moves what is queued behind
it to the server's id (store/local_lane.py); an edit or delete still naming a template that was
never created fails as Unsendable with store/template_writes.NOT_CREATED_CODE. A delete the
server answers 404 is done: the template is gone, which is what the user asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from console.store import outbox as ob
from console.store import template_writes
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.sync.api_client import ApiClient
from console.sync.errors import NotFound
from console.sync.unsendable import Unsendable, payload_text

log = logging.getLogger("console.sync.template_push")


class TemplateSenders:
    def __init__(self, cache: Cache, client: ApiClient) -> None:
        self._cache = cache
        self._client = client

    def by_kind(self) -> dict[str, Callable[[ob.OutboxItem], Changes]]:
        return {
            ob.OutboxKind.TEMPLATE_CREATE: self.create,
            ob.OutboxKind.TEMPLATE_EDIT: self.edit,
            ob.OutboxKind.TEMPLATE_DELETE: self.delete,
        }

    def create(self, item: ob.OutboxItem) -> Changes:
        local_id = payload_text(item, "template_id")
        made = self._client.create_template(
            payload_text(item, "name"), payload_text(item, "body"),
            shared=item.payload.get("shared") is True, idempotency_key=item.idempotency_key,
        )
        with self._cache.write() as conn:
            changes = template_writes.upsert_templates(conn, [made])
            changes.merge(template_writes.adopt_template(conn, local_id, made.id))
            ob.complete(conn, item.id, utcnow(), result_id=made.id)
        return changes

    def edit(self, item: ob.OutboxItem) -> Changes:
        patch = item.payload.get("patch")
        if not isinstance(patch, dict):
            raise Unsendable(f"outbox item {item.id} has no patch")
        changed = self._client.edit_template(self._server_id(item), patch)
        with self._cache.write() as conn:
            changes = template_writes.upsert_templates(conn, [changed])
            ob.complete(conn, item.id, utcnow(), result_id=changed.id)
        return changes

    def delete(self, item: ob.OutboxItem) -> Changes:
        template_id = self._server_id(item)
        try:
            self._client.delete_template(template_id)
        except NotFound:
            log.info("template %s was already gone on the server", template_id)
        with self._cache.write() as conn:
            changes = template_writes.delete_templates(conn, [template_id])
            ob.complete(conn, item.id, utcnow(), result_id=template_id)
        return changes

    def _server_id(self, item: ob.OutboxItem) -> str:
        with self._cache.read() as conn:
            found = template_writes.LANE.server_id(conn, payload_text(item, "template_id"))
        if template_writes.LANE.is_local(found):
            raise Unsendable(
                "The template this change is for was never created.",
                template_writes.NOT_CREATED_CODE,
            )
        return found
