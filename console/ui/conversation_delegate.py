"""Paints a conversation row: avatar, title, relative time, one-line preview, unread badge."""

from __future__ import annotations

from console.domain.conversations import ConversationKind
from console.services.types import ConversationRow
from console.ui.conversation_list import ConversationListModel, subtitle_text
from console.ui.formatting import initials, list_time
from console.ui.i18n import translate
from console.ui.labels import list_kind_tag, status_tag
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
from console.ui.theme import Colors, avatar_color

ModelIndex = QModelIndex | QPersistentModelIndex

PAD_X = 14
PAD_Y = 11
AVATAR = 40
GAP = 12
LINE_GAP = 4


class ConversationDelegate(QStyledItemDelegate):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)

    @staticmethod
    def _fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
        title = QFont(base)
        title.setPointSizeF(base.pointSizeF() * 1.02)
        title.setWeight(QFont.Weight.DemiBold)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.86)
        badge = QFont(small)
        badge.setWeight(QFont.Weight.Bold)
        return title, small, badge

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        title = self._fonts(option.font)[0]
        body_height = QFontMetrics(option.font).height()
        text_height = QFontMetrics(title).height() + LINE_GAP + body_height
        return QSize(240, max(AVATAR, text_height) + 2 * PAD_Y)

    @staticmethod
    def _tags(row: ConversationRow) -> list[tuple[str, QColor, QColor]]:
        tags: list[tuple[str, QColor, QColor]] = []
        channel = list_kind_tag(row.kind)  # a plain 1:1 SMS thread has none
        if channel:
            tags.append((channel, Colors.hover, Colors.muted))
        status = status_tag(row.status)  # "Blocked"; an active chat has none
        if status:
            tags.append((status, Colors.danger_soft, Colors.danger))
        if row.opt_out is not None and row.opt_out.pending is None:
            # A suspected opt-out waiting for an agent (the banner in the chat answers it).
            tags.append((
                translate("ConversationDelegate", "Opt-out?"),
                Colors.warning_soft, Colors.warning_text,
            ))
        if row.pending:  # created here; live once the server confirms it
            tags.append(
                (translate("ConversationDelegate", "Pending"), Colors.accent_soft, Colors.accent)
            )
        return tags

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        row = index.data(ConversationListModel.RowRole)
        if not isinstance(row, ConversationRow):
            super().paint(painter, option, index)
            return
        rect: QRect = option.rect
        state = option.state
        base_font: QFont = option.font
        title_font, small_font, badge_font = self._fonts(base_font)
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        unread = row.unread_count > 0

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)

        # Background: a soft accent card when selected, a faint grey on hover.
        if selected or hovered:
            card = QRectF(rect.adjusted(6, 2, -6, -2))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(Colors.accent_soft if selected else Colors.hover)
            painter.drawRoundedRect(card, 8, 8)
            if selected:
                painter.setBrush(Colors.accent)
                bar = QRectF(card.left(), card.top() + 10, 3, card.height() - 20)
                painter.drawRoundedRect(bar, 1.5, 1.5)

        # Avatar with initials.
        avatar = QRectF(rect.left() + PAD_X, rect.center().y() - AVATAR / 2 + 0.5, AVATAR, AVATAR)
        painter.setPen(Qt.PenStyle.NoPen)
        # By name, not by conversation: the same person is one colour by SMS and in the app.
        painter.setBrush(avatar_color(row.title or row.id))
        if row.kind is ConversationKind.DIRECT:
            painter.drawEllipse(avatar)
        else:  # group and in-app conversations get a rounded square, to tell them apart
            painter.drawRoundedRect(avatar, 11, 11)
        painter.setPen(Colors.accent_text)
        avatar_font = QFont(base_font)
        avatar_font.setWeight(QFont.Weight.DemiBold)
        avatar_font.setPointSizeF(base_font.pointSizeF() * 0.95)
        painter.setFont(avatar_font)
        painter.drawText(avatar, Qt.AlignmentFlag.AlignCenter, initials(row.title))

        left = int(avatar.right()) + GAP
        right = rect.right() - PAD_X - 4
        title_metrics = QFontMetrics(title_font)
        small_metrics = QFontMetrics(small_font)
        body_metrics = QFontMetrics(base_font)
        text_height = title_metrics.height() + LINE_GAP + body_metrics.height()
        top = rect.top() + (rect.height() - text_height) // 2

        # First line: time on the right, title elided into the rest.
        time_text = list_time(row.last_message_at)
        time_width = small_metrics.horizontalAdvance(time_text)
        time_rect = QRect(right - time_width, top, time_width, title_metrics.height())
        painter.setFont(small_font)
        painter.setPen(Colors.accent if unread else Colors.muted)
        painter.drawText(
            time_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), time_text
        )
        title_width = max(0, time_rect.left() - 8 - left)
        painter.setFont(title_font)
        painter.setPen(Colors.text)
        title_text = title_metrics.elidedText(row.title, Qt.TextElideMode.ElideRight, title_width)
        painter.drawText(
            QRect(left, top, title_width, title_metrics.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            title_text,
        )

        # Second line: badge on the right, then a "Blocked" tag, then the preview.
        line_top = top + title_metrics.height() + LINE_GAP
        line_height = body_metrics.height()
        preview_right = right
        if unread:
            badge_text = str(row.unread_count) if row.unread_count < 100 else "99+"
            badge_metrics = QFontMetrics(badge_font)
            badge_h = badge_metrics.height() + 3
            badge_w = max(badge_h, badge_metrics.horizontalAdvance(badge_text) + 12)
            badge = QRectF(
                right - badge_w, line_top + (line_height - badge_h) / 2, badge_w, badge_h
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(Colors.accent)
            painter.drawRoundedRect(badge, badge_h / 2, badge_h / 2)
            painter.setFont(badge_font)
            painter.setPen(Colors.accent_text)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, badge_text)
            preview_right = int(badge.left()) - 8
        # Tags before the preview: the channel when it is not a plain 1:1 SMS, then "Blocked"
        # or "Pending".
        preview_left = left
        for tag, fill, ink in self._tags(row):
            preview_left = _draw_tag(
                painter, tag, preview_left, line_top, line_height, small_font, fill, ink
            )
        preview = " ".join(row.preview.split()) or subtitle_text(row)
        painter.setFont(base_font)
        painter.setPen(Colors.text if unread else Colors.muted)
        preview_width = max(0, preview_right - preview_left)
        painter.drawText(
            QRect(preview_left, line_top, preview_width, line_height),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            body_metrics.elidedText(preview, Qt.TextElideMode.ElideRight, preview_width),
        )
        painter.restore()


def _draw_tag(
    painter: QPainter,
    text: str,
    left: int,
    line_top: int,
    line_height: int,
    font: QFont,
    fill: QColor,
    ink: QColor,
) -> int:
    """Draw a small rounded tag on the preview line; return where the next item starts."""
    metrics = QFontMetrics(font)
    painter.setFont(font)
    width = metrics.horizontalAdvance(text) + 10
    rect = QRectF(
        left, line_top + (line_height - metrics.height() - 2) / 2, width, metrics.height() + 2
    )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, 4, 4)
    painter.setPen(ink)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    return int(rect.right()) + 6
