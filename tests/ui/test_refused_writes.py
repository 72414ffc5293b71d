"""Writes the server refused, of any kind, reach the user: the status bar counts them and opens
a list with the server's reason, Retry (after fixing the cause) and Discard. Real backend."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.protocol.demo import DEMO_PASSWORD
from console.services.outbox import FailedWrite
from console.ui.qt import QDialogButtonBox, Qt
from console.ui.refused_writes import RefusedWritesModel, refused_summary
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import (
    MainWindowFactory,
    WorkspaceFactory,
    api,
    menu_of,
    offline_copy,
    wait_first_sync,
)

ASSIGNED_ONLY = "diego.agent@demo.example"


def test_model_passes_the_model_tester(qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    model = RefusedWritesModel()
    when = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    model.set_items([
        FailedWrite("k1", "group_member_add", "", "not_found", "No group.", when),
        FailedWrite("k2", "contact_edit", "Ann", "invalid_phone", "", when),
    ])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0), RefusedWritesModel.WhatRole) == "Add to group"
    assert model.data(model.index(1, 0), RefusedWritesModel.WhatRole) == "Contact change: Ann"
    assert model.data(model.index(1, 0), RefusedWritesModel.CodeRole) == "invalid_phone"
    # No reason in words: the code stands in, never an empty line.
    assert "invalid_phone" in model.data(model.index(1, 0), Qt.ItemDataRole.DisplayRole)
    assert refused_summary(1) == "1 change refused"
    assert refused_summary(3) == "3 changes refused"


def test_a_refused_change_is_counted_listed_and_discarded(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    workspace = make_workspace(fresh_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    assert window.refused_button.isHidden()

    refused = workspace.groups.add_member("grp_does_not_exist", "cnt_nobody")
    qtbot.waitUntil(lambda: window.refused_button.isVisible(), timeout=10_000)
    assert window.refused_button.text() == "1 change refused - Review"

    window.refused_button.click()
    dialog = window.refused_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert not dialog.isModal()
    assert dialog.model.rowCount() == 1
    assert dialog.selected_key() == refused.key
    shown = dialog.model.data(dialog.model.index(0, 0), Qt.ItemDataRole.DisplayRole)
    assert shown.startswith("Add to group\n")
    assert "group" in shown.split("\n")[1].lower()
    assert dialog.retry_button.isEnabled()
    assert dialog.discard_button.isEnabled()

    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 0
    assert dialog.empty.isVisible()
    assert not dialog.view.isVisible()
    assert not dialog.retry_button.isEnabled()
    assert not dialog.discard_button.isEnabled()
    assert workspace.outbox.failed() == []
    qtbot.waitUntil(lambda: window.refused_button.isHidden(), timeout=5_000)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    buttons.button(QDialogButtonBox.StandardButton.Close).click()
    assert not dialog.isVisible()


def test_retry_after_fixing_the_cause_gets_the_change_through(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    admin = api(fresh_backend)
    me = fresh_backend.client(fresh_backend.login(ASSIGNED_ONLY, DEMO_PASSWORD)).get("/v1/me")
    my_id = me.json()["id"]
    group = admin.post("/v1/groups", json={"name": "Spring open house"}).json()
    others = [c for c in admin.get("/v1/contacts", params={"limit": 500}).json()["items"]
              if c["assigned_user_id"] not in (None, my_id)]
    contact = others[0]

    workspace = make_workspace(fresh_backend, email=ASSIGNED_ONLY, password=DEMO_PASSWORD)
    qtbot.waitUntil(lambda: workspace.sync.status.last_sync_at is not None, timeout=15_000)
    window = window_for(workspace)
    write = workspace.groups.add_member(group["id"], contact["id"])
    qtbot.waitUntil(lambda: window.refused_button.isVisible(), timeout=10_000)

    # Opened from the menu this time; the reason is the server's own words.
    (action,) = [a for a in window.menuBar().actions() if a.text() == "&View"]
    (refused_action,) = [a for a in menu_of(action).actions() if a.text().startswith("&Refused")]
    refused_action.trigger()
    dialog = window.refused_dialog
    assert dialog is not None
    assert dialog.isVisible()
    (failed,) = workspace.outbox.failed()
    assert (failed.key, failed.code) == (write.key, "contact_not_assigned")
    assert "not assigned to you" in dialog.model.data(
        dialog.model.index(0, 0), Qt.ItemDataRole.DisplayRole
    )

    # The cause is fixed on the server (an admin assigns the contact), then Retry.
    fixed = admin.patch(f"/v1/contacts/{contact['id']}", json={"assigned_user_id": my_id})
    assert fixed.status_code == 200, fixed.text
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 0  # back in the queue at once

    def member_on_server() -> bool:
        members = admin.get(f"/v1/groups/{group['id']}/members").json()["items"]
        return contact["id"] in {m["contact_id"] for m in members}

    qtbot.waitUntil(member_on_server, timeout=10_000)
    qtbot.waitUntil(lambda: workspace.outbox.pending_count() == 0, timeout=10_000)
    assert workspace.outbox.failed() == []
    # The window hears of it from the sync's status, a moment after the cache says so.
    qtbot.waitUntil(lambda: window.refused_button.isHidden(), timeout=5_000)
    admin.close()


def test_offline_with_changes_waiting_the_empty_window_says_so(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    """Nothing refused, two changes waiting (offline): the window does not say "every change
    reached the server" while the status bar counts two waiting, nor head an empty list with
    "refused"; once they are gone it says nothing waits."""
    workspace, conversation_id = offline_copy(
        qtbot, demo_backend, make_workspace, tmp_path / "waiting.db"
    )
    window = window_for(workspace)
    window.show_refused_writes()
    dialog = window.refused_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.heading.text() == "No refused changes"
    assert not dialog.explain.isVisible()
    assert dialog.empty.text() == "Nothing is waiting: every change reached the server."

    first = workspace.conversations.send(conversation_id, "waiting one")
    workspace.conversations.send(conversation_id, "waiting two")
    qtbot.waitUntil(lambda: "2 changes are waiting to be sent" in dialog.empty.text(), timeout=5000)
    assert dialog.empty.text().startswith("The server has refused nothing.")
    assert "2 changes waiting" in window.sync_status.text()  # the status bar agrees
    assert dialog.heading.text() == "No refused changes"

    workspace.conversations.discard(first.key)
    qtbot.waitUntil(lambda: "1 change is waiting to be sent" in dialog.empty.text(), timeout=5000)
