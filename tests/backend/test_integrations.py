"""Integrations: signed webhooks to a real HTTP receiver on loopback. People's replies are
forwarded, group messages never; failures are retried with backoff and recorded."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PASSWORD
from tests.backend.conftest import USER_ALL, assert_problem, contact_named, page_all, wait_for
from tests.backend.receivers import HttpSink, Received, http_sink, signature_ok
from tests.backend.test_group_messages import group_with, in_app_thread, send
from tests.support.backend_process import BackendProcess, sqlite_url

FAST_RETRIES = {"CONSOLE_RETRY_BASE_S": "0.05", "CONSOLE_JOB_POLL_S": "0.05"}


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    db = sqlite_url(tmp_path_factory.mktemp("integrations") / "backend.db")
    # Its receivers are on loopback, which integrations may reach only with this flag.
    process = BackendProcess(
        db, args=["--seed", "demo", "--allow-private-webhooks"], env=FAST_RETRIES
    ).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def admin(backend: BackendProcess) -> Iterator[httpx.Client]:
    with backend.client(backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)) as client:
        yield client


@pytest.fixture
def sink() -> Iterator[HttpSink]:
    with http_sink() as receiver:
        yield receiver


def _secret() -> str:
    return f"whsec_{uuid.uuid4().hex}"


@pytest.fixture
def hooked(admin: httpx.Client, sink: HttpSink) -> Iterator[tuple[dict[str, Any], str]]:
    """An integration posting to `sink`, removed after the test (so tests do not hear each
    other)."""
    secret = _secret()
    response = admin.post("/v1/integrations", json={"url": f"{sink.url}/hook", "secret": secret})
    assert response.status_code == 201, response.text
    integration: dict[str, Any] = response.json()
    yield integration, secret
    admin.delete(f"/v1/integrations/{integration['id']}")


def _bodies(sink: HttpSink) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in sink.ok()]


def _calls_about(sink: HttpSink, message_id: str) -> list[Received]:
    return [r for r in sink.ok() if json.loads(r.body)["data"]["message"]["id"] == message_id]


def test_integrations_keep_their_secret_to_themselves(
    backend: BackendProcess, admin: httpx.Client
) -> None:
    secret = _secret()
    created = admin.post("/v1/integrations", json={
        "url": "https://helpdesk.example/hooks/console", "secret": secret,
        "events": ["message.inbound"]})
    assert created.status_code == 201, created.text
    integration = created.json()
    assert "secret" not in integration
    assert integration["secret_hint"] == "…" + secret[-4:]
    assert integration["events"] == ["message.inbound"]
    assert admin.get(f"/v1/integrations/{integration['id']}").json() == integration
    listed = page_all(admin, "/v1/integrations", limit=1)
    assert integration in listed
    assert secret not in json.dumps(listed)
    assert admin.delete(f"/v1/integrations/{integration['id']}").status_code == 204
    assert_problem(admin.get(f"/v1/integrations/{integration['id']}"), 404, "not_found")
    assert integration["id"] not in {i["id"] for i in page_all(admin, "/v1/integrations",
                                                               limit=50)}
    assert not any(secret in line for line in backend.log_lines)


def test_integration_input_is_checked_and_admins_only(
    backend: BackendProcess, admin: httpx.Client
) -> None:
    good = {"url": "https://crm.example/in", "secret": _secret()}
    for bad in ({**good, "url": "ftp://crm.example/in"}, {**good, "secret": "short"},
                {**good, "events": ["group_message.upserted"]}, {**good, "events": []},
                {**good, "url": "https://user:pw@crm.example/in"}):
        assert_problem(admin.post("/v1/integrations", json=bad), 422, "validation_error")
    with backend.client(backend.login(USER_ALL, DEMO_PASSWORD)) as priya:
        assert_problem(priya.get("/v1/integrations"), 403, "forbidden")
        assert_problem(priya.post("/v1/integrations", json=good), 403, "forbidden")


def test_replies_are_forwarded_signed_and_group_messages_never(
    admin: httpx.Client, sink: HttpSink, hooked: tuple[dict[str, Any], str]
) -> None:
    integration, secret = hooked
    group = group_with(admin, ["Maria Gonzalez", "Tom Nguyen"])
    sent = send(admin, group["id"], "New listings this week").json()
    maria = contact_named(admin, "Maria Gonzalez")
    reply = admin.post("/v1/simulator/app-reply",
                       json={"contact_id": maria["id"], "body": "Send me the Oak St one"})
    assert reply.status_code == 201
    message_id = reply.json()["message_id"]

    calls = wait_for(lambda: _calls_about(sink, message_id), timeout=10)
    assert len(calls) == 1
    call = calls[0]
    assert call.path == "/hook"
    assert signature_ok(secret, call.body, call.headers["x-console-signature"])
    assert not signature_ok("another-secret-entirely", call.body,
                            call.headers["x-console-signature"])
    assert call.headers["x-console-event"] == "message.inbound"
    body = json.loads(call.body)
    assert body["id"] == call.headers["x-console-delivery"]
    assert body["type"] == "message.inbound"
    assert body["data"]["message"]["body"] == "Send me the Oak St one"
    assert body["data"]["message"]["direction"] == "in"
    thread = in_app_thread(admin, maria["id"])
    assert thread is not None
    assert body["data"]["conversation"] == {
        "id": thread["id"], "kind": "in_app", "title": "Maria Gonzalez",
        "contact_id": maria["id"], "number_id": None}

    # Nothing about the group message or its per-person copies was forwarded.
    copies = {m["id"] for m in admin.get(f"/v1/people/{maria['id']}/messages").json()["items"]
              if m["group_message_id"] == sent["id"]}
    forwarded = {b["data"]["message"]["id"] for b in _bodies(sink)}
    assert copies
    assert not copies & forwarded
    assert sent["body"] not in json.dumps(_bodies(sink))
    deliveries = page_all(admin, f"/v1/integrations/{integration['id']}/deliveries", limit=50)
    assert [(d["event_type"], d["state"], d["attempts"]) for d in deliveries] == [
        ("message.inbound", "delivered", 1)]


def test_sms_in_and_out_are_forwarded_once_each(
    admin: httpx.Client, sink: HttpSink, hooked: tuple[dict[str, Any], str]
) -> None:
    inbound = admin.post("/v1/simulator/inbound", json={
        "from": "+16175550115", "to": ["+14155550100"], "body": "Is the unit still free?"})
    assert inbound.status_code == 201, inbound.text
    conversation_id = inbound.json()["conversation_id"]
    out = admin.post(f"/v1/conversations/{conversation_id}/messages",
                     json={"body": "Yes, come by at 5"},
                     headers={"Idempotency-Key": str(uuid.uuid4())})
    assert out.status_code == 201, out.text

    def both() -> list[Received] | None:
        seen = _calls_about(sink, inbound.json()["message_id"]) + _calls_about(
            sink, out.json()["id"])
        return seen if len(seen) == 2 else None

    calls = wait_for(both, timeout=10)
    assert [c.headers["x-console-event"] for c in calls] == ["message.inbound",
                                                             "message.outbound"]
    # Its later status changes (sent, delivered) are not forwarded again.
    wait_for(lambda: admin.get(f"/v1/conversations/{conversation_id}/messages").json()[
        "items"][0]["status"] == "delivered")
    assert len(_calls_about(sink, out.json()["id"])) == 1


def test_an_integration_gets_only_the_events_it_asked_for(
    admin: httpx.Client, sink: HttpSink
) -> None:
    created = admin.post("/v1/integrations", json={
        "url": sink.url, "secret": _secret(), "events": ["message.outbound"]}).json()
    try:
        inbound = admin.post("/v1/simulator/inbound", json={
            "from": "+13105550114", "to": ["+14155550102"], "body": "Only inbound"}).json()
        out = admin.post(f"/v1/conversations/{inbound['conversation_id']}/messages",
                         json={"body": "Only outbound"}).json()
        wait_for(lambda: _calls_about(sink, out["id"]), timeout=10)
        assert not _calls_about(sink, inbound["message_id"])
    finally:
        admin.delete(f"/v1/integrations/{created['id']}")


def test_a_failing_receiver_is_retried_with_backoff_and_recorded(
    admin: httpx.Client, sink: HttpSink, hooked: tuple[dict[str, Any], str]
) -> None:
    integration, secret = hooked
    sink.status = 500
    group = group_with(admin, ["Zoe Fischer"])
    send(admin, group["id"], "Ping")
    zoe = contact_named(admin, "Zoe Fischer")
    reply = admin.post("/v1/people/" + zoe["id"] + "/replies", json={"body": "Pong"})
    assert reply.status_code == 201  # the reply is in, whatever the receiver does
    path = f"/v1/integrations/{integration['id']}/deliveries"

    def failed_twice() -> dict[str, Any] | None:
        records = page_all(admin, path, limit=50)
        return records[0] if records and records[0]["attempts"] >= 2 else None

    record = wait_for(failed_twice, timeout=10)
    assert (record["state"], record["last_error"], record["response_status"]) == (
        "pending", "HTTP 500", 500)
    sink.status = 200
    delivered = wait_for(lambda: [r for r in page_all(admin, path, limit=50)
                                  if r["state"] == "delivered"], timeout=10)
    assert delivered[0]["attempts"] >= 3
    assert delivered[0]["last_error"] is None
    tries = [r for r in sink.received if json.loads(r.body)["data"]["message"]["id"]
             == reply.json()["id"]]
    assert len({r.body for r in tries}) == 1  # every retry sends the same signed bytes
    assert all(signature_ok(secret, r.body, r.headers["x-console-signature"]) for r in tries)


def test_removing_an_integration_stops_forwarding_and_gives_up_pending_calls(
    admin: httpx.Client, sink: HttpSink
) -> None:
    sink.status = 503
    created = admin.post("/v1/integrations", json={"url": sink.url, "secret": _secret()}).json()
    first = admin.post("/v1/simulator/inbound", json={
        "from": "+12065550120", "to": ["+14155550100"], "body": "First"}).json()
    path = f"/v1/integrations/{created['id']}/deliveries"
    wait_for(lambda: page_all(admin, path, limit=10)[0]["attempts"] >= 1, timeout=10)
    assert admin.delete(f"/v1/integrations/{created['id']}").status_code == 204
    admin.post("/v1/simulator/inbound", json={
        "from": "+12065550120", "to": ["+14155550100"], "body": "Second"})
    sink.status = 200
    # The pending call gives up at its next try; the second message was never queued.
    records = wait_for(lambda: [r for r in page_all(admin, path, limit=10)
                                if r["state"] == "failed"], timeout=10)
    assert len(page_all(admin, path, limit=10)) == 1
    assert records[0]["last_error"] == "the integration was removed"
    assert not _calls_about(sink, first["message_id"])
