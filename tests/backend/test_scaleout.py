"""Several `serve` processes on one PostgreSQL with the simulator carrier act as one backend:
any live process finishes any send, and killing (SIGKILL) or rolling (SIGTERM) processes under
traffic loses, delays and repeats nothing.

Black box: real processes on loopback, requests routed like a load balancer (round robin over
the processes not known to be gone; a request a dying process could not answer is retried on a
live one with the same Idempotency-Key). Handsets are read from `/v1/simulator/outbox`, push
notifications from a real HTTP receiver. How long each SMS stayed queued is read from the
timestamps of its `message.upserted` events (written in the transaction that changed it).

A push is an HTTP request: one that was in flight in a process when it was SIGKILLed may have
reached the receiver without the process learning so, and is sent again by whoever takes the
job over, with the same delivery id (X-Console-Delivery) for the receiver to drop it. So after
a SIGKILL the receiver may see a repeat only of a notification it had received before the
kill, at most one per job worker of the killed process; after a SIGTERM, none.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg
import pytest

from console.backend.feed_notify import libpq_dsn
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import page_all
from tests.backend.group_chat_support import PhonePool, create_chat, new_contact
from tests.backend.pg import fresh_database, needs_postgres
from tests.backend.receivers import HttpSink, http_sink
from tests.support.backend_process import BackendProcess

pytestmark = [*needs_postgres, pytest.mark.slow]

# The default lease (the behaviour under test); a short poll only so idle workers look often.
ENV = {"CONSOLE_JOB_POLL_S": "0.2"}
JOB_WORKERS = 2  # notification workers per process: at most this many pushes in flight in one
QUEUED_AT_MOST_S = 15.0
FINAL = {"delivered", "failed", "undelivered"}

phone = PhonePool("330", "331", "334", "336", "337", "339", "340")

UP, STOPPING, GONE = "up", "stopping", "gone"


# --- processes, routed like a load balancer ---


@dataclass
class Fleet:
    """Serve processes on one database. A process is `up`, `stopping` (SIGTERM or SIGKILL on
    its way: it may refuse or drop requests) or `gone`; requests go round robin to those not
    gone."""

    db_url: str
    push_url: str
    env: dict[str, str]
    processes: dict[str, BackendProcess] = field(default_factory=dict)
    state: dict[str, str] = field(default_factory=dict)
    _turn: Iterator[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, *names: str) -> list[BackendProcess]:
        """Start processes together (all seed the demo data; it is seeded once)."""
        args = ["--seed", "demo", "--push-url", self.push_url, "--allow-private-webhooks",
                "--job-workers", str(JOB_WORKERS)]

        def one(name: str) -> BackendProcess:
            process = BackendProcess(self.db_url, args=args, env=self.env)
            with self._lock:
                self.processes[name] = process
            process.start(timeout=60)
            with self._lock:
                self.state[name] = UP
            return process

        with ThreadPoolExecutor(max_workers=len(names)) as pool:
            return list(pool.map(one, names))

    def kill(self, name: str) -> None:
        self.state[name] = STOPPING
        self.processes[name].kill()
        self.state[name] = GONE

    def stop(self, name: str) -> None:
        self.state[name] = STOPPING
        self.processes[name].stop()
        self.state[name] = GONE

    def is_up(self, name: str) -> bool:
        return self.state.get(name) == UP

    def pick(self, prefer: str | None = None) -> str:
        with self._lock:
            if prefer is not None and self.state.get(prefer) in (UP, STOPPING):
                return prefer
            names = [n for n, s in self.state.items() if s in (UP, STOPPING)]
            assert names, "no process left"
            return names[next(self._turn) % len(names)]

    def close(self) -> None:
        for process in self.processes.values():
            process.stop()


@contextmanager
def fleet_on_fresh_database(sink: HttpSink, env: dict[str, str] = ENV) -> Iterator[Fleet]:
    with fresh_database() as url:
        fleet = Fleet(url, f"{sink.url}/push", env)
        try:
            yield fleet
        finally:
            fleet.close()


def hold_answers(sink: HttpSink, delay_s: float = 0.0) -> threading.Event:
    """The push gateway answers each request `delay_s` after noting it, and not before the
    returned gate is open (it is, until cleared): a process killed then dies holding the jobs
    of the requests it has out."""
    gate = threading.Event()
    gate.set()
    record = sink.record

    def held(item: Any) -> int:
        status = record(item)
        gate.wait(30)
        time.sleep(delay_s)
        return status

    setattr(sink, "record", held)  # noqa: B010 (the handler looks it up on each request)
    return gate


# --- traffic ---


@dataclass(frozen=True)
class Target:
    """A conversation to send SMS in, and the handsets each of its messages must reach."""

    conversation_id: str
    handsets: tuple[str, ...]


@dataclass(frozen=True)
class Sent:
    key: str
    target: Target
    body: str
    message_id: str
    created_at: datetime
    via: str


class Traffic:
    """Sends through the fleet. A request that a process not being stopped fails (5xx, or no
    answer) is a problem; either way it is retried on a live process with the same key."""

    def __init__(self, fleet: Fleet, token: str) -> None:
        self.fleet = fleet
        self.token = token
        self.sent: list[Sent] = []
        self.problems: list[str] = []
        self._clients: dict[str, httpx.Client] = {}
        self._lock = threading.Lock()
        self._serial = itertools.count()

    def client(self, name: str | None = None) -> httpx.Client:
        name = name or self.fleet.pick()
        with self._lock:
            if name not in self._clients:
                self._clients[name] = self.fleet.processes[name].client(self.token)
            return self._clients[name]

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def _problem(self, text: str) -> None:
        with self._lock:
            self.problems.append(text)

    def post(self, path: str, body: dict[str, Any], *, prefer: str | None = None
             ) -> tuple[str, httpx.Response]:
        key = str(uuid.uuid4())
        for _ in range(100):
            name = self.fleet.pick(prefer)
            prefer = None
            try:
                response = self.client(name).post(
                    path, json=body, headers={"Idempotency-Key": key})
            except httpx.TransportError as exc:
                if self.fleet.is_up(name):
                    self._problem(f"{name} (not being stopped) gave no answer: {exc!r}")
                time.sleep(0.05)
                continue
            if response.status_code >= 500:
                if self.fleet.is_up(name):
                    self._problem(f"{name} (not being stopped) answered "
                                  f"{response.status_code}: {response.text[:200]}")
                time.sleep(0.05)
                continue
            return name, response
        raise AssertionError(f"no process answered POST {path}")

    def sms(self, target: Target, *, prefer: str | None = None) -> Sent | None:
        body = f"scale-out {next(self._serial)} {uuid.uuid4().hex[:10]}"
        via, response = self.post(
            f"/v1/conversations/{target.conversation_id}/messages", {"body": body},
            prefer=prefer)
        if response.status_code not in (200, 201):
            self._problem(f"send via {via}: {response.status_code} {response.text[:200]}")
            return None
        data = response.json()
        sent = Sent(response.request.headers["Idempotency-Key"], target, body, data["id"],
                    datetime.fromisoformat(data["created_at"]), via)
        with self._lock:
            self.sent.append(sent)
        return sent

    def burst(self, targets: list[Target], count: int, *, prefer: str) -> list[Sent]:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(
                lambda i: self.sms(targets[i % len(targets)], prefer=prefer), range(count)))
        return [s for s in results if s is not None]

    @contextmanager
    def stream(self, targets: list[Target], *, senders: int = 3, pause_s: float = 0.1
               ) -> Iterator[None]:
        """A steady stream of sends in the background while the block runs."""
        done = threading.Event()

        def sender(index: int) -> None:
            for n in itertools.count(index, senders):
                if done.is_set():
                    return
                try:
                    self.sms(targets[n % len(targets)])
                except Exception as exc:  # recorded: the test fails on it
                    self._problem(f"sender {index}: {exc!r}")
                    return
                done.wait(pause_s)

        threads = [threading.Thread(target=sender, args=(i,), daemon=True)
                   for i in range(senders)]
        for thread in threads:
            thread.start()
        try:
            yield
        finally:
            done.set()
            for thread in threads:
                thread.join(30)

    def group_message(self, group_id: str, *, prefer: str | None = None) -> str:
        me = self.client().get("/v1/me").json()
        _, response = self.post("/v1/group-messages", {
            "group_id": group_id, "sender_user_id": me["id"], "title": "Scale-out",
            "body": f"To everyone {uuid.uuid4().hex[:8]}"}, prefer=prefer)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])


def login(fleet: Fleet, name: str) -> Traffic:
    return Traffic(fleet, fleet.processes[name].login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD))


def sms_targets(client: httpx.Client, *, direct: int, chats: int, chat_size: int = 3
                ) -> list[Target]:
    numbers = client.get("/v1/numbers").json()["items"]
    number_id = next(n["id"] for n in numbers if n["is_default"])
    targets = []
    for _ in range(direct):
        number = phone()
        contact = new_contact(client, number)
        opened = client.post("/v1/conversations", json={
            "kind": "direct", "contact_id": contact["id"], "phone": number,
            "number_id": number_id})
        assert opened.status_code == 201, opened.text
        targets.append(Target(opened.json()["id"], (number,)))
    for _ in range(chats):
        people = [(new_contact(client, number), number)
                  for number in [phone() for _ in range(chat_size)]]
        chat = create_chat(client, number_id, people)
        assert chat.status_code == 201, chat.text
        targets.append(Target(chat.json()["id"], tuple(number for _, number in people)))
    return targets


def audience(traffic: Traffic, size: int) -> tuple[str, set[str]]:
    """An audience group of `size` new contacts (no phones needed: they get in-app messages
    and push notifications); its id and its members. Built through every live process."""
    group = traffic.client().post("/v1/groups", json={"name": f"Everyone {uuid.uuid4().hex[:6]}"})
    assert group.status_code == 201, group.text
    group_id = group.json()["id"]

    def member(index: int) -> str:
        client = traffic.client()
        contact = client.post("/v1/contacts", json={"name": f"Member {index} {group_id[-6:]}"})
        assert contact.status_code == 201, contact.text
        contact_id: str = contact.json()["id"]
        added = client.put(f"/v1/groups/{group_id}/members/{contact_id}")
        assert added.status_code == 201, added.text
        return contact_id

    with ThreadPoolExecutor(max_workers=6) as pool:
        return group_id, set(pool.map(member, range(size)))


# --- what must hold afterwards ---


def statuses(traffic: Traffic, sent: list[Sent]) -> dict[str, str]:
    """Message id -> status, read through a live process (one listing per conversation)."""
    found: dict[str, str] = {}
    client = traffic.client()
    for conversation_id in {s.target.conversation_id for s in sent}:
        for message in page_all(client, f"/v1/conversations/{conversation_id}/messages",
                                limit=500):
            found[message["id"]] = message["status"]
    return {s.message_id: found.get(s.message_id, "missing") for s in sent}


def await_all_delivered(traffic: Traffic, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        now = statuses(traffic, traffic.sent)
        left = {i: s for i, s in now.items() if s != "delivered"}
        assert not {i: s for i, s in left.items() if s in FINAL}, left
        if not left:
            return
        if time.monotonic() > deadline:
            by_via = Counter((s.via, now[s.message_id]) for s in traffic.sent
                             if s.message_id in left)
            raise AssertionError(
                f"{len(left)} of {len(traffic.sent)} SMS not delivered {timeout} s after the "
                f"traffic: (accepted by, status) -> count {dict(by_via)}")
        time.sleep(0.25)


def assert_each_send_made_one_message(traffic: Traffic) -> None:
    """A retry with the same key returned the first message; it never made a second."""
    assert len({s.key for s in traffic.sent}) == len(traffic.sent)
    assert len({s.message_id for s in traffic.sent}) == len(traffic.sent)
    ours = {s.body for s in traffic.sent}
    client = traffic.client()
    bodies: Counter[str] = Counter()
    for conversation_id in {s.target.conversation_id for s in traffic.sent}:
        bodies.update(
            m["body"] for m in page_all(
                client, f"/v1/conversations/{conversation_id}/messages", limit=500)
            if m["body"] in ours)
    assert bodies == Counter(ours)


LEFT_QUEUED = "data->>'status' <> 'queued'"
DELIVERED = "data->>'status' = 'delivered'"


def seconds_until(db_url: str, sent: list[Sent], change: str) -> dict[str, float]:
    """For each message, the seconds from its creation to its first change that matches
    `change` (one of the two above), read from the event written with that change."""
    with psycopg.connect(libpq_dsn(db_url)) as connection:
        rows = connection.execute(
            "SELECT entity_id, min(created_at) FROM events"
            f" WHERE type = 'message.upserted' AND {change}"
            " AND entity_id = ANY(%s) GROUP BY entity_id",
            ([s.message_id for s in sent],),
        ).fetchall()
    at = {entity_id: when.replace(tzinfo=UTC) for entity_id, when in rows}
    return {s.message_id: (at[s.message_id] - s.created_at).total_seconds()
            if s.message_id in at else float("inf") for s in sent}


def assert_none_waited_long(db_url: str, sent: list[Sent]) -> tuple[float, float]:
    """None stayed queued, nor undelivered, longer than QUEUED_AT_MOST_S. Returns the longest
    of each."""
    longest = []
    for change, what in ((LEFT_QUEUED, "queued"), (DELIVERED, "undelivered")):
        waited = seconds_until(db_url, sent, change)
        slow = {i: w for i, w in waited.items() if w > QUEUED_AT_MOST_S}
        assert not slow, f"{len(slow)} SMS {what} longer than {QUEUED_AT_MOST_S} s: {slow}"
        longest.append(max(waited.values()))
    return longest[0], longest[1]


def assert_handsets_got_each_once(traffic: Traffic) -> None:
    """Each message reached each of its handsets exactly once (a group chat message every
    participant), and nothing else of ours reached anyone."""
    ours = {s.body for s in traffic.sent}
    outbox = page_all(traffic.client(), "/v1/simulator/outbox", limit=500)
    got = Counter((m["to"], m["body"]) for m in outbox if m["body"] in ours)
    expected = Counter((h, s.body) for s in traffic.sent for h in s.target.handsets)
    assert got == expected, (
        f"missing {dict(expected - got)}, repeated or stray {dict(got - expected)}")


def notifications(traffic: Traffic, group_message_id: str) -> list[dict[str, Any]]:
    return page_all(traffic.client(), f"/v1/group-messages/{group_message_id}/notifications",
                    limit=500)


def await_notifications(traffic: Traffic, sink: HttpSink, sent: dict[str, set[str]],
                        deadline: float, what: str) -> None:
    """Every member of every group message has a delivered push record and the receiver got
    it, by `deadline` (monotonic)."""
    progress: list[str] = []  # how it went, for the failure message
    while True:
        records = {gm: notifications(traffic, gm) for gm in sent}
        received = {(p["group_message_id"], p["contact_id"]) for p in pushes(sink)}
        short = {gm: len(members) - sum(r["state"] == "delivered" for r in records[gm])
                 for gm, members in sent.items()}
        unseen = sum(1 for gm, members in sent.items() for c in members
                     if (gm, c) not in received)
        if not any(short.values()) and not unseen:
            return
        progress.append(f"{deadline - time.monotonic():.1f}:{sum(short.values())}")
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{what}: not delivered per group message {short}; {unseen} never reached "
                f"the receiver; (seconds to the deadline:left) {' '.join(progress[::3])}")
        time.sleep(0.2)


def pushes(sink: HttpSink) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in sink.ok()]


def assert_each_notification_once(
    traffic: Traffic, sink: HttpSink, sent: dict[str, set[str]], *,
    repeats_allowed: int = 0, received_before_kill: int = 0,
) -> int:
    """One push record per member, delivered, and the receiver got exactly that one; a repeat
    (same delivery id) only of a push it had received before a kill, at most
    `repeats_allowed`. Returns how many repeats there were."""
    copies: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for index, push in enumerate(pushes(sink)):
        if push["group_message_id"] in sent:
            copies[(push["group_message_id"], push["contact_id"])].append(
                (index, push["delivery_id"]))
    expected = {(gm, c) for gm, members in sent.items() for c in members}
    assert set(copies) == expected
    for gm, members in sent.items():
        records = notifications(traffic, gm)
        assert sorted(r["contact_id"] for r in records) == sorted(members)  # one each
        assert {(r["channel"], r["state"]) for r in records} == {("push", "delivered")}
        for record in records:
            assert {d for _, d in copies[(gm, record["contact_id"])]} == {record["id"]}
    repeated = {k: v for k, v in copies.items() if len(v) > 1}
    assert sum(len(v) - 1 for v in repeated.values()) <= repeats_allowed, repeated
    assert all(v[0][0] < received_before_kill for v in repeated.values()), repeated
    return sum(len(v) - 1 for v in repeated.values())


# --- the tests ---


def test_a_process_killed_mid_traffic_loses_delays_and_repeats_nothing() -> None:
    started = time.monotonic()
    with http_sink() as sink, fleet_on_fresh_database(sink) as fleet:
        hold_answers(sink, 0.1)
        fleet.start("A", "B")
        traffic = login(fleet, "A")
        try:
            targets = sms_targets(traffic.client("A"), direct=8, chats=3)
            group_id, members = audience(traffic, 80)
            group_messages: dict[str, set[str]] = {}
            with traffic.stream(targets):
                time.sleep(2.0)
                # Through A just before it dies: notifications and SMS it has just accepted.
                group_messages[traffic.group_message(group_id, prefer="A")] = members
                burst = traffic.burst(targets, 16, prefer="A")
                assert {s.via for s in burst} == {"A"}
                fleet.kill("A")
                killed_at = time.monotonic()
                # Taken just after the kill, what is meant to be finished by others.
                unfinished = [s for s, st in zip(
                    burst, statuses(traffic, burst).values(), strict=True) if st != "delivered"]
                time.sleep(0.2)
                received_before_kill = len(sink.received)
                assert len(unfinished) >= 4, "the kill came too late to test anything"
                assert len({(p["group_message_id"], p["contact_id"]) for p in pushes(sink)}
                           ) < len(members), "A had sent every notification before the kill"
                time.sleep(3.5)  # B alone goes on taking sends
                group_messages[traffic.group_message(group_id, prefer="B")] = members
                time.sleep(0.5)
            traffic_end = time.monotonic()
            assert traffic.problems == []
            assert {s.via for s in traffic.sent} == {"A", "B"}
            await_all_delivered(traffic, timeout=20)
            assert_each_send_made_one_message(traffic)
            queued, undelivered = assert_none_waited_long(fleet.db_url, traffic.sent)
            assert_handsets_got_each_once(traffic)
            # (How soon after a kill they all go out: the last test.)
            await_notifications(traffic, sink, group_messages, killed_at + 30,
                                "30 s after the kill")
            repeats = assert_each_notification_once(
                traffic, sink, group_messages, repeats_allowed=JOB_WORKERS,
                received_before_kill=received_before_kill)
            print(f"\n{len(traffic.sent)} SMS ({len(unfinished)} of A's unfinished at the "
                  f"kill), longest queued {queued:.2f} s, undelivered {undelivered:.2f} s, "
                  f"settled {time.monotonic() - traffic_end:.1f} s after the traffic; "
                  f"{repeats} push repeats; test {time.monotonic() - started:.1f} s")
        finally:
            traffic.close()


def test_a_rolling_restart_under_steady_sends_loses_and_repeats_nothing() -> None:
    started = time.monotonic()
    # A lease longer than the bounds below: a job a SIGTERMed process kept (instead of
    # finishing it or handing it back) would wait for it, and show.
    env = {**ENV, "CONSOLE_JOB_LEASE_S": "20"}
    with http_sink() as sink, fleet_on_fresh_database(sink, env) as fleet:
        fleet.start("A", "B")
        traffic = login(fleet, "A")
        try:
            targets = sms_targets(traffic.client("A"), direct=6, chats=2)
            group_id, members = audience(traffic, 30)
            group_messages: dict[str, set[str]] = {}
            with traffic.stream(targets, pause_s=0.05):
                time.sleep(1.5)
                fleet.start("C")
                time.sleep(1.0)
                group_messages[traffic.group_message(group_id, prefer="A")] = members
                fleet.stop("A")
                a_stopped_at = time.monotonic()
                time.sleep(1.0)
                fleet.start("D")
                time.sleep(1.0)
                fleet.stop("B")
                time.sleep(2.5)
            traffic_end = time.monotonic()
            assert traffic.problems == []
            assert {s.via for s in traffic.sent} == {"A", "B", "C", "D"}
            await_all_delivered(traffic, timeout=20)
            assert_each_send_made_one_message(traffic)
            queued, undelivered = assert_none_waited_long(fleet.db_url, traffic.sent)
            assert_handsets_got_each_once(traffic)
            await_notifications(traffic, sink, group_messages, a_stopped_at + 15,
                                "15 s after A stopped")
            assert_each_notification_once(traffic, sink, group_messages)  # SIGTERM: no repeat
            print(f"\n{len(traffic.sent)} SMS, longest queued {queued:.2f} s, undelivered "
                  f"{undelivered:.2f} s, settled {time.monotonic() - traffic_end:.1f} s after the "
                  f"traffic; test {time.monotonic() - started:.1f} s")
        finally:
            traffic.close()


def test_notifications_of_a_killed_process_go_out_within_seconds() -> None:
    started = time.monotonic()
    with http_sink() as sink, fleet_on_fresh_database(sink) as fleet:
        gate = hold_answers(sink)
        fleet.start("A", "B")
        traffic = login(fleet, "A")
        try:
            group_id, members = audience(traffic, 200)
            gate.clear()
            group_message_id = traffic.group_message(group_id, prefer="A")
            # Committed and fanned out; every job worker of both processes is caught with a
            # push out (A's woken by its commit, B's when they next look), the rest queued.
            first = time.monotonic()
            while len(sink.received) < 2 * JOB_WORKERS:
                assert time.monotonic() - first < 10, f"{len(sink.received)} pushes went out"
                time.sleep(0.01)
            fleet.kill("A")
            killed_at = time.monotonic()
            received_before_kill = len(sink.received)
            assert received_before_kill == 2 * JOB_WORKERS
            gate.set()
            sent = {group_message_id: members}
            await_notifications(traffic, sink, sent, killed_at + 12, "12 s after the kill")
            took = time.monotonic() - killed_at
            repeats = assert_each_notification_once(
                traffic, sink, sent, repeats_allowed=JOB_WORKERS,
                received_before_kill=received_before_kill)
            print(f"\nall {len(members)} notifications delivered {took:.1f} s after the kill; "
                  f"{repeats} repeats; test {time.monotonic() - started:.1f} s")
        finally:
            gate.set()
            traffic.close()
