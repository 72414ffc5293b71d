"""Handing outbound SMS to the carrier as jobs, so any live serve process sends any message.

An outbound SMS (1:1, group chat, an opt-out confirmation) is written `queued` together with
its `sms.send` job (console.backend.ops.message_rows), in one transaction: the message exists
exactly when the work to send it does. The carrier workers of every process claim these jobs
with short renewed leases (console.backend.jobs); when the process holding one dies, another
takes it within seconds, and the carrier's own records decide what is still safe to do (the
Twilio carrier never repeats a copy that may have reached Twilio).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from console.backend import jobs
from console.backend.carrier.base import Carrier
from console.backend.db import Database
from console.backend.settings import Settings

SEND_JOB = "sms.send"


def enqueue_send(session: Session, message_id: str) -> None:
    """In the transaction that writes the queued message."""
    jobs.enqueue(session, SEND_JOB, {"message_id": message_id})


class CarrierWorkers:
    """The carrier and the job workers that feed it, in one serve process. Separate from the
    notification workers, so a group message's thousands of notifications never hold up an
    SMS (nor the reverse)."""

    def __init__(self, db: Database, carrier: Carrier, settings: Settings) -> None:
        self._carrier = carrier
        self._runner = jobs.JobRunner(
            db,
            {SEND_JOB: carrier.send},
            workers=settings.carrier_workers,
            poll_interval=settings.job_poll_s,
            backoff=jobs.Backoff(base=settings.retry_base_s),
            give_up={SEND_JOB: carrier.gave_up},
            lease_s=settings.job_lease_s,
            name="carrier",
        )

    def start(self) -> None:
        self._carrier.start()
        self._runner.start()

    def begin_stop(self) -> None:
        self._runner.begin_stop()

    def stop(self) -> None:
        # A worker still in a carrier request keeps the carrier (its HTTP client) open: closing
        # it under the request would leave its copy unconfirmed when it probably went out.
        if self._runner.stop():
            self._carrier.stop()
