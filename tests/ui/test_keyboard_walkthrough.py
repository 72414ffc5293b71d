"""The console with no mouse: sign in, open a conversation, send, create a group chat and open
its participant panel, every step by keys sent to whatever has the keyboard focus."""

from __future__ import annotations

import uuid
from pathlib import Path

from pytestqt.qtbot import QtBot

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import AuthService, LoginResult
from console.services.workspace import open_workspace
from console.ui.group_editor import GroupEditor
from console.ui.login_dialog import LoginDialog
from console.ui.main_window import MainWindow
from console.ui.qt import QApplication, Qt, QWidget
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import MainWindowFactory, api, wait_first_sync

CTRL = Qt.KeyboardModifier.ControlModifier


def _focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def _press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(_focus(), key, modifier)


def _type(qtbot: QtBot, text: str, *, into: str) -> None:
    assert _focus().objectName() == into, f"focus on {_focus().objectName()!r}, not {into!r}"
    qtbot.keyClicks(_focus(), text)


def _editor() -> GroupEditor | None:
    shown = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, GroupEditor) and w.isVisible()]
    return shown[0] if shown else None


def _window_manager_activates(qtbot: QtBot, window: QWidget) -> None:
    """What a desktop does for a new dialog (offscreen Qt has no window manager to do it)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)


def _tab_to(qtbot: QtBot, name: str, limit: int = 30) -> None:
    for _ in range(limit):
        if _focus().objectName() == name:
            return
        _press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {name!r} (stuck on {_focus().objectName()!r})")


def test_sign_in_read_send_and_start_a_group_chat_by_keyboard_alone(
    qtbot: QtBot, module_backend: BackendProcess, window_for: MainWindowFactory, tmp_path: Path
) -> None:
    # Sign in: the dialog opens on its first empty field; Tab between fields, Enter signs in.
    dialog = LoginDialog(AuthService().login, server_url=module_backend.url)
    qtbot.addWidget(dialog)
    dialog.show()
    _window_manager_activates(qtbot, dialog)
    _type(qtbot, DEMO_ADMIN_EMAIL, into="loginEmail")
    _press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, DEMO_ADMIN_PASSWORD, into="loginPassword")
    with qtbot.waitSignal(dialog.loggedIn, timeout=15000) as signed_in:
        _press(qtbot, Qt.Key.Key_Return)
    login = signed_in.args[0]
    assert isinstance(login, LoginResult)

    workspace = open_workspace(tmp_path / "cache.db", login.server_url, login.token, login.user)
    try:
        workspace.start()
        wait_first_sync(qtbot, workspace)
        window = window_for(workspace)
        _walk(qtbot, window, module_backend)
    finally:
        window.close()
        workspace.close()


def _walk(qtbot: QtBot, window: MainWindow, backend: BackendProcess) -> None:
    _window_manager_activates(qtbot, window)

    # Open a conversation: Ctrl+1 puts the focus in the list; arrows browse, Enter opens it
    # and puts the cursor in compose.
    _press(qtbot, Qt.Key.Key_1, CTRL)
    assert _focus() is window.conversation_list
    _press(qtbot, Qt.Key.Key_Down)
    _press(qtbot, Qt.Key.Key_Return)
    opened = window.compose.conversation_id
    assert opened
    qtbot.waitUntil(lambda: _focus() is window.compose.edit, timeout=3000)

    # Send: type, Ctrl+Enter.
    body = f"By keyboard {uuid.uuid4().hex[:6]}"
    _type(qtbot, body, into=window.compose.edit.objectName())
    _press(qtbot, Qt.Key.Key_Return, CTRL)
    model = window.conversation_panel.model
    qtbot.waitUntil(
        lambda: any((m := model.message_at(i)) is not None and m.body == body
                    for i in range(model.rowCount())),
        timeout=10000,
    )

    # A group chat: Ctrl+N opens the editor in its search; type, Down into the list, Space
    # chooses, Down and Space again; Tab to Create, Enter.
    _press(qtbot, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: _editor() is not None, timeout=5000)
    editor = _editor()
    assert editor is not None
    _window_manager_activates(qtbot, editor)
    with api(backend) as http:
        people = [c for c in http.get("/v1/contacts", params={"limit": 50}).json()["items"]
                  if c["phones"] and c["phones"][0]["number"].startswith("+1")][:2]
    for person in people:
        _type(qtbot, person["name"], into="contactSearch")
        qtbot.waitUntil(lambda: editor.picker_model.rowCount() > 0, timeout=5000)
        _press(qtbot, Qt.Key.Key_Down)
        _press(qtbot, Qt.Key.Key_Space)
        _press(qtbot, Qt.Key.Key_Up)  # back to the search, to type the next name
        _press(qtbot, Qt.Key.Key_A, CTRL)
        _press(qtbot, Qt.Key.Key_Backspace)
    assert len(editor.chosen()) == 2
    # Create is enabled once the editor has checked the pair (no chat with them yet).
    qtbot.waitUntil(editor.create_button.isEnabled, timeout=5000)
    _tab_to(qtbot, "groupEditorCreate")
    _press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.compose.conversation_id != opened, timeout=10000)
    assert not editor.isVisible()
    _window_manager_activates(qtbot, window)  # the dialog closed: its parent is active again
    assert _focus() is window.compose.edit  # the new chat is open, ready to write in

    # Its participant panel: View > Participants, Ctrl+Shift+P.
    _press(qtbot, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.conversation_panel.participant_panel.isVisible(),
                    timeout=3000)
