"""Outbox senders for an admin's compliance settings: a number's opt-out hint, a state's quiet
hours window set or cleared. Each writes the server's answer (the number; the whole rules) in
the same cache transaction that completes the item, so the setting never blinks back."""

from __future__ import annotations

import json
from collections.abc import Callable

from console.protocol.sync import SyncEvent
from console.store import outbox as ob
from console.store.apply import QUIET_HOURS_KEY, apply_events
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.session_meta import set_meta
from console.sync.api_client import ApiClient
from console.sync.unsendable import Unsendable, payload_text


class ComplianceSenders:
    def __init__(self, cache: Cache, client: ApiClient) -> None:
        self._cache = cache
        self._client = client

    def by_kind(self) -> dict[str, Callable[[ob.OutboxItem], Changes]]:
        return {
            ob.OutboxKind.NUMBER_EDIT: self.number,
            ob.OutboxKind.QUIET_HOURS_SET: self.quiet_hours,
            ob.OutboxKind.QUIET_HOURS_CLEAR: self.quiet_hours,
        }

    def number(self, item: ob.OutboxItem) -> Changes:
        patch = item.payload.get("patch")
        if not isinstance(patch, dict):
            raise Unsendable(f"outbox item {item.id} has no patch")
        number = self._client.patch_number(payload_text(item, "number_id"), patch)
        # A write's answer has no feed position: seq 0 moves no cursor.
        answer = SyncEvent(seq=0, type="number.upserted", data=number.model_dump(mode="json"))
        with self._cache.write() as conn:
            changes = apply_events(conn, [answer])
            ob.complete(conn, item.id, utcnow(), result_id=number.id)
        return changes

    def quiet_hours(self, item: ob.OutboxItem) -> Changes:
        state = payload_text(item, "state")
        if item.kind == ob.OutboxKind.QUIET_HOURS_SET:
            rules = self._client.set_quiet_state(
                state, payload_text(item, "start"), payload_text(item, "end"))
        else:
            rules = self._client.clear_quiet_state(state)
        with self._cache.write() as conn:
            set_meta(conn, {QUIET_HOURS_KEY: json.dumps(rules.model_dump(mode="json"))})
            ob.complete(conn, item.id, utcnow(), result_id=state)
        return Changes(quiet_hours=True, outbox=True)
