"""Things made here under a local id, then created on the server through the outbox.

A scheduled send or a template made here shows at once under `prefix + its create's key`.
Its edits and its deletion queue behind the create in the same lane (payload[id_key]) and are
moved to the server's id once the server answers (adopt). An edit or delete made before the
create was ever tried folds into it instead: one request, not two, and nothing at all for a
thing deleted before it left.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, update

from console.store import outbox as ob
from console.store.models import outbox


@dataclass(frozen=True, slots=True)
class LocalLane:
    prefix: str  # of the local ids ("local-sch-")
    id_key: str  # the payload key naming the thing ("scheduled_id")
    create: ob.OutboxKind
    followers: tuple[ob.OutboxKind, ...]  # the edits and deletes queued behind a create

    def is_local(self, thing_id: str | None) -> bool:
        return bool(thing_id) and str(thing_id).startswith(self.prefix)

    def server_id(self, conn: Connection, thing_id: str) -> str:
        """`thing_id`, or the server's id once the thing made here under it was created."""
        if not self.is_local(thing_id):
            return thing_id
        item = ob.by_key(conn, thing_id[len(self.prefix) :])
        result = item.payload.get("result_id") if item is not None else None
        return result if isinstance(result, str) and result else thing_id

    def queue_create(self, conn: Connection, payload: Mapping[str, Any], now: datetime) -> str:
        """Queue the create; returns the local id it shows under until the server answers."""
        key = ob.new_idempotency_key()
        thing_id = f"{self.prefix}{key}"
        ob.enqueue(conn, self.create, now=now, payload={self.id_key: thing_id, **payload},
                   idempotency_key=key)
        return thing_id

    def queue_follower(
        self, conn: Connection, kind: ob.OutboxKind, thing_id: str, payload: Mapping[str, Any],
        now: datetime,
    ) -> None:
        ob.enqueue(conn, kind, now=now, payload={self.id_key: thing_id, **payload})

    def open_create(self, conn: Connection, thing_id: str) -> ob.OutboxItem | None:
        if not self.is_local(thing_id):
            return None
        item = ob.by_key(conn, thing_id[len(self.prefix) :])
        if item is None or item.state not in ob.OPEN_STATES:
            return None
        return item

    def fold_into_create(
        self, conn: Connection, thing_id: str, changed: Mapping[str, Any]
    ) -> bool:
        """Give a never-tried create the change itself; False when there is none (or it was
        tried: the server may hold it under its key with the first words, so an edit must go
        behind it)."""
        create = self.open_create(conn, thing_id)
        if create is None:
            return False
        result = conn.execute(
            update(outbox)
            .where(
                outbox.c.id == create.id,
                outbox.c.state == ob.OutboxState.PENDING.value,
                outbox.c.attempts == 0,
            )
            .values(payload=json.dumps({**create.payload, **changed}))
        )
        return result.rowcount == 1

    def drop_create(self, conn: Connection, thing_id: str) -> bool:
        """Discard a create that never left (nothing for the server to undo); False when
        there is none or it was tried already."""
        create = self.open_create(conn, thing_id)
        if create is None:
            return False
        try:
            ob.discard(conn, create.id)
        except ob.InvalidTransition:
            return False
        return True

    def adopt(self, conn: Connection, local_id: str, server_id: str) -> None:
        """The server created `local_id` as `server_id`: what is queued behind the create
        names the server's id from now on."""
        for item in ob.open_of_kind(conn, *self.followers):
            if item.payload.get(self.id_key) == local_id:
                conn.execute(
                    update(outbox)
                    .where(outbox.c.id == item.id)
                    .values(payload=json.dumps({**item.payload, self.id_key: server_id}))
                )
