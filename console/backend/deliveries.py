"""Sending what the job queue holds: group-message notifications (email, push) and webhooks.

`group_message.notify` fans a sent group message out into one delivery per recipient and
channel (in one transaction, idempotent); `delivery.send` makes one attempt at one delivery and
records it (attempts, last error, state). A failure is retried by the queue with backoff; it
never touches the group message itself, which was sent when it was committed.
"""

from __future__ import annotations

import logging
import os
import smtplib
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from console.backend import jobs, models
from console.backend.db import Database
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.notify import email, push
from console.backend.ops.group_messages import NOTIFY_JOB, group_message_changed
from console.backend.outbound_guard import (
    REFUSED,
    DestinationRefused,
    check_url,
    guarded_client,
)
from console.backend.settings import Settings
from console.backend.webhooks import DELIVER_JOB, sign
from console.domain.emails import InvalidEmail, parse_email
from console.protocol.integrations import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER

log = logging.getLogger("console.backend.deliveries")

EMAIL, PUSH, WEBHOOK = "email", "push", "webhook"
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
HTTP_TIMEOUT_S = 10.0
ERROR_CHARS = 500
_GROUP_MESSAGE_EVENT = "group_message"


def channels(settings: Settings) -> list[str]:
    """The notification channels this backend is configured for."""
    return [c for c, on in ((EMAIL, settings.smtp_url), (PUSH, settings.push_url)) if on]


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    error: str | None = None
    status: int | None = None  # HTTP status of the answer, if there was one
    give_up: bool = False  # no point in trying again (e.g. the integration was removed)


class Deliverer:
    """The job handlers, with what they need to reach the outside (SMTP server, HTTP client)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings
        self._smtp = email.parse_smtp_url(settings.smtp_url) if settings.smtp_url else None
        self._push_secret = os.environ.get(push.PUSH_SECRET_ENV) or None
        self._http = guarded_client(
            timeout=HTTP_TIMEOUT_S, allow_private=settings.allow_private_webhooks
        )

    def handlers(self) -> dict[str, jobs.Handler]:
        return {NOTIFY_JOB: self.fan_out, DELIVER_JOB: self.send}

    def give_up_handlers(self) -> dict[str, jobs.GiveUp]:
        return {DELIVER_JOB: self.gave_up}

    def close(self) -> None:
        self._http.close()

    # --- group_message.notify ---

    def fan_out(self, job: jobs.Job) -> None:
        group_message_id = str(job.payload["group_message_id"])
        wanted = [c for c in job.payload.get("channels", []) if c in (EMAIL, PUSH)]
        with self._db.writing() as session:
            created = fan_out(session, group_message_id, wanted)
        log.info("group message %s: %d notifications queued", group_message_id, created)

    # --- delivery.send ---

    def send(self, job: jobs.Job) -> None:
        delivery_id = str(job.payload["delivery_id"])
        with self._db.reading() as session:
            row = session.get(models.Delivery, delivery_id)
            if row is None or row.state != PENDING:
                return  # already done (a second run after a lost lease, or a retry race)
            attempt = self._guarded(lambda: self._prepare(session, row))
        outcome = self._guarded(attempt) if callable(attempt) else attempt
        final = outcome.ok or outcome.give_up or job.is_last_attempt
        with self._db.writing() as session:
            row = session.get_one(models.Delivery, delivery_id)
            now = utcnow()
            row.attempts += 1
            row.last_attempt_at = now
            row.response_status = outcome.status
            if outcome.ok:
                row.state, row.delivered_at, row.last_error = DELIVERED, now, None
            else:
                row.last_error = (outcome.error or "failed")[:ERROR_CHARS]
                if final:
                    row.state = FAILED
                    _count_failure(session, row)
        if not final:
            raise jobs.RetryLater(outcome.error or "failed")

    @staticmethod
    def _guarded(step: Any) -> Any:
        # Whatever goes wrong is this attempt's outcome, recorded on the delivery; an exception
        # escaping here would leave the delivery pending while its job died.
        try:
            return step()
        except Exception as exc:
            log.exception("delivery attempt failed unexpectedly")
            return Outcome(False, f"{type(exc).__name__}: {exc}")

    def gave_up(self, job: jobs.Job, reason: str) -> None:
        """The queue buried this delivery's job (its last attempt failed in a way `send` did
        not record, e.g. the process died mid-attempt): the delivery is failed, not pending."""
        delivery_id = str(job.payload.get("delivery_id", ""))
        with self._db.writing() as session:
            row = session.get(models.Delivery, delivery_id)
            if row is None or row.state != PENDING:
                return
            row.state = FAILED
            row.last_error = f"gave up after {job.attempts} attempts: {reason}"[:ERROR_CHARS]
            row.last_attempt_at = utcnow()
            _count_failure(session, row)

    def _prepare(self, session: Session, row: models.Delivery) -> Any:
        """What to do for this delivery: a callable making the attempt, or an Outcome that
        gives up when it cannot be made at all."""
        if row.channel == WEBHOOK:
            integration = session.get(models.Integration, row.integration_id) \
                if row.integration_id else None
            if integration is None or integration.deleted_at is not None or row.body is None:
                return Outcome(False, "the integration was removed", give_up=True)
            problem = check_url(integration.url, allow_private=True)
            if problem:  # stored before URLs were checked: no try could reach it
                return Outcome(False, f"not a URL that can be called: {problem}", give_up=True)
            url, secret, body = integration.url, integration.secret, row.body.encode()
            headers = {
                "Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body),
                EVENT_HEADER: row.event_type, DELIVERY_HEADER: row.id,
            }
            return lambda: self._post(url, body, headers)
        facts = _group_message_facts(session, row)
        if facts is None:
            return Outcome(
                False, "the group message or its recipient is gone", give_up=True
            )
        if row.channel == EMAIL:
            if self._smtp is None:
                return Outcome(
                    False, "email is not configured on this backend (--smtp)", give_up=True
                )
            try:  # stored before addresses were checked: never put a list or header in To:
                address = parse_email(row.target)
            except InvalidEmail as exc:
                return Outcome(False, f"not a single email address ({exc})", give_up=True)
            message = email.compose(
                self._settings.smtp_from, address, facts["title"],
                f"{facts['sender_name']} sent you a message:\n\n{facts['body']}\n",
                reference=row.id,
            )
            server = self._smtp
            return lambda: self._email(server, message)
        if not self._settings.push_url:
            return Outcome(
                False, "push is not configured on this backend (--push-url)", give_up=True
            )
        body = push.payload(delivery_id=row.id, **facts)
        headers = {
            "Content-Type": "application/json", EVENT_HEADER: push.PUSH_EVENT,
            DELIVERY_HEADER: row.id,
        }
        if self._push_secret:
            headers[SIGNATURE_HEADER] = sign(self._push_secret, body)
        push_url = self._settings.push_url
        return lambda: self._post(push_url, body, headers)

    def _post(self, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
        try:
            response = self._http.post(url, content=body, headers=headers)
        except DestinationRefused:
            # No detail (refused, unreachable, which port answered): that would make the
            # record a scanner of our network. Trying again cannot help.
            return Outcome(False, REFUSED, give_up=True)
        except httpx.InvalidURL as exc:
            # Not an HTTPError and the same on every try (a URL stored before URLs were
            # checked, e.g. a port past 65535): fail now, saying why.
            return Outcome(False, f"not a URL that can be called: {exc}", give_up=True)
        except httpx.HTTPError as exc:
            return Outcome(False, f"{type(exc).__name__}: {exc}")
        if 200 <= response.status_code < 300:
            return Outcome(True, status=response.status_code)
        return Outcome(False, f"HTTP {response.status_code}", response.status_code)

    @staticmethod
    def _email(server: email.SmtpServer, message: Any) -> Outcome:
        try:
            email.send(server, message)
        except (OSError, smtplib.SMTPException) as exc:
            return Outcome(False, f"{type(exc).__name__}: {exc}")
        return Outcome(True)


def _group_message_facts(session: Session, row: models.Delivery) -> dict[str, str] | None:
    recipient = session.get(
        models.GroupMessageRecipient, (row.group_message_id or "", row.contact_id or "")
    )
    if recipient is None:
        return None
    message = session.get_one(models.GroupMessage, recipient.group_message_id)
    # Their own copy's text: a group message with merge fields keeps only the template.
    copy = session.get(models.Message, recipient.message_id)
    sender = session.get(models.User, message.sender_user_id)
    return {
        "contact_id": recipient.contact_id,
        "group_message_id": message.id,
        "conversation_id": recipient.conversation_id,
        "message_id": recipient.message_id,
        "title": message.title,
        "body": copy.body if copy is not None else message.body,
        "sender_name": sender.name if sender is not None and sender.name else "Our team",
    }


def fan_out(session: Session, group_message_id: str, wanted: list[str]) -> int:
    """One delivery (and its job) per recipient and channel; those that exist are kept, so a
    second run creates nothing. People with Do Not Disturb on get no notifications (the
    message still waits in their Message Center); email needs an address."""
    existing = set(
        session.scalars(
            select(models.Delivery.dedupe_key).where(
                models.Delivery.group_message_id == group_message_id
            )
        )
    )
    recipients = session.execute(
        select(models.Contact.id, models.Contact.email, models.Contact.dnd)
        .join(
            models.GroupMessageRecipient,
            models.GroupMessageRecipient.contact_id == models.Contact.id,
        )
        .where(models.GroupMessageRecipient.group_message_id == group_message_id)
        .order_by(models.Contact.id)
    ).all()
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for contact_id, address, dnd in recipients:
        if dnd:
            continue
        for channel in wanted:
            target = address if channel == EMAIL else contact_id
            if not target:
                continue
            key = f"{channel}:{group_message_id}:{contact_id}"
            if key in existing:
                continue
            rows.append({
                "id": new_id("dlv"), "channel": channel, "event_type": _GROUP_MESSAGE_EVENT,
                "dedupe_key": key, "target": target, "contact_id": contact_id,
                "group_message_id": group_message_id, "integration_id": None, "body": None,
                "state": PENDING, "attempts": 0, "last_error": None, "response_status": None,
                "created_at": now, "last_attempt_at": None, "delivered_at": None,
            })
    if rows:
        session.connection().execute(insert(models.Delivery), rows)
        jobs.enqueue_many(session, DELIVER_JOB, [{"delivery_id": r["id"]} for r in rows])
    return len(rows)


class DeliveryWorkers:
    """The job workers of one serve process with their handlers; started by the app."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._deliverer = Deliverer(db, settings)
        self._runner = jobs.JobRunner(
            db,
            self._deliverer.handlers(),
            workers=settings.job_workers,
            poll_interval=settings.job_poll_s,
            backoff=jobs.Backoff(base=settings.retry_base_s),
            give_up=self._deliverer.give_up_handlers(),
            lease_s=settings.job_lease_s,
        )

    def start(self) -> None:
        self._runner.start()

    def begin_stop(self) -> None:
        self._runner.begin_stop()

    def stop(self) -> None:
        self._runner.stop()
        self._deliverer.close()


def _count_failure(session: Session, row: models.Delivery) -> None:
    """A group message's notification failed for good: its statistics (notification_failures)
    change, and the sent lists hear it like any other count."""
    if row.group_message_id is None or row.channel == WEBHOOK:
        return
    session.flush()
    message = session.get(models.GroupMessage, row.group_message_id)
    if message is not None:
        group_message_changed(session, message)
