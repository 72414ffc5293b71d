from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, StrictBool, field_validator

from console.protocol.common import WireModel

ConversationKind = Literal["direct", "in_app", "group_sms"]
ConversationStatus = Literal["active", "blocked"]
MessageDirection = Literal["in", "out"]
MessageStatusWire = Literal["queued", "sent", "delivered", "failed", "undelivered", "received"]


class Participant(WireModel):
    contact_id: str
    name: str
    phone: str
    tags: list[str] = Field(default_factory=list)
    # The contact as it was when the chat was made (None: not recorded), so a console can
    # recompute `updated` and say what changed: domain.group_chat.participant_changes.
    name_then: str | None = None
    phones_then: list[str] | None = None


class OptOutSuspected(WireModel):
    """An inbound message whose wording reads like an opt-out, waiting for an agent."""

    message_id: str  # its author_contact_id is who asked
    at: datetime


class Conversation(WireModel):
    id: str
    kind: ConversationKind
    title: str
    number_id: str | None = None
    contact_id: str | None = None
    phone: str | None = None  # the contact's number, for direct SMS
    status: ConversationStatus = "active"
    blocked_reason: str | None = None
    last_message_at: datetime | None = None
    last_message_preview: str = ""
    unread_count: int = 0
    participants: list[Participant] | None = None
    opt_out_suspected: OptOutSuspected | None = None
    # When it was made: a chat with no messages yet sorts by this in the console's list.
    created_at: datetime | None = None
    # Group SMS chats: the chat this one was started instead of, and the newest chat started
    # instead of this one ("New group chat without ..." on a blocked chat).
    replaces: str | None = None
    replaced_by: str | None = None


class DirectConversationCreate(WireModel):
    kind: Literal["direct"] = "direct"
    contact_id: str
    phone: str = Field(min_length=1, max_length=64)
    number_id: str


class RecipientDelivery(WireModel):
    """One participant's copy of an outbound group chat message, as the carrier reports it."""

    to: str  # E.164: the participant number frozen in the chat
    status: MessageStatusWire  # queued | sent | delivered | failed | undelivered
    error_code: str | None = None  # the carrier's code when it failed (e.g. Twilio's 30003)
    updated_at: datetime


class Message(WireModel):
    id: str
    conversation_id: str
    direction: MessageDirection
    author_user_id: str | None = None
    author_contact_id: str | None = None
    body: str
    status: MessageStatusWire
    error_code: str | None = None
    created_at: datetime
    # The Idempotency-Key the console sent it with, so the console can match its pending copy.
    client_key: str | None = None
    # In-app replies: the group message this one answers and its title (for the team; the
    # person never sees titles). None for every other message.
    reply_to_group_message_id: str | None = None
    reply_to_title: str | None = None
    # Sent although the agent was told a recipient was outside quiet hours.
    quiet_hours_override: bool = False
    # Outbound group chat messages only: one entry per participant number whose copy the
    # carrier has (the message's own status sums them up; see console.domain.delivery).
    deliveries: list[RecipientDelivery] = Field(default_factory=list)
    # An internal note: written by an agent (author_user_id) for the team, sent to nobody.
    # Its direction is "out" and its status "sent" and stays so (no carrier, no delivery); a
    # console that predates notes shows it as a sent message. It moves no thread's unread
    # count, preview or last_message_at.
    note: bool = False

    @field_validator("quiet_hours_override", "note", mode="before")
    @classmethod
    def _unset_is_false(cls, value: object) -> object:
        # A row read before its first flush has no value yet (the column's default is false).
        return False if value is None else value


class MessageCreate(WireModel):
    body: str = Field(min_length=1, max_length=1600)
    # In the future: the backend keeps it and sends it then (201 with a ScheduledSend).
    send_at: datetime | None = None
    # The agent was warned that a recipient is outside quiet hours and sent anyway: recorded.
    quiet_hours_override: StrictBool = False


NOTE_MAX_CHARS = 4000


class NoteCreate(WireModel):
    """POST /v1/conversations/{id}/notes: an internal note (outer whitespace is stripped;
    nothing but whitespace is refused)."""

    body: str = Field(min_length=1, max_length=NOTE_MAX_CHARS)


class ReadMark(WireModel):
    unread_count: int = 0
