"""The change feed: ordered events the console applies to its cache."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from console.protocol.common import WireModel

EventType = Literal[
    "contact.upserted",
    "contact.deleted",
    "number.upserted",
    "group.upserted",
    "group.deleted",
    "group.member_added",
    "group.member_removed",
    "conversation.upserted",
    "message.upserted",
    "group_message.upserted",
    "user.upserted",
    # To one assigned-only user who lost sight of a conversation (a contact was reassigned).
    "conversation.deleted",
    # Inbound wording that reads like an opt-out, for an agent to confirm or dismiss.
    "opt_out_suspected",
    # A contact import (POST /v1/contact-imports) made or undone: to its importer only.
    "contact_import.upserted",
    # Message templates: a personal one's reach its owner only (console.protocol.templates).
    "template.upserted",
    "template.deleted",
]


class SyncEvent(WireModel):
    seq: int
    type: str  # an EventType; kept open so an older console skips types it does not know
    data: dict[str, Any]


class SyncPage(WireModel):
    events: list[SyncEvent] = Field(default_factory=list)
    next: str
    has_more: bool
