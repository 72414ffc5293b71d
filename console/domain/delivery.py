"""A group chat message's status from its per-recipient copies: one rule for both carriers.

A group chat message goes out as one SMS per participant number (a copy each), and copies
fare differently: one handset may be unreachable while the others get it. The message's own
status sums its copies up so that a reader of the status alone is never told "delivered" for
a message someone did not get:

- while any copy is on its way (or not made yet: it counts as `queued`), the least advanced
  of the copies that did not fail: `queued` or `sent`, with no error code yet;
- once every copy is final: `delivered` only if every copy was delivered; the first failed
  copy's status (`failed` / `undelivered`) and code if none was; `undelivered` with the first
  failed copy's code if some were delivered and some failed (Message.deliveries says who);
- a final status stays final: a message settled already (e.g. failed by the rule before
  this one, as soon as one copy failed) does not go back to `queued` / `sent` when its
  other copies report late.

Deviations: API.md describes a message's status as one SMS's. For a group chat message a
partial failure is `undelivered` (with the failed copy's error_code) although the other
participants got it, so an integration that counts `delivered` as "everyone has it" is never
wrong; the per-recipient truth is in `deliveries`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from console.domain.messages import MessageStatus

FAILED = frozenset({MessageStatus.FAILED, MessageStatus.UNDELIVERED})
FINAL = FAILED | {MessageStatus.DELIVERED}
_PROGRESS = (MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.DELIVERED)


@dataclass(frozen=True, slots=True)
class CopyState:
    status: MessageStatus  # queued | sent | delivered | failed | undelivered
    error_code: str | None = None


def overall(
    copies: Sequence[CopyState], recipients: int, was: CopyState | None = None
) -> CopyState:
    """The message's status and error code from its copies (in recipient order) when it goes
    to `recipients` numbers; copies not made yet count as queued. `was`: the message's status
    now, kept when it is final already."""
    if was is not None and was.status in FINAL:
        return was
    if not copies and recipients <= 0:
        return CopyState(MessageStatus.DELIVERED)  # to nobody: nothing left to wait for
    if len(copies) < recipients or any(c.status not in FINAL for c in copies):
        live = [c.status for c in copies if c.status not in FAILED]
        if len(copies) < recipients:
            live.append(MessageStatus.QUEUED)
        slowest = min(_PROGRESS.index(s) if s in _PROGRESS else 0 for s in live)
        return CopyState(_PROGRESS[slowest])
    failed = [c for c in copies if c.status in FAILED]
    if not failed:
        return CopyState(MessageStatus.DELIVERED)
    if len(failed) == len(copies):
        return CopyState(failed[0].status, failed[0].error_code)
    return CopyState(MessageStatus.UNDELIVERED, failed[0].error_code)


@dataclass(frozen=True, slots=True)
class Tally:
    """How a group message fared: delivered, failed, and still on the way, out of `total`."""

    delivered: int
    failed: int
    total: int

    @property
    def waiting(self) -> int:
        return max(self.total - self.delivered - self.failed, 0)


def tally(statuses: Sequence[str], recipients: int) -> Tally:
    delivered = sum(1 for s in statuses if s == MessageStatus.DELIVERED)
    failed = sum(1 for s in statuses if s in FAILED)
    return Tally(delivered, failed, max(recipients, len(statuses)))
