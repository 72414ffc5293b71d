"""Two `serve --carrier twilio` processes on one PostgreSQL database, sharing one Twilio stand-in
(tests/backend/twilio_standin.py): a process starting while another has a request in flight,
one SIGKILLed in the middle of 1:1 and group chat traffic, one SIGTERMed while a copy waits out
a 503's Retry-After, status callbacks for one message's copies landing on both at once. Every
process gets its own API base on the stand-in (`.../via/TAG`), so
each request says which process made it; the stand-in also plays Twilio's status callbacks
(`sent`), posted to a live process, so a taken message ends `sent` as with the real service.

The processes, the database and the stand-in are shared by the tests of this module: a test
starts what it needs (`Cluster.ensure`) and takes out the processes it kills or stops."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select

from console.backend import models
from console.backend.db import Database
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import sync_all
from tests.backend.group_chat_support import PhonePool, create_chat, new_contact
from tests.backend.pg import fresh_database, needs_postgres
from tests.backend.twilio_standin import (
    ACCOUNT,
    PUBLIC,
    STATUS_PATH,
    TOKEN,
    FakeTwilio,
    signed_headers,
    start_fake_twilio,
)
from tests.support.backend_process import BackendProcess

pytestmark = [*needs_postgres, pytest.mark.slow]

T = TypeVar("T")

CARRIER_WORKERS = 4  # per process (the default, said explicitly): at most this many in flight
LEASE_S = 6.0  # CONSOLE_JOB_LEASE_S's default: the processes here run with it
QUEUED_AT_MOST_S = 15.0  # after a kill, no message stays queued longer than this
HANDED_BACK_WITHIN_S = 3.0  # SIGTERM: another process sends the copy within this
RETRY_AFTER_S = 30.0  # what the busy stand-in asks for (far beyond the lease and the above)
UNCONFIRMED = "unconfirmed"
DONE = ("sent", "delivered")


def wait_for(probe: Callable[[], T | None], what: str, timeout: float) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.05)


@dataclass
class Cluster:
    db_url: str
    twilio: FakeTwilio
    phones: PhonePool = field(default_factory=lambda: PhonePool("907", "808"))
    live: dict[str, BackendProcess] = field(default_factory=dict)  # by stand-in tag
    clients: dict[str, httpx.Client] = field(default_factory=dict)  # of the live ones
    every_client: list[httpx.Client] = field(default_factory=list)
    everyone: list[BackendProcess] = field(default_factory=list)
    token: str = ""
    _tags: Iterator[int] = field(default_factory=itertools.count)

    def start(self) -> str:
        """One more `serve --carrier twilio` process; its stand-in tag."""
        tag = f"p{next(self._tags)}"
        env = {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": TOKEN,
               "CONSOLE_PUBLIC_URL": PUBLIC, "TWILIO_API_BASE": self.twilio.url_for(tag),
               "CONSOLE_CARRIER_WORKERS": str(CARRIER_WORKERS)}
        process = BackendProcess(self.db_url, args=["--seed", "demo", "--carrier", "twilio"],
                                 env=env)
        self.everyone.append(process)
        process.start(timeout=60)
        self.token = self.token or process.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        self.live[tag] = process
        self.clients[tag] = process.client(self.token)
        self.every_client.append(self.clients[tag])
        with self.twilio.lock:
            self.twilio.callback_to.append(process.url)
        return tag

    def ensure(self, count: int) -> list[str]:
        """At least `count` live processes; their tags, oldest first."""
        while len(self.live) < count:
            self.start()
        return list(self.live)

    def take_out(self, tag: str) -> BackendProcess:
        """No more requests or status callbacks to this process (it is about to go)."""
        process = self.live.pop(tag)
        del self.clients[tag]  # closed at the end: another thread may be using it right now
        with self.twilio.lock:
            self.twilio.callback_to.remove(process.url)
        return process

    @property
    def admin(self) -> httpx.Client:
        return next(iter(self.clients.values()))

    def fresh_thread(self) -> tuple[str, str]:
        """A new contact's 1:1 conversation on the default number: (its id, the phone)."""
        phone = self.phones()
        contact = new_contact(self.admin, phone)
        opened = self.admin.post("/v1/conversations", json={
            "kind": "direct", "contact_id": contact["id"], "phone": phone,
            "number_id": self._main()})
        assert opened.status_code in (200, 201), opened.text
        return opened.json()["id"], phone

    def fresh_group_chat(self, size: int) -> tuple[str, list[str]]:
        people = [(new_contact(self.admin, phone), phone)
                  for phone in (self.phones() for _ in range(size))]
        created = create_chat(self.admin, self._main(), people)
        assert created.status_code == 201, created.text
        return created.json()["id"], [p for _, p in people]

    def _main(self) -> str:
        numbers = self.admin.get("/v1/numbers").json()["items"]
        return str(next(n["id"] for n in numbers if n["is_default"]))

    def message(self, conversation_id: str, message_id: str) -> dict[str, Any]:
        return messages(self.admin, conversation_id)[message_id]


def messages(http: httpx.Client, conversation_id: str) -> dict[str, dict[str, Any]]:
    response = http.get(f"/v1/conversations/{conversation_id}/messages", params={"limit": 500})
    assert response.status_code == 200, response.text
    return {m["id"]: m for m in response.json()["items"]}


def send(http: httpx.Client, conversation_id: str, body: str, key: str = "") -> dict[str, Any]:
    response = http.post(f"/v1/conversations/{conversation_id}/messages", json={"body": body},
                         headers={"Idempotency-Key": key or uuid.uuid4().hex})
    assert response.status_code in (200, 201), response.text
    sent: dict[str, Any] = response.json()
    return sent


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    twilio = start_fake_twilio()
    try:
        with fresh_database() as url:
            shared = Cluster(url, twilio)
            try:
                yield shared
            finally:
                for http in shared.every_client:
                    http.close()
                for process in shared.everyone:
                    process.stop()
            # The auth token is a secret: it never reaches any process's output.
            for process in shared.everyone:
                assert not [line for line in process.log_lines if TOKEN in line]
    finally:
        twilio.close()


# -- a process starting ---------------------------------------------------------------------------

def test_starting_another_process_leaves_a_send_in_flight_alone(cluster: Cluster) -> None:
    """Twilio has the request of a running process while another starts: the copy is that
    process's business (it is alive and renews its lease), not a crash to clean up. Held past
    the lease, too: the holder keeps the job while it waits for Twilio's answer."""
    c = cluster
    first = c.ensure(1)[0]
    conversation_id, phone = c.fresh_thread()
    c.twilio.hold_s = 30.0
    c.twilio.hold.add(phone)
    try:
        sent = send(c.clients[first], conversation_id, "In flight while another process starts")
        (request,) = wait_for(lambda: c.twilio.to(phone), "the request to reach Twilio", 10)
        c.start()
        time.sleep(max(1.0, request["_at"] + LEASE_S + 2.0 - time.monotonic()))
        meanwhile = c.message(conversation_id, sent["id"])
        assert (meanwhile["status"], meanwhile["error_code"]) == ("queued", None), (
            "a process starting (or a lease running out) failed a copy Twilio still had"
        )
    finally:
        c.twilio.hold.discard(phone)  # Twilio answers now
    final = wait_for(
        lambda: (m := c.message(conversation_id, sent["id"]))["status"] != "queued" and m,
        "the message to leave queued", 10,
    )
    assert (final["status"], final["error_code"]) == ("sent", None)
    (request,) = c.twilio.to(phone)  # once
    assert request["_answer"].startswith("SM")


# -- a process killed -----------------------------------------------------------------------------

@dataclass
class Sent:
    conversation_id: str
    body: str
    phones: list[str]
    accepted_by: str = ""
    posted_at: float = 0.0  # when its first POST went out
    id: str = ""


def test_a_process_killed_mid_traffic_sends_everything_at_most_once(cluster: Cluster) -> None:
    """SIGKILL one of two processes while 1:1 and group chat messages go out through both: one
    of its copies is certainly mid-request (Twilio holds that number's answer), a burst accepted
    by it just before is queued behind. Afterwards every (message, To) reached Twilio at most
    once; the held message is failed `unconfirmed`, and so is any other copy only when the kill
    may have caught it mid-request (posted before the kill, without a success from the
    survivor; at most one per carrier worker of the killed process); every other copy reached
    Twilio exactly once and its message is `sent` (a group chat message with one copy caught
    too: its other copies are on their way); none is still queued 15 s after the kill (seen in
    the survivor's feed, looking from the kill on)."""
    c = cluster
    c.ensure(2)
    targets = [(cid, [phone]) for cid, phone in (c.fresh_thread() for _ in range(4))]
    targets += [c.fresh_group_chat(3) for _ in range(2)]
    held_id, held_phone = c.fresh_thread()
    ledger: list[Sent] = []
    lock = threading.Lock()
    _, cursor = sync_all(c.admin)

    def post(item: Sent, prefer: str) -> None:
        """Through `prefer`; when that process is gone, the same request (same key) through
        another: the killed one may have taken it before dying."""
        key = uuid.uuid4().hex
        item.posted_at = time.monotonic()
        for tag in [prefer, *[t for t in list(c.clients) if t != prefer]]:
            http = c.clients.get(tag)
            if http is None:
                continue
            try:
                item.id = send(http, item.conversation_id, item.body, key)["id"]
            except httpx.TransportError:
                continue
            item.accepted_by = tag
            with lock:
                ledger.append(item)
            return
        raise AssertionError(f"no process took {item.body!r}")

    counter = itertools.count()

    def new_item() -> Sent:
        conversation_id, phones = targets[next(counter) % len(targets)]
        return Sent(conversation_id, f"Traffic {uuid.uuid4().hex[:10]}", phones)

    stop = threading.Event()

    def traffic(offset: int) -> None:
        for n in itertools.count(offset):
            if stop.is_set():
                return
            tags = list(c.clients)
            post(new_item(), tags[n % len(tags)])
            time.sleep(0.05)

    with ThreadPoolExecutor(max_workers=8) as pool:
        steady = [pool.submit(traffic, offset) for offset in (0, 1)]
        time.sleep(1.0)
        c.twilio.hold_s = 30.0  # far past the kill: the victim never hears back
        c.twilio.hold.add(held_phone)
        held = Sent(held_id, "Held when its process dies", [held_phone])
        post(held, next(iter(c.clients)))
        (request,) = wait_for(lambda: c.twilio.to(held_phone), "the held request", 10)
        victim = request["_via"]
        burst = [new_item() for _ in range(12)]
        list(pool.map(lambda item: post(item, victim), burst))
        c.take_out(victim).kill()
        killed_at = time.monotonic()
        (survivor,) = c.live
        threading.Timer(1.5, stop.set).start()  # traffic goes on through the survivor a while
        try:
            left_queued = _watch_left_queued(c.clients[survivor], cursor, killed_at, steady, ledger)
        finally:
            stop.set()
            for future in steady:
                future.result()
            c.twilio.hold.discard(held_phone)
    late = [(item, left_queued.get(item.id, time.monotonic()) - killed_at) for item in ledger
            if left_queued.get(item.id, time.monotonic()) > killed_at + QUEUED_AT_MOST_S]
    assert not late, (
        f"{len(late)} of {len(ledger)} messages still queued {QUEUED_AT_MOST_S:g} s after the "
        f"kill (killed at {killed_at:.2f}): "
        + "; ".join(f"{i} left queued after {t:.1f} s; it reached Twilio as "
                    f"{_copies(c.twilio, i)}" for i, t in late[:3])
    )
    settled_after = max(left_queued[item.id] for item in ledger) - killed_at
    time.sleep(1.0)  # anything sent twice would show by now

    def statuses() -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for conversation_id in {item.conversation_id for item in ledger}:
            found.update(messages(c.admin, conversation_id))
        return found

    final = statuses()
    requests: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for request in c.twilio.requests():
        if request["_answer"] != "cut off":  # never complete: Twilio could not act on it
            requests.setdefault((request["Body"], request["To"]), []).append(request)
    assert len({item.id for item in ledger}) == len(ledger)
    caught = _judge_each(ledger, final, requests, killed_at, survivor)
    assert (final[held.id]["status"], final[held.id]["error_code"]) == ("failed", UNCONFIRMED)
    assert len(c.twilio.to(held_phone)) == 1
    # Each of the killed process's carrier workers had at most one copy in flight.
    assert len(caught) <= CARRIER_WORKERS, caught
    # The scenario did what it is for: the job the killed process held (the held copy) moved
    # to the survivor, which judged it unconfirmed (above), and other work the killed process
    # had accepted went out through the survivor (while both ran, or after the kill).
    by_survivor = [item for item in ledger if item.accepted_by == victim and item is not held
                   and any(r["_via"] == survivor for phone in item.phones
                           for r in requests.get((item.body, phone), []))]
    assert by_survivor, "nothing the killed process accepted went out through the survivor"
    after_kill = [item for item in by_survivor
                  if any(r["_via"] == survivor and r["_at"] > killed_at for phone in item.phones
                         for r in requests.get((item.body, phone), []))]
    no_request = [(i, p) for i, p in caught if not requests.get((i.body, p))]
    print(f"\n{len(ledger)} messages ({sum(len(i.phones) for i in ledger)} copies), "
          f"{len([i for i in ledger if i.accepted_by == victim])} accepted by the killed "
          f"process, {len(by_survivor)} of those sent by the survivor ({len(after_kill)} "
          f"after the kill), "
          f"{len(caught)} copies unconfirmed ({len(no_request)} of them never reached Twilio, "
          f"{len([r for r in c.twilio.requests() if r['_answer'] == 'cut off'])} requests "
          f"cut off by the kill); "
          f"the last one seen out of queued {settled_after:.1f} s after the kill")


def _watch_left_queued(
    http: httpx.Client, cursor: str, killed_at: float, steady: list[Future[None]],
    ledger: list[Sent],
) -> dict[str, float]:
    """When each message is first seen out of `queued` in the feed (a bound from above on when
    it left; looking starts at the kill), until the traffic is over and every message in the
    ledger has left, or QUEUED_AT_MOST_S + 10 s after the kill."""
    left_queued: dict[str, float] = {}
    while time.monotonic() < killed_at + QUEUED_AT_MOST_S + 10.0:
        events, cursor = sync_all(http, cursor)
        seen = time.monotonic()
        for event in events:
            data = event["data"]
            if event["type"] == "message.upserted" and data["status"] != "queued":
                left_queued.setdefault(data["id"], seen)
        if all(f.done() for f in steady) and all(i.id in left_queued for i in ledger):
            break
        time.sleep(0.3)
    return left_queued


def _judge_each(
    ledger: list[Sent], final: dict[str, dict[str, Any]],
    requests: dict[tuple[str, str], list[dict[str, Any]]], killed_at: float, survivor: str,
) -> list[tuple[Sent, str]]:
    """Every copy (message, To) reached Twilio at most once, and exactly once with a success
    unless the kill caught it (the copy failed `unconfirmed`): the copies it caught.

    Judged per copy, as the backend records them: a group chat message whose kill caught one
    copy while the others went out is `sent` (its other copies are on their way; it becomes
    `undelivered` once they are final) with that copy failed in its `deliveries`; only a
    message all of whose copies were caught is failed `unconfirmed` itself. Each failure says
    it in one string (pytest cuts the repr of a tuple short, and CI once lost the one field
    that mattered that way)."""
    caught: list[tuple[Sent, str]] = []
    for item in ledger:
        copies = {phone: requests.get((item.body, phone), []) for phone in item.phones}
        message = final[item.id]
        states = _copy_states(message, item.phones)
        for phone, (status, error_code) in states.items():
            got = copies[phone]
            told = _told(item, phone, message, (status, error_code), got, killed_at)
            assert len(got) <= 1, told  # never repeated
            if (status, error_code) == ("failed", UNCONFIRMED):
                # Caught by the kill: posted before it, and never a success from the survivor
                # (it was in flight on the killed process, or recorded there just before its
                # request could go out).
                assert item.posted_at < killed_at, told
                assert not (got and got[0]["_via"] == survivor
                            and got[0]["_answer"].startswith("SM")), told
                caught.append((item, phone))
                continue
            assert status in DONE, told
            assert len(got) == 1, told
            assert got[0]["_answer"].startswith("SM"), told
        mine = [phone for it, phone in caught if it is item]
        overall = (message["status"], message["error_code"])
        if len(mine) == len(item.phones):
            assert overall == ("failed", UNCONFIRMED), f"{item.body}: {overall}"
        elif mine:  # sent while its other copies are on their way; undelivered once final
            assert message["status"] in DONE or overall == ("undelivered", UNCONFIRMED), (
                f"{item.body}: {overall}, {len(mine)} of {len(item.phones)} copies caught")
        else:
            assert message["status"] in DONE, f"{item.body}: {overall}, no copy caught"
    return caught


def _told(
    item: Sent, phone: str, message: dict[str, Any], copy: tuple[str, str | None],
    got: list[dict[str, Any]], killed_at: float,
) -> str:
    seen = [(r["_via"], f"{r['_at'] - killed_at:+.2f} s", r["_answer"][:8]) for r in got]
    return (f"{item.body!r} ({item.id}, {len(item.phones)} recipient(s), accepted by "
            f"{item.accepted_by}, posted {item.posted_at - killed_at:+.2f} s from the kill) to "
            f"{phone}: copy {copy}, message {(message['status'], message['error_code'])}, "
            f"requests (via, time from the kill, answer) {seen}")


def _copy_states(message: dict[str, Any], phones: list[str]) -> dict[str, tuple[str, str | None]]:
    """Each recipient's copy: a group chat message's `deliveries`, a 1:1 message's own status."""
    if len(phones) == 1 and not message.get("deliveries"):
        return {phones[0]: (message["status"], message["error_code"])}
    by_phone = {d["to"]: (d["status"], d["error_code"]) for d in message["deliveries"]}
    assert sorted(by_phone) == sorted(phones), message
    return by_phone


def _copies(twilio: FakeTwilio, item: Sent) -> list[tuple[str, str, str, str]]:
    return [(r["To"], r["_via"], f"{r['_at']:.2f}", r["_answer"][:6])
            for phone in item.phones for r in twilio.to(phone) if r["Body"] == item.body]


# -- a process stopped ----------------------------------------------------------------------------

def test_sigterm_hands_a_copy_waiting_out_a_retry_after_to_another_process(
    cluster: Cluster,
) -> None:
    """Twilio answered 503 with Retry-After 30 s: the copy waits in its process, not at Twilio.
    SIGTERM: that process hands the job back at once and another sends the copy within a few
    seconds (not after the Retry-After, nor after the lease), exactly once."""
    c = cluster
    first = c.ensure(2)[0]
    conversation_id, phone = c.fresh_thread()
    c.twilio.busy[phone] = 1
    c.twilio.busy_retry_after[phone] = RETRY_AFTER_S
    sent = send(c.clients[first], conversation_id, "Sent after Twilio asked for 30 s")
    (busy,) = wait_for(lambda: c.twilio.to(phone), "the request Twilio answers 503", 10)
    holder = busy["_via"]
    (other,) = [tag for tag in c.live if tag != holder]
    time.sleep(0.5)  # the copy is in its backoff now
    process = c.take_out(holder)
    stopped_at = time.monotonic()
    stopping = threading.Thread(target=process.stop)
    stopping.start()
    taken = wait_for(
        lambda: [r for r in c.twilio.to(phone) if r["_answer"].startswith("SM")],
        "another process to send the copy", HANDED_BACK_WITHIN_S + 2.0,
    )
    stopping.join()
    exited_after = time.monotonic() - stopped_at
    handed_after = taken[0]["_at"] - stopped_at
    assert handed_after < HANDED_BACK_WITHIN_S, f"sent {handed_after:.1f} s after SIGTERM"
    final = wait_for(
        lambda: (m := c.message(conversation_id, sent["id"]))["status"] != "queued" and m,
        "the message to leave queued", 10,
    )
    assert (final["status"], final["error_code"]) == ("sent", None)
    assert [(r["_via"], r["_answer"][:2]) for r in c.twilio.to(phone)] == [
        (holder, "50"), (other, "SM")]  # the 503, then one success
    assert process.proc is not None
    assert process.proc.returncode == 0, (
        f"the stopped process did not exit by itself ({process.proc and process.proc.returncode})"
    )
    print(f"\nsent by another process {handed_after:.2f} s after SIGTERM; "
          f"the stopped one exited after {exited_after:.2f} s")


# -- status callbacks through both ----------------------------------------------------------------

def test_callbacks_for_a_group_chats_copies_at_once_through_both_processes_settle_it(
    cluster: Cluster,
) -> None:
    """Twilio reports each copy of a group chat message on its own, and with two processes
    behind the public address the reports can land at once on both: the message must end
    `sent` once every copy is, whichever transaction commits last."""
    c = cluster
    tags = c.ensure(2)
    conversation_id, phones = c.fresh_group_chat(5)
    db = Database(c.db_url)  # only to know every sid is recorded before the reports race
    with c.twilio.lock:
        callback_to, c.twilio.callback_to[:] = list(c.twilio.callback_to), []  # the test plays them
    try:
        for round_ in range(4):
            body = f"Reported all at once {round_}"
            message_id = send(c.admin, conversation_id, body)["id"]
            sids = wait_for(partial(_sids, c.twilio, phones, body),
                            "a copy for every participant", 20)
            wait_for(partial(_recorded, db, sids), "every sid recorded", 10)
            ready = threading.Barrier(len(sids))

            def report(n: int, sid: str, ready: threading.Barrier = ready) -> int:
                ready.wait()
                return _callback(c, tags[n % 2], sid, "sent")

            with ThreadPoolExecutor(max_workers=len(sids)) as pool:
                assert list(pool.map(report, range(len(sids)), sids)) == [204] * len(sids)
            final = c.message(conversation_id, message_id)
            assert (final["status"], final["error_code"]) == ("sent", None), (
                f"round {round_}: every copy is sent, the message is {final['status']}"
            )
    finally:
        db.dispose()
        with c.twilio.lock:
            c.twilio.callback_to[:] = callback_to


def _sids(twilio: FakeTwilio, phones: list[str], body: str) -> list[str] | None:
    sids = [r["Sid"] for p in phones for r in twilio.to(p) if r["Body"] == body and r.get("Sid")]
    return sids if len(sids) == len(phones) else None


def _recorded(db: Database, sids: list[str]) -> bool:
    with db.reading() as session:
        found = session.scalars(select(models.CarrierSend.sid)
                                .where(models.CarrierSend.sid.in_(sids))).all()
    return len(found) == len(sids)


def _callback(c: Cluster, tag: str, sid: str, status: str) -> int:
    form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": ACCOUNT}
    answer = c.clients[tag].post(STATUS_PATH, content=urlencode(form),
                                 headers=signed_headers(STATUS_PATH, form))
    return answer.status_code
