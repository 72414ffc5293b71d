"""An admin's compliance settings in the window (`complianceDialog`, File > Compliance
settings): a number's opt-out hint and a state's quiet hours window saved through the outbox
to a real backend, a hint without STOP refused in words; agents do not get the menu."""

from __future__ import annotations

import uuid
from datetime import time

from pytestqt.qtbot import QtBot

from console.protocol.demo import DEMO_PASSWORD
from console.ui.compliance_dialog import ComplianceDialog
from console.ui.qt import QAction, QTime
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import MainWindowFactory, WorkspaceFactory, api, wait_first_sync

WAIT_MS = 15_000


def _rows(dialog: ComplianceDialog) -> list[str]:
    model = dialog.windows
    return [str(model.index(r, 0).data()) for r in range(model.rowCount())]


def test_an_admin_sets_a_hint_and_a_states_window(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    label = f"Hints {uuid.uuid4().hex[:4]}"
    number = http.post("/v1/numbers", json={
        "e164": f"+1206555{uuid.uuid4().int % 10_000:04d}", "label": label}).json()
    workspace = make_workspace(module_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    action = window.findChild(QAction, "showComplianceAction")
    assert action is not None
    assert action.isVisible()  # the demo admin
    action.trigger()
    dialog = window.compliance.dialog
    assert dialog is not None
    assert window.findChild(ComplianceDialog, "complianceDialog") is dialog
    qtbot.waitUntil(lambda: dialog.number_choice.findData(number["id"]) >= 0, timeout=WAIT_MS)
    dialog.number_choice.setCurrentIndex(dialog.number_choice.findData(number["id"]))
    assert dialog.hint_edit.text() == ""
    assert dialog.hint_status.text().startswith("Off")
    # Without STOP: refused, in words, nothing sent.
    dialog.hint_edit.setText("Text us any time")
    dialog.hint_save.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT_MS)
    assert "STOP" in dialog.error.text()
    dialog.default_button.click()
    dialog.hint_save.click()

    def hint_on_server() -> str:
        found: str = http.get(f"/v1/numbers/{number['id']}").json()["opt_out_hint"]
        return found

    qtbot.waitUntil(lambda: hint_on_server() == "Reply STOP to opt out.", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.hint_status.text().startswith("On"), timeout=WAIT_MS)
    assert dialog.error.isHidden()

    # A state's window: set, listed, on the server; then back to the default.
    dialog.state_choice.setCurrentText("WA")
    dialog.start_edit.setTime(QTime(9, 0))
    dialog.end_edit.setTime(QTime(20, 0))
    dialog.state_save.click()

    def states() -> list[dict[str, str]]:
        found: list[dict[str, str]] = http.get("/v1/quiet-hours").json()["states"]
        return found

    qtbot.waitUntil(lambda: {"state": "WA", "start": "09:00", "end": "20:00"} in states(),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "WA: 09:00–20:00" in _rows(dialog), timeout=WAIT_MS)
    rules = workspace.quiet_hours.rules()
    assert (rules.states["WA"].start, rules.states["WA"].end) == (time(9, 0), time(20, 0))
    # An empty window is refused before anything is sent.
    dialog.start_edit.setTime(QTime(20, 0))
    dialog.end_edit.setTime(QTime(9, 0))
    dialog.state_save.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT_MS)
    assert dialog.error.text() == "The window must end after it starts."
    row = _rows(dialog).index("WA: 09:00–20:00")
    dialog.window_list.setCurrentIndex(dialog.windows.index(row, 0))
    dialog.state_clear.click()
    qtbot.waitUntil(lambda: all(s["state"] != "WA" for s in states()), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not any(r.startswith("WA:") for r in _rows(dialog)),
                    timeout=WAIT_MS)


def test_agents_do_not_get_the_menu(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    agent = next(u for u in api(module_backend).get("/v1/users").json()["items"]
                 if u["role"] != "admin" and u["active"])
    workspace = make_workspace(module_backend, email=agent["email"], password=DEMO_PASSWORD)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    action = window.findChild(QAction, "showComplianceAction")
    assert action is not None
    assert not action.isVisible()
    assert window.compliance.open() is None
