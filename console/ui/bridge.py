"""The one adapter between the Qt-free services and Qt: listener callbacks become GUI signals.

Services call their listeners from whatever thread did the work (the sync engine's, or the GUI
thread for a local send). The bridge turns each call into a queued signal, so every slot
connected to `changes`, `sync_status` and `notice` runs on the GUI thread, and it coalesces a
burst of change sets (a sync batch often arrives as several) into one, so views re-read once.

Leading edge, then coalescing: the first change after a quiet spell goes out at the next turn
of the event loop (with whatever was queued alongside it), so a lone inbound message is not
held back; while changes keep coming they go out at most once per debounce interval.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from console.services.pacing import GUI_PACER, HEARTBEAT_MS, GuiPacer
from console.services.types import ChangeSet, Notice, SyncStatus
from console.timing import BEAT_FOR_MS, CHANGE_DEBOUNCE_MS
from console.ui.gui_thread import assert_gui_thread
from console.ui.qt import QObject, Qt, QTimer, Signal

log = logging.getLogger("console.ui.bridge")

# The GUI heartbeat (console/sync/pacing.py) runs while changes flow, and BEAT_FOR_MS after.
DEFAULT_DEBOUNCE_MS = CHANGE_DEBOUNCE_MS


def merge_changes(changes: Iterable[ChangeSet]) -> ChangeSet:
    """One change set that covers all of `changes`."""
    conversations: set[str] = set()
    messages: dict[str, set[str]] = {}
    contacts: set[str] = set()
    numbers: set[str] = set()
    groups: set[str] = set()
    group_messages: set[str] = set()
    scheduled: set[str] = set()
    templates: set[str] = set()
    contact_imports: set[str] = set()
    quiet_hours = False
    reset = False
    for change in changes:
        conversations |= change.conversations
        for conversation_id, keys in change.messages.items():
            messages.setdefault(conversation_id, set()).update(keys)
        contacts |= change.contacts
        numbers |= change.numbers
        groups |= change.groups
        group_messages |= change.group_messages
        scheduled |= change.scheduled
        templates |= change.templates
        contact_imports |= change.contact_imports
        quiet_hours = quiet_hours or change.quiet_hours
        reset = reset or change.reset
    return ChangeSet(
        conversations=frozenset(conversations),
        messages={cid: frozenset(keys) for cid, keys in messages.items()},
        contacts=frozenset(contacts),
        numbers=frozenset(numbers),
        reset=reset,
        groups=frozenset(groups),
        group_messages=frozenset(group_messages),
        scheduled=frozenset(scheduled),
        templates=frozenset(templates),
        contact_imports=frozenset(contact_imports),
        quiet_hours=quiet_hours,
    )


class ServiceBridge(QObject):
    """Re-emits service listener calls as GUI-thread signals.

    Create it on the GUI thread, `attach()` the listeners, and `close()` it before the services
    go away (after close, late calls from a worker are dropped, never delivered to a dead object).
    """

    changes = Signal(object)  # ChangeSet, merged over the debounce interval
    sync_status = Signal(object)  # SyncStatus, latest only
    notice = Signal(object)  # Notice

    # Internal hops from any thread to the GUI thread.
    _raw_changes = Signal(object)
    _raw_status = Signal(object)
    _raw_notice = Signal(object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        debounce_ms: int = DEFAULT_DEBOUNCE_MS,
        pacer: GuiPacer = GUI_PACER,
    ):
        super().__init__(parent)
        assert_gui_thread()
        self._lock = threading.Lock()
        self._closed = False
        self._disconnects: list[Callable[[], None]] = []
        self._pending: list[ChangeSet] = []
        self._debounce_s = debounce_ms / 1000
        self._delivered_at = -float("inf")  # time.monotonic() of the last delivery
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        # While changes flow, beat so a catch-up gives way when this thread is busy.
        self._pacer = pacer
        self._beating = False
        self._beat_timer = QTimer(self)
        self._beat_timer.setInterval(HEARTBEAT_MS)
        self._beat_timer.timeout.connect(pacer.beat)
        self._quiet_timer = QTimer(self)
        self._quiet_timer.setSingleShot(True)
        self._quiet_timer.setInterval(BEAT_FOR_MS)
        self._quiet_timer.timeout.connect(self._stop_beating)
        queued = Qt.ConnectionType.QueuedConnection
        self._raw_changes.connect(self._collect_changes, queued)
        self._raw_status.connect(self._deliver_status, queued)
        self._raw_notice.connect(self._deliver_notice, queued)

    # -- called by services, from any thread -------------------------------------------------
    def on_changes(self, change: ChangeSet) -> None:
        with self._lock:
            if self._closed:
                return
            self._raw_changes.emit(change)

    def on_sync_status(self, status: SyncStatus) -> None:
        with self._lock:
            if self._closed:
                return
            self._raw_status.emit(status)

    def on_notice(self, notice: Notice) -> None:
        with self._lock:
            if self._closed:
                return
            self._raw_notice.emit(notice)

    # -- wiring -------------------------------------------------------------------------------
    def track(self, disconnect: Callable[[], None]) -> None:
        """Remember a listener's disconnect function, called by close()."""
        self._disconnects.append(disconnect)

    def close(self) -> None:
        """Disconnect from the services and drop anything not yet delivered."""
        assert_gui_thread()
        for disconnect in self._disconnects:
            disconnect()
        self._disconnects.clear()
        with self._lock:
            self._closed = True
        self._timer.stop()
        self._pending.clear()
        self._stop_beating()

    @property
    def closed(self) -> bool:
        return self._closed

    # -- GUI thread -------------------------------------------------------------------------
    def _collect_changes(self, change: ChangeSet) -> None:
        assert_gui_thread()
        if self._closed or change.is_empty():
            return
        self._pending.append(change)
        self._keep_beating()
        if not self._timer.isActive():
            # After a quiet spell: at the next loop turn (what was queued with it rides along).
            # Otherwise one interval after the last delivery: later changes ride along, so a
            # steady stream reaches the views every interval instead of starving them.
            since = time.monotonic() - self._delivered_at
            self._timer.start(round(max(0.0, self._debounce_s - since) * 1000))

    def flush(self) -> None:
        """Deliver what is pending now (also what the debounce timer calls)."""
        assert_gui_thread()
        self._timer.stop()
        if self._closed or not self._pending:
            return
        merged = merge_changes(self._pending)
        self._pending.clear()
        self._delivered_at = time.monotonic()
        with self._pacer.busy_while():  # a catch-up waits for the views (pacing.py)
            self.changes.emit(merged)

    def _keep_beating(self) -> None:
        if not self._beating:
            self._beating = True
            self._pacer.start_beating()
            self._beat_timer.start()
        self._quiet_timer.start()

    def _stop_beating(self) -> None:
        self._quiet_timer.stop()
        if self._beating:
            self._beating = False
            self._beat_timer.stop()
            self._pacer.stop_beating()

    def _deliver_status(self, status: SyncStatus) -> None:
        assert_gui_thread()
        if not self._closed:
            self.sync_status.emit(status)

    def _deliver_notice(self, notice: Notice) -> None:
        assert_gui_thread()
        if not self._closed:
            self.notice.emit(notice)
