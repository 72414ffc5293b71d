"""Backend down at console start: the cache still serves, sends wait, and go out exactly once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import AuthService, LoginResult
from console.services.profiles import find_profile, list_profiles
from console.services.types import DetailCode, SyncState
from console.services.workspace import Workspace, open_workspace
from tests.support.backend_process import BackendProcess
from tests.sync.conftest import wait_for

OpenWs = Callable[..., Workspace]


def test_backend_down_at_start_then_back_sends_exactly_once(
    fresh_backend: BackendProcess, session: LoginResult, auth: AuthService, open_ws: OpenWs
) -> None:
    # A previous run filled the cache.
    ws = open_ws(session)
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="the first sync")
    synced = ws.conversations.list_conversations()
    assert synced
    ws.close()
    fresh_backend.stop()

    # Start again, as app.py would: find the profile and its token with no network.
    (profile,) = list_profiles()
    assert find_profile(server_url=session.server_url, email=DEMO_ADMIN_EMAIL) == profile
    token = auth.saved_token(profile.server_url, profile.email)
    assert token == session.token
    began = time.monotonic()
    ws = open_workspace(
        profile.cache_path, profile.server_url, token, profile.user, poll_interval=0.1
    )
    try:
        ws.start()
        assert time.monotonic() - began < 2.0, "opening from the cache waited on the network"
        assert [r.id for r in ws.conversations.list_conversations()] == [r.id for r in synced]
        status = wait_for(
            lambda: ws.sync.status if ws.sync.status.state is SyncState.OFFLINE else None,
            what="the offline status",
        )
        assert status.detail.code is DetailCode.RETRY_UNREACHABLE
        assert int(status.detail.value("seconds")) >= 1

        target = synced[-1]
        body = f"Sent while the backend was down {uuid.uuid4().hex[:6]}"
        row = ws.conversations.send(target.id, body)
        assert row.status == "pending"
        assert ws.sync.status.pending_outbox == 1
        assert ws.conversations.list_conversations()[0].id == target.id

        revived = BackendProcess(
            fresh_backend.db_url, args=["--seed", "demo"], port=fresh_backend.port
        )
        revived.start()
        try:

            def delivered() -> bool:
                (current,) = ws.conversations.messages_by_key(target.id, [row.key])
                return current.status == "delivered"

            wait_for(delivered, timeout=30, what="delivery once the backend is back")
            wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="online again")
            assert ws.sync.status.pending_outbox == 0

            admin = revived.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
            with revived.client(admin) as http:
                on_server = [
                    m
                    for m in http.get(
                        f"/v1/conversations/{target.id}/messages", params={"limit": 500}
                    ).json()["items"]
                    if m["body"] == body
                ]
                handset = [
                    m for m in http.get("/v1/simulator/outbox").json()["items"] if m["body"] == body
                ]
            assert len(on_server) == 1
            assert len(handset) == 1
            local = [m for m in ws.conversations.messages(target.id) if m.body == body]
            assert [m.key for m in local] == [row.key]
        finally:
            revived.stop()
    finally:
        began = time.monotonic()
        ws.close()
        assert time.monotonic() - began < 2.0


def test_workspace_without_a_token_opens_offline_and_signs_in_later(
    fresh_backend: BackendProcess, session: LoginResult, open_ws: OpenWs
) -> None:
    ws = open_ws(session, None)
    wait_for(
        lambda: ws.sync.status.detail.code is DetailCode.NOT_SIGNED_IN,
        what="the not-signed-in status",
    )
    assert ws.conversations.list_conversations() == []
    ws.sync.set_token(session.token)
    wait_for(ws.conversations.list_conversations, what="sync after signing in")
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="online")


def test_close_is_prompt_while_retrying(session: LoginResult, open_ws: OpenWs) -> None:
    # An address where nothing listens: the engine keeps backing off.
    dead = LoginResult(
        server_url="http://127.0.0.1:9",
        email=session.email,
        user=session.user,
        token=session.token,
        cache_path=session.cache_path.with_name("dead.db"),
        token_saved=True,
    )
    ws = open_ws(dead)
    wait_for(lambda: ws.sync.status.state is SyncState.OFFLINE, what="offline")
    began = time.monotonic()
    ws.close()
    assert time.monotonic() - began < 2.0
