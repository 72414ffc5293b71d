"""Sign-in dialog: server address, email, password, and (under Advanced) the CA bundle to trust.

The dialog never talks to the network or the cache: it calls the `login` callable it is given
(AuthService.login, or the app's wrapper of it) through a TaskRunner, so the request runs on a
worker thread, and shows the error's user-facing text. Errors carry a stable `code`
(`unreachable`, `tls_untrusted`, `unauthorized`, `rate_limited`, `not_console_server`, ...);
the dialog reacts to a few: a TLS trust failure opens Advanced at the CA bundle field, and a
rate limit holds the Sign in button for the `retry_after` seconds with a live countdown.
"""

from __future__ import annotations

import math
import time
from typing import Protocol

from console.ui.error_texts import code_text
from console.ui.i18n import QT_TRANSLATE_NOOP, in_source_language, translate
from console.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    Qt,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.tasks import TaskRunner


class LoginCall(Protocol):
    """AuthService.login's shape: returns a LoginResult, raises errors with `code`/`message`."""

    def __call__(
        self, server_url: str, email: str, password: str, /, *, ca_bundle: str | None = None
    ) -> object: ...


# What a sign-in failure's code says under a translation (an English console shows the
# service's own words, which name the server, the CA bundle, the reason).
LOGIN_CODE_TEXTS: dict[str, str] = {
    "unauthorized": QT_TRANSLATE_NOOP("LoginDialog", "Wrong email or password."),
    "validation_error": QT_TRANSLATE_NOOP("LoginDialog", "Enter your email and password."),
    "rate_limited": QT_TRANSLATE_NOOP("LoginDialog", "Too many attempts, try again later."),
    "invalid_server": QT_TRANSLATE_NOOP(
        "LoginDialog",
        "That is not a server address. Enter one like https://console.example.com."),
    "unreachable": QT_TRANSLATE_NOOP(
        "LoginDialog", "The server could not be reached. Check the address and try again."),
    "tls_untrusted": QT_TRANSLATE_NOOP(
        "LoginDialog",
        "The server's certificate is not trusted. If the server uses its own certificate "
        "authority, set its CA bundle under Advanced."),
    "tls_failed": QT_TRANSLATE_NOOP(
        "LoginDialog",
        "No secure connection could be made with the server. Check the address: https:// "
        "for a server with TLS, http:// for one without."),
    "ca_bundle_invalid": QT_TRANSLATE_NOOP(
        "LoginDialog", "The CA bundle cannot be read or is not a PEM certificate file."),
    "not_console_server": QT_TRANSLATE_NOOP(
        "LoginDialog",
        "The server answered, but it is not an Agent Console server. Check the address and "
        "the port."),
}
FAILED = QT_TRANSLATE_NOOP("LoginDialog", "Signing in failed. Check the address and try again.")


def user_message(error: BaseException) -> str:
    """The text to show for a failed login: the error's own plain words, never a traceback
    (under a translation: the translated sentence for the error's code)."""
    text = (
        getattr(error, "message", None)
        or getattr(error, "user_message", None)
        or getattr(error, "detail", None)
        or str(error)
    )
    if in_source_language():
        return str(text).strip() or translate("LoginDialog", FAILED)
    code = str(getattr(error, "code", "") or "")
    if code in LOGIN_CODE_TEXTS:
        return translate("LoginDialog", LOGIN_CODE_TEXTS[code])
    return code_text(code) if code else translate("LoginDialog", FAILED)


def retry_text(seconds: float) -> str:
    """The rate limit's countdown, rounded up as the services word a wait ("40 seconds",
    "1 minute", "15 minutes", "2 hours")."""
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return translate(
            "LoginDialog", "Too many attempts, try again in %n second(s).", None, whole)
    minutes = math.ceil(whole / 60)
    if minutes < 120:
        return translate(
            "LoginDialog", "Too many attempts, try again in %n minute(s).", None, minutes)
    return translate(
        "LoginDialog", "Too many attempts, try again in %n hour(s).", None, math.ceil(minutes / 60))


class LoginDialog(QDialog):
    loggedIn = Signal(object)  # whatever `login` returned (a LoginResult)

    def __init__(
        self,
        login: LoginCall,
        *,
        server_url: str = "",
        email: str = "",
        ca_bundle: str = "",
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        title = title or translate("LoginDialog", "Sign in")
        self.setWindowTitle(translate("LoginDialog", "{title} - Agent Console").format(title=title))
        self.setModal(True)
        self.setMinimumWidth(440)
        self._login = login
        self._runner = TaskRunner(self, max_workers=1)
        self._task: int | None = None
        self._retry_at: float | None = None  # monotonic time a rate limit ends
        self._retry_timer = QTimer(self)
        self._retry_timer.setInterval(250)
        self._retry_timer.timeout.connect(self._tick_retry)

        self.server_edit = QLineEdit(server_url, self)
        self.server_edit.setObjectName("loginServer")
        # Examples (a translation may show its own example domain).
        self.server_edit.setPlaceholderText(translate("LoginDialog", "https://console.example.com"))
        self.email_edit = QLineEdit(email, self)
        self.email_edit.setObjectName("loginEmail")
        self.email_edit.setPlaceholderText(translate("LoginDialog", "you@example.com"))
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("loginPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        for edit, name, description in (
            (self.server_edit, translate("LoginDialog", "Server address"),
             translate("LoginDialog", "The web address of your console server.")),
            (self.email_edit, translate("LoginDialog", "Email"),
             translate("LoginDialog", "The email address you sign in with.")),
            (self.password_edit, translate("LoginDialog", "Password"),
             translate("LoginDialog", "Your password on that server. It is not shown.")),
        ):
            edit.setAccessibleName(name)
            edit.setAccessibleDescription(description)
            edit.textChanged.connect(self._update_buttons)

        # Advanced: the CA bundle for a self-hosted server whose certificate is not signed by
        # a public authority. Hidden until asked for, or until a TLS trust failure.
        self.advanced_toggle = QToolButton(self)
        self.advanced_toggle.setObjectName("loginAdvancedToggle")
        self.advanced_toggle.setText(translate("LoginDialog", "Advanced"))
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setAccessibleDescription(translate(
            "LoginDialog", "Shows or hides the certificate settings for a self-hosted server."
        ))
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced_toggle.toggled.connect(self.set_advanced_visible)
        self.advanced = QWidget(self)
        self.advanced.setObjectName("loginAdvanced")
        self.ca_edit = QLineEdit(ca_bundle, self.advanced)
        self.ca_edit.setObjectName("loginCaBundle")
        self.ca_edit.setPlaceholderText(translate("LoginDialog", "System certificate authorities"))
        self.ca_edit.setAccessibleName(translate("LoginDialog", "CA bundle"))
        self.ca_edit.setToolTip(translate(
            "LoginDialog",
            "A PEM file with the certificate authority of a self-hosted server. "
            "Leave empty to trust the usual public authorities.",
        ))
        self.ca_browse = QPushButton(translate("LoginDialog", "Browse..."), self.advanced)
        self.ca_browse.setObjectName("loginCaBrowse")
        self.ca_browse.setAccessibleDescription(
            translate("LoginDialog", "Chooses the certificate authority file on this computer.")
        )
        self.ca_browse.clicked.connect(self._browse_ca)
        ca_row = QHBoxLayout()
        ca_row.setContentsMargins(0, 0, 0, 0)
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(self.ca_browse)
        advanced_form = QFormLayout(self.advanced)
        advanced_form.setContentsMargins(0, 0, 0, 0)
        advanced_form.addRow(translate("LoginDialog", "CA bundle"), ca_row)
        self.advanced.hide()

        self.error_label = QLabel(self)
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.error_code = ""  # the last failure's code ("" when none)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: we cannot know how long the server takes
        self.progress.setTextVisible(False)
        self.progress.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(translate("LoginDialog", "Sign in"))
        self.sign_in_button.setObjectName("loginButton")
        self.sign_in_button.setAccessibleDescription(
            translate("LoginDialog", "Signs in to the server with this email and password.")
        )
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleDescription(
            translate("LoginDialog", "Closes this window without signing in.")
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(translate("LoginDialog", "Server"), self.server_edit)
        form.addRow(translate("LoginDialog", "Email"), self.email_edit)
        form.addRow(translate("LoginDialog", "Password"), self.password_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.advanced_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.advanced)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        if ca_bundle:
            self.advanced_toggle.setChecked(True)
        # The cursor starts in the first field still to fill.
        first_empty = next(
            (edit for edit in (self.server_edit, self.email_edit) if not edit.text().strip()),
            self.password_edit,
        )
        first_empty.setFocus()
        self._update_buttons()

    # -- state ------------------------------------------------------------------------------
    def busy(self) -> bool:
        return self._task is not None

    def rate_limited(self) -> bool:
        return self._retry_at is not None

    def set_advanced_visible(self, visible: bool) -> None:
        self.advanced.setVisible(visible)
        self.advanced_toggle.setArrowType(
            Qt.ArrowType.DownArrow if visible else Qt.ArrowType.RightArrow
        )
        if self.advanced_toggle.isChecked() != visible:
            self.advanced_toggle.setChecked(visible)

    def _update_buttons(self) -> None:
        filled = all(e.text().strip() for e in (self.server_edit, self.email_edit)) and bool(
            self.password_edit.text()
        )
        self.sign_in_button.setEnabled(filled and not self.busy() and not self.rate_limited())

    def _set_busy(self, busy: bool) -> None:
        for edit in (self.server_edit, self.email_edit, self.password_edit, self.ca_edit):
            edit.setEnabled(not busy)
        self.ca_browse.setEnabled(not busy)
        self.progress.setVisible(busy)
        self._update_buttons()

    def _show_error(self, code: str, text: str) -> None:
        self.error_code = code
        self.error_label.setProperty("code", code)
        self.error_label.setText(text)
        self.error_label.show()
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow (never shrink) to what the layout needs at this width: an error of two or
        three lines takes room below the fields instead of squashing them."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        width = self.width()
        needed = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        self.setMinimumHeight(needed)
        if needed > self.height():
            self.resize(width, needed)

    # -- sign in ----------------------------------------------------------------------------
    def _submit(self) -> None:
        if self.busy() or not self.sign_in_button.isEnabled():
            return
        self.error_label.hide()
        self.error_code = ""
        server = self.server_edit.text().strip()
        email = self.email_edit.text().strip()
        password = self.password_edit.text()
        ca_bundle = self.ca_edit.text().strip() or None
        login = self._login
        self._task = self._runner.submit(
            lambda: login(server, email, password, ca_bundle=ca_bundle),
            on_success=self._on_success,
            on_failure=self._on_failure,
        )
        self._set_busy(True)

    def _on_success(self, result: object) -> None:
        self._task = None
        self.password_edit.clear()
        self._set_busy(False)
        self.loggedIn.emit(result)
        self.accept()

    def _on_failure(self, error: BaseException) -> None:
        self._task = None
        self._set_busy(False)
        code = str(getattr(error, "code", "") or "")
        self._show_error(code, user_message(error))
        if code in ("tls_untrusted", "ca_bundle_invalid"):
            self.set_advanced_visible(True)
            self.ca_edit.setFocus()
            self.ca_edit.selectAll()
            return
        retry_after = getattr(error, "retry_after", None)
        if code == "rate_limited" and isinstance(retry_after, int | float) and retry_after > 0:
            self._retry_at = time.monotonic() + float(retry_after)
            self._retry_timer.start()
            self._update_buttons()
        self.password_edit.selectAll()
        self.password_edit.setFocus()

    def _tick_retry(self) -> None:
        if self._retry_at is None:
            self._retry_timer.stop()
            return
        left = self._retry_at - time.monotonic()
        if left > 0:
            self.error_label.setText(retry_text(left))
            return
        self._retry_at = None
        self._retry_timer.stop()
        self._show_error("", translate("LoginDialog", "You can try again now."))
        self._update_buttons()

    def _browse_ca(self) -> None:
        chooser = QFileDialog(self, translate("LoginDialog", "CA bundle (PEM)"))
        chooser.setObjectName("loginCaChooser")
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.setNameFilters([
            translate("LoginDialog", "Certificates (*.pem *.crt *.cer)"),
            translate("LoginDialog", "All files (*)"),
        ])
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        chooser.fileSelected.connect(self.ca_edit.setText)
        chooser.open()  # not exec(): no nested event loop

    # -- close ------------------------------------------------------------------------------
    def reject(self) -> None:
        # A login still running is abandoned: its result is dropped, never applied.
        self._task = None
        self._retry_timer.stop()
        self._runner.shutdown(wait=False)
        super().reject()

    def done(self, result: int) -> None:
        self._retry_timer.stop()
        self._runner.shutdown(wait=False)
        super().done(result)
