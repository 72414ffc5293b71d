"""Twilio's callbacks (only with `--carrier twilio`): inbound SMS and message status.

Both are form posts signed with X-Twilio-Signature over the public URL Twilio was given
(CONSOLE_PUBLIC_URL + path + query); anything unsigned or mis-signed gets 403 `forbidden` and
changes nothing. Twilio retries a webhook it got no answer to: an inbound MessageSid already
recorded is acknowledged again without recording anything twice.

Inbound messages land in the 1:1 conversation of the sender and the business number (Twilio's
Programmable Messaging webhook names one recipient, ours); opt-out keywords are acted on and
answered through the carrier, as with the simulator.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from sqlalchemy.exc import IntegrityError

from console.backend import models
from console.backend.auth import BackendDep
from console.backend.carrier.twilio import TwilioCarrier
from console.backend.ops import inbound as inbound_ops
from console.backend.ops.opt_out import Replies
from console.backend.problems import problem_responses
from console.backend.state import Backend
from console.domain.errors import DomainError, ErrorCode
from console.domain.phones import parse_phone

router = APIRouter(
    tags=["carrier"],
    responses=problem_responses(ErrorCode.FORBIDDEN, ErrorCode.VALIDATION_ERROR),
)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
MAX_MEDIA = 10


async def _signed_form(request: Request, backend: Backend) -> tuple[TwilioCarrier, dict[str, str]]:
    carrier = backend.carrier
    if not isinstance(carrier, TwilioCarrier):  # only mounted with it; belt and braces
        raise DomainError(ErrorCode.NOT_FOUND, "This backend does not use Twilio.")
    params = parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    url = carrier.config.public_url + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    if not carrier.verify(url, params, request.headers.get("X-Twilio-Signature")):
        raise DomainError(ErrorCode.FORBIDDEN, "The request is not signed by Twilio.")
    return carrier, dict(params)


def _required(form: dict[str, str], name: str) -> str:
    value = form.get(name, "").strip()
    if not value:
        raise DomainError(ErrorCode.VALIDATION_ERROR, f"{name}: missing")
    return value


def _phone(form: dict[str, str], name: str) -> str:
    try:
        return parse_phone(_required(form, name))
    except DomainError as exc:
        raise DomainError(exc.code, f"{name}: {exc.detail}") from exc


def _body_with_media(form: dict[str, str]) -> str:
    """The text, then one line per attached media URL (an MMS may carry only pictures)."""
    try:
        count = min(MAX_MEDIA, max(0, int(form.get("NumMedia", "0") or 0)))
    except ValueError:
        count = 0
    media = [form[f"MediaUrl{i}"] for i in range(count) if form.get(f"MediaUrl{i}")]
    parts = [form.get("Body", "").strip(), *media]
    text = "\n".join(part for part in parts if part)
    if not text:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "Body: an SMS needs some text or media")
    return text


@router.post("/webhooks/twilio/sms", response_class=Response)
async def inbound_sms(request: Request, backend: BackendDep) -> Response:
    """Twilio's incoming-message webhook."""
    _carrier, form = await _signed_form(request, backend)
    sid = _required(form, "MessageSid")
    sender, to = _phone(form, "From"), _phone(form, "To")
    body = _body_with_media(form)
    replies = Replies.of(backend.settings)

    def record() -> None:
        # Opt-out confirmations are queued with their send jobs in this transaction.
        try:
            with backend.db.writing() as session:
                if session.get(models.CarrierInbound, sid) is not None:
                    return  # a retried webhook: already recorded
                received = inbound_ops.receive(session, sender, [to], body, replies)
                session.add(models.CarrierInbound(sid=sid, message_id=received.message.id))
        except IntegrityError:
            return  # the same webhook twice at once: the other one recorded it

    await asyncio.to_thread(record)
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post("/webhooks/twilio/status", status_code=204, response_class=Response)
async def message_status(request: Request, backend: BackendDep) -> Response:
    """Twilio's status callback for a message we sent."""
    carrier, form = await _signed_form(request, backend)
    sid = _required(form, "MessageSid")
    status = _required(form, "MessageStatus")
    error_code = form.get("ErrorCode", "").strip() or None
    await asyncio.to_thread(carrier.apply_status, sid, status, error_code)
    return Response(status_code=204)
