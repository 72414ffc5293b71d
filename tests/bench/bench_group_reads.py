"""Group reads over a big cache: the Groups page's member list, the add-member picker and the
sent group messages list, as the group service answers them (what the pages' models call).

Run: .venv/bin/python tests/bench/bench_group_reads.py [--contacts 50000] [--rounds 5]
Target (issue 11): opening each (its count and first page) under 100 ms; p50 and p95 printed.

A cache file gets --contacts contacts (bench_contact_search.fill_cache, search index built),
then, through the feed's own apply path (store/apply.py, timed too): a 1,000-member group, a
--big-members group, and 1,000 sent group messages with statistics. Measured, each --rounds
times with fresh search caches:

- members: count_members (capped at COUNT_CAP, as the contact list counts) + members_page
  (first 100) of the 1,000-member group, then the same per keystroke of a name typed into its
  search field;
- big members: the same for the big group (the name-index walk: group_queries.BIG_GROUP);
- picker: count_addable (capped) + addable_page(first 100) per keystroke (contacts not in the
  1,000-member group);
- sent: count_sent + sent_page(first 100) newest first, then sorted by delivered, then per
  keystroke of a search.

Nothing is asserted (the machines are noisy): compare with the target and between runs.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.bench_contact_search import fill_cache, keystrokes, percentile

TARGET_MS = 100.0
PAGE = 100
# Counts stop here, as the contact list's model does (console/ui/contact_model.py COUNT_CAP):
# a broad two-letter fragment counted to the end took 100-360 ms, a capped one a few ms.
COUNT_CAP = 200
MEMBER_SEARCH = "maria gon"
PICKER_SEARCHES = ["maria gon", "(415) 555", "whit"]
SENT_SEARCH = "notice 4"


def _event(seq: int, kind: str, data: dict[str, Any]) -> Any:
    from console.protocol.sync import SyncEvent

    return SyncEvent(seq=seq, type=kind, data=data)


def fill_groups(path: Path, members: int, big_members: int, sent: int) -> dict[str, float]:
    """Groups, memberships and sent messages through the feed's apply path; returns timings."""
    from sqlalchemy import select

    from console.store.apply import apply_events
    from console.store.cache import Cache
    from console.store.contact_search import refresh_index
    from console.store.models import contacts

    cache = Cache.open(path)
    rng = random.Random(11)
    now = datetime.now(UTC)
    timings: dict[str, float] = {}
    try:
        while True:  # the contact search index, as ContactService keeps it
            with cache.write() as conn:
                if refresh_index(conn, 20_000) < 20_000:
                    break
        with cache.read() as conn:
            live = list(
                conn.execute(select(contacts.c.id).where(contacts.c.deleted.is_(False)))
                .scalars()
            )
        seq = 0

        def group(gid: str, name: str, count: int) -> list[Any]:
            nonlocal seq
            seq += 1
            events = [_event(seq, "group.upserted", {
                "id": gid, "name": name, "description": "", "member_count": count,
                "created_at": now.isoformat(), "updated_at": now.isoformat(),
            })]
            for contact_id in rng.sample(live, count):
                seq += 1
                events.append(_event(seq, "group.member_added", {
                    "group_id": gid, "contact_id": contact_id, "added_at": now.isoformat(),
                }))
            return events

        feed = group("grp_bench", "Bench buyers", members)
        feed += group("grp_big", "Everyone", big_members)
        for i in range(sent):
            seq += 1
            delivered = rng.randint(0, members)
            feed.append(_event(seq, "group_message.upserted", {
                "id": f"gms_{i:05d}", "group_id": "grp_bench" if i % 2 else "grp_big",
                "sender_user_id": "usr_bench", "title": f"Notice {i}",
                "body": f"Open house number {i} this weekend", "recipient_count": members,
                "sent_at": (now - timedelta(minutes=sent - i)).isoformat(),
                "stats": {"recipients": members, "delivered": delivered,
                          "read": delivered // 2, "replied": delivered // 10,
                          "notification_failures": rng.randint(0, 3)},
            }))
        began = time.perf_counter()
        with cache.write() as conn:
            apply_events(conn, feed)
        timings["apply"] = time.perf_counter() - began
        timings["events"] = len(feed)
        with cache.write() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        cache.close()
    return timings


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return (time.perf_counter() - began) * 1000


def measure(path: Path, rounds: int) -> dict[str, list[float]]:
    from console.protocol.auth import User
    from console.services.group_reads import SentSort
    from console.services.groups import GroupService
    from console.services.session import Session
    from console.store.cache import Cache
    from console.store.contact_search import forget_broadness

    cache = Cache.open(path)
    user = User(id="usr_bench", email="b@example.com", name="Bench", role="admin",
                data_access="all")
    ws = GroupService(
        cache, Session(user=user, server_url="http://x", profile="bench", cache_path=path),
        publish=lambda _: None, wake_sync=lambda: None,
    )
    figures: dict[str, list[float]] = {}

    def add(name: str, ms: float) -> None:
        figures.setdefault(name, []).append(ms)

    def members_open(gid: str, text: str) -> None:
        ws.count_members(gid, text, cap=COUNT_CAP)
        ws.members_page(gid, text, 0, PAGE)

    def picker_open(text: str) -> None:
        ws.count_addable("grp_bench", text, cap=COUNT_CAP)
        ws.addable_page("grp_bench", text, 0, PAGE)

    def sent_open(text: str = "", sort: SentSort = SentSort.SENT_AT) -> None:
        ws.count_sent(text)
        ws.sent_page(text, 0, PAGE, sort=sort)

    try:
        for _ in range(rounds):
            forget_broadness()
            add("members: open (1,000)", timed(lambda: members_open("grp_bench", "")))
            add("members: scroll to row 900", timed(
                lambda: ws.members_page("grp_bench", "", 900, PAGE)))
            for _, text in keystrokes(MEMBER_SEARCH):
                add("members: keystroke", timed(partial(members_open, "grp_bench", text)))
            add("big group: open", timed(lambda: members_open("grp_big", "")))
            for _, text in keystrokes(MEMBER_SEARCH):
                add("big group: keystroke", timed(partial(members_open, "grp_big", text)))
            add("picker: open", timed(lambda: picker_open("")))
            for search in PICKER_SEARCHES:
                for _, text in keystrokes(search):
                    add("picker: keystroke", timed(partial(picker_open, text)))
            add("sent: open (newest first)", timed(sent_open))
            add("sent: sort by delivered", timed(lambda: sent_open(sort=SentSort.DELIVERED)))
            for _, text in keystrokes(SENT_SEARCH):
                add("sent: keystroke", timed(partial(sent_open, text)))
            add("groups list: open", timed(lambda: (ws.count_groups(), ws.groups_page("", 0, 50))))
            add("send confirmation count", timed(lambda: ws.recipients_now("grp_bench")))
            add("person's groups", timed(lambda: ws.groups_of_contact("con_0000001")))
    finally:
        cache.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=50_000)
    parser.add_argument("--members", type=int, default=1_000)
    parser.add_argument("--big-members", type=int, default=20_000)
    parser.add_argument("--sent", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-groups-"))
    try:
        path = folder / "cache.db"
        began = time.perf_counter()
        fill_cache(path, args.contacts)
        print(f"filled {args.contacts:,} contacts in {time.perf_counter() - began:.1f} s")
        filled = fill_groups(path, args.members, args.big_members, args.sent)
        print(f"applied {int(filled['events']):,} group events through the feed's apply path "
              f"in {filled['apply']:.2f} s")
        figures = measure(path, args.rounds)
        print(f"\n{'figure':32} {'n':>4} {'p50 ms':>8} {'p95 ms':>8}   target {TARGET_MS:.0f} ms")
        for name, values in figures.items():
            p95 = percentile(values, 95)
            verdict = "ok" if p95 < TARGET_MS else "OVER"
            print(f"{name:32} {len(values):4d} {statistics.median(values):8.1f} {p95:8.1f}"
                  f"   {verdict}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
