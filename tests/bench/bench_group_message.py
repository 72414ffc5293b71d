"""A group message to 10,000 members: time from POST until every recipient's in-app message is
recorded (the send writes them in its own transaction, so the POST's answer is that moment;
the script checks the rows are there).

Run: .venv/bin/python tests/bench/bench_group_message.py [--members 10000] [--runs 3]
On PostgreSQL too when CONSOLE_TEST_PG_URL is set (a throwaway database is made and dropped);
the last lines give both databases' figures side by side.
Target (issue 11): < 1 s on SQLite and on PostgreSQL, on a 2-core machine. The server's CPU
time is printed beside the wall time: on a shared machine the wall time also counts waiting
for a core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import psycopg
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from console.backend import models
from console.backend.db import Database
from console.backend.migrate import upgrade
from console.backend.models import utcnow
from console.backend.ops.users import create_user
from console.protocol.auth import UserCreate
from tests.support.backend_process import BackendProcess

EMAIL, PASSWORD = "bench@example.com", "bench-password"


def populate(url: str, members: int, groups: int) -> list[str]:
    """An admin, `members` contacts and `groups` groups holding all of them (bulk, not timed)."""
    db = Database(url)
    upgrade(db.engine)
    now = utcnow()
    with db.writing() as session:
        create_user(session, UserCreate(email=EMAIL, password=PASSWORD, role="admin"))
        contacts = [
            {"id": f"con_{n:020x}", "name": f"Member {n:05d}", "name_key": f"member {n:05d}",
             "email": f"member{n}@example.com", "dnd": False, "assigned_user_id": None,
             "deleted_at": None, "created_at": now, "updated_at": now}
            for n in range(members)
        ]
        session.connection().execute(insert(models.Contact), contacts)
        group_ids = [f"grp_bench{g:015x}" for g in range(groups)]
        session.connection().execute(insert(models.AudienceGroup), [
            {"id": gid, "name": f"Everyone {g}", "live_name_key": f"everyone {g}",
             "description": "", "created_by_user_id": None, "deleted_at": None,
             "created_at": now, "updated_at": now} for g, gid in enumerate(group_ids)])
        session.connection().execute(insert(models.GroupMember), [
            {"group_id": gid, "contact_id": c["id"], "added_by_user_id": None, "added_at": now}
            for gid in group_ids for c in contacts])
    if url.startswith("postgresql"):
        # A production server's tables have statistics (autovacuum analyzes them after bulk
        # changes); without them every send would be planned as for an empty database.
        # SQLite keeps none unless asked, so it is measured as it runs.
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    db.dispose()
    return group_ids


def recorded(url: str, group_message_id: str) -> int:
    db = Database(url)
    try:
        with db.reading() as session:
            r = models.GroupMessageRecipient
            return session.scalar(
                select(func.count()).select_from(r)
                .join(models.Message, models.Message.id == r.message_id)
                .where(r.group_message_id == group_message_id)
            ) or 0
    finally:
        db.dispose()


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used: the server's share of a send, which the
    wall time hides on a loaded machine. Linux only (/proc); 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


TARGET_S = 1.0


def database_cpu(url: str) -> dict[int, float]:
    """CPU time of each PostgreSQL server process serving `url`'s database (when the server
    runs on this machine): a send's work inside the database, which neither the wall time
    (waiting for a core) nor the backend's CPU shows. Empty for SQLite (in the backend's).

    The backend's pool may serve a send on an overflow connection and close it right after,
    so the CPU of server processes that ended is counted too: the postmaster's children's
    time (key 0; it includes processes of other databases that ended meanwhile)."""
    if not url.startswith("postgresql"):
        return {}
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as connection:
        pids = [row[0] for row in connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()")]
        row = connection.execute("SELECT pg_backend_pid()").fetchone()
        postmaster = _parent(int(row[0])) if row else 0
    found = {pid: cpu_seconds(pid) for pid in pids}
    if postmaster:
        found[0] = _children_cpu_seconds(postmaster)
    return found


def _parent(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines()
                 if line.startswith("PPid:")), 0)


def _children_cpu_seconds(pid: int) -> float:
    """CPU time of `pid`'s children that ended and were waited for (cutime + cstime)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def bench(label: str, url: str, members: int, runs: int) -> list[float]:
    group_ids = populate(url, members, runs)
    backend = BackendProcess(url).start()
    try:
        with backend.client(backend.login(EMAIL, PASSWORD)) as http:
            http.timeout = 120
            me = http.get("/v1/me").json()["id"]
            times: list[float] = []
            cpu: list[float] = []
            assert backend.proc is not None
            for run, group_id in enumerate(group_ids):
                # The first run creates every in-app conversation; later ones reuse them.
                cpu_before, db_before = cpu_seconds(backend.proc.pid), database_cpu(url)
                start = time.perf_counter()
                response = http.post("/v1/group-messages", json={
                    "group_id": group_id, "sender_user_id": me, "title": f"Bench {run}",
                    "body": "Open house this Sunday from 1 to 4pm. Coffee on us!"})
                elapsed = time.perf_counter() - start
                cpu.append(cpu_seconds(backend.proc.pid) - cpu_before)
                db_cpu = sum(after - db_before.get(pid, 0.0)
                             for pid, after in database_cpu(url).items())
                response.raise_for_status()
                sent = response.json()
                assert sent["recipient_count"] == members
                assert recorded(url, sent["id"]) == members, "not every message was recorded"
                times.append(elapsed)
                print(f"{label}: run {run + 1}: {members} recipients recorded in {elapsed:.2f} s"
                      f" (server CPU {cpu[-1]:.2f} s"
                      f"{f', database CPU {db_cpu:.2f} s' if label == 'postgresql' else ''})"
                      f"{', creating the in-app conversations' if run == 0 else ''}")
            print(f"{label}: median {statistics.median(times):.2f} s, best {min(times):.2f} s, "
                  f"{members / min(times):,.0f} recipients/s; server CPU median "
                  f"{statistics.median(cpu):.2f} s; load average {os.getloadavg()[0]:.1f}")
            return times
    finally:
        backend.stop()


def summary(results: dict[str, list[float]], members: int) -> None:
    for label, times in results.items():
        median = statistics.median(times)
        verdict = "meets" if median < TARGET_S else "MISSES"
        print(f"{label:>10}: {members} recipients, median {median:.2f} s over {len(times)} runs "
              f"({', '.join(f'{t:.2f}' for t in times)}): {verdict} the < {TARGET_S:.0f} s target")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-gm-") as tmp:
        results["sqlite"] = bench(
            "sqlite", f"sqlite:///{Path(tmp) / 'backend.db'}", args.members, args.runs
        )
    server = os.environ.get("CONSOLE_TEST_PG_URL")
    if server:
        name = f"console_bench_{uuid.uuid4().hex[:8]}"
        admin = make_url(server).set(drivername="postgresql").render_as_string(
            hide_password=False)
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            url = make_url(server).set(database=name).render_as_string(hide_password=False)
            results["postgresql"] = bench("postgresql", url, args.members, args.runs)
        finally:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        print("postgresql: skipped (set CONSOLE_TEST_PG_URL to a server to include it)")
    summary(results, args.members)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
