"""A small job queue in the backend's own database (notifications, webhook calls, fan-outs).

A job is enqueued in the transaction that makes it necessary, so it exists exactly when that
change does. Workers claim one due job at a time with a lease: on PostgreSQL with
`FOR UPDATE SKIP LOCKED` (several serve processes share the queue, none takes a job another
holds); on SQLite the single writer (BEGIN IMMEDIATE) serializes claims. A job whose lease
ran out (its worker died) is claimable again, so handlers must tolerate a second run; the
delivery handlers do (they skip what is already delivered).

A handler that raises is retried with exponential backoff until `max_attempts`, then the job
is kept as `dead` with its last error (so is a job whose worker stopped during its last
attempt: it is buried when next claimed, not run again), and the kind's give-up handler (if
it has one) records that on whatever the job was for (a delivery is marked failed: never
left pending). A job
that succeeds is deleted: what happened is kept by the handler's own records (`deliveries`).
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, event, func, insert, or_, select, update
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.db import Database
from console.backend.models import utcnow

log = logging.getLogger("console.backend.jobs")

QUEUED, RUNNING, DEAD = "queued", "running", "dead"
DEFAULT_MAX_ATTEMPTS = 8
LEASE = timedelta(seconds=120)
ERROR_CHARS = 1000
_WAKE_PENDING = "console_jobs_wake"


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int  # including the one running now
    max_attempts: int
    # Set when claiming buried the job instead of running it: its worker stopped (process
    # died) during the last attempt. The runner calls the give-up handler with this reason.
    buried: str | None = None

    @property
    def is_last_attempt(self) -> bool:
        return self.attempts >= self.max_attempts


Handler = Callable[[Job], None]
# Called once when a job of its kind is buried, with the last error.
GiveUp = Callable[[Job, str], None]


class RetryLater(Exception):
    """The handler failed in a way worth trying again later (its message is recorded)."""


@dataclass(frozen=True, slots=True)
class Backoff:
    base: float = 2.0  # seconds before the first retry
    cap: float = 600.0

    def delay(self, attempts: int) -> float:
        """Exponential with +-20% jitter, so retries of a burst do not come back together."""
        raw = min(self.base * 2.0 ** max(attempts - 1, 0), self.cap)
        return float(raw * random.uniform(0.8, 1.2))


# --- enqueueing (inside the caller's transaction) ---


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> None:
    enqueue_many(session, kind, [payload], max_attempts=max_attempts)


def enqueue_many(
    session: Session,
    kind: str,
    payloads: Iterable[dict[str, Any]],
    *,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> int:
    """Bulk insert (Core executemany, not the unit of work); returns how many."""
    now = utcnow()
    rows = [
        {
            "kind": kind, "payload": payload, "state": QUEUED, "attempts": 0,
            "max_attempts": max_attempts, "run_at": now, "locked_until": None,
            "locked_by": None, "last_error": None, "created_at": now, "updated_at": now,
        }
        for payload in payloads
    ]
    if rows:
        session.connection().execute(insert(models.Job), rows)
        _wake_after_commit(session)
    return len(rows)


_runners: weakref.WeakSet[JobRunner] = weakref.WeakSet()


def _wake_after_commit(session: Session) -> None:
    # Workers of this process start at once; those of other processes find it when they poll.
    if session.info.get(_WAKE_PENDING):
        return
    session.info[_WAKE_PENDING] = True

    def wake(committed: Session) -> None:
        committed.info.pop(_WAKE_PENDING, None)
        for runner in list(_runners):
            runner.wake()

    event.listen(session, "after_commit", wake, once=True)


# --- claiming and finishing ---


def _claimable(now: datetime) -> Any:
    return or_(
        and_(models.Job.state == QUEUED, models.Job.run_at <= now),
        and_(models.Job.state == RUNNING, models.Job.locked_until < now),  # its worker died
    )


def claim(db: Database, worker: str, kinds: Iterable[str]) -> Job | None:
    """Take the oldest due job of `kinds`, or None."""
    kinds = list(kinds)
    now = utcnow()
    due = select(models.Job.id).where(_claimable(now), models.Job.kind.in_(kinds))
    with db.reading() as session:  # cheap look first: most polls find nothing, write nothing
        if session.scalar(due.limit(1)) is None:
            return None
    with db.writing() as session:
        row = session.scalars(
            select(models.Job)
            .where(_claimable(now), models.Job.kind.in_(kinds))
            .order_by(models.Job.run_at, models.Job.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if row is None:
            return None
        if row.state == RUNNING and row.attempts >= row.max_attempts:
            # Its last attempt's worker stopped (a job that kills its process would otherwise
            # be taken again forever, never reaching its give-up handler): bury it.
            reason = f"its worker stopped during attempt {row.attempts} (lease ran out)"
            row.state, row.locked_by, row.locked_until = DEAD, None, None
            row.last_error = reason
            row.updated_at = now
            return Job(row.id, row.kind, dict(row.payload), row.attempts, row.max_attempts,
                       buried=reason)
        row.state, row.locked_by = RUNNING, worker
        row.locked_until = now + LEASE
        row.attempts += 1
        row.updated_at = now
        return Job(row.id, row.kind, dict(row.payload), row.attempts, row.max_attempts)


def _ours(job: Job, worker: str) -> Any:
    # A worker whose lease ran out (and the job was taken over) must not touch it any more.
    return and_(
        models.Job.id == job.id, models.Job.state == RUNNING, models.Job.locked_by == worker
    )


def finish(db: Database, job: Job, worker: str) -> None:
    with db.writing() as session:
        session.execute(delete(models.Job).where(_ours(job, worker)))


def fail(db: Database, job: Job, worker: str, error: str, backoff: Backoff) -> bool:
    """Schedule a retry, or bury the job when it has no attempts left. True if retried."""
    now = utcnow()
    retry = not job.is_last_attempt
    values: dict[str, Any] = {
        "state": QUEUED if retry else DEAD,
        "last_error": error[:ERROR_CHARS],
        "locked_by": None,
        "locked_until": None,
        "updated_at": now,
    }
    if retry:
        values["run_at"] = now + timedelta(seconds=backoff.delay(job.attempts))
    with db.writing() as session:
        session.execute(update(models.Job).where(_ours(job, worker)).values(**values))
    return retry


def next_due_in(db: Database, kinds: Iterable[str]) -> float | None:
    """Seconds until the next queued job of `kinds` is due (0 if one is), None if none."""
    with db.reading() as session:
        at = session.scalar(
            select(func.min(models.Job.run_at)).where(
                models.Job.state == QUEUED, models.Job.kind.in_(list(kinds))
            )
        )
    if at is None:
        return None
    return max((at - utcnow()).total_seconds(), 0.0)


# --- workers ---


class JobRunner:
    """Worker threads of one serve process; started and stopped by the app's lifespan."""

    def __init__(
        self,
        db: Database,
        handlers: Mapping[str, Handler],
        *,
        workers: int = 2,
        poll_interval: float = 0.5,
        backoff: Backoff | None = None,
        give_up: Mapping[str, GiveUp] | None = None,
    ) -> None:
        self._db = db
        self._handlers = dict(handlers)
        self._give_up = dict(give_up or {})
        self._workers = max(workers, 0)
        self._poll = poll_interval
        self._backoff = backoff or Backoff()
        self._stop = threading.Event()
        self._kick = threading.Event()
        self._threads: list[threading.Thread] = []
        self._name = f"{socket.gethostname()}:{os.getpid()}"

    def start(self) -> None:
        self._stop.clear()
        _runners.add(self)
        for index in range(self._workers):
            thread = threading.Thread(
                target=self._loop, args=(f"{self._name}:{index}",), name=f"jobs-{index}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop taking jobs; wait (bounded) for running ones. An unfinished job's lease expires
        and another worker (or the next start) takes it again."""
        self._stop.set()
        _runners.discard(self)
        self.wake()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def wake(self) -> None:
        self._kick.set()

    def run_once(self, worker: str) -> bool:
        """Claim and run one job; False when none was due."""
        job = claim(self._db, worker, self._handlers)
        if job is None:
            return False
        if job.buried is not None:
            log.info("job %s (%s) given up: %s", job.id, job.kind, job.buried)
            self._gave_up(job, job.buried)
            return True
        try:
            self._handlers[job.kind](job)
        except Exception as exc:  # any failure of one job must not stop the worker
            reason = str(exc) if isinstance(exc, RetryLater) else f"{type(exc).__name__}: {exc}"
            if not isinstance(exc, RetryLater):
                log.exception("job %s (%s) failed", job.id, job.kind)
            retried = fail(self._db, job, worker, reason, self._backoff)
            log.info("job %s (%s) attempt %s failed (%s); %s", job.id, job.kind, job.attempts,
                     reason, "will retry" if retried else "giving up")
            if not retried:
                self._gave_up(job, reason)
        else:
            finish(self._db, job, worker)
        return True

    def _gave_up(self, job: Job, reason: str) -> None:
        handler = self._give_up.get(job.kind)
        if handler is None:
            return
        try:
            handler(job, reason)
        except Exception:  # e.g. the database is down: the job stays dead, with its error
            log.exception("job %s (%s): recording that it gave up failed", job.id, job.kind)

    def _loop(self, worker: str) -> None:
        while not self._stop.is_set():
            # Cleared before looking, so a wake-up that comes while we look is not lost.
            self._kick.clear()
            try:
                if self.run_once(worker):
                    continue
                due = next_due_in(self._db, self._handlers)
            except Exception:  # e.g. the database is briefly unreachable: back off, go on
                log.exception("job worker %s could not poll", worker)
                due = None
            self._kick.wait(self._poll if due is None else min(self._poll, due))
