"""A send whose answer is lost is retried with the same key, and the server does it once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from console.domain.status_detail import DetailCode
from console.services.auth import LoginResult
from console.store import local_writes, queries
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.models import messages
from console.sync.api_client import ApiClient
from console.sync.backoff import Backoff
from console.sync.engine import EngineState, EngineStatus, SyncEngine
from tests.support.backend_process import BackendProcess
from tests.sync.conftest import wait_for
from tests.sync.lossy_proxy import LossyProxy


class EngineRig:
    def __init__(self, cache: Cache, client: ApiClient) -> None:
        self.cache = cache
        self.client = client
        self.statuses: list[EngineStatus] = []
        self.changes: list[Changes] = []
        self.engine = SyncEngine(
            cache,
            client,
            on_changes=self.changes.append,
            on_status=self.statuses.append,
            poll_interval=0.1,
            backoff=Backoff(base=0.2, cap=1.0, jitter=0.0),
        )

    def conversations(self) -> list[queries.ConversationView]:
        with self.cache.read() as conn:
            return queries.list_conversations(conn)

    def queue(
        self, conversation_id: str, body: str, user_id: str, client_key: str | None = None
    ) -> local_writes.QueuedSend:
        with self.cache.write() as conn:
            queued, _ = local_writes.queue_send(
                conn,
                conversation_id=conversation_id,
                body=body,
                author_user_id=user_id,
                now=utcnow(),
                client_key=client_key,
            )
        self.engine.wake()
        return queued

    def message(self, message_id: int) -> queries.MessageView:
        with self.cache.read() as conn:
            row = conn.execute(
                select(messages.c.conversation_id).where(messages.c.id == message_id)
            ).scalar_one()
            (view,) = queries.messages_by_ids(conn, row, [message_id])
        return view

    def outbox_item(self, item_id: int) -> ob.OutboxItem:
        with self.cache.read() as conn:
            item = ob.get(conn, item_id)
        assert item is not None
        return item


@pytest.fixture
def proxy(fresh_backend: BackendProcess) -> Iterator[LossyProxy]:
    lossy = LossyProxy("127.0.0.1", fresh_backend.port).start()
    yield lossy
    lossy.close()


@pytest.fixture
def rig(tmp_path: Path, session: LoginResult, proxy: LossyProxy) -> Iterator[EngineRig]:
    cache = Cache.open(tmp_path / "cache.db")
    client = ApiClient(proxy.url, session.token, timeout=httpx.Timeout(1.0))
    made = EngineRig(cache, client)
    made.engine.start()
    yield made
    assert made.engine.close(2.0)
    client.close()
    cache.close()


def server_copies(http: httpx.Client, conversation_id: str, body: str) -> list[dict[str, object]]:
    items = http.get(f"/v1/conversations/{conversation_id}/messages", params={"limit": 500}).json()[
        "items"
    ]
    return [m for m in items if m["body"] == body]


def test_timed_out_send_is_retried_with_the_same_key_and_sent_once(
    rig: EngineRig, proxy: LossyProxy, session: LoginResult, admin_http: httpx.Client
) -> None:
    target = wait_for(rig.conversations, what="the first sync")[0]
    # The next POST reaches the server, but its answer never comes back: the client times out.
    proxy.match = f"POST /v1/conversations/{target.id}/messages".encode()
    proxy.swallow = 1
    body = f"Exactly once {uuid.uuid4().hex[:6]}"
    queued = rig.queue(target.id, body, session.user.id)

    wait_for(
        lambda: rig.message(queued.message_id).status == "delivered",
        timeout=20,
        what="delivery after the retry",
    )
    assert proxy.swallowed == 1
    assert any(
        s.state is EngineState.OFFLINE and s.detail.code is DetailCode.RETRY_UNREACHABLE
        for s in rig.statuses
    ), "the lost answer was not reported"
    item = rig.outbox_item(queued.outbox_id)
    assert (item.state, item.attempts, item.idempotency_key) == (
        ob.OutboxState.DONE,
        2,
        queued.client_key,
    )
    copies = server_copies(admin_http, target.id, body)
    assert len(copies) == 1
    assert copies[0]["client_key"] == queued.client_key
    view = rig.message(queued.message_id)
    assert view.server_id == copies[0]["id"]
    handset = [
        m for m in admin_http.get("/v1/simulator/outbox").json()["items"] if m["body"] == body
    ]
    assert len(handset) == 1
    with rig.cache.read() as conn:
        local = conn.execute(select(messages.c.id).where(messages.c.body == body)).all()
    assert len(local) == 1


def test_a_send_interrupted_by_a_crash_is_resent_with_its_key_and_done_once(
    tmp_path: Path, fresh_backend: BackendProcess, session: LoginResult, admin_http: httpx.Client
) -> None:
    cache = Cache.open(tmp_path / "cache.db")
    client = ApiClient(fresh_backend.url, session.token)
    first = EngineRig(cache, client)
    first.engine.start()
    target = wait_for(first.conversations, what="the first sync")[0]
    assert first.engine.close(2.0)
    # The previous run claimed the item and its POST reached the server; then it crashed
    # before it could record the answer.
    body = f"Crash-safe {uuid.uuid4().hex[:6]}"
    with cache.write() as conn:
        queued, _ = local_writes.queue_send(
            conn,
            conversation_id=target.id,
            body=body,
            author_user_id=session.user.id,
            now=utcnow(),
        )
        ob.claim(conn, queued.outbox_id, utcnow())
    answered = client.post_message(target.id, body, queued.client_key)

    second = EngineRig(cache, client)
    second.engine.start()
    try:
        wait_for(
            lambda: second.message(queued.message_id).status == "delivered",
            what="delivery after the restart",
        )
        item = second.outbox_item(queued.outbox_id)
        assert (item.state, item.attempts) == (ob.OutboxState.DONE, 2)
        assert second.message(queued.message_id).server_id == answered.id
        assert [c["id"] for c in server_copies(admin_http, target.id, body)] == [answered.id]
    finally:
        assert second.engine.close(2.0)
        client.close()
        cache.close()
