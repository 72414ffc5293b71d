"""The right-hand participant panel of a group chat (`participantPanel`).

`participantList` has one row per frozen participant: the name, the number messages go to and
which of the contact's numbers it was, and the tags `Updated`, `Deleted`, `DND`; hovering a tag
tells what it means, hovering elsewhere tells all of it. Under the list, the business number
and a line saying why participants and number are fixed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from console.ui.i18n import translate
from console.ui.named_roles import NamedRolesListModel
from console.ui.participant_text import (
    TAG_MEANINGS,
    TAG_TONES,
    describe,
    fixed_note,
    short_name,
    tag_label,
    tag_meaning,
    tag_meanings,
    which_number,
)
from console.ui.qt import (
    QAbstractItemView,
    QColor,
    QEvent,
    QFont,
    QFontMetrics,
    QFrame,
    QHelpEvent,
    QLabel,
    QListView,
    QModelIndex,
    QObject,
    QPainter,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRectF,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QToolTip,
    QVBoxLayout,
    QWidget,
)
from console.ui.row_fonts import row_fonts
from console.ui.theme import Colors, set_themed_style

if TYPE_CHECKING:
    from console.services.chat_details import ParticipantRow

ModelIndex = QModelIndex | QPersistentModelIndex

PANEL_WIDTH = 300
ROW_PAD_X = 14
ROW_PAD_Y = 8
TAG_PAD_X = 7
TAG_GAP = 5
TAG_LINE_GAP = 5

PANEL_STYLE = """
#participantPanel { background: $surface; border: none; border-left: 1px solid $border; }
#participantPanelTitle { font-size: 10.5pt; font-weight: 600; color: $text; }
#participantList { background: $surface; border: none; outline: none; }
#participantPanelNumber { color: $text_secondary; font-size: 9pt; }
#participantFixedNote {
    color: $muted; font-size: 8.5pt; background: $surface_alt;
    border: 1px solid $border; border-radius: 8px; padding: 8px 10px;
}
"""

def _tone_colors(tone: str) -> tuple[QColor, QColor]:
    """A tag's fill and text (read when painted: the theme may have changed)."""
    if tone == "warning":
        return Colors.warning_soft, Colors.warning_text
    if tone == "danger":
        return Colors.danger_soft, Colors.danger_text
    return Colors.inbound, Colors.muted


def display_text(participant: ParticipantRow) -> str:
    """ "Maria Gonzalez  (415) 555-0111, primary number  [Updated] [DND]" """
    text = f"{short_name(participant)}  {participant.phone_display}, {which_number(participant)}"
    tags = " ".join(f"[{tag_label(tag)}]" for tag in participant.tags)
    return f"{text}  {tags}" if tags else text


class ParticipantListModel(NamedRolesListModel):
    ContactIdRole = Qt.ItemDataRole.UserRole + 1
    NameRole = Qt.ItemDataRole.UserRole + 2
    PhoneRole = Qt.ItemDataRole.UserRole + 3  # E.164, frozen at creation
    PhoneDisplayRole = Qt.ItemDataRole.UserRole + 4
    WhichNumberRole = Qt.ItemDataRole.UserRole + 5  # "primary number", ...
    TagsRole = Qt.ItemDataRole.UserRole + 6  # the labels: ["Updated", "DND"]
    TagMeaningsRole = Qt.ItemDataRole.UserRole + 7  # label -> what it means

    _ROLE_NAMES = {
        ContactIdRole: b"contactId",
        NameRole: b"name",
        PhoneRole: b"phone",
        PhoneDisplayRole: b"phoneDisplay",
        WhichNumberRole: b"whichNumber",
        TagsRole: b"tags",
        TagMeaningsRole: b"tagMeanings",
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ParticipantRow] = []

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() != 0:
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return display_text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe(row)
        if role == self.NameRole:
            return short_name(row)
        if role == self.PhoneDisplayRole:
            return row.phone_display
        if role == self.WhichNumberRole:
            return which_number(row)
        if role == self.TagsRole:
            return [tag_label(tag) for tag in row.tags]
        if role == self.TagMeaningsRole:
            return tag_meanings(row)
        if role == self.PhoneRole:
            return row.phone
        if role == self.ContactIdRole:
            return row.contact_id
        return None

    def participant_at(self, position: int) -> ParticipantRow | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def row_of_phone(self, phone: str) -> int:
        return next((i for i, row in enumerate(self._rows) if row.phone == phone), -1)

    def set_participants(self, participants: Sequence[ParticipantRow]) -> None:
        rows = list(participants)
        if rows == self._rows:
            return
        if len(rows) == len(self._rows) and [r.phone for r in rows] == [
            r.phone for r in self._rows
        ]:
            # Same people (they are frozen): only names and tags moved. Update in place, so a
            # selection or a hover stays where it was.
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, 0))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()


class ParticipantDelegate(QStyledItemDelegate):
    """Name over the number and which number it is; the tags as pills under them."""

    def __init__(self, model: ParticipantListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    @staticmethod
    def _fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
        return row_fonts(base, 0.88)

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        name, small, tag = self._fonts(option.font)
        height = QFontMetrics(name).height() + 2 + QFontMetrics(small).height()
        participant = self._model.participant_at(index.row())
        if participant is not None and participant.tags:
            height += TAG_LINE_GAP + QFontMetrics(tag).height() + 2
        return QSize(PANEL_WIDTH, height + 2 * ROW_PAD_Y)

    def _tag_rects(
        self, option: QStyleOptionViewItem, index: ModelIndex
    ) -> list[tuple[str, QRectF]]:
        """Where each tag pill goes: on a line of its own under the number."""
        participant = self._model.participant_at(index.row())
        if participant is None or not participant.tags:
            return []
        name_font, small, tag_font = self._fonts(option.font)
        tag_metrics = QFontMetrics(tag_font)
        pill_h = tag_metrics.height() + 2
        x = option.rect.left() + ROW_PAD_X
        y = (
            option.rect.top() + ROW_PAD_Y + QFontMetrics(name_font).height() + 2
            + QFontMetrics(small).height() + TAG_LINE_GAP
        )
        rects = []
        for tag in participant.tags:
            width = tag_metrics.horizontalAdvance(tag_label(tag)) + 2 * TAG_PAD_X
            rects.append((tag, QRectF(x, y, width, pill_h)))
            x += width + TAG_GAP
        return rects

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        participant = self._model.participant_at(index.row())
        if participant is None:
            super().paint(painter, option, index)
            return
        name_font, small, tag_font = self._fonts(option.font)
        rect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, Colors.accent_soft)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, Colors.hover)
        tags = self._tag_rects(option, index)
        name_metrics = QFontMetrics(name_font)
        top = rect.top() + ROW_PAD_Y
        name_rect = QRectF(
            rect.left() + ROW_PAD_X, top, rect.width() - 2 * ROW_PAD_X, name_metrics.height()
        )
        painter.setFont(name_font)
        painter.setPen(Colors.text)
        painter.drawText(
            name_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            name_metrics.elidedText(
                short_name(participant), Qt.TextElideMode.ElideRight, int(name_rect.width())
            ),
        )
        small_metrics = QFontMetrics(small)
        line = f"{participant.phone_display}  \u00b7  {which_number(participant)}"
        number_rect = QRectF(
            rect.left() + ROW_PAD_X,
            top + name_metrics.height() + 2,
            rect.width() - 2 * ROW_PAD_X,
            small_metrics.height(),
        )
        painter.setFont(small)
        painter.setPen(Colors.muted)
        painter.drawText(
            number_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            small_metrics.elidedText(line, Qt.TextElideMode.ElideRight, int(number_rect.width())),
        )
        painter.setFont(tag_font)
        for tag, pill in tags:
            fill, text = _tone_colors(TAG_TONES.get(tag, ""))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
            painter.setPen(text)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, tag_label(tag))
        painter.restore()

    def tag_at(self, option: QStyleOptionViewItem, index: ModelIndex, point: QPointF) -> str | None:
        """The tag whose pill is under `point` (view coordinates), if any."""
        for tag, pill in self._tag_rects(option, index):
            if pill.contains(point):
                return tag
        return None

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: ModelIndex,
    ) -> bool:
        if event.type() == QEvent.Type.ToolTip and index.isValid():
            tag = self.tag_at(option, index, QPointF(event.pos()))
            participant = self._model.participant_at(index.row())
            if tag is not None and tag in TAG_MEANINGS and participant is not None:
                QToolTip.showText(event.globalPos(), tag_meaning(participant, tag), view)
                return True
        return super().helpEvent(event, view, option, index)

    def tag_tooltip_at(self, view: QListView, index: ModelIndex, point: QPoint) -> str:
        """What hovering `point` (viewport coordinates) on `index` tells (for tests, a11y)."""
        option = QStyleOptionViewItem()
        option.initFrom(view)
        option.rect = view.visualRect(index)
        option.font = view.font()
        tag = self.tag_at(option, index, QPointF(point))
        participant = self._model.participant_at(index.row())
        if tag is not None and tag in TAG_MEANINGS and participant is not None:
            return tag_meaning(participant, tag)
        text = index.data(Qt.ItemDataRole.ToolTipRole)
        return text if isinstance(text, str) else ""

    def tag_centers(self, view: QListView, index: ModelIndex) -> dict[str, QPoint]:
        """Viewport points on each tag pill of `index`, by tag label."""
        option = QStyleOptionViewItem()
        option.initFrom(view)
        option.rect = view.visualRect(index)
        option.font = view.font()
        return {
            tag_label(tag): pill.center().toPoint() for tag, pill in self._tag_rects(option, index)
        }


class ParticipantPanel(QFrame):
    """objectName `participantPanel`: the list, the business number, and why it is fixed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("participantPanel")
        self.setAccessibleName(translate("ParticipantPanel", "Participants"))
        set_themed_style(self, PANEL_STYLE)
        self.setFixedWidth(PANEL_WIDTH)
        self.title = QLabel(translate("ParticipantPanel", "Participants"), self)
        self.title.setObjectName("participantPanelTitle")
        self.model = ParticipantListModel(self)
        self.list = QListView(self)
        self.list.setObjectName("participantList")
        self.list.setAccessibleName(translate("ParticipantPanel", "Participants"))
        self.list.setAccessibleDescription(translate(
            "ParticipantPanel", "The people in this group chat, with their numbers."
        ))
        self.list.setModel(self.model)
        self.delegate = ParticipantDelegate(self.model, self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setMouseTracking(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.number = QLabel(self)
        self.number.setObjectName("participantPanelNumber")
        self.number.setWordWrap(True)
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel(fixed_note(), self)
        self.note.setObjectName("participantFixedNote")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 14, 0, 12)
        layout.setSpacing(8)
        title_row = QVBoxLayout()
        title_row.setContentsMargins(ROW_PAD_X, 0, ROW_PAD_X, 0)
        title_row.addWidget(self.title)
        layout.addLayout(title_row)
        layout.addWidget(self.list, 1)
        bottom = QVBoxLayout()
        bottom.setContentsMargins(ROW_PAD_X, 0, ROW_PAD_X, 0)
        bottom.setSpacing(8)
        bottom.addWidget(self.number)
        bottom.addWidget(self.note)
        layout.addLayout(bottom)

    def set_participants(self, participants: Sequence[ParticipantRow], number: str) -> None:
        self.model.set_participants(participants)
        self.title.setText(
            translate("ParticipantPanel", "Participants (%n)", None, len(participants))
        )
        self.number.setText(
            translate("ParticipantPanel", "Sent from {number}").format(number=number)
            if number
            else ""
        )
        self.number.setVisible(bool(number))

    def select_phone(self, phone: str) -> None:
        position = self.model.row_of_phone(phone)
        if position >= 0:
            index = self.model.index(position, 0)
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)
