"""Templates in the window: the picker (`templatePicker`) searches, previews a template as it
reads in the conversation and says which field has no value; the editor (`templateEditor`)
refuses a field that does not exist; against a real backend, Ctrl+T in compose writes a template
through the outbox, inserts it filled for the open person, and edits and deletes reach the
server; a shared template made elsewhere arrives through the feed."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from pytestqt.qtbot import QtBot

from console.domain.merge_fields import person_values, render
from console.domain.templates import TemplateItem
from console.services.group_send_check import MergePreview, MergeRow
from console.ui.group_message_confirm import GroupMessageConfirm
from console.ui.main_window import MainWindow
from console.ui.qt import QAbstractButton, QAction, QDialog, QLabel, Qt
from console.ui.template_editor import TemplateEditor
from console.ui.template_picker import TemplatePicker
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import (
    MainWindowFactory,
    WorkspaceFactory,
    api,
    direct_chat,
    group_of,
    wait_first_sync,
)

WAIT_MS = 15_000
ITEMS = [
    TemplateItem("t1", "Showing confirmed", "Hi {first_name} {last_name}, see you at 10. "
                 "{agent_name}", shared=True),
    TemplateItem("t2", "Keys ready", "Your keys are at the desk, {first_name}.", shared=False,
                 owner_user_id="me"),
    TemplateItem("t3", "Call back", "Call {business_number} any time.", shared=False,
                 owner_user_id="me"),
]


def _names(picker: TemplatePicker, *, current: bool = False) -> list[str]:
    items = [picker.current()] if current else [
        picker.model.item(row) for row in range(picker.model.rowCount())]
    return [item.name for item in items if item is not None]


def test_the_picker_searches_previews_filled_and_names_a_missing_field(qtbot: QtBot) -> None:
    values = person_values("Cher", agent_name="Dana Agent", business_number="(555) 010-0100")
    inserted: list[str] = []
    picker = TemplatePicker(fill=lambda body: render(body, values), target="Cher")
    qtbot.addWidget(picker)
    picker.insertRequested.connect(inserted.append)
    picker.show()
    picker.set_items(ITEMS, lambda item: not item.shared)
    assert picker.model.rowCount() == 3
    assert picker.current() == ITEMS[0]  # the first is current: Enter inserts it
    # Filled for Cher: she has no last name, and the picker says so.
    assert picker.preview.text() == "Hi Cher, see you at 10. Dana Agent"
    assert not picker.missing_note.isHidden()
    assert picker.missing_note.text().startswith("No last name for Cher")
    assert not picker.edit_button.isEnabled()  # shared: admins only (may_change says no)
    # Search by words of the name or the text; Down moves through what is left.
    picker.search.setText("desk")
    assert _names(picker) == ["Keys ready"]
    picker.search.setText("")
    picker.search.setFocus()
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.current() == ITEMS[2]
    assert picker.preview.text() == "Call (555) 010-0100 any time."
    assert picker.missing_note.isHidden()
    assert picker.edit_button.isEnabled()
    picker.search.setText("nothing like it")
    assert picker.model.rowCount() == 0
    assert picker.empty_note.text() == "No template matches that search."
    assert not picker.insert_button.isEnabled()
    picker.search.setText("keys")
    assert picker.insert()
    assert inserted == ["Your keys are at the desk, Cher."]


def test_the_editor_names_a_field_that_does_not_exist_and_waits(qtbot: QtBot) -> None:
    saved: list[tuple[str, str, bool]] = []
    editor = TemplateEditor(lambda *args: saved.append(args), may_share=False)
    qtbot.addWidget(editor)
    editor.show()
    assert not editor.shared.isEnabled()  # only admins share
    editor.name.setText("Welcome")
    editor.body.setPlainText("Dear {frist_name}, ")
    assert not editor.save_button.isEnabled()
    assert editor.error.text().startswith("{frist_name} is not a merge field.")
    editor.body.setPlainText("Dear ")
    editor.body.moveCursor(editor.body.textCursor().MoveOperation.End)
    editor.field_buttons["first_name"].click()  # where the cursor is
    assert editor.body.toPlainText() == "Dear {first_name}"
    assert editor.error.isHidden()
    editor.save_button.click()
    assert saved == [("Welcome", "Dear {first_name}", False)]
    assert not editor.save_button.isEnabled()  # until the owner answers
    editor.show_error("Another template already has that name. Choose another.")
    assert editor.save_button.isEnabled()


# -- end to end ---------------------------------------------------------------------------


def _on_server(http: httpx.Client, name: str) -> dict[str, Any] | None:
    items: list[dict[str, Any]] = http.get("/v1/templates").json()["items"]
    return next((t for t in items if t["name"] == name), None)


def _picker(qtbot: QtBot, window: MainWindow) -> TemplatePicker:
    qtbot.waitUntil(lambda: window.templates.picker is not None, timeout=WAIT_MS)
    picker = window.templates.picker
    assert picker is not None
    return picker


def test_ctrl_t_writes_inserts_edits_and_deletes_a_template(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    conversation_id, _ = direct_chat(http, "Tessa Template")
    name = f"Keys {uuid.uuid4().hex[:6]}"
    workspace = make_workspace(module_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    qtbot.waitUntil(lambda: workspace.conversations.conversation(conversation_id) is not None,
                    timeout=WAIT_MS)
    assert window.select_conversation(conversation_id)
    compose = window.compose
    assert window.findChild(QAbstractButton, "templateButton") is compose.template_button
    compose.edit.setFocus()
    compose.edit.setPlainText("Note: ")
    compose.edit.moveCursor(compose.edit.textCursor().MoveOperation.End)
    qtbot.keyClick(compose.edit, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    picker = _picker(qtbot, window)
    assert window.findChild(QDialog, "templatePicker") is picker
    picker.new_button.click()
    qtbot.waitUntil(lambda: window.templates.editor is not None, timeout=WAIT_MS)
    editor = window.templates.editor
    assert editor is not None
    assert editor.shared.isEnabled()  # the demo admin may share
    editor.name.setText(name)
    editor.body.setPlainText("keys are ready, {first_name}. {agent_name}, {business_number}")
    editor.save_button.click()
    qtbot.waitUntil(lambda: window.templates.editor is None, timeout=WAIT_MS)
    # Shown at once and current, then kept by the server (through the outbox).
    qtbot.waitUntil(lambda: _names(picker, current=True) == [name], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _on_server(http, name) is not None, timeout=WAIT_MS)
    kept = _on_server(http, name)
    assert kept is not None
    assert kept["shared"] is False
    me = workspace.session.user.name
    details = workspace.chat_details.details(conversation_id)
    assert details is not None
    assert details.number_plain.startswith("(")
    filled = f"keys are ready, Tessa. {me}, {details.number_plain}"
    assert picker.preview.text() == filled
    picker.insert_button.click()
    qtbot.waitUntil(lambda: window.templates.picker is None, timeout=WAIT_MS)
    assert compose.text() == f"Note: {filled}"  # at the cursor, after what was typed

    # Edit from the View menu's Templates..., then delete with the question first.
    action = window.findChild(QAction, "showTemplatesAction")
    assert action is not None
    action.trigger()
    picker = _picker(qtbot, window)
    qtbot.waitUntil(lambda: picker.select(kept["id"]), timeout=WAIT_MS)
    picker.edit_button.click()
    qtbot.waitUntil(lambda: window.templates.editor is not None, timeout=WAIT_MS)
    editor = window.templates.editor
    assert isinstance(editor, TemplateEditor)
    editor.body.setPlainText("Keys at the desk, {first_name}.")
    editor.save_button.click()
    qtbot.waitUntil(lambda: (_on_server(http, name) or {}).get("body")
                    == "Keys at the desk, {first_name}.", timeout=WAIT_MS)
    picker.select(kept["id"])
    picker.delete_button.click()
    box = window.templates.confirm
    assert box is not None
    assert box.objectName() == "templateDeleteConfirm"
    delete = next(b for b in box.buttons() if b.objectName() == "templateDeleteConfirmButton")
    delete.click()
    qtbot.waitUntil(lambda: picker.model.row_of(kept["id"]) < 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _on_server(http, name) is None, timeout=WAIT_MS)


def test_a_shared_template_made_elsewhere_arrives_through_the_feed(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    name = f"Shared {uuid.uuid4().hex[:6]}"
    workspace = make_workspace(module_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    action = window.findChild(QAction, "showTemplatesAction")
    assert action is not None
    action.trigger()  # no conversation open: manage only, nothing to insert into
    picker = _picker(qtbot, window)
    assert picker.insert_button.isHidden()
    made = http.post("/v1/templates", json={"name": name, "body": "Hello {first_name}",
                                            "shared": True})
    assert made.status_code == 201, made.text
    qtbot.waitUntil(lambda: picker.model.row_of(made.json()["id"]) >= 0, timeout=WAIT_MS)
    assert picker.select(made.json()["id"])
    assert picker.preview.text() == "Hello {first_name}"  # shown as written: no one to fill
    http.delete(f"/v1/templates/{made.json()['id']}")
    qtbot.waitUntil(lambda: picker.model.row_of(made.json()["id"]) < 0, timeout=WAIT_MS)


def test_a_group_message_with_fields_lists_each_persons_text_before_it_goes(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    tag = uuid.uuid4().hex[:6]
    group_id, people = group_of(http, [f"Ana {tag}", "Cher"], emails=True)
    group = {"id": group_id}
    workspace = make_workspace(module_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    action = window.findChild(QAction, "showGroupMessagesAction")
    assert action is not None
    action.trigger()
    page = window.group_messages_page
    assert page is not None
    composer = page.composer
    qtbot.waitUntil(lambda: workspace.groups.recipients_now(group["id"]).count == 2,
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: composer.choose_group(group["id"]), timeout=WAIT_MS)
    composer.title.setText(f"Merged {tag}")
    # The template button (Ctrl+T in the message) inserts a template as written.
    shared = http.post("/v1/templates", json={
        "name": f"Hello {tag}", "body": "Hi {first_name} {last_name}, the portal is open.",
        "shared": True}).json()
    composer.body.setFocus()
    qtbot.keyClick(composer.body, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.templates.picker is not None, timeout=WAIT_MS)
    picker = page.templates.picker
    assert picker is not None
    qtbot.waitUntil(lambda: picker.select(shared["id"]), timeout=WAIT_MS)
    assert picker.preview.text() == "Hi {first_name} {last_name}, the portal is open."
    picker.insert_button.click()
    assert composer.body.toPlainText() == "Hi {first_name} {last_name}, the portal is open."
    # What the customer sees: each person's own words where the fields are.
    assert composer.preview_body.text() == "Hi ‹first name› ‹last name›, the portal is open."

    composer.send_button.click()
    qtbot.waitUntil(lambda: page.confirm_dialog is not None, timeout=WAIT_MS)
    dialog = page.confirm_dialog
    assert dialog is not None
    table = dialog.merge_table
    assert table is not None
    model = table.model()
    shown = {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}
    assert shown == {f"Ana {tag}": f"Hi Ana {tag}, the portal is open.",
                     "⚠ Cher": "Hi Cher, the portal is open."}
    assert dialog.missing_warning is not None
    assert dialog.missing_warning.text().startswith("1 person has no value for a field: "
                                                    "last name (1).")
    dialog.send_button.click()
    qtbot.waitUntil(lambda: "Sent to 2 people." in composer.status.text(), timeout=WAIT_MS)
    sent = next(m for m in http.get("/v1/group-messages").json()["items"]
                if m["title"] == f"Merged {tag}")
    assert sent["body"] == "Hi {first_name} {last_name}, the portal is open."
    recipients = http.get(f"/v1/group-messages/{sent['id']}/recipients").json()["items"]
    bodies = {}
    for recipient in recipients:
        messages = http.get(
            f"/v1/conversations/{recipient['conversation_id']}/messages").json()["items"]
        (copy,) = messages  # a new person's own thread: this message is its only one
        bodies[people[recipient["contact_id"]]] = copy["body"]
    assert bodies == {f"Ana {tag}": f"Hi Ana {tag}, the portal is open.",
                      "Cher": "Hi Cher, the portal is open."}


def test_the_confirmation_refuses_a_merge_that_leaves_someone_an_empty_text(
    qtbot: QtBot,
) -> None:
    """The server refuses such a send whole: the confirmation says who, and offers no Send."""
    rows = (MergeRow("Ana Li", "Ana", ()), MergeRow("+15550100", "", ("first_name",)))
    merge = MergePreview(rows, 2, {"first_name": 1}, people_missing=1, people_empty=1)
    dialog = GroupMessageConfirm(count=2, group_name="Buyers", sender_name="Dana",
                                 title="Hi", merge=merge)
    qtbot.addWidget(dialog)
    empty = dialog.findChild(QLabel, "mergeEmptyError")
    assert empty is not None
    assert empty.text().startswith("1 person would get an empty text")
    assert not dialog.send_button.isEnabled()
    fine = GroupMessageConfirm(count=2, group_name="Buyers", sender_name="Dana", title="Hi",
                               merge=MergePreview(rows[:1], 1, {}, 0, 0))
    qtbot.addWidget(fine)
    assert fine.findChild(QLabel, "mergeEmptyError") is None
    assert fine.send_button.isEnabled()
