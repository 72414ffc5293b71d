"""What one user holds: in a console cache fed by the change feed, and through REST.

The feed is folded by the console's own cache code (console.store) into a real SQLite cache
file, so "what the console holds" is exactly what the console would show.
"""

from __future__ import annotations

import itertools
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from console.protocol.sync import SyncPage
from console.store.apply import apply_sync_page
from console.store.cache import Cache
from console.store.models import contacts, conversations, messages, users
from tests.backend.conftest import Api, page_all
from tests.backend.sse_client import open_stream

_names = itertools.count()


@dataclass
class Held:
    """The rows a cache holds that a user can tell apart (no local bookkeeping columns)."""

    contacts: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    conversations: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    messages: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    users: dict[str, tuple[Any, ...]] = field(default_factory=dict)


@dataclass
class Visible:
    """What a user may see now: live contacts, conversations, messages (id -> what they show)."""

    contacts: dict[str, str]
    conversations: set[str]
    messages: dict[str, tuple[str, str]]


class ConsoleCache:
    """A console's cache file, fed page by page from `/v1/sync` as the console does."""

    def __init__(self, directory: Path, client: httpx.Client) -> None:
        self.client = client
        self.directory = directory
        self.cache = self._new_cache()
        self.cursor: str | None = None

    def _new_cache(self) -> Cache:
        return Cache.open(self.directory / f"cache-{next(_names)}-{uuid.uuid4().hex[:6]}.db")

    def sync(self) -> list[dict[str, Any]]:
        """Catch up from the cursor; returns the raw events applied. A refused cursor (410: the
        user's access changed) starts a new cache from the beginning, as the console does."""
        seen: list[dict[str, Any]] = []
        for _ in range(10_000):
            params: dict[str, Any] = {"limit": 500}
            if self.cursor is not None:
                params["since"] = self.cursor
            response = self.client.get("/v1/sync", params=params)
            if response.status_code == 410 and self.cursor is not None:
                assert response.json()["code"] == "cursor_invalid", response.text
                self.close()
                self.cache.path.unlink(missing_ok=True)
                self.cache, self.cursor, seen = self._new_cache(), None, []
                continue
            assert response.status_code == 200, response.text
            page = SyncPage.model_validate(response.json())
            apply_sync_page(self.cache, page)
            seen.extend(e.model_dump(mode="json") for e in page.events)
            self.cursor = page.next
            if not page.has_more:
                return seen
        raise AssertionError("sync does not end")

    def held(self) -> Held:
        with self.cache.read() as conn:
            return Held(
                contacts={
                    r.id: (r.name, r.email, r.dnd, r.assigned_user_id, bool(r.deleted))
                    for r in conn.execute(select(contacts))
                },
                conversations={
                    r.id: (r.kind, r.title, r.contact_id, r.number_id, r.participants_json,
                           bool(r.known))
                    for r in conn.execute(select(conversations))
                },
                messages={
                    r.server_id: (r.conversation_id, r.body, r.direction, r.author_user_id)
                    for r in conn.execute(select(messages))
                },
                users={
                    r.id: (r.name, r.email, r.role, r.data_access)
                    for r in conn.execute(select(users))
                },
            )

    def visible(self, ours: set[str] | None = None) -> Visible:
        """What the console shows; with `ours`, only about those contacts."""
        held = self.held()
        live = {cid: row[0] for cid, row in held.contacts.items()
                if not row[4] and (ours is None or cid in ours)}
        chats = {cid for cid, row in held.conversations.items()
                 if ours is None or _involves(row[2], row[4], ours)}
        return Visible(
            contacts=live,
            conversations=chats,
            messages={mid: (row[0], row[1]) for mid, row in held.messages.items()
                      if row[0] in chats},
        )

    def close(self) -> None:
        self.cache.close()


def _involves(contact_id: str | None, participants: str | None, ours: set[str]) -> bool:
    if contact_id in ours:
        return True
    people = json.loads(participants) if participants else []
    return any(p["contact_id"] in ours for p in people)


def rest_view(client: httpx.Client, ours: set[str] | None = None) -> Visible:
    """What REST shows the client; with `ours`, only about those contacts."""
    people = [c for c in page_all(client, "/v1/contacts", limit=500)
              if ours is None or c["id"] in ours]
    threads = [
        t for t in page_all(client, "/v1/conversations", limit=500)
        if ours is None or _involves(
            t.get("contact_id"), json.dumps(t.get("participants") or []), ours)
    ]
    said: dict[str, tuple[str, str]] = {}
    for thread in threads:
        for message in page_all(client, f"/v1/conversations/{thread['id']}/messages", limit=500):
            said[message["id"]] = (thread["id"], message["body"])
    return Visible(
        contacts={c["id"]: c["name"] for c in people},
        conversations={t["id"] for t in threads},
        messages=said,
    )


def ids_in(events: list[dict[str, Any]]) -> set[str]:
    """Every id the events name (their own, and the conversation a message is in)."""
    return {e["data"].get(key) for e in events for key in ("id", "conversation_id")
            if e["data"].get(key)}


def streamed(api: Api, client: httpx.Client, since: str, until_id: str) -> list[dict[str, Any]]:
    """`/v1/events` for `client` from `since`, read until an event about `until_id` arrives."""
    token = client.headers["authorization"].split()[1]
    with open_stream(api.backend.url, token, since=since) as stream:
        stream.wait_until(
            lambda s: any(until_id in ids_in([item.json()]) for item in s.events), timeout=15)
        return [item.json() for item in stream.events]
