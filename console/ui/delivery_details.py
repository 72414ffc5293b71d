"""The delivery detail popup of an outbound group chat message (`deliveryDetails`).

A small read-only dialog: a heading ("Delivered to 2 of 3 participants; 1 failed."), then one
line per participant with a mark, their name and number, and how far the message got to
them ("delivered", "sent, not yet confirmed", "failed: the handset is unreachable (carrier
error 30003)"). It reads the message list model's Python side, never the database, and follows
it while open: a delivery the carrier confirms meanwhile shows up in place.

Opened by a click on the bubble, Space or Enter on the focused message (message_delegate.py).
"""

from __future__ import annotations

from console.services.types import MessageRow
from console.ui.i18n import translate
from console.ui.message_model import MessageListModel
from console.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QIcon,
    QLabel,
    Qt,
    QVBoxLayout,
    QWidget,
)
from console.ui.recipient_delivery import GLYPHS, heading
from console.ui.theme import set_themed_style

STYLE = """
#deliveryDetails { background: $surface; }
#deliveryHeading { font-weight: 600; }
#deliveryMessage { color: $muted; }
QLabel[reached="delivered"] { color: $success; }
QLabel[reached="waiting"] { color: $muted; }
QLabel[reached="failed"] { color: $danger; }
"""
BODY_PREVIEW = 80  # characters of the message shown above the list


class DeliveryDetails(QDialog):
    """objectName `deliveryDetails`; each participant's line is a QLabel `deliveryRecipient`
    whose accessible name is the whole line ("Maria Gonzalez (415) 555-0111: delivered")."""

    def __init__(self, model: MessageListModel, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("deliveryDetails")
        self.setWindowTitle(translate("DeliveryDetails", "Delivery"))
        self.setAccessibleName(translate("DeliveryDetails", "Delivery to each participant"))
        set_themed_style(self, STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._model = model
        self._key = key
        self._heading = QLabel(self)
        self._heading.setObjectName("deliveryHeading")
        self._heading.setWordWrap(True)
        self._body = QLabel(self)
        self._body.setObjectName("deliveryMessage")
        self._body.setWordWrap(True)
        self._list = QFormLayout()
        self._list.setHorizontalSpacing(12)
        self._list.setVerticalSpacing(6)
        self._list.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._shown: MessageRow | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setIcon(QIcon())  # the style's glyph sat on top of the word
            close.setAccessibleDescription(
                translate("DeliveryDetails", "Closes these delivery details.")
            )
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 12)
        layout.setSpacing(10)
        layout.addWidget(self._heading)
        layout.addWidget(self._body)
        layout.addLayout(self._list)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)
        model.dataChanged.connect(self._refresh)
        model.modelReset.connect(self._refresh)
        self._refresh()

    @property
    def key(self) -> str:
        return self._key

    def text(self) -> str:
        """Everything it says, line by line (for tests and screen readers)."""
        lines = [self._heading.text()]
        lines += [label.accessibleName() for label in self.recipient_labels()]
        return "\n".join(lines)

    def recipient_labels(self) -> list[QLabel]:
        found: list[QLabel] = []
        for position in range(self._list.rowCount()):
            item = self._list.itemAt(position, QFormLayout.ItemRole.LabelRole)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                found.append(widget)
        return found

    def _row(self) -> MessageRow | None:
        return self._model.message_at(self._model.row_of(self._key))

    def _refresh(self, *_args: object) -> None:
        row = self._row()
        if row is None or row == self._shown:  # gone from the window: keep what was shown
            return
        self._shown = row
        lines = self._model.recipients(row)
        self._heading.setText(heading(row, lines))
        body = " ".join(row.body.split())
        if len(body) > BODY_PREVIEW:
            body = body[: BODY_PREVIEW - 1].rstrip() + "\u2026"
        self._body.setText(f"\u201c{body}\u201d")
        while self._list.rowCount():
            self._list.removeRow(0)
        for line in lines:
            who = QLabel(f"{GLYPHS[line.reached]}  {line.who}", self)
            who.setObjectName("deliveryRecipient")
            who.setAccessibleName(
                translate("DeliveryDetails", "{who}: {state}").format(who=line.who, state=line.text)
            )
            # Not wrapped: a wrapped label in a form row is cut short (Qt sizes the row before
            # the label knows its width); the dialog grows to the longest reason instead.
            state = QLabel(line.text, self)
            state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            state.setProperty("reached", line.reached.value)
            self._list.addRow(who, state)
        self.adjustSize()
