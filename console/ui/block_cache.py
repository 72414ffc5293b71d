"""Rows of a long list read a block at a time, the first time one of them is asked for.

The lazily filled models (contacts, sent group messages, and every RowWindow) keep their rows
here: a view asks only for the rows it paints, so a list of 50,000 costs a screenful to open.
At most `max_blocks` blocks stay in memory; the least recently used goes first. Counting the
rows is the model's business: `item` trusts that the row it is given exists.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

# (offset, limit) -> those rows, or None when there is nothing to read from (no service yet)
ReadRows = Callable[[int, int], Sequence[T] | None]


class BlockCache(Generic[T]):
    def __init__(self, read: ReadRows[T], *, block: int, max_blocks: int) -> None:
        self._read = read
        self.block = block
        self.max_blocks = max_blocks
        # block number -> its rows, least recently used first
        self._blocks: OrderedDict[int, list[T]] = OrderedDict()
        self.fetches = 0  # blocks read (tests and benchmarks look: only what is shown is read)

    def item(self, row: int) -> T | None:
        """The item at `row` (>= 0), reading its block if it is not in memory."""
        block = row // self.block
        items = self._blocks.get(block)
        if items is None:
            items = self._fetch(block)
        else:
            self._blocks.move_to_end(block)
        offset = row - block * self.block
        return items[offset] if offset < len(items) else None

    def clear(self) -> None:
        self._blocks.clear()

    def put(self, block: int, items: Sequence[T]) -> None:
        """Keep `items` as `block` (read elsewhere, e.g. off the GUI thread)."""
        self._blocks[block] = list(items)

    def holds(self, block: int) -> bool:
        return block in self._blocks

    def blocks(self) -> list[int]:
        return list(self._blocks)

    def loaded(self) -> Iterator[tuple[int, T]]:
        """(row, item) of every row in memory (never reads)."""
        for block, items in self._blocks.items():
            for offset, item in enumerate(items):
                yield block * self.block + offset, item

    def reread(
        self, block: int, key: Callable[[T], Hashable], value: Callable[[T], object]
    ) -> list[int] | None:
        """Read `block` (in memory) again: the rows whose `value` changed, or None when its
        rows are no longer the same `key`s in the same places (the block is left as it was;
        the caller resets). Not counted in `fetches`: nothing new is shown."""
        old = self._blocks[block]
        new = list(self._read(block * self.block, self.block) or [])
        if [key(item) for item in new] != [key(item) for item in old]:
            return None
        self._blocks[block] = new
        return [
            block * self.block + offset
            for offset, (before, after) in enumerate(zip(old, new, strict=True))
            if value(before) != value(after)
        ]

    def _fetch(self, block: int) -> list[T]:
        rows = self._read(block * self.block, self.block)
        if rows is None:
            return []
        self.fetches += 1
        items = list(rows)
        self._blocks[block] = items
        while len(self._blocks) > self.max_blocks:
            self._blocks.popitem(last=False)
        return items
