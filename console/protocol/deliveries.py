"""The record of an outgoing notification or webhook call: tried, retried, done or given up."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from console.protocol.common import WireModel

DeliveryChannel = Literal["email", "push", "webhook"]
DeliveryState = Literal["pending", "delivered", "failed"]


class Delivery(WireModel):
    id: str
    channel: DeliveryChannel
    event_type: str
    state: DeliveryState
    attempts: int
    last_error: str | None = None
    response_status: int | None = None
    target: str  # email address, contact id (push) or integration id (webhook)
    contact_id: str | None = None
    group_message_id: str | None = None
    integration_id: str | None = None
    created_at: datetime
    last_attempt_at: datetime | None = None
    delivered_at: datetime | None = None
