"""The simulator carrier: pretends to be the phone network.

Each accepted outbound SMS moves queued -> sent (`sent_after` seconds after it was accepted)
-> delivered (`delivered_after`), each step a committed change with its `message.upserted`
event. Like the Twilio carrier it keeps one copy (models.CarrierSend) per recipient number, so
a group chat message says, per participant, how far it got (Message.deliveries); the message's
own status is what its copies add up to (console.domain.delivery: delivered only when every
copy was, undelivered with the failed copy's code when some were and some failed, failed when
every copy failed).

Failures, on purpose, for tests and demos:
- a body containing "#fail" fails every copy at the send step with the carrier error 30006;
- a handset whose number ends in 555-0194 .. 555-0198 (any area code, e.g. +1 415 555 0194)
  is unreachable: its copy is sent, then fails at the delivery step with Twilio's error code,
  in order 30003 (0194: unreachable handset), 30004 (0195: blocked), 30005 (0196: unknown
  number), 30006 (0197: landline), 30007 (0198: filtered as spam), while the other
  participants' copies are delivered. The range is reserved for this: it lies in the
  fictional 555-01xx range, and neither the demo data (seed_data.py) nor a test's fixed
  number uses it, so no demo contact fails by accident. In the demo, give a contact such a
  number and put them in a group chat.

The steps are taken by its `sms.send` job (send_jobs.py), which comes back when the next step
is due, so any live serve process takes them and a restart or a dead process loses none. What
reaches a handset (a delivered copy) is kept for `/v1/simulator/outbox`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from console.backend import jobs, models
from console.backend.carrier.copies import copies_of, lock, recipients, settle
from console.backend.db import Database
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.domain.messages import MessageStatus

log = logging.getLogger("console.backend.simulator")

FAIL_MARKER = "#fail"
FAIL_ERROR_CODE = "30006"  # Twilio: landline or unreachable carrier
NOT_SENT = "not_sent"  # our own code: the send job gave up before the carrier took it
_FINAL = frozenset({MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.UNDELIVERED})
FAILED = MessageStatus.FAILED
# Unreachable handsets (see the module doc): the last seven digits -> Twilio's error code.
_UNREACHABLE = {f"55501{94 + n}": f"3000{3 + n}" for n in range(5)}
_WAIT_IN_PLACE_S = 0.05


class SimulatorCarrier:
    name = "simulator"

    def __init__(self, db: Database, *, sent_after: float = 0.2, delivered_after: float = 0.5):
        self._db = db
        self._sent_after = timedelta(seconds=sent_after)
        self._delivered_after = timedelta(seconds=max(delivered_after, sent_after))

    def start(self) -> None:
        pass  # nothing to open: the "network" is the database

    def stop(self) -> None:
        pass

    def send(self, job: jobs.Job) -> None:
        message_id = str(job.payload["message_id"])
        while (wait := self._step(message_id)) is not None:
            if wait > _WAIT_IN_PLACE_S or job.stopping.is_set():
                raise jobs.Later(wait)  # back to the queue: due then, for any process
            time.sleep(wait)  # shorter than putting the job back and claiming it again

    def gave_up(self, job: jobs.Job, reason: str) -> None:
        with self._db.writing() as session:
            locked = lock(session, str(job.payload["message_id"]))
            if locked is None or locked.message.status != MessageStatus.QUEUED:
                return  # already sent (or final): the handset has it
            message = locked.message
            log.warning("message %s was never sent: %s", message.id, reason)
            now = utcnow()
            for copy in _copies(session, message, now):
                copy.status, copy.error_code, copy.updated_at = FAILED, NOT_SENT, now
            settle(session, locked)

    def _step(self, message_id: str) -> float | None:
        """Take the step that is due, if one is; seconds until the next one (None: final)."""
        with self._db.writing() as session:
            # Locked: a process whose lease lapsed while it worked must not step it twice.
            locked = lock(session, message_id)
            if locked is None or locked.message.status in _FINAL:
                return None
            message = locked.message
            now = utcnow()
            sending = message.status == MessageStatus.QUEUED
            due = message.created_at + (self._sent_after if sending else self._delivered_after)
            if due > now:
                return (due - now).total_seconds()
            copies = _copies(session, message, now)
            if sending:
                _send(copies, fail=FAIL_MARKER in message.body)
            else:
                delivered = _deliver(copies)
                deliver_copies(session, message, delivered, at=now)
            for copy in copies:
                copy.updated_at = now
            message = settle(session, locked)
            if message.status in _FINAL:
                return None
            return max((message.created_at + self._delivered_after - now).total_seconds(), 0.0)


def unreachable_code(number: str) -> str | None:
    """The carrier error a copy to `number` fails with (see the module doc), or None."""
    return _UNREACHABLE.get(number[-7:]) if number.startswith("+1") else None


def _copies(
    session: Session, message: models.Message, now: datetime
) -> list[models.CarrierSend]:
    """The message's copies, one per recipient; those missing (not made yet, or a message
    accepted before copies were kept) are made queued."""
    have = {copy.to_number: copy for copy in copies_of(session, message.id)}
    for number in recipients(session, message):
        if number not in have:
            have[number] = models.CarrierSend(
                message_id=message.id, to_number=number, status=MessageStatus.QUEUED,
                updated_at=now,
            )
            session.add(have[number])
    return list(have.values())


def _send(copies: Sequence[models.CarrierSend], *, fail: bool) -> None:
    for copy in copies:
        if copy.status != MessageStatus.QUEUED:
            continue
        if fail:
            copy.status, copy.error_code = FAILED, FAIL_ERROR_CODE
        else:
            copy.status = MessageStatus.SENT


def _deliver(copies: Sequence[models.CarrierSend]) -> list[str]:
    """Copies on their way reach their handsets, or fail; returns the numbers reached."""
    reached: list[str] = []
    for copy in copies:
        if copy.status not in (MessageStatus.QUEUED, MessageStatus.SENT):
            continue
        code = unreachable_code(copy.to_number)
        if code is not None:
            copy.status, copy.error_code = FAILED, code
        else:
            copy.status = MessageStatus.DELIVERED
            reached.append(copy.to_number)
    return reached


def deliver_copies(
    session: Session, message: models.Message, handsets: Sequence[str], *, at: datetime
) -> None:
    """What reaches each handset: one copy per number (a group MMS reaches every other one)."""
    session.add_all(
        models.HandsetMessage(
            id=new_id("sms"),
            message_id=message.id,
            from_number=message.from_number,
            to_number=number,
            body=message.body,
            conversation_id=message.conversation_id,
            at=at,
        )
        for number in dict.fromkeys(handsets)
    )
