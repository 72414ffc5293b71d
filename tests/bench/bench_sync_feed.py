"""`/v1/sync` served in pages of 500 over a feed of >= 100,000 events: events per second.

Run: .venv/bin/python tests/bench/bench_sync_feed.py [--events 100000] [--runs 3]
     (also on PostgreSQL when CONSOLE_TEST_PG_URL is set, in a database of its own)

The database gets the demo seed, then `--events` message.upserted events written straight into
the feed (Core executemany; every event about a contact, a quarter of them assigned to the
assigned-only demo user). The real backend process serves it; one keep-alive client walks the
whole feed from the start with limit=500, as an admin (every event) and as the assigned-only
user (the visibility filter on; a quarter of the events). Figures: events/s served, pages/s,
and the median and 95th percentile of one page's round trip.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import psycopg
from sqlalchemy import Table, insert, select
from sqlalchemy.engine import make_url

from console.backend import models
from console.backend.db import Database
from console.backend.lifecycle import prepare_database
from console.backend.settings import Settings
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PASSWORD
from tests.support.backend_process import BackendProcess

ASSIGNED = "diego.agent@demo.example"
PAGE = 500
CHUNK = 10_000


def fill(url: str, count: int) -> None:
    db = Database(url)
    try:
        prepare_database(db, Settings(db_url=url, seed="demo"))
        with db.reading() as session:
            diego = session.scalar(select(models.User.id).where(models.User.email == ASSIGNED))
        now = datetime.now(UTC)
        for offset in range(0, count, CHUNK):
            rows: list[dict[str, Any]] = []
            for i in range(offset, min(count, offset + CHUNK)):
                message_id = f"msg_{uuid.uuid4().hex[:20]}"
                rows.append({
                    "type": "message.upserted",
                    "entity_id": message_id,
                    "data": {
                        "id": message_id, "conversation_id": f"cnv_{i % 500:020d}",
                        "direction": "out" if i % 2 else "in", "author_user_id": None,
                        "body": f"Benchmark message number {i}, long enough to look real.",
                        "status": "delivered", "error_code": None,
                        "created_at": "2026-01-01T12:00:00Z",
                    },
                    "contact_id": f"con_{i % 500:020d}",
                    "number_id": None,
                    "owner_user_id": diego if i % 4 == 0 else None,
                    "admin_only": False,
                    "created_at": now,
                })
            with db.engine.begin() as connection:
                connection.execute(insert(cast(Table, models.Event.__table__)), rows)
    finally:
        db.dispose()


def walk(backend: BackendProcess, email: str, password: str) -> dict[str, float]:
    token = backend.login(email, password)
    pages: list[float] = []
    events = 0
    with backend.client(token) as http:
        http.timeout = 60
        since: str | None = None
        started = time.perf_counter()
        while True:
            params: dict[str, Any] = {"limit": PAGE, **({"since": since} if since else {})}
            t0 = time.perf_counter()
            response = http.get("/v1/sync", params=params)
            response.raise_for_status()
            body = response.json()
            pages.append(time.perf_counter() - t0)
            events += len(body["events"])
            since = body["next"]
            if not body["has_more"]:
                break
        total = time.perf_counter() - started
    pages.sort()
    return {
        "events": events,
        "seconds": total,
        "events_per_s": events / total,
        "pages_per_s": len(pages) / total,
        "page_p50_ms": statistics.median(pages) * 1000,
        "page_p95_ms": pages[int(len(pages) * 0.95) - 1] * 1000,
    }


@contextmanager
def sqlite_database() -> Iterator[str]:
    folder = Path(tempfile.mkdtemp(prefix="bench-feed-"))
    yield f"sqlite:///{folder / 'feed.db'}"


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    server = make_url(server_url)
    name = f"console_bench_{uuid.uuid4().hex[:8]}"
    admin_dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench(label: str, url: str, count: int, runs: int) -> None:
    t0 = time.perf_counter()
    fill(url, count)
    print(f"[{label}] filled {count} events in {time.perf_counter() - t0:.1f} s")
    backend = BackendProcess(url).start()
    try:
        for who, email, password in (("admin", DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD),
                                     ("assigned-only", ASSIGNED, DEMO_PASSWORD)):
            results = [walk(backend, email, password) for _ in range(runs)]
            best = max(results, key=lambda r: r["events_per_s"])
            rates = ", ".join(f"{r['events_per_s']:,.0f}" for r in results)
            print(
                f"[{label}] {who:13s}: {best['events']:,} events; events/s per run: {rates}; "
                f"best run {best['pages_per_s']:.1f} pages/s, page p50 "
                f"{best['page_p50_ms']:.1f} ms, p95 {best['page_p95_ms']:.1f} ms"
            )
    finally:
        backend.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with sqlite_database() as url:
        bench("sqlite", url, args.events, args.runs)
    server = os.environ.get("CONSOLE_TEST_PG_URL")
    if server:
        with postgres_database(server) as url:
            bench("postgresql", url, args.events, args.runs)
    else:
        print("[postgresql] skipped: set CONSOLE_TEST_PG_URL")


if __name__ == "__main__":
    main()
