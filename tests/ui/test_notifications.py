"""Living on the desktop, through the real window against a real backend: what comes in is
notified (a text, a reply to a group message), a click opens it, nothing is notified for the
conversation in front of the user, under Do not disturb, or for the user's own "Mark as
unread"; the title and the tray count what is unread."""

from __future__ import annotations

import uuid

import httpx
from pytestqt.qtbot import QtBot

from console.ui.main_window import MainWindow, window_title
from console.ui.notifier import Notification
from console.ui.preferences import DO_NOT_DISTURB
from console.ui.qt import QSettings, Qt
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import MainWindowFactory, WorkspaceFactory, api, wait_first_sync

QUIET_MS = 600  # after the change set was applied: long enough for a read and a notification


def _new_thread(http: httpx.Client) -> tuple[str, str, str, str]:
    """A new person's 1:1 thread, nothing unread: (conversation id, name, phone, business)."""
    number = next(
        n for n in http.get("/v1/numbers").json()["items"]
        if n["can_send"] and n["e164"].startswith("+1")
    )
    for _ in range(50):
        phone = f"+1415556{int(uuid.uuid4().hex[:4], 16) % 1000:04d}"
        name = f"Notify {uuid.uuid4().hex[:6]}"
        made = http.post("/v1/contacts", json={"name": name, "phones": [{"number": phone}]})
        if made.status_code == 201:
            break
    assert made.status_code == 201, made.text
    opened = http.post(
        "/v1/conversations",
        json={"kind": "direct", "contact_id": made.json()["id"], "phone": phone,
              "number_id": number["id"]},
    )
    assert opened.status_code == 201, opened.text
    return str(opened.json()["id"]), name, phone, str(number["e164"])


def _text_in(http: httpx.Client, phone: str, business: str, body: str) -> str:
    answer = http.post("/v1/simulator/inbound", json={"from": phone, "to": [business],
                                                      "body": body})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["conversation_id"])


def _window(
    qtbot: QtBot, backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, *conversation_ids: str,
) -> MainWindow:
    workspace = make_workspace(backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    qtbot.waitUntil(
        lambda: all(window.conversation_model.contains(c) for c in conversation_ids),
        timeout=10000,
    )
    return window


def _bodies(window: MainWindow) -> list[str]:
    model = window.conversation_panel.model
    return [m.body for i in range(model.rowCount()) if (m := model.message_at(i)) is not None]


def _unread(window: MainWindow, conversation_id: str) -> int:
    row = window.conversation_model.known(conversation_id)
    return row.unread_count if row is not None else -1


def test_a_text_coming_in_is_notified_counted_and_a_click_opens_it(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    with api(module_backend) as http:
        conversation_id, name, phone, business = _new_thread(http)
        window = _window(qtbot, module_backend, make_workspace, window_for, conversation_id)
        window.show_contacts()  # the user is elsewhere in the window
        before = window.conversation_model.total_unread()
        assert window.windowTitle() == window_title(before)
        body = f"Is the flat on Elm Street still free? {uuid.uuid4().hex[:6]}"
        assert _text_in(http, phone, business, body) == conversation_id

    qtbot.waitUntil(lambda: bool(window.tray.shown), timeout=15000)
    assert window.tray.shown == [Notification(conversation_id, name, body)]
    assert window.conversation_model.total_unread() == before + 1
    assert window.windowTitle() == f"({before + 1}) Agent Console"
    assert window.tray.tooltip() == f"Agent Console: {before + 1} unread"

    window.tray.notification_clicked()
    assert window.current_page() == "conversations"
    assert window.compose.conversation_id == conversation_id
    qtbot.waitUntil(lambda: _unread(window, conversation_id) == 0, timeout=5000)
    assert window.windowTitle() == window_title(before)


def test_nothing_for_the_chat_in_front_under_do_not_disturb_or_for_mark_unread(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, ui_settings: QSettings,
) -> None:
    with api(module_backend) as http:
        front, _name, front_phone, business = _new_thread(http)
        other, other_name, other_phone, other_business = _new_thread(http)
        window = _window(qtbot, module_backend, make_workspace, window_for, front, other)
        assert window.open_conversation(front)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)

        # The chat in front: read as it comes, never notified.
        _text_in(http, front_phone, business, "In front")
        qtbot.waitUntil(
            lambda: "In front" in _bodies(window),
            timeout=15000,
        )
        qtbot.wait(QUIET_MS)
        assert window.tray.shown == []

        # The user's own "Mark as unread" on another chat is not news either.
        window.chat_actions.mark_unread(other)
        qtbot.waitUntil(lambda: _unread(window, other) == 1, timeout=5000)
        qtbot.wait(QUIET_MS)
        assert window.tray.shown == []

        # Do not disturb (File menu): counted, not notified, and remembered.
        window.do_not_disturb_action.trigger()
        assert ui_settings.value(DO_NOT_DISTURB) in (True, "true")
        assert window.do_not_disturb_button.isVisibleTo(window)
        assert window.tray.tooltip().endswith("(Do not disturb)")
        _text_in(http, other_phone, other_business, "While muted")
        qtbot.waitUntil(lambda: _unread(window, other) == 2, timeout=15000)
        qtbot.wait(QUIET_MS)
        assert window.tray.shown == []

        # The status bar's indicator turns it off again; the next text is notified.
        qtbot.mouseClick(window.do_not_disturb_button, Qt.MouseButton.LeftButton)
        assert not window.do_not_disturb_action.isChecked()
        assert not window.do_not_disturb_button.isVisibleTo(window)
        _text_in(http, other_phone, other_business, "After")
    qtbot.waitUntil(lambda: bool(window.tray.shown), timeout=15000)
    assert window.tray.shown == [Notification(other, other_name, "After")]


def test_a_reply_to_a_group_message_says_what_it_answers(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    with api(module_backend) as http:
        name = f"Replier {uuid.uuid4().hex[:6]}"
        phone = f"+1415557{int(uuid.uuid4().hex[:4], 16) % 1000:04d}"
        person = http.post("/v1/contacts", json={"name": name, "phones": [{"number": phone}]})
        assert person.status_code == 201, person.text
        group = http.post("/v1/groups", json={"name": f"Tour {uuid.uuid4().hex[:6]}"})
        assert group.status_code == 201, group.text
        added = http.put(f"/v1/groups/{group.json()['id']}/members/{person.json()['id']}")
        assert added.status_code == 201, added.text
        window = _window(qtbot, module_backend, make_workspace, window_for)
        me = http.get("/v1/me").json()["id"]
        title = f"Open house {uuid.uuid4().hex[:4]}"
        sent = http.post(
            "/v1/group-messages",
            json={"group_id": group.json()["id"], "sender_user_id": me, "title": title,
                  "body": "Saturday at 10"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert sent.status_code == 201, sent.text
        reply = http.post(f"/v1/people/{person.json()['id']}/replies", json={"body": "Count me in"})
        assert reply.status_code == 201, reply.text
        thread = str(reply.json()["conversation_id"])

    qtbot.waitUntil(lambda: bool(window.tray.shown), timeout=15000)
    assert window.tray.shown[-1] == Notification(
        thread, f"{name} replied to “{title}”", "Count me in"
    )
