"""A conversation whose title is longer than the room for it: in the list row and in the
conversation header it is cut at a whole letter with "…", the whole title is in the tooltip,
and it never runs into what shares its line (the time and tags of the row, the header's tag).

A real group chat with a long title on a backend of this module's own, synced into a real
workspace, shown by the main window; the row is painted by the list's own delegate at the
list's own width, through a painter that notes what is drawn where.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.ui.conversation_list import ConversationListModel
from console.ui.main_window import MainWindow
from console.ui.qt import (
    QFont,
    QFontMetrics,
    QImage,
    QLabel,
    QPainter,
    QPoint,
    QRect,
    QRectF,
    QStyleOptionViewItem,
    Qt,
)
from tests.backend.group_chat_support import PhonePool, new_contact
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import (
    MainWindowFactory,
    WorkspaceFactory,
    api,
    main_number,
    offline_copy,
)

phone = PhonePool("539")  # numbers no other module uses
ELLIPSIS = "\u2026"
TITLE = (
    "Spring open house volunteers for the Riverside, Lakeshore and Old Mill listings - "
    "weekend shifts, parking, keys and the sign-in sheet at the front desk"
)


@pytest.fixture(scope="module")
def long_titled_chat(module_backend: BackendProcess) -> str:
    """A group SMS chat (tagged "Group SMS" in the list and the header) with TITLE."""
    with api(module_backend) as http:
        people = [new_contact(http, phone(), name=name) for name in ("Lena Ortiz", "Omar Haddad")]
        made = http.post("/v1/group-chats", json={
            "number_id": main_number(http),
            "participants": [{"contact_id": p["id"], "phone": p["phones"][0]["number"]}
                             for p in people],
            "title": TITLE,
        })
        assert made.status_code == 201, made.text
        chat_id: str = made.json()["id"]
    return chat_id


@pytest.fixture
def window(
    qtbot: QtBot,
    module_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
    long_titled_chat: str,
    tmp_path: Path,
) -> MainWindow:
    workspace, _ = offline_copy(qtbot, module_backend, make_workspace, tmp_path / "w.db")
    row = workspace.conversations.conversation(long_titled_chat)
    assert row is not None
    assert row.title == TITLE
    shown = window_for(workspace)
    shown.resize(1100, 700)
    qtbot.waitUntil(lambda: shown.width() == 1100, timeout=2000)
    assert shown.select_conversation(long_titled_chat)
    return shown


class _Noting(QPainter):
    """Paints as usual and notes each text drawn (its rectangle, font and text) and each
    rounded rectangle (the row's tags and badge)."""

    def __init__(self, image: QImage) -> None:
        super().__init__(image)
        self.texts: list[tuple[QRect, QFont, str]] = []
        self.boxes: list[QRect] = []

    def drawText(self, *args: object) -> None:  # type: ignore[override]  # noqa: N802
        if len(args) == 3 and isinstance(args[0], QRect | QRectF) and isinstance(args[2], str):
            rect = args[0].toAlignedRect() if isinstance(args[0], QRectF) else QRect(args[0])
            self.texts.append((rect, QFont(self.font()), args[2]))
        super().drawText(*args)  # type: ignore[call-overload]

    def drawRoundedRect(self, *args: object, **kwargs: object) -> None:  # noqa: N802
        if args and isinstance(args[0], QRect | QRectF):
            rect = args[0].toAlignedRect() if isinstance(args[0], QRectF) else QRect(args[0])
            self.boxes.append(rect)
        super().drawRoundedRect(*args, **kwargs)  # type: ignore[call-overload]


def _whole_letters_then_ellipsis(shown: str) -> None:
    assert shown.endswith(ELLIPSIS), shown
    kept = shown[:-1]
    assert kept, "nothing of the title left"
    assert TITLE.startswith(kept), shown  # a prefix of whole characters, nothing garbled
    assert len(kept) < len(TITLE)


def test_the_list_row_elides_the_title_with_an_ellipsis_clear_of_time_and_tags(
    qtbot: QtBot, window: MainWindow, long_titled_chat: str
) -> None:
    view = window.conversation_list
    model = view.model()
    assert isinstance(model, ConversationListModel)
    index = next(model.index(i, 0) for i in range(model.rowCount())
                 if model.index(i, 0).data(ConversationListModel.RowRole).id == long_titled_chat)
    rect = view.visualRect(index)
    assert rect.width() > 200  # the list's real width, not a sliver

    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = QRect(QPoint(0, 0), rect.size())
    image = QImage(rect.size(), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = _Noting(image)
    delegate = view.itemDelegate()
    assert delegate is not None
    delegate.paint(painter, option, index)
    painter.end()

    titles = [(r, f, t) for r, f, t in painter.texts if t.startswith(TITLE[:12])]
    assert len(titles) == 1, painter.texts
    title_rect, title_font, shown = titles[0]
    _whole_letters_then_ellipsis(shown)
    # Cut to the room it has, not clipped mid-letter by the rectangle's edge.
    assert QFontMetrics(title_font).horizontalAdvance(shown) <= title_rect.width()
    assert title_rect.right() < option.rect.right()

    # The rest of the row (the time on its line; the "Group SMS" tag and the preview below)
    # is drawn clear of the title's rectangle.
    tag = [r for r, _f, t in painter.texts if t == "Group SMS"]
    assert len(tag) == 1, painter.texts
    others = [r for r, _f, t in painter.texts if t != shown and t] + painter.boxes
    assert others
    for other in others:
        assert not title_rect.intersects(other), (title_rect, other)

    # The row's tooltip starts with the whole title.
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tip, str)
    assert tip.splitlines()[0] == TITLE


def test_the_header_elides_the_title_with_an_ellipsis_and_keeps_clear_of_the_tag(
    qtbot: QtBot, window: MainWindow
) -> None:
    header = window.conversation_panel.header
    title, tag = header.title, header.tag
    qtbot.waitUntil(lambda: QLabel.text(title).endswith(ELLIPSIS), timeout=2000)
    assert title.text() == TITLE  # the label's text is the whole title; it paints the cut one
    shown = QLabel.text(title)
    _whole_letters_then_ellipsis(shown)
    assert title.fontMetrics().horizontalAdvance(shown) <= title.contentsRect().width()
    assert title.toolTip() == TITLE
    assert title.accessibleName() == TITLE  # a screen reader reads it whole

    assert tag.isVisible()
    assert tag.text() == "Group SMS"
    title_box = QRect(title.mapTo(header, QPoint(0, 0)), title.size())
    tag_box = QRect(tag.mapTo(header, QPoint(0, 0)), tag.size())
    assert not title_box.intersects(tag_box), (title_box, tag_box)
    assert title_box.right() < tag_box.left()
    assert tag.width() >= tag.sizeHint().width()  # the tag whole, not squeezed by the title

    # Wider, more of the title shows, still cut at a whole letter; a short title is whole
    # and has no tooltip to repeat it.
    window.resize(1600, 700)
    qtbot.waitUntil(lambda: len(QLabel.text(title)) > len(shown), timeout=2000)
    _whole_letters_then_ellipsis(QLabel.text(title))
    title.setText("Short")
    assert QLabel.text(title) == "Short"
    assert title.toolTip() == ""
