"""Shared by the realtime, resync and status-bar tests: a backend with a short heartbeat, a
fault proxy in front of it, and a signed-in workspace that follows it through the proxy."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import AuthService, LoginResult
from console.services.sync_service import RealtimeOptions
from console.services.workspace import Workspace, open_workspace
from tests.support.backend_process import BackendProcess, sqlite_url
from tests.sync.fault_proxy import FaultProxy

# The backend's idle heartbeat in these tests (15 s in production): a stream quiet for 2.5 of
# them (1.25 s) is dead.
HEARTBEAT_S = 0.5
BACKEND_ENV = {"CONSOLE_SSE_HEARTBEAT_S": str(HEARTBEAT_S)}
NEVER = 3600.0  # a poll interval no test waits for: what arrives came by the stream


def start_backend(db: Path, port: int = 0) -> BackendProcess:
    return BackendProcess(
        sqlite_url(db), args=["--seed", "demo"], port=port, env=BACKEND_ENV
    ).start()


@pytest.fixture
def live_backend(tmp_path: Path) -> Iterator[BackendProcess]:
    backend = start_backend(tmp_path / "backend.db")
    yield backend
    backend.stop()


@pytest.fixture
def proxy(live_backend: BackendProcess) -> Iterator[FaultProxy]:
    host, port = live_backend.url.rsplit("//", 1)[1].rsplit(":", 1)
    fault = FaultProxy(host, int(port)).start()
    yield fault
    fault.close()


@pytest.fixture
def login(live_backend: BackendProcess) -> LoginResult:
    return AuthService().login(live_backend.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)


@pytest.fixture
def admin(live_backend: BackendProcess) -> Iterator[httpx.Client]:
    """The test's own view of the server, straight to the backend (not through the proxy)."""
    token = live_backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    with live_backend.client(token) as client:
        yield client


OpenLive = Callable[..., Workspace]


@pytest.fixture
def open_live() -> Iterator[OpenLive]:
    """Workspaces following a server with the test heartbeat; closed (fast) at teardown."""
    opened: list[Workspace] = []

    def make(
        result: LoginResult, url: str, *, poll: float = NEVER, realtime: bool = True
    ) -> Workspace:
        ws = open_workspace(
            result.cache_path,
            url,
            result.token,
            result.user,
            poll_interval=poll,
            realtime=RealtimeOptions(enabled=realtime, heartbeat_s=HEARTBEAT_S),
        )
        opened.append(ws)
        ws.start()
        return ws

    yield make
    for ws in opened:
        ws.close()


def direct_conversation(admin: httpx.Client) -> dict[str, Any]:
    items = admin.get("/v1/conversations", params={"limit": 500}).json()["items"]
    return next(c for c in items if c["kind"] == "direct")


def post_inbound(admin: httpx.Client, conversation: dict[str, Any], body: str = "") -> str:
    """A reply from the conversation's contact, through the carrier simulator; returns it."""
    numbers = admin.get("/v1/numbers").json()["items"]
    business = next(n["e164"] for n in numbers if n["id"] == conversation["number_id"])
    text = body or f"Inbound {uuid.uuid4().hex[:8]}"
    inbound = {"from": conversation["phone"], "to": [business], "body": text}
    response = admin.post("/v1/simulator/inbound", json=inbound)
    assert response.status_code == 201, response.text
    return text


def server_messages(admin: httpx.Client, conversation_id: str) -> list[dict[str, Any]]:
    """Every message of the conversation on the server, newest first."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 500, "cursor": cursor} if cursor else {"limit": 500}
        page = admin.get(f"/v1/conversations/{conversation_id}/messages", params=params).json()
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


def has_body(ws: Workspace, conversation_id: str, body: str) -> bool:
    return any(m.body == body for m in ws.conversations.messages(conversation_id, limit=50))
