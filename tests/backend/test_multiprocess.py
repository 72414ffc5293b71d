"""Several `serve` processes on one database: starting together, and events written through one
reaching the event streams of another (PostgreSQL: LISTEN/NOTIFY; SQLite: a poll)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import psycopg
import pytest

from console.backend.feed_notify import libpq_dsn
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import sync_all, wait_for
from tests.backend.pg import fresh_database, needs_postgres, skip_without_postgres
from tests.backend.sse_client import SseStream, open_stream
from tests.support.backend_process import BackendProcess, sqlite_url

DATABASES = ["sqlite", pytest.param("postgres", marks=needs_postgres)]
# Far longer than the waits below: on PostgreSQL an event can only arrive by NOTIFY.
NOTIFY_ONLY = {"CONSOLE_FEED_LISTEN_POLL_S": "600"}


@contextmanager
def database_url(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield sqlite_url(tmp_path / "shared.db")
    else:
        with fresh_database() as url:
            yield url


@contextmanager
def processes(url: str, count: int, env: dict[str, str]) -> Iterator[list[BackendProcess]]:
    """`count` serve processes started at the same moment on one fresh database, all seeding."""
    started: list[BackendProcess] = []

    def start(_: int) -> BackendProcess:
        process = BackendProcess(url, args=["--seed", "demo"], env=env)
        started.append(process)
        return process.start(timeout=60)

    try:
        with ThreadPoolExecutor(max_workers=count) as pool:
            yield list(pool.map(start, range(count)))
    finally:
        for process in started:
            process.stop()


@pytest.mark.parametrize("database", DATABASES)
def test_processes_starting_together_on_a_fresh_database_migrate_and_seed_once(
    database: str, tmp_path: Path
) -> None:
    with database_url(database, tmp_path) as url, processes(url, 3, {}) as started:
        cursors = []
        for process in started:
            token = process.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
            with process.client(token) as http:
                events, cursor = sync_all(http)
                cursors.append(cursor)
                contacts = http.get("/v1/contacts", params={"limit": 500}).json()["items"]
            assert len(contacts) == 40  # seeded once, not three times
            assert len([e for e in events if e["type"] == "user.upserted"]) == 4
        assert len(set(cursors)) == 1  # one feed, one epoch: a cursor works on every process


def _streamed_contact(contact_id: str, stream: SseStream) -> bool:
    """Whether an event about `contact_id` came down `stream`."""
    return contact_id in {e.json()["data"]["id"] for e in stream.events}


@pytest.mark.parametrize("database", DATABASES)
def test_an_event_written_through_one_process_reaches_streams_on_another(
    database: str, tmp_path: Path
) -> None:
    with database_url(database, tmp_path) as url, processes(url, 2, NOTIFY_ONLY) as (a, b):
        token_a = a.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        token_b = b.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        with a.client(token_a) as http_a:
            _, cursor = sync_all(http_a)
            with open_stream(b.url, token_b, since=cursor) as on_b:
                for round_ in range(3):
                    name = f"Cross {round_} {uuid.uuid4().hex[:6]}"
                    created = http_a.post("/v1/contacts", json={"name": name})
                    assert created.status_code == 201
                    contact_id = created.json()["id"]
                    on_b.wait_until(partial(_streamed_contact, contact_id), timeout=3)


@pytest.mark.postgres
@skip_without_postgres
def test_streams_keep_up_when_the_listen_connection_is_cut(tmp_path: Path) -> None:
    """The LISTEN connection dies: the fast poll covers the gap and LISTEN comes back."""
    with database_url("postgres", tmp_path) as url, processes(url, 2, {}) as (a, b):
        token_a = a.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        token_b = b.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)

        def listeners(connection: psycopg.Connection[tuple[int]]) -> list[int]:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN%'"
                " AND datname = current_database()"
            ).fetchall()
            return [row[0] for row in rows]

        with psycopg.connect(libpq_dsn(url), autocommit=True) as admin, \
                a.client(token_a) as http_a:
            wait_for(lambda: len(listeners(admin)) == 2)
            for pid in listeners(admin):
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            _, cursor = sync_all(http_a)
            with open_stream(b.url, token_b, since=cursor) as on_b:
                contact_id = http_a.post("/v1/contacts", json={"name": "After cut"}).json()["id"]
                on_b.wait_until(
                    lambda s: contact_id in {e.json()["data"]["id"] for e in s.events},
                    timeout=5,
                )
            wait_for(lambda: len(listeners(admin)) == 2, timeout=10)


@pytest.mark.postgres
@skip_without_postgres
def test_revoking_a_token_through_one_process_ends_its_stream_on_another(
    tmp_path: Path,
) -> None:
    with database_url("postgres", tmp_path) as url, processes(url, 2, NOTIFY_ONLY) as (a, b):
        token = a.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        with open_stream(b.url, token) as on_b:
            on_b.wait_until(lambda s: bool(s.items))
            with a.client(token) as http_a:
                assert http_a.delete("/v1/auth/token").status_code == 204
            on_b.wait_ended(timeout=3)  # NOTIFY, not the 15 s heartbeat
            assert on_b.ended_cleanly
