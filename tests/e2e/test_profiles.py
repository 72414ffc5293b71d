"""Several accounts in one console: add, switch (offline-capable), sign out (revoking), keyring.

The real app controller and main window, real backends on loopback, the menu actions a user
clicks. Two servers: "north" (Ava, admin) and "south" (Priya, agent).
"""

from __future__ import annotations

import argparse
import gc
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from pytestqt.qtbot import QtBot

from console.app_controller import AppController
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PASSWORD
from console.services.auth import KEYRING_SERVICE, NO_KEYRING_NOTICE, keyring_username
from console.services.profiles import (
    ProfileSettings,
    list_profiles,
    load_settings,
    save_settings,
)
from console.services.types import SyncState
from console.services.workspace import Workspace
from console.ui.login_dialog import LoginDialog
from console.ui.main_window import MainWindow
from console.ui.qt import QAction, QMessageBox, QPushButton, QSettings, Qt
from tests.conftest import MemoryKeyring
from tests.e2e.sign_in import sign_in
from tests.support.backend_process import BackendProcess, sqlite_url

pytestmark = pytest.mark.slow

PRIYA = "priya.agent@demo.example"
SYNC_THREADS = ("console-sync", "console-events")


@pytest.fixture
def north(tmp_path: Path) -> Iterator[BackendProcess]:
    backend = BackendProcess(sqlite_url(tmp_path / "north.db"), args=["--seed", "demo"]).start()
    yield backend
    backend.stop()


@pytest.fixture
def south(tmp_path: Path) -> Iterator[BackendProcess]:
    backend = BackendProcess(sqlite_url(tmp_path / "south.db"), args=["--seed", "demo"]).start()
    yield backend
    backend.stop()


def _sync_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(SYNC_THREADS)]


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[[str | None], AppController]]:
    """Start the console's controller over a shown main window; shut down at teardown."""
    made: list[tuple[AppController, MainWindow]] = []

    def start(server: str | None) -> AppController:
        window = MainWindow(settings=QSettings(str(tmp_path / "ui.ini"),
                                               QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.show()
        args = argparse.Namespace(demo=False, server=server, profile=None, exit_when_ready=False)
        controller = AppController(window, args, time.perf_counter())
        made.append((controller, window))
        controller.start()
        return controller

    before = set(threading.enumerate())
    yield start
    for controller, window in made:
        controller.shutdown()
        window.close()
    leftover = [t.name for t in threading.enumerate()
                if t not in before and t.is_alive() and t.name.startswith(SYNC_THREADS)]
    assert not leftover, leftover


def _wait_open(qtbot: QtBot, controller: AppController, email: str) -> None:
    qtbot.waitUntil(
        lambda: not controller.busy and controller.account is not None
        and controller.account.email == email
        and controller.window.conversation_model.rowCount() > 0,
        timeout=20_000,
    )


def _menu_action(controller: AppController, email: str) -> QAction:
    for action in controller.window.account_menu.profile_actions():
        if action.text().startswith(email):
            return action
    raise AssertionError(f"no menu entry for {email}")


def _open_workspace(controller: AppController) -> Workspace:
    """The workspace open now (a sign in, a switch or a sign out changes it)."""
    workspace = controller.workspace
    assert workspace is not None
    return workspace


def _login_dialog(controller: AppController) -> LoginDialog:
    """The sign-in dialog shown now."""
    dialog = controller.login_dialog
    assert dialog is not None
    return dialog


def _checked(controller: AppController) -> list[str]:
    return [a.text() for a in controller.window.account_menu.profile_actions() if a.isChecked()]


def test_add_switch_offline_and_sign_out(
    qtbot: QtBot,
    app: Callable[[str | None], AppController],
    north: BackendProcess,
    south: BackendProcess,
    memory_keyring: MemoryKeyring,
) -> None:
    controller = app(None)
    sign_in(qtbot, controller, north.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    _wait_open(qtbot, controller, DEMO_ADMIN_EMAIL)
    # Once open, what start-up built is out of the collector's sight (gui_collector.settle).
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 10_000, timeout=10_000)
    north_rows = controller.window.conversation_model.rowCount()
    assert _checked(controller) == [f"{DEMO_ADMIN_EMAIL} on {north.url.split('://')[1]}"]

    # Add account: Priya on the south server. The north workspace closes, threads and all.
    controller.window.account_menu.add_action.trigger()
    sign_in(qtbot, controller, south.url, PRIYA, DEMO_PASSWORD)
    _wait_open(qtbot, controller, PRIYA)
    assert len(_sync_threads()) <= len(SYNC_THREADS)  # only the open workspace's threads
    assert len(list_profiles()) == 2
    assert [t.split(" on ")[0] for t in _checked(controller)] == [PRIYA]
    assert {(KEYRING_SERVICE, keyring_username(s.url, e)) for s, e in
            ((north, DEMO_ADMIN_EMAIL), (south, PRIYA))} == set(memory_keyring.store)

    # North goes down; switching to it still opens its cache at once, offline.
    north.stop()
    _menu_action(controller, DEMO_ADMIN_EMAIL).trigger()
    _wait_open(qtbot, controller, DEMO_ADMIN_EMAIL)
    assert controller.window.conversation_model.rowCount() == north_rows
    workspace = _open_workspace(controller)
    qtbot.waitUntil(lambda: workspace.sync.status.state is SyncState.OFFLINE, timeout=10_000)
    assert len(_sync_threads()) <= len(SYNC_THREADS)
    assert [t.split(" on ")[0] for t in _checked(controller)] == [DEMO_ADMIN_EMAIL]

    # Sign out while north is unreachable: the local token goes anyway, and the user is told
    # the server's copy is still valid.
    controller.window.account_menu.sign_out_action.trigger()
    qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=10_000)
    assert (KEYRING_SERVICE, keyring_username(north.url, DEMO_ADMIN_EMAIL)) not in (
        memory_keyring.store
    )
    texts = [b.text.text() for b in controller.window.notices.banners()]  # what is shown
    assert any("could not be reached" in t and "not cancelled" in t for t in texts), texts
    dialog = controller.login_dialog
    assert dialog is not None
    assert dialog.server_edit.text() == north.url
    assert dialog.email_edit.text() == DEMO_ADMIN_EMAIL
    assert controller.workspace is None
    assert _sync_threads() == []
    assert gc.get_freeze_count() == 0  # the closed workspace's cycles can be collected
    dialog.reject()
    assert controller.window.empty_state.title.text() == "Not signed in."

    # South is still signed in: switch to it from the menu, online at once.
    south_action = _menu_action(controller, PRIYA)
    assert "(signed out)" in _menu_action(controller, DEMO_ADMIN_EMAIL).text()
    south_action.trigger()
    _wait_open(qtbot, controller, PRIYA)
    workspace = _open_workspace(controller)
    qtbot.waitUntil(lambda: workspace.sync.status.state is SyncState.ONLINE, timeout=10_000)
    account = controller.account
    assert account is not None
    assert account.token is not None
    token = account.token

    # Sign out with the server up: the server revokes the token, the keyring forgets it.
    controller.window.account_menu.sign_out_action.trigger()
    qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=10_000)
    assert memory_keyring.store == {}
    with south.client(token) as http:
        assert http.get("/v1/me").status_code == 401
    assert not any("not cancelled" in b.text.text() and south.url in b.text.text()
                   for b in controller.window.notices.banners())


def test_a_profile_with_no_token_opens_from_cache_and_asks_tosign_in(
    qtbot: QtBot,
    app: Callable[[str | None], AppController],
    north: BackendProcess,
    south: BackendProcess,
    memory_keyring: MemoryKeyring,
) -> None:
    controller = app(None)
    sign_in(qtbot, controller, north.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    _wait_open(qtbot, controller, DEMO_ADMIN_EMAIL)
    controller.window.account_menu.add_action.trigger()
    sign_in(qtbot, controller, south.url, PRIYA, DEMO_PASSWORD)
    _wait_open(qtbot, controller, PRIYA)
    # Someone removed north's token from the keyring (or it was never saved).
    memory_keyring.store.pop((KEYRING_SERVICE, keyring_username(north.url, DEMO_ADMIN_EMAIL)))
    controller._refresh_profiles()
    qtbot.waitUntil(lambda: "(signed out)" in _menu_action(controller, DEMO_ADMIN_EMAIL).text(),
                    timeout=5_000)

    _menu_action(controller, DEMO_ADMIN_EMAIL).trigger()
    _wait_open(qtbot, controller, DEMO_ADMIN_EMAIL)  # the cached conversations show at once
    qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=5_000)
    dialog = controller.login_dialog
    assert dialog is not None
    assert dialog.email_edit.text() == DEMO_ADMIN_EMAIL
    qtbot.keyClicks(dialog.password_edit, DEMO_ADMIN_PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.account is not None and controller.account.token
                    is not None and not controller.busy, timeout=20_000)
    workspace = controller.workspace
    assert workspace is not None
    qtbot.waitUntil(lambda: workspace.sync.status.state is SyncState.ONLINE, timeout=10_000)
    assert len(list_profiles()) == 2  # the same profile folder, not a new one


def test_with_no_keyring_the_notice_is_told_once_across_switch_and_sign_out(
    qtbot: QtBot,
    app: Callable[[str | None], AppController],
    north: BackendProcess,
    south: BackendProcess,
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    controller = app(None)
    assert not controller.auth.keyring_available
    told: list[str] = []
    original = controller.window.show_notice

    def spy(notice: object) -> None:
        told.append(getattr(notice, "text", ""))
        original(notice)  # type: ignore[arg-type]

    controller.window.show_notice = spy  # type: ignore[method-assign]
    sign_in(qtbot, controller, north.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    _wait_open(qtbot, controller, DEMO_ADMIN_EMAIL)
    qtbot.waitUntil(lambda: NO_KEYRING_NOTICE.text in told, timeout=5_000)
    for banner in controller.window.notices.banners():
        banner.dismiss()  # the user read it

    controller.window.account_menu.add_action.trigger()
    sign_in(qtbot, controller, south.url, PRIYA, DEMO_PASSWORD)
    _wait_open(qtbot, controller, PRIYA)
    # The token lives in memory: switching back to north needs no password.
    _menu_action(controller, DEMO_ADMIN_EMAIL).trigger()
    _wait_open(qtbot, controller, DEMO_ADMIN_EMAIL)
    assert controller.login_dialog is None
    account = controller.account
    assert account is not None
    assert account.token is not None
    controller.window.account_menu.sign_out_action.trigger()
    qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=10_000)
    assert controller.auth.saved_token(north.url, DEMO_ADMIN_EMAIL) is None
    sign_in(qtbot, controller, north.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    _wait_open(qtbot, controller, DEMO_ADMIN_EMAIL)
    qtbot.wait(100)  # let any queued notice arrive (there should be none)
    assert told.count(NO_KEYRING_NOTICE.text) == 1, told


def test_a_named_profile_keeps_working(
    qtbot: QtBot, tmp_path: Path, north: BackendProcess, memory_keyring: MemoryKeyring
) -> None:
    def start() -> tuple[AppController, MainWindow]:
        window = MainWindow(settings=QSettings(str(tmp_path / "ui.ini"),
                                               QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.show()
        args = argparse.Namespace(demo=False, server=None, profile="Work",
                                  exit_when_ready=False)
        controller = AppController(window, args, time.perf_counter())
        controller.start()
        return controller, window

    controller, window = start()
    try:
        sign_in(qtbot, controller, north.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        _wait_open(qtbot, controller, DEMO_ADMIN_EMAIL)
        assert controller.account is not None
        assert controller.account.profile == "work"
    finally:
        controller.shutdown()
        window.close()
    assert [p.name for p in list_profiles()] == ["work"]

    # The next run with --profile Work opens it straight from the keyring and the cache.
    controller, window = start()
    try:
        _wait_open(qtbot, controller, DEMO_ADMIN_EMAIL)
        assert controller.login_dialog is None
        assert controller.account is not None
        assert controller.account.profile == "work"
    finally:
        controller.shutdown()
        window.close()


def test_profile_settings_round_trip_and_survive_a_bad_file(tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    assert load_settings(folder) == ProfileSettings()
    save_settings(folder, ProfileSettings(ca_bundle="/etc/ssl/our-ca.pem"))
    assert load_settings(folder).ca_bundle == "/etc/ssl/our-ca.pem"
    assert [p.name for p in folder.iterdir()] == ["profile.json"]  # no temp file left
    (folder / "profile.json").write_text("{not json")
    assert load_settings(folder) == ProfileSettings()


def test_a_start_without_a_token_shows_the_cache_and_asks_over_it(
    qtbot: QtBot,
    app: Callable[[str | None], AppController],
    north: BackendProcess,
    memory_keyring: MemoryKeyring,
) -> None:
    first = app(None)
    sign_in(qtbot, first, north.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    _wait_open(qtbot, first, DEMO_ADMIN_EMAIL)
    rows = first.window.conversation_model.rowCount()
    first.shutdown()
    memory_keyring.store.clear()  # the next run has no token (no keyring, or it was removed)

    again = app(None)
    _wait_open(qtbot, again, DEMO_ADMIN_EMAIL)  # the cached conversations, before any sign-in
    assert again.window.conversation_model.rowCount() == rows
    qtbot.waitUntil(lambda: again.login_dialog is not None, timeout=5_000)
    dialog = again.login_dialog
    assert dialog is not None
    assert (dialog.server_edit.text(), dialog.email_edit.text()) == (north.url, DEMO_ADMIN_EMAIL)
    dialog.reject()
    workspace = again.workspace
    assert workspace is not None
    qtbot.waitUntil(lambda: workspace.sync.status.state is SyncState.OFFLINE, timeout=5_000)
    assert again.window.conversation_model.rowCount() == rows  # still readable, offline


def test_sign_out_with_changes_not_sent_asks_first_and_forgets_who_was_in(
    qtbot: QtBot,
    app: Callable[[str | None], AppController],
    north: BackendProcess,
    memory_keyring: MemoryKeyring,
) -> None:
    controller = app(None)
    sign_in(qtbot, controller, north.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    _wait_open(qtbot, controller, DEMO_ADMIN_EMAIL)
    window, workspace = controller.window, controller.workspace
    assert workspace is not None
    assert DEMO_ADMIN_EMAIL in window.account.text()
    assert window.sidebar.user.text()

    north.stop()  # offline: what is written now waits
    qtbot.waitUntil(lambda: workspace.sync.status.state is SyncState.OFFLINE, timeout=10_000)
    chat = workspace.conversations.list_conversations()[0].id
    workspace.conversations.send(chat, "written before signing out")
    qtbot.waitUntil(lambda: workspace.sync.status.pending_outbox >= 1, timeout=5000)

    # Asked first; Cancel keeps the session.
    window.account_menu.sign_out_action.trigger()
    box = window.findChild(QMessageBox, "signOutConfirm")
    assert box is not None
    assert box.isVisible()
    assert "not reached the server yet" in box.text()
    assert "next time you sign in" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=2000)
    assert _open_workspace(controller) is workspace
    assert controller.login_dialog is None

    # Signing out anyway: the window no longer names who was signed in.
    window.account_menu.sign_out_action.trigger()
    shown = [b for b in window.findChildren(QMessageBox, "signOutConfirm") if b.isVisible()]
    assert len(shown) == 1  # the cancelled one is gone
    leave = shown[0].findChild(QPushButton, "signOutConfirmButton")
    assert leave is not None
    leave.click()
    qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=10_000)
    assert controller.workspace is None
    assert window.account.text() == ""
    assert window.sidebar.user.text() == ""
    _login_dialog(controller).reject()
