"""Notifications of group messages: email through a real SMTP server (aiosmtpd) and push through
a real HTTP receiver, both on loopback; failures are retried, recorded, and never hold up the
send."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import contact_named, page_all, sync_all, wait_for
from tests.backend.receivers import HttpSink, Mail, http_sink, signature_ok, smtp_server
from tests.backend.test_group_messages import group_with, send
from tests.support.backend_process import BackendProcess, sqlite_url

PUSH_SECRET = "push-signing-key-for-tests-0123"
FAST_RETRIES = {"CONSOLE_RETRY_BASE_S": "0.05", "CONSOLE_JOB_POLL_S": "0.05",
                "CONSOLE_PUSH_SECRET": PUSH_SECRET}


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[str, list[Mail]]]:
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="module")
def push() -> Iterator[HttpSink]:
    with http_sink() as sink:
        yield sink


@pytest.fixture(scope="module")
def notifying(
    tmp_path_factory: pytest.TempPathFactory, smtp: tuple[str, list[Mail]], push: HttpSink
) -> Iterator[httpx.Client]:
    db = sqlite_url(tmp_path_factory.mktemp("notify") / "backend.db")
    backend = BackendProcess(
        db,
        args=["--seed", "demo", "--smtp", smtp[0], "--smtp-from", "Realty <news@realty.test>",
              "--push-url", f"{push.url}/push", "--allow-private-webhooks"],
        env=FAST_RETRIES,
    ).start()
    client = backend.client(backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD))
    yield client
    client.close()
    backend.stop()


def _records(client: httpx.Client, group_message_id: str) -> list[dict[str, Any]]:
    return page_all(client, f"/v1/group-messages/{group_message_id}/notifications", limit=100)


def _settled(client: httpx.Client, group_message_id: str, count: int) -> list[dict[str, Any]]:
    def probe() -> list[dict[str, Any]] | None:
        records = _records(client, group_message_id)
        done = [r for r in records if r["state"] != "pending"]
        return records if len(records) == count and len(done) == count else None

    return wait_for(probe, timeout=10)


def test_each_recipient_gets_an_email_and_a_push(
    notifying: httpx.Client, smtp: tuple[str, list[Mail]], push: HttpSink
) -> None:
    # Maria and Aisha have email addresses; Mason has none (push only).
    group = group_with(notifying, ["Maria Gonzalez", "Aisha Patel", "Mason Wright"])
    sent = send(notifying, group["id"], "Doors open at 1pm.", title="Open house Sunday").json()
    records = _settled(notifying, sent["id"], 5)
    assert {(r["channel"], r["state"]) for r in records} == {("email", "delivered"),
                                                            ("push", "delivered")}
    assert sorted(r["target"] for r in records if r["channel"] == "email") == [
        "aisha.patel@example.com", "maria.gonzalez@example.com"]
    assert all(r["attempts"] == 1 and r["last_error"] is None for r in records)

    mails = [m for m in smtp[1] if m.message["Subject"] == "Open house Sunday"]
    assert sorted(r for m in mails for r in m.recipients) == [
        "aisha.patel@example.com", "maria.gonzalez@example.com"]
    assert mails[0].message["From"] == "Realty <news@realty.test>"
    assert "Ava Thompson sent you a message" in mails[0].message.get_payload()
    assert "Doors open at 1pm." in mails[0].message.get_payload()

    pushes = [json.loads(r.body) for r in push.ok() if json.loads(r.body)[
        "group_message_id"] == sent["id"]]
    mason = contact_named(notifying, "Mason Wright")
    assert len(pushes) == 3
    mine = next(p for p in pushes if p["contact_id"] == mason["id"])
    assert (mine["type"], mine["title"], mine["body"], mine["sender_name"]) == (
        "group_message", "Open house Sunday", "Doors open at 1pm.", "Ava Thompson")
    inbox = notifying.get(f"/v1/people/{mason['id']}/messages").json()["items"]
    assert mine["message_id"] == inbox[0]["id"]
    for received in push.received:
        assert received.path == "/push"
        assert signature_ok(PUSH_SECRET, received.body, received.headers["x-console-signature"])


def test_people_with_do_not_disturb_get_no_notification(
    notifying: httpx.Client, push: HttpSink
) -> None:
    group = group_with(notifying, ["Harper Lewis", "Jack Murphy"])  # Harper has DND on
    sent = send(notifying, group["id"], "Quiet hours").json()
    records = _settled(notifying, sent["id"], 1)
    jack = contact_named(notifying, "Jack Murphy")
    assert [(r["channel"], r["contact_id"]) for r in records] == [("push", jack["id"])]
    assert sent["recipient_count"] == 2  # the message itself still reaches both


def test_a_failing_push_is_retried_and_recorded_while_the_send_succeeds(
    notifying: httpx.Client, push: HttpSink
) -> None:
    push.status = 503
    try:
        group = group_with(notifying, ["Ethan Brooks"])
        response = send(notifying, group["id"], "Retry me")
        assert response.status_code == 201  # the send does not wait for notifications
        sent = response.json()
        ethan = contact_named(notifying, "Ethan Brooks")
        assert notifying.get(f"/v1/people/{ethan['id']}/messages").json()["items"][0][
            "body"] == "Retry me"

        def failing_twice() -> dict[str, Any] | None:
            records = _records(notifying, sent["id"])
            return records[0] if records and records[0]["attempts"] >= 2 else None

        record = wait_for(failing_twice, timeout=10)
        assert record["state"] == "pending"
        assert record["last_error"] == "HTTP 503"
        assert record["response_status"] == 503
    finally:
        push.status = 200
    record = _settled(notifying, sent["id"], 1)[0]
    assert record["state"] == "delivered"
    assert record["attempts"] >= 3
    assert record["last_error"] is None
    tries = [r for r in push.received if json.loads(r.body)["group_message_id"] == sent["id"]]
    assert len({r.headers["x-console-delivery"] for r in tries}) == 1  # one delivery, retried
    assert len(push.ok()) == len({json.loads(r.body)["delivery_id"] for r in push.ok()})


def test_an_unreachable_smtp_server_is_recorded_and_never_blocks(tmp_path: Path) -> None:
    with http_sink() as push:
        backend = BackendProcess(
            sqlite_url(tmp_path / "backend.db"),
            args=["--seed", "demo", "--smtp", "smtp://127.0.0.1:9", "--push-url", push.url,
                  "--allow-private-webhooks"],
            env=FAST_RETRIES,
        ).start()
        try:
            with backend.client(backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)) as client:
                group = group_with(client, ["Maria Gonzalez"])
                response = send(client, group["id"], "Mail server down")
                assert response.status_code == 201

                def email_failed_twice() -> dict[str, Any] | None:
                    records = _records(client, response.json()["id"])
                    mail = [r for r in records if r["channel"] == "email"]
                    return mail[0] if mail and mail[0]["attempts"] >= 2 else None

                record = wait_for(email_failed_twice, timeout=10)
                assert record["state"] == "pending"
                assert "Connection refused" in (record["last_error"] or "")
                pushed = [r for r in _records(client, response.json()["id"])
                          if r["channel"] == "push"]
                assert wait_for(lambda: push.ok())  # the other channel is unaffected
                assert pushed
        finally:
            backend.stop()
        assert not any("Traceback" in line for line in backend.log_lines), backend.log_lines


def test_bad_notification_settings_are_refused_at_start(tmp_path: Path) -> None:
    for args, reason in (
        (["--smtp", "http://mail.example"], "--smtp"),
        (["--push-url", "not a url"], "--push-url"),
    ):
        backend = BackendProcess(sqlite_url(tmp_path / "bad.db"), args=args)
        with pytest.raises(RuntimeError) as failure:
            backend.start(timeout=20)
        assert reason in str(failure.value)


def test_failed_notifications_are_counted_in_the_group_messages_statistics(
    tmp_path: Path, push: HttpSink
) -> None:
    """The mail server refuses every connection, so each email fails for good once its
    retries run out: the group message's `notification_failures` counts them, over GET and as
    a feed change, while the pushes that went out are not failures."""
    backend = BackendProcess(
        sqlite_url(tmp_path / "backend.db"),
        args=["--seed", "demo", "--smtp", "smtp://127.0.0.1:9", "--push-url",
              f"{push.url}/push", "--allow-private-webhooks"],
        env=FAST_RETRIES,
    ).start()
    try:
        with backend.client(backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)) as client:
            group = group_with(client, ["Maria Gonzalez", "Jack Murphy"])
            _, cursor = sync_all(client)
            sent = send(client, group["id"], "Mail server down").json()
            assert sent["stats"]["notification_failures"] == 0

            def settled() -> list[dict[str, Any]] | None:
                records = _records(client, sent["id"])
                done = records and all(r["state"] != "pending" for r in records)
                return records if done else None

            records = wait_for(settled, timeout=60)
            emails = [r for r in records if r["channel"] == "email"]
            assert emails
            assert all(r["state"] == "failed" for r in emails)
            assert all(r["state"] == "delivered" for r in records if r["channel"] == "push")
            seen = client.get(f"/v1/group-messages/{sent['id']}").json()
            assert seen["stats"]["notification_failures"] == len(emails)
            changes, _ = sync_all(client, cursor)
            counts = [e["data"]["stats"]["notification_failures"] for e in changes
                      if e["type"] == "group_message.upserted" and e["data"]["id"] == sent["id"]]
            assert counts[0] == 0
            assert counts[-1] == len(emails)
    finally:
        backend.stop()
