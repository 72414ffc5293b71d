"""The pull side of the sync engine: the realtime stream when it is up, /v1/sync otherwise.

Everything here runs on the engine thread (sync()), except the stream's reader thread, which
only queues what it reads and wakes the engine. The rules:

- While the stream is not live, catch up with /v1/sync until the feed is drained; open the
  stream only from a drained cursor, so what it sends follows on from what the cache holds.
  A long catch-up (a first sync: 100k events) reads pages ahead on a helper thread
  (prefetch.py) and applies what was read in batches of up to MAX_APPLY_EVENTS, each batch
  and its cursor one transaction; it collects garbage less often meanwhile (gc_pacing.py)
  and lets the GUI thread go first between batches (pacing.py).
- Apply streamed events in small batches (what queued up, plus a few ms), each batch and its
  cursor in one transaction that first checks the stored cursor is the one the batch follows
  (store/feed.py): never applied twice, never skipped. A batch that does not follow on ends
  the stream; the next cycle catches up and reopens it.
- A stream that drops is reopened after a jittered exponential backoff, resuming from the
  stored cursor (Last-Event-ID); meanwhile /v1/sync keeps the cache current. A stream quiet for
  2.5 heartbeat intervals is dead (the reader's read timeout) and handled as a drop.
- Fall back to polling when the server has no stream (404/405/501, not text/event-stream) or
  when several attempts in a row got nothing through (a proxy that buffers the stream); try the
  stream again after `unavailable_retry_s`.
- 410 cursor_invalid: full resync into a fresh cache generation (resync.py).
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable, Sequence
from enum import StrEnum

from console.domain.status_detail import DetailCode, StatusDetail
from console.protocol.sync import SyncPage
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.feed import apply_after, record_synced
from console.store.session_meta import read_cursor
from console.sync.api_client import ApiClient
from console.sync.backoff import Backoff
from console.sync.errors import ApiError, BackendUnreachable, CursorInvalid
from console.sync.event_stream import (
    DEFAULT_HEARTBEAT_S,
    EventStreamReader,
    StreamAlive,
    StreamDelivered,
    StreamEnded,
    StreamItem,
    StreamMoved,
    StreamOpened,
    is_unavailable,
)
from console.sync.gc_pacing import fewer_collections
from console.sync.pacing import GUI_PACER, GuiPacer
from console.sync.prefetch import PageReader
from console.sync.resync import full_resync
from console.timing import (
    APPLY_STEP_EVENTS,
    LIVE_CHECK_S,
    MAX_APPLY_EVENTS,
    MAX_STREAM_BATCH,
    RECORD_SYNCED_EVERY_S,
    STOP_READER_S,
    STREAM_BACKOFF_BASE_S,
    STREAM_BACKOFF_CAP_S,
    STREAM_COALESCE_S,
    UNAVAILABLE_RETRY_S,
)

log = logging.getLogger("console.sync.pull")

# Timing knobs: console/timing.py (streamed events are coalesced for COALESCE_S, catch-up
# pages applied MAX_APPLY_EVENTS at a time, a heartbeat's "known current at" recorded every
# RECORD_SYNCED_EVERY_S, a live stream still looked in on every LIVE_CHECK_S).
COALESCE_S = STREAM_COALESCE_S
MAX_BATCH = MAX_STREAM_BATCH
# Attempts in a row that got nothing through (not even a heartbeat) before polling instead.
SILENT_ATTEMPTS = 3
STREAM_BACKOFF = Backoff(
    base=STREAM_BACKOFF_BASE_S, factor=2.0, cap=STREAM_BACKOFF_CAP_S, jitter=0.5
)
# Why the stream was given up for polling, for the log (the UI words the code itself).
_REASONS = {
    DetailCode.LIVE_CURSOR_REFUSED: "the stream refuses this cache's cursor",
    DetailCode.LIVE_UNAVAILABLE: "unavailable on this server",
    DetailCode.LIVE_NOT_GETTING_THROUGH: "not getting through",
}


class FeedMode(StrEnum):
    LIVE = "live"  # the stream is up: changes arrive as they happen
    CONNECTING = "connecting"  # a stream is being opened (the cache was just caught up)
    POLLING = "polling"  # /v1/sync every poll interval (between attempts, or no stream)


_Link = StreamDelivered | StreamMoved


class Puller:
    def __init__(
        self,
        cache: Cache,
        client: ApiClient,
        *,
        emit: Callable[[Changes], None],
        wake: Callable[[], None],
        check_stop: Callable[[], None],
        poll_interval: float,
        page_limit: int,
        realtime: bool = True,
        heartbeat_s: float = DEFAULT_HEARTBEAT_S,
        backoff: Backoff = STREAM_BACKOFF,
        unavailable_retry_s: float = UNAVAILABLE_RETRY_S,
        coalesce_s: float = COALESCE_S,
        pacer: GuiPacer = GUI_PACER,
        max_apply_events: int = MAX_APPLY_EVENTS,
    ) -> None:
        self._cache = cache
        self._client = client
        self._emit = emit
        self._wake = wake
        self._check_stop = check_stop
        self._poll_interval = poll_interval
        self._page_limit = page_limit
        self._realtime = realtime
        self._heartbeat_s = heartbeat_s
        self._backoff = backoff
        self._unavailable_retry_s = unavailable_retry_s
        self._coalesce_s = coalesce_s
        self._pacer = pacer
        self._max_apply_events = max_apply_events
        self._queue: queue.SimpleQueue[tuple[int, StreamItem]] = queue.SimpleQueue()
        self._reader: EventStreamReader | None = None
        self._reader_no = 0
        self._opened = False
        self._failures = 0  # stream attempts in a row that ended badly
        self._silent = 0  # of those, attempts that got nothing through
        self._refused = 0  # attempts in a row refused with 410 cursor_invalid
        self._next_attempt = 0.0  # time.monotonic() before which no stream is opened
        # Why we poll instead of streaming, when we were told (NONE: we were not).
        self._fallback = DetailCode.NONE
        self._recorded_at = 0.0
        self.resyncs = 0

    # -- what the engine asks ---------------------------------------------------------------

    @property
    def mode(self) -> FeedMode:
        if self._reader is None:
            return FeedMode.POLLING
        return FeedMode.LIVE if self._opened else FeedMode.CONNECTING

    @property
    def detail(self) -> StatusDetail:
        """How changes arrive, for the status tooltip (the UI words it)."""
        mode = self.mode
        if mode is FeedMode.LIVE:
            return StatusDetail(DetailCode.LIVE)
        if mode is FeedMode.CONNECTING:
            return StatusDetail(DetailCode.LIVE_CONNECTING)
        if not self._realtime:
            code = DetailCode.POLLING
        elif self._fallback is not DetailCode.NONE:
            code = self._fallback
        else:
            code = DetailCode.LIVE_RECONNECTING
        return StatusDetail.of(code, seconds=self._poll_interval)

    def wait_hint(self) -> float:
        """Seconds until the pull side needs another cycle (the stream wakes it sooner)."""
        if self._reader is not None:
            return LIVE_CHECK_S
        wait = self._poll_interval
        if self._realtime:
            wait = min(wait, max(0.0, self._next_attempt - time.monotonic()))
        return wait

    # -- the cycle (engine thread) ------------------------------------------------------------

    def sync(self) -> None:
        """Apply what the stream delivered; if it is not up, catch up with /v1/sync and open
        it when due. Raises the client's errors (the engine reports them and retries)."""
        self._drain()
        if self._reader is not None:
            return
        self._pull()
        self._maybe_open()

    def refresh(self) -> None:
        """The user asked to sync now: catch up from the server even if the stream seems up
        (it may be dead and not know it yet), then open it again at once."""
        self.stop_stream()
        self._next_attempt = 0.0

    def stop_stream(self) -> None:
        reader, self._reader = self._reader, None
        self._opened = False
        self._reader_no += 1  # whatever that reader still queues is dropped
        if reader is not None and not reader.stop(STOP_READER_S):
            log.warning("event stream reader did not stop in %s s", STOP_READER_S)

    def reset(self) -> None:
        """A new sign-in: forget earlier stream failures."""
        self._failures = self._silent = self._refused = 0
        self._next_attempt = 0.0
        self._fallback = DetailCode.NONE

    def close(self) -> None:
        self.stop_stream()

    def abort(self) -> None:
        """Any thread (the engine is closing): end the stream connection now."""
        reader = self._reader
        if reader is not None:
            reader.stop(STOP_READER_S)

    # -- /v1/sync -------------------------------------------------------------------------------

    def _pull(self) -> None:
        """Catch up with /v1/sync to the end of the feed.

        The first page is read here; if more follow, a PageReader reads them ahead while the
        pages before are applied, and pages already read are applied together: each batch and
        its cursor in one transaction that lands only on the cursor it follows (feed.py).
        A first sync (no cursor yet) marks its first batch reset, and only that one: views
        reload once, then take the rest as ordinary changes."""
        cursor = self._stored_cursor()
        while True:
            self._check_stop()
            try:
                page = self._client.sync(cursor, limit=self._page_limit)
            except CursorInvalid:
                if cursor is None:
                    raise
                self._resync()
                return
            if not page.has_more or page.next == cursor:
                self._apply_pages(cursor, [page])
                return
            if not self._apply_pages(cursor, [page]):
                cursor = self._stored_cursor()
                continue
            cursor = page.next
            reader = PageReader(
                self._client, cursor, limit=self._page_limit, pacer=self._pacer
            )
            try:
                with reader, fewer_collections():
                    cursor = self._apply_ahead(reader, cursor)
            except CursorInvalid:
                self._resync()  # the reader is closed: nothing reads the old feed meanwhile
                return
            if cursor is None:
                return  # read to the end
            cursor = self._stored_cursor()  # another writer moved it: read on from there

    def _apply_ahead(self, reader: PageReader, cursor: str) -> str | None:
        """Apply what `reader` reads, batch by batch; None at the end of the feed, or the
        cursor a batch followed when it did not follow on (nothing of it was written)."""
        while True:
            pages = reader.batch(self._check_stop, max_events=self._max_apply_events)
            if not pages:
                return None
            self._pacer.wait_turn(self._check_stop)  # the GUI thread goes first (pacing.py)
            if not self._apply_pages(cursor, pages):
                return cursor
            cursor = pages[-1].next

    def _apply_pages(self, cursor: str | None, pages: list[SyncPage]) -> bool:
        """Apply `pages` (consecutive, the first following `cursor`) and their last cursor in
        one transaction; False (nothing written) if the stored cursor is no longer `cursor`."""
        events = pages[0].events if len(pages) == 1 else [e for p in pages for e in p.events]
        # In short steps: a GUI-thread write (a send) waits for the one in progress only.
        changes = apply_after(
            self._cache, events, after=cursor, cursor=pages[-1].next, step=APPLY_STEP_EVENTS
        )
        if changes is None:
            # Another writer moved the cursor meanwhile (these pages may hold events it
            # applied): read on from where the cache now is.
            return False
        self._emit(changes)
        return True

    def _stored_cursor(self) -> str | None:
        with self._cache.read() as conn:
            return read_cursor(conn).cursor

    def _resync(self) -> None:
        log.warning("the server no longer knows this cache's cursor: full resync")
        self.stop_stream()
        changes = full_resync(
            self._cache, self._client, page_limit=self._page_limit, check_stop=self._check_stop
        )
        self.resyncs += 1
        self._emit(changes)

    # -- the stream ---------------------------------------------------------------------------

    def _maybe_open(self) -> None:
        if not self._realtime or time.monotonic() < self._next_attempt:
            return
        self._check_stop()
        with self._cache.read() as conn:
            cursor = read_cursor(conn).cursor
        if cursor is None:
            return  # nothing synced yet: the next cycle pulls first
        self._reader_no += 1
        number = self._reader_no
        self._opened = False
        self._reader = EventStreamReader(
            self._client,
            cursor,
            on_item=lambda item: self._queued(number, item),
            heartbeat_s=self._heartbeat_s,
        )
        self._reader.start()

    def _queued(self, number: int, item: StreamItem) -> None:
        """On the reader thread: hand over and wake the engine."""
        self._queue.put((number, item))
        self._wake()

    def _take(self) -> list[StreamItem]:
        taken: list[tuple[int, StreamItem]] = []
        try:
            while True:
                taken.append(self._queue.get_nowait())
        except queue.Empty:
            pass
        if any(isinstance(item, _Link) for _, item in taken):
            # Events often come in bursts (one change writes several): let the rest catch up.
            deadline = time.monotonic() + self._coalesce_s
            while len(taken) < MAX_BATCH and not isinstance(taken[-1][1], StreamEnded):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    taken.append(self._queue.get(timeout=remaining))
                except queue.Empty:
                    break
        return [item for number, item in taken if number == self._reader_no]

    def _drain(self) -> None:
        links: list[_Link] = []
        for item in self._take():
            if isinstance(item, _Link):
                links.append(item)
                continue
            if not self._apply(links):
                return  # the stream was stopped: what else it queued is stale
            links = []
            self._control(item)
        self._apply(links)

    def _apply(self, links: Sequence[_Link]) -> bool:
        for start in range(0, len(links), MAX_BATCH):
            chunk = links[start : start + MAX_BATCH]
            events = [link.event for link in chunk if isinstance(link, StreamDelivered)]
            changes = apply_after(
                self._cache, events, after=chunk[0].after, cursor=chunk[-1].cursor
            )
            if changes is None:
                log.warning("streamed events do not follow on from the cache: reconnecting")
                self.refresh()
                return False
            self._emit(changes)
            self._got_through()
        return True

    def _control(self, item: StreamItem) -> None:
        if isinstance(item, StreamOpened):
            self._opened = True
            log.info("live updates on")
        elif isinstance(item, StreamAlive):
            self._alive()
        elif isinstance(item, StreamEnded):
            self._ended(item)

    def _got_through(self) -> None:
        # Whatever went wrong with the stream before is over.
        self._failures = self._silent = self._refused = 0
        self._fallback = DetailCode.NONE

    def _alive(self) -> None:
        self._got_through()
        now = time.monotonic()
        if now - self._recorded_at >= RECORD_SYNCED_EVERY_S:
            self._recorded_at = now
            record_synced(self._cache, utcnow())

    def _ended(self, item: StreamEnded) -> None:
        reader, self._reader = self._reader, None
        self._opened = False
        if reader is not None:
            reader.stop(STOP_READER_S)  # its thread is finishing: reap it
        error = item.error
        if error is None:
            self._next_attempt = 0.0
            return
        if isinstance(error, CursorInvalid):
            # The catch-up pull gets the same answer and resyncs. If the stream still refuses
            # a cursor /v1/sync just accepted, the server is at odds with itself: poll.
            self._refused += 1
            if self._refused >= 2:
                self._fall_back(DetailCode.LIVE_CURSOR_REFUSED, error)
            else:
                self._next_attempt = 0.0
            return
        if is_unavailable(error):
            self._fall_back(DetailCode.LIVE_UNAVAILABLE, error)
            return
        self._failures += 1
        # Connected (or connecting) and then nothing but silence: the signature of a proxy that
        # buffers the stream. Refused connections and 5xx are outages: backoff is enough.
        quiet = isinstance(error, BackendUnreachable) and error.timed_out
        self._silent = self._silent + 1 if quiet and not item.received else 0
        if self._silent >= SILENT_ATTEMPTS:
            self._fall_back(DetailCode.LIVE_NOT_GETTING_THROUGH, error)
            return
        retry_after = error.retry_after if isinstance(error, ApiError) else None
        delay = self._backoff.delay(self._failures, retry_after=retry_after)
        self._next_attempt = time.monotonic() + delay
        log.info("event stream ended (%s): reconnecting in %.1f s", error, delay)

    def _fall_back(self, reason: DetailCode, error: Exception) -> None:
        log.warning(
            "live updates: %s (%s): polling for %g s", _REASONS[reason], error,
            self._unavailable_retry_s,
        )
        self._fallback = reason
        self._failures = self._silent = self._refused = 0
        self._next_attempt = time.monotonic() + self._unavailable_retry_s
