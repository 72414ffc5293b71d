"""The bounded message window's rules without Qt: how many rows a page may drop at the far end
(never one the user is looking at), and the size cache's hits (same row objects only)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from console.domain.messages import Direction, MessageStatus
from console.services.types import MessageRow
from console.ui.message_pages import MAX_ROWS, droppable
from console.ui.message_sizes import SizeCache

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def row(n: int) -> MessageRow:
    return MessageRow(
        key=str(n), server_id=None, conversation_id="c", direction=Direction.IN, author="Ann",
        body=f"message {n}", status=MessageStatus.RECEIVED, error=None,
        created_at=START + timedelta(minutes=n),
    )


def test_nothing_goes_within_the_bound() -> None:
    assert droppable(MAX_ROWS, at_top=True, keep=None) == 0
    assert droppable(MAX_ROWS + 100, at_top=False, keep=None) == 100


@given(
    count=st.integers(1, 3 * MAX_ROWS),
    first=st.integers(0, 3 * MAX_ROWS),
    span=st.integers(0, 60),
    at_top=st.booleans(),
)
def test_a_drop_spares_the_rows_shown_and_never_goes_below_the_bound(
    count: int, first: int, span: int, at_top: bool
) -> None:
    first = min(first, count - 1)
    last = min(first + span, count - 1)
    dropped = droppable(count, at_top=at_top, keep=(first, last))
    assert 0 <= dropped <= max(0, count - MAX_ROWS)
    if at_top:
        assert dropped <= first  # rows 0 .. dropped-1 go: none of first .. last
    else:
        assert count - dropped > last
    # As many as can go do go: the bound is kept whenever the shown rows allow it.
    room = first if at_top else count - 1 - last
    assert dropped == min(max(0, count - MAX_ROWS), max(0, room))


def test_the_size_cache_hits_only_the_same_row_below_the_same_row() -> None:
    cache: SizeCache[int] = SizeCache(limit=4, widths=2)
    first, second = row(1), row(2)
    cache.put(500, second, first, 42)
    assert cache.get(500, second, first) == 42
    assert cache.get(600, second, first) is None  # another width
    assert cache.get(500, second, None) is None  # now the top row: it opens a day
    assert cache.get(500, replace(second, body="edited"), first) is None  # changed
    assert cache.get(500, second, replace(first)) is None  # an equal copy is not the same row
    # Past the limit the oldest go, except the keys kept (the loaded rows).
    rows = [row(n) for n in range(10, 16)]
    for item in rows:
        cache.put(500, item, None, int(item.key), keep={"2"})
    assert cache.get(500, second, first) == 42
    assert cache.get(500, rows[-1], None) == 15
    assert len(cache) <= 5
    # A third width pushes out the first one.
    cache.put(600, first, None, 1)
    cache.put(700, first, None, 2)
    assert cache.get(500, second, first) is None
    assert cache.get(700, first, None) == 2
