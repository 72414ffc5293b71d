"""From the first paint to the app controller, keeping the window usable all along.

    startup = StartUp(window, args, started)
    QTimer.singleShot(0, startup.begin)     # once the window is shown
    ...
    startup.shutdown()                      # after the event loop

1. The conversation list's first page is read from the profile's cache file with the sqlite3
   module alone (console/store/first_page.py) and shown; once the list has painted its rows
   the log says "ready: N conversations in T ms". That is a real list of its first page: it
   scrolls, selects, filters by chip (each chip's own first page), and a conversation chosen
   now opens as soon as the services are in; further pages come with the services.
2. The services' imports (SQLAlchemy, pydantic, httpx, the sync engine: ~0.9 s of a cold start,
   PERFORMANCE.md) then run on the GUI thread one module per event-loop turn, so input and
   paints are handled between them. Not on a worker: an importing thread holds the interpreter
   lock, and every Python call of a paint waits for it (measured here: list repaints took
   15-20 ms instead of 4-8 ms while a worker imported these modules).
3. The app controller (console/app_controller.py) opens the workspace as before and says
   "workspace open: ..." once the services read the list.

With --demo, or no profile to open, or a cache this version must migrate first, step 1 is
skipped and the controller says "ready:" when its list has rows.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from console.domain.conversations import ConversationKind, ConversationStatus
from console.services.mapping import to_conversation_row
from console.services.types import ConversationRow
from console.store.first_page import FirstPageReader, latest_cache
from console.ui.qt import QEvent, QObject, QTimer

if TYPE_CHECKING:
    from console.app_controller import AppController
    from console.ui.main_window import MainWindow

log = logging.getLogger("console.app")

# The services' modules in the order they load after the first paint, one per event-loop turn:
# each step brings in what it needs that is not loaded yet. The order keeps the steps small
# (5-95 ms on a quiet machine here) except `sqlalchemy` (~190 ms), whose package import loads its
# whole core at once (tests/bench/bench_scale.py reports the longest step).
PRELOAD = (
    "sqlalchemy",
    "sqlalchemy.orm",
    "sqlalchemy.dialects.sqlite",
    "pydantic",
    "pydantic.main",
    "console.protocol.common",
    "console.protocol.auth",
    "console.protocol.conversations",
    "console.store.models",
    "console.store.queries",
    "console.store.apply",
    "console.services.conversations",
    "httpx",
    "console.sync.api_client",
    "console.sync.puller",
    "console.sync.pusher",
    "console.sync.engine",
    "keyring",
    "console.services.contacts",
    "console.services.groups",
    "console.services.group_chats",
    "console.services.history",
    "console.services.workspace",
    "console.services.auth",
    "console.startup",
    "console.app_controller",
)
# A window that never paints (not exposed) must not hold the start-up: go on after this.
PAINT_WAIT_MS = 1000


class ReadyLine:
    """The start-up's one "ready:" log line: the conversation list has painted rows."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.announced = False

    def elapsed_ms(self) -> int:
        return int((time.perf_counter() - self.started) * 1000)

    def announce(self, rows: int, how: str = "") -> None:
        if self.announced:
            return
        self.announced = True
        log.info("ready: %d conversations in %d ms%s", rows, self.elapsed_ms(), how)


class _PaintWatch(QObject):
    """Calls `then` once `window`'s conversation list has painted with rows (or gave up)."""

    def __init__(self, window: MainWindow, then: Callable[[bool], None]) -> None:
        super().__init__(window)
        self._window = window
        self._then = then
        self._done = False
        window.conversation_list.viewport().installEventFilter(self)
        QTimer.singleShot(PAINT_WAIT_MS, self, lambda: self._finish(painted=False))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._window.conversation_model.rowCount() > 0:
            # After this paint has been done: the next event-loop turn.
            QTimer.singleShot(0, self, lambda: self._finish(painted=True))
        return False

    def _finish(self, *, painted: bool) -> None:
        if self._done:
            return
        self._done = True
        self._window.conversation_list.viewport().removeEventFilter(self)
        self._then(painted)
        self.deleteLater()


class StartUp(QObject):
    def __init__(self, window: MainWindow, args: argparse.Namespace, started: float) -> None:
        super().__init__(window)
        self.window = window
        self.args = args
        self.ready = ReadyLine(started)
        self.controller: AppController | None = None
        self._steps = list(PRELOAD)
        self._loading_began = 0.0
        self._longest = (0.0, "")
        self._stopped = False

    # -- 1. the list from the cache file -----------------------------------------------------
    def begin(self) -> None:
        rows = 0 if self.args.demo else self._show_cached()
        if rows:
            _PaintWatch(self.window, lambda painted: self._painted(painted, rows))
        else:
            self._load_services()

    def _show_cached(self) -> int:
        """Show the first page of the profile start-up will open; its row count (0: none)."""
        began = time.perf_counter()
        path = latest_cache(server_url=self.args.server, profile=self.args.profile)
        if path is None:
            return 0
        reader = FirstPageReader.open(path)
        if reader is None:
            return 0
        try:
            unread = reader.unread_counts()
        except sqlite3.Error as exc:
            log.info("cache %s not read ahead of the services: %s", path, exc)
            return 0
        finally:
            reader.close()
        self.window.show_cached_list(_first_page_of(path), unread)
        rows = self.window.conversation_model.rowCount()
        log.info("%d conversations read from %s in %d ms, before the services", rows, path,
                 (time.perf_counter() - began) * 1000)
        return rows

    def _painted(self, painted: bool, rows: int) -> None:
        if painted and self.window.conversation_model.rowCount() > 0:
            self.ready.announce(rows, " (from the cache file; services loading)")
        self._load_services()

    # -- 2. the services' imports, one module per turn ---------------------------------------
    def _load_services(self) -> None:
        self._loading_began = time.perf_counter()
        QTimer.singleShot(0, self, self._next_step)

    def _next_step(self) -> None:
        if self._stopped:
            return
        if not self._steps:
            self._start_controller()
            return
        name = self._steps.pop(0)
        began = time.perf_counter()
        try:
            importlib.import_module(name)
        except ImportError:  # a renamed module: whatever it was is loaded by the last step
            log.warning("start-up preload: no module %s", name)
        spent = time.perf_counter() - began
        if spent > self._longest[0]:
            self._longest = (spent, name)
        QTimer.singleShot(0, self, self._next_step)

    # -- 3. the controller ---------------------------------------------------------------------
    def _start_controller(self) -> None:
        from console.app_controller import AppController

        log.info(
            "services loaded in %d ms (%d steps, the longest %d ms: %s)",
            (time.perf_counter() - self._loading_began) * 1000, len(PRELOAD),
            self._longest[0] * 1000, self._longest[1],
        )
        self.controller = AppController(self.window, self.args, self.ready.started,
                                         ready=self.ready)
        self.controller.start()

    def shutdown(self) -> None:
        self._stopped = True
        if self.controller is not None:
            self.controller.shutdown()


def _first_page_of(path: Path) -> Callable[..., list[ConversationRow]]:
    """The list's first page of `path` as ConversationService.list_page reads it, narrowed to a
    kind or a status (a chip); a connection each time (chips clicked before the services)."""

    def first_page(
        *, limit: int, kind: ConversationKind | None = None,
        status: ConversationStatus | None = None,
    ) -> list[ConversationRow]:
        reader = FirstPageReader.open(path)
        if reader is None:
            return []
        try:
            views = reader.first_page(limit=limit, kind=kind.value if kind else None,
                                      status=status.value if status else None)
        except sqlite3.Error as exc:  # the services read it in a moment
            log.info("cache %s not read ahead of the services: %s", path, exc)
            return []
        finally:
            reader.close()
        return [to_conversation_row(view) for view in views]

    return first_page
