"""Non-modal notices: slim banners above the panes, each with a close button.

Told-once messages from the services ("No keyring: ...") land here, never in a blocking dialog.
Info notices fade out on their own; warnings and errors stay until dismissed.
"""

from __future__ import annotations

from console.services.types import Notice
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.notice_texts import notice_text
from console.ui.qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSize,
    Qt,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from console.ui.theme import icon

INFO_TIMEOUT_MS = 15_000
MAX_BANNERS = 3
_LEVELS = ("info", "warning", "error")
# How a screen reader names a banner of each level.
_LEVEL_NAMES = {
    "info": QT_TRANSLATE_NOOP("NoticeBanner", "Info notice"),
    "warning": QT_TRANSLATE_NOOP("NoticeBanner", "Warning notice"),
    "error": QT_TRANSLATE_NOOP("NoticeBanner", "Error notice"),
}


class NoticeBanner(QFrame):
    def __init__(self, notice: Notice, parent: QWidget | None = None):
        super().__init__(parent)
        level = notice.level if notice.level in _LEVELS else "info"
        self.notice = notice
        self.setObjectName("noticeBanner")
        self.setProperty("level", level)
        self.setAccessibleName(translate("NoticeBanner", _LEVEL_NAMES[level]))
        text = notice_text(notice)
        self.setAccessibleDescription(text)
        badge = QLabel(self)
        badge.setObjectName("noticeIcon")
        badge.setPixmap(icon(level).pixmap(QSize(18, 18)))
        self.text = QLabel(text, self)
        self.text.setObjectName("noticeText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(self)
        close.setObjectName("noticeClose")
        close.setIcon(icon("close"))
        close.setIconSize(QSize(14, 14))
        close.setToolTip(translate("NoticeBanner", "Dismiss"))
        close.setAccessibleName(translate("NoticeBanner", "Dismiss notice"))
        close.setAutoRaise(True)
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 8, 8)
        layout.setSpacing(10)
        layout.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        if level == "info":
            QTimer.singleShot(INFO_TIMEOUT_MS, self, self.dismiss)

    def dismiss(self) -> None:
        self.hide()
        self.deleteLater()


class NoticeArea(QWidget):
    """A column of banners; the newest on top, the oldest dropped beyond MAX_BANNERS."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("noticeArea")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(12, 8, 12, 0)
        self._layout.setSpacing(6)
        self.hide()

    def banners(self) -> list[NoticeBanner]:
        found = self.findChildren(NoticeBanner)
        return [banner for banner in found if banner.isVisibleTo(self)]

    def add(self, notice: Notice) -> NoticeBanner:
        for banner in self.banners():
            if banner.notice == notice:
                return banner  # told once is enough
        banner = NoticeBanner(notice, self)
        banner.destroyed.connect(self._update_visibility)
        self._layout.insertWidget(0, banner)
        for old in self.banners()[MAX_BANNERS:]:
            old.dismiss()
        self.show()
        return banner

    def _update_visibility(self) -> None:
        self.setVisible(bool(self.banners()))
