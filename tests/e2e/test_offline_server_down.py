"""Offline review (issue 12): `--server URL` with that server down opens the last account used
there from its cache; a backend lost mid-session leaves conversations, History, search and
export readable from the cache, the status bar saying since when the data is."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TypeVar

import pytest
from pytestqt.qtbot import QtBot

from console.app_controller import AppController
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PASSWORD
from console.services.auth import AuthService
from console.services.cancel import Cancellation
from console.services.history import HistoryFilter
from console.services.types import SyncState
from console.startup import open_from_login
from console.ui.history_csv import write_history_csv
from console.ui.main_window import MainWindow
from console.ui.message_model import MessageListModel
from console.ui.qt import QSettings
from tests.conftest import MemoryKeyring
from tests.support.backend_process import BackendProcess, sqlite_url

pytestmark = pytest.mark.slow

AGENT_EMAIL = "priya.agent@demo.example"
# Reading the cache takes milliseconds; a read that waited on the dead server would take the
# client's connect timeout or the engine's retry wait (seconds).
LOCAL_READ_S = 1.5

T = TypeVar("T")


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[BackendProcess]:
    process = BackendProcess(sqlite_url(tmp_path / "backend.db"), args=["--seed", "demo"]).start()
    yield process
    process.stop()


def _session(qtbot: QtBot, backend: BackendProcess, email: str, password: str) -> None:
    """A previous session of `email`: sign in (token to the keyring), sync the cache, close."""
    result = AuthService().login(backend.url, email, password)
    workspace = open_from_login(result)
    try:
        workspace.start()
        qtbot.waitUntil(lambda: len(workspace.conversations.list_conversations()) >= 5,
                        timeout=15_000)
        qtbot.waitUntil(lambda: workspace.sync.status.last_sync_at is not None, timeout=15_000)
    finally:
        workspace.close()


def _start(qtbot: QtBot, tmp_path: Path, server: str) -> tuple[MainWindow, AppController]:
    window = MainWindow(settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    args = argparse.Namespace(demo=False, server=server, profile=None, exit_when_ready=False)
    controller = AppController(window, args, time.perf_counter())
    controller.start()
    return window, controller


def _timed(action: Callable[[], T]) -> tuple[T, float]:
    began = time.perf_counter()
    result = action()
    return result, time.perf_counter() - began


@pytest.mark.parametrize("remembered", [True, False], ids=["token-kept", "token-gone"])
@pytest.mark.parametrize("last", [AGENT_EMAIL, DEMO_ADMIN_EMAIL])
def test_server_down_opens_the_last_account_used_there_from_its_cache(
    qtbot: QtBot, backend: BackendProcess, tmp_path: Path, memory_keyring: MemoryKeyring,
    last: str, remembered: bool,
) -> None:
    accounts = {DEMO_ADMIN_EMAIL: DEMO_ADMIN_PASSWORD, AGENT_EMAIL: DEMO_PASSWORD}
    first = next(email for email in accounts if email != last)
    _session(qtbot, backend, first, accounts[first])
    _session(qtbot, backend, last, accounts[last])
    if not remembered:  # e.g. no keyring on this machine: nothing survives the process
        memory_keyring.store.clear()
    backend.stop()

    window, controller = _start(qtbot, tmp_path, backend.url)
    try:
        qtbot.waitUntil(lambda: controller.workspace is not None, timeout=10_000)
        assert controller.account is not None
        assert controller.account.email == last
        workspace = controller.workspace
        assert workspace is not None
        # Its cached conversations, not an empty window behind a sign-in form.
        qtbot.waitUntil(lambda: window.conversation_model.rowCount() >= 5, timeout=10_000)
        dialog = controller.login_dialog
        if dialog is not None:  # no token: asked for the password of THAT account
            assert dialog.email_edit.text() == last
        # History reads the cache too.
        page, spent = _timed(lambda: workspace.history.page(HistoryFilter()))
        assert page.rows
        assert spent < LOCAL_READ_S
        # The status bar says offline and how old the data is.
        qtbot.waitUntil(lambda: "Offline" in window.sync_status.text(), timeout=15_000)
        assert "last synced" in window.sync_status.text()
    finally:
        controller.shutdown()


def test_backend_lost_mid_session_leaves_everything_readable(
    qtbot: QtBot, backend: BackendProcess, tmp_path: Path
) -> None:
    _session(qtbot, backend, AGENT_EMAIL, DEMO_PASSWORD)
    window, controller = _start(qtbot, tmp_path, backend.url)
    try:
        qtbot.waitUntil(lambda: controller.workspace is not None, timeout=10_000)
        workspace = controller.workspace
        assert workspace is not None
        qtbot.waitUntil(lambda: workspace.sync.status.state is SyncState.ONLINE, timeout=15_000)
        qtbot.waitUntil(lambda: window.conversation_model.rowCount() >= 5, timeout=10_000)

        backend.stop()  # the server goes away under a running session
        qtbot.waitUntil(lambda: workspace.sync.status.state is not SyncState.ONLINE,
                        timeout=30_000)
        qtbot.waitUntil(lambda: "Offline" in window.sync_status.text()
                        or "Connecting" in window.sync_status.text(), timeout=10_000)

        # Conversations: every cached one opens with its messages, at once.
        ids = window.conversation_model.conversation_ids()[:5]
        model = window.conversation_panel.model
        for conversation_id in ids:
            opened, spent = _timed(partial(window.select_conversation, conversation_id))
            assert opened
            assert spent < LOCAL_READ_S
            assert model.conversation_id == conversation_id
        qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=2_000)
        body = str(model.index(model.rowCount() - 1, 0).data(MessageListModel.BodyRole))

        # History: the full list, a search for a word of that message, and the export.
        everything, spent = _timed(lambda: workspace.history.page(HistoryFilter()))
        assert everything.rows
        assert spent < LOCAL_READ_S
        word = max((w for w in body.split() if w.isalpha()), key=len)
        found, spent = _timed(lambda: workspace.history.page(HistoryFilter(query=word)))
        assert spent < LOCAL_READ_S
        assert any(word.lower() in row.body.lower() for row in found.rows)
        target = tmp_path / "history.csv"
        written = write_history_csv(target, workspace.history, HistoryFilter(query=word),
                                    cancel=Cancellation(), progress=lambda _n: None)
        assert written == workspace.history.count(HistoryFilter(query=word)).count
        assert written >= 1
        assert word in target.read_text(encoding="utf-8-sig")

        # And the status bar says since when the data is.
        qtbot.waitUntil(lambda: "Offline" in window.sync_status.text(), timeout=30_000)
        assert "last synced" in window.sync_status.text()
    finally:
        controller.shutdown()
