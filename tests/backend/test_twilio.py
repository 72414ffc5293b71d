"""The Twilio carrier, against a stand-in for Twilio's REST API that checks what Twilio's docs
require (Basic auth with the account sid and auth token, form fields To, From, Body,
StatusCallback), and webhooks signed the way Twilio signs them. The backend is the real one,
`serve --carrier twilio`, on SQLite and PostgreSQL. (Twilio itself is a paid service: it is
the one part that cannot run here.)"""

from __future__ import annotations

import itertools
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from console.backend.carrier.twilio_signature import signature_matches, twilio_signature
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.pg import fresh_database, needs_postgres
from tests.backend.twilio_standin import (
    ACCOUNT,
    INVALID_TO_CODE,
    PUBLIC,
    TOKEN,
    FakeTwilio,
    _handler,
    _QuietServer,
)
from tests.support.backend_process import BackendProcess, sqlite_url

# -- the signature, against Twilio's published examples ------------------------------------------

def test_signature_matches_twilios_published_examples() -> None:
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"),
              ("From", "+14158675309"), ("To", "+18005551212")]
    assert twilio_signature("12345", url, params) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert signature_matches("12345", url, list(reversed(params)), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    # A name sent several times: its distinct values, sorted.
    repeated = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"),
                ("Digits", "1234"), ("Digits", "1234")]
    assert twilio_signature("12345", url, repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="
    tampered = [*params[:2], ("Digits", "9999"), *params[3:]]
    assert not signature_matches("12345", url, tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    assert not signature_matches("12345", url + "&x=1", params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    assert not signature_matches("12345", url, params, "")
    assert not signature_matches("12345", url, params, None)


@dataclass
class Setup:
    backend: BackendProcess
    twilio: FakeTwilio
    admin: httpx.Client

    def post_signed(self, path: str, form: dict[str, str], *, sign: bool = True,
                    signature: str | None = None) -> httpx.Response:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if sign:
            headers["X-Twilio-Signature"] = signature or twilio_signature(
                TOKEN, PUBLIC + path, list(form.items())
            )
        with httpx.Client(base_url=self.backend.url, timeout=10) as http:
            return http.post(path, content=urlencode(form), headers=headers)

    def status(self, sid: str, status: str, error_code: str = "") -> None:
        form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": ACCOUNT}
        if error_code:
            form["ErrorCode"] = error_code
        response = self.post_signed("/webhooks/twilio/status", form)
        assert response.status_code == 204, response.text

    def message(self, conversation_id: str, message_id: str) -> dict[str, Any]:
        items = self.admin.get(f"/v1/conversations/{conversation_id}/messages",
                               params={"limit": 500}).json()["items"]
        return next(m for m in items if m["id"] == message_id)

    def send(self, conversation_id: str, body: str) -> dict[str, Any]:
        response = self.admin.post(f"/v1/conversations/{conversation_id}/messages",
                                   json={"body": body},
                                   headers={"Idempotency-Key": uuid.uuid4().hex})
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def conversations(self, kind: str) -> list[dict[str, Any]]:
        items = self.admin.get("/v1/conversations", params={"limit": 500}).json()["items"]
        return [c for c in items if c["kind"] == kind and c["status"] == "active"]


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def twilio_setup(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Setup]:
    ref: list[FakeTwilio] = []
    server = _QuietServer(("127.0.0.1", 0), _handler(ref))
    ref.append(FakeTwilio(server))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": TOKEN,
           "CONSOLE_PUBLIC_URL": PUBLIC, "TWILIO_API_BASE": ref[0].url}

    def run(db_url: str) -> Iterator[Setup]:
        backend = BackendProcess(db_url, args=["--seed", "demo", "--carrier", "twilio"],
                                 env=env).start()
        admin = backend.client(backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD))
        setup = Setup(backend, ref[0], admin)
        try:
            yield setup
        finally:
            admin.close()
            setup.backend.stop()  # a test may have restarted it
            server.shutdown()
            server.server_close()
        # The auth token is a secret: it never reaches the backend's output.
        for process in {id(backend): backend, id(setup.backend): setup.backend}.values():
            assert process.log_lines
            assert not [ln for ln in process.log_lines if TOKEN in ln]

    if request.param == "sqlite":
        yield from run(sqlite_url(tmp_path_factory.mktemp("twilio") / "backend.db"))
    else:
        with fresh_database() as url:
            yield from run(url)


# -- outbound -----------------------------------------------------------------------------------

def test_a_message_goes_to_twilio_and_status_callbacks_move_it_forward(
    twilio_setup: Setup,
) -> None:
    s = twilio_setup
    chat = s.conversations("direct")[0]
    number = next(n for n in s.admin.get("/v1/numbers").json()["items"]
                  if n["id"] == chat["number_id"])
    sent = s.send(chat["id"], "Open house moved to 3 pm")
    assert sent["status"] == "queued"
    (request,) = wait_for(lambda: s.twilio.to(chat["phone"]), "the REST call")
    assert (request["From"], request["Body"]) == (number["e164"], "Open house moved to 3 pm")
    assert request["StatusCallback"] == PUBLIC + "/webhooks/twilio/status"
    sid = wait_for(lambda: request.get("Sid"), "Twilio's answer")
    time.sleep(0.3)  # nothing moves without a callback
    assert s.message(chat["id"], sent["id"])["status"] == "queued"

    s.status(sid, "sent")
    assert s.message(chat["id"], sent["id"])["status"] == "sent"
    s.status(sid, "delivered")
    assert s.message(chat["id"], sent["id"])["status"] == "delivered"
    s.status(sid, "sent")  # late and out of order: a final status stays
    assert s.message(chat["id"], sent["id"])["status"] == "delivered"
    # A sid that is not ours is acknowledged and changes nothing.
    s.status("SM" + "0" * 32, "failed", "30006")
    assert len(s.twilio.to(chat["phone"])) == 1  # sent exactly once


def test_a_group_chat_message_goes_to_every_participant_once(twilio_setup: Setup) -> None:
    s = twilio_setup
    chat = s.conversations("group_sms")[0]
    phones = [p["phone"] for p in s.admin.get(f"/v1/group-chats/{chat['id']}").json()
              ["participants"]]
    sent = s.send(chat["id"], "Closing moved to Friday")
    copies = wait_for(
        lambda: [m for p in phones for m in s.twilio.to(p) if m["Body"] == sent["body"]
                 and m.get("Sid")] if all(
            any(m["Body"] == sent["body"] and m.get("Sid") for m in s.twilio.to(p))
            for p in phones) else None,
        "a copy for every participant",
    )
    assert sorted(c["To"] for c in copies) == sorted(phones)
    first, *rest = copies
    s.status(first["Sid"], "delivered")
    assert s.message(chat["id"], sent["id"])["status"] == "queued"  # the others are not yet
    for copy in rest[:-1]:
        s.status(copy["Sid"], "delivered")
    s.status(rest[-1]["Sid"], "undelivered", "30006")
    # The others got it, one did not: undelivered with its code, never "delivered"
    # (domain.delivery); who did not get it is in the message's deliveries.
    partly = s.message(chat["id"], sent["id"])
    assert (partly["status"], partly["error_code"]) == ("undelivered", "30006")
    failed = [d for d in partly["deliveries"] if d["status"] == "undelivered"]
    assert [(d["to"], d["error_code"]) for d in failed] == [(rest[-1]["To"], "30006")]


def test_a_refusal_fails_the_message_with_twilios_code_and_busy_is_retried(
    twilio_setup: Setup,
) -> None:
    s = twilio_setup
    refused_chat, busy_chat = s.conversations("direct")[1:3]
    s.twilio.refuse.add(refused_chat["phone"])
    refused = s.send(refused_chat["id"], "Will not reach a landline")
    wait_for(lambda: s.message(refused_chat["id"], refused["id"])["status"] == "failed",
             "the refusal")
    assert s.message(refused_chat["id"], refused["id"])["error_code"] == str(INVALID_TO_CODE)
    assert len(s.twilio.to(refused_chat["phone"])) == 1  # a refusal is not retried

    s.twilio.busy[busy_chat["phone"]] = 2  # 503 twice (Retry-After: 0), then taken
    busy = s.send(busy_chat["id"], "Sent after Twilio was busy")
    wait_for(lambda: any(m.get("Sid") for m in s.twilio.to(busy_chat["phone"])), "the retry")
    assert [m["_answer"][:2] for m in s.twilio.to(busy_chat["phone"])] == ["50", "50", "SM"]
    assert s.message(busy_chat["id"], busy["id"])["status"] == "queued"


def test_a_send_cut_off_by_a_crash_is_not_repeated_after_restart(twilio_setup: Setup) -> None:
    """Killed while Twilio had the request: it may have been sent, so it is never sent again;
    the message says so (unconfirmed) instead of going out twice."""
    s = twilio_setup
    chat = s.conversations("direct")[3]
    s.twilio.hold.add(chat["phone"])
    cut = s.send(chat["id"], "Cut off mid-request")
    wait_for(lambda: s.twilio.to(chat["phone"]), "the request to reach Twilio")
    s.backend.kill()
    s.backend = BackendProcess(s.backend.db_url, args=list(s.backend.args),
                               port=s.backend.port, env=s.backend.env).start()
    failed = wait_for(
        lambda: (m := s.message(chat["id"], cut["id"]))["status"] == "failed" and m,
        "the unconfirmed send to be failed",
    )
    assert failed["error_code"] == "unconfirmed"
    time.sleep(0.5)
    assert len(s.twilio.to(chat["phone"])) == 1  # not sent again
    s.twilio.hold.discard(chat["phone"])


_FRESH = itertools.count()


def _fresh_thread(s: Setup) -> dict[str, Any]:
    """A new contact's 1:1 conversation on the default number (no other test touches it)."""
    number = f"+164655501{next(_FRESH):02d}"
    contact = s.admin.post("/v1/contacts", json={"name": f"Fresh {number[-4:]}",
                                                 "phones": [{"number": number}]})
    assert contact.status_code == 201, contact.text
    main = next(n for n in s.admin.get("/v1/numbers").json()["items"] if n["is_default"])
    opened = s.admin.post("/v1/conversations", json={
        "kind": "direct", "contact_id": contact.json()["id"], "phone": number,
        "number_id": main["id"]})
    assert opened.status_code in (200, 201), opened.text
    thread: dict[str, Any] = opened.json()
    return thread


def test_a_success_answer_without_a_sid_is_unconfirmed_and_never_repeated(
    twilio_setup: Setup,
) -> None:
    """Twilio said 201 but named no message: no status callback can ever match it, so it must
    not wait as queued forever, nor go out again (it may have been sent)."""
    s = twilio_setup
    chat = _fresh_thread(s)
    s.twilio.no_sid.add(chat["phone"])
    try:
        sent = s.send(chat["id"], "Answered without a sid")
        failed = wait_for(
            lambda: (m := s.message(chat["id"], sent["id"]))["status"] == "failed" and m,
            "the sid-less answer to count as unconfirmed",
        )
        assert failed["error_code"] == "unconfirmed"
        time.sleep(0.5)
        assert [m["_answer"] for m in s.twilio.to(chat["phone"])] == ["no sid"]  # once
    finally:
        s.twilio.no_sid.discard(chat["phone"])


# -- the simulator is not there ----------------------------------------------------------------

def test_the_simulator_routes_do_not_exist_with_twilio(twilio_setup: Setup) -> None:
    s = twilio_setup
    contact = s.admin.get("/v1/contacts", params={"limit": 1}).json()["items"][0]
    for method, path, body in (
        ("POST", "/v1/simulator/inbound",
         {"from": "+16465550100", "to": ["+14155550100"], "body": "STOP"}),
        ("GET", "/v1/simulator/outbox", None),
        ("POST", "/v1/simulator/app-reply", {"contact_id": contact["id"], "body": "Hi"}),
    ):
        missing = s.admin.request(method, path, json=body)
        assert missing.status_code == 404, missing.text
        assert missing.headers["content-type"].startswith("application/problem+json")
        assert missing.json()["code"] == "not_found"
    paths = s.admin.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/v1/simulator")]
    # The startup output says which carrier runs, before the line scripts wait for.
    lines = s.backend.log_lines
    listening = next(i for i, ln in enumerate(lines) if ln.startswith("listening on "))
    assert [ln for ln in lines[:listening] if ln.startswith("carrier: ")] == ["carrier: twilio"]


# -- inbound ------------------------------------------------------------------------------------

def _quiet_contact(s: Setup, skip: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A direct conversation whose contact is in no group chat (a STOP there blocks nothing
    another test uses), and its business number."""
    in_groups = {
        p["phone"]
        for chat in s.conversations("group_sms")
        for p in s.admin.get(f"/v1/group-chats/{chat['id']}").json()["participants"]
    }
    # Not one of the first four either: the outbound tests send in those.
    quiet = [c for c in s.conversations("direct")[4:] if c["phone"] not in in_groups]
    chat = quiet[-1 - skip]
    number = next(n for n in s.admin.get("/v1/numbers").json()["items"]
                  if n["id"] == chat["number_id"])
    return chat, number


def test_a_signed_inbound_sms_is_recorded_once_and_forgeries_are_refused(
    twilio_setup: Setup,
) -> None:
    s = twilio_setup
    chat, number = _quiet_contact(s, skip=0)
    body = f"Is the garage included? {uuid.uuid4().hex[:6]}"
    form = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": ACCOUNT,
            "From": chat["phone"], "To": number["e164"], "Body": body, "NumMedia": "1",
            "MediaUrl0": "https://media.example.test/garage.jpg"}

    def arrived() -> list[dict[str, Any]]:
        items = s.admin.get(f"/v1/conversations/{chat['id']}/messages",
                            params={"limit": 500}).json()["items"]
        return [m for m in items if m["body"].startswith(body)]

    # Unsigned, mis-signed, or signed for another URL: 403 and nothing recorded.
    for kwargs in ({"sign": False}, {"signature": "bm90IGEgc2lnbmF0dXJl"},
                   {"signature": twilio_signature(TOKEN, "https://elsewhere.test/webhooks/"
                                                  "twilio/sms", list(form.items()))}):
        refused = s.post_signed("/webhooks/twilio/sms", form, **kwargs)
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["code"] == "forbidden"
    assert arrived() == []

    for _ in range(2):  # Twilio retries a webhook it got no answer to
        answer = s.post_signed("/webhooks/twilio/sms", form)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/xml")
        assert "<Response></Response>" in answer.text
    (message,) = arrived()
    assert message["direction"] == "in"
    assert message["body"] == body + "\nhttps://media.example.test/garage.jpg"


def test_stop_by_twilio_sets_dnd_and_the_confirmation_goes_out_through_twilio(
    twilio_setup: Setup,
) -> None:
    s = twilio_setup
    chat, number = _quiet_contact(s, skip=1)
    form = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": ACCOUNT,
            "From": chat["phone"], "To": number["e164"], "Body": "  stop "}
    assert s.post_signed("/webhooks/twilio/sms", form).status_code == 200
    (confirmation,) = wait_for(lambda: s.twilio.to(chat["phone"]), "the confirmation")
    assert confirmation["From"] == number["e164"]
    assert confirmation["Body"]
    contact_id = chat["contact_id"]
    assert contact_id
    assert s.admin.get(f"/v1/contacts/{contact_id}").json()["dnd"] is True
    refused = s.admin.post(f"/v1/conversations/{chat['id']}/messages", json={"body": "Hi"},
                           headers={"Idempotency-Key": uuid.uuid4().hex})
    assert (refused.status_code, refused.json()["code"]) == (422, "participant_dnd")
    assert len(s.twilio.to(chat["phone"])) == 1  # only the confirmation went out


@pytest.mark.parametrize("keyword", ["\uff33\uff34\uff2f\uff30", "Arr\u00eat"])
def test_a_stop_in_another_form_by_twilio_sets_dnd(twilio_setup: Setup, keyword: str) -> None:
    """Full-width ＳＴＯＰ, accented Arrêt: the same keyword on the provider's path too."""
    s = twilio_setup
    chat = _fresh_thread(s)
    number = next(n for n in s.admin.get("/v1/numbers").json()["items"]
                  if n["id"] == chat["number_id"])
    form = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": ACCOUNT,
            "From": chat["phone"], "To": number["e164"], "Body": keyword}
    assert s.post_signed("/webhooks/twilio/sms", form).status_code == 200
    assert s.admin.get(f"/v1/contacts/{chat['contact_id']}").json()["dnd"] is True
    (confirmation,) = wait_for(lambda: s.twilio.to(chat["phone"]), "the confirmation")
    assert confirmation["Body"].startswith("You have been unsubscribed")


def test_serve_refuses_twilio_without_its_credentials(tmp_path: Any) -> None:
    env = {k: v for k, v in __import__("os").environ.items()
           if not k.startswith(("TWILIO_", "CONSOLE_PUBLIC_URL"))}
    done = subprocess.run(
        [sys.executable, "-m", "console.backend", "serve", "--db",
         sqlite_url(tmp_path / "b.db"), "--port", "0", "--carrier", "twilio"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode != 0
    output = (done.stdout + done.stderr).strip()
    assert "TWILIO_ACCOUNT_SID" in output
    assert "TWILIO_AUTH_TOKEN" in output
    assert "Traceback" not in output
