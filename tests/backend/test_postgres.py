"""The backend on PostgreSQL (needs CONSOLE_TEST_PG_URL, e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/postgres; each run makes and drops its own database).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import sync_all
from tests.backend.flows import (
    concurrent_sends_are_exactly_once_and_the_feed_has_no_gaps,
    group_chat_fan_out_stop_and_start,
)
from tests.support.backend_process import BackendProcess

SERVER_URL = os.environ.get("CONSOLE_TEST_PG_URL", "")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not SERVER_URL, reason="set CONSOLE_TEST_PG_URL to test on PostgreSQL"),
]


@pytest.fixture(scope="module")
def pg_backend() -> Iterator[BackendProcess]:
    server = make_url(SERVER_URL)
    name = f"console_test_{uuid.uuid4().hex[:10]}"
    admin_dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    backend = BackendProcess(
        server.set(database=name).render_as_string(hide_password=False), args=["--seed", "demo"]
    ).start()
    try:
        yield backend
    finally:
        backend.stop()
        with psycopg.connect(admin_dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_seeded_feed_and_lists_work_on_postgres(pg_backend: BackendProcess) -> None:
    token = pg_backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    with pg_backend.client(token) as http:
        events, _ = sync_all(http)
        assert len({e["data"]["id"] for e in events if e["type"] == "contact.upserted"}) == 40
        found = http.get("/v1/contacts", params={"q": "(646) 555"}).json()["items"]
        assert "James Whitaker" in {c["name"] for c in found}
        first = http.get("/v1/conversations", params={"limit": 3}).json()
        rest = http.get("/v1/conversations", params={"cursor": first["next_cursor"]}).json()
        ids = [c["id"] for c in first["items"] + rest["items"]]
        # 8 direct threads, 3 group SMS chats, 9 in-app (the demo group message's recipients)
        assert len(ids) == len(set(ids)) == 20


def test_concurrent_sends_on_postgres(pg_backend: BackendProcess) -> None:
    token = pg_backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    concurrent_sends_are_exactly_once_and_the_feed_has_no_gaps(
        lambda: pg_backend.client(token), "+16175550185"
    )


def test_group_chats_and_opt_out_on_postgres(pg_backend: BackendProcess) -> None:
    token = pg_backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    with pg_backend.client(token) as http:
        group_chat_fan_out_stop_and_start(http, ["+12525550101", "+12525550102", "+12525550103"])
        chats = http.get("/v1/conversations", params={"kind": "group_sms"}).json()["items"]
        assert {c["title"] for c in chats} >= {"Oak Street closing", "42 Maple Ave offer"}
