"""A group chat created here instead of another: both show the link at once, the pending id
moves to the server's, and a discarded create leaves the old chat unlinked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from console.services.auth import LoginResult
from console.services.types import SyncState
from console.services.workspace import Workspace
from tests.backend.group_chat_support import PhonePool, new_contact
from tests.sync.conftest import wait_for

OpenWs = Callable[..., Workspace]
phone = PhonePool("353")


def _old_chat(
    ws: Workspace, http: httpx.Client
) -> tuple[str, dict[str, Any], list[tuple[str, str]]]:
    """(number id, a 3-person chat made on the server and synced here, its people)."""
    number = next(n for n in http.get("/v1/numbers").json()["items"] if n["is_default"])
    people = [new_contact(http, phone()) for _ in range(3)]
    pairs = [(c["id"], c["phones"][0]["number"]) for c in people]
    response = http.post(
        "/v1/group-chats",
        json={
            "number_id": number["id"],
            "participants": [{"contact_id": c, "phone": p} for c, p in pairs],
        },
    )
    assert response.status_code == 201, response.text
    old = response.json()
    wait_for(lambda: ws.conversations.conversation(old["id"]), what="the old chat synced")
    wait_for(
        lambda: all(ws.contacts.contact(c) for c, _ in pairs), what="the contacts synced"
    )
    return number["id"], old, pairs


def test_a_pending_replacement_links_both_ways_then_moves_to_the_server_id(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="the first sync")
    number_id, old, pairs = _old_chat(ws, admin_http)

    row = ws.group_chats.create(number_id, pairs[:2], replaces=old["id"])
    assert row.pending
    assert row.replaces == old["id"]
    shown_old = ws.conversations.conversation(old["id"])
    assert shown_old is not None
    assert shown_old.replaced_by == row.id  # at once, pending id

    def server_id() -> str | None:
        found = admin_http.get(f"/v1/group-chats/{old['id']}").json()["replaced_by"]
        return str(found) if found else None

    new_id = wait_for(server_id, timeout=15, what="the replacement on the server")
    assert admin_http.get(f"/v1/group-chats/{new_id}").json()["replaces"] == old["id"]

    def linked_here() -> bool:
        old_row = ws.conversations.conversation(old["id"])
        new_row = ws.conversations.conversation(new_id)
        return bool(
            old_row and new_row and old_row.replaced_by == new_id
            and new_row.replaces == old["id"]
        )

    wait_for(linked_here, timeout=15, what="both links on the server ids in the cache")
    assert ws.conversations.conversation(row.id) is None


def test_a_discarded_replacement_unlinks_the_old_chat(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    synced = open_ws(session)
    wait_for(lambda: synced.sync.status.state is SyncState.ONLINE, what="the first sync")
    number_id, old, pairs = _old_chat(synced, admin_http)
    synced.close()
    ws = open_ws(session, start=False)  # same cache, no sync: the create stays pending
    row = ws.group_chats.create(number_id, pairs[:2], replaces=old["id"])
    old_row = ws.conversations.conversation(old["id"])
    assert old_row is not None
    assert old_row.replaced_by == row.id
    ws.group_chats.discard(row.id)
    old_row = ws.conversations.conversation(old["id"])
    assert old_row is not None
    assert old_row.replaced_by is None
