"""What one read of a conversation's messages asks for, and where a bounded window drops rows.

The message model (console/ui/message_model.py) keeps at most MAX_ROWS rows: each loaded row
costs QListView a size hint on every layout, and every insert lays out all of them (57 µs a
row measured over a 100,000-message conversation: 1,000 rows loaded meant a 60 ms stall per
page, growing without end). A request is made on the GUI thread, read on any thread (the
services open their own read transaction) and applied on the GUI thread only if the window
still ends where the request started (`generation` and `anchor` unchanged): a page read while
the window was reset, trimmed or paged by another read is dropped, never spliced in wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from console.services.types import MessageRow
from console.timing import MESSAGE_MAX_ROWS

if TYPE_CHECKING:  # importing the services pulls in SQLAlchemy and httpx: not before first paint
    from console.services.conversations import ConversationService

MAX_ROWS = MESSAGE_MAX_ROWS  # console/timing.py


@dataclass(frozen=True)
class PageRequest:
    """The next page beyond one end of the window: older than `anchor` (newest first, as the
    services answer) or newer than it (oldest first)."""

    service: ConversationService
    conversation_id: str
    generation: int
    anchor: str
    older: bool
    limit: int

    def read(self) -> list[MessageRow]:
        if self.older:
            return self.service.messages(
                self.conversation_id, before_key=self.anchor, limit=self.limit
            )
        return self.service.messages_after(
            self.conversation_id, after_key=self.anchor, limit=self.limit
        )


@dataclass(frozen=True)
class AroundRequest:
    """A window around one message far from the loaded rows (a jump from History or the find
    bar): up to `before` older and `after` newer messages, newest first."""

    service: ConversationService
    conversation_id: str
    generation: int
    key: str
    before: int
    after: int

    def read(self) -> list[MessageRow]:
        return self.service.messages_around(
            self.conversation_id, self.key, before=self.before, after=self.after
        )


@dataclass(frozen=True)
class NewestRequest:
    """The newest `limit` messages, newest first: what a view following the newest message
    shows after a burst of arrivals (a catch-up names hundreds per change set)."""

    service: ConversationService
    conversation_id: str
    generation: int
    limit: int

    def read(self) -> list[MessageRow]:
        return self.service.messages(self.conversation_id, limit=self.limit)


def droppable(
    count: int, *, at_top: bool, keep: tuple[int, int] | None, max_rows: int = MAX_ROWS
) -> int:
    """How many of `count` rows to drop at one end (the top: the oldest, else the newest) to
    get back to `max_rows`, sparing the rows `keep` (first, last) the user is looking at:
    never more than lie beyond them. 0 when nothing needs to go or nothing can."""
    extra = count - max_rows
    if extra <= 0:
        return 0
    if keep is None:
        return extra
    first, last = keep
    beyond = first if at_top else count - 1 - last
    return max(0, min(extra, beyond))
