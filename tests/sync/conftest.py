"""Fixtures for sync tests: a signed-in profile on a real backend, and condition waits."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import httpx
import pytest

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import AuthService, LoginResult
from console.services.workspace import Workspace, open_workspace
from tests.support.backend_process import BackendProcess, sqlite_url

T = TypeVar("T")
POLL = 0.1


def wait_for(
    condition: Callable[[], T | None], *, timeout: float = 10.0, what: str = "condition"
) -> T:
    """Poll `condition` until it returns something truthy; fail with `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


@pytest.fixture(autouse=True)
def no_leftover_sync_threads() -> Iterator[None]:
    """Every engine a test starts must be stopped by the end of it."""
    yield
    deadline = time.monotonic() + 3.0
    while True:
        alive = [
            t.name
            for t in threading.enumerate()
            if t.name in ("console-sync", "console-sync-child")
        ]
        if not alive:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"sync engine threads left running: {alive}")
        time.sleep(0.02)


@pytest.fixture
def auth() -> AuthService:
    return AuthService()


@pytest.fixture
def sync_backend(fresh_backend: BackendProcess) -> BackendProcess:
    """The backend `session` and `admin_http` talk to: the test's own unless its module shares
    one (a module whose tests each sign in with a cache of their own and make their own data
    overrides this with `module_backend`)."""
    return fresh_backend


@pytest.fixture(scope="module")
def module_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    """One seeded backend for a whole module (see `sync_backend`)."""
    db = tmp_path_factory.mktemp("sync-module-backend") / "backend.db"
    backend = BackendProcess(sqlite_url(db), args=["--seed", "demo"]).start()
    yield backend
    backend.stop()


@pytest.fixture
def session(sync_backend: BackendProcess, auth: AuthService) -> LoginResult:
    return auth.login(sync_backend.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)


@pytest.fixture
def sync_process() -> bool:
    """Whether open_ws runs the sync engine in a child process (test_sync_child_process.py
    overrides this; the other sync tests keep it on a thread, where they can reach into it)."""
    return False


@pytest.fixture
def open_ws(sync_process: bool) -> Iterator[Callable[..., Workspace]]:
    """Open workspaces that are closed (and checked to close fast) at teardown."""
    opened: list[Workspace] = []

    def make(result: LoginResult, token: str | None = "", *, start: bool = True) -> Workspace:
        ws = open_workspace(
            result.cache_path,
            result.server_url,
            result.token if token == "" else token,
            result.user,
            poll_interval=POLL,
            sync_process=sync_process,
        )
        opened.append(ws)
        if start:
            ws.start()
        return ws

    yield make
    for ws in opened:
        began = time.monotonic()
        ws.close()
        assert time.monotonic() - began < 2.0, "Workspace.close() took too long"


@pytest.fixture
def admin_http(sync_backend: BackendProcess, session: LoginResult) -> Iterator[httpx.Client]:
    """The test's own view of the server (a separate token: the workspace's may be revoked)."""
    token = sync_backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    with sync_backend.client(token) as client:
        yield client
