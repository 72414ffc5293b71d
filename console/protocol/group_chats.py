"""Group SMS chats, opt-out handling and the DND audit on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, StrictBool

from console.protocol.common import WireModel

# Generous: the 2..9 rule is the domain's (participant_count), not a schema error.
MAX_PROPOSED_PARTICIPANTS = 100


class ParticipantChoice(WireModel):
    contact_id: str = Field(min_length=1, max_length=64)
    phone: str = Field(min_length=1, max_length=64)


class GroupChatCreate(WireModel):
    number_id: str = Field(min_length=1, max_length=64)
    participants: list[ParticipantChoice] = Field(max_length=MAX_PROPOSED_PARTICIPANTS)
    title: str | None = Field(default=None, max_length=200)
    # The (blocked) group chat this one is started instead of: both then link to each other.
    replaces: str | None = Field(default=None, min_length=1, max_length=64)


# "import": set by a contact import (POST /v1/contact-imports), by `user_id`.
DndSource = Literal["user", "opt_out_confirmed", "inbound_keyword", "seed", "import"]


class DndChange(WireModel):
    id: int
    contact_id: str
    old_dnd: bool
    new_dnd: bool
    source: DndSource
    user_id: str | None = None  # who, for user edits and confirmed opt-outs
    message_id: str | None = None  # the inbound message, for keywords and confirmed opt-outs
    # For a keyword the simulator delivered: the admin who made that inbound message up.
    simulated_by_user_id: str | None = None
    at: datetime
    # Filled by the server since the DND history reached the contact editor; older servers
    # leave them out and older consoles ignore them.
    # The words the person sent (the inbound message's body, trimmed), for keywords and
    # confirmed opt-outs; None when the caller may not read the conversation it is in.
    keyword: str | None = None
    from_phone: str | None = None  # the number that message came from (E.164)
    user_name: str | None = None  # the name of `user_id`'s account


class DndSet(WireModel):
    dnd: StrictBool


class OptOutResolve(WireModel):
    """Which suspected opt-out (default: the conversation's open one)."""

    message_id: str | None = Field(default=None, max_length=64)


class OptOutSuspectedEvent(WireModel):
    """Data of the `opt_out_suspected` feed event."""

    conversation_id: str
    message_id: str
    contact_id: str
    body: str
    at: datetime
