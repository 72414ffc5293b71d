"""The conversation row tells the channel (in-app, group SMS) and a blocked chat at a glance."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from console.ui.conversation_delegate import ConversationDelegate
from console.ui.conversation_list import ConversationListModel
from console.ui.qt import QColor, QImage, QPainter, QStyleOptionViewItem, Qt
from console.ui.theme import Colors
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import WorkspaceFactory, wait_first_sync


def _render(delegate: ConversationDelegate, model: ConversationListModel, row: int) -> QImage:
    index = model.index(row, 0)
    option = QStyleOptionViewItem()
    option.rect.setRect(0, 0, 340, 62)
    image = QImage(340, 62, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    return image


def test_rows_are_tagged_by_channel_and_blocked_state(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory
) -> None:
    workspace = make_workspace(demo_backend)
    wait_first_sync(qtbot, workspace)
    rows = workspace.conversations.list_conversations()
    tags = {row.kind: [t[0] for t in ConversationDelegate._tags(row)] for row in rows
            if row.status == "active"}
    assert tags == {"direct": [], "in_app": ["In-app"], "group_sms": ["Group SMS"]}
    blocked = [row for row in rows if row.status == "blocked"]
    assert blocked, "the demo seed has a blocked group chat"
    assert [t[0] for t in ConversationDelegate._tags(blocked[0])] == ["Group SMS", "Blocked"]


def _pixels_of(image: QImage, color: QColor) -> int:
    return sum(
        1 for y in range(image.height()) for x in range(image.width())
        if image.pixelColor(x, y).rgb() == color.rgb()
    )


def test_the_blocked_tag_is_painted(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory
) -> None:
    workspace = make_workspace(demo_backend)
    wait_first_sync(qtbot, workspace)
    model = ConversationListModel(workspace.conversations)
    delegate = ConversationDelegate()
    statuses = [model.index(i, 0).data(ConversationListModel.RowRole).status
                for i in range(model.rowCount())]
    blocked = _render(delegate, model, statuses.index("blocked"))
    active = _render(delegate, model, statuses.index("active"))
    # The tag is a filled rounded rectangle of the danger tint, about 60x16 px.
    assert _pixels_of(blocked, Colors.danger_soft) > 300
    assert _pixels_of(active, Colors.danger_soft) < 5
