"""A widget whose children wrap like words (FlowLayout) and which claims the height they need.

What the group editor's chosen participants and a group chat's header chips share: a flow of
chips as tall as its rows at the current width. Height-for-width alone is not enough: a
dialog's layout does not ask its children for it when it sizes itself, nor do all the layouts
between the header and the window (splitter, stacks), so the strip also sets its minimum
height to what the rows need, which every layout honours; without it a second row of chips
paints over what is below instead of pushing it down.
"""

from __future__ import annotations

from console.ui.flow_layout import FlowLayout
from console.ui.qt import QResizeEvent, QWidget


class ChipStrip(QWidget):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._layout = FlowLayout(self, spacing=spacing)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout.heightForWidth(width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._claim_height(event.size().width())

    def _claim_height(self, width: int) -> None:
        """Make the minimum height what the chips need at `width` (no chips: none)."""
        needed = self._layout.heightForWidth(max(1, width))
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)
