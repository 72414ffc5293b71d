"""A lazily read window over a long, searchable list in the cache, for the Groups page's
member table and the add-member picker (up to 50,000 contacts).

The model holding it never has every row: the count is one COUNT of the search, capped at
COUNT_CAP at first (an uncapped count on a two-letter search takes 100-360 ms at 50,000
contacts; 200 a few ms), and grown by COUNT_GROWTH when the view scrolls to the end
(canFetchMore / fetchMore). A row is read with the BLOCK-row page it falls in, the first time
the view asks for it; at most MAX_BLOCKS pages stay in memory (least recently used go first).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from console.ui.block_cache import BlockCache

T = TypeVar("T")

BLOCK = 100
MAX_BLOCKS = 40
COUNT_CAP = 200
COUNT_GROWTH = 8

# (search text, cap or None) -> how many rows match, counting no further than cap
Count = Callable[[str, int | None], int]
# (search text, offset, limit) -> that page of rows
Page = Callable[[str, int, int], Sequence[T]]


class RowWindow(Generic[T]):
    """What a windowed model knows: the search, its (capped) count and the pages read."""

    def __init__(self) -> None:
        self.count_rows: Count | None = None
        self.read_page: Page[T] | None = None
        self.text = ""
        self.count = 0
        self.cap: int | None = None  # the search was counted up to here (None: to the end)
        self._blocks: BlockCache[T] = BlockCache(self._read, block=BLOCK, max_blocks=MAX_BLOCKS)

    def bind(self, count_rows: Count | None, read_page: Page[T] | None) -> None:
        self.count_rows, self.read_page = count_rows, read_page

    def recount(self) -> None:
        """Forget every page and count the search again (up to COUNT_CAP)."""
        self._blocks.clear()
        if self.count_rows is None:
            self.count, self.cap = 0, None
            return
        self.cap = COUNT_CAP
        self.count = self.count_rows(self.text, COUNT_CAP)
        if self.count < COUNT_CAP:
            self.cap = None

    def preset(self, count: int, cap: int | None, first: Sequence[T]) -> None:
        """Take a count and first page read elsewhere (a search run off the GUI thread)."""
        self._blocks.clear()
        self.count, self.cap = count, cap
        self._blocks.put(0, first)

    @property
    def has_more(self) -> bool:
        return self.cap is not None and self.count >= self.cap

    def grow(self) -> int:
        """Count further (the view reached the end); the new count."""
        if not self.has_more or self.count_rows is None or self.cap is None:
            return self.count
        cap = self.cap * COUNT_GROWTH
        count = self.count_rows(self.text, cap)
        self.cap = cap if count >= cap else None
        self.count = max(self.count, count)
        return self.count

    @property
    def fetches(self) -> int:
        """Pages read (tests look: only what is shown is read)."""
        return self._blocks.fetches

    def row(self, row: int) -> T | None:
        return self._blocks.item(row) if 0 <= row < self.count else None

    def loaded(self) -> list[tuple[int, T]]:
        """(row, item) of every row in memory (never reads the cache)."""
        return list(self._blocks.loaded())

    def _read(self, offset: int, limit: int) -> Sequence[T] | None:
        if self.read_page is None:
            return None
        return self.read_page(self.text, offset, limit)
