"""History search kept in step by a real sync from a real backend on loopback: the first sync
indexes the demo's whole history (each group message once, none of its in-app copies), later
feed batches add what the server sends, a local send is found before the server has it and
stays one row once the server's copy replaces it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from console.domain.messages import MessageStatus
from console.services.auth import LoginResult
from console.services.history import AuthorKind, HistoryChannel, HistoryFilter, HistoryService
from console.services.workspace import Workspace
from console.store.cache import Cache
from tests.sync.conftest import wait_for
from tests.sync.test_group_sync import contacts, new_group, online

OpenWs = Callable[..., Workspace]

# Every cached message not a copy of a group message, plus the group messages: counted
# straight from the cache's own tables, not from the index.
EXPECTED_ROWS = (
    "SELECT (SELECT count(*) FROM messages AS m JOIN conversations AS c "
    "ON c.id = m.conversation_id WHERE NOT (c.kind = 'in_app' AND m.direction = 'out' AND "
    "EXISTS (SELECT 1 FROM group_messages AS g WHERE g.body = m.body "
    "AND g.sent_at = m.created_at))) + (SELECT count(*) FROM group_messages)"
)


@pytest.fixture
def cache(session: LoginResult) -> Iterator[Cache]:
    """The workspace's cache file on its own connections (as the UI's worker reads it)."""
    opened = Cache.open(session.cache_path)
    yield opened
    opened.close()


def bodies(history: HistoryService, text: str) -> list[str]:
    return [r.body for r in history.page(HistoryFilter(query=text)).rows]


def test_the_sync_keeps_history_search_in_step(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client, cache: Cache
) -> None:
    word = f"zebra{uuid.uuid4().hex[:6]}"
    people = contacts(admin_http)[:3]
    group_id = new_group(admin_http, f"History {word}", people)
    me = admin_http.get("/v1/me").json()["id"]
    sent = admin_http.post(
        "/v1/group-messages",
        json={"group_id": group_id, "sender_user_id": me, "title": "Porch sale",
              "body": f"Porch sale Saturday {word}"},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert sent.status_code == 201, sent.text

    ws = open_ws(session)
    online(ws)
    history = HistoryService(cache, ws.session)

    # Sent to three people: one row, the group message (its three in-app copies left out).
    rows = wait_for(lambda: history.page(HistoryFilter(query=word)).rows,
                    what="the group message in History")
    assert [(r.channel, r.group_message_id, r.recipient_count) for r in rows] == [
        (HistoryChannel.GROUP_MESSAGE, sent.json()["id"], 3)]
    assert [r.key for r in history.page(HistoryFilter(query=f"porch {word[:7]}")).rows] == [
        rows[0].key]

    # Every cached message is indexed once (the demo's whole history, first sync).
    with cache.read() as conn:
        expected = int(conn.exec_driver_sql(EXPECTED_ROWS).scalar_one())
    total = history.count(HistoryFilter(), cap=1_000_000)
    assert expected > 50
    assert (total.count, total.at_least) == (expected, False)

    # A later batch: a message the server sends in a thread is found by its words, its
    # person's name and their number.
    thread = admin_http.get("/v1/conversations", params={"kind": "direct"}).json()["items"][0]
    reply = f"Reminder {word} about the lease"
    posted = admin_http.post(
        f"/v1/conversations/{thread['id']}/messages", json={"body": reply},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert posted.status_code == 201, posted.text
    wait_for(lambda: bodies(history, f"lease {word}") == [reply], what="the new message")
    name_word = thread["title"].split()[0]
    assert reply in bodies(history, f"{word} {name_word}")
    assert reply in bodies(history, f"{thread['phone'][-7:-4]}-{thread['phone'][-4:]} {word}")

    # A local send: found at once, pending, before the server has it ...
    local = f"Keys are under the mat {word}"
    row = ws.conversations.send(thread["id"], local)
    (pending,) = history.page(HistoryFilter(query=f"mat {word}")).rows
    assert (pending.body, pending.status, pending.author_kind, pending.message_key) == (
        local, MessageStatus.PENDING, AuthorKind.ME, row.key)
    # ... and still one row (the same message key) once the server's copy took its place.
    def settled() -> bool:
        (now,) = history.page(HistoryFilter(query=f"mat {word}")).rows
        return now.status is not MessageStatus.PENDING and now.message_key == row.key

    wait_for(settled, what="the sent copy in History")
