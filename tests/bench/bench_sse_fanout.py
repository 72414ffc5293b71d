"""50 concurrent `/v1/events` clients: time from a write to every client having received it.

Run: .venv/bin/python tests/bench/bench_sse_fanout.py [--clients 50] [--writes 120]
     (also on PostgreSQL when CONSOLE_TEST_PG_URL is set: once with the write through the
     same process, once through a second serve process, so the wake-up is LISTEN/NOTIFY)

One real backend process (SQLite, demo seed); `--clients` streams are opened on it (each read
on a thread of its own, tests/backend/sse_client.py), then `--writes` contacts are created one
after another through the API. For each write: t0 just before the POST; the figure is the time
until the last of the clients has the event (all received), and, per client, until it has it.
Each write waits for every client before the next, so the figures are latencies, not a queue.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.sse_client import Sse, SseStream
from tests.bench.bench_sync_feed import postgres_database
from tests.support.backend_process import BackendProcess


class Arrivals:
    """When each client got each contact (by id)."""

    def __init__(self, clients: int) -> None:
        self.clients = clients
        self._seen: dict[str, list[float]] = {}
        self._cond = threading.Condition()

    def handler(self) -> Callable[[Sse], None]:
        def on_item(item: Sse) -> None:
            if item.data is None or item.event != "contact.upserted":
                return
            contact_id = item.json()["data"]["id"]
            with self._cond:
                self._seen.setdefault(contact_id, []).append(item.at)
                self._cond.notify_all()

        return on_item

    def wait_all(self, contact_id: str, timeout: float = 30) -> list[float]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._seen.get(contact_id, ())) < self.clients:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"not every client received {contact_id}")
                self._cond.wait(left)
            return list(self._seen[contact_id])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def run(label: str, reader: BackendProcess, writer: BackendProcess, clients: int,
        writes: int) -> None:
    token = reader.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    arrivals = Arrivals(clients)
    streams = [SseStream(reader.url, token, on_item=arrivals.handler()).start()
               for _ in range(clients)]
    all_received: list[float] = []
    each: list[float] = []
    try:
        with writer.client(writer.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)) as http:
            for index in range(writes + 5):
                t0 = time.perf_counter()
                response = http.post("/v1/contacts", json={"name": f"Fanout {index}"})
                response.raise_for_status()
                times = arrivals.wait_all(response.json()["id"])
                if index < 5:
                    continue  # warm-up: first requests, connection pools, imports
                all_received.append(max(times) - t0)
                each.extend(t - t0 for t in times)
    finally:
        for stream in streams:
            stream.close()
    ms = 1000
    print(
        f"[{label}] {clients} clients, {writes} writes: all received p50 "
        f"{statistics.median(all_received) * ms:.1f} ms, p95 "
        f"{percentile(all_received, 0.95) * ms:.1f} ms, max {max(all_received) * ms:.1f} ms; "
        f"per client p50 {statistics.median(each) * ms:.1f} ms, p95 "
        f"{percentile(each, 0.95) * ms:.1f} ms"
    )


@contextmanager
def serving(url: str, *, seed: bool) -> Iterator[BackendProcess]:
    backend = BackendProcess(url, args=["--seed", "demo"] if seed else []).start()
    try:
        yield backend
    finally:
        backend.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--writes", type=int, default=120)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-sse-"))
    with serving(f"sqlite:///{folder / 'sse.db'}", seed=True) as backend:
        run("sqlite", backend, backend, args.clients, args.writes)
    server = os.environ.get("CONSOLE_TEST_PG_URL")
    if not server:
        print("[postgresql] skipped: set CONSOLE_TEST_PG_URL")
        return
    with postgres_database(server) as url, serving(url, seed=True) as first:
        run("postgresql", first, first, args.clients, args.writes)
        with serving(url, seed=False) as second:
            run("postgresql, write via another process", first, second, args.clients,
                args.writes)


if __name__ == "__main__":
    main()
