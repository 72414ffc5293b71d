"""Messages per second through 1, 2 and 4 `serve` processes on one PostgreSQL (simulator carrier).

For each process count a throwaway database gets an admin, one business number and `--contacts`
bulk-made contacts, each with a 1:1 SMS conversation (opened through the API, not timed). Then
`--clients` client threads (one reused httpx.Client each, like agents' consoles behind a load
balancer) send `--messages` 1:1 SMS, message i going to process i mod N and conversation
i mod contacts, each POST with its own Idempotency-Key (retried with the same key on a
transport error or 5xx, so a retry never makes a second message). It measures:

  accepted   POSTs answered 201 per second, first POST to last answer; p50/p95 POST latency
  delivered  end to end: from the first POST until every message is `delivered`, per second

The simulator's pretend carrier latency is set to ~0 (CONSOLE_SIMULATOR_SENT_AFTER=0.001 and
CONSOLE_SIMULATOR_DELIVERED_AFTER=0.001; the settings refuse 0), so the figure is the backend's
own work (accept, hand to the carrier, two status steps, the handset copy), not the sleep of a
pretend network. Afterwards it checks exactly-once: as many outbound messages as sends, every
one `delivered`, and exactly one simulator outbox row (what reached the handset) per message.

The client threads run on the same machine and compete with the servers for its cores (the
script prints the core count and its own CPU time): on a 2-core machine more processes cannot
add CPU, so the 2- and 4-process figures show the cost of coordination more than a speed-up.
Wall-clock rates also move with whatever else runs there, so it prints figures that do not:
the servers' CPU per message, PostgreSQL's CPU (its backends for this run's database, when the
server is local) and the servers' database transactions per message (pg_stat_database).

Run: CONSOLE_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:55432/postgres \\
     .venv/bin/python tests/bench/bench_scaleout.py [--processes 1,2,4] [--messages 2000]
     [--clients 16] [--contacts 500]
Needs CONSOLE_TEST_PG_URL (a database per process count is made and dropped).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
import phonenumbers
import psycopg
from sqlalchemy import insert
from sqlalchemy.engine import make_url

from console.backend import models
from console.backend.db import Database
from console.backend.migrate import upgrade
from console.backend.models import utcnow
from console.backend.ops.numbers import create_number
from console.backend.ops.users import create_user
from console.protocol.auth import UserCreate
from console.protocol.numbers import NumberCreate
from tests.support.backend_process import BackendProcess

EMAIL, PASSWORD = "bench@example.com", "bench-password"
BUSINESS_NUMBER = "+14155550100"
# The pretend network's latency, as near 0 as the settings allow (they refuse 0 itself).
SIMULATOR_ENV = {
    "CONSOLE_SIMULATOR_SENT_AFTER": "0.001", "CONSOLE_SIMULATOR_DELIVERED_AFTER": "0.001"
}
RETRIES = 5


def handset(n: int) -> str:
    return f"+1617{2_000_000 + n:07d}"


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used. Linux only (/proc); 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds(database: str) -> dict[int, float]:
    """CPU time of each PostgreSQL backend serving `database` (when the server runs on this
    machine: its processes are titled "postgres: USER DATABASE HOST(PORT) STATE")."""
    found: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        words = title.split()
        if len(words) >= 3 and words[0] == "postgres:" and words[2] == database:
            found[int(entry.name)] = cpu_seconds(int(entry.name))
    return found


def cores() -> str:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    return f"{os.cpu_count()} cores ({usable} usable by this process)"


@contextmanager
def throwaway_database(server: str) -> Iterator[str]:
    name = f"console_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def populate(url: str, contacts: int) -> tuple[str, list[tuple[str, str]]]:
    """An admin, a business number and `contacts` contacts with one phone each (bulk, not
    timed); the number's id and the (contact id, phone) pairs."""
    assert phonenumbers.is_valid_number(phonenumbers.parse(handset(contacts - 1)))
    db = Database(url)
    upgrade(db.engine)
    now = utcnow()
    people = [(f"con_{n:020x}", handset(n)) for n in range(contacts)]
    with db.writing() as session:
        create_user(session, UserCreate(email=EMAIL, password=PASSWORD, role="admin"))
        number_id = create_number(
            session, NumberCreate(e164=BUSINESS_NUMBER, label="Bench", is_default=True)
        ).id
        connection = session.connection()
        connection.execute(insert(models.Contact), [
            {"id": cid, "name": f"Person {n:05d}", "name_key": f"person {n:05d}",
             "email": None, "dnd": False, "assigned_user_id": None, "deleted_at": None,
             "created_at": now, "updated_at": now}
            for n, (cid, _) in enumerate(people)])
        connection.execute(insert(models.ContactPhone), [
            {"contact_id": cid, "number": phone, "label": "primary", "position": 0,
             "live_number": phone}
            for cid, phone in people])
    db.dispose()
    return number_id, people


@dataclass
class Sends:
    """What the client threads saw."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    retries: list[str] = field(default_factory=list)  # why a POST was tried again
    failures: list[str] = field(default_factory=list)
    last_answer: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def run_threads(clients: int, target: Callable[[], None]) -> None:
    threads = [threading.Thread(target=target, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def open_conversations(
    urls: list[str], token: str, number_id: str, people: list[tuple[str, str]], clients: int
) -> list[str]:
    """A 1:1 conversation per contact, opened round-robin through every process (which also
    warms each one up)."""
    conversations: list[str] = [""] * len(people)
    todo = iter(range(len(people)))
    lock = threading.Lock()

    def work() -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
            while True:
                with lock:
                    n = next(todo, None)
                if n is None:
                    return
                contact_id, phone = people[n]
                response = http.post(f"{urls[n % len(urls)]}/v1/conversations", json={
                    "kind": "direct", "contact_id": contact_id, "phone": phone,
                    "number_id": number_id})
                response.raise_for_status()
                conversations[n] = response.json()["id"]

    run_threads(clients, work)
    assert all(conversations), "a conversation was not opened"
    return conversations


def send_all(
    urls: list[str], token: str, conversations: list[str], messages: int, clients: int,
    start_gate: threading.Barrier, sends: Sends,
) -> None:
    todo = iter(range(messages))
    lock = threading.Lock()

    def work() -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
            start_gate.wait()
            while True:
                with lock:
                    i = next(todo, None)
                if i is None:
                    return
                url = f"{urls[i % len(urls)]}/v1/conversations/" \
                    f"{conversations[i % len(conversations)]}/messages"
                key = str(uuid.uuid4())
                for _attempt in range(RETRIES):
                    began = time.perf_counter()
                    try:
                        response = http.post(url, json={"body": f"Bench message {i}"},
                                             headers={"Idempotency-Key": key})
                    except httpx.TransportError as exc:
                        status, detail = 0, repr(exc)
                    else:
                        status, detail = response.status_code, response.text[:200]
                    answered = time.perf_counter()
                    with sends.lock:
                        sends.statuses[status] += 1
                        if status in (200, 201):
                            sends.latencies.append(answered - began)
                            sends.last_answer = max(sends.last_answer, answered)
                        elif status == 0 or status >= 500:
                            sends.retries.append(f"{status} {detail}")
                        else:
                            sends.failures.append(f"message {i}: {status} {detail}")
                    if status in (200, 201) or 0 < status < 500:
                        break
                    time.sleep(0.1)
                else:
                    with sends.lock:
                        sends.failures.append(f"message {i}: gave up after {RETRIES} tries")

    threads = [threading.Thread(target=work, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    for thread in threads:
        thread.join()


def counts(url: str) -> dict[str, int]:
    """Outbound messages by status, and the simulator outbox (handset copies)."""
    with psycopg.connect(libpq(url)) as connection:
        by_status: dict[str, int] = {
            str(status): int(n) for status, n in connection.execute(
                "SELECT status, count(*) FROM messages WHERE direction = 'out' GROUP BY status")}
        rows, distinct, strays = connection.execute(
            "SELECT count(*), count(DISTINCT h.message_id),"
            " count(*) FILTER (WHERE m.id IS NULL OR m.direction <> 'out')"
            " FROM simulator_handset_messages h LEFT JOIN messages m ON m.id = h.message_id"
        ).fetchone() or (0, 0, 0)
    return {**by_status, "out": sum(by_status.values()), "outbox_rows": rows,
            "outbox_messages": distinct, "outbox_strays": strays}


def wait_delivered(url: str, messages: int, timeout: float) -> tuple[float | None, int]:
    """perf_counter() when every message was `delivered` (polled every 20 ms; None on timeout),
    and how many polls (transactions) that took."""
    deadline = time.perf_counter() + timeout
    polls = 0
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        while time.perf_counter() < deadline:
            row = connection.execute(
                "SELECT count(*) FROM messages WHERE direction = 'out' AND status = 'delivered'"
            ).fetchone()
            polls += 1
            now = time.perf_counter()
            if row is not None and row[0] >= messages:
                return now, polls
            time.sleep(0.02)
    return None, polls


def transactions(url: str) -> int:
    """Transactions the database has counted (committed and rolled back, read-only ones too).
    PostgreSQL 15 backends report theirs at most once a second, so wait 2 s before asking."""
    time.sleep(2.0)
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        row = connection.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database"
            " WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


@dataclass
class Result:
    processes: int
    accepted_per_s: float
    delivered_per_s: float
    p50_ms: float
    p95_ms: float
    server_cpu_s: float
    db_cpu_s: float
    xacts_per_msg: float
    client_cpu_s: float
    load: float
    ok: bool


def find_problems(sends: Sends, found: dict[str, int], messages: int, e2e: float | None,
                  timeout: float) -> list[str]:
    """What went wrong in a run that sent `messages`: none when every one was accepted, stored
    and delivered exactly once (`found`: the database's counts after the run)."""
    accepted = len(sends.latencies)
    problems = []
    if sends.failures:
        problems.append(f"{len(sends.failures)} sends failed, e.g. {sends.failures[:3]}")
    if accepted != messages:
        problems.append(f"{accepted} of {messages} sends accepted")
    if found["out"] != messages:
        problems.append(f"{found['out']} outbound messages in the database, sent {messages}")
    if found.get("delivered", 0) != messages:
        problems.append(f"{found.get('delivered', 0)} of {messages} delivered ({found})")
    if (found["outbox_rows"], found["outbox_messages"]) != (messages, messages) \
            or found["outbox_strays"]:
        problems.append(
            f"outbox holds {found['outbox_rows']} rows for {found['outbox_messages']} messages "
            f"({found['outbox_strays']} strays), expected {messages} for {messages}")
    if e2e is None:
        problems.append(f"not every message delivered within {timeout:.0f} s")
    return problems


def bench(server: str, processes: int, messages: int, clients: int, contacts: int,
          timeout: float) -> Result:
    label = f"{processes} process{'es' if processes > 1 else ''}"
    print(f"{label}: starting (load average {os.getloadavg()[0]:.1f})")
    with throwaway_database(server) as url:
        number_id, people = populate(url, contacts)
        backends: list[BackendProcess] = []
        try:
            for _ in range(processes):
                backends.append(BackendProcess(url, env=SIMULATOR_ENV).start())
            urls = [backend.url for backend in backends]
            token = backends[0].login(EMAIL, PASSWORD)
            conversations = open_conversations(urls, token, number_id, people, clients)
            pids = [backend.proc.pid for backend in backends if backend.proc is not None]
            xacts_before = transactions(url)
            cpu_before = [cpu_seconds(pid) for pid in pids]
            database = make_url(url).database or ""
            db_cpu_before = database_cpu_seconds(database)
            client_cpu_before = time.process_time()

            sends = Sends()
            started: list[float] = [0.0]
            delivered_at: list[float | None] = [None]
            polls = [0]
            gate_passed, done = threading.Event(), threading.Event()

            def go() -> None:  # the barrier's action: every client thread is ready
                started[0] = time.perf_counter()
                gate_passed.set()

            def watch() -> None:
                gate_passed.wait()
                delivered_at[0], polls[0] = wait_delivered(url, messages, timeout)
                done.set()

            threading.Thread(target=watch, daemon=True).start()
            gate = threading.Barrier(clients + 1, action=go)
            send_all(urls, token, conversations, messages, clients, gate, sends)
            client_cpu = time.process_time() - client_cpu_before
            done.wait()
            server_cpu = sum(cpu_seconds(pid) for pid in pids) - sum(cpu_before)
            # Backends that closed during the run are missed: a lower bound.
            db_cpu = sum(cpu - db_cpu_before.get(pid, 0.0)
                         for pid, cpu in database_cpu_seconds(database).items())
            start = started[0]
            found = counts(url)
            # The servers' transactions: less this script's own (delivery polls, the counts,
            # the two reads of the figure itself).
            xacts = transactions(url) - xacts_before - polls[0] - 3
            logs = [backend.log_lines[-30:] for backend in backends]
        except BaseException:
            for n, backend in enumerate(backends):
                print(f"--- process {n + 1} log (last 30 lines) ---", file=sys.stderr)
                print("\n".join(backend.log_lines[-30:]), file=sys.stderr)
            raise
        finally:
            for backend in backends:
                backend.stop()

    accepted = len(sends.latencies)
    accept_s = sends.last_answer - start
    quantiles = statistics.quantiles(sends.latencies, n=100) if accepted > 1 else [0.0] * 99
    e2e = delivered_at[0]
    problems = find_problems(sends, found, messages, e2e, timeout)
    result = Result(
        processes=processes,
        accepted_per_s=accepted / accept_s if accept_s > 0 else 0.0,
        delivered_per_s=messages / (e2e - start) if e2e is not None else 0.0,
        p50_ms=quantiles[49] * 1000, p95_ms=quantiles[94] * 1000,
        server_cpu_s=server_cpu, db_cpu_s=db_cpu, xacts_per_msg=xacts / messages,
        client_cpu_s=client_cpu, load=os.getloadavg()[0],
        ok=not problems,
    )
    print(f"{label}: {accepted} sends accepted (201; 200 replays a retried key) in "
          f"{accept_s:.2f} s = "
          f"{result.accepted_per_s:,.0f} accepted msgs/s; POST latency p50 "
          f"{result.p50_ms:.0f} ms, p95 {result.p95_ms:.0f} ms, max "
          f"{max(sends.latencies, default=0) * 1000:.0f} ms; answers {dict(sends.statuses)}, "
          f"{len(sends.retries)} retried {sends.retries[:3]}")
    if e2e is not None:
        print(f"{label}: all {messages} delivered {e2e - start:.2f} s after the first POST "
              f"({e2e - sends.last_answer:.2f} s after the last answer) = "
              f"{result.delivered_per_s:,.0f} delivered msgs/s")
    print(f"{label}: exactly once: {found['out']} outbound messages, "
          f"{found.get('delivered', 0)} delivered, {found['outbox_rows']} outbox rows for "
          f"{found['outbox_messages']} distinct messages -> {'OK' if result.ok else 'FAILED'}")
    print(f"{label}: server CPU {server_cpu:.1f} s (all processes, to the last delivery), "
          f"PostgreSQL CPU {db_cpu:.1f} s (its backends for this database, when local), client "
          f"CPU {client_cpu:.1f} s (while sending), load average {os.getloadavg()[0]:.1f}")
    print(f"{label}: {xacts} database transactions by the servers from the first POST to 2 s "
          f"after the last delivery = {xacts / messages:.1f} per message (idle polling "
          "included)")
    for problem in problems:
        print(f"{label}: PROBLEM: {problem}")
    if problems:
        for n, lines in enumerate(logs):
            print(f"--- process {n + 1} log (last 30 lines) ---")
            print("\n".join(lines))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", default="1,2,4",
                        help="comma-separated process counts to measure (default 1,2,4)")
    parser.add_argument("--messages", type=int, default=2000, help="1:1 SMS per run")
    parser.add_argument("--clients", type=int, default=16, help="concurrent client threads")
    parser.add_argument("--contacts", type=int, default=500,
                        help="contacts (1:1 conversations) the messages are spread over")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds to wait for every message to be delivered")
    args = parser.parse_args()
    server = os.environ.get("CONSOLE_TEST_PG_URL")
    if not server:
        print("set CONSOLE_TEST_PG_URL (a PostgreSQL server; a throwaway database is made)",
              file=sys.stderr)
        return 2
    counts_wanted = [int(part) for part in args.processes.split(",") if part.strip()]
    print(f"machine: {cores()}; load average {os.getloadavg()[0]:.1f}. The {args.clients} "
          "client threads run here too and compete with the servers for these cores.")
    tuning = " and ".join(f"{name}={value}" for name, value in SIMULATOR_ENV.items())
    print(f"{args.messages} 1:1 SMS over {args.contacts} conversations per run, round-robin "
          f"over the processes; simulator carrier with {tuning} s (pretend network latency "
          "~0: the figures are the backend's own work).")
    results = [bench(server, n, args.messages, args.clients, args.contacts, args.timeout)
               for n in counts_wanted]
    print()
    # Server CPU per message is the figure least moved by whatever else runs on the machine;
    # PG CPU is the database's share (its backends for this run's database, if on this machine);
    # xacts/msg the servers' database transactions per message (includes idle polling).
    print(f"{'processes':>9} {'accepted/s':>11} {'delivered/s':>12} {'p50 ms':>7} "
          f"{'p95 ms':>7} {'server CPU s':>13} {'CPU ms/msg':>11} {'PG CPU s':>9} "
          f"{'xacts/msg':>10} "
          f"{'client CPU s':>13} {'load':>5}  exactly once")
    for r in results:
        print(f"{r.processes:>9} {r.accepted_per_s:>11,.0f} {r.delivered_per_s:>12,.0f} "
              f"{r.p50_ms:>7.0f} {r.p95_ms:>7.0f} {r.server_cpu_s:>13.1f} "
              f"{r.server_cpu_s * 1000 / args.messages:>11.1f} {r.db_cpu_s:>9.1f} "
              f"{r.xacts_per_msg:>10.1f} "
              f"{r.client_cpu_s:>13.1f} "
              f"{r.load:>5.1f}  {'OK' if r.ok else 'FAILED'}")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
