"""A person's reply to a group message reaches the console marked as such: the cache keeps
which group message it answers and that message's title (cache migration r0006), through a
real backend on loopback."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from console.services.auth import LoginResult
from console.services.workspace import Workspace
from tests.support.backend_process import BackendProcess
from tests.sync.conftest import wait_for
from tests.sync.test_group_sync import contacts, new_group, online, send

OpenWs = Callable[..., Workspace]


def test_a_reply_to_a_group_message_is_cached_marked_with_its_title(
    fresh_backend: BackendProcess, session: LoginResult, open_ws: OpenWs,
    admin_http: httpx.Client,
) -> None:
    person = contacts(admin_http)[0]
    group_id = new_group(admin_http, "Reply marking", [person])
    sent = send(admin_http, group_id, "Tour invite")
    ws = open_ws(session)
    online(ws)

    for body in ("Yes please", "And my wife"):
        answer = admin_http.post(f"/v1/people/{person['id']}/replies", json={"body": body})
        assert answer.status_code == 201, answer.text
    thread_id = answer.json()["conversation_id"]

    def replies() -> dict[str, tuple[str | None, str | None]]:
        return {
            m.body: (m.reply_to_group_message_id, m.reply_to_title)
            for m in ws.conversations.messages(thread_id)
            if m.body in ("Yes please", "And my wife")
        }

    wait_for(lambda: len(replies()) == 2, what="both replies in the cache")
    # The reply that answers the group message names it; the talk that follows is plain.
    assert replies() == {
        "Yes please": (sent["id"], "Tour invite"),
        "And my wife": (None, None),
    }
    row = ws.conversations.conversation(thread_id)
    assert row is not None
    assert row.unread_count >= 2
