"""Pages of the open conversation read off the GUI thread and brought in a little at a time.

Scrolling through a 100,000-message conversation must never stall the GUI thread over 16 ms
(issue 12; tests/bench/bench_scale.py). Three costs did, each over it on its own:
- the read: 6-16 ms for a page of 100 or a window around a far message (History's jump, the
  find bar), more on a busy machine, when it ran on the GUI thread;
- measuring the new bubbles: ~145 µs a row, 15 ms for a page measured at once;
- QListView laying out every loaded row again after each insert: ~57 µs a row while a size
  hint cost ~40 µs (60 ms with 1,000 rows loaded, growing with every page).
So the read runs on a worker (console/ui/tasks.py); the new rows are measured into the
delegate's size cache WARM_BUDGET_MS at a time, one event-loop turn each; then one turn inserts
the page, drops the rows past MAX_ROWS at the other end (console/ui/message_pages.py) and lays
out rows whose sizes are all cached (~2.5 ms of CPU for 250).

One read at a time: a page asked for while one is on its way is asked for again by the view
when this one lands (`next_page`); a jump (`around`) overtakes a page on its way, whose answer
is then dropped. The reads share one worker thread, started with the first and stopped by
`stop` (the view stops it when it is hidden): starting a thread per read made the GUI thread
wait for each thread to start, milliseconds on a busy machine.

    pager = MessagePager(model, warm=delegate.warm, settle=view.doItemsLayout,
                         keep=view.visible_rows, next_page=view.prefetch, parent=view)
    pager.older() / pager.newer()     # the next page beyond the top / the bottom, if any
    pager.around(key, done)           # a window around `key`; done(True) once it is shown
    pager.stop()                      # before the service goes: waits for a read under way
    pager.stop(wait=False)            # hidden: drop what is on its way, let the worker end
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from console.services.types import MessageRow
from console.timing import MESSAGE_MEASURE_BUDGET_MS
from console.ui.gui_thread import assert_gui_thread
from console.ui.message_model import WINDOW_SIZE, MessageListModel
from console.ui.message_pages import AroundRequest, NewestRequest, PageRequest
from console.ui.qt import QObject, QTimer, Signal
from console.ui.tasks import TaskRunner

log = logging.getLogger("console.ui.message_pager")

WARM_BUDGET_MS = MESSAGE_MEASURE_BUDGET_MS  # console/timing.py

Pair = tuple[MessageRow, MessageRow | None]  # a row and the row above it once inserted


@dataclass(frozen=True)
class PageLoad:
    """How one read went (benchmarks and tests listen to `pageLoaded`)."""

    kind: str  # "older", "newer", "around" or "newest"
    rows: int  # rows added (around: the window's rows)
    read_ms: float  # the read, on the worker
    warm_ms: float  # measuring the new rows on the GUI thread, over `warm_turns` turns
    warm_turns: int
    apply_ms: float  # insert, drop and layout: one GUI turn
    loaded: int  # rows in the model afterwards


class MessagePager(QObject):
    pageLoaded = Signal(object)  # PageLoad, after a read was applied

    def __init__(
        self,
        model: MessageListModel,
        *,
        warm: Callable[[MessageRow, MessageRow | None], None],
        settle: Callable[[], None],
        keep: Callable[[], tuple[int, int] | None],
        next_page: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._warm = warm
        self._settle = settle
        self._keep = keep
        self._next_page = next_page
        self._token = 0  # the read whose answer is wanted; older answers are dropped
        self._busy = False
        self._kind = ""  # what is on its way: "page" or "around" ("" nothing)
        self._lost: Callable[[], None] | None = None  # tells a jump its read went nowhere
        self._runner: TaskRunner | None = None
        self._steps: _Steps | None = None  # the page being measured

    @property
    def busy(self) -> bool:
        """A read is on its way or being brought in."""
        return self._busy

    def older(self) -> bool:
        """Read the page above the window; False when one is on its way or there is none."""
        return self._page(older=True)

    def newer(self) -> bool:
        """Read the page below the window (it ends before the newest message)."""
        return self._page(older=False)

    def around(
        self,
        key: str,
        done: Callable[[bool], None],
        *,
        before: int = WINDOW_SIZE,
        after: int = WINDOW_SIZE,
    ) -> bool:
        """Read a window around the open conversation's message `key` and show it in place
        of the loaded rows; `done(shown)` follows on the GUI thread (False: not there, or
        another conversation opened meanwhile)."""
        assert_gui_thread()
        request = self._model.around_request(key, before=before, after=after)
        if request is None:
            return False
        self._start(
            "around",
            request.read,
            lambda rows, read_ms: self._bring_around(request, rows, read_ms, done),
            lambda: done(False),
        )
        return True

    def newest(
        self,
        request: NewestRequest,
        done: Callable[[bool], None],
        *,
        still: Callable[[], bool] = lambda: True,
    ) -> bool:
        """Read the newest messages for a view that follows them (a burst arrived) and show
        them, unless `still()` is False by then (the user scrolled away); `done(shown)`
        follows on the GUI thread. It overtakes a page on its way (the window is about to
        become the newest rows), never a jump: False then, and nothing is read (the jump's
        window replaces this one anyway)."""
        assert_gui_thread()
        if self._kind == "around":
            return False
        self._drop()
        self._start(
            "newest",
            request.read,
            lambda rows, read_ms: self._bring_newest(request, rows, read_ms, done, still),
            lambda: done(False),
        )
        return True

    def cancel_around(self) -> None:
        """Drop a window around a message on its way (the user jumped elsewhere meanwhile):
        its `done(False)` follows at once."""
        if self._kind == "around":
            self._drop()

    def stop(self, *, wait: bool = True) -> None:
        """Drop what is on its way (a jump's `done(False)` follows at once) and stop the
        worker; `wait`: until a read under way ends (its service may be about to close)."""
        assert_gui_thread()
        self._drop()
        if self._runner is not None:
            self._runner.shutdown(wait=wait)
            self._runner.deleteLater()
            self._runner = None

    # -- reads ---------------------------------------------------------------------------------
    def _page(self, *, older: bool) -> bool:
        assert_gui_thread()
        if self._busy:
            return False
        request = self._model.page_request(older=older)
        if request is None:
            return False
        self._start(
            "page", request.read, lambda rows, read_ms: self._bring_page(request, rows, read_ms)
        )
        return True

    def _start(
        self,
        kind: str,
        read: Callable[[], list[MessageRow]],
        then: Callable[[list[MessageRow], float], None],
        lost: Callable[[], None] | None = None,
    ) -> None:
        overtaken = self._lost  # a read on its way is told it went nowhere (once this starts)
        self._token += 1
        token = self._token
        self._busy, self._kind, self._lost = True, kind, lost
        if self._runner is None:
            self._runner = TaskRunner(self, max_workers=1)

        def timed() -> tuple[list[MessageRow], float]:
            began = time.perf_counter()
            rows = read()
            return rows, (time.perf_counter() - began) * 1000

        def answered(result: tuple[list[MessageRow], float]) -> None:
            if token == self._token:
                then(*result)

        def failed(exc: BaseException) -> None:
            if token != self._token:
                return
            log.warning("reading messages failed: %r", exc)
            self._settled()
            if lost is not None:
                lost()

        self._runner.submit(timed, on_success=answered, on_failure=failed)
        if overtaken is not None:
            overtaken()

    # -- bringing a page in --------------------------------------------------------------------
    def _bring_page(self, request: PageRequest, rows: list[MessageRow], read_ms: float) -> None:
        token = self._token
        model = self._model
        if not model.is_current(request):
            self._done()
            return
        fresh = [row for row in (reversed(rows) if request.older else rows)
                 if row.key not in model.loaded()]
        pairs: list[Pair] = list(zip(fresh, [None, *fresh[:-1]], strict=True))
        edge = model.message_at(0 if request.older else model.rowCount() - 1)
        if fresh and edge is not None:
            if request.older:
                pairs.append((edge, fresh[-1]))  # the old first row, below the page
            else:
                pairs[0] = (fresh[0], edge)

        def apply(warm_ms: float, turns: int) -> None:
            began = time.perf_counter()
            added = model.apply_page(request, rows, keep=self._keep())
            if added > 0:
                self._settle()
            apply_ms = (time.perf_counter() - began) * 1000
            if added >= 0:
                kind = "older" if request.older else "newer"
                self.pageLoaded.emit(
                    PageLoad(kind, added, read_ms, warm_ms, turns, apply_ms, model.rowCount())
                )
            self._done()

        self._measure(pairs, token, lambda: model.is_current(request), apply)

    def _bring_around(
        self,
        request: AroundRequest,
        rows: list[MessageRow],
        read_ms: float,
        done: Callable[[bool], None],
    ) -> None:
        token = self._token
        oldest_first = list(reversed(rows))
        pairs: list[Pair] = list(zip(oldest_first, [None, *oldest_first[:-1]], strict=True))

        def show(warm_ms: float, turns: int) -> None:
            began = time.perf_counter()
            shown = self._model.show_around(request, rows)
            apply_ms = (time.perf_counter() - began) * 1000
            self._settled()
            if shown:
                self.pageLoaded.emit(
                    PageLoad("around", len(rows), read_ms, warm_ms, turns, apply_ms,
                             self._model.rowCount())
                )
            done(shown)

        def lost() -> None:
            self._settled()
            done(False)

        self._measure(pairs, token, lambda: self._model.is_current(request), show, lost)

    def _bring_newest(
        self,
        request: NewestRequest,
        rows: list[MessageRow],
        read_ms: float,
        done: Callable[[bool], None],
        still: Callable[[], bool],
    ) -> None:
        token = self._token
        model = self._model
        # As they will be once shown: loaded rows equal to the read ones stay (and keep their
        # cached sizes), so only the new ones are measured.
        oldest_first = [model.newest_object(row) for row in reversed(rows)]
        pairs: list[Pair] = list(zip(oldest_first, [None, *oldest_first[:-1]], strict=True))

        def show(warm_ms: float, turns: int) -> None:
            began = time.perf_counter()
            shown = still() and model.show_newest(request, rows)
            if shown:
                self._settle()
            apply_ms = (time.perf_counter() - began) * 1000
            self._settled()
            if shown:
                self.pageLoaded.emit(
                    PageLoad("newest", len(rows), read_ms, warm_ms, turns, apply_ms,
                             model.rowCount())
                )
            done(shown)

        def lost() -> None:
            self._settled()
            done(False)

        self._measure(
            pairs, token, lambda: model.is_current(request) and still(), show, lost
        )

    def _measure(
        self,
        pairs: list[Pair],
        token: int,
        current: Callable[[], bool],
        then: Callable[[float, int], None],
        lost: Callable[[], None] | None = None,
    ) -> None:
        """Measure `pairs` WARM_BUDGET_MS per event-loop turn, then `then(ms, turns)` on a
        turn of its own (the insert and its layout); stop (calling `lost`, else ending the
        read) once another read took over or the window moved on."""
        self._steps = _Steps(self, pairs, token, current, then, lost or self._done)
        self._steps.step()

    def _still(self, token: int) -> bool:
        return token == self._token

    def _done(self) -> None:
        self._settled()
        self._next_page()  # the view may want the next page already (a fast scroll)

    def _settled(self) -> None:
        self._busy, self._kind, self._lost = False, "", None

    def _drop(self) -> None:
        """Forget what is on its way: its answer, when it comes, is stale."""
        lost = self._lost
        self._token += 1
        self._settled()
        if lost is not None:
            lost()


class _Steps:
    """One page being measured a turn at a time (a class, not nested functions calling
    themselves: those are reference cycles only the garbage collector frees)."""

    def __init__(
        self,
        pager: MessagePager,
        pairs: list[Pair],
        token: int,
        current: Callable[[], bool],
        then: Callable[[float, int], None],
        lost: Callable[[], None],
    ) -> None:
        self._pager = pager
        self._pairs = pairs
        self._token = token
        self._current = current
        self._then = then
        self._lost = lost
        self._position = 0
        self._ms = 0.0
        self._turns = 0

    def _live(self) -> bool:
        if not self._pager._still(self._token):
            return False  # overtaken: that read finishes the work
        if not self._current():
            self._lost()
            return False
        return True

    def step(self) -> None:
        if not self._live():
            return
        warm, pairs = self._pager._warm, self._pairs
        began = time.perf_counter()
        deadline = began + WARM_BUDGET_MS / 1000
        while self._position < len(pairs):
            warm(*pairs[self._position])
            self._position += 1
            if time.perf_counter() >= deadline:
                break
        self._ms += (time.perf_counter() - began) * 1000
        self._turns += 1
        more = self._position < len(pairs)
        QTimer.singleShot(0, self._pager, self.step if more else self.finish)

    def finish(self) -> None:
        if self._live():
            self._then(self._ms, self._turns)
