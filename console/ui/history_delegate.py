"""Paints a History row: channel tag, conversation and author on top (time and state at the
right), the body on the line below, each search match on a yellow mark.

The match spans come from the service (HistoryRow.*_highlights, via the model's Entry); this
only measures where they fall in the text as cut to fit. Rows are all one height (the view
keeps uniformItemSizes), and the delegate reads the model's Python side, not index.data():
painting asks for every visible row on each frame.
"""

from __future__ import annotations

from console.domain.messages import Direction
from console.services.history import HistoryChannel
from console.ui.history_model import Entry, HistoryModel
from console.ui.history_query import Spans, cut_before
from console.ui.i18n import translate
from console.ui.labels import FAILED_STATUSES
from console.ui.qt import (
    QColor,
    QFont,
    QFontMetrics,
    QModelIndex,
    QObject,
    QPainter,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
)
from console.ui.row_fonts import row_fonts
from console.ui.theme import Colors

ModelIndex = QModelIndex | QPersistentModelIndex

PAD_X = 16
PAD_Y = 9
LINE_GAP = 5
TAG_PAD = 6
GAP = 8
MARK = QColor("#ffe27a")  # a highlighter's yellow: reads on white and on the selection
MARK_TEXT = QColor("#1f2328")  # dark ink on the yellow, in either theme
MATCH_ROOM = 24  # a match ending closer than this to the row's end is cut in "…"


def draw_marked(
    painter: QPainter, rect: QRectF, text: str, spans: Spans, font: QFont, color: QColor
) -> float:
    """Draw `text` left-aligned in `rect`, cut with "…" to fit, with `spans` on a mark.
    Returns the width drawn."""
    metrics = QFontMetrics(font)
    if spans and metrics.horizontalAdvance(text[: spans[0][1]]) > rect.width() - MATCH_ROOM:
        text, spans = cut_before(text, spans, spans[0][0])  # the match is what must show
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
    visible = len(shown) - (1 if shown != text and shown.endswith("…") else 0)
    painter.setFont(font)
    top, height = rect.top(), rect.height()
    marks: list[QRectF] = []
    for start, end in spans:
        if start >= visible:
            break
        end = min(end, visible)
        x0 = rect.left() + metrics.horizontalAdvance(shown[:start])
        x1 = rect.left() + metrics.horizontalAdvance(shown[:end])
        marks.append(QRectF(x0 - 1, top + 1, x1 - x0 + 2, height - 2))
        painter.fillRect(marks[-1], MARK)
    painter.setPen(color)
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    painter.drawText(rect, flags, shown)
    if marks and color != MARK_TEXT:  # light text (dark theme, selection) on the yellow
        painter.save()
        painter.setPen(MARK_TEXT)
        for mark in marks:
            painter.setClipRect(mark)
            painter.drawText(rect, flags, shown)
        painter.restore()
    return float(metrics.horizontalAdvance(shown))


class HistoryDelegate(QStyledItemDelegate):
    def __init__(self, model: HistoryModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    @staticmethod
    def _fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
        return row_fonts(base, 0.86)

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        title = QFontMetrics(self._fonts(option.font)[0]).height()
        body = QFontMetrics(option.font).height()
        return QSize(320, PAD_Y * 2 + title + LINE_GAP + body)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if selected:
            painter.fillRect(rect, Colors.accent_soft)
        elif hovered:
            painter.fillRect(rect, Colors.hover)
        painter.setPen(Colors.border)
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        found = self._model.entry_at(index.row())
        if found is None:
            painter.setPen(Colors.faint)
            painter.setFont(option.font)
            painter.drawText(rect.adjusted(PAD_X, 0, -PAD_X, 0),
                             int(Qt.AlignmentFlag.AlignVCenter),
                             translate("HistoryDelegate", "Loading…"))
        else:
            self._paint_entry(painter, option, rect, found)
        if option.state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(Colors.accent)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()

    def _paint_entry(
        self, painter: QPainter, option: QStyleOptionViewItem, rect: QRect, found: Entry
    ) -> None:
        base: QFont = option.font
        title_font, small, tag_font = self._fonts(base)
        title_height = QFontMetrics(title_font).height()
        left = float(rect.left() + PAD_X)
        right = float(rect.right() - PAD_X)
        top = float(rect.top() + PAD_Y)

        # Right: "Sent · Delivered   14:05"
        small_metrics = QFontMetrics(small)
        right_text = f"{found.state}   {found.time}"
        right_width = small_metrics.horizontalAdvance(right_text)
        painter.setFont(small)
        # "Sent · Failed", "Sent · Undelivered": from the row, not its (translated) words.
        failed = (
            found.row.channel is not HistoryChannel.GROUP_MESSAGE
            and found.row.direction is not Direction.IN
            and found.row.status.value in FAILED_STATUSES
        )
        note = found.row.note  # an internal note: in the note colours, as in the chat
        painter.setPen(Colors.danger if failed else Colors.warning_text if note else Colors.muted)
        painter.drawText(
            QRectF(right - right_width, top, right_width, title_height),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), right_text,
        )
        limit = right - right_width - GAP

        # Left: [channel] Title · Author
        tag_metrics = QFontMetrics(tag_font)
        tag_width = tag_metrics.horizontalAdvance(found.channel) + 2 * TAG_PAD
        tag_height = tag_metrics.height() + 2
        tag = QRectF(left, top + (title_height - tag_height) / 2, tag_width, tag_height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(Colors.warning_soft if note else Colors.inbound)
        painter.drawRoundedRect(tag, tag_height / 2, tag_height / 2)
        painter.setFont(tag_font)
        painter.setPen(Colors.warning_text if note else Colors.muted)
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, found.channel)
        x = tag.right() + GAP
        title_room = max(0.0, (limit - x) * 0.6)
        used = draw_marked(painter, QRectF(x, top, title_room, title_height),
                           found.title, found.title_spans, title_font, Colors.text)
        x += used
        if found.author and found.author != found.title and limit - x > 30:
            dot = "  ·  "
            painter.setFont(small)
            painter.setPen(Colors.faint)
            dot_width = small_metrics.horizontalAdvance(dot)
            painter.drawText(QRectF(x, top, dot_width, title_height),
                             int(Qt.AlignmentFlag.AlignVCenter), dot)
            x += dot_width
            draw_marked(painter, QRectF(x, top, limit - x, title_height), found.author,
                        found.author_spans, base, Colors.muted)

        # Below: the body, cut to one line near its first match.
        body_top = top + title_height + LINE_GAP
        body_height = QFontMetrics(base).height()
        draw_marked(painter, QRectF(left, body_top, right - left, body_height), found.body,
                    found.body_spans, base, Colors.text)
