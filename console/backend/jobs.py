"""A small job queue in the backend's own database (SMS submission, notifications, webhook
calls, fan-outs).

A job is enqueued in the transaction that makes it necessary, so it exists exactly when that
change does. Workers claim one due job at a time with a lease: on PostgreSQL with
`FOR UPDATE SKIP LOCKED` (several serve processes share the queue, none takes a job another
holds); on SQLite the single writer (BEGIN IMMEDIATE) serializes claims. The lease is short
(`lease_s`, 6 s by default) and renewed every third of it while the handler runs, so the jobs
of a process that died (SIGKILL, power loss) are claimable again within seconds, while a slow
handler of a live process keeps its job. A job whose lease ran out is claimable again, so
handlers must tolerate a second run; they do (deliveries skip what is already delivered, an SMS
copy is recorded before its request and never repeated).

Stopping (SIGTERM) stops claiming at once and tells running handlers (`Job.stopping`); a
handler that can put its job back unstarted raises `Later(0)`, and the job is at once
claimable by another process, its attempt not counted.

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
import secrets
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, and_, delete, event, func, insert, select, update
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.db import Database
from console.backend.models import utcnow

log = logging.getLogger("console.backend.jobs")

QUEUED, RUNNING, DEAD = "queued", "running", "dead"
DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_LEASE_S = 6.0
MIN_WAIT_S = 0.02
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
    worker: str = ""  # the lease holder's name
    # Set when the process is stopping: a handler that can stop before it has done anything
    # irreversible hands its job back (raise Later(0)).
    stopping: threading.Event = field(default_factory=threading.Event, compare=False)

    @property
    def is_last_attempt(self) -> bool:
        return self.attempts >= self.max_attempts


Handler = Callable[[Job], None]
# Called once when a job of its kind is buried, with the last error.
GiveUp = Callable[[Job, str], None]


class RetryLater(Exception):
    """The handler failed in a way worth trying again later (its message is recorded)."""


class Later(Exception):
    """Not a failure: run this job again in `seconds` (0: at once, by any process), its attempt
    not counted. A handler raises it when it is early (a step due later) or hands its job back
    because the process is stopping."""

    def __init__(self, seconds: float = 0.0) -> None:
        super().__init__(f"later ({seconds:.3f} s)")
        self.seconds = max(seconds, 0.0)


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
    run_at: datetime | None = None,
) -> None:
    """One job, due now or at `run_at` (a scheduled send)."""
    enqueue_many(session, kind, [payload], max_attempts=max_attempts, run_at=run_at)


def enqueue_many(
    session: Session,
    kind: str,
    payloads: Iterable[dict[str, Any]],
    *,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    run_at: datetime | None = None,
) -> int:
    """Bulk insert (Core executemany, not the unit of work); returns how many."""
    now = utcnow()
    rows = [
        {
            "kind": kind, "payload": payload, "state": QUEUED, "attempts": 0,
            "max_attempts": max_attempts, "run_at": run_at or now, "locked_until": None,
            "locked_by": None, "last_error": None, "created_at": now, "updated_at": now,
        }
        for payload in payloads
    ]
    if rows:
        session.connection().execute(insert(models.Job), rows)
        _wake_after_commit(session, kind)
    return len(rows)


_runners: weakref.WeakSet[JobRunner] = weakref.WeakSet()


def _wake_after_commit(session: Session, kind: str) -> None:
    # Workers of this process start at once; those of other processes find it when they poll.
    # Only runners with a handler for the kind: waking the others costs each a look at the
    # queue for nothing (measured: 31 -> 24 transactions per SMS with 2 idle notifiers).
    kinds: set[str] | None = session.info.get(_WAKE_PENDING)
    if kinds is not None:
        kinds.add(kind)
        return
    session.info[_WAKE_PENDING] = kinds = {kind}

    def wake(committed: Session) -> None:
        committed.info.pop(_WAKE_PENDING, None)
        for runner in list(_runners):
            if runner.handles(kinds):
                runner.wake()

    event.listen(session, "after_commit", wake, once=True)


# --- claiming and finishing ---


def _lease_clock(session: Session) -> Any:
    """What leases are set and judged by. On PostgreSQL the database's clock, read when the
    statement runs: processes on several machines (whose clocks differ by seconds) and a claim
    that waited for a connection must agree on when a 6 s lease ran out. SQLite: one machine,
    read now (after the caller got the writer lock)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.timezone("UTC", func.statement_timestamp(), type_=DateTime())
    return utcnow()


def _candidates(kinds: list[str], now: Any) -> list[Any]:
    """Where a claimable job is, as separate queries each an ordered walk of ix_jobs_claim (one
    OR of both made PostgreSQL scan and sort the whole queue on every claim: 2.6 ms with 3,000
    queued): first jobs whose worker died (lease ran out), then the oldest due one."""
    of_kinds = models.Job.kind.in_(kinds)
    return [
        select(models.Job).where(
            of_kinds, models.Job.state == RUNNING, models.Job.locked_until < now
        ),
        select(models.Job).where(
            of_kinds, models.Job.state == QUEUED, models.Job.run_at <= now
        ).order_by(models.Job.run_at),
    ]


def claim(
    db: Database, worker: str, kinds: Iterable[str], lease_s: float = DEFAULT_LEASE_S
) -> Job | None:
    """Take the oldest due job of `kinds` for `lease_s` seconds, or None."""
    kinds = list(kinds)
    with db.reading() as session:  # cheap look first: most polls find nothing, write nothing
        if all(
            session.scalar(query.with_only_columns(models.Job.id).limit(1)) is None
            for query in _candidates(kinds, _lease_clock(session))
        ):
            return None
    with db.writing() as session:
        now, clock = utcnow(), _lease_clock(session)
        candidates = _candidates(kinds, clock)
        row = None
        for query in candidates:
            row = session.scalars(query.limit(1).with_for_update(skip_locked=True)).first()
            if row is not None:
                break
        if row is None:
            return None
        if row.state == RUNNING and row.attempts >= row.max_attempts:
            # Its last attempt's worker stopped (a job that kills its process would otherwise
            # be taken again forever, never reaching its give-up handler): ours to bury, once
            # its give-up is recorded (the runner does both; if we die in between, the lease
            # runs out and the next claimer does).
            reason = f"its worker stopped during attempt {row.attempts} (lease ran out)"
            row.locked_by, row.locked_until = worker, clock + timedelta(seconds=lease_s)
            row.updated_at = now
            return Job(row.id, row.kind, dict(row.payload), row.attempts, row.max_attempts,
                       buried=reason, worker=worker)
        row.state, row.locked_by = RUNNING, worker
        row.locked_until = clock + timedelta(seconds=lease_s)
        row.attempts += 1
        row.updated_at = now
        return Job(row.id, row.kind, dict(row.payload), row.attempts, row.max_attempts,
                   worker=worker)


def _ours(job: Job, worker: str) -> Any:
    # A worker whose lease ran out (and the job was taken over) must not touch it any more.
    return and_(
        models.Job.id == job.id, models.Job.state == RUNNING, models.Job.locked_by == worker
    )


def holds(session: Session, job: Job) -> bool:
    """Whether `job.worker` still holds the job, locking its row until the transaction ends:
    a takeover (whose claim skips locked rows) cannot come in between this check and what the
    caller writes in the same transaction."""
    return session.scalar(
        select(models.Job.id).where(_ours(job, job.worker)).with_for_update()
    ) is not None


def renew(db: Database, job_ids: Iterable[int], workers: Iterable[str], lease_s: float) -> int:
    """Extend the leases of these running jobs (still held by one of `workers`)."""
    ids, names = list(job_ids), list(workers)
    if not ids:
        return 0
    with db.writing() as session:
        # A row another transaction of ours has locked (holds(), waiting on the feed lock
        # behind a big fan-out) is skipped, not waited for: the next beat renews it, and the
        # other leases are renewed on time meanwhile.
        renewable = (
            select(models.Job.id)
            .where(models.Job.id.in_(ids), models.Job.state == RUNNING,
                   models.Job.locked_by.in_(names))
            .with_for_update(skip_locked=True)
        )
        result = session.execute(
            update(models.Job)
            .where(models.Job.id.in_(renewable.scalar_subquery()))
            .values(locked_until=_lease_clock(session) + timedelta(seconds=lease_s))
            .execution_options(synchronize_session=False)
        )
    return int(getattr(result, "rowcount", 0) or 0)


def defer(db: Database, job: Job, worker: str, seconds: float) -> None:
    """Back to the queue, due in `seconds`, this attempt not counted (see Later)."""
    now = utcnow()
    with db.writing() as session:
        session.execute(update(models.Job).where(_ours(job, worker)).values(
            state=QUEUED, attempts=models.Job.attempts - 1, locked_by=None, locked_until=None,
            run_at=now + timedelta(seconds=seconds), updated_at=now,
        ))


def finish(db: Database, job: Job, worker: str) -> None:
    with db.writing() as session:
        session.execute(delete(models.Job).where(_ours(job, worker)))


def fail(db: Database, job: Job, worker: str, error: str, backoff: Backoff) -> bool:
    """Schedule a retry, or bury the job when it has no attempts left. False when the job was
    no longer ours (its lease ran out and another worker took it)."""
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
        result = session.execute(update(models.Job).where(_ours(job, worker)).values(**values))
    return bool(getattr(result, "rowcount", 0))


def still_holds(db: Database, job: Job) -> bool:
    with db.reading() as session:
        return session.scalar(select(models.Job.id).where(_ours(job, job.worker))) is not None


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
        lease_s: float = DEFAULT_LEASE_S,
        name: str = "jobs",
    ) -> None:
        self._db = db
        self._handlers = dict(handlers)
        self._give_up = dict(give_up or {})
        self._workers = max(workers, 0)
        self._poll = poll_interval
        self._backoff = backoff or Backoff()
        self._lease_s = lease_s
        self._label = name
        self._stop = threading.Event()
        # One bell per worker. A wake-up rings one idle worker, and a worker that found a job
        # rings the next: a burst brings them all in, one job wakes one (ringing all four
        # carrier workers per SMS cost three claims that found nothing).
        self._bells = [threading.Event() for _ in range(self._workers)]
        self._idle: list[int] = []
        self._missed = False  # a wake-up came while no worker was idle
        self._bell_lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._heartbeat: threading.Thread | None = None
        self._beat_stop = threading.Event()
        # Unique per process even across containers that share a host name and pid 1, and
        # short enough for jobs.locked_by (64) whatever the host name.
        self._name = f"{socket.gethostname()[:24]}:{os.getpid()}:{secrets.token_hex(3)}:{name}"
        self._held: dict[int, str] = {}  # job id -> worker, while its handler runs
        self._held_lock = threading.Lock()

    def start(self) -> None:
        self._stop.clear()
        self._beat_stop.clear()
        _runners.add(self)
        for index in range(self._workers):
            thread = threading.Thread(
                target=self._loop, args=(index, f"{self._name}:{index}"),
                name=f"{self._label}-{index}", daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        if self._workers:
            self._heartbeat = threading.Thread(
                target=self._renew_loop, name=f"{self._label}-lease", daemon=True
            )
            self._heartbeat.start()

    def begin_stop(self) -> None:
        """Claim nothing more and tell running handlers (SIGTERM): returns at once."""
        self._stop.set()
        _runners.discard(self)
        for bell in self._bells:
            bell.set()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop taking jobs; wait (bounded) for running ones. True when every worker ended. A
        job still running then keeps its renewed lease while the process lives, and when it
        exits the lease runs out and another process takes the job."""
        self.begin_stop()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(deadline - time.monotonic(), 0.0))
        if any(thread.is_alive() for thread in self._threads):
            return False
        self._threads.clear()
        self._beat_stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join(timeout)
            self._heartbeat = None
        return True

    def handles(self, kinds: Iterable[str]) -> bool:
        return any(kind in self._handlers for kind in kinds)

    def wake(self) -> None:
        """Ring one idle worker (from any thread)."""
        with self._bell_lock:
            if self._idle:
                self._bells[self._idle.pop()].set()
            else:
                self._missed = True

    def run_once(self, worker: str) -> bool:
        """Claim and run one job; False when none was due."""
        if self._stop.is_set():
            return False
        job = claim(self._db, worker, self._handlers, self._lease_s)
        if job is None:
            return False
        self.wake()  # there may be more: let the next idle worker look
        if job.buried is not None:
            log.info("job %s (%s) given up: %s", job.id, job.kind, job.buried)
            if self._gave_up(job, job.buried):
                fail(self._db, job, worker, job.buried, self._backoff)  # no attempts left: dead
            return True
        job = replace(job, stopping=self._stop)
        with self._held_lock:
            self._held[job.id] = worker
        try:
            self._handlers[job.kind](job)
        except Later as later:
            defer(self._db, job, worker, later.seconds)
        except Exception as exc:  # any failure of one job must not stop the worker
            reason = str(exc) if isinstance(exc, RetryLater) else f"{type(exc).__name__}: {exc}"
            if not isinstance(exc, RetryLater):
                log.exception("job %s (%s) failed", job.id, job.kind)
            log.info("job %s (%s) attempt %s failed (%s); %s", job.id, job.kind, job.attempts,
                     reason, "giving up" if job.is_last_attempt else "will retry")
            # On the last attempt the give-up is recorded before the job is buried: if that
            # fails (or we die in between), the job stays running under a lease that runs
            # out, and the next claimer buries it and gives up again (give-up handlers are
            # idempotent).
            if not job.is_last_attempt or (
                still_holds(self._db, job) and self._gave_up(job, reason)
            ):
                fail(self._db, job, worker, reason, self._backoff)
        else:
            finish(self._db, job, worker)
        finally:
            with self._held_lock:
                if self._held.get(job.id) == worker:  # not a takeover by a sibling worker
                    del self._held[job.id]
        return True

    def _gave_up(self, job: Job, reason: str) -> bool:
        """Record on what the job was for that it was given up; False if that failed."""
        handler = self._give_up.get(job.kind)
        if handler is None:
            return True
        try:
            handler(job, reason)
        except Exception:  # e.g. the database is down: the job is buried later, by whoever
            log.exception("job %s (%s): recording that it gave up failed", job.id, job.kind)
            return False
        return True

    def _renew_loop(self) -> None:
        # Renewing well before the lease runs out: a renewal may wait for a busy database.
        while not self._beat_stop.wait(self._lease_s / 3):
            with self._held_lock:
                held = dict(self._held)
            try:
                renew(self._db, held, set(held.values()), self._lease_s)
            except Exception:  # the database is briefly away: the next beat tries again
                log.exception("could not renew job leases")

    def _loop(self, index: int, worker: str) -> None:
        bell = self._bells[index]
        while not self._stop.is_set():
            bell.clear()
            try:
                if self.run_once(worker):
                    continue
                due = next_due_in(self._db, self._handlers)
            except Exception:  # e.g. the database is briefly unreachable: back off, go on
                log.exception("job worker %s could not poll", worker)
                due = None
            with self._bell_lock:
                if self._missed:  # rung while we looked: look again
                    self._missed = False
                    continue
                self._idle.append(index)
            # A job due now that we could not claim is being claimed by another worker: do
            # not spin on it.
            bell.wait(self._poll if due is None else min(self._poll, max(due, MIN_WAIT_S)))
            with self._bell_lock:
                if index in self._idle:
                    self._idle.remove(index)
