"""The History page's filters (objectName `historyFilters`): one compact row of controls that
wraps when the window is narrow, and under it, while any is on, the filters in force as chips
(`historyFilterChips`, each × turning its one off) beside a Clear filters button.

    bar = HistoryFilterBar()
    bar.set_choices(numbers=[(id, label)...], groups=[...], authors=[...])
    bar.changed.connect(...)      # any filter changed (one signal per user action)
    bar.values()                  # FilterValues: what is chosen ("" / None: no filter)
    bar.clear()                   # every filter off

Channels, directions and statuses are the domain's enums named by the views' one label table
(console/ui/labels.py); numbers, groups and authors come from the cache through the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date

from console.domain.messages import Direction, MessageStatus
from console.services.history import HistoryChannel
from console.ui.chip_strip import ChipStrip
from console.ui.flow_layout import FlowLayout
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.labels import KIND_TAGS, label
from console.ui.qt import (
    QComboBox,
    QDate,
    QDateEdit,
    QHBoxLayout,
    QListView,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.removable_chip import RemovableChip

Choices = Sequence[tuple[str, str]]  # (value, label)

# A date edit at its minimum means "no bound" (QDateEdit has no empty state).
NO_DATE = QDate(2000, 1, 1)

_CONTEXT = "HistoryFilterBar"

# The source texts, under the context "Labels" (console/ui/labels.py): show them through
# `channel_label`.
CHANNEL_LABELS: dict[HistoryChannel, str] = {
    **{HistoryChannel.from_kind(kind): tag for kind, tag in KIND_TAGS.items()},
    HistoryChannel.GROUP_MESSAGE: QT_TRANSLATE_NOOP("Labels", "Group message"),
}
CHANNELS: tuple[tuple[str, str], ...] = tuple(
    (channel.value, CHANNEL_LABELS[channel]) for channel in HistoryChannel
)
# DIRECTIONS and STATUSES hold source texts of the context "HistoryFilterBar": show them
# through `filter_word`.
DIRECTIONS: tuple[tuple[str, str], ...] = (
    (Direction.IN.value, QT_TRANSLATE_NOOP("HistoryFilterBar", "Received")),
    (Direction.OUT.value, QT_TRANSLATE_NOOP("HistoryFilterBar", "Sent")),
)
# Every status a message can have, in the words a person uses for the state it is in.
STATUSES: tuple[tuple[str, str], ...] = (
    (MessageStatus.PENDING.value, QT_TRANSLATE_NOOP("HistoryFilterBar", "Sending")),
    (MessageStatus.QUEUED.value, QT_TRANSLATE_NOOP("HistoryFilterBar", "Queued")),
    (MessageStatus.SENT.value, QT_TRANSLATE_NOOP("HistoryFilterBar", "Sent")),
    (MessageStatus.DELIVERED.value, QT_TRANSLATE_NOOP("HistoryFilterBar", "Delivered")),
    (MessageStatus.FAILED.value, QT_TRANSLATE_NOOP("HistoryFilterBar", "Failed")),
    (MessageStatus.UNDELIVERED.value, QT_TRANSLATE_NOOP("HistoryFilterBar", "Undelivered")),
    (MessageStatus.RECEIVED.value, QT_TRANSLATE_NOOP("HistoryFilterBar", "Received")),
)


def channel_label(channel: HistoryChannel) -> str:
    """A channel's name, translated ("SMS", "Group message")."""
    return label(CHANNEL_LABELS[channel])


def filter_word(text: str) -> str:
    """A text of DIRECTIONS or STATUSES (or of the tables below), translated."""
    return translate(_CONTEXT, text) if text else ""


@dataclass(frozen=True, slots=True)
class FilterValues:
    """What the bar has chosen; "" or None for a filter that is off."""

    since: date | None = None
    until: date | None = None  # inclusive: messages of that whole day
    number_id: str = ""
    channel: str = ""  # HistoryChannel value
    group_id: str = ""
    author_id: str = ""  # "user:<id>" or "contact:<id>" (history_query.author_value)""
    direction: str = ""  # Direction value
    status: str = ""  # MessageStatus value

    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


# The combo boxes: (field, objectName, what "off" says, accessible name)
# What each choice narrows the list to (a screen reader's description of the box).
_COMBO_DESCRIPTIONS: dict[str, str] = {
    "number_id": QT_TRANSLATE_NOOP(
        "HistoryFilterBar", "Keeps only the messages through one business number."),
    "channel": QT_TRANSLATE_NOOP("HistoryFilterBar", "Keeps only the messages of one channel."),
    "group_id": QT_TRANSLATE_NOOP(
        "HistoryFilterBar", "Keeps only the group messages to one group, and the replies."),
    "author_id": QT_TRANSLATE_NOOP("HistoryFilterBar", "Keeps only the messages one person wrote."),
    "direction": QT_TRANSLATE_NOOP(
        "HistoryFilterBar", "Keeps only the messages sent, or only those received."),
    "status": QT_TRANSLATE_NOOP(
        "HistoryFilterBar", "Keeps only the messages in one delivery state."),
}
_COMBOS: tuple[tuple[str, str, str, str], ...] = (
    ("number_id", "historyNumberFilter", QT_TRANSLATE_NOOP("HistoryFilterBar", "All numbers"),
     QT_TRANSLATE_NOOP("HistoryFilterBar", "Business number")),
    ("channel", "historyChannelFilter", QT_TRANSLATE_NOOP("HistoryFilterBar", "All channels"),
     QT_TRANSLATE_NOOP("HistoryFilterBar", "Channel")),
    ("group_id", "historyGroupFilter", QT_TRANSLATE_NOOP("HistoryFilterBar", "All groups"),
     QT_TRANSLATE_NOOP("HistoryFilterBar", "Group")),
    ("author_id", "historyAuthorFilter", QT_TRANSLATE_NOOP("HistoryFilterBar", "Anyone"),
     QT_TRANSLATE_NOOP("HistoryFilterBar", "Author")),
    ("direction", "historyDirectionFilter",
     QT_TRANSLATE_NOOP("HistoryFilterBar", "Both directions"),
     QT_TRANSLATE_NOOP("HistoryFilterBar", "Direction")),
    ("status", "historyStatusFilter", QT_TRANSLATE_NOOP("HistoryFilterBar", "Any status"),
     QT_TRANSLATE_NOOP("HistoryFilterBar", "Status")),
)
_CHIP_NAMES = {
    "number_id": QT_TRANSLATE_NOOP("HistoryFilterBar", "Number"),
    "channel": QT_TRANSLATE_NOOP("HistoryFilterBar", "Channel"),
    "group_id": QT_TRANSLATE_NOOP("HistoryFilterBar", "Group"),
    "author_id": QT_TRANSLATE_NOOP("HistoryFilterBar", "Author"),
    "direction": QT_TRANSLATE_NOOP("HistoryFilterBar", "Direction"),
    "status": QT_TRANSLATE_NOOP("HistoryFilterBar", "Status"),
}
COMBO_MAX_WIDTH = 140  # a long group or author name is cut (its whole text is in the list)


class FilterChip(RemovableChip):
    """One filter in force: "Channel: Group SMS" and a × that turns it off; `removeClicked`
    carries the FilterValues field."""

    def __init__(self, field: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(
            field, text,
            remove_name=translate("FilterChip", "Remove filter {filter}").format(filter=text),
            remove_tip=translate("FilterChip", "Remove the filter {filter}").format(filter=text),
            vertical_margin=1, parent=parent,
        )
        self.setObjectName("historyFilterChip")
        self.field = field
        self.setAccessibleName(text)


class FilterChips(ChipStrip):
    """The filters in force as chips (hidden when none is)."""

    def set_chips(self, chips: Sequence[FilterChip]) -> None:
        for old in self.findChildren(FilterChip):
            if old in chips:
                continue
            self._layout.removeWidget(old)
            old.hide()
            old.deleteLater()
        for chip in chips:
            self._layout.addWidget(chip)
            chip.show()
        self.setVisible(bool(chips))
        self._claim_height(self.width())
        self.updateGeometry()


class HistoryFilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyFilters")
        self.setAccessibleName(translate(_CONTEXT, "Filters"))
        self._quiet = False  # set while several controls change as one action
        self.combos: dict[str, QComboBox] = {}

        row = ChipStrip(self)  # wraps like words when the window is narrow
        flow = row.layout()
        assert isinstance(flow, FlowLayout)
        self.since = self._date_edit(
            "historySinceFilter", translate(_CONTEXT, "From"),
            translate(_CONTEXT, "Messages from this day on"),
        )
        self.until = self._date_edit(
            "historyUntilFilter", translate(_CONTEXT, "To"),
            translate(_CONTEXT, "Messages up to this day"),
        )
        flow.addWidget(self.since)
        flow.addWidget(self.until)
        for field, name, off, accessible in _COMBOS:
            combo = QComboBox(row)
            combo.setObjectName(name)
            combo.setAccessibleName(filter_word(accessible))
            combo.setToolTip(filter_word(accessible))
            combo.setAccessibleDescription(translate(_CONTEXT, _COMBO_DESCRIPTIONS[field]))
            combo.setMaximumWidth(COMBO_MAX_WIDTH)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.addItem(filter_word(off), "")
            popup = QListView(combo)
            popup.setUniformItemSizes(True)  # hundreds of names: no per-row measuring
            combo.setView(popup)
            combo.currentIndexChanged.connect(self._emit)
            flow.addWidget(combo)
            self.combos[field] = combo
        for edit in (self.since, self.until):  # as tall as the combo boxes beside them
            edit.setMinimumHeight(self.combos["channel"].sizeHint().height())
        self._fill("channel", [(value, label(text)) for value, text in CHANNELS])
        self._fill("direction", [(value, filter_word(text)) for value, text in DIRECTIONS])
        self._fill("status", [(value, filter_word(text)) for value, text in STATUSES])
        self._row = row

        # The filters in force, and beside them the button that turns them all off (the
        # line shows only while a filter is on: the controls' row stays one line at the
        # default window size).
        self.in_force = QWidget(self)
        self.chips = FilterChips(self.in_force)
        self.chips.setObjectName("historyFilterChips")
        self.chips.setAccessibleName(translate(_CONTEXT, "Filters in force"))
        self._chips: list[FilterChip] = []
        self.clear_button = QPushButton(translate(_CONTEXT, "Clear filters"), self.in_force)
        self.clear_button.setObjectName("historyClearFilters")
        self.clear_button.setAccessibleDescription(
            translate(_CONTEXT, "Turns every filter off; the search stays.")
        )
        self.clear_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_button.clicked.connect(self.clear)
        in_force = QHBoxLayout(self.in_force)
        in_force.setContentsMargins(0, 0, 0, 0)
        in_force.addWidget(self.chips, 1)
        in_force.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(row)
        layout.addWidget(self.in_force)
        self._show_chips()

    def _date_edit(self, name: str, prefix: str, tip: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(tip)
        edit.setToolTip(
            translate(_CONTEXT, "{tip}; at its first day it means any day").format(tip=tip)
        )
        edit.setCalendarPopup(True)
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(translate(_CONTEXT, "{prefix}: any day").format(prefix=prefix))
        quoted = prefix.replace("'", "''")  # a quote inside a Qt date format's literal
        edit.setDisplayFormat(f"'{quoted}:' d MMM yyyy")
        edit.setDate(NO_DATE)
        edit.setMaximumWidth(COMBO_MAX_WIDTH)
        edit.dateChanged.connect(self._emit)
        return edit

    # -- choices ------------------------------------------------------------------------------
    def set_choices(
        self, *, numbers: Choices = (), groups: Choices = (), authors: Choices = (),
        more_authors: int = 0,
    ) -> None:
        """The values the cache has; a chosen one that is still offered stays chosen.
        `more_authors`: people left out of the author list (a line says how to find them)."""
        self._quiet = True
        try:
            before = self.values()
            for field, choices in (("number_id", numbers), ("group_id", groups),
                                   ("author_id", authors)):
                self._fill(field, choices, keep=getattr(before, field))
            if more_authors:
                combo = self.combos["author_id"]
                more = translate(
                    _CONTEXT, "%n more (person|people): search their name", None, more_authors
                )
                if more_authors >= 1000:  # Qt's %n has no thousands separator
                    more = more.replace(str(more_authors), f"{more_authors:,}")
                combo.addItem(more, "")
                item = combo.count() - 1
                combo.setItemData(item, 0, Qt.ItemDataRole.UserRole - 1)  # not selectable
        finally:
            self._quiet = False
        if self.values() != before:
            self._emit()

    def _fill(self, field: str, choices: Choices, keep: str = "") -> None:
        combo = self.combos[field]
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for value, text in choices:
            combo.addItem(text, value)
            combo.setItemData(combo.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        found = combo.findData(keep) if keep else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    # -- values -------------------------------------------------------------------------------
    def values(self) -> FilterValues:
        def day(edit: QDateEdit) -> date | None:
            chosen = edit.date()
            return None if chosen == NO_DATE else date(chosen.year(), chosen.month(), chosen.day())

        picked = {field: str(combo.currentData() or "") for field, combo in self.combos.items()}
        return FilterValues(since=day(self.since), until=day(self.until), **picked)

    def set_values(self, values: FilterValues) -> None:
        """Choose `values` (one `changed`); a value not offered is left off."""
        self._quiet = True
        try:
            for edit, chosen in ((self.since, values.since), (self.until, values.until)):
                edit.setDate(QDate(chosen.year, chosen.month, chosen.day) if chosen else NO_DATE)
            for field, combo in self.combos.items():
                combo.setCurrentIndex(max(combo.findData(getattr(values, field)), 0))
        finally:
            self._quiet = False
        self._emit()

    def choose(self, field: str, value: str) -> bool:
        """Choose `value` in the combo box of `field` (False when it is not offered)."""
        combo = self.combos[field]
        found = combo.findData(value)
        if found < 0:
            return False
        combo.setCurrentIndex(found)
        return True

    def clear(self) -> None:
        self.set_values(FilterValues())

    def remove(self, field: str) -> None:
        """Turn one filter off (a chip's ×)."""
        if field == "since":
            self.since.setDate(NO_DATE)
        elif field == "until":
            self.until.setDate(NO_DATE)
        else:
            self.combos[field].setCurrentIndex(0)

    # -- chips --------------------------------------------------------------------------------
    def chip_texts(self) -> list[str]:
        return [chip.label.text() for chip in self._chips]

    def _described(self) -> list[tuple[str, str]]:
        values = self.values()
        found: list[tuple[str, str]] = []
        if values.since is not None:
            found.append(("since", translate(_CONTEXT, "From {date}").format(
                date=f"{values.since:%d %b %Y}")))
        if values.until is not None:
            found.append(("until", translate(_CONTEXT, "To {date}").format(
                date=f"{values.until:%d %b %Y}")))
        for field, combo in self.combos.items():
            if combo.currentIndex() > 0:
                found.append((field, translate(_CONTEXT, "{filter}: {value}").format(
                    filter=filter_word(_CHIP_NAMES[field]), value=combo.currentText())))
        return found

    def _show_chips(self) -> None:
        self._chips = []
        for field, text in self._described():
            chip = FilterChip(field, text, self.chips)
            chip.removeClicked.connect(self.remove)
            self._chips.append(chip)
        self.chips.set_chips(self._chips)
        self.clear_button.setEnabled(bool(self._chips))
        self.in_force.setVisible(bool(self._chips))

    def _emit(self, *_args: object) -> None:
        if self._quiet:
            return
        self._show_chips()
        self.changed.emit()
