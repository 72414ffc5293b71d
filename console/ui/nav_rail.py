"""The rail of pages on the window's left edge (objectName `navRail`).

One icon button per page, each driven by the page's `show…Action` (the same QAction the View
menu holds, with its Ctrl+digit shortcut), so the rail, the menu and the keyboard can never
disagree about which page is current. Pages are added in order with `add_page`; the ones later
issues bring (Groups, Group messages, History) slot in the same way, below the others.
"""

from __future__ import annotations

from console.ui.i18n import translate
from console.ui.qt import (
    QAction,
    QActionGroup,
    QFont,
    QFontMetrics,
    QFrame,
    QPainter,
    QPaintEvent,
    QRectF,
    QSize,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from console.ui.theme import Colors

RAIL_WIDTH = 60
BUTTON_SIZE = QSize(44, 44)
ICON_SIZE = QSize(22, 22)


class RailButton(QToolButton):
    """An icon button that can carry a count badge (unread conversations) at its corner."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._badge = 0
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.setFixedSize(BUTTON_SIZE)
        self.setIconSize(ICON_SIZE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAutoRaise(True)

    @property
    def badge(self) -> int:
        return self._badge

    def set_badge(self, count: int) -> None:
        count = max(0, count)
        if count != self._badge:
            self._badge = count
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._badge <= 0:
            return
        text = str(self._badge) if self._badge < 100 else "99+"
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.72))
        font.setWeight(QFont.Weight.Bold)
        metrics = QFontMetrics(font)
        height = metrics.height() + 1
        width = max(height, metrics.horizontalAdvance(text) + 8)
        rect = QRectF(self.width() - width - 1, 1, width, height)
        painter.setPen(Colors.accent_text)
        painter.setBrush(Colors.accent)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()


class NavRail(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("navRail")
        self.setAccessibleName(translate("NavRail", "Pages"))
        self.setFixedWidth(RAIL_WIDTH)
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, RailButton] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 12, 8, 12)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)  # pages above it; a settings button would go below

    def add_page(self, key: str, action: QAction) -> RailButton:
        """A button for the page `key` (e.g. "contacts") that triggers `action`."""
        action.setCheckable(True)
        self.group.addAction(action)
        button = RailButton(self)
        button.setObjectName(f"nav{key[:1].upper()}{key[1:]}Button")
        button.setDefaultAction(action)
        button.setAccessibleName(action.text().replace("&", ""))
        self._layout.insertWidget(len(self.buttons), button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.buttons[key] = button
        return button

    def set_badge(self, key: str, count: int) -> None:
        button = self.buttons.get(key)
        if button is not None:
            button.set_badge(count)
