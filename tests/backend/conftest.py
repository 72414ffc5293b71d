"""Backend API tests: one seeded backend subprocess for this package, httpx clients per user."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from console.backend.db import Database
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PASSWORD
from tests.backend.pg import fresh_database, needs_postgres
from tests.support.backend_process import BackendProcess, sqlite_url

T = TypeVar("T")

ADMIN = DEMO_ADMIN_EMAIL
OTHER_ADMIN = "marcus.admin@demo.example"
USER_ALL = "priya.agent@demo.example"
USER_ASSIGNED = "diego.agent@demo.example"
PASSWORDS = {ADMIN: DEMO_ADMIN_PASSWORD}
PROBLEM = "application/problem+json"


def wait_for(probe: Callable[[], T | None], *, timeout: float = 5.0, interval: float = 0.02) -> T:
    """Poll `probe` until it returns something truthy; fail with a clear message at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert "Traceback" not in response.text
    return body


@dataclass
class Api:
    """The package backend plus signed-in clients for the demo staff."""

    backend: BackendProcess
    clients: dict[str, httpx.Client]

    def as_(self, email: str) -> httpx.Client:
        if email not in self.clients:
            token = self.backend.login(email, PASSWORDS.get(email, DEMO_PASSWORD))
            self.clients[email] = self.backend.client(token)
        return self.clients[email]

    @property
    def admin(self) -> httpx.Client:
        return self.as_(ADMIN)

    def anonymous(self) -> httpx.Client:
        return self.backend.client()

    def me(self, email: str) -> dict[str, Any]:
        data: dict[str, Any] = self.as_(email).get("/v1/me").json()
        return data


@pytest.fixture(
    scope="package",
    params=["sqlite", pytest.param("postgresql", marks=needs_postgres)],
)
def backend_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Every API test runs on SQLite (embedded) and on PostgreSQL (production) when
    CONSOLE_TEST_PG_URL names a server (the test command starts one)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path_factory.mktemp("backend-api") / "backend.db")
        return
    with fresh_database() as url:
        yield url


@pytest.fixture(scope="package")
def api(backend_db: str) -> Iterator[Api]:
    """Tests here write (contacts, messages): they get their own backend, not the shared demo."""
    backend = BackendProcess(backend_db, args=["--seed", "demo"]).start()
    api = Api(backend, {})
    yield api
    for client in api.clients.values():
        client.close()
    backend.stop()


def page_all(client: httpx.Client, path: str, *, limit: int, **params: Any) -> list[dict[str, Any]]:
    """Walk a list route page by page; checks every page's size and the cursor chain."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(1000):
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = client.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= limit
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        assert len(page["items"]) == limit
    raise AssertionError("cursor chain does not end")


def numbers_by_label(client: httpx.Client) -> dict[str, dict[str, Any]]:
    return {n["label"]: n for n in client.get("/v1/numbers").json()["items"]}


def contact_named(client: httpx.Client, name: str) -> dict[str, Any]:
    items = client.get("/v1/contacts", params={"q": name}).json()["items"]
    matches: list[dict[str, Any]] = [c for c in items if c["name"] == name]
    assert len(matches) == 1, items
    return matches[0]


def sync_all(client: httpx.Client, since: str | None = None) -> tuple[list[dict[str, Any]], str]:
    events: list[dict[str, Any]] = []
    for _ in range(1000):
        params: dict[str, Any] = {"limit": 500}
        if since is not None:
            params["since"] = since
        response = client.get("/v1/sync", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        events.extend(page["events"])
        since = page["next"]
        if not page["has_more"]:
            assert since is not None
            return events, since
    raise AssertionError("sync does not end")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database with no schema yet, on SQLite and on PostgreSQL: migration tests build it up
    to an old revision, fill it as that revision's code would, then upgrade."""
    if request.param == "sqlite":
        db = Database(sqlite_url(tmp_path / "old.db"))
        yield db
        db.dispose()
        return
    with fresh_database() as url:
        db = Database(url)
        yield db
        db.dispose()
