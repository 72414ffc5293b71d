"""Scheduled sends: a message or group message the backend sends later (API.md, Scheduling)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, StrictBool

from console.protocol.common import WireModel

ScheduledKind = Literal["message", "group_message"]
ScheduledStatus = Literal["scheduled", "sent", "failed", "cancelled"]


class ScheduledSend(WireModel):
    id: str
    kind: ScheduledKind
    status: ScheduledStatus
    user_id: str  # who scheduled it: the only one who sees, edits or cancels it
    body: str
    send_at: datetime
    # A message: its conversation. A group message: its group, sender and title.
    conversation_id: str | None = None
    group_id: str | None = None
    sender_user_id: str | None = None
    title: str | None = None
    merge_fields: bool = False  # a group message filling each recipient's merge fields
    # Failed: why it could not go when its time came (a stable code and a sentence).
    error_code: str | None = None
    error_detail: str | None = None
    # Sent: the message or group message it became.
    result_id: str | None = None
    created_at: datetime
    updated_at: datetime


class ScheduledSendPatch(WireModel):
    """What an edit may change while it is still scheduled (omitted: unchanged)."""

    body: str | None = Field(default=None, min_length=1, max_length=1600)
    send_at: datetime | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    # A group message's: whether its (new) text's merge fields are filled for each person.
    merge_fields: StrictBool | None = None
