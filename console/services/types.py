"""Plain value types the services hand to the UI. Immutable, cheap to copy across threads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.messages import Direction, MessageStatus
from console.domain.opt_out import FlagAge as FlagAge  # re-exported: the ui tones by it
from console.domain.status_detail import NO_DETAIL
from console.domain.status_detail import DetailCode as DetailCode  # re-exported: the ui words it
from console.domain.status_detail import StatusDetail as StatusDetail


class OptOutAction(StrEnum):
    """An agent's answer to a suspected opt-out."""

    CONFIRM = "confirm"  # it is one: Do Not Disturb goes on for the person
    DISMISS = "dismiss"  # it is none: the flag closes


@dataclass(frozen=True, slots=True)
class OptOutFlag:
    """A conversation's open suspected opt-out: an inbound text whose wording reads like
    "please stop texting me", waiting for an agent to confirm or dismiss it."""

    conversation_id: str
    title: str  # the conversation's, as its row shows it
    message_id: str  # the flagged message's server id
    at: datetime  # when the server flagged it
    body: str | None  # the message's text; None when the message is not in the cache
    pending: OptOutAction | None = None  # the answer queued here, not confirmed by the server

    def age(self, now: datetime) -> FlagAge:
        return FlagAge.of(self.at, now)


@dataclass(frozen=True, slots=True)
class ConversationRow:
    id: str
    kind: ConversationKind
    title: str
    subtitle: str  # a 1:1 chat's contact number, for display; "" for other kinds (see below)
    preview: str  # last message body, one line
    last_message_at: datetime | None
    unread_count: int
    status: ConversationStatus
    blocked_reason: str | None = None
    number_label: str = ""  # business number it goes out from
    # A group chat's number of participants (None: not known); the views word the second line
    # of a group chat ("3 participants", else "Group SMS") and of an in-app one.
    participant_count: int | None = None
    # A group chat created here that the server has not confirmed yet (its id is `local-…`).
    pending: bool = False
    # Group chats: the chat this one was started instead of, and the newest one started
    # instead of this one (conversation ids; either may be a pending `local-…` id).
    replaces: str | None = None
    replaced_by: str | None = None
    # Its open suspected opt-out (None: none is open).
    opt_out: OptOutFlag | None = None
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


class SendDenied(StrEnum):
    """Why this user may not write in a chat nothing blocks (ChatDetails.send_denied): the
    views word it."""

    NUMBER_UNAVAILABLE = "number_unavailable"  # the chat's business number is not theirs
    NUMBER_NOT_ALLOWED = "number_not_allowed"  # they may read through it but not send


class AuthorKind(StrEnum):
    """Who wrote a message, as data: the views word it ("You", a colleague's name or "Another
    agent", a person's name or "Unknown sender")."""

    ME = "me"  # this user: the name is ""
    COLLEAGUE = "colleague"  # another user: their name, "" when the cache has none
    CONTACT = "contact"  # a person: their name (or number), "" when nobody can tell


@dataclass(frozen=True, slots=True)
class MessageRow:
    key: str  # stable local key: survives the pending -> server id swap
    server_id: str | None
    conversation_id: str
    direction: Direction
    author: str  # who wrote it: a name, "" when there is none (see author_kind)
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
    author_kind: AuthorKind = AuthorKind.CONTACT
    # An internal note for the team: sent to nobody, shown apart, no delivery status.
    note: bool = False


class SyncState(StrEnum):
    OFFLINE = "offline"
    CONNECTING = "connecting"
    ONLINE = "online"


@dataclass(frozen=True, slots=True)
class SyncStatus:
    state: SyncState
    last_sync_at: datetime | None = None
    # A code and values, e.g. (RETRY_UNREACHABLE, seconds=4): the UI words it
    # ("Backend unreachable - retrying in 4 seconds").
    detail: StatusDetail = NO_DETAIL
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
    # The user's scheduled sends (a local id too) whose time, text or state changed.
    scheduled: frozenset[str] = field(default_factory=frozenset)
    # Templates the user may insert (a local id too) that were made, changed or removed.
    templates: frozenset[str] = field(default_factory=frozenset)
    # The user's contact imports (a pending one under its local id too) made, answered,
    # refused or undone.
    contact_imports: frozenset[str] = field(default_factory=frozenset)
    quiet_hours: bool = False  # the server's quiet hours rules changed

    def is_empty(self) -> bool:
        return not (
            self.conversations
            or self.messages
            or self.contacts
            or self.numbers
            or self.reset
            or self.groups
            or self.group_messages
            or self.scheduled
            or self.templates
            or self.contact_imports
            or self.quiet_hours
        )


# A write handed to the writer thread failed in the cache for no reason the domain names (a
# bug, or a problem console.known_errors does not know): Refusal.code.
LOCAL_WRITE_FAILED = "local_write_failed"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a write handed over without waiting (send_soon, add_note_soon) was not made.

    `code` is a DomainError's ErrorCode value, a known problem's name (console.known_errors:
    disk_full, cache_locked, read_only) or LOCAL_WRITE_FAILED; the ui words it in the user's
    language. `detail` is English: the domain's own explanation (e.g. who turned on Do Not
    Disturb), for an English console and the log."""

    code: str
    detail: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should be told once (not an error dialog): e.g. no keyring.

    `text` is English, for the log. A notice the services raise names itself by `code`
    (services/notices.py NoticeCode) with `values`, and the ui words it in the user's language
    (ui/notice_texts.py); a notice the ui makes has its words in `text` already."""

    level: str  # "info" | "warning" | "error"
    text: str
    code: str = ""
    values: tuple[tuple[str, str | int], ...] = ()  # (name, value): hashable, told-once check

    def value(self, name: str, default: str | int = "") -> str | int:
        return dict(self.values).get(name, default)
