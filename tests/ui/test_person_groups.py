"""The person panel beside a 1:1 or in-app conversation, against a real backend: the
chevron opens it in the participant panel's place, it names the person and lists their
groups (`personGroups`), and adds them to an existing or a new group and removes them, without
leaving the conversation; each change shows at once and reaches the server."""

from __future__ import annotations

import httpx
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.domain.conversations import ConversationKind
from console.ui.main_window import MainWindow
from console.ui.person_groups_model import PersonGroupModel
from console.ui.person_panel import PersonPanel
from console.ui.qt import QAbstractItemView
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import MainWindowFactory, WorkspaceFactory, api, wait_first_sync

SYNC_MS = 15_000
MARIA = "Maria Gonzalez"


def open_person(qtbot: QtBot, window: MainWindow, kind: ConversationKind) -> PersonPanel:
    workspace = window.workspace
    assert workspace is not None
    row = next(
        r for r in workspace.conversations.list_conversations()
        if r.kind is kind and r.title == MARIA
    )
    assert window.select_conversation(row.id)
    panel = window.conversation_panel
    toggle = panel.header.toggle
    assert toggle.objectName() == "participantPanelToggle"
    assert toggle.isVisible()
    if not toggle.isChecked():
        toggle.click()
    person = panel.person_panel
    qtbot.waitUntil(person.isVisible, timeout=5000)
    assert not panel.participant_panel.isVisible()
    assert person.name.text() == MARIA
    return person


def shown(person: PersonPanel) -> dict[str, str]:
    """Group name -> its state ("" / adding / removing) as `personGroups` lists them."""
    model = person.model
    return {
        model.index(r, 0).data(PersonGroupModel.NameRole):
        model.index(r, 0).data(PersonGroupModel.StateRole)
        for r in range(model.rowCount())
    }


def server_groups_of(http: httpx.Client, contact_id: str) -> set[str]:
    return {g["name"] for g in http.get(f"/v1/contacts/{contact_id}/groups").json()["items"]}


def test_add_and_remove_a_person_from_their_conversation(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, qtmodeltester: ModelTester,
) -> None:
    workspace = make_workspace(fresh_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    qtbot.waitUntil(lambda: window.conversation_model.rowCount() > 0, timeout=SYNC_MS)
    person = open_person(qtbot, window, ConversationKind.DIRECT)
    http = api(fresh_backend)
    contact_id = person.contact_id
    assert contact_id is not None
    groups = person.findChild(QAbstractItemView, "personGroups")
    assert groups is person.list
    qtbot.waitUntil(
        lambda: set(shown(person)) == {"Open house RSVPs", "Spring buyers"}, timeout=SYNC_MS
    )
    assert "(415) 555-0111" in person.facts.text()
    qtmodeltester.check(person.model)
    conversation = window.conversation_panel.conversation_id

    # Add to an existing group: the chooser offers the groups she is not in.
    chooser = person.chooser
    offered = [chooser.itemText(i) for i in range(chooser.count())]
    assert offered == ["Landlords"]
    chooser.setCurrentIndex(0)
    person.add_button.click()
    assert shown(person).get("Landlords") in ("adding", "")  # at once
    qtbot.waitUntil(lambda: "Landlords" in server_groups_of(http, contact_id), timeout=SYNC_MS)
    qtbot.waitUntil(lambda: shown(person).get("Landlords") == "", timeout=SYNC_MS)

    # Remove from the selected group.
    row = list(shown(person)).index("Spring buyers")
    person.list.setCurrentIndex(person.model.index(row, 0))
    assert person.remove_button.isEnabled()
    person.remove_button.click()
    assert shown(person).get("Spring buyers") in ("removing", None)
    qtbot.waitUntil(
        lambda: "Spring buyers" not in server_groups_of(http, contact_id), timeout=SYNC_MS
    )
    qtbot.waitUntil(lambda: "Spring buyers" not in shown(person), timeout=SYNC_MS)

    # Add to a new group: name it; she is in it at once and on the server after.
    dialog = person.add_to_new_group()
    assert dialog is not None
    assert dialog.objectName() == "groupNameDialog"
    qtbot.keyClicks(dialog.name_edit, "Oak Street buyers")
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert "Oak Street buyers" in shown(person)
    qtbot.waitUntil(
        lambda: "Oak Street buyers" in server_groups_of(http, contact_id), timeout=SYNC_MS
    )
    # All without leaving the conversation.
    assert window.current_page() == "conversations"
    assert window.conversation_panel.conversation_id == conversation


def test_an_in_app_conversation_shows_the_person_and_a_group_chat_does_not(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    workspace = make_workspace(demo_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    qtbot.waitUntil(lambda: window.conversation_model.rowCount() > 0, timeout=SYNC_MS)
    person = open_person(qtbot, window, ConversationKind.IN_APP)
    qtbot.waitUntil(lambda: "Spring buyers" in shown(person), timeout=SYNC_MS)
    # A group chat shows its participants in the same place instead.
    chat = next(
        r for r in workspace.conversations.list_conversations()
        if r.kind is ConversationKind.GROUP_SMS
    )
    window.select_conversation(chat.id)
    panel = window.conversation_panel
    assert not person.isVisible()
    assert person.contact_id is None
    qtbot.waitUntil(panel.participant_panel.isVisible, timeout=5000)
