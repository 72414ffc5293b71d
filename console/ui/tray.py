"""The console on the desktop: a tray icon with the unread count, its menu, and where
notifications appear.

Where the desktop has no tray (some Wayland and GNOME setups without the extension, or
offscreen), notifications fall back to asking the window manager to draw attention to the
window (QApplication.alert: a flashing taskbar entry), and the window title still counts.
"""

from __future__ import annotations

from console.ui.i18n import translate
from console.ui.notifier import Notification
from console.ui.qt import (
    QAction,
    QApplication,
    QColor,
    QFont,
    QIcon,
    QMenu,
    QObject,
    QPainter,
    QPixmap,
    QRectF,
    QSystemTrayIcon,
    Qt,
    QWidget,
    Signal,
)
from console.ui.theme import Colors, icon

ICON_SIZE = 64
MAX_SHOWN_COUNT = 99  # "99+" past it
NOTIFICATION_MS = 8000


def count_text(count: int) -> str:
    return f"{MAX_SHOWN_COUNT}+" if count > MAX_SHOWN_COUNT else str(count)


def badge_rect(size: int = ICON_SIZE) -> QRectF:
    """The unread badge's circle: the icon's top right corner, 9/16 of its width."""
    side = size * 9 / 16
    return QRectF(size - side, 0, side, side)


def badged_icon(base: QIcon, count: int, size: int = ICON_SIZE) -> QIcon:
    """`base` with a red badge carrying `count` (no badge at 0)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    base.paint(painter, 0, 0, size, size)
    if count > 0:
        rect = badge_rect(size)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(Colors.danger)
        painter.drawEllipse(rect)
        font = QFont()
        text = count_text(count)
        font.setPixelSize(int(rect.height() * (0.62 if len(text) == 1 else 0.48)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(Colors.accent_text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


def tray_tooltip(count: int, muted: bool) -> str:
    if count:
        text = translate("TrayIcon", "Agent Console: %n unread", None, count)
    else:
        text = translate("TrayIcon", "Agent Console")
    if muted:
        text += translate("TrayIcon", " (Do not disturb)")
    return text


class TrayIcon(QObject):
    """The tray entry; `openConversation(id)` when a notification is clicked."""

    openConversation = Signal(str)
    showWindow = Signal()
    quitRequested = Signal()

    def __init__(self, window: QWidget, do_not_disturb: QAction) -> None:
        super().__init__(window)
        self._window = window
        self._base = icon("agent-console")
        self._count = 0
        self._do_not_disturb = do_not_disturb
        self._clicked_opens = ""  # the conversation of the notification shown last
        self.shown: list[Notification] = []  # what was put on screen, newest last (tests read it)

        self.menu = QMenu(window)
        self.menu.setObjectName("trayMenu")
        show = self.menu.addAction(translate("TrayIcon", "&Show Agent Console"))
        show.triggered.connect(self.showWindow.emit)
        self.menu.addAction(do_not_disturb)
        self.menu.addSeparator()
        quit_action = self.menu.addAction(translate("TrayIcon", "&Quit"))
        quit_action.triggered.connect(self.quitRequested.emit)

        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self._base, self)
            self.tray.setContextMenu(self.menu)
            self.tray.activated.connect(self._activated)
            self.tray.messageClicked.connect(self._message_clicked)
            self.tray.show()
        do_not_disturb.toggled.connect(lambda _on: self._refresh())
        self._refresh()

    @property
    def available(self) -> bool:
        return self.tray is not None

    def set_unread(self, count: int) -> None:
        if count != self._count:
            self._count = count
            self._refresh()

    def current_icon(self) -> QIcon:
        return badged_icon(self._base, self._count)

    def tooltip(self) -> str:
        return tray_tooltip(self._count, self._do_not_disturb.isChecked())

    def show_notification(self, note: Notification) -> None:
        self.shown.append(note)
        del self.shown[:-20]
        self._clicked_opens = note.conversation_id
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(note.title, note.body, self._base, NOTIFICATION_MS)
        else:
            QApplication.alert(self._window, 0)

    def notification_clicked(self) -> None:
        """What a click on the notification shown last does: open its conversation."""
        self._message_clicked()

    def hide(self) -> None:
        if self.tray is not None:
            self.tray.hide()

    def _refresh(self) -> None:
        if self.tray is not None:
            self.tray.setIcon(self.current_icon())
            self.tray.setToolTip(self.tooltip())

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.showWindow.emit()

    def _message_clicked(self) -> None:
        if self._clicked_opens:
            self.openConversation.emit(self._clicked_opens)
        else:
            self.showWindow.emit()
