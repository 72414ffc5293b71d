"""The group chat header's participants: one chip each (name, or the number when there is
none, and its tags), wrapping like words; `set_filter` hides those a search does not match.

A click on a chip emits `participantClicked` with its frozen number, so the header can open
the participant panel at that person.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from console.ui.chip_strip import ChipStrip
from console.ui.i18n import translate
from console.ui.participant_text import describe, matches, short_name, tag_labels, tone_of
from console.ui.qt import QSizePolicy, Qt, QToolButton, QWidget, Signal
from console.ui.theme import set_themed_style

if TYPE_CHECKING:
    from console.services.chat_details import ParticipantRow

CHIPS_STYLE = """
#participantChip {
    border: 1px solid $control_border;
    border-radius: 11px;
    padding: 2px 10px;
    background: $window;
    color: $text;
    font-size: 9pt;
}
#participantChip:hover { background: $accent_soft; border-color: $info_border; }
#participantChip[tone="warning"] { background: $warning_soft; border-color: $warning_border; }
#participantChip[tone="danger"] {
    background: $danger_soft;
    border-color: $danger_border;
    color: $danger_text;
}
"""


def chip_text(participant: ParticipantRow) -> str:
    """ "Maria Gonzalez", or "James Whitaker · Updated · DND" with its tags."""
    return "  \u00b7  ".join([short_name(participant), *tag_labels(participant.tags)])


class ParticipantChip(QToolButton):
    def __init__(self, participant: ParticipantRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("participantChip")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.participant = participant
        self.set_participant(participant)

    def set_participant(self, participant: ParticipantRow) -> None:
        """Show `participant` (the same person: a chat's participants never change, only
        what is known of them now: name, tags)."""
        self.participant = participant
        self.setText(chip_text(participant))
        tags = tag_labels(participant.tags)
        self.setAccessibleName(
            ", ".join([short_name(participant), participant.phone_display, *tags])
        )
        self.setToolTip(describe(participant))
        tone = tone_of(participant.tags)
        if self.property("tone") != tone:
            self.setProperty("tone", tone)
            self.style().unpolish(self)
            self.style().polish(self)
        self.adjustSize()


class ParticipantChips(ChipStrip):
    """objectName `participantChips`: one `participantChip` child per participant."""

    participantClicked = Signal(str)  # the participant's frozen number (E.164)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, spacing=6)
        self.setObjectName("participantChips")
        self.setAccessibleName(translate("ParticipantChips", "Participants"))
        set_themed_style(self, CHIPS_STYLE)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._chips: list[ParticipantChip] = []
        self._filter = ""

    def set_participants(self, participants: Sequence[ParticipantRow]) -> None:
        current = [chip.participant for chip in self._chips]
        if current == list(participants):
            return
        if [p.phone for p in current] == [p.phone for p in participants]:
            for chip, participant in zip(self._chips, participants, strict=True):
                chip.set_participant(participant)  # same people, news about them
            self.set_filter(self._filter)
            self._layout.invalidate()
            return
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.hide()
            chip.setParent(None)  # out of findChildren at once, not at the next event turn
            chip.deleteLater()
        self._chips = []
        for participant in participants:
            chip = ParticipantChip(participant, self)
            chip.clicked.connect(
                lambda _checked=False, phone=participant.phone: self.participantClicked.emit(phone)
            )
            self._layout.addWidget(chip)
            self._chips.append(chip)
        self.set_filter(self._filter)

    def chips(self) -> list[ParticipantChip]:
        return list(self._chips)

    def set_filter(self, text: str) -> int:
        """Show only the chips whose name or number matches `text`; returns how many show."""
        self._filter = text
        shown = 0
        for chip in self._chips:
            visible = matches(chip.participant, text)
            chip.setVisible(visible)
            shown += visible
        self._claim_height(self.width())
        self.updateGeometry()
        return shown

    def visible_chips(self) -> list[ParticipantChip]:
        return [chip for chip in self._chips if not chip.isHidden()]
