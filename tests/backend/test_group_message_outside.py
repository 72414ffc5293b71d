"""What a group message sends outside, end to end on SQLite and on PostgreSQL: a real SMTP server
(aiosmtpd) gets the email notifications, and a real HTTP receiver on loopback standing in for an
integration gets the person's reply and never the group message. (test_notifications.py and
test_integrations.py go into retries and failures, on SQLite.)"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import contact_named, page_all, wait_for
from tests.backend.pg import fresh_database, needs_postgres
from tests.backend.receivers import HttpSink, Mail, http_sink, signature_ok, smtp_server
from tests.backend.test_group_messages import group_with, in_app_thread, send
from tests.support.backend_process import BackendProcess, sqlite_url

FAST = {"CONSOLE_RETRY_BASE_S": "0.05", "CONSOLE_JOB_POLL_S": "0.05"}


@dataclass
class Outside:
    admin: httpx.Client
    mail: list[Mail]
    hook: HttpSink
    secret: str


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=needs_postgres)]
)
def outside(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Outside]:
    with smtp_server() as (smtp_url, mail), http_sink() as push, http_sink() as hook:
        if request.param == "sqlite":
            yield from _running(sqlite_url(tmp_path_factory.mktemp("out") / "b.db"),
                                smtp_url, mail, push, hook)
        else:
            with fresh_database() as url:
                yield from _running(url, smtp_url, mail, push, hook)


def _running(
    url: str, smtp_url: str, mail: list[Mail], push: HttpSink, hook: HttpSink
) -> Iterator[Outside]:
    backend = BackendProcess(
        url,
        args=["--seed", "demo", "--smtp", smtp_url, "--smtp-from", "Realty <news@realty.test>",
              "--push-url", f"{push.url}/push", "--allow-private-webhooks"],
        env=FAST,
    ).start()
    admin = backend.client(backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD))
    secret = f"whsec_{uuid.uuid4().hex}"
    created = admin.post("/v1/integrations", json={"url": f"{hook.url}/hook", "secret": secret})
    assert created.status_code == 201, created.text
    try:
        yield Outside(admin, mail, hook, secret)
    finally:
        admin.close()
        backend.stop()


def test_the_smtp_server_gets_each_recipients_email(outside: Outside) -> None:
    group = group_with(outside.admin, ["Maria Gonzalez", "Aisha Patel"])
    sent = send(outside.admin, group["id"], "Doors open at 1pm.", title="Open house mail")
    assert sent.status_code == 201, sent.text

    def arrived() -> list[Mail] | None:
        mails = [m for m in outside.mail if m.message["Subject"] == "Open house mail"]
        return mails if len(mails) == 2 else None

    mails = wait_for(arrived, timeout=15)
    assert sorted(r for m in mails for r in m.recipients) == [
        "aisha.patel@example.com", "maria.gonzalez@example.com"]
    assert all(m.message["From"] == "Realty <news@realty.test>" for m in mails)
    assert all("Doors open at 1pm." in m.message.get_payload() for m in mails)
    records = page_all(outside.admin, f"/v1/group-messages/{sent.json()['id']}/notifications",
                       limit=50)
    assert {(r["channel"], r["target"]) for r in records if r["channel"] == "email"} == {
        ("email", "aisha.patel@example.com"), ("email", "maria.gonzalez@example.com")}


def test_the_integration_gets_the_reply_and_never_the_group_message(outside: Outside) -> None:
    group = group_with(outside.admin, ["Tom Nguyen", "Lily Chen"])
    sent = send(outside.admin, group["id"], "Price drop on Oak St", title="Oak St").json()
    tom = contact_named(outside.admin, "Tom Nguyen")
    reply = outside.admin.post(f"/v1/people/{tom['id']}/replies",
                               json={"body": "How much now?"})
    assert reply.status_code == 201, reply.text

    def about_reply() -> list[dict[str, Any]] | None:
        bodies = [json.loads(r.body) for r in outside.hook.ok()]
        mine = [b for b in bodies if b["data"]["message"]["id"] == reply.json()["id"]]
        return mine or None

    calls = wait_for(about_reply, timeout=15)
    assert len(calls) == 1
    assert calls[0]["type"] == "message.inbound"
    assert calls[0]["data"]["message"]["body"] == "How much now?"
    thread = in_app_thread(outside.admin, tom["id"])
    assert thread is not None
    assert calls[0]["data"]["conversation"]["id"] == thread["id"]
    assert all(signature_ok(outside.secret, r.body, r.headers["x-console-signature"])
               for r in outside.hook.ok())
    # The reply was forwarded after the send: had the send been forwarded, it is there by now.
    copies = {m["id"] for person in ("Tom Nguyen", "Lily Chen")
              for m in outside.admin.get(
                  f"/v1/people/{contact_named(outside.admin, person)['id']}/messages"
              ).json()["items"] if m["group_message_id"] == sent["id"]}
    forwarded = [json.loads(r.body) for r in outside.hook.received]
    assert len(copies) == 2
    assert not copies & {b["data"]["message"]["id"] for b in forwarded}
    assert "Price drop on Oak St" not in json.dumps(forwarded)
