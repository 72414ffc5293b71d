"""A cell painter for plain-text tables under a stylesheet: background, elided text, done.

Under a page stylesheet every cell the stock delegate paints goes through QStyleSheetStyle
(rule lookups for the item, its row panel and the alternate colour) and asks the model for
seven roles: half of the sent list's first paint. This one asks for two (the text, its
alignment) and paints with the view's palette, which the stylesheet still sets (`color`,
`alternate-background-color`, `selection-*`), and the model's ForegroundRole when it gives
one. The view must not paint alternating rows itself (this does, by row number).

    view.setItemDelegate(PlainCellDelegate(view))
"""

from __future__ import annotations

from console.ui.qt import (
    QColor,
    QModelIndex,
    QPainter,
    QPalette,
    QPersistentModelIndex,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QWidget,
)

ModelIndex = QModelIndex | QPersistentModelIndex

MARGIN = 4  # the text's inset each side (the style's item text margin, and a pixel)
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole


class PlainCellDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None, *, foreground: bool = False) -> None:
        super().__init__(parent)
        self._foreground = foreground  # whether the model colours some cells (one more role)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        palette = option.palette
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        elif index.row() % 2:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        text = index.data(_DISPLAY)
        if not text:
            return
        color = index.data(_FOREGROUND) if self._foreground else None
        if not isinstance(color, QColor):
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            color = palette.color(role)
        alignment = index.data(_ALIGNMENT)
        flags = Qt.AlignmentFlag(alignment) if alignment else _LEFT
        area = rect.adjusted(MARGIN, 0, -MARGIN, 0)
        metrics = option.fontMetrics
        shown = metrics.elidedText(str(text), Qt.TextElideMode.ElideRight, area.width())
        painter.setPen(color)
        painter.drawText(area, flags, shown)
