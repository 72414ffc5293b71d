"""Outbox senders for contact imports: the import (one POST of the file's good rows, its
idempotency key sent) and its undo.

Each sends one request and then, in ONE cache transaction, writes the server's answer (the
ContactImport row) and completes the item (console/sync/pusher.py explains why). The contacts
themselves arrive through the feed as usual (contact.upserted per contact made,
contact.deleted on undo): writing 20,000 of them here too would only do the feed's work twice.
An undo the server answers 409 already_undone is done: what the user asked for is so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from console.domain.errors import ErrorCode
from console.store import contact_import_writes
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.sync.api_client import ApiClient
from console.sync.errors import Conflict
from console.sync.unsendable import Unsendable, payload_text

log = logging.getLogger("console.sync.contact_import_push")


class ContactImportSenders:
    def __init__(self, cache: Cache, client: ApiClient) -> None:
        self._cache = cache
        self._client = client

    def by_kind(self) -> dict[str, Callable[[ob.OutboxItem], Changes]]:
        return {
            ob.OutboxKind.CONTACT_IMPORT: self.create,
            ob.OutboxKind.CONTACT_IMPORT_UNDO: self.undo,
        }

    def create(self, item: ob.OutboxItem) -> Changes:
        rows = item.payload.get("rows")
        if not isinstance(rows, list) or not rows:
            raise Unsendable(f"outbox item {item.id} has no rows")
        wire: list[dict[str, Any]] = [row for row in rows if isinstance(row, dict)]
        made = self._client.create_contact_import(
            payload_text(item, "source"), wire, item.idempotency_key
        )
        with self._cache.write() as conn:
            changes = contact_import_writes.upsert_imports(conn, [made])
            contact_import_writes.complete_import(conn, item, made, utcnow())
        changes.contact_imports.add(contact_import_writes.local_id(item.idempotency_key))
        return changes

    def undo(self, item: ob.OutboxItem) -> Changes:
        import_id = payload_text(item, "import_id")
        if contact_import_writes.is_local(import_id):
            raise Unsendable("The import this undo is for was never made.")
        try:
            undone = [self._client.undo_contact_import(import_id)]
        except Conflict as exc:
            if exc.code != ErrorCode.ALREADY_UNDONE:
                raise
            # Undone already (an earlier attempt whose answer was lost, or elsewhere): the
            # feed brings the import as undone.
            log.info("contact import %s was already undone", import_id)
            undone = []
        with self._cache.write() as conn:
            changes = contact_import_writes.upsert_imports(conn, undone)
            ob.complete(conn, item.id, utcnow(), result_id=import_id)
        changes.contact_imports.add(import_id)
        return changes
