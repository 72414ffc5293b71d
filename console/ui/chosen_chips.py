"""The group editor's chosen participants: one removable chip each, wrapping like words.

A chip shows the name and the number (the number alone when there is no name); its close
button (objectName `removeChip`, accessible name "Remove <name>") emits `removed` with the
(contact_id, phone) key. The owner keeps the list and calls `set_rows`.
"""

from __future__ import annotations

from collections.abc import Sequence

from console.services.group_chats import PickerRow
from console.ui.chip_strip import ChipStrip
from console.ui.contact_picker_model import reason_texts
from console.ui.i18n import translate
from console.ui.qt import (
    QLabel,
    QWidget,
    Signal,
)
from console.ui.removable_chip import RemovableChip


class Chip(RemovableChip):
    """`removeClicked` carries the (contact_id, phone) key."""

    def __init__(self, row: PickerRow, parent: QWidget | None = None) -> None:
        text = f"{row.name}  {row.phone_display}" if row.name else row.phone_display
        remove = translate("Chip", "Remove {name}").format(name=row.title)
        super().__init__(
            row.key, text, remove_name=remove, remove_tip=remove, parent=parent,
        )
        self.setObjectName("chosenParticipantChip")
        self.setAccessibleName(f"{row.title}, {row.phone_display}")
        self.setToolTip(
            reason_texts(row.code, row.name, row.phone)[1] if row.code is not None
            else f"{row.title}, {row.phone_display}"
        )
        if row.code is not None:
            self.setProperty("broken", True)  # a prefilled participant who cannot stay


class ChosenChips(ChipStrip):
    removed = Signal(object)  # (contact_id, phone)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chosenParticipants")
        self._chips: list[Chip] = []
        self._placeholder = QLabel(
            translate("ChosenChips", "Nobody yet: check people below."), self
        )
        self._placeholder.setObjectName("chipsPlaceholder")
        self._layout.addWidget(self._placeholder)

    def set_rows(self, rows: Sequence[PickerRow]) -> None:
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self._chips = []
        for row in rows:
            chip = Chip(row, self)
            chip.removeClicked.connect(self.removed.emit)
            self._layout.addWidget(chip)
            chip.show()
            self._chips.append(chip)
        self._placeholder.setVisible(not rows)
        self._claim_height(self.width())
        self.updateGeometry()

    def chips(self) -> list[Chip]:
        return list(self._chips)
