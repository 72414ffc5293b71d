"""Jumping to a message (History's "open"): ConversationPanel.reveal_message reads a window
around the message on a worker, scrolls it into the middle of the view and flashes it; the
view then stays there when a message arrives."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from console.domain.conversations import ConversationKind
from console.services.workspace import Workspace
from console.ui.main_window import MainWindow
from console.ui.message_flash import DURATION_MS
from console.ui.message_model import WINDOW_SIZE
from console.ui.qt import QColor, QImage
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import MainWindowFactory, WorkspaceFactory, offline_copy

SENT = 320  # far more than the window of the newest WINDOW_SIZE rows


def direct_conversation(workspace: Workspace) -> str:
    rows = workspace.conversations.list_conversations()
    return next(r.id for r in reversed(rows) if r.kind is ConversationKind.DIRECT)


def fill(workspace: Workspace, conversation_id: str, count: int) -> list[str]:
    """`count` messages written here (offline: they stay pending), oldest first: their keys."""
    return [
        workspace.conversations.send(conversation_id, f"Note {n:03d} about the lease").key
        for n in range(count)
    ]


def row_visible(window: MainWindow, key: str) -> bool:
    view = window.conversation_view
    row = window.conversation_panel.model.row_of(key)
    if row < 0:
        return False
    rect = view.visualRect(window.conversation_panel.model.index(row, 0))
    return rect.isValid() and view.viewport().rect().intersects(rect)


def test_reveal_loads_older_pages_scrolls_to_the_message_and_flashes_it(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "cache.db")
    conversation_id = direct_conversation(workspace)
    keys = fill(workspace, conversation_id, SENT)
    window = window_for(workspace)
    window.show_history_action.trigger()  # start elsewhere: the jump switches pages
    target = keys[12]  # ~300 messages back: not in the first window

    assert window.show_message(conversation_id, target)

    model = window.conversation_panel.model
    assert window.current_page() == "conversations"
    assert window.conversation_panel.conversation_id == conversation_id
    qtbot.waitUntil(lambda: model.row_of(target) >= 0, timeout=3000)  # read on a worker
    assert model.rowCount() > WINDOW_SIZE
    qtbot.waitUntil(lambda: row_visible(window, target), timeout=3000)
    flash = window.conversation_view.message_delegate.flash
    assert flash.key == target
    qtbot.waitUntil(lambda: flash.strength(target) > 0.9, timeout=DURATION_MS)
    # The flash is painted: the band behind the row is the warning colour, not white.
    view = window.conversation_view
    rect = view.visualRect(model.index(model.row_of(target), 0))
    image: QImage = view.viewport().grab(rect).toImage()
    pixel = QColor(image.pixel(4, image.height() // 2))
    assert pixel.red() > pixel.blue() + 20, pixel.name()
    # It ends on its own, and the view stays on the message (not pulled to the bottom).
    qtbot.waitUntil(lambda: not flash.active(), timeout=DURATION_MS + 1000)
    assert row_visible(window, target)
    assert flash.peak > 0.9


def test_reveal_says_no_for_a_message_of_another_conversation(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "cache.db")
    conversation_id = direct_conversation(workspace)
    others = [
        r.id for r in workspace.conversations.list_conversations()
        if r.kind is ConversationKind.DIRECT and r.id != conversation_id
    ]
    elsewhere = fill(workspace, others[0], 1)[0]
    window = window_for(workspace)
    assert window.select_conversation(conversation_id)
    assert not window.conversation_panel.reveal_message(elsewhere)
    assert not window.conversation_view.message_delegate.flash.active()
