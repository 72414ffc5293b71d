"""Who an outbound group chat message reached, in words: per participant for its tooltip and
its detail popup (`deliveryDetails`), and in a few words for its bubble's status line.

The server tells each participant number's copy (MessageRow.deliveries, matched here to the
chat's participants by number). A message from before it did (the demo's history) has none:
its own status then speaks for everyone, as it did then. A message some participants got and
some did not is `undelivered` (console.domain.delivery); it is not worded as a failure of the
whole message but as "Delivered to 2 of 3 — 1 failed", naming who (`partly_delivered`).
Pure: no widgets (the texts go through console.ui.i18n, context "RecipientDelivery").
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
from console.ui.i18n import QT_TRANSLATE_NOOP, in_source_language, translate
from console.ui.labels import FAILED_STATUSES, status_label

if TYPE_CHECKING:  # importing the services pulls in SQLAlchemy and httpx: not before first paint
    from console.services.chat_details import ParticipantRow


class Reached(StrEnum):
    DELIVERED = "delivered"
    WAITING = "waiting"  # pending, queued or sent: not confirmed yet
    FAILED = "failed"


GLYPHS = {Reached.DELIVERED: "\u2713", Reached.WAITING: "\u2026", Reached.FAILED: "\u2715"}

_WAITING_WORDS = {
    MessageStatus.PENDING: QT_TRANSLATE_NOOP("RecipientDelivery", "not sent yet"),
    MessageStatus.QUEUED: QT_TRANSLATE_NOOP("RecipientDelivery", "queued, not yet sent"),
    MessageStatus.SENT: QT_TRANSLATE_NOOP("RecipientDelivery", "sent, not yet confirmed"),
}


@dataclass(frozen=True, slots=True)
class RecipientLine:
    name: str  # the participant's name ("" when the chat has none for this number)
    phone_display: str
    reached: Reached
    text: str  # "delivered", "sent, not yet confirmed", "failed: the handset is unreachable ..."
    reason: str = ""  # a failed copy's reason alone ("the handset is unreachable ...")

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
        return RecipientLine(
            name, phone_display, Reached.DELIVERED, translate("RecipientDelivery", "delivered")
        )
    if status in FAILED_STATUSES:
        if copy is None:  # an old message: the server did not say for whom
            reason = translate(
                "RecipientDelivery",
                "the message failed for at least one participant; the server did not say which",
            )
        elif copy.reason and in_source_language():
            reason = copy.reason  # the carrier's words, in English
        elif copy.reason:
            reason = translate("RecipientDelivery", "the carrier did not deliver it")
        else:
            reason = translate("RecipientDelivery", "the carrier gave no reason")
        text = translate("RecipientDelivery", "failed: {reason}").format(reason=reason)
        return RecipientLine(name, phone_display, Reached.FAILED, text, reason)
    if status in _WAITING_WORDS:
        words = translate("RecipientDelivery", _WAITING_WORDS[MessageStatus(status)])
    else:
        label = status_label(status)
        # "scheduled" from a newer server; lower case is English's way inside a sentence
        words = (label.lower() if in_source_language() else label) or translate(
            "RecipientDelivery", "not confirmed yet"
        )
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
    delivered, failed = _count(lines, Reached.DELIVERED), _count(lines, Reached.FAILED)
    if row.status == MessageStatus.PENDING:
        return translate(
            "RecipientDelivery",
            "Not sent yet: waiting to reach the server. It will go to %n participant(s).",
            None,
            total,
        )
    if delivered == total:
        return translate("RecipientDelivery", "Delivered to all %n participant(s).", None, total)
    if failed == total:
        return translate(
            "RecipientDelivery", "Not delivered to any of the %n participant(s).", None, total
        )
    if delivered + failed == total:
        return translate(
            "RecipientDelivery",
            "Delivered to {delivered} of %n participant(s); {failed} failed.",
            None,
            total,
        ).format(delivered=delivered, failed=failed)
    if delivered and failed:
        text = translate(
            "RecipientDelivery",
            "{status}: with the carrier for %n participant(s), {delivered} of %n delivered so "
            "far, {failed} failed.",
            None,
            total,
        )
    elif delivered:
        text = translate(
            "RecipientDelivery",
            "{status}: with the carrier for %n participant(s), {delivered} of %n delivered so "
            "far.",
            None,
            total,
        )
    elif failed:
        text = translate(
            "RecipientDelivery",
            "{status}: with the carrier for %n participant(s), none confirmed yet, {failed} "
            "failed.",
            None,
            total,
        )
    else:
        text = translate(
            "RecipientDelivery",
            "{status}: with the carrier for %n participant(s), none confirmed yet.",
            None,
            total,
        )
    return text.format(status=status_label(row.status), delivered=delivered, failed=failed)


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
        text = translate(
            "RecipientDelivery", "Delivered to {delivered} of {total} — {failed} failed"
        )
    elif count.failed:
        text = translate(
            "RecipientDelivery",
            "{status} · {delivered} of {total} delivered — {failed} failed",
        )
    else:
        text = translate("RecipientDelivery", "{status} · {delivered} of {total} delivered")
    return text.format(
        status=status_label(row.status),
        delivered=count.delivered,
        total=count.total,
        failed=count.failed,
    )


def failed_names(row: MessageRow, participants: Sequence[ParticipantRow]) -> str:
    """Under a partly failed bubble: "Not delivered to Maria Gonzalez: the handset is
    unreachable (carrier error 30003)" ("" when no copy failed, or every one did)."""
    lines = recipient_lines(row, participants)
    failed = [line for line in lines if line.reached == Reached.FAILED]
    if not failed or len(failed) == len(lines) or not row.deliveries:
        return ""
    names = ", ".join(line.display_name for line in failed)
    if len(failed) == 1:
        return translate("RecipientDelivery", "Not delivered to {names}: {reason}").format(
            names=names, reason=failed[0].reason
        )
    return translate("RecipientDelivery", "Not delivered to {names}. Click for details.").format(
        names=names
    )
