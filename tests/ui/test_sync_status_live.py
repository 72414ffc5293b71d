"""The status bar indicator follows a real connection: connecting, online (live), offline with
the time of the last sync, connecting again, online again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import AuthService
from console.services.sync_service import RealtimeOptions
from console.services.workspace import open_workspace
from console.ui.bridge import ServiceBridge
from console.ui.sync_status import SyncStatusWidget
from tests.support.backend_process import BackendProcess
from tests.sync.fault_proxy import FaultProxy
from tests.sync.realtime_support import HEARTBEAT_S, start_backend

WAIT_MS = 10_000


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[BackendProcess]:
    started = start_backend(tmp_path / "backend.db")
    yield started
    started.stop()


@pytest.fixture
def proxy(backend: BackendProcess) -> Iterator[FaultProxy]:
    host, port = backend.url.rsplit("//", 1)[1].rsplit(":", 1)
    fault = FaultProxy(host, int(port)).start()
    yield fault
    fault.close()


def test_status_bar_shows_connecting_online_offline_and_back(
    qtbot: QtBot, backend: BackendProcess, proxy: FaultProxy
) -> None:
    login = AuthService().login(backend.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    bridge = ServiceBridge()
    bridge.sync_status.connect(widget.set_status)
    shown: list[str] = []
    bridge.sync_status.connect(lambda _status: shown.append(widget.text()))

    proxy.hold()  # the network is slow to answer at first
    ws = open_workspace(
        login.cache_path,
        proxy.url,
        login.token,
        login.user,
        poll_interval=0.2,
        realtime=RealtimeOptions(heartbeat_s=HEARTBEAT_S),
    )
    try:
        bridge.track(ws.sync.status_changed.connect(bridge.on_sync_status))
        widget.set_status(ws.sync.status)
        ws.start()
        assert widget.text() == "Connecting..."

        proxy.release()
        qtbot.waitUntil(lambda: widget.status is not None and widget.status.live, timeout=WAIT_MS)
        assert widget.text().startswith("Online - synced ")
        assert widget.toolTip() == "Live updates on"

        # The backend becomes unreachable: the stream drops, the catch-up fails.
        proxy.refuse_all = True
        proxy.cut_all()
        offline = "Offline - showing cached data (last synced just now)"
        qtbot.waitUntil(lambda: widget.text() == offline, timeout=WAIT_MS)
        assert widget.toolTip().startswith("Backend unreachable - retrying in ")
        assert widget.toolTip().endswith((" second", " seconds"))

        # It answers again, slowly: the next attempt shows that it is connecting...
        shown.clear()
        proxy.hold()
        proxy.refuse_all = False
        qtbot.waitUntil(lambda: widget.text() == "Connecting...", timeout=WAIT_MS)
        proxy.release()
        # ...and then it is online and live again.
        qtbot.waitUntil(lambda: widget.status is not None and widget.status.live, timeout=WAIT_MS)
        assert widget.text().startswith("Online - synced ")
        assert "Connecting..." in shown
        assert shown.index("Connecting...") < len(shown) - 1
    finally:
        bridge.close()
        ws.close()
