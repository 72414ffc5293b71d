"""Group messages: one message to every member of an audience group, in-app."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, StrictBool

from console.protocol.common import WireModel


class GroupMessageStats(WireModel):
    """Counts over the recipients; each is at most the one before it."""

    recipients: int = 0
    delivered: int = 0  # the person's app fetched it
    read: int = 0
    replied: int = 0
    # Email and push notifications about it that failed for good (not a step of the above).
    notification_failures: int = 0


class GroupMessage(WireModel):
    id: str
    group_id: str
    sender_user_id: str
    title: str
    body: str
    recipient_count: int
    sent_at: datetime
    stats: GroupMessageStats = Field(default_factory=GroupMessageStats)
    created_by_user_id: str | None = None  # who pressed Send (the sender is who it shows as)
    # Sent although the agent was told members were outside quiet hours where they are.
    quiet_hours_override: bool = False


class GroupMessageCreate(WireModel):
    group_id: str = Field(min_length=1, max_length=40)
    sender_user_id: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=1600)
    # In the future: the backend keeps it and sends it then (201 with a ScheduledSend).
    send_at: datetime | None = None
    # Fill each recipient's copy from the body's merge fields (console.domain.merge_fields):
    # `{first_name}` and `{last_name}` from their name, `{agent_name}` the sender's name,
    # `{business_number}` empty (an in-app copy goes from no number). The group message keeps
    # the body as written. False: the body goes to everyone verbatim.
    merge_fields: StrictBool = False
    # The agent was told members are outside quiet hours (08:00-21:00 where they are) and
    # sent anyway: recorded on the group message. Not with send_at (a schedule is checked
    # for quiet hours when it is made, in the console).
    quiet_hours_override: StrictBool = False
