"""The Twilio carrier: REST send, status callbacks, signed inbound webhooks (routes/twilio.py).

Outbound: one `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` per recipient number (a
group chat message goes to every participant's frozen number; Programmable Messaging has no
group send), form fields To, From, Body and StatusCallback, HTTP Basic auth with the account
sid and auth token. Each copy is recorded before the request goes out (models.CarrierSend):

- a copy is never sent twice: a request that may have reached Twilio (read timeout, 5xx other
  than 503, a success answer that names no message sid) is not repeated; the copy fails as
  `unconfirmed` for a person to judge, and so does a copy found mid-request by the next holder
  of the message's `sms.send` job (send_jobs.py): its last holder died or lost its lease.
  Nothing else is touched when a process starts, so starting one never disturbs the sends of
  the others;
- requests Twilio certainly did not take (connection refused, 429, 503) are retried with
  backoff, honouring Retry-After; a process told to stop during such a wait forgets that copy
  and hands the job back, and another process sends it;
- a refusal (4xx) fails the copy with Twilio's error code (e.g. 21211, invalid To).

The message's status is its copies' together (console.domain.delivery): queued or sent while
any copy is on its way; then delivered only when every copy was, undelivered when some were
and some failed, the first failed copy's status when none was. Status callbacks only move a
copy forward; a move a reader can see sends the message's `message.upserted` event with all
its copies (Message.deliveries: who got it, who did not and why), even when the message's own
status stays (carrier/copies.py). A job given up before every copy was handed over records the
missing copies as failed `not_sent`.

Configuration comes from the environment only, so the auth token never lands in the database,
settings or logs: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, CONSOLE_PUBLIC_URL (the address
Twilio reaches this backend at: the status callback, and the URL webhook signatures cover),
and optionally TWILIO_API_BASE (default https://api.twilio.com).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from console.backend import jobs, models
from console.backend.carrier import copies
from console.backend.carrier.base import CarrierUnavailable
from console.backend.carrier.copies import SUBMITTING, recipients
from console.backend.carrier.twilio_signature import signature_matches
from console.backend.db import Database
from console.backend.models import utcnow
from console.domain.messages import MessageStatus

log = logging.getLogger("console.backend.twilio")

STATUS_PATH = "/webhooks/twilio/status"
DEFAULT_API_BASE = "https://api.twilio.com"
# Our own error codes (messages.error_code holds at most 16 characters).
UNCONFIRMED = "unconfirmed"  # the request may have reached Twilio: not sent again
UNREACHABLE = "unreachable"  # Twilio could not be reached, retries included
NOT_SENT = "not_sent"  # the send job gave up before every copy was handed over

# Twilio's message statuses -> a copy's progress (None: not about delivery, ignored).
_COPY_STATUS = {
    "accepted": "queued", "scheduled": "queued", "queued": "queued", "sending": "queued",
    "sent": "sent", "delivered": "delivered", "read": "delivered",
    "undelivered": "undelivered", "failed": "failed", "canceled": "failed",
}
_RANK = {SUBMITTING: 0, "queued": 0, "sent": 1, "delivered": 2}
_FAILED = frozenset({"failed", "undelivered"})
_FINAL = _FAILED | {"delivered"}


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


# Told to stop while waiting to retry a request Twilio certainly did not take.
_HANDED_BACK = _Outcome(SUBMITTING)


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
        self._client: httpx.Client | None = None

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        # One client shared by the carrier workers (thread-safe; a new one per send costs a
        # connection and a TLS handshake each time).
        self._client = httpx.Client(
            auth=(self.config.account_sid, self.config.auth_token), timeout=15.0
        )

    def stop(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = None

    def verify(self, url: str, params: list[tuple[str, str]], signature: str | None) -> bool:
        return signature_matches(self.config.auth_token, url, params, signature)

    # -- sending (a carrier worker thread, holding the message's sms.send job) -----------------
    def send(self, job: jobs.Job) -> None:
        message_id = str(job.payload["message_id"])
        while True:
            if job.stopping.is_set():
                raise jobs.Later(0)  # between copies: nothing in flight, another process goes on
            copy = self._next_copy(job, message_id)
            if copy is None:
                return
            sender, to, body = copy
            outcome = self._post(job, sender, to, body)
            if outcome is _HANDED_BACK:
                self._forget(job, message_id, to)
                raise jobs.Later(0)
            self._record(message_id, to, outcome)

    def gave_up(self, job: jobs.Job, reason: str) -> None:
        message_id = str(job.payload["message_id"])
        with self._db.writing() as session:
            locked = copies.lock(session, message_id)
            if locked is None:
                return
            # One settle (and at most one event) for all the copies failed here.
            _unconfirm_caught(session, message_id)
            message = locked.message
            if message.status != MessageStatus.QUEUED:
                copies.settle(session, locked)
                return
            handed = set(session.scalars(select(models.CarrierSend.to_number).where(
                models.CarrierSend.message_id == message_id)).all())
            missing = [n for n in recipients(session, message) if n not in handed]
            if missing:
                log.warning("message %s was not handed to twilio for %d recipient(s): %s",
                            message_id, len(missing), reason)
            session.add_all(
                models.CarrierSend(message_id=message_id, to_number=number, status="failed",
                                   error_code=NOT_SENT, updated_at=utcnow())
                for number in missing
            )
            # Copies that reached Twilio (its holder died before finishing the job) go on
            # with their own statuses.
            copies.settle(session, locked)

    def _next_copy(self, job: jobs.Job, message_id: str) -> tuple[str, str, str] | None:
        """The next recipient with no copy yet, recorded as submitting; None when all have one
        (or the job is no longer ours: its lease ran out and another process holds it)."""
        with self._db.writing() as session:
            if not jobs.holds(session, job):
                return None
            locked = copies.lock(session, message_id)
            if locked is None:
                return None
            message = locked.message
            # Copies left mid-request by an earlier holder of this job (it died, or lost its
            # lease): they may have reached Twilio, so they are never sent again.
            if _unconfirm_caught(session, message_id):
                message = copies.settle(session, locked)
            done = set(session.scalars(
                select(models.CarrierSend.to_number)
                .where(models.CarrierSend.message_id == message_id)
            ).all())
            if not done and message.status != MessageStatus.QUEUED:
                return None  # not ours to start (e.g. failed before it reached us)
            # Once started, every recipient gets a copy even if an earlier one was refused.
            for number in recipients(session, message):
                if number not in done:
                    session.add(models.CarrierSend(
                        message_id=message_id, to_number=number, status=SUBMITTING,
                        updated_at=utcnow(),
                    ))
                    return message.from_number, number, message.body
        return None

    def _post(self, job: jobs.Job, sender: str, to: str, body: str) -> _Outcome:
        assert self._client is not None
        url = f"{self.config.api_base}/2010-04-01/Accounts/{self.config.account_sid}/Messages.json"
        data = {"To": to, "From": sender, "Body": body,
                "StatusCallback": self.config.public_url + STATUS_PATH}
        error = UNREACHABLE
        for attempt in range(self._attempts):
            wait = min(8.0, self._retry_base_s * 2**attempt)
            try:
                response = self._client.post(url, data=data)
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
            if attempt + 1 < self._attempts and job.stopping.wait(wait):
                return _HANDED_BACK  # Twilio did not take it: another process sends it
        return _Outcome("failed", error_code=error)

    def _forget(self, job: jobs.Job, message_id: str, to: str) -> None:
        """Drop a copy Twilio certainly does not have, while the job is still ours (else its
        new holder has judged it already)."""
        with self._db.writing() as session:
            if jobs.holds(session, job):
                session.execute(delete(models.CarrierSend).where(
                    models.CarrierSend.message_id == message_id,
                    models.CarrierSend.to_number == to,
                    models.CarrierSend.status == SUBMITTING,
                ))

    def _record(self, message_id: str, to: str, outcome: _Outcome) -> None:
        with self._db.writing() as session:
            locked = copies.lock(session, message_id)
            row = session.scalars(select(models.CarrierSend).where(
                models.CarrierSend.message_id == message_id, models.CarrierSend.to_number == to,
            ).with_for_update()).one()
            if row.status != SUBMITTING:
                # Our lease ran out mid-request and the job's new holder already failed this
                # copy as unconfirmed: keep its sid, so Twilio's callbacks still find it.
                log.warning("late twilio answer for a copy to %s (message %s)", to, message_id)
                if outcome.sid and row.sid is None:
                    row.sid = outcome.sid
                return
            row.sid, row.status, row.error_code = outcome.sid, outcome.status, outcome.error_code
            row.updated_at = utcnow()
            if locked is not None:
                copies.settle(session, locked)

    # -- status callbacks -----------------------------------------------------------------------
    def apply_status(self, sid: str, twilio_status: str, error_code: str | None) -> bool:
        """A status callback for copy `sid`; False when the sid is not ours (or not yet)."""
        status = copy_status(twilio_status)
        with self._db.writing() as session:
            message_id = session.scalar(
                select(models.CarrierSend.message_id).where(models.CarrierSend.sid == sid)
            )
            if message_id is None:
                return False
            # Locked, message first (copies.lock): "sent" and "delivered" for one copy may
            # reach two processes at once; the later writer must see the earlier one's
            # status, not overwrite it backwards.
            locked = copies.lock(session, message_id)
            row = session.scalars(
                select(models.CarrierSend).where(models.CarrierSend.sid == sid)
                .with_for_update().execution_options(populate_existing=True)
            ).one_or_none()
            if row is None or locked is None:
                return False
            if status is None or row.status in _FINAL:
                return True  # callbacks arrive out of order: a final status stays
            if status in _FAILED or _RANK[status] > _RANK.get(row.status, 0):
                row.status = status
                row.error_code = (error_code or None) if status in _FAILED else None
                row.updated_at = utcnow()
                copies.settle(session, locked)
            return True


def _unconfirm_caught(session: Session, message_id: str) -> bool:
    """Copies of this message still `submitting` fail as unconfirmed (see the module doc);
    True when there were any. The caller holds the message's lock and settles it."""
    caught = session.execute(
        update(models.CarrierSend)
        .where(models.CarrierSend.message_id == message_id,
               models.CarrierSend.status == SUBMITTING)
        .values(status="failed", error_code=UNCONFIRMED, updated_at=utcnow())
    )
    if not getattr(caught, "rowcount", 0):
        return False
    log.warning("a copy of message %s was caught mid-request: unconfirmed", message_id)
    return True


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
