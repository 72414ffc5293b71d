"""Templates in a window: the picker a composer opens (Ctrl+T), the editor behind its New and
Edit, and Delete with a question first.

The composer says where the text goes (`Target`: how a template reads there, who it is for);
the picker shows it so and hands the text back to `Target.insert`. Every cache read and write
runs on one worker (TaskRunner), in the order asked: the GUI thread never waits on the cache.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from console.domain.errors import DomainError
from console.domain.merge_fields import Rendered, unknown_fields
from console.domain.templates import TemplateItem, TemplateProblem
from console.services.types import ChangeSet
from console.ui.error_texts import error_text
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import translate
from console.ui.qt import QMessageBox, QWidget
from console.ui.tasks import OneWorker
from console.ui.template_editor import TemplateEditor, unknown_text
from console.ui.template_picker import Fill, TemplatePicker

if TYPE_CHECKING:  # the services pull in SQLAlchemy: not before first paint
    from console.services.templates import TemplateService
    from console.services.workspace import Workspace

log = logging.getLogger("console.ui.template_insert")
_CONTEXT = "TemplateInsert"


@dataclass(frozen=True, slots=True)
class Target:
    """Where a picked template goes."""

    fill: Fill  # the template's text as it reads there
    insert: Callable[[str], None]
    name: str = ""  # who it is for ("Ana López"), for the picker's notes
    note: str = ""  # a line under the preview


def as_written(body: str) -> Rendered:
    """A group message's text keeps its fields: each recipient's copy is filled when sent."""
    return Rendered(text=body, missing=())


def problem_text(error: DomainError, body: str) -> str:
    """A refused template in words the user can act on."""
    words = {
        TemplateProblem.NO_NAME: translate(_CONTEXT, "Give the template a name."),
        TemplateProblem.NO_BODY: translate(_CONTEXT, "Write the template's text."),
        TemplateProblem.NAME_TAKEN: translate(
            _CONTEXT, "Another template already has that name. Choose another."),
        TemplateProblem.NOT_YOURS: translate(
            _CONTEXT, "Only admins share templates or change shared ones."),
        TemplateProblem.GONE: translate(_CONTEXT, "This template was deleted meanwhile."),
    }
    try:
        problem = TemplateProblem(error.hint)
    except ValueError:
        return error_text(error.code, error.detail)
    if problem is TemplateProblem.UNKNOWN_FIELD:
        return unknown_text(unknown_fields(body))
    return words[problem]


class TemplateInsert(OneWorker):
    def __init__(
        self,
        dialog_parent: QWidget,
        *,
        target: Callable[[], Target | None],
    ) -> None:
        super().__init__(dialog_parent)
        self._parent = dialog_parent
        self._target = target
        self._workspace: Workspace | None = None
        self._generation = 0
        self.picker: TemplatePicker | None = None
        self.editor: TemplateEditor | None = None
        self.confirm: QMessageBox | None = None

    # -- wiring -----------------------------------------------------------------------------

    def attach(self, workspace: Workspace | None) -> None:
        assert_gui_thread()
        self.stop()
        self._workspace = workspace
        if workspace is not None:
            self.start_worker()

    def stop(self) -> None:
        assert_gui_thread()
        self._generation += 1
        for dialog in (self.confirm, self.editor, self.picker):
            if dialog is not None:
                dialog.reject()
        self.confirm = self.editor = self.picker = None
        self.stop_worker()
        self._workspace = None

    def on_changes(self, changes: ChangeSet) -> None:
        if (changes.templates or changes.reset) and self.picker is not None:
            self._reload()

    @property
    def _service(self) -> TemplateService | None:
        return self._workspace.templates if self._workspace is not None else None

    # -- the picker -------------------------------------------------------------------------

    def open_picker(self) -> TemplatePicker | None:
        """The picker for the composer's current target (none: manage templates only)."""
        if self._service is None:
            return None
        if self.picker is not None:
            self.picker.raise_()
            self.picker.activateWindow()
            return self.picker
        target = self._target()
        picker = TemplatePicker(
            self._parent, fill=target.fill if target is not None else None,
            target=target.name if target is not None else "",
            note=target.note if target is not None else "",
        )
        if target is not None:
            picker.insertRequested.connect(target.insert)
        picker.newRequested.connect(lambda: self.open_editor(None))
        picker.editRequested.connect(self.open_editor)
        picker.deleteRequested.connect(self.ask_delete)
        picker.finished.connect(lambda _result: self._picker_closed(picker))
        self.picker = picker
        picker.open()
        picker.search.setFocus()
        self._reload()
        return picker

    def _picker_closed(self, picker: TemplatePicker) -> None:
        if self.picker is picker:
            self.picker = None
        picker.deleteLater()

    def _reload(self, select: str = "") -> None:
        service, runner = self._service, self.runner
        if service is None or runner is None:
            return
        self._generation += 1
        generation = self._generation

        def show(items: list[TemplateItem]) -> None:
            if generation != self._generation or self.picker is None:
                return
            self.picker.set_items(items, service.may_change)
            if select:
                self.picker.select(select)

        runner.submit(service.all, on_success=show,
                      on_failure=self._log("read the templates"))

    # -- new, edit, delete ------------------------------------------------------------------

    def open_editor(self, template_id: str | None, *, body: str = "") -> TemplateEditor | None:
        service, runner = self._service, self.runner
        if service is None or runner is None or self.editor is not None:
            return self.editor
        item = None
        if template_id is not None and self.picker is not None:
            current = self.picker.current()
            item = current if current is not None and current.id == template_id else None
            if item is None:
                return None

        def save(name: str, text: str, shared: bool) -> None:
            def saved(made: str | None) -> None:
                if self.editor is editor:
                    editor.accept()
                self._reload(select=made or (item.id if item is not None else ""))

            def refused(error: BaseException) -> None:
                if isinstance(error, DomainError):
                    words = problem_text(error, text)
                else:
                    log.error("a template could not be saved", exc_info=error)
                    words = translate(
                        _CONTEXT, "It could not be saved here. Nothing changed; try again.")
                if self.editor is editor:
                    editor.show_error(words)

            if item is None:
                runner.submit(lambda: service.create(name, text, shared=shared),
                              on_success=saved, on_failure=refused)
            else:
                runner.submit(
                    lambda: service.edit(item.id, name=name, body=text, shared=shared),
                    on_success=saved, on_failure=refused)

        editor = TemplateEditor(save, self.picker or self._parent, item=item,
                                may_share=service.may_share, body=body)
        editor.finished.connect(lambda _result: self._editor_closed(editor))
        self.editor = editor
        editor.open()
        editor.name.setFocus()
        return editor

    def _editor_closed(self, editor: TemplateEditor) -> None:
        if self.editor is editor:
            self.editor = None
        editor.deleteLater()

    def ask_delete(self, template_id: str) -> QMessageBox | None:
        service, runner = self._service, self.runner
        current = self.picker.current() if self.picker is not None else None
        if service is None or runner is None or current is None or current.id != template_id:
            return None
        box = QMessageBox(self.picker or self._parent)
        box.setObjectName("templateDeleteConfirm")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate(_CONTEXT, "Delete template?"))
        box.setText(translate(_CONTEXT, "Delete the template “{name}”?").format(
            name=current.name))
        box.setInformativeText(
            translate(_CONTEXT, "Everyone on the team loses it; messages sent with it stay.")
            if current.shared
            else translate(_CONTEXT, "Messages sent with it stay as they are."))
        delete = box.addButton(translate(_CONTEXT, "Delete"),
                               QMessageBox.ButtonRole.DestructiveRole)
        delete.setObjectName("templateDeleteConfirmButton")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)

        def answered(_result: int) -> None:
            if self.confirm is box:
                self.confirm = None
            if box.clickedButton() is delete:
                runner.submit(lambda: service.delete(template_id),
                              on_success=lambda _r: self._reload(),
                              on_failure=self._refused_delete)
            box.deleteLater()

        box.finished.connect(answered)
        self.confirm = box
        box.open()
        return box

    def _refused_delete(self, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            log.error("a template could not be deleted", exc_info=error)
        if self.picker is not None:
            self.picker.empty_note.setText(
                problem_text(error, "") if isinstance(error, DomainError)
                else translate(_CONTEXT, "It could not be deleted here; try again."))
            self.picker.empty_note.show()

    def _log(self, what: str) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            log.error("could not %s", what, exc_info=error)

        return failed
