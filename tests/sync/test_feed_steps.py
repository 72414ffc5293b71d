"""A catch-up batch written in steps (console/store/feed.py `step`): each step its own short
transaction, the cursor stored with the last, and a batch cut short resumed without writing
any event twice or skipping one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.protocol.sync import SyncEvent
from console.store.apply import MalformedEvent
from console.store.cache import Cache
from console.store.feed import apply_after
from console.store.maintenance import clear_cached_data
from console.store.models import messages
from console.store.session_meta import FEED_PARTIAL_KEY, get_meta, read_cursor, set_meta
from tests.unit.cache_factories import at, conversation, event, message


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache.open(tmp_path / "cache.db")
    yield c
    c.close()


def count_messages(cache: Cache) -> int:
    with cache.read() as conn:
        return int(conn.execute(select(func.count()).select_from(messages)).scalar_one())


def batch(n: int) -> list[SyncEvent]:
    events = [conversation("cnv_1", "Ann")]
    events += [message(f"msg_{i}", "cnv_1", f"hello {i}", when=at(i)) for i in range(n)]
    return events


def test_each_step_is_a_transaction_of_its_own(cache: Cache) -> None:
    transactions = 0
    write = cache.write

    def counted():  # type: ignore[no-untyped-def]
        nonlocal transactions
        transactions += 1
        return write()

    cache.write = counted  # type: ignore[method-assign]
    changes = apply_after(cache, batch(249), after=None, cursor="c1", step=100)
    assert changes is not None
    assert len(changes.messages["cnv_1"]) == 249
    assert transactions == 3  # 250 events in steps of 100
    assert count_messages(cache) == 249
    with cache.read() as conn:
        assert read_cursor(conn).cursor == "c1"
        assert get_meta(conn).get(FEED_PARTIAL_KEY) is None


def test_a_batch_resumed_from_its_cursor_writes_only_what_is_left(cache: Cache) -> None:
    assert apply_after(cache, [conversation("cnv_1", "Ann")], after=None, cursor="c0")
    good = batch(150)
    bad = [*good[:120], event("conversation.deleted", {"kind": "direct"}), *good[120:]]
    with pytest.raises(MalformedEvent):
        apply_after(cache, bad, after="c0", cursor="c1", step=100)
    assert count_messages(cache) == 99
    changes = apply_after(cache, good, after="c0", cursor="c1", step=100)
    assert changes is not None
    assert len(changes.messages["cnv_1"]) == 51  # the rest, not the 99 again
    assert count_messages(cache) == 150
    with cache.read() as conn:
        assert read_cursor(conn).cursor == "c1"
        assert get_meta(conn).get(FEED_PARTIAL_KEY) is None


def test_clearing_the_cache_forgets_how_far_a_batch_got(cache: Cache) -> None:
    good = batch(150)
    bad = [*good[:120], event("conversation.deleted", {"kind": "direct"}), *good[120:]]
    with pytest.raises(MalformedEvent):
        apply_after(cache, bad, after=None, cursor="c1", step=100)
    with cache.write() as conn:
        clear_cached_data(conn)  # another account's data: the same cursors mean other rows
    changes = apply_after(cache, good, after=None, cursor="c1", step=100)
    assert changes is not None
    assert len(changes.messages["cnv_1"]) == 150
    assert count_messages(cache) == 150


def _after_first_step(cache: Cache, run: Callable[[], None]) -> None:
    """Make `run` (another writer) happen once, right after the first step's transaction."""
    write, calls = cache.write, 0

    @contextmanager
    def hooked():  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 2:
            cache.write = write  # type: ignore[method-assign]
            run()
        with write() as conn:
            yield conn

    cache.write = hooked  # type: ignore[method-assign]


def test_the_stream_applying_the_same_batch_between_steps_writes_nothing_twice(
    cache: Cache,
) -> None:
    """The pull writes a batch in steps; between two of them the live stream applies the same
    events (it follows the same stored cursor). Each message is written once, the stream's
    cursor stands, and the pull still hands over the changes of the step it wrote."""
    assert apply_after(cache, [conversation("cnv_1", "Ann")], after=None, cursor="c0")
    good = batch(250)
    streamed: list[object] = []
    _after_first_step(cache, lambda: streamed.append(
        apply_after(cache, good, after="c0", cursor="stream")))
    pulled = apply_after(cache, good, after="c0", cursor="c1", step=100)
    assert streamed
    assert streamed[0] is not None
    assert pulled is not None
    assert len(pulled.messages["cnv_1"]) == 99  # its first step
    assert count_messages(cache) == 250
    with cache.read() as conn:
        assert read_cursor(conn).cursor == "stream"
        assert get_meta(conn).get(FEED_PARTIAL_KEY) is None


def test_a_mark_written_after_the_batch_was_prepared_is_honoured(cache: Cache) -> None:
    """Another writer's steps land between this writer's first look at the mark and its
    transaction: the events they covered are not written again."""
    assert apply_after(cache, [conversation("cnv_1", "Ann")], after=None, cursor="c0")
    good = batch(150)
    covered = good[60].seq  # as if written by the other writer, whose mark says so
    write = cache.write

    @contextmanager
    def marked_first():  # type: ignore[no-untyped-def]
        cache.write = write  # type: ignore[method-assign]
        with write() as conn:
            set_meta(conn, {FEED_PARTIAL_KEY: f"c0\n{covered}"})
        with write() as conn:
            yield conn

    cache.write = marked_first  # type: ignore[method-assign]
    changes = apply_after(cache, good, after="c0", cursor="c1")
    assert changes is not None
    expected = {e.data["id"] for e in good if e.type == "message.upserted" and e.seq > covered}
    assert len(changes.messages["cnv_1"]) == len(expected)
    with cache.read() as conn:
        written = set(conn.execute(select(messages.c.server_id)).scalars())
    assert written == expected
