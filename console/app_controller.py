"""Takes the console from an empty window to a live workspace, between accounts, and back down.

Every slow step (embedded backend, sign-in, opening or closing a cache, revoking a token) runs
on one serial worker (TaskRunner); the GUI thread only swaps what the window shows. Tokens and
passwords pass through here in memory only, and are registered for log redaction.
"""

from __future__ import annotations

import argparse
import logging
import threading
import time
from collections.abc import Callable

from console.app_startup import ReadyLine
from console.embedded_backend import EmbeddedBackend, EmbeddedBackendError
from console.logging_setup import add_secret
from console.services.auth import AuthService, LoginResult, SignOutResult
from console.services.errors import ServiceError
from console.services.session import Account
from console.services.types import Notice, SyncState
from console.services.workspace import Workspace
from console.startup import (
    DEMO_PROFILE,
    Opened,
    ProfileStatus,
    account_of,
    close_workspace,
    demo_backend,
    last_profile,
    open_account,
    open_login,
    open_saved,
    profile_for_login,
    profile_statuses,
    saved_sign_in,
    sign_out,
    start_demo,
    switch_profile,
)
from console.ui.account_menu import AccountEntry
from console.ui.delete_confirm import delete_confirm
from console.ui.error_texts import plain_words
from console.ui.gui_collector import collect_on_gui_thread, settle, unsettle
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.login_dialog import LoginDialog, user_message
from console.ui.main_window import MainWindow
from console.ui.qt import QApplication, QMessageBox, QObject, QTimer
from console.ui.tasks import TaskRunner

log = logging.getLogger("console.app")

READY_POLL_MS = 25
# A first sync that found nothing still needs a moment for the list to show what it applied.
EMPTY_READY_GRACE_S = 0.5
NOT_SIGNED_IN = QT_TRANSLATE_NOOP("AppController", "Not signed in.")
NOT_SIGNED_IN_DETAIL = QT_TRANSLATE_NOOP(
    "AppController",
    "Sign in from File > Switch account, or restart with --demo to try it out.",
)
SIGN_IN_ENDED = QT_TRANSLATE_NOOP(
    "AppController",
    "The server no longer accepts your sign-in (it expired, your password was changed or your "
    "account was switched off). Sign in again to keep syncing; your cached conversations stay.",
)


class _Abandoned(Exception):
    """The app shut down while a workspace was being opened: it was closed again at once."""


class AppController(QObject):
    def __init__(
        self, window: MainWindow, args: argparse.Namespace, started: float, *,
        ready: ReadyLine | None = None,
    ) -> None:
        super().__init__(window)
        collect_on_gui_thread()
        self.window = window
        self.args = args
        self.started = started
        # "ready:" is said once: by the start-up if it showed the list from the cache file
        # (console/app_startup.py), else here when the workspace's list has rows.
        self.ready = ready or ReadyLine(started)
        self.auth = AuthService()
        self.runner = TaskRunner(self, max_workers=1)
        self.backend: EmbeddedBackend | None = None
        self.workspace: Workspace | None = None
        self.account: Account | None = None
        self.profiles: list[ProfileStatus] = []
        self.busy = False  # a switch, sign-in or sign-out is under way
        self._closing = threading.Event()
        self._keyring_told = False
        self._ready_timer = QTimer(self)
        self._ready_timer.setInterval(READY_POLL_MS)
        self._ready_timer.timeout.connect(self._check_ready)
        self._login_dialog: LoginDialog | None = None
        self._sign_out_box: QMessageBox | None = None  # "sign out with changes not sent?"
        self._synced_empty_since: float | None = None
        menu = window.account_menu
        menu.switchRequested.connect(self.switch_to)
        menu.addRequested.connect(self.add_account)
        menu.signOutRequested.connect(self.sign_out)
        window.signedOut.connect(self._sign_in_ended)

    # -- start ---------------------------------------------------------------------------------
    def start(self) -> None:
        if self.args.demo:
            self.backend = demo_backend()
            backend = self.backend
            self.window.show_starting(
                translate("AppController", "Starting the demo backend..."),
                translate("AppController",
                          "Demo data lives in your data folder; nothing leaves this machine."),
            )
            self._open(lambda: start_demo(backend, self.auth, self.args.profile))
            return
        saved = saved_sign_in(self.auth, server_url=self.args.server, profile=self.args.profile)
        if saved is not None:
            add_secret(saved.token)
            self.window.show_starting(
                translate("AppController", "Opening your cached conversations...")
            )
            self._open(lambda: open_saved(self.auth, saved))
            return
        previous = last_profile(server_url=self.args.server, profile=self.args.profile)
        if previous is not None:
            # Its sign-in is gone (no keyring, or signed out): show its cache at once, offline,
            # and ask for the password over it.
            self.window.show_starting(
                translate("AppController", "Opening your cached conversations...")
            )
            auth = self.auth
            self._open(lambda: open_account(auth, account_of(previous, None)))
            return
        self._refresh_profiles()
        self.window.show_starting(translate("AppController", "Sign in to a backend to start."))
        self._ask_login(server_url=self.args.server or "", forced_profile=self.args.profile,
                        on_cancel=self._not_signed_in)

    # -- sign in -------------------------------------------------------------------------------
    def _ask_login(
        self,
        *,
        server_url: str = "",
        email: str = "",
        ca_bundle: str = "",
        forced_profile: str | None = None,
        title: str = "Sign in",
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        if self._login_dialog is not None:
            self._login_dialog.reject()
        auth = self.auth

        def login(
            server: str, who: str, password: str, *, ca_bundle: str | None = None
        ) -> LoginResult:
            # On the dialog's worker thread. The password and then the token are redacted from
            # every later log line, whatever logs them.
            add_secret(password)
            profile = profile_for_login(server, who, forced_profile)
            result = auth.login(server, who, password, profile=profile, ca_bundle=ca_bundle)
            add_secret(result.token)
            return result

        dialog = LoginDialog(login, server_url=server_url, email=email, ca_bundle=ca_bundle,
                             title=title, parent=self.window)
        dialog.loggedIn.connect(self._logged_in)
        if on_cancel is not None:
            dialog.rejected.connect(on_cancel)
        dialog.finished.connect(lambda _code: self._forget_dialog(dialog))
        self._login_dialog = dialog
        dialog.open()

    def _forget_dialog(self, dialog: LoginDialog) -> None:
        if self._login_dialog is dialog:
            self._login_dialog = None
        dialog.deleteLater()

    @property
    def login_dialog(self) -> LoginDialog | None:
        return self._login_dialog

    def _logged_in(self, result: object) -> None:
        assert isinstance(result, LoginResult)
        old = self._detach()
        self.window.show_starting(translate("AppController", "Opening your conversations..."))
        auth = self.auth

        def work() -> Opened:
            close_workspace(old)
            return open_login(auth, result)

        self._open(work)

    def _sign_in_ended(self) -> None:
        """The server refused this workspace's token: it expired, a password change or a sign-out
        elsewhere revoked it, or an admin deactivated the account. The cached conversations
        stay on screen; ask for the password again, as for a saved profile without a token."""
        account = self.account
        if account is None or self.busy or self._closing.is_set():
            return
        if self._login_dialog is not None:
            return  # already asking
        log.info("the server no longer accepts the sign-in of profile %s", account.profile)
        self.window.show_notice(Notice("warning", translate("AppController", SIGN_IN_ENDED)))
        self._ask_login(server_url=account.server_url, email=account.email,
                        ca_bundle=account.ca_bundle or "",
                        title=translate("AppController", "Sign in again"))

    def _not_signed_in(self) -> None:
        if self.workspace is None and not self.busy:
            self.window.show_startup_error(translate("AppController", NOT_SIGNED_IN),
                                           translate("AppController", NOT_SIGNED_IN_DETAIL))

    # -- accounts ------------------------------------------------------------------------------
    def add_account(self) -> None:
        """Sign in to another server or account; the current one stays open until that works."""
        if self.busy or self._closing.is_set():
            return
        on_cancel = self._not_signed_in if self.workspace is None else None
        self._ask_login(title=translate("AppController", "Add account"), on_cancel=on_cancel)

    def switch_to(self, profile_name: str) -> None:
        """Close the current workspace (threads stopped) and open `profile_name` from its cache."""
        if self.busy or self._closing.is_set():
            return
        status = next((s for s in self.profiles if s.profile.name == profile_name), None)
        if status is None:
            log.warning("switch to an unknown profile %r ignored", profile_name)
            return
        if self.account is not None and self.account.profile == profile_name:
            return
        profile = status.profile
        log.info("switching to profile %s", profile.name)
        old = self._detach()
        self.window.show_starting(
            translate("AppController", "Opening {account}...").format(account=profile.label)
        )
        auth = self.auth
        self._open(lambda: switch_profile(auth, old, profile))

    def sign_out(self) -> None:
        """Revoke the token on the server, delete it here, then ask to sign in again. With
        changes still waiting to reach the server, ask first (they are not lost: they go out
        the next time this account signs in, which the user may not expect)."""
        if self.busy or self._closing.is_set() or self.account is None:
            return
        waiting = self.workspace.sync.status.pending_outbox if self.workspace else 0
        if waiting > 0:
            self._confirm_sign_out(waiting)
            return
        self._sign_out_now()

    def _confirm_sign_out(self, waiting: int) -> None:
        if self._sign_out_box is not None:
            return

        def decided(leave: bool) -> None:
            self._sign_out_box = None
            if leave:
                self._sign_out_now()

        box = delete_confirm(
            self.window,
            object_name="signOutConfirm",
            title=translate("AppController", "Sign out with changes not sent?"),
            text=translate("AppController", "%n change(s) (has|have) not reached the server yet.",
                           None, waiting),
            details=translate(
                "AppController",
                "They stay in this computer's copy and go out the next time you sign in "
                "to this account. Sign out anyway?",
            ),
            button=translate("AppController", "Sign out"),
            button_object_name="signOutConfirmButton",
            decided=decided,
        )
        self._sign_out_box = box
        box.open()  # not exec(): no nested event loop

    def _sign_out_now(self) -> None:
        if self.busy or self._closing.is_set() or self.account is None:
            return
        account = self.account
        old = self._detach()
        self.account = None
        log.info("signing out of profile %s", account.profile)
        self.window.show_starting(translate("AppController", "Signing out..."))
        auth = self.auth
        self._set_busy(True)

        def work() -> tuple[SignOutResult, list[ProfileStatus]]:
            result = sign_out(auth, old, account)
            return result, profile_statuses(auth)

        def done(outcome: tuple[SignOutResult, list[ProfileStatus]]) -> None:
            result, profiles = outcome
            self._set_busy(False)
            self.profiles = profiles
            self._update_menu()
            self.window.show_startup_error(
                translate("AppController", "Signed out."),
                translate("AppController", "Sign in again, or switch account."),
            )
            if result.notice is not None:
                self.window.show_notice(result.notice)
            self._ask_login(server_url=account.server_url, email=account.email,
                            ca_bundle=account.ca_bundle or "", on_cancel=self._not_signed_in)

        self.runner.submit(work, on_success=done, on_failure=self._failed)

    # -- opening and attaching -----------------------------------------------------------------
    def _open(self, work: Callable[[], Opened]) -> None:
        self._set_busy(True)
        closing = self._closing

        def guarded() -> Opened:
            opened = work()
            if closing.is_set():  # nobody will attach it: close it here, on the worker
                opened.workspace.close()
                raise _Abandoned
            return opened

        self.runner.submit(guarded, on_success=self._attach, on_failure=self._failed)

    def _attach(self, opened: Opened) -> None:
        self._set_busy(False)
        self.workspace = opened.workspace
        self.account = opened.account
        self.profiles = opened.profiles
        self.window.attach_workspace(opened.workspace)
        notice = self.auth.keyring_notice
        if notice is not None and not self.args.demo and not self._keyring_told:
            self._keyring_told = True  # told once per run, not once per account or switch
            opened.workspace.notices.emit(notice)
        opened.workspace.start()
        self._synced_empty_since = None
        self._ready_timer.start()
        self._update_menu()
        log.info("profile %s open", opened.account.profile)
        if opened.account.token is None:  # a saved profile whose sign-in is gone: ask again
            account = opened.account
            # The same account signs in to the same profile folder (found by server + email).
            self._ask_login(server_url=account.server_url, email=account.email,
                            ca_bundle=account.ca_bundle or "")

    def _detach(self) -> Workspace | None:
        """Stop showing the current workspace; the caller closes it (on the worker)."""
        self._ready_timer.stop()
        unsettle()
        self.window.detach_workspace()
        old, self.workspace = self.workspace, None
        return old

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, _Abandoned):
            return
        if isinstance(error, EmbeddedBackendError | ServiceError):
            log.error("start-up failed: %s", getattr(error, "message", None) or error)
            self.window.show_startup_error(
                translate("AppController", "Could not start."), _startup_words(error)
            )
        elif (words := plain_words(error)) is not None:  # a full disk, a locked cache
            log.error("start-up failed", exc_info=error)
            self.window.show_startup_error(translate("AppController", "Could not start."), words)
        else:
            log.error("start-up failed", exc_info=error)
            self.window.show_startup_error(
                translate("AppController", "Could not start."),
                translate("AppController", "{error}. The log file has details.").format(
                    error=f"{type(error).__name__}: {error}"
                ),
            )
        self._refresh_profiles()
        if self.args.exit_when_ready:
            QApplication.exit(1)

    # -- the account menu ----------------------------------------------------------------------
    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.window.account_menu.set_busy(busy)

    def _refresh_profiles(self) -> None:
        auth = self.auth

        def done(profiles: list[ProfileStatus]) -> None:
            self.profiles = profiles
            self._update_menu()

        self.runner.submit(lambda: profile_statuses(auth), on_success=done,
                           on_failure=lambda error: log.warning("profiles: %s", error))

    def _update_menu(self) -> None:
        current = self.account.profile if self.account is not None else None
        entries = [
            AccountEntry(
                profile=s.profile.name,
                label=s.profile.label,
                current=s.profile.name == current,
                signed_in=(
                    self.account.token is not None
                    if self.account is not None and s.profile.name == current
                    else s.signed_in
                ),
            )
            for s in self.profiles
            # The demo profile's server is gone once the demo run ends: list it only then.
            if s.profile.name != DEMO_PROFILE or s.profile.name == current
        ]
        self.window.account_menu.set_accounts(entries)

    # -- ready: the services' rows are on screen (or the first sync found nothing to show) -----
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
        settle()
        if self.ready.announced:  # the list from the cache file came first
            log.info("workspace open: %d conversations in %d ms", rows, self.ready.elapsed_ms())
        else:
            self.ready.announce(rows)
        if getattr(self.args, "smoke_test", False):
            print(f"window open: {rows} conversations from the demo backend", flush=True)
        if self.args.exit_when_ready:
            QApplication.quit()

    # -- stop ----------------------------------------------------------------------------------
    def shutdown(self) -> None:
        self._closing.set()
        self._ready_timer.stop()
        unsettle()
        if self._login_dialog is not None:
            self._login_dialog.reject()
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


def _startup_words(error: EmbeddedBackendError | ServiceError) -> str:
    """Why start-up failed, in the user's language: a sign-in's code, the demo backend's
    timeout with its own last output (program output, not ours to translate)."""
    if isinstance(error, ServiceError):
        return user_message(error)
    if error.cancelled:
        return translate("AppController", "Starting the demo backend was cancelled.")
    return translate(
        "AppController", "The demo backend did not start within %n second(s). Its last output:",
        None, round(error.timeout),
    ) + "\n" + error.output
