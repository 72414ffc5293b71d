"""The job queue (console.backend.jobs) on a real SQLite file and, when CONSOLE_TEST_PG_URL is
set, a real PostgreSQL: each job runs once however many workers (and processes) claim, failures
are retried then buried with their error, a dead worker's job is taken over."""

from __future__ import annotations

import itertools
import json
import os
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from console.backend import jobs, models
from console.backend.db import Database
from console.backend.migrate import upgrade
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import wait_for
from tests.backend.receivers import http_sink
from tests.support.backend_process import BackendProcess

PG_SERVER = os.environ.get("CONSOLE_TEST_PG_URL", "")
needs_pg = pytest.mark.skipif(not PG_SERVER, reason="set CONSOLE_TEST_PG_URL for PostgreSQL")


def _admin_dsn() -> str:
    return make_url(PG_SERVER).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def pg_url() -> Iterator[str]:
    name = f"console_jobs_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_admin_dsn(), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_admin_dsn(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, needs_pg])])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jobs.db'}"
    else:
        yield request.getfixturevalue("pg_url")


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    upgrade(database.engine)
    yield database
    database.dispose()


def _enqueue(db: Database, kind: str, payloads: list[dict[str, Any]], **kw: Any) -> None:
    with db.writing() as session:
        jobs.enqueue_many(session, kind, payloads, **kw)


def test_each_job_runs_once_however_many_workers_claim(db: Database, db_url: str) -> None:
    count = 120
    _enqueue(db, "count", [{"n": n} for n in range(count)])
    ran: list[int] = []
    lock = threading.Lock()

    def handler(job: jobs.Job) -> None:
        with lock:
            ran.append(int(job.payload["n"]))

    # Two runners on two engines: as two serve processes would be.
    other = Database(db_url)
    runners = [jobs.JobRunner(d, {"count": handler}, workers=4, poll_interval=0.02)
               for d in (db, other)]
    for runner in runners:
        runner.start()
    try:
        wait_for(lambda: len(ran) >= count, timeout=30)
    finally:
        for runner in runners:
            runner.stop()
        other.dispose()
    assert sorted(ran) == list(range(count))
    with db.reading() as session:
        assert session.scalars(select(models.Job)).all() == []  # done jobs are deleted


def test_failures_are_retried_then_buried_with_their_error(db: Database) -> None:
    _enqueue(db, "flaky", [{"mode": "retry"}, {"mode": "crash"}], max_attempts=3)
    seen: list[tuple[str, int]] = []

    def handler(job: jobs.Job) -> None:
        seen.append((job.payload["mode"], job.attempts))
        if job.payload["mode"] == "retry":
            raise jobs.RetryLater("receiver said 503")
        raise ValueError("a bug")

    runner = jobs.JobRunner(db, {"flaky": handler}, workers=1, poll_interval=0.02,
                            backoff=jobs.Backoff(base=0.01))
    runner.start()

    def buried() -> list[models.Job] | None:
        with db.reading() as session:
            rows = session.scalars(select(models.Job).order_by(models.Job.id)).all()
        return list(rows) if all(r.state == "dead" for r in rows) else None

    try:
        rows = wait_for(buried, timeout=10)
    finally:
        runner.stop()
    assert [(r.attempts, r.last_error) for r in rows] == [
        (3, "receiver said 503"), (3, "ValueError: a bug")]
    assert sorted(seen) == [("crash", 1), ("crash", 2), ("crash", 3),
                            ("retry", 1), ("retry", 2), ("retry", 3)]


def test_a_dead_workers_job_is_taken_over_and_the_late_worker_cannot_touch_it(
    db: Database,
) -> None:
    _enqueue(db, "slow", [{"n": 1}])
    job = jobs.claim(db, "worker-a", ["slow"])
    assert job is not None
    assert job.attempts == 1
    assert jobs.claim(db, "worker-b", ["slow"]) is None  # leased to worker-a
    with db.writing() as session:  # worker-a died: its lease runs out
        session.execute(update(models.Job).values(locked_until=models.utcnow()))
    again = jobs.claim(db, "worker-b", ["slow"])
    assert again is not None
    assert again.id == job.id
    assert again.attempts == 2
    jobs.finish(db, job, "worker-a")  # too late: not theirs any more
    with db.reading() as session:
        assert session.get_one(models.Job, job.id).locked_by == "worker-b"
    jobs.finish(db, again, "worker-b")
    with db.reading() as session:
        assert session.get(models.Job, job.id) is None


def test_a_running_handler_keeps_its_job_past_the_lease_by_renewing_it(
    db: Database, db_url: str
) -> None:
    _enqueue(db, "long", [{"n": 1}])
    started, release = threading.Event(), threading.Event()
    runs: list[int] = []

    def handler(job: jobs.Job) -> None:
        runs.append(job.attempts)
        started.set()
        release.wait(10)

    runner = jobs.JobRunner(db, {"long": handler}, workers=1, poll_interval=0.02, lease_s=0.6)
    rival = Database(db_url)  # another process, polling all along
    runner.start()
    try:
        assert started.wait(10)
        deadline = models.utcnow().timestamp() + 2.0  # more than three leases
        while models.utcnow().timestamp() < deadline:
            assert jobs.claim(rival, "rival", ["long"], lease_s=0.6) is None
        release.set()
        wait_for(lambda: _no_jobs(db), timeout=10)
    finally:
        release.set()
        runner.stop()
        rival.dispose()
    assert runs == [1]


def test_a_dead_runners_job_moves_within_its_lease(db: Database) -> None:
    _enqueue(db, "work", [{"n": 1}])
    job = jobs.claim(db, "died", ["work"], lease_s=0.5)  # claimed, then never renewed
    assert job is not None
    done: list[int] = []
    runner = jobs.JobRunner(db, {"work": lambda j: done.append(j.attempts)}, workers=1,
                            poll_interval=0.05, lease_s=0.5)
    runner.start()
    try:
        wait_for(lambda: done, timeout=3)  # with the old fixed 120 s lease: two minutes
    finally:
        runner.stop()
    assert done == [2]


def test_later_runs_the_job_again_without_counting_an_attempt(db: Database) -> None:
    _enqueue(db, "steps", [{"n": 1}], max_attempts=1)
    seen: list[tuple[int, float]] = []

    def handler(job: jobs.Job) -> None:
        seen.append((job.attempts, models.utcnow().timestamp()))
        if len(seen) < 3:
            raise jobs.Later(0.3)

    runner = jobs.JobRunner(db, {"steps": handler}, workers=1, poll_interval=0.02)
    runner.start()
    try:
        wait_for(lambda: _no_jobs(db), timeout=10)
    finally:
        runner.stop()
    # One attempt allowed, three runs: Later is not a failure, and it waits as asked.
    assert [attempts for attempts, _ in seen] == [1, 1, 1]
    assert all(b - a >= 0.25 for (_, a), (_, b) in itertools.pairwise(seen))


def test_stopping_hands_a_waiting_job_back_at_once(db: Database, db_url: str) -> None:
    _enqueue(db, "wait", [{"n": 1}])
    waiting = threading.Event()

    def handler(job: jobs.Job) -> None:
        waiting.set()
        if job.stopping.wait(30):  # e.g. a carrier's retry backoff
            raise jobs.Later(0)

    runner = jobs.JobRunner(db, {"wait": handler}, workers=1, poll_interval=0.02)
    runner.start()
    assert waiting.wait(10)
    runner.stop(timeout=5)
    other = Database(db_url)
    try:
        again = jobs.claim(other, "next-process", ["wait"])  # at once, not after the lease
    finally:
        other.dispose()
    assert again is not None
    assert again.attempts == 1


def test_a_worker_that_lost_its_lease_no_longer_holds_the_job(db: Database) -> None:
    _enqueue(db, "held", [{"n": 1}])
    first = jobs.claim(db, "first", ["held"])
    assert first is not None
    with db.writing() as session:
        assert jobs.holds(session, first)
        session.execute(update(models.Job).values(locked_until=models.utcnow()))
    second = jobs.claim(db, "second", ["held"])
    assert second is not None
    with db.writing() as session:
        assert not jobs.holds(session, first)
        assert jobs.holds(session, second)


@pytest.mark.postgres
@needs_pg
def test_on_postgres_leases_follow_the_database_clock_not_the_claimers(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Processes on machines whose clocks differ: a claimer 30 s ahead must not see a fresh
    lease as run out (it would take over a live worker's job)."""
    db = Database(pg_url)
    upgrade(db.engine)
    try:
        _enqueue(db, "clocked", [{"n": 1}])
        assert jobs.claim(db, "here", ["clocked"], lease_s=6) is not None
        ahead = models.utcnow() + timedelta(seconds=30)
        monkeypatch.setattr(jobs, "utcnow", lambda: ahead)
        assert jobs.claim(db, "fast-clock", ["clocked"], lease_s=6) is None
    finally:
        db.dispose()


def test_a_give_up_that_could_not_be_recorded_is_recorded_by_the_next_claimer(
    db: Database,
) -> None:
    """The job is buried only once its give-up is recorded, so a message is never left
    queued by a give-up lost to a database error or a crash."""
    _enqueue(db, "doomed", [{"n": 1}], max_attempts=1)
    recorded: list[str] = []
    calls = 0

    def give_up(job: jobs.Job, reason: str) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("database went away")
        recorded.append(reason)

    def handler(job: jobs.Job) -> None:
        raise ValueError("cannot be done")

    runner = jobs.JobRunner(db, {"doomed": handler}, workers=1, poll_interval=0.05,
                            give_up={"doomed": give_up}, lease_s=0.5)
    runner.start()
    try:
        def state() -> str | None:
            with db.reading() as session:
                row = session.scalars(select(models.Job)).one()
            return row.state if row.state == "dead" else None

        assert wait_for(state, timeout=10) == "dead"
    finally:
        runner.stop()
    assert calls == 2
    assert recorded == ["its worker stopped during attempt 1 (lease ran out)"]


def _no_jobs(db: Database) -> bool:
    with db.reading() as session:
        return not session.scalars(select(models.Job)).all()


@pytest.mark.postgres
@needs_pg
def test_two_serve_processes_on_postgres_forward_each_reply_once(pg_url: str) -> None:
    env = {"CONSOLE_RETRY_BASE_S": "0.05", "CONSOLE_JOB_POLL_S": "0.05"}
    # The receiver is on loopback: integrations may reach it only with this flag.
    first = BackendProcess(pg_url, args=["--seed", "demo", "--allow-private-webhooks"],
                           env=env).start()
    second = BackendProcess(pg_url, args=["--allow-private-webhooks"], env=env).start()
    try:
        with http_sink() as sink, \
                first.client(first.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)) as one, \
                second.client(second.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)) as two:
            hook = one.post("/v1/integrations",
                            json={"url": sink.url, "secret": "s" * 32}).json()
            group = one.post("/v1/groups", json={"name": "PG audience"}).json()
            contacts = one.get("/v1/contacts", params={"limit": 12}).json()["items"]
            for contact in contacts:
                one.put(f"/v1/groups/{group['id']}/members/{contact['id']}")
            me = one.get("/v1/me").json()
            sent = two.post("/v1/group-messages", json={
                "group_id": group["id"], "sender_user_id": me["id"], "title": "PG",
                "body": "Hello from PostgreSQL"})
            assert sent.status_code == 201, sent.text
            replies = [
                (one if i % 2 else two).post(
                    "/v1/simulator/app-reply",
                    json={"contact_id": contact["id"], "body": f"reply {i}"},
                ).json()["message_id"]
                for i, contact in enumerate(contacts)
            ]

            def all_forwarded() -> list[str] | None:
                ids = [json.loads(r.body)["data"]["message"]["id"] for r in sink.ok()]
                return ids if len(ids) >= len(replies) else None

            forwarded = wait_for(all_forwarded, timeout=20)
            assert sorted(forwarded) == sorted(replies)  # each once, none of the group's
            records = one.get(f"/v1/integrations/{hook['id']}/deliveries",
                              params={"limit": 100}).json()["items"]
            assert len(records) == len(replies)
            assert {r["state"] for r in records} == {"delivered"}
            stats = one.get(f"/v1/group-messages/{sent.json()['id']}").json()["stats"]
            assert stats == {"recipients": 12, "delivered": 12, "read": 12, "replied": 12,
                             "notification_failures": 0}
    finally:
        second.stop()
        first.stop()
