"""Navigation in the main window, driven through the real widgets against a real backend:
the page actions and their shortcuts, the rail, the Conversations list's filter chips, the
names of untitled group chats, where a new chat sorts, the right-click menu of a row, and the
ways into the group editor ([+], Ctrl+N, the menu, a blocked chat's "new group without")."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.protocol.demo import DEMO_PASSWORD
from console.services.conversation_names import first_names, is_untitled
from console.services.types import ConversationRow
from console.services.workspace import Workspace
from console.store.queries import ParticipantView
from console.ui.conversation_delegate import ConversationDelegate
from console.ui.conversation_list import ConversationFilter, ConversationListModel
from console.ui.main_window import MainWindow
from console.ui.qt import (
    QAbstractButton,
    QAction,
    QApplication,
    QContextMenuEvent,
    QDialog,
    QListView,
    QMenu,
    Qt,
    QWidget,
)
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import WorkspaceFactory, api, offline_copy, wait_first_sync

WindowFactory = Callable[[Workspace | None], MainWindow]
DIEGO = ("diego.agent@demo.example", DEMO_PASSWORD)


# -- helpers -------------------------------------------------------------------------------


def contacts_by_name(backend: BackendProcess) -> dict[str, dict[str, Any]]:
    """The demo contacts ({id, name, phones}) by name, from the backend."""
    found: dict[str, dict[str, Any]] = {}
    cursor: str | None = None
    with api(backend) as http:
        while True:
            params: dict[str, Any] = {"limit": 100}
            if cursor:
                params["cursor"] = cursor
            page = http.get("/v1/contacts", params=params).json()
            for item in page["items"]:
                found[item["name"]] = item
            cursor = page.get("next_cursor")
            if not cursor:
                return found


def number_ids(backend: BackendProcess) -> dict[str, str]:
    """Business number id by E.164."""
    with api(backend) as http:
        return {n["e164"]: n["id"] for n in http.get("/v1/numbers").json()["items"]}


def pick(contacts: dict[str, dict[str, Any]], *names: str) -> list[tuple[str, str]]:
    return [(contacts[n]["id"], contacts[n]["phones"][0]["number"]) for n in names]


def shown_ids(window: MainWindow) -> list[str]:
    return window.conversation_model.conversation_ids()


def rows_of(window: MainWindow) -> list[ConversationRow]:
    model = window.conversation_model
    return [model.index(r, 0).data(ConversationListModel.RowRole) for r in range(model.rowCount())]


def activate(qtbot: QtBot, window: MainWindow) -> None:
    """Make the window the active one: its shortcuts (WindowShortcut) only work then."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def action(window: MainWindow, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def view_menu(window: MainWindow) -> QMenu:
    for entry in window.menuBar().actions():
        if entry.text().replace("&", "") == "View":
            menu = entry.menu()
            assert isinstance(menu, QMenu)
            return menu
    raise AssertionError("no View menu")


def visible_dialog(name: str) -> QDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.objectName() == name and widget.isVisible():
            return widget
    return None


def wait_dialog(qtbot: QtBot, name: str) -> QDialog:
    qtbot.waitUntil(lambda: visible_dialog(name) is not None, timeout=5000)
    found = visible_dialog(name)
    assert found is not None
    return found


def close_dialog(qtbot: QtBot, dialog: QDialog) -> None:
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)


def ready_editor(qtbot: QtBot, editor: Any) -> Any:
    """Wait until the editor has read its numbers and its prefill (on its worker thread)."""
    qtbot.waitUntil(lambda: editor.number_picker.count() > 0, timeout=5000)
    return editor


def offline_window(
    qtbot: QtBot,
    backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
    cache: Path,
) -> tuple[MainWindow, Workspace]:
    workspace, _ = offline_copy(qtbot, backend, make_workspace, cache)
    window = window_for(workspace)
    qtbot.waitUntil(lambda: window.conversation_model.rowCount() > 0, timeout=5000)
    return window, workspace


# -- pages ---------------------------------------------------------------------------------


def test_page_actions_shortcuts_and_rail_make_their_page_current(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
    tmp_path: Path,
) -> None:
    window, _ = offline_window(qtbot, demo_backend, make_workspace, window_for, tmp_path / "p.db")
    conversations = action(window, "showConversationsAction")
    contacts = action(window, "showContactsAction")
    assert conversations.shortcut().toString() == "Ctrl+1"
    assert contacts.shortcut().toString() == "Ctrl+2"
    menu_actions = view_menu(window).actions()
    assert conversations in menu_actions
    assert contacts in menu_actions
    pages = window.findChild(QWidget, "pages")
    assert pages is window.pages
    list_view = window.findChild(QListView, "conversationList")
    assert list_view is not None
    assert list_view.isVisible()
    assert window.pages.currentWidget() is window.conversations_page
    assert conversations.isChecked()
    assert not contacts.isChecked()

    # Triggering the action (as the View menu does) shows the Contacts page.
    contacts.trigger()
    page = window.findChild(QWidget, "contactsPage")
    assert page is not None
    assert window.pages.currentWidget() is page
    assert page.isVisible()
    assert not list_view.isVisible()
    assert contacts.isChecked()
    assert not conversations.isChecked()
    assert window.rail.buttons["contacts"].isChecked()

    # The keyboard: Ctrl+1 and Ctrl+2 switch, from anywhere in the window.
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.conversations_page
    assert list_view.isVisible()
    assert conversations.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is page
    assert window.findChildren(QWidget, "contactsPage") == [page]  # made once, kept

    # The rail's buttons are the same actions.
    qtbot.mouseClick(window.rail.buttons["conversations"], Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.conversations_page
    assert window.rail.buttons["conversations"].toolTip() == "Conversations (Ctrl+1)"
    assert window.rail.buttons["contacts"].toolTip() == "Contacts (Ctrl+2)"
    # The unread badge on the Conversations button counts every conversation's unread.
    assert window.rail.buttons["conversations"].badge == window.conversation_model.total_unread()
    assert window.conversation_model.total_unread() > 0  # the demo seed has unread threads


# -- filter chips ----------------------------------------------------------------------------


def test_filter_chips_narrow_the_list_and_keep_the_open_conversation(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
    tmp_path: Path,
) -> None:
    window, workspace = offline_window(
        qtbot, demo_backend, make_workspace, window_for, tmp_path / "f.db"
    )
    model = window.conversation_model
    chips = window.sidebar.filters.chips
    assert [chip.text() for chip in chips.values()] == [
        "All", "1:1", "Group SMS", "In-app", "Blocked",
    ]
    everything = workspace.conversations.list_conversations()
    assert shown_ids(window) == [row.id for row in everything]
    direct = next(row for row in everything if row.kind == "direct")
    assert window.select_conversation(direct.id)
    selected: list[str] = []
    window.conversation_list.conversationSelected.connect(selected.append)

    qtbot.mouseClick(chips[ConversationFilter.GROUP_SMS], Qt.MouseButton.LeftButton)
    groups = [row.id for row in everything if row.kind == "group_sms"]
    assert groups
    assert shown_ids(window) == groups
    qtmodeltester.check(model)
    # The open conversation stays open though its row is filtered out; nothing else opened.
    assert window.conversation_panel.conversation_id == direct.id
    assert window.middle.currentWidget() is window.conversation_page
    assert selected == []
    assert not window.conversation_list.currentIndex().isValid()

    qtbot.mouseClick(chips[ConversationFilter.BLOCKED], Qt.MouseButton.LeftButton)
    blocked = [row.id for row in everything if row.status == "blocked"]
    assert blocked
    assert shown_ids(window) == blocked
    assert all(row.status == "blocked" for row in rows_of(window))

    qtbot.mouseClick(chips[ConversationFilter.DIRECT], Qt.MouseButton.LeftButton)
    assert shown_ids(window) == [row.id for row in everything if row.kind == "direct"]
    # Back in view, the open conversation is selected again, without a new selection.
    assert window.conversation_list.currentIndex().data(ConversationListModel.IdRole) == direct.id
    qtbot.mouseClick(chips[ConversationFilter.IN_APP], Qt.MouseButton.LeftButton)
    assert shown_ids(window) == [row.id for row in everything if row.kind == "in_app"]
    assert selected == []

    # Opening a conversation the chip hides shows every conversation again.
    assert window.select_conversation(groups[0])
    assert chips[ConversationFilter.ALL].isChecked()
    assert shown_ids(window) == [row.id for row in everything]
    assert selected == [groups[0]]
    # Unread counts every conversation, shown or not.
    total = sum(row.unread_count for row in everything)
    window.sidebar.filters.chip(ConversationFilter.BLOCKED).click()
    assert model.total_unread() == total
    assert window.sidebar.unread.text() == f"{total} unread"
    assert shown_ids(window) == blocked
    assert not window.sidebar.empty.isVisible()


def test_a_chip_with_nothing_to_show_says_so(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
) -> None:
    # Diego sees only his contacts' chats: none of them is blocked.
    workspace = make_workspace(demo_backend, email=DIEGO[0], password=DIEGO[1])
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    rows = workspace.conversations.list_conversations()
    assert rows
    assert not any(row.status == "blocked" for row in rows)
    window.sidebar.filters.chip(ConversationFilter.GROUP_SMS).click()
    assert window.conversation_model.rowCount() > 0
    assert not window.sidebar.empty.isVisible()
    window.sidebar.filters.chip(ConversationFilter.BLOCKED).click()
    assert window.conversation_model.rowCount() == 0
    assert window.sidebar.empty.isVisible()
    assert window.sidebar.empty.text() == "No blocked chats: every conversation can send."
    window.sidebar.filters.chip(ConversationFilter.ALL).click()
    assert window.conversation_model.rowCount() == len(rows)
    assert not window.sidebar.empty.isVisible()


# -- names and order ---------------------------------------------------------------------------


def _people(*names: str) -> tuple[ParticipantView, ...]:
    return tuple(
        ParticipantView(contact_id=f"c{n}", name=name, phone=f"+1415555{n:04d}")
        for n, name in enumerate(names)
    )


def test_untitled_group_chats_are_called_by_first_names() -> None:
    assert first_names(_people("Maria Gonzalez", "James Whitaker")) == "Maria, James"
    assert first_names(_people("Maria Gonzalez", "James Whitaker", "Lily Chen")) == (
        "Maria, James, Lily"
    )
    four = _people("Maria Gonzalez", "James Whitaker", "Lily Chen", "Tom Nguyen")
    assert first_names(four) == "Maria, James +2"
    # One person with both numbers counts once; a nameless participant shows as the number.
    both = (
        ParticipantView("c1", "Maria Gonzalez", "+14155550111"),
        ParticipantView("c1", "Maria Gonzalez", "+14155550199"),
        ParticipantView("c2", "", "+12125550112"),
    )
    assert first_names(both) == "Maria, (212) 555-0112"
    assert is_untitled("", four)
    assert is_untitled("Maria Gonzalez, James Whitaker, Lily Chen, Tom Nguyen", four)
    assert not is_untitled("Oak Street closing", four)


def test_list_names_new_group_chats_by_first_names_with_their_tags(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
    tmp_path: Path,
) -> None:
    window, workspace = offline_window(
        qtbot, demo_backend, make_workspace, window_for, tmp_path / "n.db"
    )
    contacts = contacts_by_name(demo_backend)
    main = number_ids(demo_backend)["+14155550100"]
    people = pick(contacts, "Ethan Brooks", "Jack Murphy", "Henry Walker", "Nora Jensen")
    row = workspace.group_chats.create(main, people)  # offline: it stays pending here
    qtbot.waitUntil(lambda: window.conversation_model.row_of(row.id) >= 0, timeout=5000)
    shown: ConversationRow = window.conversation_model.index_of(row.id).data(
        ConversationListModel.RowRole
    )
    assert shown.title == "Ethan, Jack +2"
    # Made just now and no message yet: it sorts first, not last.
    assert window.conversation_model.row_of(row.id) == 0
    tags = [text for text, _fill, _ink in ConversationDelegate._tags(shown)]
    assert tags == ["Group SMS", "Pending"]
    # A titled chat keeps its title.
    titles = {r.title for r in rows_of(window) if r.kind == "group_sms"}
    assert "Oak Street closing" in titles


def test_new_chat_with_no_messages_sorts_by_its_creation_time(
    qtbot: QtBot,
    fresh_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
    tmp_path: Path,
) -> None:
    cache = tmp_path / "sort" / "cache.db"
    synced = make_workspace(fresh_backend, cache=cache)
    wait_first_sync(qtbot, synced)
    contacts = contacts_by_name(fresh_backend)
    numbers = number_ids(fresh_backend)

    # Made elsewhere (another agent's console): this one learns it from the change feed.
    with api(fresh_backend) as http:
        response = http.post(
            "/v1/group-chats",
            json={
                "number_id": numbers["+14155550102"],
                "participants": [
                    {"contact_id": c, "phone": p}
                    for c, p in pick(contacts, "Ethan Brooks", "Jack Murphy")
                ],
            },
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        assert response.status_code in (200, 201), response.text
        remote = response.json()["id"]
    qtbot.waitUntil(lambda: synced.conversations.conversation(remote) is not None, timeout=10_000)
    synced.close()

    # Signed in but not syncing yet, so the chat made below stays pending until start().
    workspace = make_workspace(fresh_backend, cache=cache, start=False)
    window = window_for(workspace)
    qtbot.waitUntil(lambda: window.conversation_model.row_of(remote) >= 0, timeout=5000)
    assert window.conversation_model.row_of(remote) == 0  # newest, though it has no message
    assert window.conversation_model.known(remote).title == "Ethan, Jack"  # type: ignore[union-attr]

    # Made here: pending at the top, then live at the top under the server's id, still open.
    main = numbers["+14155550100"]
    row = workspace.group_chats.create(main, pick(contacts, "Henry Walker", "Nora Jensen"))
    qtbot.waitUntil(lambda: window.conversation_model.row_of(row.id) >= 0, timeout=5000)
    assert window.select_conversation(row.id)
    assert window.conversation_model.row_of(row.id) == 0
    assert window.conversation_model.row_of(remote) == 1
    opened: list[str] = []
    window.conversation_list.conversationSelected.connect(opened.append)
    workspace.start()
    qtbot.waitUntil(lambda: window.conversation_model.row_of(row.id) < 0, timeout=10_000)
    live = window.conversation_list.current_conversation_id()
    assert live
    assert not live.startswith("local-")
    assert opened == [live]  # followed to the server's id, never "nothing selected"
    assert window.conversation_model.row_of(live) == 0
    assert window.conversation_panel.conversation_id == live
    assert window.conversation_model.row_of(remote) == 1


# -- the row's menu --------------------------------------------------------------------------


def menu_actions(menu: QMenu) -> dict[str, QAction]:
    return {a.objectName(): a for a in menu.actions() if a.objectName()}


# A popup menu grabs the keyboard; the headless "offscreen" platform cannot, and says so.
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_right_click_menu_offers_what_fits_the_row(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
    tmp_path: Path,
) -> None:
    window, workspace = offline_window(
        qtbot, demo_backend, make_workspace, window_for, tmp_path / "m.db"
    )
    everything = workspace.conversations.list_conversations()
    chat = next(r for r in everything if r.kind == "group_sms" and r.status == "active")
    blocked = next(r for r in everything if r.kind == "group_sms" and r.status == "blocked")
    direct = next(r for r in everything if r.kind == "direct")

    # A real right click on the row pops the menu up.
    view = window.conversation_list
    rect = view.visualRect(window.conversation_model.index_of(chat.id))
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, rect.center(), view.viewport().mapToGlobal(rect.center())
    )
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, QMenu) and w.objectName() == "conversationMenu" and w.isVisible()
            for w in QApplication.topLevelWidgets()
        ),
        timeout=2000,
    )
    popped = next(
        w for w in QApplication.topLevelWidgets()
        if isinstance(w, QMenu) and w.objectName() == "conversationMenu" and w.isVisible()
    )
    assert list(menu_actions(popped)) == [
        "openConversationAction", "markUnreadAction", "showParticipantsAction",
        "newGroupChatWithAction",
    ]
    # Mark as unread: offered while it is read (tests/ui/test_mark_unread.py drives it).
    assert menu_actions(popped)["markUnreadAction"].isEnabled() == (chat.unread_count == 0)
    popped.close()

    # Open: the conversation opens and compose takes the cursor.
    activate(qtbot, window)
    menu = window.conversation_menu(chat.id)
    assert menu is not None
    menu_actions(menu)["openConversationAction"].trigger()
    assert window.conversation_panel.conversation_id == chat.id
    assert window.conversation_list.current_conversation_id() == chat.id

    # A 1:1 thread: no participants, but a group chat with that person.
    menu = window.conversation_menu(direct.id)
    assert menu is not None
    assert list(menu_actions(menu)) == [
        "openConversationAction", "markUnreadAction", "newGroupChatWithAction",
    ]

    # New group chat with these people: the editor, prefilled with them and the same number.
    people = workspace.conversations.people(chat.id)
    assert people is not None
    assert len(people.participants) >= 2
    menu = window.conversation_menu(chat.id)
    assert menu is not None
    assert menu_actions(menu)["newGroupChatWithAction"].text() == (
        "&New group chat with these people..."
    )
    menu_actions(menu)["newGroupChatWithAction"].trigger()
    editor = ready_editor(qtbot, wait_dialog(qtbot, "groupEditor"))
    qtbot.waitUntil(lambda: len(editor.chosen()) == len(people.participants), timeout=5000)
    assert editor.chosen() == [(p.contact_id, p.e164) for p in people.participants]
    assert editor.number_id() == people.number_id
    assert editor.replaces is None
    close_dialog(qtbot, editor)

    # A blocked chat: a new chat without the people whose DND blocks it, replacing it.
    menu = window.conversation_menu(blocked.id)
    assert menu is not None
    new_without = menu_actions(menu)["newGroupChatWithAction"]
    assert new_without.text() == "&New group chat without Harper..."
    new_without.trigger()
    editor = ready_editor(qtbot, wait_dialog(qtbot, "groupEditor"))
    blocked_people = workspace.conversations.people(blocked.id)
    assert blocked_people is not None
    wanted = [(p.contact_id, p.e164) for p in blocked_people.participants if "dnd" not in p.tags]
    qtbot.waitUntil(lambda: editor.chosen() == wanted, timeout=5000)
    assert editor.replaces == blocked.id
    close_dialog(qtbot, editor)


def test_participants_opens_the_chat_with_its_participant_panel(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
    tmp_path: Path,
) -> None:
    window, workspace = offline_window(
        qtbot, demo_backend, make_workspace, window_for, tmp_path / "pp.db"
    )
    chat = next(
        r for r in workspace.conversations.list_conversations()
        if r.kind == "group_sms" and r.status == "active"
    )
    window.show_contacts()
    menu = window.conversation_menu(chat.id)
    assert menu is not None
    menu_actions(menu)["showParticipantsAction"].trigger()
    assert window.pages.currentWidget() is window.conversations_page
    assert window.conversation_panel.conversation_id == chat.id
    panel = window.findChild(QWidget, "participantPanel")
    assert panel is not None
    qtbot.waitUntil(panel.isVisible, timeout=2000)
    participants = window.findChild(QListView, "participantList")
    people = workspace.conversations.people(chat.id)
    assert people is not None
    assert len(people.participants) >= 2
    # (Other tests on the shared backend make chats too: count this chat's own people.)
    assert participants is not None
    assert participants.model().rowCount() == len(people.participants)


# -- the ways into the editors ---------------------------------------------------------------


def test_plus_button_and_ctrl_n_open_the_page_s_editor(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
    tmp_path: Path,
) -> None:
    window, _ = offline_window(qtbot, demo_backend, make_workspace, window_for, tmp_path / "c.db")
    button = window.findChild(QAbstractButton, "createGroupChatButton")
    assert button is not None
    assert button.isVisible()
    assert button.accessibleName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    editor = ready_editor(qtbot, wait_dialog(qtbot, "groupEditor"))
    assert editor.chosen() == []
    close_dialog(qtbot, editor)

    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = ready_editor(qtbot, wait_dialog(qtbot, "groupEditor"))
    assert window.new_action.text() == "&New group chat..."
    close_dialog(qtbot, editor)

    # On the Contacts page Ctrl+N is a new contact.
    window.show_contacts()
    assert window.new_action.text() == "&New contact..."
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    contact_editor = wait_dialog(qtbot, "contactEditor")
    assert visible_dialog("groupEditor") is None
    close_dialog(qtbot, contact_editor)

    # Ctrl+N from Conversations again, and the open editor is the window's only one.
    window.show_conversations()
    window.new_item()
    first = wait_dialog(qtbot, "groupEditor")
    window.new_item()
    qtbot.waitUntil(lambda: not first.isVisible(), timeout=2000)
    second = wait_dialog(qtbot, "groupEditor")
    assert second is not first
    close_dialog(qtbot, second)


def test_the_created_chat_opens_selected(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
    tmp_path: Path,
) -> None:
    window, _ = offline_window(
        qtbot, demo_backend, make_workspace, window_for, tmp_path / "s.db"
    )
    contacts = contacts_by_name(demo_backend)
    main = number_ids(demo_backend)["+14155550100"]
    people = pick(contacts, "Mason Wright", "Amelia Scott", "Owen Turner")
    # Start on the Contacts page with a chip that hides group chats: creating still shows it.
    window.sidebar.filters.chip(ConversationFilter.IN_APP).click()
    window.show_contacts()
    activate(qtbot, window)
    editor = ready_editor(qtbot, window.new_group_chat(number_id=main, participants=people))
    assert window.pages.currentWidget() is window.conversations_page
    create = editor.findChild(QAbstractButton, "groupEditorCreate")
    assert create is not None
    qtbot.waitUntil(lambda: editor.chosen() == people and create.isEnabled(), timeout=5000)
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=5000)

    current = window.conversation_list.current_conversation_id()
    assert current.startswith("local-")
    assert window.conversation_panel.conversation_id == current
    assert window.conversation_model.row_of(current) == 0
    assert window.sidebar.filters.chip(ConversationFilter.ALL).isChecked()
    shown = window.conversation_model.known(current)
    assert shown is not None
    assert shown.title == "Mason, Amelia, Owen"
    assert shown.pending
    # The cursor waits in compose, to write the first message (the headless platform does
    # not hand activation back from a closed dialog by itself; a desktop does).
    assert window.focusWidget() is window.compose.edit
    activate(qtbot, window)
    qtbot.waitUntil(window.compose.edit.hasFocus, timeout=2000)


def test_new_group_without_from_the_blocked_banner_opens_the_editor(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: WindowFactory,
    tmp_path: Path,
) -> None:
    window, workspace = offline_window(
        qtbot, demo_backend, make_workspace, window_for, tmp_path / "b.db"
    )
    blocked = next(
        r for r in workspace.conversations.list_conversations() if r.status == "blocked"
    )
    assert window.select_conversation(blocked.id)
    button = window.findChild(QAbstractButton, "newGroupWithoutButton")
    assert button is not None
    qtbot.waitUntil(button.isVisible, timeout=2000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    editor = ready_editor(qtbot, wait_dialog(qtbot, "groupEditor"))
    people = workspace.conversations.people(blocked.id)
    assert people is not None
    wanted = [(p.contact_id, p.e164) for p in people.participants if "dnd" not in p.tags]
    qtbot.waitUntil(lambda: editor.chosen() == wanted, timeout=5000)
    assert editor.number_id() == people.number_id
    assert editor.replaces == blocked.id
    close_dialog(qtbot, editor)
