"""Settings > Accounts with real sign-ins: the accounts this computer remembers are listed (the
one in use marked), "Add account..." signs in another one, and "Sign out" signs out of the
one in use; the list follows each change while the dialog stays open.

The real app controller over a shown main window, a real backend on loopback, the sign-in
dialog typed into as a person would (tests/e2e/sign_in.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.app_controller import AppController
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PASSWORD
from console.services.auth import KEYRING_SERVICE, keyring_username
from console.ui.qt import QListWidget, Qt
from console.ui.settings_dialog import SettingsDialog
from tests.conftest import MemoryKeyring
from tests.e2e.sign_in import sign_in, started_controller
from tests.support.backend_process import BackendProcess

PRIYA = "priya.agent@demo.example"


@pytest.fixture
def controller(qtbot: QtBot, tmp_path: Path) -> Iterator[AppController]:
    yield from started_controller(qtbot, tmp_path)


def _wait_open(qtbot: QtBot, controller: AppController, email: str) -> None:
    qtbot.waitUntil(
        lambda: not controller.busy and controller.account is not None
        and controller.account.email == email,
        timeout=20_000,
    )


def _rows(accounts: QListWidget) -> list[str]:
    return [accounts.item(i).text() for i in range(accounts.count())]


def _row_of(accounts: QListWidget, label: str) -> int:
    return next(i for i in range(accounts.count())
                if accounts.item(i).text().startswith(label + " "))


def _listed(accounts: QListWidget, wanted: list[str]) -> Callable[[], bool]:
    return lambda: _rows(accounts) == wanted


def test_accounts_are_listed_and_sign_out_from_settings_signs_out(
    qtbot: QtBot, controller: AppController, module_backend: BackendProcess,
    memory_keyring: MemoryKeyring,
) -> None:
    server = module_backend.url
    host = server.split("://")[1]
    qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=10_000)
    sign_in(qtbot, controller, server, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    _wait_open(qtbot, controller, DEMO_ADMIN_EMAIL)

    dialog = controller.window.show_settings()
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitExposed(dialog)
    accounts = dialog.account_list
    admin = f"{DEMO_ADMIN_EMAIL} on {host}"
    assert _rows(accounts) == [f"{admin} (in use) - signed in"]
    assert dialog.sign_out_button.isEnabled()

    # Add account, from the dialog: a second sign-in on the same server; the list, still
    # open, shows both, the new one in use.
    qtbot.mouseClick(dialog.add_account_button, Qt.MouseButton.LeftButton)
    sign_in(qtbot, controller, server, PRIYA, DEMO_PASSWORD)
    _wait_open(qtbot, controller, PRIYA)
    priya = f"{PRIYA} on {host}"
    both = sorted([f"{admin} - signed in", f"{priya} (in use) - signed in"])
    qtbot.waitUntil(lambda: sorted(_rows(accounts)) == both, timeout=5_000)
    assert dialog.sign_out_button.isEnabled()

    # Switch, from the dialog: the one in use cannot be switched to; choosing the other
    # (double-click does the same as the button) opens its workspace, and back again.
    accounts.setCurrentRow(_row_of(accounts, priya))
    assert not dialog.switch_button.isEnabled()
    accounts.setCurrentRow(_row_of(accounts, admin))
    assert dialog.switch_button.isEnabled()
    qtbot.mouseClick(dialog.switch_button, Qt.MouseButton.LeftButton)
    _wait_open(qtbot, controller, DEMO_ADMIN_EMAIL)
    qtbot.waitUntil(lambda: sorted(_rows(accounts)) == sorted(
        [f"{admin} (in use) - signed in", f"{priya} - signed in"]), timeout=5_000)
    accounts.setCurrentRow(_row_of(accounts, admin))
    assert not dialog.switch_button.isEnabled()  # in use now
    accounts.setFocus()
    accounts.setCurrentRow(_row_of(accounts, priya))
    qtbot.keyClick(accounts, Qt.Key.Key_Return)  # Enter on a row switches, as a double-click
    _wait_open(qtbot, controller, PRIYA)
    qtbot.waitUntil(lambda: sorted(_rows(accounts)) == both, timeout=5_000)

    account = controller.account
    assert account is not None
    token = account.token
    assert token is not None

    # Sign out, from the dialog: the account in use is signed out (its token revoked on the
    # server and forgotten here), the other stays signed in, and the list says so.
    qtbot.mouseClick(dialog.sign_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.login_dialog is not None and not controller.busy,
                    timeout=10_000)
    assert controller.workspace is None
    assert controller.account is None
    with module_backend.client(token) as http:
        assert http.get("/v1/me").status_code == 401
    assert (KEYRING_SERVICE, keyring_username(server, PRIYA)) not in memory_keyring.store
    assert (KEYRING_SERVICE, keyring_username(server, DEMO_ADMIN_EMAIL)) in memory_keyring.store
    after = sorted([f"{admin} - signed in", f"{priya} - asks for the password"])
    qtbot.waitUntil(lambda: sorted(_rows(accounts)) == after, timeout=5_000)
    assert not dialog.sign_out_button.isEnabled()  # nobody in use to sign out of
    assert dialog.isVisible()
    login = controller.login_dialog
    assert login is not None
    login.reject()
    assert not any(t.name.startswith("console-sync") for t in threading.enumerate())
