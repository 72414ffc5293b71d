"""The status bar's sync indicator says where sync stands, in a few words."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from console.services.types import SyncState, SyncStatus
from console.ui.formatting import local
from console.ui.sync_status import SyncStatusWidget, describe

SYNCED = datetime(2025, 11, 12, 14, 5, 12, tzinfo=UTC)


def test_describe_each_state() -> None:
    clock = local(SYNCED).strftime("%H:%M:%S")
    assert describe(SyncStatus(SyncState.ONLINE, SYNCED)) == f"Online - synced {clock}"
    assert describe(SyncStatus(SyncState.ONLINE)) == "Online"
    assert describe(SyncStatus(SyncState.CONNECTING)) == "Connecting..."
    assert describe(SyncStatus(SyncState.OFFLINE)) == "Offline - showing cached data"


def test_describe_counts_what_waits_to_be_sent() -> None:
    one = SyncStatus(SyncState.OFFLINE, pending_outbox=1)
    three = SyncStatus(SyncState.OFFLINE, pending_outbox=3)
    assert describe(one) == "Offline - showing cached data - 1 message waiting to send"
    assert describe(three) == "Offline - showing cached data - 3 messages waiting to send"


def test_widget_shows_status_and_detail(qtbot: QtBot) -> None:
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    assert widget.objectName() == "syncStatus"
    assert widget.text() == "Connecting..."
    offline = SyncStatus(SyncState.OFFLINE, detail="Backend unreachable: retrying in 4 s")
    widget.set_status(offline)
    assert widget.status == offline
    assert widget.text() == "Offline - showing cached data"
    assert widget.toolTip() == "Backend unreachable: retrying in 4 s"
    assert widget.accessibleDescription() == "Offline - showing cached data"
