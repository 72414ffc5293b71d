"""The conversation row's "Mark as unread", through the real window against a real backend:
shown at once (row, sidebar and rail badges), sent through the outbox, kept when the chat is
open, read again when it is opened or something new comes in."""

from __future__ import annotations

import uuid
from typing import Any

from pytestqt.qtbot import QtBot

from console.services.workspace import Workspace
from console.ui.main_window import MainWindow
from console.ui.qt import QAction, QMenu
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import MainWindowFactory, WorkspaceFactory, api, wait_first_sync


def _new_thread(backend: BackendProcess) -> tuple[str, str, str]:
    """A new contact's 1:1 thread on a number we may send from, with nothing unread:
    (conversation id, the contact's number, the business number)."""
    with api(backend) as http:
        number = next(
            n for n in http.get("/v1/numbers").json()["items"]
            if n["can_send"] and n["e164"].startswith("+1")
        )
        for _ in range(50):
            phone = f"+1415555{int(uuid.uuid4().hex[:4], 16) % 100 + 100:04d}"
            body = {"name": f"Unread {uuid.uuid4().hex[:6]}", "phones": [{"number": phone}]}
            response = http.post("/v1/contacts", json=body)
            if response.status_code == 201:
                break
        assert response.status_code == 201, response.text
        contact: dict[str, Any] = response.json()
        opened = http.post(
            "/v1/conversations",
            json={"kind": "direct", "contact_id": contact["id"], "phone": phone,
                  "number_id": number["id"]},
        )
        assert opened.status_code == 201, opened.text
        assert opened.json()["unread_count"] == 0
        return str(opened.json()["id"]), phone, str(number["e164"])


def _server_unread(backend: BackendProcess, conversation_id: str) -> int:
    with api(backend) as http:
        return int(http.get(f"/v1/conversations/{conversation_id}").json()["unread_count"])


def _menu_action(window: MainWindow, conversation_id: str) -> QAction:
    menu = window.conversation_menu(conversation_id)
    assert isinstance(menu, QMenu)
    found = menu.findChild(QAction, "markUnreadAction")
    assert found is not None
    return found


def _local_unread(workspace: Workspace, conversation_id: str) -> int:
    row = workspace.conversations.conversation(conversation_id)
    assert row is not None
    return row.unread_count


def _online_window(
    qtbot: QtBot,
    backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
    conversation_id: str,
) -> tuple[MainWindow, Workspace]:
    workspace = make_workspace(backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    qtbot.waitUntil(lambda: window.conversation_model.contains(conversation_id), timeout=10000)
    return window, workspace


def test_mark_unread_from_the_menu_shows_at_once_and_reaches_the_server(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    conversation_id, _, _ = _new_thread(demo_backend)
    window, workspace = _online_window(
        qtbot, demo_backend, make_workspace, window_for, conversation_id
    )
    assert window.conversation_panel.conversation_id != conversation_id
    before = window.conversation_model.total_unread()
    rail = window.rail.buttons["conversations"]
    assert rail.badge == before

    mark = _menu_action(window, conversation_id)
    assert mark.isEnabled()
    assert mark.text().replace("&", "") == "Mark as unread"
    mark.trigger()
    # At once: the row, the sidebar's count and the rail's badge; the chat was not opened.
    qtbot.waitUntil(lambda: _local_unread(workspace, conversation_id) == 1, timeout=2000)
    qtbot.waitUntil(lambda: window.conversation_model.total_unread() == before + 1, timeout=2000)
    qtbot.waitUntil(lambda: rail.badge == before + 1, timeout=2000)
    assert window.sidebar.unread.text() == f"{before + 1} unread"
    assert window.conversation_panel.conversation_id != conversation_id
    assert not _menu_action(window, conversation_id).isEnabled()  # unread already

    # The outbox takes it to the server, and the feed brings the server's count back.
    qtbot.waitUntil(lambda: workspace.outbox.pending_count() == 0, timeout=15000)
    assert _server_unread(demo_backend, conversation_id) == 1
    workspace.sync.sync_now()
    qtbot.wait(500)
    assert _local_unread(workspace, conversation_id) == 1
    assert rail.badge == before + 1

    # Opening the chat reads it again, on the server too (the later mark wins).
    assert window.open_conversation(conversation_id)
    qtbot.waitUntil(lambda: _local_unread(workspace, conversation_id) == 0, timeout=2000)
    qtbot.waitUntil(lambda: workspace.outbox.pending_count() == 0, timeout=15000)
    qtbot.waitUntil(lambda: _server_unread(demo_backend, conversation_id) == 0, timeout=5000)


def test_an_open_chat_marked_unread_stays_unread_until_something_new_comes(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    conversation_id, phone, business = _new_thread(demo_backend)
    window, workspace = _online_window(
        qtbot, demo_backend, make_workspace, window_for, conversation_id
    )
    assert window.open_conversation(conversation_id)
    _menu_action(window, conversation_id).trigger()
    qtbot.waitUntil(lambda: _local_unread(workspace, conversation_id) == 1, timeout=2000)
    assert window.conversation_panel.conversation_id == conversation_id
    # Shown, yet not read again: not at once, nor when the server's copy comes back.
    qtbot.waitUntil(lambda: workspace.outbox.pending_count() == 0, timeout=15000)
    qtbot.waitUntil(lambda: _server_unread(demo_backend, conversation_id) == 1, timeout=5000)
    workspace.sync.sync_now()
    qtbot.wait(500)
    assert _local_unread(workspace, conversation_id) == 1
    assert _server_unread(demo_backend, conversation_id) == 1

    # A new text arrives in the open chat: the user is looking at it, so it is read.
    with api(demo_backend) as http:
        response = http.post(
            "/v1/simulator/inbound", json={"from": phone, "to": [business], "body": "New"}
        )
        assert response.json()["conversation_id"] == conversation_id, response.text
    qtbot.waitUntil(lambda: _server_unread(demo_backend, conversation_id) == 0, timeout=15000)
    qtbot.waitUntil(lambda: _local_unread(workspace, conversation_id) == 0, timeout=5000)
