"""The Twilio carrier: REST send, status callbacks, signed inbound webhooks (routes/twilio.py).

Outbound: one `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` per recipient number (a
group chat message goes to every participant's frozen number; Programmable Messaging has no
group send), form fields To, From, Body and StatusCallback, HTTP Basic auth with the account
sid and auth token. Each copy is recorded before the request goes out (models.CarrierSend):

- a copy is never sent twice: a request that may have reached Twilio (read timeout, 5xx other
  than 503, a success answer that names no message sid) is not repeated; the copy fails as
  `unconfirmed` for a person to judge, and so does a copy found mid-request after a restart;
- requests Twilio certainly did not take (connection refused, 429, 503) are retried with
  backoff, honouring Retry-After;
- a refusal (4xx) fails the copy with Twilio's error code (e.g. 21211, invalid To).

The message's status is its copies' together: failed or undelivered when one is, otherwise
the least advanced of queued -> sent -> delivered. Status callbacks only move a copy forward.

Configuration comes from the environment only, so the auth token never lands in the database,
settings or logs: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, CONSOLE_PUBLIC_URL (the address
Twilio reaches this backend at: the status callback, and the URL webhook signatures cover),
and optionally TWILIO_API_BASE (default https://api.twilio.com).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.carrier.base import CarrierUnavailable
from console.backend.carrier.tasks import CarrierTasks
from console.backend.carrier.twilio_signature import signature_matches
from console.backend.db import Database
from console.backend.models import utcnow
from console.backend.ops.group_chats import phones_of
from console.domain.messages import Direction, MessageStatus

log = logging.getLogger("console.backend.twilio")

STATUS_PATH = "/webhooks/twilio/status"
DEFAULT_API_BASE = "https://api.twilio.com"
# Our own error codes (messages.error_code holds at most 16 characters).
UNCONFIRMED = "unconfirmed"  # the request may have reached Twilio: not sent again
UNREACHABLE = "unreachable"  # Twilio could not be reached, retries included
SUBMITTING = "submitting"

# Twilio's message statuses -> a copy's progress (None: not about delivery, ignored).
_COPY_STATUS = {
    "accepted": "queued", "scheduled": "queued", "queued": "queued", "sending": "queued",
    "sent": "sent", "delivered": "delivered", "read": "delivered",
    "undelivered": "undelivered", "failed": "failed", "canceled": "failed",
}
_RANK = {SUBMITTING: 0, "queued": 0, "sent": 1, "delivered": 2}
_FAILED = frozenset({"failed", "undelivered"})
_FINAL = _FAILED | {"delivered"}
_BY_RANK = (MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.DELIVERED)


def copy_status(twilio_status: str | None) -> str | None:
    return _COPY_STATUS.get((twilio_status or "").strip().lower())


@dataclass(frozen=True, slots=True)
class TwilioConfig:
    account_sid: str
    auth_token: str = field(repr=False)
    public_url: str
    api_base: str = DEFAULT_API_BASE

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> TwilioConfig:
        needed = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "CONSOLE_PUBLIC_URL")
        missing = [name for name in needed if not environ.get(name, "").strip()]
        if missing:
            raise CarrierUnavailable(
                "The twilio carrier needs " + ", ".join(missing) + " in the environment."
            )
        public = environ["CONSOLE_PUBLIC_URL"].strip().rstrip("/")
        if not public.startswith(("https://", "http://")):
            raise CarrierUnavailable("CONSOLE_PUBLIC_URL must be an http(s) address.")
        return cls(
            account_sid=environ["TWILIO_ACCOUNT_SID"].strip(),
            auth_token=environ["TWILIO_AUTH_TOKEN"].strip(),
            public_url=public,
            api_base=(environ.get("TWILIO_API_BASE") or DEFAULT_API_BASE).strip().rstrip("/"),
        )


@dataclass(frozen=True, slots=True)
class _Outcome:
    status: str  # a copy status
    sid: str | None = None
    error_code: str | None = None


class TwilioCarrier:
    name = "twilio"

    def __init__(
        self, db: Database, config: TwilioConfig, *, attempts: int = 5,
        retry_base_s: float = 0.5,
    ) -> None:
        self._db = db
        self.config = config
        self._attempts = attempts
        self._retry_base_s = retry_base_s
        self._client: httpx.AsyncClient | None = None
        self._tasks = CarrierTasks(self.name)

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        self._tasks.bind()
        self._client = httpx.AsyncClient(
            auth=(self.config.account_sid, self.config.auth_token), timeout=15.0
        )
        for message_id in self._recover():
            self._tasks.spawn(partial(self._send, message_id))

    async def stop(self) -> None:
        await self._tasks.cancel_all()
        if self._client is not None:
            await self._client.aclose()
        self._client = None

    def submit(self, message_id: str) -> None:
        self._tasks.submit(partial(self._send, message_id), f"message {message_id}")

    def verify(self, url: str, params: list[tuple[str, str]], signature: str | None) -> bool:
        return signature_matches(self.config.auth_token, url, params, signature)

    # -- sending --------------------------------------------------------------------------------
    async def _send(self, message_id: str) -> None:
        try:
            while (copy := await asyncio.to_thread(self._next_copy, message_id)) is not None:
                sender, to, body = copy
                outcome = await self._post(sender, to, body)
                await asyncio.to_thread(self._record, message_id, to, outcome)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("twilio carrier could not send message %s", message_id)

    def _next_copy(self, message_id: str) -> tuple[str, str, str] | None:
        """The next recipient with no copy yet, recorded as submitting; None when all have one."""
        with self._db.writing() as session:
            message = session.get(models.Message, message_id)
            if message is None:
                return None
            done = set(session.scalars(
                select(models.CarrierSend.to_number)
                .where(models.CarrierSend.message_id == message_id)
            ).all())
            if not done and message.status != MessageStatus.QUEUED:
                return None  # not ours to start (e.g. failed before it reached us)
            # Once started, every recipient gets a copy even if an earlier one was refused.
            for number in _recipients(session, message):
                if number not in done:
                    session.add(models.CarrierSend(
                        message_id=message_id, to_number=number, status=SUBMITTING,
                        updated_at=utcnow(),
                    ))
                    return message.from_number, number, message.body
        return None

    async def _post(self, sender: str, to: str, body: str) -> _Outcome:
        assert self._client is not None
        url = f"{self.config.api_base}/2010-04-01/Accounts/{self.config.account_sid}/Messages.json"
        data = {"To": to, "From": sender, "Body": body,
                "StatusCallback": self.config.public_url + STATUS_PATH}
        error = UNREACHABLE
        for attempt in range(self._attempts):
            wait = min(8.0, self._retry_base_s * 2**attempt)
            try:
                response = await self._client.post(url, data=data)
            except (httpx.ConnectError, httpx.ConnectTimeout):
                error = UNREACHABLE  # never reached Twilio: safe to try again
            except httpx.HTTPError as exc:
                log.warning("twilio send to %s unconfirmed: %s", to, type(exc).__name__)
                return _Outcome("failed", error_code=UNCONFIRMED)
            else:
                if response.status_code < 300:
                    return _accepted(to, _json(response))
                if response.status_code not in (429, 503):
                    code = _json(response).get("code")
                    refused = str(code) if code else (
                        f"http_{response.status_code}" if response.status_code < 500
                        else UNCONFIRMED
                    )
                    log.info("twilio refused a copy to %s: %s", to, refused)
                    return _Outcome("failed", error_code=refused)
                error = f"http_{response.status_code}"
                wait = max(wait, _retry_after(response))
            if attempt + 1 < self._attempts:
                await asyncio.sleep(wait)
        return _Outcome("failed", error_code=error)

    def _record(self, message_id: str, to: str, outcome: _Outcome) -> None:
        with self._db.writing() as session:
            row = session.scalars(select(models.CarrierSend).where(
                models.CarrierSend.message_id == message_id, models.CarrierSend.to_number == to,
            )).one()
            row.sid, row.status, row.error_code = outcome.sid, outcome.status, outcome.error_code
            row.updated_at = utcnow()
            session.flush()
            _settle(session, message_id)

    # -- status callbacks -----------------------------------------------------------------------
    def apply_status(self, sid: str, twilio_status: str, error_code: str | None) -> bool:
        """A status callback for copy `sid`; False when the sid is not ours (or not yet)."""
        status = copy_status(twilio_status)
        with self._db.writing() as session:
            row = session.scalars(
                select(models.CarrierSend).where(models.CarrierSend.sid == sid)
            ).one_or_none()
            if row is None:
                return False
            if status is None or row.status in _FINAL:
                return True  # callbacks arrive out of order: a final status stays
            if status in _FAILED or _RANK[status] > _RANK.get(row.status, 0):
                row.status = status
                row.error_code = (error_code or None) if status in _FAILED else None
                row.updated_at = utcnow()
                session.flush()
                _settle(session, row.message_id)
            return True

    # -- restart --------------------------------------------------------------------------------
    def _recover(self) -> list[str]:
        """Copies caught mid-request fail as unconfirmed; queued messages with copies still to
        send are sent (their ids returned)."""
        with self._db.writing() as session:
            caught = session.scalars(
                select(models.CarrierSend.message_id)
                .where(models.CarrierSend.status == SUBMITTING)
            ).all()
            session.execute(
                update(models.CarrierSend)
                .where(models.CarrierSend.status == SUBMITTING)
                .values(status="failed", error_code=UNCONFIRMED, updated_at=utcnow())
            )
            for message_id in set(caught):
                _settle(session, message_id)
            return list(session.scalars(
                select(models.Message.id)
                .join(models.Conversation, models.Conversation.id == models.Message.conversation_id)
                .where(
                    models.Message.direction == Direction.OUT,
                    models.Message.status == MessageStatus.QUEUED,
                    models.Conversation.kind != "in_app",
                )
            ).all())


def _recipients(session: Session, message: models.Message) -> list[str]:
    conversation = session.get_one(models.Conversation, message.conversation_id)
    if conversation.kind == "group_sms":
        return list(dict.fromkeys(phones_of(session, conversation.id)))
    return [message.to_number] if message.to_number else []


def _settle(session: Session, message_id: str) -> None:
    """The message's status from its copies' (see the module doc); an event when it moved."""
    message = session.get_one(models.Message, message_id)
    if message.status in (MessageStatus.FAILED, MessageStatus.UNDELIVERED, MessageStatus.DELIVERED):
        return
    copies = session.scalars(
        select(models.CarrierSend).where(models.CarrierSend.message_id == message_id)
        .order_by(models.CarrierSend.id)
    ).all()
    failed = next((c for c in copies if c.status in _FAILED), None)
    error_code: str | None = None
    if failed is not None:
        status = MessageStatus(failed.status)
        error_code = failed.error_code
    elif len(copies) < len(_recipients(session, message)):
        status = MessageStatus.QUEUED
    else:
        status = _BY_RANK[min((_RANK.get(c.status, 0) for c in copies), default=0)]
    if status == message.status:
        return
    message.status, message.error_code, message.updated_at = status, error_code, utcnow()
    conversation = session.get_one(models.Conversation, message.conversation_id)
    events.message_changed(session, message, conversation)


def _accepted(to: str, answer: dict[str, object]) -> _Outcome:
    """A success answer. Without a message sid no status callback can ever be matched to the
    copy, and whether Twilio took it is unknown: it is unconfirmed (failed, never re-sent),
    not queued forever."""
    sid = answer.get("sid")
    if not isinstance(sid, str) or not sid.strip():
        log.warning("twilio answered a copy to %s with success but no message sid", to)
        return _Outcome("failed", error_code=UNCONFIRMED)
    return _Outcome(copy_status(str(answer.get("status"))) or "queued", sid.strip())


def _json(response: httpx.Response) -> dict[str, object]:
    try:
        value = response.json()
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(60.0, max(0.0, float(response.headers.get("Retry-After", "0"))))
    except ValueError:
        return 0.0
