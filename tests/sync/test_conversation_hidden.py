"""An assigned-only user loses sight of a group chat when one of its contacts is assigned to
someone else: the real backend sends `conversation.deleted`, and that user's console drops the
chat and its messages, while a message written for it offline is kept as failed, with why."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx

from console.protocol.demo import DEMO_PASSWORD
from console.services.auth import AuthService
from console.services.types import ChangeSet, SyncState
from console.services.workspace import Workspace
from console.store.forget import CONVERSATION_GONE_CODE
from tests.support.backend_process import BackendProcess
from tests.sync.conftest import wait_for

OpenWs = Callable[..., Workspace]
DIEGO = "diego.agent@demo.example"  # the demo's assigned-only agent


def new_contact(admin: httpx.Client, number: str, owner: str) -> dict[str, Any]:
    response = admin.post("/v1/contacts", json={
        "name": f"Person {uuid.uuid4().hex[:6]}",
        "phones": [{"number": number, "label": "primary"}],
        "assigned_user_id": owner,
    })
    assert response.status_code == 201, response.text
    contact: dict[str, Any] = response.json()
    return contact


def test_reassignment_drops_the_chat_from_an_assigned_only_users_cache(
    fresh_backend: BackendProcess, admin_http: httpx.Client, open_ws: OpenWs
) -> None:
    login = AuthService().login(fresh_backend.url, DIEGO, DEMO_PASSWORD)
    diego_id = login.user.id
    people = [new_contact(admin_http, f"+1240555{n:04d}", diego_id) for n in (7001, 7002)]
    with fresh_backend.client(login.token) as diego:
        numbers = diego.get("/v1/numbers").json()["items"]
        line = next(n for n in numbers if n["label"] == "Diego's line")["id"]
        made = diego.post("/v1/group-chats", json={
            "number_id": line,
            "participants": [{"contact_id": c["id"], "phone": c["phones"][0]["number"]}
                             for c in people],
        })
        assert made.status_code == 201, made.text
        chat = made.json()["id"]
        sent = diego.post(f"/v1/conversations/{chat}/messages", json={"body": "Hi both"},
                          headers={"Idempotency-Key": str(uuid.uuid4())})
        assert sent.status_code == 201, sent.text

    # Diego's console caches the chat, then writes in it while offline.
    ws = open_ws(login)
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE
             and ws.conversations.conversation(chat) is not None
             and ws.conversations.messages(chat), what="the chat in Diego's cache")
    ws.close()
    offline = open_ws(login, None)
    unsent = offline.conversations.send(chat, "Are you both free on Friday?")
    offline.close()

    # An admin gives one of the chat's contacts to nobody: Diego may no longer see the chat.
    moved = admin_http.patch(f"/v1/contacts/{people[1]['id']}", json={"assigned_user_id": None})
    assert moved.status_code == 200, moved.text

    ws = open_ws(login, start=False)
    seen: list[ChangeSet] = []
    ws.conversations.changes.connect(seen.append)
    ws.start()
    wait_for(lambda: ws.conversations.conversation(chat) is None, what="the chat to go")
    assert chat not in {c.id for c in ws.conversations.list_conversations()}
    assert ws.conversations.messages(chat) == []
    assert any(chat in change.conversations for change in seen)  # views are told: rows go
    # The message written offline is not silently lost: it is a failed write, with why.
    # (The push may come first and get a bare 404: the feed's word then gives the reason.)
    failed = wait_for(
        lambda: [f for f in ws.outbox.failed() if f.code == CONVERSATION_GONE_CODE],
        what="the unsent message to be failed as out of sight",
    )
    assert [(f.kind, f.subject) for f in failed] == [("send_message", unsent.body)]
    assert "no longer visible to you" in failed[0].reason
    # The server agrees: the chat is out of Diego's sight, and nothing was sent to it.
    with fresh_backend.client(login.token) as diego:
        assert diego.get(f"/v1/group-chats/{chat}").status_code == 404
    bodies = [m["body"] for m in admin_http.get(
        f"/v1/conversations/{chat}/messages", params={"limit": 500}).json()["items"]]
    assert bodies == ["Hi both"]
