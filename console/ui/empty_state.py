"""A quiet placeholder: the middle pane with nothing selected or the app still starting, or a
conversation with no messages yet (console/ui/no_messages.py)."""

from __future__ import annotations

from console.ui.qt import QLabel, QSize, Qt, QVBoxLayout, QWidget
from console.ui.theme import icon


class EmptyState(QWidget):
    def __init__(
        self,
        title: str,
        detail: str = "",
        parent: QWidget | None = None,
        *,
        name: str = "emptyState",
        picture_size: int = 72,
    ):
        super().__init__(parent)
        self.setObjectName(name)
        self.picture = QLabel(self)
        self.picture.setObjectName("emptyStateIcon")
        self.picture.setPixmap(icon("conversation").pixmap(QSize(picture_size, picture_size)))
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(title, self)
        self.title.setObjectName("emptyStateTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QLabel(detail, self)
        self.detail.setObjectName("emptyStateDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(3)
        layout.addWidget(self.picture)
        layout.addSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addStretch(4)

    def set_text(self, title: str, detail: str = "", *, error: bool = False) -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.setProperty("error", error)
        for label in (self.title, self.detail):
            label.style().unpolish(label)
            label.style().polish(label)
