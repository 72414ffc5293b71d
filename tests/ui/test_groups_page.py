"""The Groups page against a real backend: create a group (Ctrl+N), add members from the picker
(multi-select), remove some, rename, delete after a confirmation that says what happens to the
messages already sent; each change shows at once and the server ends up with it. An
assigned-only user sees only the members they may see. The models pass the model tester."""

from __future__ import annotations

from typing import Any

import httpx
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.protocol.demo import DEMO_PASSWORD
from console.ui.add_members_dialog import AddMembersDialog
from console.ui.group_member_model import GroupMemberModel
from console.ui.group_model import GroupListModel
from console.ui.groups_page import GroupsPage
from console.ui.main_window import MainWindow
from console.ui.qt import QAbstractItemView, QItemSelectionModel, Qt
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import MainWindowFactory, WorkspaceFactory, api, wait_first_sync

SYNC_MS = 15_000
ASSIGNED_ONLY = "diego.agent@demo.example"


def open_groups(qtbot: QtBot, window: MainWindow) -> GroupsPage:
    action = window.findChild(type(window.show_groups_action), "showGroupsAction")
    assert action is not None
    action.trigger()
    page = window.groups_page
    assert page is not None
    assert window.pages.currentWidget() is page
    assert page.objectName() == "groupsPage"
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=SYNC_MS)
    return page


def group_names(page: GroupsPage) -> list[str]:
    model = page.model
    return [model.index(r, 0).data(GroupListModel.NameRole) for r in range(model.rowCount())]


def member_names(page: GroupsPage) -> list[str]:
    model = page.member_model
    return [model.index(r, 0).data(GroupMemberModel.NameRole) for r in range(model.rowCount())]


def member_states(page: GroupsPage) -> dict[str, str]:
    model = page.member_model
    return {
        model.index(r, 0).data(GroupMemberModel.NameRole):
        model.index(r, 0).data(GroupMemberModel.StateRole)
        for r in range(model.rowCount())
    }


def server_groups(http: httpx.Client) -> dict[str, dict[str, Any]]:
    return {g["name"]: g for g in http.get("/v1/groups", params={"limit": 200}).json()["items"]}


def server_members(http: httpx.Client, group_id: str) -> set[str]:
    items = http.get(f"/v1/groups/{group_id}/members", params={"limit": 200}).json()["items"]
    return {m["contact_name"] for m in items}


def check(qtbot: QtBot, dialog: AddMembersDialog, search: str, name: str) -> None:
    """Search the picker and click the row of `name` (a click checks it)."""
    before = dialog.searches
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, search)
    qtbot.waitUntil(
        lambda: dialog.searches > before and dialog.model.search_text == search, timeout=5000
    )
    model = dialog.model
    row = next(
        r for r in range(model.rowCount())
        if model.index(r, 0).data(model.NameRole) == name
    )
    index = model.index(row, 0)
    dialog.list.scrollTo(index)
    qtbot.mouseClick(
        dialog.list.viewport(), Qt.MouseButton.LeftButton,
        pos=dialog.list.visualRect(index).center(),
    )
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_create_add_remove_rename_and_delete_a_group_from_the_page(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    workspace = make_workspace(fresh_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    page = open_groups(qtbot, window)
    http = api(fresh_backend)
    assert group_names(page) == ["Landlords", "Open house RSVPs", "Spring buyers"]
    assert isinstance(page.findChild(QAbstractItemView, "groupList"), QAbstractItemView)
    assert isinstance(page.findChild(QAbstractItemView, "groupMemberList"), QAbstractItemView)
    # Spring buyers' members came with the sync (the page works offline from the cache).
    page.select_group(server_groups(http)["Spring buyers"]["id"])
    qtbot.waitUntil(lambda: len(member_names(page)) == 9, timeout=SYNC_MS)
    assert page.member_count.text() == "9 members"

    # Ctrl+N on this page: the group name dialog; the new group is listed and shown at once.
    window.new_action.trigger()
    dialog = page.name_dialog
    assert dialog is not None
    assert dialog.objectName() == "groupNameDialog"
    assert dialog.isVisible()
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "Landlords")  # taken: said next to the name
    dialog.save_button.click()
    assert dialog.isVisible()
    assert "already a group named" in dialog.error.text()
    dialog.name_edit.setText("VIP buyers")
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert "VIP buyers" in group_names(page)  # no waiting: shown before the server has it
    assert page.name_label.text() == "VIP buyers"
    assert page.member_stack.currentWidget() is page.members_empty  # offers Add members
    assert page.members_empty_action.isVisible()
    qtbot.waitUntil(lambda: "VIP buyers" in server_groups(http), timeout=SYNC_MS)
    group_id = server_groups(http)["VIP buyers"]["id"]
    qtbot.waitUntil(lambda: page.current_group_id == group_id, timeout=SYNC_MS)

    # Add three people from the picker (multi-select across searches).
    picker = page.add_members()
    assert isinstance(picker, AddMembersDialog)
    assert picker.objectName() == "addMembersDialog"
    qtbot.waitUntil(lambda: picker.searches > 0, timeout=5000)
    assert not picker.add_button.isEnabled()
    check(qtbot, picker, "Maria", "Maria Gonzalez")
    check(qtbot, picker, "whitaker", "James Whitaker")
    check(qtbot, picker, "415 555 0140", "Lily Chen")
    assert picker.add_button.text() == "Add 3"
    assert "Maria Gonzalez" in picker.chosen_label.text()
    picker.add_button.click()
    assert not picker.isVisible()
    names = {"Maria Gonzalez", "James Whitaker", "Lily Chen"}
    assert set(member_names(page)) == names  # at once, as being added (or already added)
    assert set(member_states(page).values()) <= {"adding", ""}
    qtbot.waitUntil(lambda: server_members(http, group_id) == names, timeout=SYNC_MS)
    qtbot.waitUntil(lambda: set(member_states(page).values()) == {""}, timeout=SYNC_MS)

    # Remove two of them: the selection, in one step.
    table = page.members
    selection = table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for name in ("James Whitaker", "Lily Chen"):
        row = member_names(page).index(name)
        selection.select(page.member_model.index(row, 0), flags)
    assert page.remove_button.isEnabled()
    assert page.remove_button.text() == "Remove 2"
    page.remove_button.click()
    states = member_states(page)
    assert states["Maria Gonzalez"] == ""
    assert {states.get("James Whitaker"), states.get("Lily Chen")} <= {"removing", None}
    qtbot.waitUntil(
        lambda: server_members(http, group_id) == {"Maria Gonzalez"}, timeout=SYNC_MS
    )
    qtbot.waitUntil(lambda: member_names(page) == ["Maria Gonzalez"], timeout=SYNC_MS)

    # Rename: shown at once, then on the server.
    rename = page.rename_group()
    assert rename is not None
    assert rename.name_edit.text() == "VIP buyers"
    rename.name_edit.setText("VIP clients")
    rename.save_button.click()
    assert page.name_label.text() == "VIP clients"
    assert "VIP clients" in group_names(page)
    qtbot.waitUntil(lambda: "VIP clients" in server_groups(http), timeout=SYNC_MS)

    # Delete: asks first, saying sent group messages keep their recipients.
    box = page.delete_group()
    assert box is not None
    assert box.objectName() == "groupDeleteConfirm"
    assert "VIP clients" in box.text()
    text = box.informativeText()
    assert "already sent to it keep their recipients" in text
    assert "stay in the sent list" in text
    confirm = next(b for b in box.buttons() if b.objectName() == "confirmDeleteGroup")
    confirm.click()
    qtbot.waitUntil(lambda: "VIP clients" not in server_groups(http), timeout=SYNC_MS)
    qtbot.waitUntil(lambda: "VIP clients" not in group_names(page), timeout=SYNC_MS)
    assert http.get(f"/v1/groups/{group_id}").json().get("deleted") in (True, None)


def test_an_assigned_only_user_sees_only_the_members_they_may_see(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    workspace = make_workspace(demo_backend, email=ASSIGNED_ONLY, password=DEMO_PASSWORD)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    page = open_groups(qtbot, window)
    theirs = demo_backend.client(demo_backend.login(ASSIGNED_ONLY, DEMO_PASSWORD))
    spring = server_groups(theirs)["Spring buyers"]
    visible = server_members(theirs, spring["id"])
    assert 0 < len(visible) < spring["member_count"]
    page.select_group(spring["id"])
    qtbot.waitUntil(lambda: set(member_names(page)) == visible, timeout=SYNC_MS)
    assert "Maria Gonzalez" not in member_names(page)
    assert f"you see the {len(visible)} assigned to you" in page.member_count.text()
    # The picker offers only their own contacts too.
    picker = page.add_members()
    assert picker is not None
    qtbot.waitUntil(lambda: picker.searches > 0, timeout=5000)
    mine = {
        c["name"] for c in theirs.get("/v1/contacts", params={"limit": 500}).json()["items"]
    }
    model = picker.model
    offered = {model.index(r, 0).data(model.NameRole) for r in range(model.rowCount())}
    assert offered == mine - visible
    picker.reject()


def test_the_models_pass_the_model_tester_and_search_narrows_the_lists(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, qtmodeltester: ModelTester,
) -> None:
    workspace = make_workspace(demo_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    page = open_groups(qtbot, window)
    qtmodeltester.check(page.model)
    spring = next(g for g in workspace.groups.groups_page("", 0, 50) if g.name == "Spring buyers")
    page.select_group(spring.id)
    qtbot.waitUntil(lambda: page.member_model.rowCount() == 9, timeout=SYNC_MS)
    qtmodeltester.check(page.member_model)
    qtbot.keyClicks(page.member_search, "415")
    assert set(member_names(page)) == {"Maria Gonzalez", "Lily Chen"}
    assert page.member_count.text() == "2 of 9 members match"
    page.member_search.clear()
    picker = page.add_members()
    assert picker is not None
    qtbot.waitUntil(lambda: picker.searches > 0, timeout=5000)
    qtmodeltester.check(picker.model)
    picker.reject()

    qtbot.keyClicks(page.search, "land")
    assert group_names(page) == ["Landlords"]
    page.search.clear()
    qtbot.keyClicks(page.search, "zz no such")
    assert group_names(page) == []
    assert "zz no such" in page.no_groups.text()
