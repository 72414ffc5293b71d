"""Turn cache records into the value types the UI shows (names, display numbers, reasons)."""

from __future__ import annotations

from console.domain.messages import Direction, MessageStatus
from console.domain.phones import format_display
from console.services.conversation_names import conversation_title
from console.services.types import ChangeSet, ConversationRow, MessageRow, SyncState, SyncStatus
from console.store.changes import Changes
from console.store.outbox import PENDING_CONVERSATION_PREFIX
from console.store.queries import ConversationView, MessageView
from console.sync.engine import EngineState, EngineStatus

YOU = "You"
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


def one_line(text: str, limit: int = PREVIEW_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def conversation_subtitle(view: ConversationView) -> str:
    if view.kind == "direct":
        return format_display(view.phone) if view.phone else ""
    if view.kind == "group_sms":
        count = view.participant_count
        return f"{count} participants" if count is not None else "Group SMS"
    if view.kind == "in_app":
        return "In-app messages"
    return ""


def to_conversation_row(view: ConversationView) -> ConversationRow:
    number_label = view.number_label or (
        format_display(view.number_e164) if view.number_e164 else ""
    )
    return ConversationRow(
        id=view.id,
        kind=view.kind,
        title=conversation_title(view),  # untitled group chats: "Maria, James +2"
        subtitle=conversation_subtitle(view),
        preview=one_line(view.preview),
        last_message_at=view.activity_at,
        unread_count=view.unread_count,
        status=view.status,
        blocked_reason=view.blocked_reason,
        number_label=number_label,
        pending=view.id.startswith(PENDING_CONVERSATION_PREFIX),
        replaces=view.replaces,
        replaced_by=view.replaced_by,
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


def author_name(view: MessageView, *, me_id: str, fallback_inbound: str) -> str:
    if view.direction == Direction.OUT:
        if view.author_user_id is None or view.author_user_id == me_id:
            return YOU
        return view.author_user_name or "Another agent"
    return view.author_contact_name or fallback_inbound


def to_message_row(view: MessageView, *, me_id: str, fallback_inbound: str) -> MessageRow:
    return MessageRow(
        key=str(view.id),
        server_id=view.server_id,
        conversation_id=view.conversation_id,
        direction=view.direction,
        author=author_name(view, me_id=me_id, fallback_inbound=fallback_inbound),
        body=view.body,
        status=view.status,
        error=failure_reason(view.status, view.error_code, view.error_detail),
        created_at=view.created_at,
        author_contact_id=view.author_contact_id,
    )


def to_change_set(changes: Changes) -> ChangeSet:
    messages = {cid: frozenset(str(i) for i in ids) for cid, ids in changes.messages.items()}
    return ChangeSet(
        conversations=frozenset(changes.conversations | set(messages)),
        messages=messages,
        contacts=frozenset(changes.contacts),
        numbers=frozenset(changes.numbers),
        reset=changes.reset,
    )


_STATES = {
    EngineState.OFFLINE: SyncState.OFFLINE,
    EngineState.CONNECTING: SyncState.CONNECTING,
    EngineState.ONLINE: SyncState.ONLINE,
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
