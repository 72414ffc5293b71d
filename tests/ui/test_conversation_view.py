"""The conversation pane's scrolling rules, with real services over an offline cache copy."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from console.services.workspace import Workspace
from console.ui.bridge import ServiceBridge
from console.ui.conversation_view import ConversationPanel
from console.ui.message_model import PAGE_SIZE, WINDOW_SIZE, MessageListModel
from console.ui.qt import QPoint, QScrollBar, QStyleOptionViewItem
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import WorkspaceFactory, offline_copy

EXTRA = 20


def shown_panel(qtbot: QtBot, workspace: Workspace) -> tuple[ConversationPanel, ServiceBridge]:
    panel = ConversationPanel(workspace.conversations)
    panel.setMinimumSize(700, 500)  # fixed: layout changes then never resize the window
    qtbot.addWidget(panel)
    bridge = ServiceBridge(panel)
    bridge.track(workspace.conversations.changes.connect(bridge.on_changes))
    bridge.changes.connect(panel.apply_changes)
    panel.show()
    qtbot.waitExposed(panel)
    return panel, bridge


def at_bottom(bar: QScrollBar) -> bool:
    return bar.maximum() > 0 and bar.value() == bar.maximum()


def test_opens_at_the_bottom_pages_older_on_top_and_follows_new_messages(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path
) -> None:
    workspace, conversation_id = offline_copy(
        qtbot, demo_backend, make_workspace, tmp_path / "v.db"
    )
    service = workspace.conversations
    for n in range(WINDOW_SIZE + EXTRA):
        service.send(conversation_id, f"line {n}\nwith a second line to make rows taller")
    panel, bridge = shown_panel(qtbot, workspace)
    panel.open(conversation_id)
    bar = panel.view.verticalScrollBar()
    model = panel.model
    assert model.rowCount() == WINDOW_SIZE

    # Opens at the newest message.
    qtbot.waitUntil(lambda: at_bottom(bar), timeout=3000)

    # Scrolling to the top brings the previous page above, keeping the same rows in view.
    bar.setValue(bar.minimum())
    qtbot.waitUntil(lambda: model.rowCount() > WINDOW_SIZE, timeout=3000)
    assert model.rowCount() <= WINDOW_SIZE + PAGE_SIZE
    first_before = model.message_at(model.rowCount() - WINDOW_SIZE)
    assert first_before is not None

    def still_in_view_near_the_top() -> bool:
        # Its day separator may go (the older page holds that day's start), so allow a little.
        rect = panel.view.visualRect(model.index(model.row_of(first_before.key), 0))
        return rect.bottom() > 0 and rect.top() < panel.view.viewport().height() // 3

    qtbot.waitUntil(still_in_view_near_the_top, timeout=3000)
    assert bar.value() > 0

    # In the middle of the history, a new message does not yank the view down.
    bar.setValue(bar.maximum() // 2)
    held = bar.value()
    service.send(conversation_id, "while reading older messages")

    def newest_body() -> str:
        newest = model.message_at(model.rowCount() - 1)
        return newest.body if newest else ""

    qtbot.waitUntil(lambda: newest_body() == "while reading older messages", timeout=3000)
    assert bar.value() == held

    # At the bottom, a new message keeps the view at the bottom, and the window goes back to
    # its size: what scrolled out of sight above is let go (scrolling up pages it in again).
    bar.setValue(bar.maximum())
    assert model.rowCount() > WINDOW_SIZE
    service.send(conversation_id, "newest")
    qtbot.waitUntil(lambda: newest_body() == "newest", timeout=3000)
    assert model.rowCount() == WINDOW_SIZE and model.has_older
    qtbot.waitUntil(lambda: at_bottom(bar), timeout=3000)
    last = panel.view.indexAt(QPoint(10, panel.view.viewport().height() - 10))
    assert last.data(MessageListModel.BodyRole) == "newest"
    bridge.close()


def test_header_shows_title_and_subtitle(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path
) -> None:
    workspace, conversation_id = offline_copy(
        qtbot, demo_backend, make_workspace, tmp_path / "h.db"
    )
    row = workspace.conversations.conversation(conversation_id)
    assert row is not None
    panel, bridge = shown_panel(qtbot, workspace)
    panel.open(conversation_id)
    assert panel.header.title.text() == row.title
    assert row.subtitle in panel.header.subtitle.text()
    assert panel.view.objectName() == "conversationView"
    panel.open("")
    assert panel.header.title.text() == ""
    assert panel.model.rowCount() == 0
    bridge.close()


def test_bubbles_are_laid_out_for_the_width_the_view_has_now(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path
) -> None:
    workspace, conversation_id = offline_copy(
        qtbot, demo_backend, make_workspace, tmp_path / "w.db"
    )
    for n in range(EXTRA):
        workspace.conversations.send(conversation_id, f"message {n} " + "word " * 30)
    panel, bridge = shown_panel(qtbot, workspace)
    panel.open(conversation_id)
    view, model = panel.view, panel.model
    delegate = view.message_delegate
    newest = model.index(model.rowCount() - 1, 0)

    def laid_out_for(width: int) -> bool:
        return delegate.sizeHint(QStyleOptionViewItem(), newest).width() == width

    # With a scroll bar (the delegate hears of the narrower viewport too).
    qtbot.waitUntil(lambda: view.verticalScrollBar().isVisible(), timeout=3000)
    assert laid_out_for(view.viewport().width())
    tall = delegate.sizeHint(QStyleOptionViewItem(), newest).height()
    for width in (1200, 900):
        panel.resize(width, 600)
        qtbot.waitUntil(lambda: laid_out_for(view.viewport().width()), timeout=3000)
    # Narrower than the bubble's widest: the text wraps onto more lines.
    panel.setMinimumSize(0, 0)
    panel.resize(420, 600)
    qtbot.waitUntil(lambda: laid_out_for(view.viewport().width()), timeout=3000)
    assert delegate.sizeHint(QStyleOptionViewItem(), newest).height() > tall
    bridge.close()
