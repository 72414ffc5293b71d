"""Plain value types the services hand to the UI. Immutable, cheap to copy across threads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.messages import Direction, MessageStatus


@dataclass(frozen=True, slots=True)
class ConversationRow:
    id: str
    kind: ConversationKind
    title: str
    subtitle: str  # e.g. the contact's number for display, or "3 participants"
    preview: str  # last message body, one line
    last_message_at: datetime | None
    unread_count: int
    status: ConversationStatus
    blocked_reason: str | None = None
    number_label: str = ""  # business number it goes out from
    # A group chat created here that the server has not confirmed yet (its id is `local-…`).
    pending: bool = False
    # Group chats: the chat this one was started instead of, and the newest one started
    # instead of this one (conversation ids; either may be a pending `local-…` id).
    replaces: str | None = None
    replaced_by: str | None = None
    # What the chat's details hang on besides this row (its person, its number, its
    # participants), as a hash: a change in it means re-reading them. Not part of equality.
    identity: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class RecipientDeliveryRow:
    """One participant number's copy of an outbound group chat message, as the server says."""

    phone: str  # E.164, the participant number frozen in the chat
    status: MessageStatus  # queued | sent | delivered | failed | undelivered
    # Why it failed, in words ("the handset is unreachable (carrier error 30003)"); None if not.
    reason: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MessageRow:
    key: str  # stable local key: survives the pending -> server id swap
    server_id: str | None
    conversation_id: str
    direction: Direction
    author: str  # display name of who wrote it
    body: str
    status: MessageStatus
    error: str | None  # human reason when failed
    created_at: datetime
    # Who wrote an inbound message (a group chat's author line shows their frozen number).
    author_contact_id: str | None = None
    # Outbound group chat messages: each participant number's delivery, as the server says.
    deliveries: tuple[RecipientDeliveryRow, ...] = ()
    # A person's reply to a group message: which one, and its title (for the team).
    reply_to_group_message_id: str | None = None
    reply_to_title: str | None = None


class SyncState(StrEnum):
    OFFLINE = "offline"
    CONNECTING = "connecting"
    ONLINE = "online"


@dataclass(frozen=True, slots=True)
class SyncStatus:
    state: SyncState
    last_sync_at: datetime | None = None
    detail: str = ""  # e.g. "Backend unreachable: retrying in 4 s"
    pending_outbox: int = 0
    live: bool = False  # online through the realtime stream (not by polling)
    refused_outbox: int = 0  # writes the server refused: the user retries or discards them
    # The server no longer accepts this sign-in (expired, revoked, account deactivated).
    signed_out: bool = False


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What a sync batch or a local write changed, by id, so views re-read only those rows."""

    conversations: frozenset[str] = field(default_factory=frozenset)
    # conversation id -> message keys changed in it
    messages: dict[str, frozenset[str]] = field(default_factory=dict)
    contacts: frozenset[str] = field(default_factory=frozenset)
    numbers: frozenset[str] = field(default_factory=frozenset)
    reset: bool = False  # the whole cache changed (first sync, resync): reload everything
    # Audience groups whose row or members changed (a pending local id too), and sent group
    # messages whose row or statistics changed (services/group_reads.py re-reads them).
    groups: frozenset[str] = field(default_factory=frozenset)
    group_messages: frozenset[str] = field(default_factory=frozenset)

    def is_empty(self) -> bool:
        return not (
            self.conversations
            or self.messages
            or self.contacts
            or self.numbers
            or self.reset
            or self.groups
            or self.group_messages
        )


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should be told once (not an error dialog): e.g. no keyring."""

    level: str  # "info" | "warning" | "error"
    text: str
