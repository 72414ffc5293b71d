"""The crash dialog: an unhandled error, told once, with the report and the log to copy.

    reporter = CrashReporter(window, log_file)
    set_crash_listener(reporter.report)       # console/logging_setup.py calls it per crash

The report (console/logging_setup.py) is already on disk, redacted; nothing is sent anywhere.
A known problem (a full disk, a locked cache, an unreachable server: console/known_errors.py)
is told in plain words instead of as a bug. Crashes while the dialog is open are counted in
it rather than stacked as more dialogs.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from console.logging_setup import Crash, redact
from console.ui.error_texts import plain_words
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.qt import (
    QApplication,
    QDesktopServices,
    QDialog,
    QHBoxLayout,
    QLabel,
    QObject,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
)

log = logging.getLogger("console.ui.crash")

LOG_TAIL_BYTES = 64_000  # about the last few hundred lines: what led up to it
BUG_TEXT = QT_TRANSLATE_NOOP(
    "CrashDialog",
    "Something went wrong inside Agent Console. This is a bug in Agent Console, not something "
    "you did.",
)
SAFE_TEXT = QT_TRANSLATE_NOOP(
    "CrashDialog",
    "Your messages are safe: sent and waiting messages are kept in the local cache. You can "
    "keep working; if the window misbehaves, quit and start Agent Console again.",
)
PRIVATE_TEXT = QT_TRANSLATE_NOOP(
    "CrashDialog",
    "Nothing has been sent anywhere. To report the bug, copy the details (the error and the "
    "log, with passwords and tokens removed) into your report.",
)


def log_tail(path: Path | None, limit: int = LOG_TAIL_BYTES) -> str:
    """The end of the log file, from a whole line; "" if there is none."""
    if path is None:
        return ""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(0, size - limit))
            data = handle.read()
    except OSError:
        return ""
    text = data.decode("utf-8", errors="replace")
    if len(data) >= limit and "\n" in text:
        text = text.split("\n", 1)[1]
    return text


def crash_details(crash: Crash, log_file: Path | None) -> str:
    """The report's text (or the traceback, if it could not be written) and the log's end."""
    report = ""
    if crash.report is not None:
        try:
            report = crash.report.read_text(encoding="utf-8")
        except OSError:
            report = ""
    if not report:
        error = crash.error
        report = redact(
            f"Unhandled exception in {crash.where}\n\n"
            + "".join(traceback.format_exception(type(error), error, error.__traceback__))
        )
    details = report.rstrip() + "\n"
    if crash.report is not None:
        details += f"\nReport file: {crash.report}\n"
    tail = log_tail(log_file)
    if tail:
        details += f"\n--- log: {log_file} (its end) ---\n{redact(tail)}"
    return details


class CrashDialog(QDialog):
    def __init__(self, crash: Crash, log_file: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(translate("CrashDialog", "Agent Console ran into a problem"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._log_file = log_file
        self.count = 1
        known = plain_words(crash.error)
        self.known = known is not None

        self.headline = QLabel(known or translate("CrashDialog", BUG_TEXT), self)
        self.headline.setObjectName("crashHeadline")
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        safe = QLabel(translate("CrashDialog", SAFE_TEXT), self)
        safe.setWordWrap(True)
        self.private = QLabel(translate("CrashDialog", PRIVATE_TEXT), self)
        self.private.setWordWrap(True)
        self.private.setVisible(not self.known)
        self.repeats = QLabel(self)
        self.repeats.setObjectName("crashRepeats")
        self.repeats.hide()

        self.details = QPlainTextEdit(self)
        self.details.setObjectName("crashDetails")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setPlainText(crash_details(crash, log_file))
        self.details.setAccessibleName(translate("CrashDialog", "Error details"))
        self.details.setAccessibleDescription(
            translate("CrashDialog", "What went wrong, for whoever supports the console.")
        )
        self.details.hide()

        self.details_button = QPushButton(translate("CrashDialog", "Show &details"), self)
        self.details_button.setObjectName("crashDetailsButton")
        self.details_button.setCheckable(True)
        self.details_button.setAccessibleDescription(
            translate("CrashDialog", "Shows or hides the technical details of the error.")
        )
        self.details_button.toggled.connect(self._show_details)
        self.copy_button = QPushButton(translate("CrashDialog", "&Copy details"), self)
        self.copy_button.setObjectName("crashCopyButton")
        self.copy_button.setAccessibleDescription(
            translate("CrashDialog", "Copies the details, to paste into a message to support.")
        )
        self.copy_button.clicked.connect(self.copy_details)
        self.folder_button = QPushButton(translate("CrashDialog", "Open &log folder"), self)
        self.folder_button.setObjectName("crashLogFolderButton")
        self.folder_button.setAccessibleDescription(
            translate("CrashDialog", "Opens the folder with the console's log files.")
        )
        self.folder_button.setEnabled(log_file is not None)
        self.folder_button.clicked.connect(self.open_log_folder)
        self.quit_button = QPushButton(translate("CrashDialog", "&Quit Agent Console"), self)
        self.quit_button.setObjectName("crashQuitButton")
        self.quit_button.setAccessibleDescription(
            translate("CrashDialog", "Closes the console now.")
        )
        self.quit_button.clicked.connect(self._quit)
        self.close_button = QPushButton(translate("CrashDialog", "&Keep working"), self)
        self.close_button.setObjectName("crashCloseButton")
        self.close_button.setAccessibleDescription(
            translate("CrashDialog", "Closes this message and goes on with the console.")
        )
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)

        buttons = QHBoxLayout()
        buttons.addWidget(self.details_button)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(safe)
        layout.addWidget(self.private)
        layout.addWidget(self.repeats)
        layout.addWidget(self.details, 1)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)

    def add(self, crash: Crash, log_file: Path | None) -> None:
        """Another crash while this one is open: counted, its details added."""
        self.count += 1
        self.repeats.setText(translate(
            "CrashDialog", "It happened %n times. Restarting Agent Console may help.", None,
            self.count,
        ))
        self.repeats.show()
        self.details.appendPlainText("\n\n=== and then ===\n\n" + crash_details(crash, None))

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText(translate("CrashDialog", "Copied"))

    def open_log_folder(self) -> None:
        if self._log_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_file.parent)))

    def _show_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(
            translate("CrashDialog", "Hide &details") if shown
            else translate("CrashDialog", "Show &details")
        )
        self.adjustSize()

    def _quit(self) -> None:
        self.accept()
        QApplication.quit()


class CrashReporter(QObject):
    """Hears of crashes on any thread; shows them on the GUI thread, one dialog at a time."""

    _crashed = Signal(object)  # Crash

    def __init__(self, parent: QWidget | None, log_file: Path | None) -> None:
        super().__init__(parent)
        self._window = parent
        self._log_file = log_file
        self.dialog: CrashDialog | None = None
        self._crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def report(self, crash: Crash) -> None:
        """Any thread (console/logging_setup.py calls it)."""
        self._crashed.emit(crash)

    def _show(self, crash: Crash) -> None:
        try:
            if self.dialog is not None:
                self.dialog.add(crash, self._log_file)
                return
            dialog = CrashDialog(crash, self._log_file, self._window)
            dialog.destroyed.connect(self._closed)
            self.dialog = dialog
            dialog.open()  # not exec(): no nested event loop inside a failing slot
        except Exception:  # the dialog itself failing must not crash again: the log has it
            log.exception("could not show the crash dialog")

    def _closed(self) -> None:
        self.dialog = None
