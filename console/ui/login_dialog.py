"""Sign-in dialog: server address, email, password. The login itself runs off the GUI thread.

The dialog never talks to the network or the cache: it calls the `login` callable it is given
(AuthService.login) through a TaskRunner and shows the error's user-facing text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from console.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.tasks import TaskRunner

LoginCall = Callable[[str, str, str], Any]


def user_message(error: BaseException) -> str:
    """The text to show for a failed login: the error's own plain words, never a traceback."""
    text = getattr(error, "user_message", None) or getattr(error, "detail", None) or str(error)
    return str(text).strip() or "Signing in failed. Check the address and try again."


class LoginDialog(QDialog):
    loggedIn = Signal(object)  # whatever `login` returned (a LoginResult)

    def __init__(
        self,
        login: LoginCall,
        *,
        server_url: str = "",
        email: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle("Sign in - Agent Console")
        self.setModal(True)
        self.setMinimumWidth(420)
        self._login = login
        self._runner = TaskRunner(self, max_workers=1)
        self._task: int | None = None

        self.server_edit = QLineEdit(server_url, self)
        self.server_edit.setObjectName("loginServer")
        self.server_edit.setPlaceholderText("https://console.example.com")
        self.email_edit = QLineEdit(email, self)
        self.email_edit.setObjectName("loginEmail")
        self.email_edit.setPlaceholderText("you@example.com")
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("loginPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        for edit, name in ((self.server_edit, "Server address"), (self.email_edit, "Email"),
                           (self.password_edit, "Password")):
            edit.setAccessibleName(name)
            edit.textChanged.connect(self._update_buttons)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: we cannot know how long the server takes
        self.progress.setTextVisible(False)
        self.progress.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText("Sign in")
        self.sign_in_button.setObjectName("loginButton")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Server", self.server_edit)
        form.addRow("Email", self.email_edit)
        form.addRow("Password", self.password_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        (self.password_edit if server_url and email else self.server_edit).setFocus()
        self._update_buttons()

    def busy(self) -> bool:
        return self._task is not None

    def _update_buttons(self) -> None:
        filled = all(e.text().strip() for e in (self.server_edit, self.email_edit)) and bool(
            self.password_edit.text()
        )
        self.sign_in_button.setEnabled(filled and not self.busy())

    def _set_busy(self, busy: bool) -> None:
        for edit in (self.server_edit, self.email_edit, self.password_edit):
            edit.setEnabled(not busy)
        self.progress.setVisible(busy)
        self._update_buttons()

    def _submit(self) -> None:
        if self.busy() or not self.sign_in_button.isEnabled():
            return
        self.error_label.hide()
        server = self.server_edit.text().strip()
        email = self.email_edit.text().strip()
        password = self.password_edit.text()
        self._task = self._runner.submit(
            lambda: self._login(server, email, password),
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
        self.error_label.setText(user_message(error))
        self.error_label.show()
        self.password_edit.selectAll()
        self.password_edit.setFocus()

    def reject(self) -> None:
        # A login still running is abandoned: its result is dropped, never applied.
        self._task = None
        self._runner.shutdown(wait=False)
        super().reject()

    def done(self, result: int) -> None:
        self._runner.shutdown(wait=False)
        super().done(result)
