"""A chip with a text and a × that asks its owner to remove it (filters in force, chosen
participants). The × is a real button: objectName `removeChip`, reachable by keyboard, with an
accessible name saying what it removes."""

from __future__ import annotations

from console.ui.qt import QFrame, QHBoxLayout, QLabel, QSize, Qt, QToolButton, QWidget, Signal
from console.ui.theme import icon


class RemovableChip(QFrame):
    removeClicked = Signal(object)  # the chip's key

    def __init__(
        self,
        key: object,
        text: str,
        *,
        remove_name: str,
        remove_tip: str,
        vertical_margin: int = 2,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key = key
        layout = QHBoxLayout(self)
        layout.setContentsMargins(9, vertical_margin, 3, vertical_margin)
        layout.setSpacing(2)
        self.label = QLabel(text, self)
        self.label.setObjectName("chipText")
        layout.addWidget(self.label)
        self.remove = QToolButton(self)
        self.remove.setObjectName("removeChip")
        self.remove.setIcon(icon("close"))
        self.remove.setIconSize(QSize(10, 10))
        self.remove.setAutoRaise(True)
        self.remove.setAccessibleName(remove_name)
        self.remove.setToolTip(remove_tip)
        self.remove.setCursor(Qt.CursorShape.PointingHandCursor)
        self.remove.clicked.connect(lambda: self.removeClicked.emit(self.key))
        layout.addWidget(self.remove)
