"""Paints a message as a chat bubble: outbound right in the accent colour, inbound left.

Each row may carry a day separator and an author line (first of a run by one author; in a
group chat the participant's name and number, from the model's `author_label`); the
bubble holds the body and a meta line (time, and for outbound messages the delivery state with
its tick). A failed message turns red and says why underneath. An outbound group message
some participants did not get says so on its meta line ("Delivered to 2 of 3 — 1 failed") and
names them underneath in red; a click on its bubble, Space or Enter opens `deliveryDetails`
(console/ui/delivery_details.py) with each participant's delivery. Geometry is cached per
message and width (console/ui/message_sizes.py), since Qt asks for the size of every loaded row
on each layout, far more often than rows change; `warm` measures rows before they are inserted.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.domain.messages import Direction, MessageStatus
from console.services.types import MessageRow
from console.ui.delivery_details import DeliveryDetails
from console.ui.formatting import FAILED_STATUSES, clock_time, day_label, local, status_label
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.message_flash import MessageFlash
from console.ui.message_model import (
    MessageListModel,
    is_retryable,
    reply_label,
    starts_day,
    starts_run,
)
from console.ui.message_sizes import SizeCache
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
MIN_WIDTH = 240  # narrower than this, bubbles are laid out as if it were this wide
# Marked for translation; shown as translate("MessageDelegate", RETRY_LABEL).
RETRY_LABEL = QT_TRANSLATE_NOOP("MessageDelegate", "Retry")
DISCARD_LABEL = QT_TRANSLATE_NOOP("MessageDelegate", "Discard")
ACTION_PAD = 8
ACTION_GAP = 6


@dataclass(frozen=True)
class _Fonts:
    """The fonts a bubble uses, derived from the view's font once (not on each paint)."""

    base: QFont
    small: QFont
    small_bold: QFont
    small_italic: QFont
    small_metrics: QFontMetrics
    bold_metrics: QFontMetrics
    italic_metrics: QFontMetrics

    @classmethod
    def of(cls, base: QFont) -> _Fonts:
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.84)
        bold = QFont(small)
        bold.setWeight(QFont.Weight.DemiBold)
        italic = QFont(small)
        italic.setItalic(True)
        return cls(
            QFont(base), small, bold, italic,
            QFontMetrics(small), QFontMetrics(bold), QFontMetrics(italic),
        )


@dataclass(slots=True)
class _Geometry:
    """Where things go, relative to the row's top-left corner, and what is drawn there (the
    texts already elided, the bubble's outline already built: a paint only draws)."""

    size: QSize  # the row's: the view's width, the height of all of it
    height: int
    fonts: _Fonts
    outbound: bool
    day: QRectF | None
    author: QRectF | None
    bubble: QRectF
    path: QPainterPath  # the bubble's outline
    text_origin: QPointF
    text: QTextLayout
    meta: QRectF  # the meta line's text (left of the status icon of an outbound one)
    meta_text: str
    icon: QPointF  # the status icon's centre (outbound)
    failure: QRectF | None
    failure_text: str
    failure_shown: str = ""  # failure_text elided to its rectangle
    retry: QRectF | None = None  # inline actions under a message the server refused
    discard: QRectF | None = None
    reply: QRectF | None = None  # "Reply to group message ..." above a person's answer
    reply_text: str = ""
    reply_shown: str = ""  # elided
    author_shown: str = ""  # the author line, elided
    day_pill: QRectF | None = None  # the day separator's pill and its label
    day_text: str = ""
    # An internal note: a centred card in the warning-soft colours, its header ("Internal
    # note · author · time") where a bubble has its meta line, and no status tick.
    note: bool = False


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
        white = QPen(Colors.accent_text, 1.6)
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


def _bubble_colors(
    geometry: _Geometry, failed: bool
) -> tuple[QColor, QColor, QColor, QColor | None]:
    """(fill, text, meta line, outline or None) of a bubble or a note's card."""
    if geometry.note:
        # One palette for stylesheets and painters: compose's note mode is these colours.
        outline = Colors.danger if failed else Colors.warning_border
        return Colors.warning_soft, Colors.text, Colors.warning_text, outline
    if failed:
        return Colors.danger_soft, Colors.text, Colors.danger, Colors.danger
    if geometry.outbound:
        return Colors.accent, Colors.accent_text, Colors.accent_muted_text, None
    return Colors.inbound, Colors.text, Colors.muted, None


_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_HINTS = QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing

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
        self._sizes: SizeCache[_Geometry] = SizeCache()
        # What every cached geometry was laid out with besides its row: when the participants
        # change (their names are in status lines) the cache starts over.
        self._participants = model.participants
        self._offline = model.offline
        self._fonts: dict[str, _Fonts] = {}  # by QFont.key() of the view's font
        self.measurements = 0  # bubbles laid out so far (tests look: each once per width)
        view.activated.connect(self._on_activated)
        # A message History jumped to glows for a moment (ConversationPanel.reveal_message).
        self.flash = MessageFlash(view, model)

    def set_width(self, viewport_width: int) -> None:
        self._width = max(viewport_width, MIN_WIDTH)

    @property
    def width(self) -> int:
        """The width bubbles are laid out for."""
        return self._width

    # -- fonts --------------------------------------------------------------------------------
    def _fonts_for(self, base: QFont) -> _Fonts:
        key = base.key()
        fonts = self._fonts.get(key)
        if fonts is None:
            fonts = self._fonts[key] = _Fonts.of(base)
        return fonts

    # -- geometry -----------------------------------------------------------------------------
    def _geometry(self, option: QStyleOptionViewItem, index: ModelIndex) -> _Geometry | None:
        pair = self._model.pair_at(index.row())
        if pair is None:
            return None
        self._check_cache()
        row, previous = pair
        cached = self._sizes.get(self._width, row, previous)
        if cached is not None:
            return cached
        return self._measure(row, previous, option.font)

    def _check_cache(self) -> None:
        """Forget sizes measured for another chat's participants (author lines), or with
        the other status text of pending messages (online "Sending…", offline "Waiting to
        send"): only the pending rows' sizes go then."""
        model = self._model
        if model.participants is not self._participants:
            self._participants = model.participants
            self._sizes.clear()
        if model.offline != self._offline:
            self._offline = model.offline
            pending = (model.message_at(n) for n in range(model.rowCount()))
            self._sizes.discard(
                row.key for row in pending
                if row is not None and row.status == MessageStatus.PENDING
            )

    def _measure(self, row: MessageRow, previous: MessageRow | None, font: QFont) -> _Geometry:
        self.measurements += 1
        width = self._width
        show_day = starts_day(row, previous)
        geometry = self._compute(row, show_day, starts_run(row, previous), width, font)
        self._sizes.put(width, row, previous, geometry, keep=self._model.loaded())
        return geometry

    def warm(self, row: MessageRow, previous: MessageRow | None) -> None:
        """Measure `row` (below `previous`) for the view's width and font now, so the layout
        after it is inserted finds its size cached (the pager measures a page a few rows per
        event-loop turn: ~145 µs a row, 15 ms for a page at once)."""
        self._check_cache()
        if self._sizes.get(self._width, row, previous) is None:
            self._measure(row, previous, self._view.font())

    def _compute(
        self, row: MessageRow, show_day: bool, show_author: bool, width: int, font: QFont
    ) -> _Geometry:
        outbound = row.direction == Direction.OUT
        if row.note:
            show_author = False  # the card's own header names the author
        fonts = self._fonts_for(font)
        small_metrics = fonts.small_metrics
        line_h = small_metrics.height()
        y = 0.0
        day = day_pill = None
        day_text = ""
        if show_day:
            day = QRectF(0, 0, width, DAY_HEIGHT)
            day_text = day_label(local(row.created_at).date())
            pill_w = small_metrics.horizontalAdvance(day_text) + 20
            pill_h = line_h + 6
            center = day.center()
            day_pill = QRectF(center.x() - pill_w / 2, center.y() - pill_h / 2, pill_w, pill_h)
            y += DAY_HEIGHT
        else:
            y += ROW_GAP
        author = None
        author_shown = ""
        if show_author:
            author_height = fonts.bold_metrics.height()
            author = QRectF(SIDE + 4, y, width - 2 * SIDE - 8, author_height)
            author_shown = fonts.bold_metrics.elidedText(
                self._model.author_label(row), Qt.TextElideMode.ElideRight, int(author.width())
            )
            y += author_height + AUTHOR_GAP
        reply = None
        reply_text = reply_label(row)
        reply_shown = ""
        if reply_text:
            reply = QRectF(SIDE + 4, y, width - 2 * SIDE - 8, line_h)
            reply_shown = fonts.italic_metrics.elidedText(
                reply_text, Qt.TextElideMode.ElideRight, int(reply.width())
            )
            y += line_h + AUTHOR_GAP

        failed = outbound and _failed(row)
        # A group message some participants did not get: counts on the status line, who
        # under the bubble.
        summary, partial = self._model.delivery_status(row) if outbound else ("", "")
        meta_text = clock_time(row.created_at)
        if outbound and not failed:
            meta_text += " · " + (summary or self._model.status_text(row.status))
        meta_width = small_metrics.horizontalAdvance(meta_text) + (ICON + 4 if outbound else 0)

        if row.note:
            bubble, text_origin, layout, meta, meta_text = self._note_card(row, fonts, width, y)
            icon = meta.center()  # no tick is drawn on a note
            y += bubble.height()
        else:
            max_bubble = min(width * 0.72, MAX_BUBBLE)
            text_width = max_bubble - 2 * PAD_X
            layout, widest, text_height = _wrapped(row.body, fonts.base, text_width)
            inner = max(widest, meta_width)
            bubble_w = min(max_bubble, inner + 2 * PAD_X + 1)
            bubble_h = PAD_Y + text_height + META_GAP + line_h + PAD_Y - 2
            left = width - SIDE - bubble_w if outbound else SIDE
            bubble = QRectF(left, y, bubble_w, bubble_h)
            text_origin = QPointF(left + PAD_X, y + PAD_Y)
            meta = QRectF(
                bubble.right() - PAD_X - meta_width,
                y + PAD_Y + text_height + META_GAP,
                meta_width,
                line_h,
            )
            icon = QPointF(meta.right() - ICON / 2, meta.center().y())
            if outbound:
                meta.setRight(meta.right() - ICON - 4)
            y += bubble_h

        failure = None
        failure_text = failure_shown = ""
        retry = discard = None
        if failed or partial:
            failure_text = status_label(row.status, row.error) if failed else partial
            y += 3
            right = float(width - SIDE)
            if is_retryable(row):
                bold = fonts.bold_metrics
                discard_label = translate("MessageDelegate", DISCARD_LABEL)
                retry_label = translate("MessageDelegate", RETRY_LABEL)
                discard_w = bold.horizontalAdvance(discard_label) + 2 * ACTION_PAD
                retry_w = bold.horizontalAdvance(retry_label) + 2 * ACTION_PAD
                discard = QRectF(right - discard_w, y - 1, discard_w, line_h + 2)
                retry = QRectF(discard.left() - ACTION_GAP - retry_w, y - 1, retry_w, line_h + 2)
                right = retry.left() - ACTION_GAP
            failure = QRectF(SIDE, y, max(0.0, right - SIDE), line_h)
            failure_shown = small_metrics.elidedText(
                failure_text, Qt.TextElideMode.ElideRight, int(failure.width())
            )
            y += line_h
        y += ROW_GAP
        height = int(y + 0.999)
        return _Geometry(
            size=QSize(width, height),
            height=height,
            fonts=fonts,
            outbound=outbound,
            day=day,
            author=author,
            bubble=bubble,
            path=bubble_path(bubble, outbound, author is not None and not row.note),
            text_origin=text_origin,
            text=layout,
            meta=meta,
            meta_text=meta_text,
            icon=icon,
            failure=failure,
            failure_text=failure_text,
            failure_shown=failure_shown,
            retry=retry,
            discard=discard,
            reply=reply,
            reply_text=reply_text,
            reply_shown=reply_shown,
            author_shown=author_shown,
            day_pill=day_pill,
            day_text=day_text,
            note=row.note,
        )

    def _note_card(
        self, row: MessageRow, fonts: _Fonts, width: int, top: float
    ) -> tuple[QRectF, QPointF, QTextLayout, QRectF, str]:
        """A note's card, centred across the view (it belongs to the thread, not to either
        side of it): its header line on top, then the text. Returns (card, text origin, text
        layout, header rectangle, header text elided)."""
        line_h = fonts.bold_metrics.height()
        card_w = float(min(width - 2 * SIDE, MAX_BUBBLE + 2 * PAD_X))
        left = (width - card_w) / 2
        header = QRectF(left + PAD_X, top + PAD_Y, card_w - 2 * PAD_X, line_h)
        header_text = fonts.bold_metrics.elidedText(
            self._model.note_header(row), Qt.TextElideMode.ElideRight, int(header.width())
        )
        layout, _widest, text_height = _wrapped(row.body, fonts.base, card_w - 2 * PAD_X)
        text_origin = QPointF(left + PAD_X, header.bottom() + META_GAP)
        card_h = PAD_Y + line_h + META_GAP + text_height + PAD_Y
        return QRectF(left, top, card_w, card_h), text_origin, layout, header, header_text

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        geometry = self._geometry(option, index)
        if geometry is None:
            return super().sizeHint(option, index)
        return geometry.size

    # -- painting -----------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        # Every call into Qt costs (and lets go of the interpreter lock): what can be worked
        # out once is in the geometry, measured with the row.
        geometry = self._geometry(option, index)
        row = self._model.message_at(index.row())
        if geometry is None or row is None:
            super().paint(painter, option, index)
            return
        fonts = geometry.fonts
        painter.save()
        painter.translate(QPointF(option.rect.topLeft()))
        painter.setRenderHint(_HINTS, True)
        self._paint_flash(painter, geometry, self.flash.strength(row.key))

        if geometry.day_pill is not None:
            self._paint_day(painter, geometry.day_pill, geometry.day_text, fonts.small)
        if geometry.author is not None:
            painter.setFont(fonts.small_bold)
            painter.setPen(Colors.muted)
            painter.drawText(
                geometry.author, _RIGHT if geometry.outbound else _LEFT, geometry.author_shown
            )
        if geometry.reply is not None:
            painter.setFont(fonts.small_italic)
            painter.setPen(Colors.muted)
            painter.drawText(geometry.reply, _LEFT, geometry.reply_shown)

        failed = geometry.outbound and _failed(row)
        pending = row.status == MessageStatus.PENDING
        fill, text_color, meta_color, outline = _bubble_colors(geometry, failed)
        if pending:
            painter.setOpacity(0.78)  # not yet accepted by the backend: a little see-through
        painter.setPen(QPen(outline, 1.0) if outline is not None else Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawPath(geometry.path)

        painter.setPen(text_color)
        marks = self._match_marks(row)
        if marks:
            geometry.text.draw(painter, geometry.text_origin, marks)
        else:
            geometry.text.draw(painter, geometry.text_origin)

        painter.setFont(fonts.small_bold if geometry.note else fonts.small)
        painter.setPen(meta_color)
        painter.drawText(geometry.meta, _LEFT if geometry.note else _RIGHT, geometry.meta_text)
        if geometry.outbound and not geometry.note:  # a note never shows a status tick
            # A group message some participants did not get: its "!" in red, readable on
            # the blue bubble (in the meta colour it is a blank dot).
            icon_color = Colors.danger if partly_delivered(row) else meta_color
            draw_status_icon(painter, geometry.icon, row.status, icon_color)
        painter.setOpacity(1.0)

        if geometry.failure is not None:
            painter.setPen(Colors.danger)
            painter.drawText(geometry.failure, _RIGHT, geometry.failure_shown)
        for rect, label in (
            (geometry.retry, translate("MessageDelegate", RETRY_LABEL)),
            (geometry.discard, translate("MessageDelegate", DISCARD_LABEL)),
        ):
            if rect is not None:
                self._paint_action(painter, rect, label, fonts.small_bold)
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

    def _paint_action(self, painter: QPainter, rect: QRectF, label: str, bold: QFont) -> None:
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
    def _paint_day(painter: QPainter, pill: QRectF, label: str, font: QFont) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(Colors.inbound)
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setFont(font)
        painter.setPen(Colors.separator_text)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, label)

    def clear_cache(self) -> None:
        """Forget every laid-out bubble (the font changed)."""
        self._sizes.clear()
        self._fonts.clear()
