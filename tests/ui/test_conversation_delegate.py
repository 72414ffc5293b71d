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


def test_one_person_is_one_colour_in_every_channel_and_the_tooltip_has_the_whole_preview(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory
) -> None:
    """The demo has Maria Gonzalez by SMS and in the app: two conversations, one avatar
    colour. A row's preview is elided; its tooltip says it whole (up to a line's worth)."""
    workspace = make_workspace(demo_backend)
    wait_first_sync(qtbot, workspace)
    model = ConversationListModel(workspace.conversations)
    delegate = ConversationDelegate()
    rows = [model.index(i, 0).data(ConversationListModel.RowRole) for i in range(model.rowCount())]
    maria = [i for i, row in enumerate(rows) if row.title == "Maria Gonzalez"]
    assert {rows[i].kind for i in maria} >= {"direct", "in_app"}
    centre = 14 + 20  # the avatar's middle: PAD_X + AVATAR / 2 (the row is 62 px high)
    colours = {_render(delegate, model, i).pixelColor(centre, 31).rgb() for i in maria}
    assert len(colours) == 1
    others = {_render(delegate, model, i).pixelColor(centre, 31).rgb()
              for i, row in enumerate(rows) if row.title != "Maria Gonzalez"}
    assert len(others) > 1  # still told apart: colours follow the name

    long_row = max(range(len(rows)), key=lambda i: len(rows[i].preview))
    tip = model.index(long_row, 0).data(Qt.ItemDataRole.ToolTipRole)
    preview = " ".join(rows[long_row].preview.split())
    assert tip.splitlines()[0] == rows[long_row].title
    assert tip.splitlines()[-1] == f"\u201c{preview[:160]}{'…' if len(preview) > 160 else ''}\u201d"
