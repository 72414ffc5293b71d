"""The question asked before something that cannot be taken back (deleting; signing out
with changes not sent): a warning box, Cancel by default.

The box is window-modal and opened (not exec'd): the GUI thread keeps running, and tests
find it and its Delete button by object name.
"""

from __future__ import annotations

from collections.abc import Callable

from console.ui.i18n import translate
from console.ui.qt import QMessageBox, Qt, QWidget


def delete_confirm(
    parent: QWidget,
    *,
    object_name: str,
    title: str,
    text: str,
    details: str,
    button: str,
    button_object_name: str,
    decided: Callable[[bool], None],
) -> QMessageBox:
    """A box (not yet open) asking `text` (rich text), with `details` under it; `decided`
    is called once it closes: True when the user chose `button`."""
    box = QMessageBox(parent)
    box.setObjectName(object_name)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(text)
    box.setInformativeText(details)
    delete = box.addButton(button, QMessageBox.ButtonRole.DestructiveRole)
    delete.setObjectName(button_object_name)
    delete.setAccessibleDescription(
        translate("DeleteConfirm", "Goes ahead, as the text above says.")
    )
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setAccessibleDescription(translate("DeleteConfirm", "Changes nothing."))
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda _result: decided(box.clickedButton() is delete))
    return box
