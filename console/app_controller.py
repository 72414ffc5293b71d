"""Takes the console from an empty window to a live workspace, and back down at exit."""

from __future__ import annotations

import argparse
import logging
import time

from console.embedded_backend import EmbeddedBackend, EmbeddedBackendError
from console.services.auth import AuthService, LoginResult
from console.services.errors import ServiceError
from console.services.types import SyncState
from console.services.workspace import Workspace
from console.startup import (
    demo_backend,
    last_profile,
    open_from_login,
    open_saved,
    saved_sign_in,
    start_demo,
)
from console.ui.login_dialog import LoginDialog
from console.ui.main_window import MainWindow
from console.ui.qt import QApplication, QObject, QTimer
from console.ui.tasks import TaskRunner

log = logging.getLogger("console.app")

READY_POLL_MS = 25
# A first sync that found nothing still needs a moment for the list to show what it applied.
EMPTY_READY_GRACE_S = 0.5


class AppController(QObject):
    def __init__(self, window: MainWindow, args: argparse.Namespace, started: float) -> None:
        super().__init__(window)
        self.window = window
        self.args = args
        self.started = started
        self.auth = AuthService()
        self.runner = TaskRunner(self, max_workers=1)
        self.backend: EmbeddedBackend | None = None
        self.workspace: Workspace | None = None
        self._ready_timer = QTimer(self)
        self._ready_timer.setInterval(READY_POLL_MS)
        self._ready_timer.timeout.connect(self._check_ready)
        self._login_dialog: LoginDialog | None = None
        self._synced_empty_since: float | None = None

    # -- start ---------------------------------------------------------------------------------
    def start(self) -> None:
        if self.args.demo:
            self.backend = demo_backend()
            backend = self.backend
            self.window.show_starting(
                "Starting the demo backend...",
                "Demo data lives in your data folder; nothing leaves this machine.",
            )
            self.runner.submit(lambda: start_demo(backend, self.auth, self.args.profile),
                               on_success=self._attach, on_failure=self._failed)
            return
        saved = saved_sign_in(self.auth, server_url=self.args.server, profile=self.args.profile)
        if saved is not None:
            self.window.show_starting("Opening your cached conversations...")
            self.runner.submit(lambda: open_saved(saved), on_success=self._attach,
                               on_failure=self._failed)
            return
        self._ask_login()

    def _ask_login(self) -> None:
        previous = last_profile(server_url=self.args.server, profile=self.args.profile)
        server = self.args.server or (previous.server_url if previous else "")
        email = previous.email if previous else ""
        self.window.show_starting("Sign in to a backend to start.")
        dialog = LoginDialog(
            lambda url, who, password: self.auth.login(url, who, password,
                                                       profile=self.args.profile),
            server_url=server, email=email, parent=self.window,
        )
        dialog.loggedIn.connect(self._logged_in)
        dialog.rejected.connect(self._login_cancelled)
        self._login_dialog = dialog
        dialog.open()

    def _logged_in(self, result: object) -> None:
        assert isinstance(result, LoginResult)
        self.window.show_starting("Opening your conversations...")
        self.runner.submit(lambda: open_from_login(result), on_success=self._attach,
                           on_failure=self._failed)

    def _login_cancelled(self) -> None:
        self.window.show_startup_error("Not signed in.",
                                       "Restart the console, or run it with --demo to try it out.")

    def _attach(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.window.attach_workspace(workspace)
        notice = self.auth.keyring_notice
        if notice is not None and not self.args.demo:
            workspace.notices.emit(notice)
        workspace.start()
        self._ready_timer.start()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, EmbeddedBackendError | ServiceError):
            text = getattr(error, "message", None) or str(error)
            log.error("start-up failed: %s", text)
            self.window.show_startup_error("Could not start.", text)
        else:
            log.error("start-up failed", exc_info=error)
            self.window.show_startup_error(
                "Could not start.", f"{type(error).__name__}: {error}. The log file has details."
            )
        if self.args.exit_when_ready:
            QApplication.exit(1)

    # -- ready: the first rows are on screen (or the first sync found nothing to show) ---------
    def _check_ready(self) -> None:
        if self.workspace is None:
            return
        rows = self.window.conversation_model.rowCount()
        status = self.workspace.sync.status
        synced = status.state is SyncState.ONLINE and status.last_sync_at is not None
        if rows == 0:
            if not synced:
                return
            now = time.monotonic()
            self._synced_empty_since = self._synced_empty_since or now
            if now - self._synced_empty_since < EMPTY_READY_GRACE_S:
                return
        self._ready_timer.stop()
        elapsed = (time.perf_counter() - self.started) * 1000
        log.info("ready: %d conversations in %d ms", rows, elapsed)
        if self.args.exit_when_ready:
            QApplication.quit()

    # -- stop ----------------------------------------------------------------------------------
    def shutdown(self) -> None:
        self._ready_timer.stop()
        if self.workspace is None and self.backend is not None:
            self.backend.stop()  # a start still waiting for the child gives up at once
        self.runner.shutdown(wait=True)
        self.window.detach_workspace()
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
        if self.backend is not None:
            self.backend.stop()
            self.backend = None
