"""Screenshots of the group editor, for packaging/screenshots.py (H1 calls `shoot_group_editor`).

    shoot_group_editor(shooter, window, workspace)   # after the first sync

Writes groupeditor-01-empty, -02-region (a UK number), -03-disabled-rows (DND, with the
reasons) and -04-nine-of-nine, then cancels the dialog (nothing is created).
"""

from __future__ import annotations

from typing import Any

# Searches showing addable rows next to ones that cannot be added (demo data): numbers
# (858|407|615) 555-013x of contacts with DND on among others, then Oliver Bennett's UK number.
DISABLED_SEARCH = "555 013"
DISABLED_SEARCH_2 = "Ben"


def shoot_group_editor(shooter: Any, window: Any, workspace: Any) -> None:
    """`shooter` has grab(widget, name) and wait_until(condition, timeout_s, what)."""
    from console.ui.group_editor import GroupEditor
    from console.ui.qt import Qt

    editor = GroupEditor.start(window, workspace)
    model = editor.picker_model
    shooter.wait_until(
        lambda: editor.number_picker.count() > 0 and model.rowCount() > 0, 10, "the editor"
    )
    shooter.grab(editor, "groupeditor-01-empty")

    def search(text: str, shown: str) -> None:
        editor.contact_search.setText(text)
        shooter.wait_until(
            lambda: model.rowCount() > 0
            and all(
                shown in str(model.index(r, 0).data(Qt.ItemDataRole.DisplayRole))
                for r in range(model.rowCount())
            ),
            10,
            f"the search {text!r}",
        )

    search(DISABLED_SEARCH_2, "Ben")
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.flags() & Qt.ItemFlag.ItemIsEnabled:
            model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
            break
    shooter.grab(editor, "groupeditor-02-region")
    search(DISABLED_SEARCH, "555-013")
    shooter.grab(editor, "groupeditor-03-disabled-rows")

    editor.contact_search.clear()
    shooter.wait_until(lambda: model.rowCount() > 20, 10, "every contact")
    for row in range(model.rowCount()):
        if len(editor.chosen()) >= 9:
            break
        index = model.index(row, 0)
        checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        if index.flags() & Qt.ItemFlag.ItemIsEnabled and not checked:
            model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    shooter.wait_until(lambda: editor.participant_count.text() == "9 / 9", 5, "9 / 9")
    shooter.wait_until(editor.create_button.isEnabled, 5, "Create to be enabled")
    shooter.grab(editor, "groupeditor-04-nine-of-nine")
    editor.reject()
