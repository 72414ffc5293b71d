"""A blocked chat's "New group chat without ..." ends with both chats linked, each link
opening the other: "Continues ..." in the new chat's header, "Replaced by ..." in the old one's.
Once replaced, the blocked chat's banner offers its replacement instead of another new chat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from pytestqt.qtbot import QtBot

from console.services.workspace import Workspace
from console.ui.main_window import MainWindow
from console.ui.qt import QAbstractButton, Qt, QWidget
from tests.backend.group_chat_support import PhonePool, new_contact
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import WorkspaceFactory, api, wait_first_sync
from tests.ui.test_navigation import ready_editor, wait_dialog

WindowFactory = Callable[[Workspace | None], MainWindow]
WAIT_MS = 15_000
phone = PhonePool("354")  # numbers no other module uses: the tests share `module_backend`


def _link(window: MainWindow, name: str) -> QAbstractButton:
    found = window.conversation_panel.findChild(QAbstractButton, name)
    assert found is not None
    return found


def test_new_chat_without_links_both_chats_each_way(
    qtbot: QtBot,
    module_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
) -> None:
    with api(module_backend) as http:
        number = next(n for n in http.get("/v1/numbers").json()["items"] if n["is_default"])
        people = [
            new_contact(http, phone(), name=name)
            for name in ("Ada Lovelace", "Blaise Pascal", "Carl Gauss")
        ]
        response = http.post(
            "/v1/group-chats",
            json={
                "number_id": number["id"],
                "participants": [
                    {"contact_id": c["id"], "phone": c["phones"][0]["number"]} for c in people
                ],
            },
        )
        assert response.status_code == 201, response.text
        old = response.json()
        http.post(f"/v1/contacts/{people[2]['id']}/dnd", json={"dnd": True})

        workspace = make_workspace(module_backend)
        wait_first_sync(qtbot, workspace)

        def blocked_here() -> bool:
            row = workspace.conversations.conversation(old["id"])
            return row is not None and row.status == "blocked"

        qtbot.waitUntil(blocked_here, timeout=WAIT_MS)
        window = window_for(workspace)
        assert window.select_conversation(old["id"])
        replaced_by, continues = _link(window, "replacedByLink"), _link(window, "continuesLink")
        assert not replaced_by.isVisible()
        assert not continues.isVisible()

        button = window.findChild(QAbstractButton, "newGroupWithoutButton")
        assert button is not None
        qtbot.waitUntil(button.isVisible, timeout=2000)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        editor = ready_editor(qtbot, wait_dialog(qtbot, "groupEditor"))
        wanted = [(c["id"], c["phones"][0]["number"]) for c in people[:2]]
        qtbot.waitUntil(lambda: editor.chosen() == wanted, timeout=5000)
        create = editor.findChild(QAbstractButton, "groupEditorCreate")
        assert create is not None
        qtbot.waitUntil(create.isEnabled, timeout=5000)
        qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
        # The editor deletes itself once the server confirms the chat, which may come first.
        qtbot.waitUntil(
            lambda: not shiboken6.isValid(editor) or not editor.isVisible(), timeout=5000
        )

        # The new chat opens: its header continues the old one, whose title the link names.
        qtbot.waitUntil(
            lambda: window.conversation_panel.conversation_id not in ("", old["id"]),
            timeout=WAIT_MS,
        )
        qtbot.waitUntil(continues.isVisible, timeout=WAIT_MS)
        old_row = workspace.conversations.conversation(old["id"])
        assert old_row is not None  # named as the list names it: "Ada, Blaise, Carl"
        assert continues.text() == f"Continues \u201c{old_row.title}\u201d"

        # Once the server has it, the old chat names the server's id of the new one.
        def confirmed() -> str | None:
            found = http.get(f"/v1/group-chats/{old['id']}").json()["replaced_by"]
            return str(found) if found else None

        qtbot.waitUntil(lambda: confirmed() is not None, timeout=WAIT_MS)
        server_id = confirmed()
        assert server_id is not None
        qtbot.waitUntil(
            lambda: (row := workspace.conversations.conversation(old["id"])) is not None
            and row.replaced_by == server_id,
            timeout=WAIT_MS,
        )
        # The list hears of the server's row a moment after the cache has it.
        qtbot.waitUntil(lambda: window.open_conversation(server_id), timeout=WAIT_MS)
        qtbot.waitUntil(continues.isVisible, timeout=WAIT_MS)
        assert not replaced_by.isVisible()

        # Each link opens the other chat.
        qtbot.mouseClick(continues, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: window.conversation_panel.conversation_id == old["id"], timeout=5000
        )
        qtbot.waitUntil(replaced_by.isVisible, timeout=5000)
        assert not continues.isVisible()
        new_title = workspace.conversations.conversation(server_id)
        assert new_title is not None
        assert replaced_by.text() == f"Replaced by \u201c{new_title.title}\u201d"
        qtbot.mouseClick(replaced_by, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: window.conversation_panel.conversation_id == server_id, timeout=5000
        )
        assert window.conversation_list.current_conversation_id() == server_id


def test_replaced_blocked_chat_offers_its_replacement_not_another_new_chat(
    qtbot: QtBot,
    module_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
) -> None:
    with api(module_backend) as http:
        number = next(n for n in http.get("/v1/numbers").json()["items"] if n["is_default"])
        people = [
            new_contact(http, phone(), name=name)
            for name in ("Dora Maar", "Emil Artin", "Fay Kanin")
        ]

        def create(chosen: list[dict[str, Any]], replaces: str | None = None) -> str:
            response = http.post(
                "/v1/group-chats",
                json={
                    "number_id": number["id"],
                    "participants": [
                        {"contact_id": c["id"], "phone": c["phones"][0]["number"]} for c in chosen
                    ],
                    "replaces": replaces,
                },
            )
            assert response.status_code == 201, response.text
            return str(response.json()["id"])

        old_id = create(people)
        http.post(f"/v1/contacts/{people[2]['id']}/dnd", json={"dnd": True})
        new_id = create(people[:2], replaces=old_id)

        workspace = make_workspace(module_backend)
        wait_first_sync(qtbot, workspace)
        conversations = workspace.conversations

        def old_row_names_new() -> bool:
            old = conversations.conversation(old_id)
            return (
                old is not None
                and old.status == "blocked"
                and old.replaced_by == new_id
                and conversations.conversation(new_id) is not None
            )

        qtbot.waitUntil(old_row_names_new, timeout=WAIT_MS)
        window = window_for(workspace)
        assert window.select_conversation(old_id)
        banner = window.findChild(QWidget, "blockedBanner")
        assert banner is not None
        qtbot.waitUntil(banner.isVisible, timeout=2000)
        open_button = _link(window, "openReplacementButton")
        new_without = _link(window, "newGroupWithoutButton")
        new_row = conversations.conversation(new_id)
        assert new_row is not None
        # The replacement is offered instead of starting another chat.
        assert open_button.isVisible()
        assert not new_without.isVisible()
        assert open_button.text() == f"Open \u201c{new_row.title}\u201d"
        assert f"\u201c{new_row.title}\u201d" in banner.accessibleName()
        assert "start a new group chat" not in banner.accessibleName()

        # The replacement is blocked too (Emil opts out): the old chat says so, and its button
        # still opens the replacement, whose own banner is the way on (the chain continues).
        http.post(f"/v1/contacts/{people[1]['id']}/dnd", json={"dnd": True})
        qtbot.waitUntil(
            lambda: (row := conversations.conversation(new_id)) is not None
            and row.status == "blocked",
            timeout=WAIT_MS,
        )
        assert window.select_conversation(old_id)
        qtbot.waitUntil(lambda: "(blocked too)" in open_button.text(), timeout=5000)
        assert "blocked too" in banner.accessibleName()
        assert not new_without.isVisible()
        qtbot.mouseClick(open_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: window.conversation_panel.conversation_id == new_id, timeout=5000
        )
        assert window.conversation_list.current_conversation_id() == new_id
        # The replacement has no replacement of its own: it offers a new chat without Emil.
        qtbot.waitUntil(new_without.isVisible, timeout=5000)
        assert not open_button.isVisible()
        assert new_without.text() == "New group chat without Emil Artin"
