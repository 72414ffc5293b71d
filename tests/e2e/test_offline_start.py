"""Backend down at console start: the window opens from the cache and shows offline; a message
composed meanwhile goes out exactly once when the backend comes back (same port, same DB)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.app_controller import AppController
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import AuthService
from console.services.types import SyncState
from console.startup import open_from_login
from console.ui.main_window import MainWindow
from console.ui.message_model import MessageListModel
from console.ui.qt import QSettings, Qt
from tests.support.backend_process import BackendProcess, sqlite_url

pytestmark = pytest.mark.slow


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[BackendProcess]:
    process = BackendProcess(sqlite_url(tmp_path / "backend.db"), args=["--seed", "demo"]).start()
    yield process
    process.stop()


def _sign_in_and_sync(qtbot: QtBot, backend: BackendProcess) -> None:
    """A previous session: sign in (token to the keyring), sync the cache, close."""
    result = AuthService().login(backend.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    workspace = open_from_login(result)
    try:
        workspace.start()
        qtbot.waitUntil(lambda: len(workspace.conversations.list_conversations()) >= 5,
                        timeout=15_000)
    finally:
        workspace.close()


def test_offline_start_then_backend_returns_sends_once(
    qtbot: QtBot, backend: BackendProcess, tmp_path: Path
) -> None:
    _sign_in_and_sync(qtbot, backend)
    backend.stop()

    window = MainWindow(settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    args = argparse.Namespace(demo=False, server=backend.url, profile=None, exit_when_ready=False)
    controller = AppController(window, args, time.perf_counter())
    controller.start()
    try:
        # The cached conversations show, and the status says offline.
        qtbot.waitUntil(lambda: window.conversation_model.rowCount() >= 5, timeout=10_000)
        assert controller.workspace is not None
        workspace = controller.workspace
        qtbot.waitUntil(lambda: workspace.sync.status.state is SyncState.OFFLINE, timeout=10_000)
        # The status reaches the widget through a queued signal, a moment after the service.
        qtbot.waitUntil(lambda: "Offline" in window.sync_status.text(), timeout=5_000)

        conversation = workspace.conversations.list_conversations()[0]
        assert window.select_conversation(conversation.id)
        body = f"Composed while offline {time.time_ns()}"
        qtbot.keyClicks(window.compose.edit, body)
        qtbot.keyClick(window.compose.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

        model = window.conversation_panel.model

        def row_status() -> str | None:
            for row in range(model.rowCount()):
                index = model.index(row, 0)
                if index.data(MessageListModel.BodyRole) == body:
                    return str(index.data(MessageListModel.StatusRole))
            return None

        qtbot.waitUntil(lambda: row_status() == "pending", timeout=3_000)

        # The backend comes back on the same address with the same database.
        revived = BackendProcess(backend.db_url, port=backend.port).start()
        try:
            # The engine retries with backoff capped at 15 s (+-20%), so allow for one full wait.
            qtbot.waitUntil(lambda: row_status() == "delivered", timeout=40_000)
            token = revived.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
            with revived.client(token) as http:
                messages = http.get(f"/v1/conversations/{conversation.id}/messages",
                                    params={"limit": 500}).json()["items"]
                handset = http.get("/v1/simulator/outbox", params={"limit": 500}).json()["items"]
            assert [m["body"] for m in messages].count(body) == 1
            assert [m["body"] for m in handset].count(body) == 1
            # And the window shows it once.
            bodies = [model.index(r, 0).data(MessageListModel.BodyRole)
                      for r in range(model.rowCount())]
            assert bodies.count(body) == 1
        finally:
            revived.stop()
    finally:
        controller.shutdown()
