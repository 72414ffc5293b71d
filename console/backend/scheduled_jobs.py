"""The job worker that sends scheduled sends when their time comes (ops/scheduled.py).

Its own runner, apart from the carrier's and the notifications': a group message's thousands
of notifications must not hold up a message due at 9:00, nor it them.
"""

from __future__ import annotations

from console.backend import deliveries, jobs
from console.backend.db import Database
from console.backend.ops import scheduled
from console.backend.settings import Settings


class ScheduledWorkers:
    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._channels = deliveries.channels(settings)
        self._runner = jobs.JobRunner(
            db,
            {scheduled.SCHEDULED_JOB: self.fire},
            workers=1,
            poll_interval=settings.job_poll_s,
            backoff=jobs.Backoff(base=settings.retry_base_s),
            lease_s=settings.job_lease_s,
            name="scheduled",
            give_up={scheduled.SCHEDULED_JOB: self.gave_up},
        )

    def fire(self, job: jobs.Job) -> None:
        with self._db.writing() as session:
            wait = scheduled.fire(
                session, str(job.payload["id"]), int(job.payload["version"]),
                notify_channels=self._channels,
            )
        if wait is not None:
            raise jobs.Later(wait)

    def gave_up(self, job: jobs.Job, reason: str) -> None:
        with self._db.writing() as session:
            scheduled.give_up(session, str(job.payload["id"]), reason)

    def start(self) -> None:
        self._runner.start()

    def begin_stop(self) -> None:
        self._runner.begin_stop()

    def stop(self) -> None:
        self._runner.stop()
