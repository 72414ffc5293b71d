"""Paints a message as a chat bubble: outbound right in the accent colour, inbound left.

Each row may carry a day separator and an author line (first of a run by one author; in a
group chat the participant's name and number, from the model's `author_label`); the
bubble holds the body and a meta line (time, and for outbound messages the delivery state with
its tick). A failed message turns red and says why underneath. An outbound group message
some participants did not get says so on its meta line ("Delivered to 2 of 3 — 1 failed") and
names them underneath in red; a click on its bubble, Space or Enter opens `deliveryDetails`
(console/ui/delivery_details.py) with each participant's delivery. Geometry is cached per row
state and width, since Qt asks for size hints far more often than rows change.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.domain.messages import Direction, MessageStatus
from console.services.types import MessageRow
from console.ui.delivery_details import DeliveryDetails
from console.ui.formatting import FAILED_STATUSES, clock_time, day_label, local, status_label
from console.ui.message_flash import MessageFlash
from console.ui.message_model import MessageListModel, is_retryable, reply_label
from console.ui.qt import (
    QAbstractItemModel,
    QColor,
    QEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QListView,
    QModelIndex,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTextLayout,
    QTextOption,
)
from console.ui.recipient_delivery import partly_delivered
from console.ui.theme import Colors

ModelIndex = QModelIndex | QPersistentModelIndex

SIDE = 20  # gap between the view's edge and a bubble
PAD_X = 12
PAD_Y = 8
RADIUS = 14.0
TIGHT_RADIUS = 4.0
DAY_HEIGHT = 40
AUTHOR_GAP = 4
META_GAP = 3
ROW_GAP = 4
ICON = 14.0
MAX_BUBBLE = 560
_CACHE_LIMIT = 4000
MIN_WIDTH = 240  # narrower than this, bubbles are laid out as if it were this wide
RETRY_LABEL = "Retry"
DISCARD_LABEL = "Discard"
ACTION_PAD = 8
ACTION_GAP = 6


@dataclass
class _Geometry:
    """Where things go, relative to the row's top-left corner."""

    height: int
    outbound: bool
    day: QRectF | None
    author: QRectF | None
    bubble: QRectF
    text_origin: QPointF
    text: QTextLayout
    meta: QRectF
    meta_text: str
    failure: QRectF | None
    failure_text: str
    retry: QRectF | None = None  # inline actions under a message the server refused
    discard: QRectF | None = None
    reply: QRectF | None = None  # "Reply to group message ..." above a person's answer
    reply_text: str = ""


def _wrapped(text: str, font: QFont, width: float) -> tuple[QTextLayout, float, float]:
    """Lay `text` out within `width`; returns the layout, its widest line and its height."""
    # QTextLayout breaks lines only at U+2028, not at "\n".
    layout = QTextLayout(text.replace("\r\n", "\n").replace("\n", "\u2028"), font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    y = 0.0
    widest = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, y))
        y += line.height()
        widest = max(widest, line.naturalTextWidth())
    layout.endLayout()
    return layout, widest, y


def _failed(row: MessageRow) -> bool:
    """Red, with its reason underneath: failed for everyone (a group message some
    participants got is worded on its status line instead)."""
    return row.status in FAILED_STATUSES and not partly_delivered(row)


def bubble_path(rect: QRectF, outbound: bool, first_of_run: bool) -> QPainterPath:
    """A rounded bubble whose corner next to the author line is tighter, like a tail."""
    tl = tr = br = bl = RADIUS
    if first_of_run:
        if outbound:
            tr = TIGHT_RADIUS
        else:
            tl = TIGHT_RADIUS
    path = QPainterPath()
    x, y, w, h = rect.x(), rect.y(), rect.width(), rect.height()
    path.moveTo(x + tl, y)
    path.lineTo(x + w - tr, y)
    path.quadTo(x + w, y, x + w, y + tr)
    path.lineTo(x + w, y + h - br)
    path.quadTo(x + w, y + h, x + w - br, y + h)
    path.lineTo(x + bl, y + h)
    path.quadTo(x, y + h, x, y + h - bl)
    path.lineTo(x, y + tl)
    path.quadTo(x, y, x + tl, y)
    path.closeSubpath()
    return path


def draw_status_icon(painter: QPainter, center: QPointF, status: str, color: QColor) -> None:
    """Clock for pending, one tick for queued/sent, two for delivered, "!" for failures."""
    painter.save()
    pen = QPen(color, 1.4)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    x, y = center.x(), center.y()
    if status == MessageStatus.PENDING:
        painter.drawEllipse(center, 5.0, 5.0)
        painter.drawLine(QPointF(x, y - 3), QPointF(x, y))
        painter.drawLine(QPointF(x, y), QPointF(x + 2.2, y + 1.4))
    elif status in FAILED_STATUSES:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(center, 6.0, 6.0)
        white = QPen(QColor("#ffffff"), 1.6)
        white.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(white)
        painter.drawLine(QPointF(x, y - 3), QPointF(x, y + 0.6))
        painter.drawPoint(QPointF(x, y + 3))
    else:
        ticks = 2 if status == MessageStatus.DELIVERED else 1
        offset = -2.0 if ticks == 2 else 0.0
        for tick in range(ticks):
            dx = offset + tick * 4.0
            path = QPainterPath()
            path.moveTo(x - 4.5 + dx, y)
            path.lineTo(x - 1.8 + dx, y + 2.8)
            path.lineTo(x + 3.6 + dx, y - 3.0)
            painter.drawPath(path)
    painter.restore()


# The find bar's marks (console/ui/conversation_search.py): every match, and the current one.
MATCH_OTHER = QColor("#ffe27a")
MATCH_CURRENT = QColor("#ff9632")
MATCH_TEXT = QColor("#1f2328")


class MessageDelegate(QStyledItemDelegate):
    """Paints message bubbles. The view tells it its width (`set_width`) and it reads rows from
    the model's Python side: sizeHint runs for every loaded row on each layout, and every call
    into Qt from here lets go of the interpreter lock, which costs most while a sync runs."""

    def __init__(self, view: QListView, model: MessageListModel):
        super().__init__(view)
        self._view = view
        self._model = model
        self._width = max(view.viewport().width(), MIN_WIDTH)
        self._cache: dict[tuple[object, ...], _Geometry] = {}
        view.activated.connect(self._on_activated)
        # A message History jumped to glows for a moment (ConversationPanel.reveal_message).
        self.flash = MessageFlash(view, model)

    def set_width(self, viewport_width: int) -> None:
        self._width = max(viewport_width, MIN_WIDTH)

    # -- fonts --------------------------------------------------------------------------------
    @staticmethod
    def _small(base: QFont, bold: bool = False) -> QFont:
        font = QFont(base)
        font.setPointSizeF(base.pointSizeF() * 0.84)
        if bold:
            font.setWeight(QFont.Weight.DemiBold)
        return font

    # -- geometry -----------------------------------------------------------------------------
    def _geometry(self, option: QStyleOptionViewItem, index: ModelIndex) -> _Geometry | None:
        inputs = self._model.layout_inputs(index.row())
        if inputs is None:
            return None
        row, show_day, show_author = inputs
        width = self._width
        font: QFont = option.font
        # The participants too, by value (an id() of a freed tuple comes back for the next
        # one): a group message's status line names them.
        cache_key = (row, show_day, show_author, width, font.key(), self._model.participants)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        geometry = self._compute(row, show_day, show_author, width, font)
        self._cache[cache_key] = geometry
        return geometry

    def _compute(
        self, row: MessageRow, show_day: bool, show_author: bool, width: int, font: QFont
    ) -> _Geometry:
        outbound = row.direction == Direction.OUT
        small = self._small(font)
        small_metrics = QFontMetrics(small)
        y = 0.0
        day = None
        if show_day:
            day = QRectF(0, 0, width, DAY_HEIGHT)
            y += DAY_HEIGHT
        else:
            y += ROW_GAP
        author = None
        if show_author:
            author_height = QFontMetrics(self._small(font, bold=True)).height()
            author = QRectF(SIDE + 4, y, width - 2 * SIDE - 8, author_height)
            y += author_height + AUTHOR_GAP
        reply = None
        reply_text = reply_label(row)
        if reply_text:
            reply_height = small_metrics.height()
            reply = QRectF(SIDE + 4, y, width - 2 * SIDE - 8, reply_height)
            y += reply_height + AUTHOR_GAP

        failed = outbound and _failed(row)
        # A group message some participants did not get: counts on the status line, who
        # under the bubble.
        summary, partial = self._model.delivery_status(row) if outbound else ("", "")
        meta_text = clock_time(row.created_at)
        if outbound and not failed:
            meta_text += " · " + (summary or status_label(row.status))
        meta_width = small_metrics.horizontalAdvance(meta_text) + (ICON + 4 if outbound else 0)

        max_bubble = min(width * 0.72, MAX_BUBBLE)
        text_width = max_bubble - 2 * PAD_X
        layout, widest, text_height = _wrapped(row.body, font, text_width)
        inner = max(widest, meta_width)
        bubble_w = min(max_bubble, inner + 2 * PAD_X + 1)
        bubble_h = PAD_Y + text_height + META_GAP + small_metrics.height() + PAD_Y - 2
        left = width - SIDE - bubble_w if outbound else SIDE
        bubble = QRectF(left, y, bubble_w, bubble_h)
        text_origin = QPointF(left + PAD_X, y + PAD_Y)
        meta = QRectF(
            bubble.right() - PAD_X - meta_width,
            y + PAD_Y + text_height + META_GAP,
            meta_width,
            small_metrics.height(),
        )
        y += bubble_h

        failure = None
        failure_text = ""
        retry = discard = None
        if failed or partial:
            failure_text = status_label(row.status, row.error) if failed else partial
            y += 3
            line_h = small_metrics.height()
            right = float(width - SIDE)
            if is_retryable(row):
                bold = QFontMetrics(self._small(font, bold=True))
                discard_w = bold.horizontalAdvance(DISCARD_LABEL) + 2 * ACTION_PAD
                retry_w = bold.horizontalAdvance(RETRY_LABEL) + 2 * ACTION_PAD
                discard = QRectF(right - discard_w, y - 1, discard_w, line_h + 2)
                retry = QRectF(discard.left() - ACTION_GAP - retry_w, y - 1, retry_w, line_h + 2)
                right = retry.left() - ACTION_GAP
            failure = QRectF(SIDE, y, max(0.0, right - SIDE), line_h)
            y += line_h
        y += ROW_GAP
        return _Geometry(
            height=int(y + 0.999),
            outbound=outbound,
            day=day,
            author=author,
            bubble=bubble,
            text_origin=text_origin,
            text=layout,
            meta=meta,
            meta_text=meta_text,
            failure=failure,
            failure_text=failure_text,
            retry=retry,
            discard=discard,
            reply=reply,
            reply_text=reply_text,
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        geometry = self._geometry(option, index)
        if geometry is None:
            return super().sizeHint(option, index)
        return QSize(self._width, geometry.height)

    # -- painting -----------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        geometry = self._geometry(option, index)
        inputs = self._model.layout_inputs(index.row())
        row = inputs[0] if inputs is not None else None
        if geometry is None or row is None:
            super().paint(painter, option, index)
            return
        font: QFont = option.font
        small = self._small(font)
        painter.save()
        painter.translate(QPointF(option.rect.topLeft()))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        self._paint_flash(painter, geometry, self.flash.strength(row.key))

        if geometry.day is not None:
            self._paint_day(painter, geometry.day, row, small)
        if geometry.author is not None:
            painter.setFont(self._small(font, bold=True))
            painter.setPen(Colors.muted)
            align = Qt.AlignmentFlag.AlignRight if geometry.outbound else Qt.AlignmentFlag.AlignLeft
            flags = int(align | Qt.AlignmentFlag.AlignVCenter)
            metrics = QFontMetrics(painter.font())
            author = metrics.elidedText(
                self._model.author_label_at(index.row()),
                Qt.TextElideMode.ElideRight,
                int(geometry.author.width()),
            )
            painter.drawText(geometry.author, flags, author)
        if geometry.reply is not None:
            reply_font = self._small(font)
            reply_font.setItalic(True)
            painter.setFont(reply_font)
            painter.setPen(Colors.muted)
            shown = QFontMetrics(reply_font).elidedText(
                geometry.reply_text, Qt.TextElideMode.ElideRight, int(geometry.reply.width())
            )
            painter.drawText(
                geometry.reply, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                shown,
            )

        failed = geometry.outbound and _failed(row)
        pending = row.status == MessageStatus.PENDING
        if geometry.outbound and not failed:
            fill, text_color = Colors.accent, Colors.accent_text
            meta_color = Colors.accent_muted_text
        elif failed:
            fill, text_color, meta_color = Colors.danger_soft, Colors.text, Colors.danger
        else:
            fill, text_color, meta_color = Colors.inbound, Colors.text, Colors.muted
        if pending:
            painter.setOpacity(0.78)  # not yet accepted by the backend: a little see-through
        path = bubble_path(geometry.bubble, geometry.outbound, geometry.author is not None)
        painter.setPen(QPen(Colors.danger, 1.0) if failed else Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawPath(path)

        painter.setPen(text_color)
        marks = self._match_marks(row)
        if marks:
            geometry.text.draw(painter, geometry.text_origin, marks)
        else:
            geometry.text.draw(painter, geometry.text_origin)

        painter.setFont(small)
        painter.setPen(meta_color)
        meta = geometry.meta
        text_rect = QRectF(meta)
        if geometry.outbound:
            text_rect.setRight(meta.right() - ICON - 4)
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            geometry.meta_text,
        )
        if geometry.outbound:
            center = QPointF(meta.right() - ICON / 2, meta.center().y())
            # A group message some participants did not get: its "!" in red, readable on
            # the blue bubble (in the meta colour it is a blank dot).
            icon_color = Colors.danger if partly_delivered(row) else meta_color
            draw_status_icon(painter, center, row.status, icon_color)
        painter.setOpacity(1.0)

        if geometry.failure is not None:
            painter.setFont(small)
            painter.setPen(Colors.danger)
            metrics = QFontMetrics(small)
            text = metrics.elidedText(
                geometry.failure_text, Qt.TextElideMode.ElideRight, int(geometry.failure.width())
            )
            painter.drawText(
                geometry.failure,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
        for rect, label in ((geometry.retry, RETRY_LABEL), (geometry.discard, DISCARD_LABEL)):
            if rect is not None:
                self._paint_action(painter, rect, label, font)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus) and self._view.hasFocus()
        if focused:
            # Keyboard users see which message Ctrl+R / Delete / the menu key act on.
            painter.setPen(QPen(Colors.accent, 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(geometry.bubble.adjusted(-3, -3, 3, 3), RADIUS, RADIUS)
        painter.restore()

    def _match_marks(self, row: MessageRow) -> list[QTextLayout.FormatRange]:
        """The find bar's words in `row`'s text as marks: a highlighter's yellow, the current
        match orange (as browsers do), dark text on both so they read on a blue bubble too."""
        spans = self._model.match_spans(row)
        if not spans:
            return []
        current = row.key == self._model.current_match
        fill = MATCH_CURRENT if current else MATCH_OTHER
        body = row.body
        marks: list[QTextLayout.FormatRange] = []
        for start, end in spans:
            if "\r\n" in body:  # the layout's text has "\n" for each "\r\n" (_wrapped)
                start -= body.count("\r\n", 0, start)
                end -= body.count("\r\n", 0, end)
            mark = QTextLayout.FormatRange()
            mark.start, mark.length = start, end - start
            text_format = mark.format
            text_format.setBackground(fill)
            text_format.setForeground(MATCH_TEXT)
            mark.format = text_format
            marks.append(mark)
        return marks

    def _paint_flash(self, painter: QPainter, geometry: _Geometry, strength: float) -> None:
        """The flash behind a message just jumped to: a band across the row, the bubble ringed."""
        if strength <= 0.0:
            return
        band = QColor(Colors.warning)
        band.setAlphaF(0.22 * strength)
        bubble = geometry.bubble
        painter.fillRect(QRectF(0, bubble.top() - 3, self._width, bubble.height() + 6), band)
        ring = QColor(Colors.warning)
        ring.setAlphaF(strength)
        painter.setPen(QPen(ring, 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(geometry.bubble.adjusted(-3, -3, 3, 3), RADIUS, RADIUS)

    def _paint_action(self, painter: QPainter, rect: QRectF, label: str, font: QFont) -> None:
        bold = self._small(font, bold=True)
        painter.setFont(bold)
        painter.setPen(QPen(Colors.accent, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)

    def action_rects(self, index: ModelIndex) -> dict[str, QRectF]:
        """Where the Retry / Discard buttons of a row are (row coordinates; none if it has none)."""
        option = QStyleOptionViewItem()
        option.font = self._view.font()
        geometry = self._geometry(option, index)
        if geometry is None:
            return {}
        found = {"retry": geometry.retry, "discard": geometry.discard}
        return {name: rect for name, rect in found.items() if rect is not None}

    def status_lines(self, index: ModelIndex) -> tuple[str, str]:
        """What the bubble says beside its time ("14:05 · Delivered to 2 of 3 — 1 failed") and
        under it in red (a failure, or who a group message did not reach); "" for none."""
        geometry = self._geometry(self._option(), index)
        return (geometry.meta_text, geometry.failure_text) if geometry is not None else ("", "")

    def bubble_rect(self, index: ModelIndex) -> QRectF:
        """The bubble of a row, in the row's coordinates (empty when there is no row)."""
        geometry = self._geometry(self._option(), index)
        return QRectF(geometry.bubble) if geometry is not None else QRectF()

    def _option(self) -> QStyleOptionViewItem:
        option = QStyleOptionViewItem()
        option.font = self._view.font()
        return option

    # -- the delivery detail popup of a group message ---------------------------------------
    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: ModelIndex,
    ) -> bool:
        """A click on an outbound group message's bubble, or Space on it, opens its
        `deliveryDetails` (the view hands clicks here once Retry / Discard passed on them)."""
        asks = self._asks_for_delivery(event, option, index)
        if asks and self.show_delivery(index) is not None:
            return True
        return super().editorEvent(event, model, option, index)

    def _asks_for_delivery(
        self, event: QEvent, option: QStyleOptionViewItem, index: ModelIndex
    ) -> bool:
        if isinstance(event, QKeyEvent):
            return event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Space
        if not isinstance(event, QMouseEvent) or event.type() != QEvent.Type.MouseButtonRelease:
            return False
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        geometry = self._geometry(option, index)
        point = event.position() - QPointF(option.rect.topLeft())
        return geometry is not None and geometry.bubble.contains(point)

    def show_delivery(self, index: ModelIndex) -> DeliveryDetails | None:
        """Open (or bring forward) the delivery details of the message at `index`; None when
        it is not an outbound group message."""
        row = self._model.message_at(index.row()) if index.isValid() else None
        if row is None or not self._model.recipients(row):
            return None
        for open_ in self._view.findChildren(DeliveryDetails):
            if open_.key == row.key and open_.isVisible():
                open_.raise_()
                open_.activateWindow()
                return open_
        details = DeliveryDetails(self._model, row.key, self._view)
        details.show()  # not modal: the chat stays readable, and the popup follows it
        return details

    def _on_activated(self, index: QModelIndex) -> None:
        self.show_delivery(index)  # Enter on the focused message (or a double-click)

    def action_at(self, index: ModelIndex, point: QPointF) -> str | None:
        """"retry" / "discard" when `point` (in the row's coordinates) is on that button."""
        for name, rect in self.action_rects(index).items():
            if rect.contains(point):
                return name
        return None

    @staticmethod
    def _paint_day(painter: QPainter, rect: QRectF, row: MessageRow, font: QFont) -> None:
        label = day_label(local(row.created_at).date())
        metrics = QFontMetrics(font)
        pill_w = metrics.horizontalAdvance(label) + 20
        pill_h = metrics.height() + 6
        center = rect.center()
        pill = QRectF(center.x() - pill_w / 2, center.y() - pill_h / 2, pill_w, pill_h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e8ebf0"))
        painter.drawRoundedRect(pill, pill_h / 2, pill_h / 2)
        painter.setFont(font)
        painter.setPen(Colors.separator_text)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, label)

    def clear_cache(self) -> None:
        self._cache.clear()
