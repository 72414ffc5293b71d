"""The status bar's sync indicator says where sync stands, in a few words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from console.services.types import DetailCode, StatusDetail, SyncState, SyncStatus
from console.ui.formatting import local
from console.ui.sync_status import SyncStatusWidget, describe, synced_ago

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
    assert describe(one) == "Offline - showing cached data - 1 change waiting to send"
    assert describe(three) == "Offline - showing cached data - 3 changes waiting to send"


def test_widget_shows_status_and_detail(qtbot: QtBot) -> None:
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    assert widget.objectName() == "syncStatus"
    assert widget.text() == "Connecting..."
    unreachable = StatusDetail.of(DetailCode.RETRY_UNREACHABLE, seconds=4)
    offline = SyncStatus(SyncState.OFFLINE, detail=unreachable)
    widget.set_status(offline)
    assert widget.status == offline
    assert widget.text() == "Offline - showing cached data"
    assert widget.toolTip() == "Backend unreachable - retrying in 4 seconds"
    assert widget.accessibleDescription() == "Offline - showing cached data"


NOW = datetime(2025, 11, 12, 16, 30, 0, tzinfo=UTC)


def test_offline_says_when_the_cache_was_last_synced() -> None:
    def offline(minutes_ago: float) -> str:
        status = SyncStatus(SyncState.OFFLINE, NOW - timedelta(minutes=minutes_ago))
        return describe(status, NOW)

    assert offline(0.2) == "Offline - showing cached data (last synced just now)"
    assert offline(1) == "Offline - showing cached data (last synced 1 min ago)"
    assert offline(59) == "Offline - showing cached data (last synced 59 min ago)"
    older = SyncStatus(SyncState.OFFLINE, SYNCED, pending_outbox=2)
    assert describe(older, NOW) == (
        f"Offline - showing cached data (last synced {synced_ago(SYNCED, NOW)})"
        " - 2 changes waiting to send"
    )


def test_synced_ago_in_words() -> None:
    now = datetime(2025, 11, 12, 16, 30).astimezone()  # 16:30 local, whatever the zone
    assert synced_ago(now - timedelta(seconds=5), now) == "just now"
    assert synced_ago(now - timedelta(minutes=12), now) == "12 min ago"
    today = now.replace(hour=8, minute=5)
    assert synced_ago(today, now) == "at 08:05"
    yesterday = today - timedelta(days=1)
    assert synced_ago(yesterday, now) == "yesterday at 08:05"
    earlier = today - timedelta(days=3)
    assert synced_ago(earlier, now) == f"on {earlier.day} {earlier.strftime('%b')} at 08:05"
    assert synced_ago(earlier.replace(year=now.year - 1), now) == (
        f"on {earlier.day} {earlier.strftime('%b')} {now.year - 1} at 08:05"
    )
    last_year = today.replace(year=today.year - 1)
    assert synced_ago(last_year, now).endswith(f"{last_year.year} at 08:05")


def test_offline_wording_moves_on_while_nothing_else_changes(qtbot: QtBot) -> None:
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    synced = datetime.now(UTC) - timedelta(seconds=10)
    unreachable = StatusDetail.of(DetailCode.RETRY_UNREACHABLE, seconds=1)
    widget.set_status(SyncStatus(SyncState.OFFLINE, synced, detail=unreachable))
    assert widget.text() == "Offline - showing cached data (last synced just now)"
    assert widget._refresh.isActive()  # re-worded every REFRESH_MS while offline
    widget.refresh(now=synced + timedelta(minutes=7))
    assert widget.text() == "Offline - showing cached data (last synced 7 min ago)"
    live = StatusDetail(DetailCode.LIVE)
    widget.set_status(SyncStatus(SyncState.ONLINE, synced, live=True, detail=live))
    assert widget.text() == f"Online - synced {local(synced).strftime('%H:%M:%S')}"
    assert widget.toolTip() == "Live updates on"
    assert not widget._refresh.isActive()
