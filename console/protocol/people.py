"""The person's side (the customer app's Message Center): their in-app messages and replies."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from console.protocol.common import WireModel


class PersonMessage(WireModel):
    id: str
    conversation_id: str
    from_person: bool  # True: the person wrote it; False: staff (or a group message) did
    body: str
    title: str | None = None  # the group message's title, when it came from one
    group_message_id: str | None = None
    sender_name: str | None = None  # staff member it shows as from
    created_at: datetime
    read_at: datetime | None = None


class PersonReply(WireModel):
    body: str = Field(min_length=1, max_length=1600)


class PersonReadMark(WireModel):
    """Mark read everything sent to the person, up to this message (all when omitted)."""

    up_to_message_id: str | None = Field(default=None, max_length=40)


class PersonReadResult(WireModel):
    marked: int
