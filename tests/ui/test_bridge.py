"""The bridge: worker-thread listener calls arrive as GUI-thread signals, bursts coalesced."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from console.services.listeners import Listeners
from console.services.types import ChangeSet, Notice, SyncState, SyncStatus
from console.ui.bridge import ServiceBridge, merge_changes
from console.ui.gui_thread import is_gui_thread


def run_in_thread(work: Callable[[], None]) -> None:
    worker = threading.Thread(target=work, name="fake-sync-engine")
    worker.start()
    worker.join(5)
    assert not worker.is_alive()


def test_merge_changes_unions_everything() -> None:
    merged = merge_changes(
        [
            ChangeSet(conversations=frozenset({"a"}), messages={"a": frozenset({"1"})}),
            ChangeSet(conversations=frozenset({"b"}), messages={"a": frozenset({"2"})}),
            ChangeSet(contacts=frozenset({"k"}), numbers=frozenset({"n"}), reset=True),
        ]
    )
    assert merged.conversations == {"a", "b"}
    assert merged.messages == {"a": {"1", "2"}}
    assert merged.contacts == {"k"}
    assert merged.numbers == {"n"}
    assert merged.reset


def test_a_burst_from_a_worker_arrives_once_on_the_gui_thread(qtbot: QtBot) -> None:
    changes: Listeners[ChangeSet] = Listeners()
    bridge = ServiceBridge(debounce_ms=40)
    bridge.track(changes.connect(bridge.on_changes))
    received: list[tuple[ChangeSet, bool]] = []
    bridge.changes.connect(lambda change: received.append((change, is_gui_thread())))

    def burst() -> None:
        for n in range(20):
            changes.emit(ChangeSet(messages={"c1": frozenset({str(n)})}))

    run_in_thread(burst)
    qtbot.waitUntil(lambda: bool(received), timeout=2000)
    with qtbot.assertNotEmitted(bridge.changes, wait=100):
        pass
    assert len(received) == 1
    change, on_gui_thread = received[0]
    assert on_gui_thread
    assert change.messages == {"c1": frozenset(str(n) for n in range(20))}
    bridge.close()


def test_status_and_notices_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    statuses: Listeners[SyncStatus] = Listeners()
    notices: Listeners[Notice] = Listeners()
    bridge = ServiceBridge()
    bridge.track(statuses.connect(bridge.on_sync_status))
    bridge.track(notices.connect(bridge.on_notice))
    seen: list[tuple[object, bool]] = []
    bridge.sync_status.connect(lambda status: seen.append((status, is_gui_thread())))
    bridge.notice.connect(lambda notice: seen.append((notice, is_gui_thread())))
    online = SyncStatus(SyncState.ONLINE, datetime.now(UTC))
    notice = Notice("warning", "No keyring")

    def emit_both() -> None:
        statuses.emit(online)
        notices.emit(notice)

    run_in_thread(emit_both)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=2000)
    assert seen == [(online, True), (notice, True)]
    bridge.close()


def test_nothing_is_delivered_after_close(qtbot: QtBot) -> None:
    changes: Listeners[ChangeSet] = Listeners()
    bridge = ServiceBridge(debounce_ms=10)
    bridge.track(changes.connect(bridge.on_changes))
    run_in_thread(lambda: changes.emit(ChangeSet(conversations=frozenset({"c1"}))))
    bridge.close()  # the queued call and the pending burst are both dropped
    with qtbot.assertNotEmitted(bridge.changes, wait=100):
        run_in_thread(lambda: changes.emit(ChangeSet(conversations=frozenset({"c2"}))))
    assert bridge.closed


def test_empty_change_sets_are_not_forwarded(qtbot: QtBot) -> None:
    bridge = ServiceBridge(debounce_ms=10)
    with qtbot.assertNotEmitted(bridge.changes, wait=100):
        bridge.on_changes(ChangeSet())
    bridge.close()
