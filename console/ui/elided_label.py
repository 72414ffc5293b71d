"""A one-line label that gives up width instead of claiming it: narrower than its text, it
shows the text cut with "…" and the whole text in its tooltip.

A plain QLabel's minimum width is its whole text, so a long line in a header (a group chat's
"2 participants · via Listings hotline") pushes whatever shares the row: in the main window the
splitter, which then squeezes the conversation list. This one asks for its whole text as its
size hint (it takes the room when there is some) but only for a few letters as its minimum.

`text()` answers the whole text, as set; the label paints the elided one.
"""

from __future__ import annotations

from console.ui.qt import QEvent, QLabel, QResizeEvent, QSize, Qt, QWidget

# Enough for a few letters and the ellipsis.
MIN_CHARS = 6


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def text(self) -> str:  # the whole text, not the elided one painted
        return self._full

    def setText(self, text: str) -> None:
        self._full = text
        self.setAccessibleName(text)
        self._elide()
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right()
        return QSize(width + 2 * self.margin(), hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        few = self.fontMetrics().averageCharWidth() * MIN_CHARS
        return QSize(min(few, self.sizeHint().width()), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._elide()  # the same width holds more or fewer letters now

    def _elide(self) -> None:
        room = self.contentsRect().width() - 2 * self.margin()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")
