"""The conversation list's filter chips are never clipped: not at the window's minimum width,
not beside a group chat whose header (a long subtitle, the participant panel) wants room. The
header's subtitle is cut with an ellipsis there instead of pushing the list narrower."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from console.domain.conversations import ConversationKind, ConversationStatus
from console.ui.conversation_list import subtitle_text
from console.ui.main_window import DEFAULT_SIZE
from console.ui.qt import QLabel
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import MainWindowFactory, WorkspaceFactory, offline_copy


def test_filter_chips_keep_their_size_hints_at_any_window_width(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
    tmp_path: Path,
) -> None:
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "w.db")
    chat = next(
        row
        for row in workspace.conversations.list_conversations()
        if row.kind is ConversationKind.GROUP_SMS
        and row.status is ConversationStatus.ACTIVE
        and row.number_label
    )
    window = window_for(workspace)
    assert window.select_conversation(chat.id)
    panel = window.conversation_panel
    panel.set_participant_panel_open(True)
    sidebar = window.sidebar
    chips = list(sidebar.filters.chips.values())
    assert [chip.text() for chip in chips] == ["All", "1:1", "Group SMS", "In-app", "Blocked"]

    def chips_whole() -> bool:
        return all(
            chip.isVisible()
            and chip.width() >= chip.sizeHint().width()
            and chip.mapTo(sidebar, chip.rect().topRight()).x() < sidebar.width()
            for chip in chips
        )

    def at_width(width: int) -> Callable[[], bool]:
        return lambda: window.width() == width

    for width in (DEFAULT_SIZE[0], 1000, window.minimumWidth()):
        window.resize(width, DEFAULT_SIZE[1])
        qtbot.waitUntil(at_width(width), timeout=2000)
        qtbot.waitUntil(chips_whole, timeout=2000)

    # At the minimum width the subtitle gives way, cut with "…"; its text and tooltip stay whole.
    subtitle = panel.header.subtitle
    assert subtitle_text(chat) in subtitle.text()
    qtbot.waitUntil(lambda: "\u2026" in QLabel.text(subtitle), timeout=2000)
    assert subtitle.toolTip() == subtitle.text()
