"""What the views call conversation kinds and statuses, message statuses and directions: the
one table, so a new kind or status is named here once and every view says the same word.

Keyed by the domain's enums (console/domain/conversations.py, console/domain/messages.py),
which is what the services hand over. Pure: no Qt, testable without a QApplication.
"""

from __future__ import annotations

from enum import StrEnum

from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.messages import Direction, MessageStatus

# The tag naming a conversation's channel (the open conversation's header always shows it).
KIND_TAGS: dict[ConversationKind, str] = {
    ConversationKind.DIRECT: "SMS",
    ConversationKind.IN_APP: "In-app",
    ConversationKind.GROUP_SMS: "Group SMS",
}
# The tag a conversation's status adds; an active one needs none.
STATUS_TAGS: dict[ConversationStatus, str] = {
    ConversationStatus.ACTIVE: "",
    ConversationStatus.BLOCKED: "Blocked",
}


def list_kind_tag(kind: ConversationKind) -> str:
    """The channel tag on a conversation list row: none for a plain 1:1 SMS thread (most rows
    are; a tag on each would tell nothing and take the preview's room)."""
    return "" if kind is ConversationKind.DIRECT else KIND_TAGS[kind]


class ConversationFilter(StrEnum):
    """The conversation list's filter chips, in the order they show: all, one per kind, and
    the blocked ones."""

    ALL = "all"
    DIRECT = ConversationKind.DIRECT.value
    GROUP_SMS = ConversationKind.GROUP_SMS.value
    IN_APP = ConversationKind.IN_APP.value
    BLOCKED = ConversationStatus.BLOCKED.value


FILTER_LABELS: dict[ConversationFilter, str] = {
    ConversationFilter.ALL: "All",
    ConversationFilter.DIRECT: "1:1",
    ConversationFilter.GROUP_SMS: KIND_TAGS[ConversationKind.GROUP_SMS],
    ConversationFilter.IN_APP: KIND_TAGS[ConversationKind.IN_APP],
    ConversationFilter.BLOCKED: STATUS_TAGS[ConversationStatus.BLOCKED],
}
# What the list says when a filter leaves nothing to show.
FILTER_EMPTY: dict[ConversationFilter, str] = {
    ConversationFilter.ALL: "No conversations yet.",
    ConversationFilter.DIRECT: "No 1:1 SMS conversations.",
    ConversationFilter.GROUP_SMS: "No group SMS chats. Start one with + (Ctrl+N).",
    ConversationFilter.IN_APP: "No in-app conversations.",
    ConversationFilter.BLOCKED: "No blocked chats: every conversation can send.",
}

# What an outbound message's status says beside its time. An inbound message shows none.
MESSAGE_STATUS_LABELS: dict[MessageStatus, str] = {
    MessageStatus.PENDING: "Sending…",
    MessageStatus.QUEUED: "Queued",
    MessageStatus.SENT: "Sent",
    MessageStatus.DELIVERED: "Delivered",
    MessageStatus.FAILED: "Failed",
    MessageStatus.UNDELIVERED: "Undelivered",
    MessageStatus.RECEIVED: "",
}
FAILED_STATUSES = frozenset({MessageStatus.FAILED.value, MessageStatus.UNDELIVERED.value})

# How a screen reader names a message's direction; an outbound one says its status instead
# when it has one.
DIRECTION_LABELS: dict[Direction, str] = {
    Direction.IN: "received",
    Direction.OUT: "sent",
}


def status_label(status: str, error: str | None = None) -> str:
    """What an outbound message's status says; a failure says why (the services word it)."""
    if status in FAILED_STATUSES and error:
        return error
    try:
        return MESSAGE_STATUS_LABELS[MessageStatus(status)]
    except ValueError:
        return status.capitalize()


def message_state(direction: Direction, status: str, error: str | None = None) -> str:
    """A message's state in words for its accessible text: "received", "Delivered", the
    failure's reason."""
    if direction == Direction.OUT:
        return status_label(status, error) or DIRECTION_LABELS[direction]
    return DIRECTION_LABELS[direction]
