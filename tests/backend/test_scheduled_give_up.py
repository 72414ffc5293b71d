"""A scheduled send whose job the queue buries (it failed in a way no rule explains, through
every retry) is failed and its author told, never left scheduled with its time past (real
SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from console.backend import events, jobs, models
from console.backend.db import Database
from console.backend.migrate import upgrade
from console.backend.models import utcnow
from console.backend.ops import scheduled
from console.backend.scheduled_jobs import ScheduledWorkers
from console.backend.seed import seed_demo
from console.backend.settings import Settings
from tests.backend.conftest import wait_for
from tests.backend.pg import fresh_database, needs_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'scheduled.db'}")
        upgrade(database.engine)
        seed_demo(database)
        yield database
        database.dispose()
        return
    with fresh_database() as url:
        database = Database(url)
        upgrade(database.engine)
        seed_demo(database)
        yield database
        database.dispose()


def test_a_buried_job_fails_its_schedule_and_tells_its_author(db: Database) -> None:
    with db.writing() as session:
        user = session.scalars(select(models.User).order_by(models.User.id)).first()
        thread = session.scalars(select(models.Conversation).order_by(models.Conversation.id)
                                 ).first()
        assert user is not None
        assert thread is not None
        now = utcnow()
        row = models.ScheduledSend(
            id="sch_buried", user_id=user.id, kind=scheduled.MESSAGE, conversation_id=thread.id,
            body="Never goes", send_at=now - timedelta(seconds=1), status=scheduled.SCHEDULED,
            version=1, created_at=now, updated_at=now,
        )
        session.add(row)
        session.flush()
        jobs.enqueue(session, scheduled.SCHEDULED_JOB, {"id": row.id, "version": 1},
                     max_attempts=2)
    workers = ScheduledWorkers(db, Settings(db_url="unused"))

    def crash(job: jobs.Job) -> None:
        raise RuntimeError("the database went away")

    runner = jobs.JobRunner(db, {scheduled.SCHEDULED_JOB: crash}, workers=1, poll_interval=0.02,
                            backoff=jobs.Backoff(base=0.01),
                            give_up={scheduled.SCHEDULED_JOB: workers.gave_up})
    runner.start()
    try:
        def failed() -> models.ScheduledSend | None:
            with db.reading() as session:
                found = session.get(models.ScheduledSend, "sch_buried")
                return found if found is not None and found.status == scheduled.FAILED else None

        done = wait_for(failed, timeout=15)
    finally:
        runner.stop()
    assert done.error_code == "internal_error"
    assert "the database went away" in (done.error_detail or "")
    with db.reading() as session:
        told = session.scalars(
            select(models.Event).where(models.Event.type == events.SCHEDULED_UPSERTED,
                                       models.Event.entity_id == "sch_buried")
        ).all()
    assert [(e.data["status"], e.only_user_id) for e in told] == [("failed", done.user_id)]
    # Told once: a second give-up (the next claimer of a lost lease) changes nothing.
    with db.writing() as session:
        scheduled.give_up(session, "sch_buried", "again")
    with db.reading() as session:
        again = session.scalars(select(models.Event).where(
            models.Event.entity_id == "sch_buried")).all()
    assert len(again) == 1
