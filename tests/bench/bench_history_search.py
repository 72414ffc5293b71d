"""History search over 1,000,000 messages: keystroke to first rows, next to raw SQLite.

Run: .venv/bin/python tests/bench/bench_history_search.py [--cache PATH] [--rounds 1]
     (without --cache, one is built first by tests/bench/seed_cache.py into a temp folder:
     100,000 conversations, 1,000,000 messages; give --cache to reuse one.)

Target (issue 12): keystroke to first results painted, p95 under 50 ms; this service's share
should stay under 25 ms to leave room for the model and the paint.

Figures, all in the same run over the same file:
- cold open: Cache.open of the file (migrations checked) and the History page's first page with
  no query, in a fresh process (the OS file cache is warm: the seed just wrote the file);
- per keystroke of searches people type (names, words, numbers in several layouts, two-word
  searches, each typed letter by letter: about 200 texts), each measured twice, alternately:
  - service: HistoryService.page(HistoryFilter(query=text), limit=100): the FTS5 query, the
    rows' hydration (names, titles) and the highlight spans, what the UI's worker runs;
  - raw: the same SQL statements (the vocabulary lookup of a long prefix, the keys, then the
    rows of those keys) through the sqlite3 module on its own connection, no SQLAlchemy, no
    Python rows: the floor;
  - count: HistoryService.count (capped at 10,000) for the same text, run after the page;
- a few filtered views (channel, number, status, person) with and without words;
- resident memory of this process (RSS now and peak) after all of it.
p50 / p95 / max are printed; nothing is asserted (the machine is shared: compare the ratios
within one run).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from console.domain.messages import Direction, MessageStatus
from console.protocol.auth import User
from console.services.history import (
    AuthorRef,
    HistoryChannel,
    HistoryFilter,
    HistoryService,
    to_query,
)
from console.services.session import Session
from console.store import history_queries as hq
from console.store.cache import Cache

TARGET_P95_MS = 25.0
PAGE = 100
SEARCHES = [
    "invoice", "appointment tomorrow", "refund", "maria", "josé", "nguyen", "o'brien",
    "parking", "reschedule", "thursday", "maria garcia", "insurance claim", "the", "tracking",
    "415 555", "(628) 4", "5550", "+1 312", "doctor", "kalomi", "kowalski", "thanks",
    "delivery", "zoë", "payment card", "subscription renewal", "pickup ready", "please confirm",
]


def typed(texts: list[str]) -> list[str]:
    """Every prefix of each text, as typed one key at a time."""
    out: list[str] = []
    for text in texts:
        out += [text[:n] for n in range(1, len(text) + 1)]
    return out


def ms(seconds: float) -> float:
    return seconds * 1000.0


def summary(name: str, samples: list[float], target: float | None = None) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    verdict = ""
    if target is not None:
        verdict = "  OK" if p95 < target else f"  OVER {target:.0f} ms"
    return (
        f"{name:<34} n={len(samples):4d}  p50 {statistics.median(ordered):7.2f} ms  "
        f"p95 {p95:7.2f} ms  max {ordered[-1]:7.2f} ms{verdict}"
    )


def timed(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return ms(time.perf_counter() - began)


def service_for(cache: Cache) -> HistoryService:
    user = User(id="usr_me", email="bench@example.com", name="Bench Agent", role="admin",
                data_access="all")
    return HistoryService(cache, Session(user, "http://127.0.0.1:9", "bench", cache.path))


def raw_page(db: sqlite3.Connection, text: str) -> int:
    """The service's two statements through the bare sqlite3 module."""
    query = to_query(HistoryFilter(query=text))

    def lookup(low: str, high: str, limit: int) -> list[str]:
        return [r[0] for r in db.execute(hq.VOCAB_SQL, (low, high, limit))]

    match = hq.fts_expression(query.text, lookup) if query.text.strip() else None
    sql, params = hq.keys_sql(query, match, None)  # the very SQL the service runs
    keys = [r[0] for r in db.execute(f"{sql} LIMIT ?", (*params, PAGE)).fetchall()]
    if keys:
        db.execute(hq.records_sql(len(keys)), keys).fetchall()
    return len(keys)


def cold_open(path: Path) -> str:
    """Cache.open + first page with no query, in a fresh interpreter."""
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[2]); t0 = time.perf_counter()\n"
        "from pathlib import Path\n"
        "from tests.bench.bench_history_search import service_for\n"
        "from console.services.history import HistoryFilter\n"
        "from console.store.cache import Cache\n"
        "t1 = time.perf_counter(); cache = Cache.open(Path(sys.argv[1]))\n"
        "t2 = time.perf_counter(); rows = service_for(cache).page(HistoryFilter()).rows\n"
        "t3 = time.perf_counter(); count = service_for(cache).count(HistoryFilter())\n"
        "t4 = time.perf_counter()\n"
        "print(f'imports {1000*(t1-t0):.0f} ms, Cache.open {1000*(t2-t1):.1f} ms, '\n"
        "      f'first page ({len(rows)} rows) {1000*(t3-t2):.1f} ms, '\n"
        "      f'count ({count.label()}) {1000*(t4-t3):.1f} ms')\n"
    )
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), root], capture_output=True, text=True,
        check=True,
    )
    return done.stdout.strip()


def rss_mb() -> tuple[float, float]:
    now = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            now = int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return now, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    path = args.cache
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="history-bench-")) / "cache.db"
        print(f"seeding {path} ...", flush=True)
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("seed_cache.py")), str(path)],
            check=True,
        )
    print(f"cache: {path} ({path.stat().st_size / 1e6:,.0f} MB), "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("cold open:", cold_open(path))

    cache = Cache.open(path)
    service = service_for(cache)
    db = sqlite3.connect(path)
    keys = typed(SEARCHES)
    service_ms: list[float] = []
    raw_ms: list[float] = []
    count_ms: list[float] = []
    slowest: list[tuple[float, str]] = []
    for _ in range(args.rounds):
        for text in keys:
            flt = HistoryFilter(query=text)
            took = timed(partial(service.page, flt, limit=PAGE))
            service_ms.append(took)
            slowest.append((took, text))
            raw_ms.append(timed(partial(raw_page, db, text)))
            count_ms.append(timed(partial(service.count, flt)))
    print(f"keystrokes: {len(keys)} typed texts x {args.rounds} round(s), first page of {PAGE}")
    print(summary("service: keystroke -> rows", service_ms, TARGET_P95_MS))
    print(summary("raw sqlite3: same SQL", raw_ms))
    print(summary("count (capped 10,000)", count_ms))
    print("slowest keystrokes:", ", ".join(f"{t!r} {v:.1f} ms" for v, t in sorted(slowest)[-5:]))

    filters = {
        "no filter": HistoryFilter(),
        "group messages": HistoryFilter(channels=frozenset({HistoryChannel.GROUP_MESSAGE})),
        "group chats + 'inv'": HistoryFilter(
            query="inv", channels=frozenset({HistoryChannel.GROUP_SMS})),
        "one number, sent": HistoryFilter(number_ids=frozenset({"num_3"}),
                                          direction=Direction.OUT),
        "failed": HistoryFilter(statuses=frozenset({MessageStatus.FAILED})),
        "failed + 'refund'": HistoryFilter(
            query="refund", statuses=frozenset({MessageStatus.FAILED})),
        "one person": HistoryFilter(author=AuthorRef(contact_id="ct_000042")),
        "a colleague + 'card'": HistoryFilter(query="card", author=AuthorRef(user_id="usr_03")),
    }
    for name, flt in filters.items():
        samples = [timed(partial(service.page, flt, limit=PAGE)) for _ in range(5)]
        counted = service.count(flt)
        print(summary(f"filter: {name} ({counted.label()})", samples))
    now, peak = rss_mb()
    print(f"resident memory after searching: {now:.0f} MB (peak {peak:.0f} MB)")
    db.close()
    cache.close()


if __name__ == "__main__":
    main()
