"""What the views call conversation kinds and statuses, message statuses and directions: the
one table, so a new kind or status is named here once and every view says the same word.

Keyed by the domain's enums (console/domain/conversations.py, console/domain/messages.py),
which is what the services hand over. Testable without a QApplication. The tables hold the
English source texts (marked for translation under the context "Labels"); show them through
`label(...)` or the helpers (`kind_tag`, `status_tag`, `filter_label`, `filter_empty`,
`status_label`), which translate.
"""

from __future__ import annotations

from enum import StrEnum

from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.messages import Direction, MessageStatus
from console.services.types import AuthorKind
from console.ui.i18n import QT_TRANSLATE_NOOP, in_source_language, translate

# The context of every text here: `translate(CONTEXT, KIND_TAGS[kind])` == `kind_tag(kind)`.
CONTEXT = "Labels"


def label(text: str) -> str:
    """`text` from one of the tables below, translated ("" stays "")."""
    return translate("Labels", text) if text else ""


# The tag naming a conversation's channel (the open conversation's header always shows it).
KIND_TAGS: dict[ConversationKind, str] = {
    ConversationKind.DIRECT: QT_TRANSLATE_NOOP("Labels", "SMS"),
    ConversationKind.IN_APP: QT_TRANSLATE_NOOP("Labels", "In-app"),
    ConversationKind.GROUP_SMS: QT_TRANSLATE_NOOP("Labels", "Group SMS"),
}
# The tag a conversation's status adds; an active one needs none.
STATUS_TAGS: dict[ConversationStatus, str] = {
    ConversationStatus.ACTIVE: "",
    ConversationStatus.BLOCKED: QT_TRANSLATE_NOOP("Labels", "Blocked"),
}


def list_kind_tag(kind: ConversationKind) -> str:
    """The channel tag on a conversation list row: none for a plain 1:1 SMS thread (most rows
    are; a tag on each would tell nothing and take the preview's room)."""
    return "" if kind is ConversationKind.DIRECT else label(KIND_TAGS[kind])


def kind_tag(kind: ConversationKind) -> str:
    """The translated channel tag the open conversation's header shows ("SMS", "Group SMS")."""
    return label(KIND_TAGS[kind])


def status_tag(status: ConversationStatus) -> str:
    """The translated tag a conversation's status adds ("Blocked"; "" when active)."""
    return label(STATUS_TAGS[status])


class ConversationFilter(StrEnum):
    """The conversation list's filter chips, in the order they show: all, one per kind, and
    the blocked ones."""

    ALL = "all"
    DIRECT = ConversationKind.DIRECT.value
    GROUP_SMS = ConversationKind.GROUP_SMS.value
    IN_APP = ConversationKind.IN_APP.value
    BLOCKED = ConversationStatus.BLOCKED.value


FILTER_LABELS: dict[ConversationFilter, str] = {
    ConversationFilter.ALL: QT_TRANSLATE_NOOP("Labels", "All"),
    ConversationFilter.DIRECT: QT_TRANSLATE_NOOP("Labels", "1:1"),
    ConversationFilter.GROUP_SMS: KIND_TAGS[ConversationKind.GROUP_SMS],
    ConversationFilter.IN_APP: KIND_TAGS[ConversationKind.IN_APP],
    ConversationFilter.BLOCKED: STATUS_TAGS[ConversationStatus.BLOCKED],
}
# What the list says when a filter leaves nothing to show.
FILTER_EMPTY: dict[ConversationFilter, str] = {
    ConversationFilter.ALL: QT_TRANSLATE_NOOP("Labels", "No conversations yet."),
    ConversationFilter.DIRECT: QT_TRANSLATE_NOOP("Labels", "No 1:1 SMS conversations."),
    ConversationFilter.GROUP_SMS: QT_TRANSLATE_NOOP(
        "Labels", "No group SMS chats. Start one with + (Ctrl+N)."),
    ConversationFilter.IN_APP: QT_TRANSLATE_NOOP("Labels", "No in-app conversations."),
    ConversationFilter.BLOCKED: QT_TRANSLATE_NOOP(
        "Labels", "No blocked chats: every conversation can send."),
}


def filter_label(wanted: ConversationFilter) -> str:
    return label(FILTER_LABELS[wanted])


def filter_empty(wanted: ConversationFilter) -> str:
    return label(FILTER_EMPTY[wanted])


# What an outbound message's status says beside its time. An inbound message shows none.
MESSAGE_STATUS_LABELS: dict[MessageStatus, str] = {
    MessageStatus.PENDING: QT_TRANSLATE_NOOP("Labels", "Sending…"),
    MessageStatus.QUEUED: QT_TRANSLATE_NOOP("Labels", "Queued"),
    MessageStatus.SENT: QT_TRANSLATE_NOOP("Labels", "Sent"),
    MessageStatus.DELIVERED: QT_TRANSLATE_NOOP("Labels", "Delivered"),
    MessageStatus.FAILED: QT_TRANSLATE_NOOP("Labels", "Failed"),
    MessageStatus.UNDELIVERED: QT_TRANSLATE_NOOP("Labels", "Undelivered"),
    MessageStatus.RECEIVED: "",
}
FAILED_STATUSES = frozenset({MessageStatus.FAILED.value, MessageStatus.UNDELIVERED.value})

# How a screen reader names a message's direction; an outbound one says its status instead
# when it has one.
DIRECTION_LABELS: dict[Direction, str] = {
    Direction.IN: QT_TRANSLATE_NOOP("Labels", "received"),
    Direction.OUT: QT_TRANSLATE_NOOP("Labels", "sent"),
}


def status_label(status: str, error: str | None = None) -> str:
    """What an outbound message's status says; a failure says why (the services word it, in
    English: under a translation the failure's status word is shown instead)."""
    if status in FAILED_STATUSES and error and in_source_language():
        return error
    try:
        return label(MESSAGE_STATUS_LABELS[MessageStatus(status)])
    except ValueError:
        return status.capitalize()


def message_state(direction: Direction, status: str, error: str | None = None) -> str:
    """A message's state in words for its accessible text: "received", "Delivered", the
    failure's reason."""
    if direction == Direction.OUT:
        return status_label(status, error) or label(DIRECTION_LABELS[direction])
    return label(DIRECTION_LABELS[direction])


# A row whose write is on its way, keyed by the services' state values (contacts.PendingState,
# group_reads.GroupState and MemberState), in the user's language: one table for every list
# that shows them.
PENDING_STATE_LABELS = {
    "saving": QT_TRANSLATE_NOOP("PendingState", "Saving…"),
    "creating": QT_TRANSLATE_NOOP("PendingState", "Creating…"),
    "deleting": QT_TRANSLATE_NOOP("PendingState", "Deleting…"),
    "refused": QT_TRANSLATE_NOOP("PendingState", "Not saved"),
    "adding": QT_TRANSLATE_NOOP("PendingState", "Adding…"),
    "removing": QT_TRANSLATE_NOOP("PendingState", "Removing…"),
}
# Their tooltips, where they read the same for a contact, a group and a membership.
PENDING_STATE_TIPS = {
    "saving": QT_TRANSLATE_NOOP("PendingState", "Your change is on its way to the server."),
    "deleting": QT_TRANSLATE_NOOP(
        "PendingState", "Being deleted: it goes once the server confirms."
    ),
    "adding": QT_TRANSLATE_NOOP("PendingState", "Being added: on its way to the server."),
    "removing": QT_TRANSLATE_NOOP("PendingState", "Being removed: on its way to the server."),
}


def pending_state_text(state: str) -> str:
    """"Saving…", "Adding…" ... for a pending row's state ("" when saved)."""
    label = PENDING_STATE_LABELS.get(state)
    return translate("PendingState", label) if label else ""


def pending_state_tip(state: str) -> str | None:
    tip = PENDING_STATE_TIPS.get(state)
    return translate("PendingState", tip) if tip else None


def sender_name(name: str, kind: AuthorKind = AuthorKind.CONTACT) -> str:
    """Who wrote a message, from what the services say (`kind`, and the name they have, ""
    when none): "You", a colleague's name or "Another agent", a person's name or "Unknown
    sender"."""
    if kind is AuthorKind.ME:
        return translate("Labels", "You")
    if name:
        return name
    if kind is AuthorKind.COLLEAGUE:
        return translate("Labels", "Another agent")
    return translate("Labels", "Unknown sender")
