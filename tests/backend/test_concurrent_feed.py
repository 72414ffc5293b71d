"""The change feed never skips an event, even with several serve processes and many writers
whose transactions commit in any order.

Writers of different kinds (contacts, outbound messages with the simulator's status steps,
simulator inbound messages) go through every process at once while readers follow the feed on
every process: /v1/sync pollers (small pages) and /v1/events streams. Each reader must end up
with exactly the seqs of a full read made afterwards: every one, once, in order.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import sync_all, wait_for
from tests.backend.flows import open_thread
from tests.backend.pg import fresh_database, needs_postgres
from tests.backend.sse_client import SseStream, open_stream
from tests.support.backend_process import BackendProcess, sqlite_url

PROCESSES = 3
CONTACTS = MESSAGES = INBOUND = 24
# Fast simulator steps, so status changes race with everything else.
SIMULATOR = {"CONSOLE_SIMULATOR_SENT_AFTER": "0.01", "CONSOLE_SIMULATOR_DELIVERED_AFTER": "0.02"}


@contextmanager
def serve_processes(url: str) -> Iterator[list[BackendProcess]]:
    started: list[BackendProcess] = []
    try:
        started.append(BackendProcess(url, args=["--seed", "demo"], env=SIMULATOR).start())
        for _ in range(PROCESSES - 1):
            started.append(BackendProcess(url, env=SIMULATOR).start())
        yield started
    finally:
        for process in started:
            process.stop()


class SyncPoller:
    """Follows /v1/sync from a cursor in small pages until told to stop; keeps every seq."""

    def __init__(self, client: httpx.Client, since: str, limit: int) -> None:
        self.client, self.cursor, self.limit = client, since, limit
        self.seqs: list[int] = []
        self.error = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                page = self.client.get(
                    "/v1/sync", params={"since": self.cursor, "limit": self.limit}
                )
                page.raise_for_status()
                body = page.json()
                self.seqs.extend(event["seq"] for event in body["events"])
                self.cursor = body["next"]
        except Exception as exc:  # reported by the test, not lost on the thread
            self.error = repr(exc)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)


def _post_contact(client: httpx.Client, n: int) -> httpx.Response:
    return client.post("/v1/contacts", json={"name": f"Writer {n} {uuid.uuid4().hex[:6]}"})


def _post_message(client: httpx.Client, conversation_id: str, n: int) -> httpx.Response:
    return client.post(
        f"/v1/conversations/{conversation_id}/messages", json={"body": f"out {n}"},
        headers={"Idempotency-Key": str(uuid.uuid4())})


def _post_inbound(client: httpx.Client, phone: str, to: str, n: int) -> httpx.Response:
    return client.post("/v1/simulator/inbound", json={"from": phone, "to": [to], "body": f"in {n}"})


def _caught_up(poller: SyncPoller, last: int) -> bool:
    """The poller failed (its error is asserted next) or has read up to seq `last`."""
    return bool(poller.error) or (bool(poller.seqs) and poller.seqs[-1] >= last)


def _stream_seqs(stream: SseStream) -> list[int]:
    return [int(event.json()["seq"]) for event in stream.events]


def _last_seq(cursor: str) -> int:
    return int(cursor.rsplit(".", 1)[1])


def run_concurrent_writers_and_readers(url: str) -> None:
    with serve_processes(url) as processes:
        tokens = [p.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD) for p in processes]
        clients = [p.client(t) for p, t in zip(processes, tokens, strict=True)]
        try:
            run_against(processes, tokens, clients)
        finally:
            for client in clients:
                client.close()


def run_against(
    processes: list[BackendProcess], tokens: list[str], clients: list[httpx.Client]
) -> None:
    admin = clients[0]
    main = next(n for n in admin.get("/v1/numbers").json()["items"] if n["is_default"])
    phones = [f"+1617555{index:04d}" for index in range(7000, 7006)]
    threads = [open_thread(admin, phone) for phone in phones]
    _, start = sync_all(admin)

    streams = [open_stream(p.url, t, since=start) for p, t in zip(processes, tokens, strict=True)]
    pollers = [
        SyncPoller(p.client(t), start, limit)
        for p, t, limit in zip(processes, tokens, (7, 50, 500), strict=True)
    ]
    round_robin = itertools.cycle(clients)
    contacts: list[Callable[[], httpx.Response]] = [
        partial(_post_contact, next(round_robin), index) for index in range(CONTACTS)
    ]
    messages: list[Callable[[], httpx.Response]] = [
        partial(_post_message, next(round_robin), threads[index % len(threads)], index)
        for index in range(MESSAGES)
    ]
    inbound: list[Callable[[], httpx.Response]] = [
        partial(_post_inbound, next(round_robin), phones[index % len(phones)], main["e164"], index)
        for index in range(INBOUND)
    ]
    # Interleaved, so writes of different kinds race each other.
    mixed = [job for trio in zip(contacts, messages, inbound, strict=True) for job in trio]
    try:
        with ThreadPoolExecutor(max_workers=18) as pool:
            responses = list(pool.map(lambda job: job(), mixed))
        assert all(r.status_code in (200, 201) for r in responses), [
            r.text for r in responses if r.status_code not in (200, 201)
        ]
        sent = {r.json()["id"] for r in responses if r.json().get("direction") == "out"}
        assert len(sent) == MESSAGES

        def all_delivered() -> tuple[list[dict[str, Any]], str] | None:
            events, head = sync_all(admin, start)
            delivered = {e["data"]["id"] for e in events if e["type"] == "message.upserted"
                         and e["data"].get("status") == "delivered"}
            return (events, head) if sent <= delivered else None

        final_events, _ = wait_for(all_delivered, timeout=30)
        final = [event["seq"] for event in final_events]
        assert final == sorted(set(final))
        assert len(final) >= CONTACTS + 3 * MESSAGES + INBOUND
        last = final[-1]

        for poller in pollers:
            wait_for(partial(_caught_up, poller, last), timeout=15)
            assert not poller.error, poller.error
        for stream in streams:
            stream.wait_until(lambda s: bool(_stream_seqs(s)) and _stream_seqs(s)[-1] >= last,
                              timeout=15)
    finally:
        for poller in pollers:
            poller.stop()
        for stream in streams:
            stream.close()
    # Up to the final read's last event, each reader saw exactly what it holds.
    for poller in pollers:
        assert [seq for seq in poller.seqs if seq <= last] == final
        assert poller.seqs == sorted(set(poller.seqs))
    for stream in streams:
        seqs = _stream_seqs(stream)
        assert [seq for seq in seqs if seq <= last] == final
        assert seqs == sorted(set(seqs))


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=needs_postgres)])
def test_every_reader_sees_every_event_once_in_order(database: str, tmp_path: Path) -> None:
    if database == "sqlite":
        run_concurrent_writers_and_readers(sqlite_url(tmp_path / "feed.db"))
        return
    with fresh_database() as url:
        run_concurrent_writers_and_readers(url)
