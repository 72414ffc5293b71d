"""The message delegate's laid-out bubbles, by message key and view width.

QListView asks the delegate for the size of every loaded row on each layout, so a hit must
cost next to nothing: two dict lookups and two identity checks, no hashing of the row
(hashing a MessageRow, with its body and deliveries, made a cached size hint cost ~40 µs,
about as much as Qt's own work per row). A bubble's geometry depends on the row and on the row
above it (whether it opens a day or a run): an entry holds both objects, and the model
replaces a row object whenever the row changes, so `is` tells whether the entry still holds.
Holding them also keeps their ids from being reused. Font and participants are not part of
an entry: the delegate clears the cache when either changes.

Entries for rows not yet in the model are welcome: the pager measures a page here a few rows
per event-loop turn before inserting it (console/ui/message_pager.py), so the layout that
follows the insert finds every size cached.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from itertools import islice
from typing import Generic, TypeVar

from console.services.types import MessageRow

G = TypeVar("G")

# Entries per width: the loaded rows (MAX_ROWS), a page measured ahead and about a window more
# for scrolling back. Each holds a QTextLayout and a dozen Qt value objects, all of which the
# garbage collector walks (with 1,100 entries cached, a generation-1 collection on the GUI
# thread took 4-5 ms of CPU while scrolling).
LIMIT = 800
WIDTHS = 3  # widths kept (a resize back and forth finds its sizes again)


class SizeCache(Generic[G]):
    def __init__(self, limit: int = LIMIT, widths: int = WIDTHS) -> None:
        self._limit = limit
        self._widths = widths
        self._by_width: dict[int, dict[str, tuple[MessageRow, MessageRow | None, G]]] = {}

    def get(self, width: int, row: MessageRow, previous: MessageRow | None) -> G | None:
        entries = self._by_width.get(width)
        if entries is None:
            return None
        entry = entries.get(row.key)
        if entry is None or entry[0] is not row or entry[1] is not previous:
            return None
        return entry[2]

    def put(
        self, width: int, row: MessageRow, previous: MessageRow | None, value: G,
        *, keep: Container[str] = frozenset(),
    ) -> None:
        """Store `value`; past the limit the oldest half goes, except keys in `keep` (the
        loaded rows: dropping those would make the next layout measure all of them again)."""
        entries = self._by_width.get(width)
        if entries is None:
            if len(self._by_width) >= self._widths:
                del self._by_width[next(iter(self._by_width))]
            entries = self._by_width[width] = {}
        entries.pop(row.key, None)  # re-inserted last: the newest survive a prune
        entries[row.key] = (row, previous, value)
        if len(entries) > self._limit:
            old = [k for k in islice(entries, len(entries) // 2) if k not in keep]
            for key in old:
                del entries[key]

    def discard(self, keys: Iterable[str]) -> None:
        """Forget `keys` at every width (their rows now measure differently)."""
        wanted = set(keys)
        for entries in self._by_width.values():
            for key in wanted & entries.keys():
                del entries[key]

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._by_width.values())

    def clear(self) -> None:
        self._by_width.clear()
