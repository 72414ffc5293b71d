"""Build a big cache file: 100,000 conversations and 1,000,000 messages, in under a minute.

Run: .venv/bin/python tests/bench/seed_cache.py PATH [--conversations N] [--messages N]
     [--seed 7]; prints the time of each step and the total.

The file is a real cache (Cache.open migrates it to head), filled straight through its own
tables with INSERT ... SELECT over a recursive counter (no row passes through Python but the
people, numbers and 200,000 message bodies), then indexed for History search in one bulk pass
(console.store.search_index.rebuild, what migration r0007 runs). Its session meta is that of a
signed-in agent (`bench@example.com` at http://127.0.0.1:9, user `usr_me`), so a workspace opens
it offline.

What is in it, and why:
- 12 colleagues, 6 business numbers, 60,000 contacts (first x last names, US numbers);
- conversations: 80% 1:1 SMS, 10% group chats (3-6 participants, most untitled), 10% in-app;
  conversation `con_000000` holds 100,000 messages (the "open a conversation with 100,000
  messages" figure); the other 900,000 spread unevenly (a few busy threads, many short);
- bodies: 200,000 distinct texts of 2-40 words drawn Zipf-like from a 3,000-word vocabulary
  (real words first, then made-up ones: names of places, products, codes), so a prefix can hit
  a million rows ("t") or ten;
- two years of times, newest last (a synced cache's order), 1% of messages arriving late (ids
  out of time order, as after a reassignment), statuses as they end up (85% delivered...);
- 40 audience groups, 300 group messages with 20 in-app copies each (left out of History).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import URL, create_engine

from console.store import search_index
from console.store.cache import Cache


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "Maria James Aisha Tom Emily Oliver Hannah Robert Sofia Liam Grace Noah Chloe Ethan Zoe "
    "Daniel Isabella Lucas Mia Benjamin Harper Samuel Ella Jack Ava Henry Lily Mason Amelia "
    "Logan Nora Caleb Layla Owen José Zoë Renée Björn Ana Chen Wei Fatima Omar Priya Ravi Yuki "
    "Hiro Ines Lucía Mateo Camila Diego Elena Ivan Olga Kwame Amara Tariq Leila Sean Niamh"
)
LAST = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Müller Núñez "
    "O'Brien Kowalski Nakamura Okafor Haddad Petrov Lindqvist Dubois Rossi Costa"
)
COMMON = _words(
    "the to and a of you i for is in it that on we your be this have with are will at can "
    "me my so if not do just please thanks thank hi hello ok okay yes no get our all know "
    "what time today tomorrow week appointment meeting call back soon see there when about "
    "from would could should let us need want here order delivery invoice payment account "
    "number confirm confirmed reminder schedule rescheduled cancel cancelled available open "
    "closed office hours address parking pickup ready shipped tracking package refund receipt "
    "price quote estimate balance due paid card bank transfer morning afternoon evening "
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december great good sorry problem issue "
    "help support question answer update new change changed again still already just running "
    "late minutes hour later earlier early arrive arrived leaving left door front reception "
    "doctor dentist clinic visit checkup results test form forms sign signed document copy "
    "email phone text message reply stop start info details name date place room floor "
    "building team manager service plan policy claim insurance coverage renewal subscription "
    "offer discount sale event class lesson session program student parent school teacher"
)
SYLLABLES = _words("ka lo mi ra ten vor zu pel qua dex ri no sa tel bri mon gar fi lu xen")


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    words = list(dict.fromkeys(COMMON))
    while len(words) < size:
        made = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if rng.random() < 0.08:
            made += str(rng.randint(10, 9999))  # order numbers, codes
        words.append(made)
    return words


def bodies(rng: random.Random, words: list[str], count: int) -> list[str]:
    # Zipf-like: word k drawn with weight 1/(k+1).
    cumulative = list(itertools.accumulate(1.0 / (k + 1) for k in range(len(words))))
    out = []
    for _ in range(count):
        length = min(40, max(2, int(rng.lognormvariate(2.2, 0.6))))
        text = " ".join(rng.choices(words, cum_weights=cumulative, k=length))
        out.append(text[0].upper() + text[1:] + rng.choice((".", "!", "?", "", ".")))
    return out


def phone(rng: random.Random) -> str:
    return f"+1{rng.choice((415, 628, 510, 650, 212, 312))}{rng.randint(2000000, 9999999)}"


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def seed(path: Path, conversations: int, messages: int, rng_seed: int) -> dict[str, float]:
    rng = random.Random(rng_seed)
    figures: dict[str, float] = {}
    mark = time.perf_counter()

    def step(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        figures[name] = now - mark
        mark = now

    if path.exists():
        raise SystemExit(f"{path} exists: give a new path")
    Cache.open(path).close()  # the real schema, migrated to head
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-200000")
    db.execute("PRAGMA threads=2")  # sorts (index builds) on both cores
    db.execute("BEGIN")
    step("schema")

    now = datetime(2026, 12, 1, tzinfo=UTC)
    start = now - timedelta(days=730)
    users = [("usr_me", "bench@example.com", "Bench Agent")] + [
        (f"usr_{i:02d}", f"agent{i}@example.com", f"{rng.choice(FIRST)} {rng.choice(LAST)}")
        for i in range(1, 12)
    ]
    db.executemany(
        "INSERT INTO users (id, email, name, role, data_access) VALUES (?, ?, ?, 'admin', 'all')",
        users,
    )
    db.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [("server_url", "http://127.0.0.1:9"), ("email", "bench@example.com"),
         ("user_id", "usr_me")],
    )
    numbers = [(f"num_{i}", phone(rng), label) for i, label in enumerate(
        ("Main line", "Support", "Sales", "Billing", "Clinic", "After hours"))]
    db.executemany(
        "INSERT INTO business_numbers (id, e164, label, is_default, assigned_user_id, can_send) "
        "VALUES (?, ?, ?, 0, NULL, 1)",
        numbers,
    )
    contact_count = 60_000
    contacts = [
        (f"ct_{i:06d}", f"{rng.choice(FIRST)} {rng.choice(LAST)}", phone(rng))
        for i in range(contact_count)
    ]
    db.executemany(
        "INSERT INTO contacts (id, name, email, dnd, assigned_user_id, updated_at, deleted) "
        "VALUES (?, ?, NULL, 0, NULL, ?, 0)",
        [(cid, name, stamp(start)) for cid, name, _ in contacts],
    )
    db.executemany(
        "INSERT INTO contact_phones (contact_id, position, number, label) "
        "VALUES (?, 0, ?, 'primary')",
        [(cid, number) for cid, _, number in contacts],
    )
    step("people")

    # (id, kind, title, number_id, contact_id, phone, participants_json)
    rows: list[tuple[str, str, str, str | None, str | None, str | None, str | None]] = []
    for i in range(conversations):
        cid, name, number = contacts[i % contact_count]
        roll = rng.random() if i else 0.0
        if roll < 0.8:
            rows.append((f"con_{i:06d}", "direct", name, rng.choice(numbers)[0], cid, number,
                         None))
        elif roll < 0.9:
            people = rng.sample(contacts, rng.randint(3, 6))
            participants = json.dumps([
                {"contact_id": p[0], "name": p[1], "phone": p[2], "tags": []} for p in people
            ])
            title = "" if rng.random() < 0.8 else f"{rng.choice(COMMON).title()} team"
            rows.append((f"con_{i:06d}", "group_sms", title, rng.choice(numbers)[0], None, None,
                         participants))
        else:
            rows.append((f"con_{i:06d}", "in_app", name, None, cid, None, None))
    db.executemany(
        "INSERT INTO conversations (id, kind, title, number_id, contact_id, phone, status, "
        "last_message_preview, unread_count, participants_json, known) "
        "VALUES (?, ?, ?, ?, ?, ?, 'active', '', 0, ?, 1)",
        rows,
    )
    step("conversations")

    vocab = vocabulary(rng)
    texts = bodies(rng, vocab, 200_000)
    db.execute("CREATE TEMP TABLE seed_bodies (id INTEGER PRIMARY KEY, body TEXT)")
    db.executemany("INSERT INTO seed_bodies (id, body) VALUES (?, ?)", enumerate(texts))
    step("bodies")

    # One thread of 100,000, then the rest spread unevenly: the conversation of message i is
    # picked by a skewed hash (low numbers busier).
    # The thread index is made again after the fill (one sort instead of a million inserts),
    # from its own definition in the schema.
    (thread_index,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'ix_messages_conversation_created'"
    ).fetchone()
    db.execute("DROP INDEX ix_messages_conversation_created")
    big = min(100_000, messages // 10)
    span_ms = int((now - start).total_seconds() * 1000)
    first_ms = int(start.timestamp() * 1000)
    others = max(1, conversations - 1)
    db.execute(
        f"""
        INSERT INTO messages (server_id, client_key, conversation_id, direction, author_user_id,
            author_contact_id, body, status, created_at)
        WITH RECURSIVE seq(i) AS
            (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {messages - 1}),
        -- Multiplicative hashes of i, not random(): a column read twice must read the same.
        picked AS (
            SELECT i,
                CASE WHEN i % 10 = 0 AND i / 10 < {big} THEN 0
                     ELSE 1 + ((i * 1597334677 + {rng_seed}) % 4294967291 % {others})
                          * ((i * 3266489917) % 4294967291 % 1000) / 1000
                END AS conv,
                (i * 2654435761 + {rng_seed}) % 4294967291 % 100 AS roll,
                (i * 2246822519 + 7) % 4294967291 % 200000 AS body_id,
                -- 1% arrive late: their time is weeks before their place in id order
                {first_ms} + i * ({span_ms} / {messages}) + (i * 374761393) % 60000
                    - CASE WHEN (i * 668265263) % 4294967291 % 100 = 0
                      THEN (i * 2246822519) % 2592000000 ELSE 0 END AS ms
            FROM seq
        )
        SELECT printf('msg_%07d', p.i), NULL, c.id,
            CASE WHEN p.roll < 55 THEN 'out' ELSE 'in' END,
            CASE WHEN p.roll < 55 THEN
                CASE WHEN p.roll < 25 THEN 'usr_me' ELSE printf('usr_%02d', 1 + p.roll % 11) END
            END,
            CASE WHEN p.roll >= 55 THEN coalesce(c.contact_id,
                json_extract(c.participants_json, '$[' || (p.roll % 3) || '].contact_id')) END,
            b.body,
            CASE WHEN p.roll >= 55 THEN 'received'
                 WHEN p.roll < 47 THEN 'delivered' WHEN p.roll < 51 THEN 'sent'
                 WHEN p.roll < 53 THEN 'undelivered' ELSE 'failed' END,
            strftime('%Y-%m-%d %H:%M:%f', p.ms / 1000.0, 'unixepoch') || '000'
        FROM picked AS p
        JOIN conversations AS c ON c.id = printf('con_%06d', p.conv)
        JOIN temp.seed_bodies AS b ON b.id = p.body_id
        """
    )
    db.execute(thread_index)
    step("messages")

    # Audience groups and group messages, each with 20 in-app copies (same sender, body, time).
    groups = [(f"grp_{i:03d}", f"{rng.choice(COMMON).title()} {rng.choice(('club', 'list', 'team', 'parents', 'patients'))} {i}") for i in range(40)]  # noqa: E501
    db.executemany(
        "INSERT INTO groups (id, name, name_key, description, member_count, created_at, "
        "updated_at, deleted) VALUES (?, ?, lower(?), '', 500, ?, ?, 0)",
        [(gid, name, name, stamp(start), stamp(start)) for gid, name in groups],
    )
    in_app = [r[0] for r in rows if r[1] == "in_app"]
    group_rows, copies = [], []
    for i in range(300):
        gid, gname = rng.choice(groups)
        sender = rng.choice(users)[0]
        body = rng.choice(texts)
        at = stamp(start + timedelta(seconds=rng.randint(0, 730 * 86400)))
        group_rows.append((f"gm_{i:04d}", gid, gname, sender, f"Notice {i}", body, at))
        copies += [
            (f"gmc_{i:04d}_{k}", conv, sender, body, at)
            for k, conv in enumerate(rng.sample(in_app, min(20, len(in_app))))
        ]
    db.executemany(
        "INSERT INTO group_messages (id, group_id, group_name, sender_user_id, title, body, "
        "sent_at, recipient_count, delivered_count, read_count, replied_count) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 500, 480, 300, 12)",
        group_rows,
    )
    db.executemany(
        "INSERT INTO messages (server_id, conversation_id, direction, author_user_id, body, "
        "status, created_at) VALUES (?, ?, 'out', ?, ?, 'sent', ?)",
        copies,
    )
    # Each conversation's activity: its newest message (the conversation list's order).
    db.execute(
        "UPDATE conversations AS c SET activity_at = n.at, last_message_at = n.at, "
        "last_message_preview = substr(n.body, 1, 140) FROM (SELECT conversation_id, "
        "max(created_at) AS at, body FROM messages GROUP BY conversation_id) AS n "
        "WHERE n.conversation_id = c.id"
    )
    db.execute(
        "INSERT OR REPLACE INTO sync_state (id, cursor, last_sync_at) VALUES (1, 'seeded', ?)",
        (stamp(now),),
    )
    db.execute("COMMIT")
    db.close()
    step("groups and activity")

    # The index in one pass, as migration r0007 fills it, but without the cache's WAL: a
    # gigabyte of log for a file nobody else has open would only double the writing.
    engine = create_engine(URL.create("sqlite+pysqlite", database=str(path)))
    with engine.connect() as conn:
        for pragma in ("journal_mode=DELETE", "journal_mode=OFF", "synchronous=OFF",
                       "cache_size=-200000", "threads=2"):
            conn.exec_driver_sql(f"PRAGMA {pragma}")
        conn.commit()
        with conn.begin():
            search_index.rebuild(conn)
    engine.dispose()
    Cache.open(path).close()  # back to WAL, as the console opens it
    step("search index")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    began = time.perf_counter()
    figures = seed(args.path, args.conversations, args.messages, args.seed)
    total = time.perf_counter() - began
    for name, seconds in figures.items():
        print(f"{name:>22}: {seconds:6.1f} s")
    size = args.path.stat().st_size / 1e6
    print(f"{'total':>22}: {total:6.1f} s  ({args.conversations:,} conversations, "
          f"{args.messages:,} messages, {size:,.0f} MB)")


if __name__ == "__main__":
    main()
