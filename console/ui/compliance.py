"""Tools > Compliance settings (admins): opens `complianceDialog`, fills it from the cache and
saves what the admin changes, all on one worker (TaskRunner): the GUI thread never waits on
the cache. A refused value is said in the dialog; the server's answer comes back as a change."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import time
from typing import TYPE_CHECKING

from console.domain.errors import DomainError
from console.domain.opt_out_hint import HINT_TOO_LONG, HINT_WITHOUT_STOP, MAX_HINT_CHARS
from console.services.compliance_rows import NumberHint, StateWindow
from console.services.types import ChangeSet
from console.ui.compliance_dialog import ComplianceDialog
from console.ui.error_texts import error_text
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import translate
from console.ui.qt import QWidget
from console.ui.tasks import OneWorker

if TYPE_CHECKING:  # the services pull in SQLAlchemy: not before first paint
    from console.services.workspace import Workspace

log = logging.getLogger("console.ui.compliance")
_CONTEXT = "ComplianceSettings"


def compliance_refusal_text(error: DomainError) -> str:
    words = {
        "unknown_state": translate(_CONTEXT, "Choose a US state or Canadian province."),
        "empty_window": translate(_CONTEXT, "The window must end after it starts."),
        HINT_WITHOUT_STOP: translate(
            _CONTEXT, "The hint must say how to opt out, with the word STOP (for example "
            "“Reply STOP to opt out.”)."),
        HINT_TOO_LONG: translate(
            _CONTEXT, "The hint is too long: at most {count} characters.",
        ).format(count=MAX_HINT_CHARS),
    }
    if error.hint in words:
        return words[error.hint]
    return error_text(error.code, error.detail)


class ComplianceSettings(OneWorker):
    def __init__(self, dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self._parent = dialog_parent
        self._workspace: Workspace | None = None
        self.dialog: ComplianceDialog | None = None

    def attach(self, workspace: Workspace | None) -> None:
        assert_gui_thread()
        if self.dialog is not None:
            self.dialog.reject()
        self.stop_worker()
        self._workspace = workspace
        if workspace is not None:
            self.start_worker()

    @property
    def available(self) -> bool:
        return self._workspace is not None and self._workspace.compliance.is_admin

    def on_changes(self, changes: ChangeSet) -> None:
        if self.dialog is not None and (changes.numbers or changes.quiet_hours or changes.reset):
            self.reload()

    def open(self) -> ComplianceDialog | None:
        if not self.available:
            return None
        if self.dialog is None:
            dialog = ComplianceDialog(self._parent)
            dialog.hintSaveRequested.connect(self._save_hint)
            dialog.stateSetRequested.connect(self._set_state)
            dialog.stateClearRequested.connect(self._clear_state)
            dialog.finished.connect(lambda _r: self._closed(dialog))
            self.dialog = dialog
            self.reload()
        self.dialog.open()
        self.dialog.raise_()
        return self.dialog

    def _closed(self, dialog: ComplianceDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def reload(self) -> None:
        workspace, runner = self._workspace, self.runner
        if workspace is None or runner is None:
            return
        service = workspace.compliance

        def show(result: tuple[list[NumberHint], list[StateWindow]]) -> None:
            if self.dialog is not None:
                self.dialog.set_numbers(result[0])
                self.dialog.set_windows(result[1])

        runner.submit(lambda: (service.number_hints(), service.state_windows()),
                      on_success=show, on_failure=self._failed)

    def _write(self, work: Callable[[], object]) -> None:
        if self.runner is not None:
            self.runner.submit(work, on_success=lambda _r: self.reload(),
                                on_failure=self._failed)

    def _save_hint(self, number_id: str, text: str) -> None:
        if self._workspace is not None:
            service = self._workspace.compliance
            self._write(lambda: service.set_hint(number_id, text))

    def _set_state(self, state: str, start: time, end: time) -> None:
        if self._workspace is not None:
            service = self._workspace.compliance
            self._write(lambda: service.set_state_window(state, start, end))

    def _clear_state(self, state: str) -> None:
        if self._workspace is not None:
            service = self._workspace.compliance
            self._write(lambda: service.clear_state_window(state))

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, DomainError):
            text = compliance_refusal_text(error)
        else:
            log.error("compliance settings failed", exc_info=error)
            text = translate(_CONTEXT, "It could not be saved here. Nothing changed; try again.")
        if self.dialog is not None:
            self.dialog.show_error(text)
