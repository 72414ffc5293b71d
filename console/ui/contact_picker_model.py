"""The group editor's contact picker: one checkable row per phone number of a contact.

Rows come a page at a time from the cache's SQL contact search (GroupChatService.search_hits,
never the whole contact list in Python), read on the GUI thread the way the contacts table
reads its blocks (contact_model.py): one indexed query with a LIMIT, a few ms even over 50,000
contacts. A keystroke is then one query and one model reset, with no thread hop and no per-row
work: a hit becomes a PickerRow (the domain's rule, which parses the number: ~0.2 ms a row)
only when the view asks for its data, so only the rows on screen are ever built. The next page
is read when the view scrolls near the end (canFetchMore / fetchMore).

A row that can never join a group chat (DND, a number outside US/Canada, a contact not
assigned to you...) lacks Qt.ItemIsEnabled and says why in its tooltip and ReasonRole. A row
whose number is already chosen under another contact is disabled the same way (the same number
twice is the domain's duplicate_participant). Which rows are checked is the owner's choice set
(`set_chosen`), so a chip removed elsewhere unchecks its row here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from console.domain.errors import ErrorCode
from console.domain.phones import format_display
from console.services.group_chats import PhoneHit, PickerRow
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.named_roles import NamedRolesListModel
from console.ui.qt import (
    QAbstractItemModel,
    QApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPainter,
    QPersistentModelIndex,
    QRect,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    Signal,
)
from console.ui.theme import Colors

ModelIndex = QModelIndex | QPersistentModelIndex
Key = tuple[str, str]  # (contact_id, E.164)
# (search text, offset, limit) -> that page of hits; None when it could not be read (the
# owner has said why): the list then ends there.
Fetch = Callable[[str, int, int], Sequence[PhoneHit] | None]
Build = Callable[[PhoneHit], PickerRow]

PAGE_SIZE = 100
_CONTEXT = "ContactPickerModel"
# A number's label as a line of its own, and inside a sentence.
_LABELS = {
    "primary": QT_TRANSLATE_NOOP("ContactPickerModel", "Primary number"),
    "secondary": QT_TRANSLATE_NOOP("ContactPickerModel", "Secondary number"),
}
_LABELS_IN_SENTENCE = {
    "primary": QT_TRANSLATE_NOOP("ContactPickerModel", "primary number"),
    "secondary": QT_TRANSLATE_NOOP("ContactPickerModel", "secondary number"),
}


def reason_texts(code: ErrorCode, name: str, phone: str) -> tuple[str, str]:
    """(short reason, tooltip) for a participant that breaks `code` (PickerRow.code), in the
    user's language: the one table of them."""
    who = name or format_display(phone)
    shown = format_display(phone)
    if code == ErrorCode.PARTICIPANT_DND:
        return (
            translate(_CONTEXT, "Do Not Disturb is on"),
            translate(
                _CONTEXT,
                "{who} has Do Not Disturb on, so group chats cannot text them. "
                "Turning it off is the contact's decision (they text START).",
            ).format(who=who),
        )
    if code == ErrorCode.REGION_NOT_SUPPORTED:
        return (
            translate(_CONTEXT, "Not a US or Canada number"),
            translate(
                _CONTEXT,
                "{number} is outside the US and Canada. Group chats text US and Canada numbers "
                "only; pick another of their numbers if they have one.",
            ).format(number=shown),
        )
    if code == ErrorCode.CONTACT_NOT_ASSIGNED:
        return (
            translate(_CONTEXT, "Not assigned to you"),
            translate(
                _CONTEXT,
                "{who} is not assigned to you. With assigned-only access a group chat may "
                "include only your own contacts; ask an admin to assign them to you.",
            ).format(who=who),
        )
    if code == ErrorCode.NOT_FOUND:
        return (
            translate(_CONTEXT, "No longer available"),
            translate(_CONTEXT, "{who} was deleted or is no longer visible to you.").format(
                who=who
            ),
        )
    if code == ErrorCode.PHONE_NOT_ON_CONTACT:
        return (
            translate(_CONTEXT, "No longer one of their numbers"),
            translate(
                _CONTEXT,
                "{number} is no longer on {who}'s card; pick one of their current numbers.",
            ).format(number=shown, who=who),
        )
    if code == ErrorCode.INVALID_PHONE:
        return (
            translate(_CONTEXT, "Not a valid number"),
            translate(_CONTEXT, "{number} is not a valid phone number.").format(number=phone),
        )
    if code == ErrorCode.DUPLICATE_PARTICIPANT:
        return (
            translate(_CONTEXT, "Already chosen"),
            translate(_CONTEXT, "{number} is already in this chat.").format(number=shown),
        )
    return (
        translate(_CONTEXT, "Cannot be added"),
        translate(_CONTEXT, "{who} cannot be added to a group chat ({code}).").format(
            who=who, code=code.value
        ),
    )


def row_text(row: PickerRow) -> str:
    """The display text: the name and the number (ARCHITECTURE.md, contactPicker)."""
    return f"{row.title} \u00b7 {row.phone_display}" if row.name else row.phone_display


def label_text(row: PickerRow) -> str:
    label = _LABELS.get(row.phone_label)
    if label is not None:
        return translate(_CONTEXT, label)
    if row.phone_label:
        return translate(_CONTEXT, "{label} number").format(label=row.phone_label.capitalize())
    return translate(_CONTEXT, "Number")


def label_in_sentence(row: PickerRow) -> str:
    """The number's label inside a sentence: "primary number"."""
    label = _LABELS_IN_SENTENCE.get(row.phone_label)
    if label is not None:
        return translate(_CONTEXT, label)
    if row.phone_label:
        return translate(_CONTEXT, "{label} number").format(label=row.phone_label).lower()
    return translate(_CONTEXT, "number")


class ContactPickerModel(NamedRolesListModel):
    ContactIdRole = Qt.ItemDataRole.UserRole + 1
    NameRole = Qt.ItemDataRole.UserRole + 2
    PhoneRole = Qt.ItemDataRole.UserRole + 3  # E.164
    PhoneDisplayRole = Qt.ItemDataRole.UserRole + 4
    PhoneLabelRole = Qt.ItemDataRole.UserRole + 5
    ReasonRole = Qt.ItemDataRole.UserRole + 6  # "" when it can be added
    AddableRole = Qt.ItemDataRole.UserRole + 7
    RowRole = Qt.ItemDataRole.UserRole + 8  # the PickerRow, for the delegate

    _ROLE_NAMES = {
        ContactIdRole: b"contactId",
        NameRole: b"name",
        PhoneRole: b"phone",
        PhoneDisplayRole: b"phoneDisplay",
        PhoneLabelRole: b"phoneLabel",
        ReasonRole: b"reason",
        AddableRole: b"addable",
        RowRole: b"row",
    }

    # The user checked (True) or unchecked (False) the row of this (contact_id, phone).
    toggled = Signal(object, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch: Fetch | None = None
        self._build: Build | None = None
        self._hits: list[PhoneHit] = []  # the pages read so far, as the SQL gave them
        self._built: dict[int, PickerRow] = {}  # row -> its PickerRow, once the view asked
        self._chosen: set[Key] = set()
        self._chosen_phones: dict[str, str] = {}  # E.164 -> contact id holding it
        self._complete = True  # no more pages to fetch
        self._searched = False  # a search has filled the rows at least once
        self.search_text = ""  # what the rows shown were searched for (benchmarks wait on it)
        self.built = 0  # PickerRows built so far (tests look: only the rows shown are)

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        row = self._index_row(index)
        if row is None:
            return Qt.ItemFlag.NoItemFlags
        if self._blocker(row) is not None:
            return Qt.ItemFlag.ItemNeverHasChildren
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.column() != 0:
            return None
        row = self._index_row(index)
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row_text(row)
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = row.key in self._chosen
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible_text(row)
        if role == self.ReasonRole:
            blocker = self._blocker(row)
            return blocker[0] if blocker is not None else ""
        if role == self.AddableRole:
            return self._blocker(row) is None
        if role == self.ContactIdRole:
            return row.contact_id
        if role == self.NameRole:
            return row.name
        if role == self.PhoneRole:
            return row.phone
        if role == self.PhoneDisplayRole:
            return row.phone_display
        if role == self.PhoneLabelRole:
            return row.phone_label
        if role == self.RowRole:
            return row
        return None

    def _tooltip(self, row: PickerRow) -> str:
        """Why the row cannot be added, else whose number it is."""
        blocker = self._blocker(row)
        if blocker is not None:
            return blocker[1]
        return translate(_CONTEXT, "{name}, {label} {number}").format(
            name=row.title, label=label_in_sentence(row), number=row.phone_display
        )

    def _accessible_text(self, row: PickerRow) -> str:
        blocker = self._blocker(row)
        if blocker is not None:
            return translate(_CONTEXT, "{row}, {label}, cannot be added: {reason}").format(
                row=row_text(row), label=label_in_sentence(row), reason=blocker[0]
            )
        return translate(_CONTEXT, "{row}, {label}").format(
            row=row_text(row), label=label_in_sentence(row)
        )

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole:
            return False
        row = self._index_row(index)
        if row is None or self._blocker(row) is not None:
            return False
        checked = _is_checked(value)
        if checked == (row.key in self._chosen):
            return True
        # The owner decides (and calls set_chosen, which repaints the rows concerned).
        self.toggled.emit(row.key, checked)
        return True

    def canFetchMore(self, parent: ModelIndex) -> bool:
        return not parent.isValid() and not self._complete and self._fetch is not None

    def fetchMore(self, parent: ModelIndex) -> None:
        if not self.canFetchMore(parent):
            return
        hits = self._read(len(self._hits))
        self._complete = hits is None or len(hits) <= PAGE_SIZE
        page = list(hits or ())[:PAGE_SIZE]
        if page:
            first = len(self._hits)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._hits.extend(page)
            self.endInsertRows()

    # -- the owner's calls ----------------------------------------------------------------------
    def set_source(self, fetch: Fetch, build: Build) -> None:
        """Where the pages come from (`fetch`), and how a hit becomes a row (`build`)."""
        self._fetch, self._build = fetch, build

    def set_search(self, text: str) -> None:
        """Show what `text` finds: its first page, read now (one indexed query). Spaces that
        do not change the search (a trailing one) change nothing."""
        text = " ".join(text.split())
        if self._searched and text == self.search_text:
            return
        hits = self._read(0, text)
        if hits is None:
            return  # the rows shown stay; the owner told the user
        self.beginResetModel()
        self._searched = True
        self.search_text = text
        self._hits = list(hits[:PAGE_SIZE])
        self._built = {}
        self._complete = len(hits) <= PAGE_SIZE
        self.endResetModel()

    def set_chosen(self, keys: Iterable[Key]) -> None:
        """Which (contact_id, phone) pairs are chosen; the rows whose state changed repaint."""
        chosen = set(keys)
        phones = {phone: contact_id for contact_id, phone in chosen}
        touched = {k[1] for k in chosen ^ self._chosen}
        self._chosen, self._chosen_phones = chosen, phones
        if not touched or not self._hits:
            return
        rows = [i for i, hit in enumerate(self._hits) if hit.phone in touched]
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), 0))

    def replace_rows(self, fresh: dict[Key, PickerRow]) -> None:
        """Rows re-read after their contacts changed (same keys, new facts) repaint in place;
        rows not built yet take the fresh facts when they are."""
        changed = []
        for i, hit in enumerate(self._hits):
            new = fresh.get(hit.key)
            if new is None:
                continue
            old = self._built.get(i)
            self._built[i] = new
            if old is not None and new != old:
                changed.append(i)
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), 0))

    def row_at(self, row: int) -> PickerRow | None:
        return self._row(row) if 0 <= row < len(self._hits) else None

    def row_of(self, key: Key) -> int:
        for i, hit in enumerate(self._hits):
            if hit.key == key:
                return i
        return -1

    def keys(self) -> list[Key]:
        """The (contact_id, phone) of every row listed, without building them."""
        return [hit.key for hit in self._hits]

    def rows(self) -> list[PickerRow]:
        return [self._row(i) for i in range(len(self._hits))]

    # -- helpers ------------------------------------------------------------------------------
    def _read(self, offset: int, text: str | None = None) -> Sequence[PhoneHit] | None:
        if self._fetch is None:
            return []
        return self._fetch(self.search_text if text is None else text, offset, PAGE_SIZE + 1)

    def _row(self, i: int) -> PickerRow:
        row = self._built.get(i)
        if row is None:
            assert self._build is not None  # hits only come from a source
            row = self._build(self._hits[i])
            self._built[i] = row
            self.built += 1
        return row

    def _index_row(self, index: ModelIndex) -> PickerRow | None:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        return self._row(index.row())

    def _blocker(self, row: PickerRow) -> tuple[str, str] | None:
        """(reason, tooltip) when `row` cannot be checked now, else None."""
        if row.code is not None:
            return reason_texts(row.code, row.name, row.phone)
        holder = self._chosen_phones.get(row.phone)
        if holder is not None and holder != row.contact_id:
            return reason_texts(ErrorCode.DUPLICATE_PARTICIPANT, row.name, row.phone)
        return None


def _is_checked(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    try:
        return int(value) == Qt.CheckState.Checked.value
    except (TypeError, ValueError):
        return bool(value)


class ContactPickerDelegate(QStyledItemDelegate):
    """Two lines a row: the name and number, then a muted line with the number's label, or
    the reason it cannot be added. One height for every row (the view keeps uniform sizes)."""

    PADDING = 6
    _MOUSE = (
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
    )

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: ModelIndex,
    ) -> bool:
        # A click toggles the whole row through the view's clicked signal (group_editor.py);
        # letting the check box toggle it too would undo that click. Space stays as Qt has it.
        if event.type() in self._MOUSE:
            return False
        return super().editorEvent(event, model, option, index)

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        line = option.fontMetrics.height()
        return QSize(240, 2 * line + 2 * self.PADDING + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        row = index.data(ContactPickerModel.RowRole)
        if not isinstance(row, PickerRow):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        enabled = bool(index.flags() & Qt.ItemFlag.ItemIsEnabled)
        reason = str(index.data(ContactPickerModel.ReasonRole) or "")
        rect: QRect = opt.rect
        metrics = opt.fontMetrics
        line = metrics.height()
        top = rect.top() + self.PADDING
        left = text_rect.left() + 2
        width = max(0, rect.right() - left - self.PADDING)

        painter.save()
        font = opt.font
        name_font = type(font)(font)
        name_font.setBold(True)
        painter.setFont(name_font)
        painter.setPen(Colors.text if enabled else Colors.faint)
        name = row.title
        name_width = min(width, painter.fontMetrics().horizontalAdvance(name) + 1)
        painter.drawText(
            QRect(left, top, name_width, line),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, name_width),
        )
        painter.setFont(font)
        painter.setPen(Colors.muted if enabled else Colors.faint)
        number_left = left + name_width + 8
        if row.name and number_left < left + width:
            painter.drawText(
                QRect(number_left, top, left + width - number_left, line),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                metrics.elidedText(
                    row.phone_display, Qt.TextElideMode.ElideRight, left + width - number_left
                ),
            )
        second = reason or label_text(row)
        if reason:  # the muted line saying why: italic, so it does not read as a label
            reason_font = type(font)(font)
            reason_font.setItalic(True)
            painter.setFont(reason_font)
        painter.setPen(Colors.muted)
        painter.drawText(
            QRect(left, top + line + 2, width, line),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            metrics.elidedText(second, Qt.TextElideMode.ElideRight, width),
        )
        painter.restore()
