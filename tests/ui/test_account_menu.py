"""The account menu widget: what it lists, what it emits, and that it holds still while busy."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from console.ui.account_menu import AccountEntry, AccountMenu
from console.ui.main_window import MainWindow
from console.ui.qt import QSettings
from tests.ui.conftest import menu_of

ANN = AccountEntry("ann-1", "ann@example.com on chat.example.com", current=True)
BOB = AccountEntry("bob-2", "bob@example.com on 127.0.0.1:8800", signed_in=False)


def _menu(qtbot: QtBot) -> AccountMenu:
    menu = AccountMenu()
    qtbot.addWidget(menu)
    return menu


def test_lists_profiles_with_the_current_one_checked(qtbot: QtBot) -> None:
    menu = _menu(qtbot)
    menu.set_accounts([ANN, BOB])
    actions = menu.profile_actions()
    assert [a.text() for a in actions] == [ANN.label, f"{BOB.label} (signed out)"]
    assert [a.isChecked() for a in actions] == [True, False]
    assert menu.add_action in menu.actions()
    assert menu.sign_out_action.isEnabled()
    # Rebuilt lists replace the old entries instead of piling up.
    menu.set_accounts([BOB])
    assert [a.data() for a in menu.profile_actions()] == ["bob-2"]
    assert not menu.sign_out_action.isEnabled()  # the current account is not the signed-in one


def test_choosing_another_profile_asks_for_a_switch_and_keeps_the_check(qtbot: QtBot) -> None:
    menu = _menu(qtbot)
    menu.set_accounts([ANN, BOB])
    ann, bob = menu.profile_actions()
    with qtbot.waitSignal(menu.switchRequested, timeout=1000) as switched:
        bob.trigger()
    assert switched.args == ["bob-2"]
    assert ann.isChecked()
    assert not bob.isChecked()  # until the switch is done
    with qtbot.assertNotEmitted(menu.switchRequested):
        ann.trigger()  # already the current one


def test_add_and_sign_out_emit(qtbot: QtBot) -> None:
    menu = _menu(qtbot)
    menu.set_accounts([ANN])
    with qtbot.waitSignal(menu.addRequested, timeout=1000):
        menu.add_action.trigger()
    with qtbot.waitSignal(menu.signOutRequested, timeout=1000):
        menu.sign_out_action.trigger()


def test_busy_disables_everything(qtbot: QtBot) -> None:
    menu = _menu(qtbot)
    menu.set_accounts([ANN, BOB])
    menu.set_busy(True)
    assert not any(a.isEnabled() for a in menu.profile_actions())
    assert not menu.add_action.isEnabled()
    assert not menu.sign_out_action.isEnabled()
    menu.set_busy(False)
    assert all(a.isEnabled() for a in menu.profile_actions())
    assert menu.add_action.isEnabled()
    assert menu.sign_out_action.isEnabled()


def test_an_empty_list_says_so(qtbot: QtBot) -> None:
    menu = _menu(qtbot)
    menu.set_accounts([])
    assert menu.actions()[0].text() == "No saved accounts"
    assert not menu.actions()[0].isEnabled()
    assert menu.add_action.isEnabled()


def test_the_main_window_file_menu_holds_it(qtbot: QtBot, ui_settings: QSettings) -> None:
    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    file_menu = menu_of(window.menuBar().actions()[0])
    texts = [a.text() for a in file_menu.actions()]
    start = texts.index("Switch &account")
    assert texts[start:start + 2] == ["Switch &account", "Sign &out"]
    assert "&Quit" in texts
    window.close()
