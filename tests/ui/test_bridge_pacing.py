"""The bridge's timing rules: a change after a quiet spell goes out at once (not after the
debounce interval), a burst right behind it waits for the interval; and while it hands
changes to the views, a catch-up sees the GUI as busy (console/sync/pacing.py)."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from console.services.listeners import Listeners
from console.services.pacing import GuiPacer
from console.services.types import ChangeSet
from console.ui.bridge import ServiceBridge

LONG_MS = 60_000  # a debounce interval no test waits for


def from_worker(changes: Listeners[ChangeSet], *sets: ChangeSet) -> None:
    def emit_all() -> None:
        for change_set in sets:
            changes.emit(change_set)

    worker = threading.Thread(target=emit_all)
    worker.start()
    worker.join(5)


def test_the_first_change_after_a_quiet_spell_is_not_held_back(qtbot: QtBot) -> None:
    changes: Listeners[ChangeSet] = Listeners()
    bridge = ServiceBridge(debounce_ms=LONG_MS, pacer=GuiPacer())
    bridge.track(changes.connect(bridge.on_changes))
    received: list[ChangeSet] = []
    bridge.changes.connect(received.append)

    # Well before the interval: at the next turn of the event loop.
    from_worker(changes, ChangeSet(conversations=frozenset({"a"})))
    qtbot.waitUntil(lambda: len(received) == 1, timeout=5_000)

    # Right behind it, a burst waits for the interval (flushed by hand here), merged.
    from_worker(changes, ChangeSet(conversations=frozenset({"b"})),
                ChangeSet(conversations=frozenset({"c"})))
    with qtbot.assertNotEmitted(bridge.changes, wait=300):
        pass
    bridge.flush()
    assert [r.conversations for r in received] == [frozenset({"a"}), frozenset({"b", "c"})]
    bridge.close()


def test_the_gui_is_busy_while_views_apply_changes_and_beats_while_they_flow(
    qtbot: QtBot,
) -> None:
    pacer = GuiPacer()
    changes: Listeners[ChangeSet] = Listeners()
    bridge = ServiceBridge(debounce_ms=10, pacer=pacer)
    bridge.track(changes.connect(bridge.on_changes))
    busy_in_slot: list[bool] = []
    bridge.changes.connect(lambda _c: busy_in_slot.append(pacer.busy()))
    assert not pacer.busy()

    from_worker(changes, ChangeSet(conversations=frozenset({"a"})))
    qtbot.waitUntil(lambda: bool(busy_in_slot), timeout=5_000)
    assert busy_in_slot == [True]  # the engine waits while the views work
    # Back in the event loop, beating: not busy, and nothing for an engine to wait for.
    qtbot.waitUntil(lambda: not pacer.busy(), timeout=5_000)
    assert pacer.wait_turn() == 0.0
    bridge.close()
    assert not pacer.busy()  # closed: no heartbeat, never busy
