"""Who one group message went to and how far it got with each (GET .../recipients)."""

from __future__ import annotations

from datetime import datetime

from console.protocol.common import WireModel


class NotificationOutcome(WireModel):
    """One notification channel's outcome for one recipient."""

    state: str  # pending | delivered | failed
    error: str | None = None  # why it failed, as the provider said


class GroupMessageRecipient(WireModel):
    contact_id: str
    name: str
    conversation_id: str  # the person's own in-app conversation: where a reply lands
    sent_at: datetime
    delivered_at: datetime | None = None
    read_at: datetime | None = None
    replied_at: datetime | None = None
    email: NotificationOutcome | None = None  # None: no email was due (not configured, DND...)
    push: NotificationOutcome | None = None
