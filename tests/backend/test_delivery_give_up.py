"""A delivery whose job gives up is recorded failed with a reason, never left pending; an email
address that is not one plain address (kept from before addresses were checked) is never mailed.

A real backend, a real SMTP server (aiosmtpd) on loopback, SQLite and PostgreSQL. The bad
addresses are written straight into the database, as data from an older version would be.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from console.backend import models
from console.backend.db import Database
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import contact_named, page_all, wait_for
from tests.backend.pg import fresh_database, needs_postgres
from tests.backend.receivers import Mail, smtp_server
from tests.backend.test_group_messages import group_with, send
from tests.support.backend_process import BackendProcess, sqlite_url

# Eight attempts 0.01 s apart (doubling): a job that dies does so within a few seconds.
FAST = {"CONSOLE_RETRY_BASE_S": "0.01", "CONSOLE_JOB_POLL_S": "0.05"}
BAD_ADDRESSES = {
    "Maria Gonzalez": "maria@example.com\r\nBcc: everyone@example.com",
    "Aisha Patel": "aisha@example.com, boss@example.com",
}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path_factory.mktemp("give-up") / "backend.db")
        return
    with fresh_database() as url:
        yield url


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[str, list[Mail]]]:
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="module")
def admin(db_url: str, smtp: tuple[str, list[Mail]]) -> Iterator[httpx.Client]:
    backend = BackendProcess(db_url, args=["--seed", "demo", "--smtp", smtp[0]], env=FAST).start()
    try:
        client = backend.client(backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD))
        db = Database(db_url)
        try:
            with db.writing() as session:
                for name, address in BAD_ADDRESSES.items():
                    contact_id = contact_named(client, name)["id"]
                    session.execute(
                        update(models.Contact).where(models.Contact.id == contact_id)
                        .values(email=address)
                    )
        finally:
            db.dispose()
        yield client
        client.close()
    finally:
        backend.stop()


def _settled(client: httpx.Client, group_message_id: str, count: int) -> list[dict[str, Any]]:
    def probe() -> list[dict[str, Any]] | None:
        records = page_all(
            client, f"/v1/group-messages/{group_message_id}/notifications", limit=100
        )
        done = [r for r in records if r["state"] != "pending"]
        return records if len(records) == count and len(done) == count else None

    return wait_for(probe, timeout=20)


def test_a_bad_stored_address_fails_its_delivery_with_a_reason_and_mails_no_one(
    admin: httpx.Client, smtp: tuple[str, list[Mail]]
) -> None:
    group = group_with(admin, [*BAD_ADDRESSES, "Daniel Cohen"])
    title = f"Give-up probe {uuid.uuid4().hex[:8]}"
    sent = send(admin, group["id"], "Price drop on Elm St.", title=title).json()
    records = {r["target"]: r for r in _settled(admin, sent["id"], 3)}
    assert records["dcohen@example.com"]["state"] == "delivered"
    for address in BAD_ADDRESSES.values():
        record = records[address]
        assert record["state"] == "failed", record
        assert "email address" in (record["last_error"] or ""), record
    mails = [m for m in smtp[1] if m.message["Subject"] == title]
    assert [r for m in mails for r in m.recipients] == ["dcohen@example.com"]


def test_a_stored_url_httpx_cannot_use_fails_its_delivery_at_once(
    admin: httpx.Client, db_url: str
) -> None:
    """A port past 65535 (accepted before URLs were checked): httpx's InvalidURL is no
    HTTPError, so the call was retried eight times; trying again cannot help."""
    integration_id = f"int_{uuid.uuid4().hex}"
    db = Database(db_url)
    try:
        with db.writing() as session:
            session.add(models.Integration(
                id=integration_id, url="http://a.example:99999/hook", secret="s" * 24,
                events=None, created_by_user_id=None,
            ))
    finally:
        db.dispose()
    maria = contact_named(admin, "Maria Gonzalez")
    reply = admin.post("/v1/simulator/app-reply",
                       json={"contact_id": maria["id"], "body": "Is it still available?"})
    assert reply.status_code in (200, 201), reply.text

    def settled() -> list[dict[str, Any]] | None:
        records = page_all(admin, f"/v1/integrations/{integration_id}/deliveries", limit=50)
        return records if records and all(r["state"] != "pending" for r in records) else None

    for record in wait_for(settled, timeout=20):
        assert record["state"] == "failed", record
        assert record["attempts"] == 1, record
        assert "URL" in (record["last_error"] or ""), record
