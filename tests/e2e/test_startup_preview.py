"""Cold start (issue 12): the list the start-up reads from the cache file before the services
(console/app_startup.py) is a working list, and the services take it over without a seam: a
chip narrows it, a conversation chosen from it opens once the workspace is in, and the
services' list is the same rows."""

from __future__ import annotations

import argparse
import shutil
import socket
import sqlite3
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.app_startup import StartUp
from console.domain.conversations import ConversationKind
from console.store.paths import profiles_root
from console.ui.conversation_list import ConversationFilter
from console.ui.main_window import MainWindow
from console.ui.qt import QSettings
from tests.bench.seed_cache import seed

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("startup-preview") / "seeded.db"
    seed(path, 300, 2_000, 9)
    return path


@pytest.fixture
def server(seeded: Path) -> str:
    """A cached profile of a server that is down (the cache alone)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    cache = profiles_root() / "office" / "cache.db"
    cache.parent.mkdir(parents=True)
    shutil.copyfile(seeded, cache)
    conn = sqlite3.connect(cache)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'server_url'", (url,))
    conn.close()
    return url


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    shown = MainWindow(settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_a_conversation_chosen_before_the_services_opens_when_they_are_in(
    qtbot: QtBot, window: MainWindow, server: str
) -> None:
    args = argparse.Namespace(demo=False, server=server, profile=None, exit_when_ready=False)
    startup = StartUp(window, args, time.perf_counter())
    try:
        startup.begin()  # reads the cache file at once; the services load in later turns
        model = window.conversation_model
        assert window.workspace is None
        assert model.rowCount() == 100
        cached = model.conversation_ids()
        rows = [model.conversation_at(i) for i in range(model.rowCount())]

        model.set_filter(ConversationFilter.GROUP_SMS)  # a chip reads its own first page
        narrowed = [model.conversation_at(i) for i in range(model.rowCount())]
        assert narrowed
        assert all(row is not None and row.kind is ConversationKind.GROUP_SMS
                                for row in narrowed)
        group_chats = model.conversation_ids()
        model.set_filter(ConversationFilter.ALL)
        assert model.conversation_ids() == cached

        chosen = cached[3]
        assert window.conversation_list.select_conversation(chosen)
        bar = window.conversation_list.verticalScrollBar()
        bar.setValue(bar.maximum())  # down to the end of the first page
        scrolled = bar.value()
        assert scrolled > 0
        assert not model.canFetchMore()  # more pages come with the services
        resets: list[int] = []
        model.modelReset.connect(lambda: resets.append(1))
        assert window.middle.currentWidget() is window.empty_state  # "Opening..." for now
        qtbot.waitUntil(lambda: startup.ready.announced, timeout=5_000)  # the list painted

        qtbot.waitUntil(lambda: window.workspace is not None, timeout=30_000)
        panel = window.conversation_panel
        qtbot.waitUntil(lambda: panel.conversation is not None
                        and panel.conversation.id == chosen, timeout=5_000)
        assert window.middle.currentWidget() is window.conversation_page
        assert window.conversation_list.current_conversation_id() == chosen
        # The services' list is the one shown before them, row for row: handed over as it is,
        # where the user had scrolled it, and it now reads on past the first page.
        assert model.conversation_ids()[:100] == cached
        assert [model.conversation_at(i) for i in range(100)] == rows
        assert resets == []
        assert bar.value() == scrolled
        qtbot.waitUntil(lambda: model.rowCount() > 100 or model.canFetchMore(), timeout=5_000)
        model.set_filter(ConversationFilter.GROUP_SMS)
        assert model.conversation_ids()[: len(group_chats)] == group_chats
    finally:
        startup.shutdown()
