"""A send the server refuses (409 group_chat_blocked) shows the server's reason on the message,
with Retry and Discard that work by mouse, keyboard and context menu, through the services."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from console.services.workspace import Workspace
from console.store.cache import Cache
from console.store.models import messages, outbox
from console.ui.bridge import ServiceBridge
from console.ui.conversation_view import ConversationPanel
from console.ui.message_model import MessageListModel
from console.ui.qt import QModelIndex, QPoint, Qt
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import WorkspaceFactory, api, wait_first_sync


def shown_panel(qtbot: QtBot, workspace: Workspace) -> tuple[ConversationPanel, ServiceBridge]:
    panel = ConversationPanel(workspace.conversations)
    panel.setMinimumSize(760, 520)
    qtbot.addWidget(panel)
    bridge = ServiceBridge(panel)
    bridge.track(workspace.conversations.changes.connect(bridge.on_changes))
    bridge.changes.connect(panel.apply_changes)
    panel.show()
    qtbot.waitExposed(panel)
    return panel, bridge


def make_group_chat(http: httpx.Client) -> tuple[str, str]:
    """A group chat made on the server; returns (its id, one participant's contact id)."""
    number = next(n for n in http.get("/v1/numbers").json()["items"] if n["can_send"])
    people = [
        c
        for c in http.get("/v1/contacts", params={"limit": 500}).json()["items"]
        if not c["dnd"] and c["phones"]
    ][:2]
    created = http.post(
        "/v1/group-chats",
        json={
            "number_id": number["id"],
            "participants": [
                {"contact_id": p["id"], "phone": p["phones"][0]["number"]} for p in people
            ],
        },
    )
    assert created.status_code == 201, created.text
    return created.json()["id"], people[0]["id"]


def row_of(model: MessageListModel, body: str) -> QModelIndex:
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(MessageListModel.BodyRole) == body:
            return index
    return QModelIndex()


def test_refused_send_shows_the_reason_with_retry_and_discard(
    qtbot: QtBot,
    fresh_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    tmp_path: Path,
) -> None:
    cache_path = tmp_path / "cache.db"
    with api(fresh_backend) as http:
        chat_id, participant = make_group_chat(http)
        synced = make_workspace(fresh_backend, cache=cache_path)
        wait_first_sync(qtbot, synced)
        qtbot.waitUntil(lambda: synced.conversations.conversation(chat_id) is not None)
        synced.close()
        # The participant texts STOP meanwhile: the server blocks the chat; our cache does not
        # know yet, so the console lets the user write (as it would while offline).
        assert http.patch(f"/v1/contacts/{participant}", json={"dnd": True}).status_code == 200

        workspace = make_workspace(fresh_backend, cache=cache_path, start=False)
        panel, _bridge = shown_panel(qtbot, workspace)
        panel.open(chat_id)
        tag = uuid.uuid4().hex[:6]
        kept, dropped = f"See you at 5 {tag}", f"Never mind {tag}"
        workspace.conversations.send(chat_id, kept)
        workspace.conversations.send(chat_id, dropped)
        model, view = panel.model, panel.view
        qtbot.waitUntil(lambda: row_of(model, dropped).isValid())
        assert row_of(model, kept).data(MessageListModel.StatusRole) == "pending"
        workspace.start()

        def refused(body: str) -> bool:
            index = row_of(model, body)
            return bool(index.isValid() and index.data(MessageListModel.RetryableRole))

        qtbot.waitUntil(lambda: refused(kept) and refused(dropped), timeout=15_000)
        index = row_of(model, kept)
        reason = index.data(MessageListModel.ErrorRole)
        assert reason == "Not sent: a participant has turned on Do Not Disturb."
        assert reason in index.data(MessageListModel.StatusTextRole)
        assert "Ctrl+R" in index.data(Qt.ItemDataRole.AccessibleTextRole)
        delegate = view.message_delegate
        assert set(delegate.action_rects(index)) == {"retry", "discard"}
        menu = view.failure_menu(index.data(MessageListModel.KeyRole))
        assert [a.text() for a in menu.actions()] == ["&Retry sending", "&Discard"]
        menu.deleteLater()
        context_menu = view.message_menu(index)  # what a right-click opens: Copy text above
        assert context_menu is not None
        assert context_menu.objectName() == "messageFailureMenu"
        assert [a.text() for a in context_menu.actions()] == [
            "&Copy text", "", "&Retry sending", "&Discard",
        ]
        context_menu.deleteLater()

        # Discard from the keyboard: Tab into the list, pick the message, Delete.
        view.setFocus(Qt.FocusReason.TabFocusReason)
        view.setCurrentIndex(row_of(model, dropped))
        qtbot.keyClick(view, Qt.Key.Key_Delete)
        qtbot.waitUntil(lambda: not row_of(model, dropped).isValid())

        # The cause is fixed on the server; Retry (a click on the button) sends it once.
        assert http.patch(f"/v1/contacts/{participant}", json={"dnd": False}).status_code == 200
        qtbot.waitUntil(
            lambda: panel.conversation is not None and panel.conversation.status == "active",
            timeout=15_000,
        )
        index = row_of(model, kept)
        rect = view.message_delegate.action_rects(index)["retry"]
        view.scrollTo(index)
        where = view.visualRect(index).topLeft() + rect.center().toPoint()
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(where))

        def sent_once() -> bool:
            items = http.get(f"/v1/conversations/{chat_id}/messages").json()["items"]
            return [m["body"] for m in items].count(kept) == 1

        qtbot.waitUntil(sent_once, timeout=15_000)
        qtbot.waitUntil(
            lambda: row_of(model, kept).data(MessageListModel.StatusRole) == "delivered",
            timeout=15_000,
        )
        items = http.get(f"/v1/conversations/{chat_id}/messages").json()["items"]
        assert [m["body"] for m in items].count(kept) == 1
        assert [m["body"] for m in items].count(dropped) == 0

    workspace.close()
    cache = Cache.open(cache_path)
    try:
        with cache.read() as conn:
            bodies = conn.execute(select(messages.c.body)).scalars().all()
            states = conn.execute(select(outbox.c.state, outbox.c.kind)).all()
    finally:
        cache.close()
    assert dropped not in bodies
    assert bodies.count(kept) == 1
    # The discarded item went with its row; the retried one is done.
    assert [tuple(s) for s in states if s.kind == "send_message"] == [("done", "send_message")]
