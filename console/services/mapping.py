"""Turn cache records into the value types the UI shows (names, display numbers, reasons)."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.messages import Direction, MessageStatus
from console.domain.phones import format_display
from console.services.conversation_names import conversation_title
from console.services.types import (
    AuthorKind,
    ChangeSet,
    ConversationRow,
    MessageRow,
    OptOutAction,
    OptOutFlag,
    RecipientDeliveryRow,
    SyncState,
    SyncStatus,
)
from console.store.changes import Changes
from console.store.conversation_views import PENDING_CONVERSATION_PREFIX, ConversationView

if TYPE_CHECKING:  # no SQLAlchemy or httpx here: the window maps its first rows before those load
    from console.store.queries import MessageView
    from console.sync.engine import EngineStatus

log = logging.getLogger("console.services.mapping")

PREVIEW_CHARS = 140

# Carrier error codes the simulator and Twilio report, told in words.
_CARRIER_REASONS = {
    "30003": "the handset is unreachable",
    "30004": "the recipient blocked the message",
    "30005": "the number is unknown or no longer in service",
    "30006": "a landline or unreachable carrier",
    "30007": "the carrier filtered it as spam",
    "30008": "an unknown carrier error",
    "21211": "the number is not a valid phone number",
    "21610": "the recipient has replied STOP to this number",
    "21614": "the number cannot receive SMS",
    # The backend's own, when Twilio's answer is missing:
    "unconfirmed": "the carrier's answer was lost, so it was not sent again; it may or may "
                   "not have arrived",
    "unreachable": "the carrier could not be reached",
}
_REFUSAL_REASONS = {
    "not_found": "the conversation no longer exists on the server",
    "forbidden": "you are not allowed to send here",
    "number_access_denied": "you may not send from this business number",
    "contact_not_assigned": "this contact is not assigned to you",
    "group_chat_blocked": "a participant has turned on Do Not Disturb",
    "idempotency_conflict": "the server already has a different message with this key",
}


# A newer server may send a kind or status this console does not know yet. The row still shows
# (a crash here would hide the whole list), read as the plainest thing it could be: a 1:1 SMS
# thread that is not blocked (the server refuses a send it does not allow, with its reason), an
# inbound message (nothing to retry), an outbound one the server holds as sent.
FALLBACK_KIND = ConversationKind.DIRECT
FALLBACK_STATUS = ConversationStatus.ACTIVE
FALLBACK_DIRECTION = Direction.IN
FALLBACK_MESSAGE_STATUS = {Direction.IN: MessageStatus.RECEIVED, Direction.OUT: MessageStatus.SENT}
_told_unknown: set[tuple[str, str]] = set()  # warned once per value, not once per row


def _unknown(what: str, value: str, fallback: str) -> None:
    if (what, value) not in _told_unknown:
        _told_unknown.add((what, value))
        log.warning("Unknown %s %r from the server: shown as %r", what, value, fallback)


def conversation_kind(value: str) -> ConversationKind:
    try:
        return ConversationKind(value)
    except ValueError:
        _unknown("conversation kind", value, FALLBACK_KIND)
        return FALLBACK_KIND


def conversation_status(value: str) -> ConversationStatus:
    try:
        return ConversationStatus(value)
    except ValueError:
        _unknown("conversation status", value, FALLBACK_STATUS)
        return FALLBACK_STATUS


def message_direction(value: str) -> Direction:
    try:
        return Direction(value)
    except ValueError:
        _unknown("message direction", value, FALLBACK_DIRECTION)
        return FALLBACK_DIRECTION


def message_status(value: str, direction: Direction) -> MessageStatus:
    try:
        return MessageStatus(value)
    except ValueError:
        fallback = FALLBACK_MESSAGE_STATUS[direction]
        _unknown("message status", value, fallback)
        return fallback


def one_line(text: str, limit: int = PREVIEW_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def conversation_subtitle(view: ConversationView) -> str:
    """A 1:1 chat's number, for display; other kinds have none (the views word their second
    line from the kind and ConversationRow.participant_count)."""
    if conversation_kind(view.kind) is ConversationKind.DIRECT:
        return format_display(view.phone) if view.phone else ""
    return ""


def to_opt_out_flag(view: ConversationView, title: str) -> OptOutFlag | None:
    flag = view.opt_out
    if flag is None:
        return None
    try:
        pending = OptOutAction(flag.pending) if flag.pending else None
    except ValueError:
        pending = None
    return OptOutFlag(view.id, title, flag.message_id, flag.at, flag.body, pending)


def to_conversation_row(view: ConversationView) -> ConversationRow:
    number_label = view.number_label or (
        format_display(view.number_e164) if view.number_e164 else ""
    )
    kind = conversation_kind(view.kind)
    return ConversationRow(
        id=view.id,
        kind=kind,
        title=conversation_title(view),  # untitled group chats: "Maria, James +2"
        subtitle=conversation_subtitle(view),
        participant_count=view.participant_count if kind is ConversationKind.GROUP_SMS else None,
        preview=one_line(view.preview),
        last_message_at=view.activity_at,
        unread_count=view.unread_count,
        status=conversation_status(view.status),
        blocked_reason=view.blocked_reason,
        number_label=number_label,
        pending=view.id.startswith(PENDING_CONVERSATION_PREFIX),
        replaces=view.replaces,
        replaced_by=view.replaced_by,
        opt_out=to_opt_out_flag(view, conversation_title(view)),
        identity=hash((view.contact_id, view.number_id, view.number_e164, view.participants)),
    )


def failure_reason(status: str, error_code: str | None, error_detail: str | None) -> str | None:
    """Why a message did not go out, in words (None when it did not fail)."""
    if status not in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
        return None
    if error_code in _CARRIER_REASONS:
        return f"Not delivered: {_CARRIER_REASONS[error_code]} (carrier error {error_code})."
    if error_code in _REFUSAL_REASONS:
        return f"Not sent: {_REFUSAL_REASONS[error_code]}."
    if error_detail:
        return f"Not sent: {error_detail}"
    if error_code:
        return f"Not delivered (error {error_code})."
    return "Not delivered."


def delivery_reason(error_code: str | None) -> str:
    """Why one recipient's copy failed, in words: "the handset is unreachable (carrier error
    30003)", or "carrier error 12345" for a code not in the table."""
    if error_code in _CARRIER_REASONS:
        words = _CARRIER_REASONS[error_code]
        return f"{words} (carrier error {error_code})" if error_code.isdigit() else words
    if error_code == "not_sent":
        return "it was never handed to the carrier"
    if error_code:
        return f"carrier error {error_code}"
    return "the carrier gave no reason"


def recipient_deliveries(deliveries_json: str | None) -> tuple[RecipientDeliveryRow, ...]:
    """The server's per-recipient delivery of a group chat message, as the cache keeps it
    (store/apply.py `deliveries_json`)."""
    if not deliveries_json:
        return ()
    try:
        items = json.loads(deliveries_json)
        rows: list[RecipientDeliveryRow] = []
        for item in items:
            status = message_status(str(item["status"]), Direction.OUT)
            failed = status in (MessageStatus.FAILED, MessageStatus.UNDELIVERED)
            at = item.get("updated_at")
            rows.append(RecipientDeliveryRow(
                phone=str(item["to"]),
                status=status,
                reason=delivery_reason(item.get("error_code")) if failed else None,
                updated_at=datetime.fromisoformat(at) if isinstance(at, str) else None,
            ))
    except (ValueError, TypeError, KeyError) as exc:
        log.warning("unreadable per-recipient delivery in the cache: %s", exc)
        return ()
    return tuple(rows)


def author_of(view: MessageView, *, me_id: str, fallback_inbound: str) -> tuple[AuthorKind, str]:
    """Who wrote `view` and their name ("" for this user, and for one the cache cannot name):
    the views word it."""
    if view.direction == Direction.OUT:
        if view.author_user_id is None or view.author_user_id == me_id:
            return AuthorKind.ME, ""
        return AuthorKind.COLLEAGUE, view.author_user_name or ""
    return AuthorKind.CONTACT, view.author_contact_name or fallback_inbound


def to_message_row(view: MessageView, *, me_id: str, fallback_inbound: str) -> MessageRow:
    direction = message_direction(view.direction)
    kind, author = author_of(view, me_id=me_id, fallback_inbound=fallback_inbound)
    return MessageRow(
        key=str(view.id),
        server_id=view.server_id,
        conversation_id=view.conversation_id,
        direction=direction,
        author=author,
        author_kind=kind,
        body=view.body,
        status=message_status(view.status, direction),
        error=failure_reason(view.status, view.error_code, view.error_detail),
        created_at=view.created_at,
        author_contact_id=view.author_contact_id,
        deliveries=recipient_deliveries(view.deliveries_json),
        reply_to_group_message_id=view.reply_to_group_message_id,
        reply_to_title=view.reply_to_title,
        note=view.note,
    )


def to_change_set(changes: Changes) -> ChangeSet:
    messages = {cid: frozenset(str(i) for i in ids) for cid, ids in changes.messages.items()}
    return ChangeSet(
        conversations=frozenset(changes.conversations | set(messages)),
        messages=messages,
        contacts=frozenset(changes.contacts),
        numbers=frozenset(changes.numbers),
        reset=changes.reset,
        groups=frozenset(changes.groups),
        group_messages=frozenset(changes.group_messages),
        scheduled=frozenset(changes.scheduled),
        templates=frozenset(changes.templates),
        contact_imports=frozenset(changes.contact_imports),
        quiet_hours=changes.quiet_hours,
    )


# Keyed by the engine's state values (EngineState is a StrEnum: its members look up as these).
_STATES = {
    "offline": SyncState.OFFLINE,
    "connecting": SyncState.CONNECTING,
    "online": SyncState.ONLINE,
}


def to_sync_status(status: EngineStatus) -> SyncStatus:
    return SyncStatus(
        state=_STATES[status.state],
        last_sync_at=status.last_sync_at,
        detail=status.detail,
        pending_outbox=status.pending,
        live=status.live,
        refused_outbox=status.refused,
        signed_out=status.signed_out,
    )
