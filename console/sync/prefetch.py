"""Read /v1/sync pages ahead on a helper thread while the engine thread applies earlier ones.

A first sync is some 200 pages of 500 events. Read one by one, the backend answering a page
and the console applying the one before take turns; read ahead, they overlap (two processes,
two cores). Pages already read when the engine is ready are handed over together, so it can
apply them in one transaction (fewer commits), never waiting for more than the first.

The reader only reads: applying, and so the cursor, stay with the engine thread. An error
(backend unreachable, 410 cursor_invalid, ...) is handed over in its place in the sequence and
raised on the engine thread after the pages read before it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from console.protocol.sync import SyncPage
from console.sync.api_client import ApiClient
from console.sync.pacing import GUI_PACER, GuiPacer
from console.timing import PREFETCH_SLICE_S, READ_AHEAD_PAGES

log = logging.getLogger("console.sync.prefetch")

# Pages read ahead at most, and how often a wait looks at a stop request (console/timing.py).
AHEAD = READ_AHEAD_PAGES
_SLICE_S = PREFETCH_SLICE_S


class _End:
    """The feed was read to its end (the last page said has_more false)."""


_Item = SyncPage | Exception | _End


class PageReader:
    """Reads the feed from `cursor` (the page after it) up to its end on a daemon thread."""

    def __init__(
        self,
        client: ApiClient,
        cursor: str,
        *,
        limit: int,
        ahead: int = AHEAD,
        pacer: GuiPacer = GUI_PACER,
    ):
        self._client = client
        self._pacer = pacer
        self._limit = limit
        self._queue: queue.Queue[_Item] = queue.Queue(maxsize=ahead)
        self._stop = threading.Event()
        self._pending_error: Exception | None = None
        self._ended = False
        self._thread = threading.Thread(
            target=self._run, args=(cursor,), name="console-sync-prefetch", daemon=True
        )
        self._thread.start()

    # -- reader thread ------------------------------------------------------------------------

    def _run(self, cursor: str) -> None:
        try:
            while not self._stop.is_set():
                self._pacer.wait_turn()  # parsing a page holds the GIL: the GUI goes first
                page = self._client.sync(cursor, limit=self._limit)
                if not self._put(page):
                    return
                if not page.has_more or page.next == cursor:
                    self._put(_End())
                    return
                cursor = page.next
        except Exception as exc:  # raised on the engine thread, where the page was wanted
            self._put(exc)

    def _put(self, item: _Item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=_SLICE_S)
                return True
            except queue.Full:
                continue
        return False

    # -- engine thread ------------------------------------------------------------------------

    def batch(self, check_stop: Callable[[], None], *, max_events: int) -> list[SyncPage]:
        """The next page, plus those already read after it (up to `max_events` events in all);
        [] once the feed was read to its end. Waits for the first one only, calling
        `check_stop` meanwhile; raises what reading the next page raised."""
        if self._pending_error is not None:
            error, self._pending_error = self._pending_error, None
            raise error
        if self._ended:
            return []
        first = self._get(check_stop)
        if isinstance(first, _End):
            self._ended = True
            return []
        if isinstance(first, Exception):
            raise first
        pages = [first]
        events = len(first.events)
        while events < max_events:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, _End):
                self._ended = True
                break
            if isinstance(item, Exception):
                self._pending_error = item  # after the pages read before it are applied
                break
            pages.append(item)
            events += len(item.events)
        return pages

    def _get(self, check_stop: Callable[[], None]) -> _Item:
        while True:
            check_stop()
            try:
                return self._queue.get(timeout=_SLICE_S)
            except queue.Empty:
                if not self._thread.is_alive() and self._queue.empty():
                    raise RuntimeError("the feed reader ended without a word") from None

    def close(self) -> None:
        """Stop reading ahead (what was read and not taken is dropped). An HTTP call in flight
        ends with the client's timeout at worst; the thread then exits without a word."""
        self._stop.set()
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass

    def __enter__(self) -> PageReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
