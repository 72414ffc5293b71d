"""Integrations: signed outgoing webhooks to outside systems (help desks, CRMs).

Each call is `POST <url>` with a JSON `WebhookEvent` body and the header
`X-Console-Signature: <hex>`, the HMAC-SHA256 of the exact body bytes keyed with the
integration's secret (lowercase hex, nothing else: API.md has the header hold the HMAC).
Group messages (and the copies they put in people's conversations) are never forwarded; the
replies people send are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from console.protocol.common import WireModel

SIGNATURE_HEADER = "X-Console-Signature"
EVENT_HEADER = "X-Console-Event"
DELIVERY_HEADER = "X-Console-Delivery"

WebhookEventType = Literal["message.inbound", "message.outbound"]
WEBHOOK_EVENT_TYPES: tuple[WebhookEventType, ...] = ("message.inbound", "message.outbound")


class Integration(WireModel):
    id: str
    url: str
    events: list[WebhookEventType] | None = None  # None: every type
    # The secret itself is never returned; this shows its last characters to tell keys apart.
    secret_hint: str
    created_at: datetime


class IntegrationCreate(WireModel):
    url: str = Field(min_length=8, max_length=2000, description="http:// or https:// URL")
    secret: str = Field(min_length=16, max_length=200, description="HMAC key; never returned")
    events: list[WebhookEventType] | None = Field(default=None, min_length=1)


class WebhookEvent(WireModel):
    """The body of one webhook call (`id` is the delivery id: the same on every retry)."""

    id: str
    type: WebhookEventType
    created_at: datetime
    data: dict[str, Any]
