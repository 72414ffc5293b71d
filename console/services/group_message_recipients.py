"""One sent group message's recipients, asked of the server each time (not cached: 10,000
rows of per-person progress would churn the cache for a view opened now and then).

Blocking (network): call it off the GUI thread (console/ui/tasks.py). Offline, or signed out,
it raises RecipientsUnavailable with a sentence to show; the totals the sent list shows come
from the cache and stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from console.protocol.group_message_recipients import GroupMessageRecipient, NotificationOutcome
from console.sync.api_client import ApiClient
from console.sync.errors import ApiError, BackendUnreachable, NotFound, Unauthorized

OUTCOME_LABELS = {"pending": "Sending…", "delivered": "Sent", "failed": "Failed"}


class RecipientsUnavailable(Exception):
    """The recipients could not be fetched; `offline` when it is the connection's fault."""

    def __init__(self, message: str, *, offline: bool) -> None:
        super().__init__(message)
        self.offline = offline


@dataclass(frozen=True, slots=True)
class Outcome:
    state: str  # "" (none was due), pending, delivered, failed
    error: str = ""

    @property
    def label(self) -> str:
        if not self.state:
            return "—"  # none was due: the channel is not configured, or the person is DND
        label = OUTCOME_LABELS.get(self.state, self.state)
        return f"{label}: {self.error}" if self.error else label


@dataclass(frozen=True, slots=True)
class RecipientRow:
    contact_id: str
    name: str
    conversation_id: str
    sent_at: datetime
    delivered_at: datetime | None
    read_at: datetime | None
    replied_at: datetime | None
    email: Outcome
    push: Outcome


def _outcome(wire: NotificationOutcome | None) -> Outcome:
    if wire is None:
        return Outcome("")
    return Outcome(wire.state, wire.error or "")


def _row(wire: GroupMessageRecipient) -> RecipientRow:
    return RecipientRow(
        contact_id=wire.contact_id, name=wire.name or wire.contact_id,
        conversation_id=wire.conversation_id, sent_at=wire.sent_at,
        delivered_at=wire.delivered_at, read_at=wire.read_at, replied_at=wire.replied_at,
        email=_outcome(wire.email), push=_outcome(wire.push),
    )


class GroupMessageRecipients:
    def __init__(self, client: ApiClient) -> None:
        self._client = client

    def recipients(self, group_message_id: str) -> list[RecipientRow]:
        """Everyone it went to, by name. Blocking; RecipientsUnavailable says why not."""
        if not self._client.has_token:
            raise RecipientsUnavailable("Not connected to the server.", offline=True)
        try:
            wires = self._client.group_message_recipients(group_message_id)
        except BackendUnreachable as exc:
            raise RecipientsUnavailable(str(exc), offline=True) from exc
        except Unauthorized as exc:
            raise RecipientsUnavailable(
                "The server no longer accepts this sign-in: sign in again to see recipients.",
                offline=True,
            ) from exc
        except NotFound as exc:
            raise RecipientsUnavailable(
                "The server does not show this group message to you.", offline=False
            ) from exc
        except ApiError as exc:
            raise RecipientsUnavailable(
                f"The server could not list the recipients ({exc.code}); try again later.",
                offline=False,
            ) from exc
        rows = [_row(w) for w in wires]
        return sorted(rows, key=lambda r: (r.name.casefold(), r.contact_id))
