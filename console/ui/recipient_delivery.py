"""Who an outbound group chat message reached, in words: per participant for its tooltip and
its detail popup (`deliveryDetails`), and in a few words for its bubble's status line.

The server tells each participant number's copy (MessageRow.deliveries, matched here to the
chat's participants by number). A message from before it did (the demo's history) has none:
its own status then speaks for everyone, as it did then. A message some participants got and
some did not is `undelivered` (console.domain.delivery); it is not worded as a failure of the
whole message but as "Delivered to 2 of 3 — 1 failed", naming who (`partly_delivered`).
Pure: no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from console.domain.delivery import tally
from console.domain.messages import MessageStatus
from console.domain.phones import format_display
from console.services.types import MessageRow, RecipientDeliveryRow
from console.ui.labels import FAILED_STATUSES, status_label

if TYPE_CHECKING:  # importing the services pulls in SQLAlchemy and httpx: not before first paint
    from console.services.chat_details import ParticipantRow


class Reached(StrEnum):
    DELIVERED = "delivered"
    WAITING = "waiting"  # pending, queued or sent: not confirmed yet
    FAILED = "failed"


GLYPHS = {Reached.DELIVERED: "\u2713", Reached.WAITING: "\u2026", Reached.FAILED: "\u2715"}

_WAITING_WORDS = {
    MessageStatus.PENDING: "not sent yet",
    MessageStatus.QUEUED: "queued, not yet sent",
    MessageStatus.SENT: "sent, not yet confirmed",
}


@dataclass(frozen=True, slots=True)
class RecipientLine:
    name: str  # the participant's name ("" when the chat has none for this number)
    phone_display: str
    reached: Reached
    text: str  # "delivered", "sent, not yet confirmed", "failed: the handset is unreachable ..."

    @property
    def who(self) -> str:
        return f"{self.name} {self.phone_display}" if self.name else self.phone_display

    @property
    def display_name(self) -> str:
        return self.name or self.phone_display


def _line(name: str, phone_display: str, copy: RecipientDeliveryRow | None,
          row: MessageRow) -> RecipientLine:
    status = copy.status if copy is not None else row.status
    if status == MessageStatus.DELIVERED:
        return RecipientLine(name, phone_display, Reached.DELIVERED, "delivered")
    if status in FAILED_STATUSES:
        if copy is None:  # an old message: the server did not say for whom
            reason = "the message failed for at least one participant; the server did not " \
                     "say which"
        else:
            reason = copy.reason or "the carrier gave no reason"
        return RecipientLine(name, phone_display, Reached.FAILED, f"failed: {reason}")
    words = _WAITING_WORDS.get(status, status_label(status).lower() or "not confirmed yet")
    return RecipientLine(name, phone_display, Reached.WAITING, words)


def recipient_lines(
    row: MessageRow, participants: Sequence[ParticipantRow]
) -> list[RecipientLine]:
    """One line per participant, in the chat's order; a number the server names that the
    chat's details lack (the cache is behind) comes last, by its number."""
    by_phone = {copy.phone: copy for copy in row.deliveries}
    lines = [
        _line(p.name, p.phone_display, by_phone.pop(p.phone, None), row) for p in participants
    ]
    lines += [_line("", format_display(c.phone), c, row) for c in by_phone.values()]
    return lines


def _count(lines: Sequence[RecipientLine], reached: Reached) -> int:
    return sum(1 for line in lines if line.reached == reached)


def heading(row: MessageRow, lines: Sequence[RecipientLine]) -> str:
    """The first line of the tooltip and of the detail popup."""
    total = len(lines)
    noun = "participant" if total == 1 else "participants"
    delivered, failed = _count(lines, Reached.DELIVERED), _count(lines, Reached.FAILED)
    if row.status == MessageStatus.PENDING:
        return f"Not sent yet: waiting to reach the server. It will go to {total} {noun}."
    if delivered == total:
        return f"Delivered to all {total} {noun}."
    if failed == total:
        return f"Not delivered to any of the {total} {noun}."
    if delivered + failed == total:
        return f"Delivered to {delivered} of {total} {noun}; {failed} failed."
    done = f"{delivered} of {total} delivered so far" if delivered else "none confirmed yet"
    if failed:
        done += f", {failed} failed"
    return f"{status_label(row.status)}: with the carrier for {total} {noun}, {done}."


def delivery_text(row: MessageRow, participants: Sequence[ParticipantRow]) -> str:
    """Who an outbound group message went to and how far it got, for its tooltip: a heading,
    then "  ✓ Maria Gonzalez (415) 555-0111: delivered" per participant."""
    lines = recipient_lines(row, participants)
    people = "\n".join(f"  {GLYPHS[line.reached]} {line.who}: {line.text}" for line in lines)
    head = heading(row, lines)
    return f"{head}\n{people}" if people else head


def partly_delivered(row: MessageRow) -> bool:
    """Failed for some participants, delivered to others: its status (`undelivered`) is not
    the whole story, and the message is not shown as failed."""
    return row.status in FAILED_STATUSES and any(
        copy.status == MessageStatus.DELIVERED for copy in row.deliveries
    )


def status_summary(row: MessageRow, participant_count: int) -> str:
    """The bubble's status line for an outbound group message ("" when its status alone says
    it all): "Delivered to 3 of 4 — 1 failed" at a glance, "Sent · 1 of 3 delivered" on the
    way."""
    if not row.deliveries or (row.status in FAILED_STATUSES and not partly_delivered(row)):
        return ""
    count = tally([c.status for c in row.deliveries], participant_count)
    if count.failed == 0 and count.waiting == 0:
        return ""  # "Delivered" says it
    if count.waiting == 0:
        return f"Delivered to {count.delivered} of {count.total} \u2014 {count.failed} failed"
    text = f"{status_label(row.status)} \u00b7 {count.delivered} of {count.total} delivered"
    return text + (f" \u2014 {count.failed} failed" if count.failed else "")


def failed_names(row: MessageRow, participants: Sequence[ParticipantRow]) -> str:
    """Under a partly failed bubble: "Not delivered to Maria Gonzalez: the handset is
    unreachable (carrier error 30003)" ("" when no copy failed, or every one did)."""
    lines = recipient_lines(row, participants)
    failed = [line for line in lines if line.reached == Reached.FAILED]
    if not failed or len(failed) == len(lines) or not row.deliveries:
        return ""
    names = ", ".join(line.display_name for line in failed)
    if len(failed) == 1:
        return f"Not delivered to {names}: {failed[0].text.removeprefix('failed: ')}"
    return f"Not delivered to {names}. Click for details."
