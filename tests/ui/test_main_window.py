"""The issue's walking skeleton, driven through the real window, services and backend.

Type in compose, Ctrl+Enter: the row shows at once as pending and turns delivered as the
simulator carrier reports, with no manual refresh. A simulated reply shows in the open
conversation; one in another conversation bumps that one to the top with an unread badge.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot
from sqlalchemy import update

from console.services.types import Notice
from console.services.workspace import Workspace
from console.store.models import conversations
from console.ui.conversation_list import ConversationListModel
from console.ui.main_window import MainWindow
from console.ui.message_model import MessageListModel
from console.ui.qt import QApplication, QListView, QPlainTextEdit, QPushButton, Qt, QWidget
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import WorkspaceFactory, api, menu_of, offline_copy, wait_first_sync

DELIVERY_TIMEOUT_MS = 10_000
INBOUND_TIMEOUT_MS = 3_000  # the issue asks for about a second; allow slack for a busy machine

WindowFactory = Callable[[Workspace | None], MainWindow]


def direct_conversations(backend: BackendProcess) -> list[dict[str, Any]]:
    """Direct SMS conversations with the business number each one uses, from the backend."""
    with api(backend) as http:
        numbers = {n["id"]: n["e164"] for n in http.get("/v1/numbers").json()["items"]}
        items = http.get("/v1/conversations", params={"kind": "direct"}).json()["items"]
    return [
        {**item, "number_e164": numbers[item["number_id"]]}
        for item in items
        if item["phone"].startswith("+1") and item["status"] == "active"
    ]


def simulate_reply(backend: BackendProcess, conversation: dict[str, Any], body: str) -> None:
    with api(backend) as http:
        response = http.post(
            "/v1/simulator/inbound",
            json={"from": conversation["phone"], "to": [conversation["number_e164"]], "body": body},
        )
        response.raise_for_status()


def message_rows(model: MessageListModel) -> list[dict[str, Any]]:
    roles = {
        "key": MessageListModel.KeyRole,
        "body": MessageListModel.BodyRole,
        "status": MessageListModel.StatusRole,
        "direction": MessageListModel.DirectionRole,
        "error": MessageListModel.ErrorRole,
    }
    return [
        {name: model.index(row, 0).data(role) for name, role in roles.items()}
        for row in range(model.rowCount())
    ]


def list_row(model: ConversationListModel, conversation_id: str) -> dict[str, Any]:
    index = model.index_of(conversation_id)
    return {
        "row": index.row(),
        "unread": index.data(ConversationListModel.UnreadRole),
        "preview": index.data(ConversationListModel.PreviewRole),
    }


def test_send_turns_delivered_and_replies_arrive_live(
    qtbot: QtBot,
    fresh_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
) -> None:
    workspace = make_workspace(fresh_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    conversations = direct_conversations(fresh_backend)
    # Open one that is not at the top, so its move to the top is visible.
    opened, other = conversations[1], conversations[2]

    conversation_list = window.findChild(QListView, "conversationList")
    assert conversation_list is not None
    list_model = window.conversation_model
    qtbot.waitUntil(lambda: list_model.row_of(opened["id"]) >= 0, timeout=5000)
    # Pick it with the mouse, as a user does: it opens and compose takes the focus.
    window.activateWindow()
    qtbot.waitActive(window)
    row_rect = conversation_list.visualRect(list_model.index_of(opened["id"]))
    qtbot.mouseClick(
        conversation_list.viewport(), Qt.MouseButton.LeftButton, pos=row_rect.center()
    )
    assert window.conversation_panel.conversation_id == opened["id"]
    assert window.conversation_panel.header.title.text() == opened["title"]
    assert window.middle.currentWidget() is window.conversation_page
    qtbot.waitUntil(window.compose.edit.hasFocus, timeout=2000)

    view = window.findChild(QListView, "conversationView")
    edit = window.findChild(QPlainTextEdit, "composeEdit")
    send = window.findChild(QPushButton, "sendButton")
    assert view is not None
    assert edit is not None
    assert send is not None
    messages = window.conversation_panel.model
    assert view.model() is messages
    before = messages.rowCount()

    # Type and send with Ctrl+Enter: the box empties at once; the row follows with the
    # local write's change set (written off the GUI thread: ConversationService.send_soon).
    assert not send.isEnabled()
    qtbot.keyClicks(edit, "On my way, see you at 3")
    assert send.isEnabled()
    assert window.compose.counter.text() == "23 chars - 1 SMS segment (GSM-7)"
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert edit.toPlainText() == ""
    qtbot.waitUntil(lambda: messages.rowCount() == before + 1, timeout=2000)
    rows = message_rows(messages)
    sent = rows[-1]
    assert (sent["body"], sent["direction"]) == ("On my way, see you at 3", "out")
    assert sent["status"] in {"pending", "queued", "sent", "delivered"}  # the push may be quick
    # The conversation has the newest activity now: it moved to the top, still selected.
    assert list_row(list_model, opened["id"])["row"] == 0
    assert conversation_list.currentIndex().data(ConversationListModel.IdRole) == opened["id"]

    # The simulator carrier reports queued -> sent -> delivered; the same row follows.
    def status_of_sent() -> str:
        row = messages.row_of(sent["key"])
        return str(messages.index(row, 0).data(MessageListModel.StatusRole)) if row >= 0 else ""

    qtbot.waitUntil(lambda: status_of_sent() == "delivered", timeout=DELIVERY_TIMEOUT_MS)
    assert [r["body"] for r in message_rows(messages)].count("On my way, see you at 3") == 1
    assert messages.rowCount() == before + 1

    # A reply in the open conversation shows up in the view.
    simulate_reply(fresh_backend, opened, "Great, thanks!")
    qtbot.waitUntil(
        lambda: message_rows(messages)[-1]["body"] == "Great, thanks!", timeout=INBOUND_TIMEOUT_MS
    )
    assert message_rows(messages)[-1]["direction"] == "in"

    # A reply in another conversation bumps that one to the top, with an unread badge.
    assert list_row(list_model, other["id"])["row"] > 0
    unread_before = list_row(list_model, other["id"])["unread"]
    simulate_reply(fresh_backend, other, "Is the apartment still available?")

    def bumped() -> bool:
        row = list_row(list_model, other["id"])
        return bool(row["row"] == 0 and row["unread"] == unread_before + 1)

    qtbot.waitUntil(bumped, timeout=INBOUND_TIMEOUT_MS)
    assert list_row(list_model, other["id"])["preview"] == "Is the apartment still available?"
    # The open conversation stays open and selected; its own messages did not change.
    assert conversation_list.currentIndex().data(ConversationListModel.IdRole) == opened["id"]
    assert window.conversation_panel.conversation_id == opened["id"]
    assert message_rows(messages)[-1]["body"] == "Great, thanks!"
    # While it is shown, the open conversation's replies count as read.
    qtbot.waitUntil(lambda: list_row(list_model, opened["id"])["unread"] == 0, timeout=3000)


def test_carrier_failure_shows_on_the_row(
    qtbot: QtBot,
    fresh_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
) -> None:
    workspace = make_workspace(fresh_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    target = direct_conversations(fresh_backend)[0]
    assert window.select_conversation(target["id"])
    qtbot.keyClicks(window.compose.edit, "This one will bounce #fail")
    messages = window.conversation_panel.model
    before = messages.rowCount()
    qtbot.mouseClick(window.compose.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: messages.rowCount() == before + 1, timeout=2000)
    key = message_rows(messages)[-1]["key"]
    assert message_rows(messages)[-1]["body"] == "This one will bounce #fail"

    def failed() -> bool:
        index = messages.index(messages.row_of(key), 0)
        return bool(index.data(MessageListModel.StatusRole) == "failed")

    qtbot.waitUntil(failed, timeout=DELIVERY_TIMEOUT_MS)
    index = messages.index(messages.row_of(key), 0)
    reason = index.data(MessageListModel.ErrorRole)
    assert reason
    assert "30006" in reason
    assert index.data(MessageListModel.StatusTextRole) == reason


def test_window_starts_before_the_workspace_and_attaches_later(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
) -> None:
    window = window_for(None)
    assert window.windowTitle() == "Agent Console"
    assert (window.width(), window.height()) == (1200, 760) or window.isMaximized()
    window.show_starting("Starting the demo backend...")
    assert window.middle.currentWidget() is window.empty_state
    assert window.empty_state.title.text() == "Starting the demo backend..."
    assert window.sync_status.text() == "Starting the demo backend..."
    for name in ("conversationList", "conversationView", "composeEdit", "sendButton", "syncStatus"):
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name

    workspace = make_workspace(demo_backend)
    window.attach_workspace(workspace)
    wait_first_sync(qtbot, workspace)
    qtbot.waitUntil(lambda: window.conversation_model.rowCount() > 0, timeout=5000)
    qtbot.waitUntil(lambda: window.sync_status.text().startswith("Online - synced "), timeout=5000)
    # Nothing is selected yet: the middle pane says what to do.
    assert window.empty_state.title.text() == "Select a conversation"
    assert not window.compose.send_button.isEnabled()


def test_startup_error_is_said_plainly(qtbot: QtBot, window_for: WindowFactory) -> None:
    window = window_for(None)
    window.show_startup_error("The demo backend did not start", "Port 8000 is in use.")
    assert window.empty_state.title.text() == "The demo backend did not start"
    assert window.empty_state.detail.text() == "Port 8000 is in use."
    assert window.sync_status.text() == "The demo backend did not start"


def test_notices_are_banners_not_dialogs(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
) -> None:
    workspace = make_workspace(demo_backend, online=False, start=False)
    window = window_for(workspace)
    text = "No keyring: you'll need to log in again next time."
    workspace.notices.emit(Notice("warning", text))
    qtbot.waitUntil(lambda: bool(window.notices.banners()), timeout=2000)
    banner = window.notices.banners()[0]
    assert banner.text.text() == text
    assert QApplication.activeModalWidget() is None
    # Told once: the same notice again adds no second banner.
    workspace.notices.emit(Notice("warning", text))
    qtbot.wait(100)
    assert len(window.notices.banners()) == 1
    banner.dismiss()
    qtbot.waitUntil(lambda: not window.notices.isVisible(), timeout=2000)


def test_offline_workspace_shows_cached_state(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
    tmp_path: Any,
) -> None:
    # Fill a cache once, then open it again with no token, as after a restart offline.
    cache = tmp_path / "offline" / "cache.db"
    first = make_workspace(demo_backend, cache=cache)
    wait_first_sync(qtbot, first)
    first.close()
    workspace = make_workspace(demo_backend, cache=cache, online=False)
    window = window_for(workspace)
    qtbot.waitUntil(
        lambda: window.sync_status.text().startswith("Offline - showing cached data"),
        timeout=5000,
    )
    assert window.conversation_model.rowCount() > 0
    # The newest with messages (an empty chat another test made sorts by its creation time).
    first_id = next(
        c for c in window.conversation_model.conversation_ids()
        if workspace.conversations.messages(c)
    )
    assert window.select_conversation(first_id)
    assert window.conversation_panel.model.rowCount() > 0

    # A message written offline waits: it says so (the status bar counts it waiting to
    # send), not "Sending…" for the length of the outage; its bubble is measured anew.
    messages = window.conversation_panel.model
    window.compose.edit.setPlainText("Written on the train")
    window.compose.submit()
    qtbot.waitUntil(lambda: messages.message_at(messages.rowCount() - 1) is not None
                    and messages.message_at(messages.rowCount() - 1).body  # type: ignore[union-attr]
                    == "Written on the train", timeout=3000)
    newest = messages.index(messages.rowCount() - 1, 0)
    assert newest.data(MessageListModel.StatusRole) == "pending"
    assert newest.data(MessageListModel.StatusTextRole) == "Waiting to send"
    assert "(Waiting to send)" in newest.data(Qt.ItemDataRole.AccessibleTextRole)
    qtbot.waitUntil(lambda: "waiting to send" in window.sync_status.text(), timeout=3000)
    view = window.conversation_view
    delegate = view.message_delegate
    view.executeDelayedItemsLayout()  # any layout already due happens now, not below
    before = delegate.measurements
    messages.set_offline(False)  # as when the connection comes back
    assert newest.data(MessageListModel.StatusTextRole) == "Sending…"
    # The layout the change scheduled runs here, at once: the engine, still without a
    # token, keeps saying offline, and a status arriving before a later layout sets the
    # model back (CI saw that race when this waited for the layout).
    view.executeDelayedItemsLayout()
    assert delegate.measurements > before


def test_menus_quit_and_about(qtbot: QtBot, window_for: WindowFactory) -> None:
    window = window_for(None)
    menus = {action.text().replace("&", ""): action for action in window.menuBar().actions()}
    assert list(menus) == ["File", "View", "Help"]
    about = next(
        a for a in menu_of(menus["Help"]).actions() if a.text().replace("&", "").startswith("About")
    )
    about.trigger()  # opens with open(): returns at once, no nested event loop
    box = window.findChild(QWidget, "aboutDialog")
    assert box is not None
    qtbot.waitUntil(box.isVisible, timeout=2000)
    assert "Agent Console" in box.text()  # type: ignore[attr-defined]
    box.close()

    quit_action = next(a for a in menu_of(menus["File"]).actions() if a.text() == "&Quit")
    with qtbot.waitSignal(window.closing, timeout=2000):
        quit_action.trigger()
    assert not window.isVisible()


def test_reopens_the_last_conversation_and_layout(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
    tmp_path: Any,
) -> None:
    workspace, conversation_id = offline_copy(
        qtbot, demo_backend, make_workspace, tmp_path / "r.db"
    )
    first = window_for(workspace)
    assert first.select_conversation(conversation_id)
    first.splitter.setSizes([300, 900])
    first.close()

    second = window_for(workspace)  # same settings file
    assert second.conversation_panel.conversation_id == conversation_id
    assert second.middle.currentWidget() is second.conversation_page
    assert second.splitter.sizes()[0] == first.splitter.sizes()[0]


def test_a_send_the_cache_refuses_gives_its_text_back(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
    tmp_path: Any,
) -> None:
    """Compose lets a send go at once and the write happens off the GUI thread; when that
    write is refused (here: the chat was blocked in the cache before the window heard of it),
    the text comes back into the box with the reason, and nothing is queued."""
    workspace, conversation_id = offline_copy(
        qtbot, demo_backend, make_workspace, tmp_path / "refused.db"
    )
    window = window_for(workspace)
    assert window.select_conversation(conversation_id)
    before = message_rows(window.conversation_panel.model)
    pending = workspace.sync.status.pending_outbox
    with workspace._cache.write() as conn:  # no change published: the window still allows it
        conn.execute(
            update(conversations)
            .where(conversations.c.id == conversation_id)
            .values(status="blocked", blocked_reason="The customer opted out.")
        )
    qtbot.keyClicks(window.compose.edit, "Are we still on for Friday?")
    qtbot.mouseClick(window.compose.send_button, Qt.MouseButton.LeftButton)
    assert window.compose.text() == ""  # let go at once

    qtbot.waitUntil(lambda: window.compose.text() == "Are we still on for Friday?", timeout=3000)
    assert window.compose.error.isVisible()
    assert window.compose.error.text().startswith("The customer opted out.")
    assert "your text is back" in window.compose.error.text()
    assert message_rows(window.conversation_panel.model) == before
    assert workspace.sync.status.pending_outbox == pending

    # Typed again meanwhile (or another chat open): the refused text is quoted in a notice.
    window.compose.edit.setPlainText("something else")
    window._sendRefused.emit(conversation_id, "the first text", "participant_dnd",
                             "The customer opted out.")
    qtbot.waitUntil(lambda: bool(window.notices.banners()), timeout=3000)
    assert any("the first text" in b.text.text() for b in window.notices.banners())
    assert window.compose.text() == "something else"
