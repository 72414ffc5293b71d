"""A job the queue buries tells its kind's give-up handler once, and a delivery whose job is
buried is failed with the reason, never left pending (real SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from console.backend import jobs, models
from console.backend.db import Database
from console.backend.deliveries import Deliverer
from console.backend.migrate import upgrade
from console.backend.models import utcnow
from console.backend.settings import Settings
from console.backend.webhooks import DELIVER_JOB
from tests.backend.conftest import wait_for
from tests.backend.pg import fresh_database, needs_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jobs.db'}"
        return
    with fresh_database() as url:
        yield url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    upgrade(database.engine)
    yield database
    database.dispose()


def _run_until_buried(runner: jobs.JobRunner, db: Database) -> None:
    def buried() -> bool:
        with db.reading() as session:
            states = session.scalars(select(models.Job.state)).all()
        return bool(states) and all(state == jobs.DEAD for state in states)

    runner.start()
    try:
        wait_for(buried, timeout=15)
    finally:
        runner.stop()


def test_the_give_up_handler_hears_once_of_each_buried_job(db: Database) -> None:
    with db.writing() as session:
        jobs.enqueue_many(session, "flaky", [{"mode": "retry"}, {"mode": "crash"}],
                          max_attempts=3)
        jobs.enqueue(session, "fine", {})
    heard: list[tuple[str, int, str]] = []

    def flaky(job: jobs.Job) -> None:
        if job.payload["mode"] == "retry":
            raise jobs.RetryLater("receiver said 503")
        raise ValueError("a bug")

    runner = jobs.JobRunner(
        db, {"flaky": flaky, "fine": lambda job: None}, workers=2, poll_interval=0.02,
        backoff=jobs.Backoff(base=0.01),
        give_up={"flaky": lambda job, reason: heard.append(
            (str(job.payload["mode"]), job.attempts, reason))},
    )
    _run_until_buried(runner, db)
    assert sorted(heard) == [("crash", 3, "ValueError: a bug"), ("retry", 3, "receiver said 503")]


def _pending_delivery(db: Database, *, max_attempts: int) -> str:
    """A pending push delivery and its delivery job; the delivery's id."""
    delivery_id = f"dlv_{uuid.uuid4().hex[:12]}"
    with db.writing() as session:
        session.add(models.Delivery(
            id=delivery_id, channel="push", event_type="group_message",
            dedupe_key=f"push:test:{delivery_id}", target="con_x", state="pending", attempts=0,
            created_at=utcnow(),
        ))
        jobs.enqueue(session, DELIVER_JOB, {"delivery_id": delivery_id}, max_attempts=max_attempts)
    return delivery_id


def test_a_delivery_whose_job_is_buried_is_failed_with_the_reason(db: Database) -> None:
    delivery_id = _pending_delivery(db, max_attempts=2)
    deliverer = Deliverer(db, Settings(db_url="unused"))

    def crashing(job: jobs.Job) -> Any:  # e.g. the process died mid-attempt, every time
        raise RuntimeError("worker lost")

    runner = jobs.JobRunner(db, {DELIVER_JOB: crashing}, workers=1, poll_interval=0.02,
                            backoff=jobs.Backoff(base=0.01),
                            give_up=deliverer.give_up_handlers())
    try:
        _run_until_buried(runner, db)
    finally:
        deliverer.close()
    with db.reading() as session:
        row = session.get_one(models.Delivery, delivery_id)
        assert row.state == "failed"
        assert row.last_error == "gave up after 2 attempts: RuntimeError: worker lost"


def _lease_runs_out(db: Database) -> None:
    with db.writing() as session:  # its worker's process died mid-attempt
        session.execute(update(models.Job).values(locked_until=utcnow() - timedelta(seconds=1)))


def test_a_job_whose_process_dies_on_its_last_attempt_is_buried_not_run_again(
    db: Database,
) -> None:
    """Claiming had no cap: a job that crashed its process every time was taken again with
    attempts = max + 1, and again, forever, and never reached its give-up handler."""
    with db.writing() as session:
        jobs.enqueue(session, "deadly", {"n": 1}, max_attempts=2)
    for attempt in (1, 2):
        job = jobs.claim(db, "doomed-worker", ["deadly"])
        assert job is not None
        assert job.attempts == attempt
        _lease_runs_out(db)
    ran: list[int] = []
    heard: list[tuple[int, str]] = []
    runner = jobs.JobRunner(
        db, {"deadly": lambda job: ran.append(job.attempts)}, workers=0,
        give_up={"deadly": lambda job, reason: heard.append((job.attempts, reason))},
    )
    assert runner.run_once("survivor")
    assert ran == []
    assert len(heard) == 1, heard
    assert heard[0][0] == 2, heard
    assert "stopped" in heard[0][1], heard
    with db.reading() as session:
        row = session.scalars(select(models.Job)).one()
        assert (row.state, row.attempts, row.locked_by) == (jobs.DEAD, 2, None)
        assert row.last_error == heard[0][1]
    assert not runner.run_once("survivor")  # nothing left to take
    assert ran == []
    assert len(heard) == 1


def test_a_delivery_whose_process_dies_on_its_last_attempt_is_failed(db: Database) -> None:
    delivery_id = _pending_delivery(db, max_attempts=1)
    assert jobs.claim(db, "doomed-worker", [DELIVER_JOB]) is not None
    _lease_runs_out(db)
    deliverer = Deliverer(db, Settings(db_url="unused"))
    try:
        runner = jobs.JobRunner(db, {DELIVER_JOB: lambda job: None}, workers=0,
                                give_up=deliverer.give_up_handlers())
        assert runner.run_once("survivor")
    finally:
        deliverer.close()
    with db.reading() as session:
        row = session.get_one(models.Delivery, delivery_id)
        assert row.state == "failed"
        assert (row.last_error or "").startswith("gave up after 1 attempts: "), row.last_error
