"""The simulator carrier: pretends to be the phone network.

Each accepted outbound SMS moves queued -> sent -> delivered on its own asyncio task (each step
a committed change with its `message.upserted` event); a body containing "#fail" fails with the
carrier error 30006 instead. What reaches a handset is kept for `/v1/simulator/outbox`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.carrier.tasks import CarrierTasks
from console.backend.db import Database
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops.group_chats import phones_of
from console.domain.messages import Direction, MessageStatus

log = logging.getLogger("console.backend.simulator")

FAIL_MARKER = "#fail"
FAIL_ERROR_CODE = "30006"  # Twilio: landline or unreachable carrier
_FINAL = frozenset({MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.UNDELIVERED})


class SimulatorCarrier:
    name = "simulator"

    def __init__(self, db: Database, *, sent_after: float = 0.2, delivered_after: float = 0.5):
        self._db = db
        self._sent_after = sent_after
        self._delivered_after = max(delivered_after, sent_after)
        self._tasks = CarrierTasks(self.name)

    def start(self) -> None:
        self._tasks.bind()
        # Messages accepted before a restart still get their statuses. (Not in-app ones: they
        # never go through a carrier; the person's app marks them delivered.)
        with self._db.reading() as session:
            unfinished = session.scalars(
                select(models.Message.id)
                .join(models.Conversation, models.Conversation.id == models.Message.conversation_id)
                .where(
                    models.Message.direction == Direction.OUT,
                    models.Message.status.in_([MessageStatus.QUEUED, MessageStatus.SENT]),
                    models.Conversation.kind != "in_app",
                )
            ).all()
        for message_id in unfinished:
            self._tasks.spawn(partial(self._progress, message_id))

    async def stop(self) -> None:
        await self._tasks.cancel_all()

    def submit(self, message_id: str) -> None:
        self._tasks.submit(partial(self._progress, message_id), f"message {message_id}")

    async def _progress(self, message_id: str) -> None:
        try:
            await asyncio.sleep(self._sent_after)
            if not await asyncio.to_thread(self._advance, message_id, MessageStatus.SENT):
                return
            await asyncio.sleep(self._delivered_after - self._sent_after)
            await asyncio.to_thread(self._advance, message_id, MessageStatus.DELIVERED)
        except asyncio.CancelledError:
            raise
        except Exception:
            # A status step failing must not take the server down; the message stays as it was.
            log.exception("simulator could not advance message %s", message_id)

    def _advance(self, message_id: str, target: MessageStatus) -> bool:
        """Move one step forward; False when the message is final (nothing more to do)."""
        with self._db.writing() as session:
            message = session.get(models.Message, message_id)
            if message is None or message.status in _FINAL:
                return False
            if target == MessageStatus.SENT and message.status != MessageStatus.QUEUED:
                return True  # already sent before a restart
            now = utcnow()
            if target == MessageStatus.SENT and FAIL_MARKER in message.body:
                message.status, message.error_code = MessageStatus.FAILED, FAIL_ERROR_CODE
            else:
                message.status = target
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
            return message.status not in _FINAL


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
