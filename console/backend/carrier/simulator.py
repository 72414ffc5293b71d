"""The simulator carrier: pretends to be the phone network.

Each accepted outbound SMS moves queued -> sent (`sent_after` seconds after it was accepted)
-> delivered (`delivered_after`), each step a committed change with its `message.upserted`
event; a body containing "#fail" fails with the carrier error 30006 instead. The steps are
taken by its `sms.send` job (send_jobs.py), which comes back when the next step is due, so any
live serve process takes them and a restart or a dead process loses none. What reaches a
handset is kept for `/v1/simulator/outbox`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from console.backend import events, jobs, models
from console.backend.db import Database
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops.group_chats import phones_of
from console.domain.messages import MessageStatus

log = logging.getLogger("console.backend.simulator")

FAIL_MARKER = "#fail"
FAIL_ERROR_CODE = "30006"  # Twilio: landline or unreachable carrier
NOT_SENT = "not_sent"  # our own code: the send job gave up before the carrier took it
_FINAL = frozenset({MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.UNDELIVERED})
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
            message = session.get(models.Message, str(job.payload["message_id"]),
                                  with_for_update=True)
            if message is None or message.status != MessageStatus.QUEUED:
                return  # already sent (or final): the handset has it
            log.warning("message %s was never sent: %s", message.id, reason)
            message.status, message.error_code = MessageStatus.FAILED, NOT_SENT
            message.updated_at = utcnow()
            events.message_changed(
                session, message, session.get_one(models.Conversation, message.conversation_id)
            )

    def _step(self, message_id: str) -> float | None:
        """Take the step that is due, if one is; seconds until the next one (None: final)."""
        with self._db.writing() as session:
            # Locked: a process whose lease lapsed while it worked must not step it twice.
            message = session.get(models.Message, message_id, with_for_update=True)
            if message is None or message.status in _FINAL:
                return None
            now = utcnow()
            sending = message.status == MessageStatus.QUEUED
            due = message.created_at + (self._sent_after if sending else self._delivered_after)
            if due > now:
                return (due - now).total_seconds()
            if sending and FAIL_MARKER in message.body:
                message.status, message.error_code = MessageStatus.FAILED, FAIL_ERROR_CODE
            else:
                message.status = MessageStatus.SENT if sending else MessageStatus.DELIVERED
            message.updated_at = now
            conversation = session.get_one(models.Conversation, message.conversation_id)
            if message.status == MessageStatus.DELIVERED:
                # A group chat message reaches every participant's frozen number.
                handsets = (
                    phones_of(session, conversation.id)
                    if conversation.kind == "group_sms"
                    else [message.to_number]
                )
                deliver_copies(session, message, handsets, at=now)
            events.message_changed(session, message, conversation)
            if message.status in _FINAL:
                return None
            return max((message.created_at + self._delivered_after - now).total_seconds(), 0.0)


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
