"""Integrations' outgoing webhooks: what is forwarded, the signed body, the delivery record.

`forward` is called for every change-feed event as it is recorded (console.backend.events), so
every path that records a message (1:1 SMS, group MMS, in-app replies, whatever comes next) is
covered without knowing about integrations. Forwarded:
- `message.inbound`: a message a person sent us (SMS, group MMS, in-app reply), once;
- `message.outbound`: a message staff sent in an SMS conversation, once, when accepted.
Never forwarded: group messages, and the per-person copies a group message writes into in-app
conversations (those are written in bulk without passing here, and in-app outbound messages
are excluded besides).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import jobs, models
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.protocol.integrations import WebhookEvent, WebhookEventType

DELIVER_JOB = "delivery.send"
CHANNEL = "webhook"
_IN_APP = "in_app"


def sign(secret: str, body: bytes) -> str:
    """`X-Console-Signature` value: HMAC-SHA256 of the exact body bytes, lowercase hex."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def secret_hint(secret: str) -> str:
    return "…" + secret[-4:] if len(secret) >= 16 else "…"


def _webhook_type(
    session: Session, type_: str, data: dict[str, Any]
) -> tuple[WebhookEventType, models.Conversation] | None:
    if type_ != "message.upserted" or data.get("note"):
        return None  # an internal note is the team's alone (console.backend.ops.notes)
    kind: WebhookEventType
    if data.get("direction") == "in":
        kind = "message.inbound"
    elif data.get("direction") == "out" and data.get("status") == "queued":
        kind = "message.outbound"  # the moment it was accepted; later status changes are not
    else:
        return None
    conversation_id = data.get("conversation_id")
    conversation = session.get(models.Conversation, conversation_id) if conversation_id else None
    if conversation is None:
        return None
    if kind == "message.outbound" and conversation.kind == _IN_APP:
        return None  # in-app outbound messages are group-message copies: never forwarded
    return kind, conversation


def forward(session: Session, type_: str, entity_id: str, data: dict[str, Any]) -> None:
    """Queue a signed webhook call to each integration that wants this event (in the
    transaction that recorded it, so it is sent exactly when the change commits)."""
    found = _webhook_type(session, type_, data)
    if found is None:
        return
    kind, conversation = found
    integrations = session.scalars(
        select(models.Integration).where(models.Integration.deleted_at.is_(None))
    ).all()
    for integration in integrations:
        if integration.events is not None and kind not in integration.events:
            continue
        dedupe_key = f"{CHANNEL}:{integration.id}:{kind}:{entity_id}"
        if session.scalar(
            select(models.Delivery.id).where(models.Delivery.dedupe_key == dedupe_key)
        ):
            continue
        now = utcnow()
        delivery_id = new_id("dlv")
        body = WebhookEvent(
            id=delivery_id,
            type=kind,
            created_at=now,
            data={
                "message": data,
                "conversation": {
                    "id": conversation.id,
                    "kind": conversation.kind,
                    "title": conversation.title,
                    "contact_id": conversation.contact_id,
                    "number_id": conversation.number_id,
                },
            },
        ).model_dump_json()
        session.add(
            models.Delivery(
                id=delivery_id, channel=CHANNEL, event_type=kind, dedupe_key=dedupe_key,
                target=integration.id, contact_id=conversation.contact_id,
                integration_id=integration.id, body=body, state="pending", attempts=0,
                created_at=now,
            )
        )
        jobs.enqueue(session, DELIVER_JOB, {"delivery_id": delivery_id})
