"""The Contacts page against a real backend: list and search, the editor's checks as typed,
writes through the outbox (pending at once, refusals in the refused-changes list), delete with
the group chats that keep the number named, and an assigned-only user seeing only theirs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.protocol.demo import DEMO_PASSWORD
from console.services.contacts import ContactPhoneRow, ContactRow, PendingState
from console.services.workspace import Workspace
from console.ui.bridge import ServiceBridge
from console.ui.contact_editor import ContactEditor
from console.ui.contact_model import Column, ContactTableModel, state_text
from console.ui.contacts_page import ContactsPage
from console.ui.qt import QMessageBox, Qt
from console.ui.refused_writes import RefusedWritesDialog, refused_what
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import WorkspaceFactory, api, wait_first_sync

ASSIGNED_ONLY = "diego.agent@demo.example"
SYNC_MS = 15_000

PageFactory = Callable[[Workspace], ContactsPage]


@pytest.fixture
def page_for(qtbot: QtBot) -> Iterator[PageFactory]:
    """A shown ContactsPage following its workspace's change sets through a real bridge (the
    main window routes them the same way)."""
    made: list[tuple[ContactsPage, ServiceBridge]] = []

    def build(workspace: Workspace) -> ContactsPage:
        page = ContactsPage()
        page.resize(1200, 700)
        bridge = ServiceBridge(page)
        bridge.changes.connect(page.apply_changes)
        bridge.track(workspace.conversations.changes.connect(bridge.on_changes))
        page.set_workspace(workspace)
        page.show()
        qtbot.waitExposed(page)
        made.append((page, bridge))
        return page

    yield build
    for page, bridge in made:
        bridge.close()
        page.set_workspace(None)
        page.close()
        page.deleteLater()


def shown_names(page: ContactsPage) -> list[str]:
    model = page.model
    role = ContactTableModel.NameRole
    return [model.data(model.index(r, 0), role) for r in range(model.rowCount())]


def row_texts(page: ContactsPage, name: str) -> list[str]:
    model = page.model
    row = shown_names(page).index(name)
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def server_contacts(backend: BackendProcess, email: str | None = None) -> list[dict[str, Any]]:
    http = api(backend) if email is None else backend.client(backend.login(email, DEMO_PASSWORD))
    items = http.get("/v1/contacts", params={"limit": 500}).json()["items"]
    return list(items)


def test_every_contact_is_listed_with_its_columns_and_search_finds_any_format(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    page_for: PageFactory,
) -> None:
    workspace = make_workspace(demo_backend)
    wait_first_sync(qtbot, workspace)
    page = page_for(workspace)
    expected = sorted((c["name"] for c in server_contacts(demo_backend)), key=str.lower)
    qtbot.waitUntil(lambda: page.model.rowCount() == len(expected), timeout=SYNC_MS)
    assert shown_names(page) == expected  # every contact, in name order
    assert page.count_label.text() == f"{len(expected)} contacts"

    james = row_texts(page, "James Whitaker")
    assert james[Column.PRIMARY] == "(212) 555-0112"  # formatted for its region
    assert james[Column.SECONDARY] == "(646) 555-0113"
    assert james[Column.EMAIL] == "jwhitaker@example.com"
    assert row_texts(page, "Oliver Bennett")[Column.PRIMARY] == "+44 20 7946 0123"
    assert row_texts(page, "Harper Lewis")[Column.DND] == "DND"
    assert row_texts(page, "Hannah Kim")[Column.ASSIGNED] == "Diego Alvarez"
    assert row_texts(page, "Maria Gonzalez")[Column.ASSIGNED] == "Unassigned"

    def search(text: str) -> list[str]:
        page.search.clear()
        qtbot.keyClicks(page.search, text)
        return shown_names(page)

    assert search("555 0111") == ["Maria Gonzalez"]
    assert search("(415) 555") == ["Lily Chen", "Maria Gonzalez"]
    assert set(search("+1415")) == {"Lily Chen", "Maria Gonzalez"}
    assert search("(646) 555-0113") == ["James Whitaker"]  # a secondary number
    assert search("dcohen@") == ["Daniel Cohen"]
    assert search("gonz mar") == ["Maria Gonzalez"]  # every word, any order
    assert search("zz no such") == []
    assert page.stack.currentWidget() is page.empty
    assert "zz no such" in page.empty_detail.text()
    page.search.clear()
    assert page.model.rowCount() == len(expected)
    assert page.stack.currentWidget() is page.table


def test_an_assigned_only_user_sees_only_their_contacts(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    page_for: PageFactory,
) -> None:
    workspace = make_workspace(demo_backend, email=ASSIGNED_ONLY, password=DEMO_PASSWORD)
    wait_first_sync(qtbot, workspace)
    page = page_for(workspace)
    mine = server_contacts(demo_backend, ASSIGNED_ONLY)
    theirs = sorted((c["name"] for c in mine), key=str.lower)
    everyone = server_contacts(demo_backend)
    assert 0 < len(theirs) < len(everyone)
    qtbot.waitUntil(lambda: shown_names(page) == theirs, timeout=SYNC_MS)
    assert "Maria Gonzalez" not in shown_names(page)
    assert page.scope_label.isVisible()
    qtbot.keyClicks(page.search, "555 0111")  # Maria's number: not theirs, not found
    assert shown_names(page) == []
    # Their editor offers no assignment (admins only).
    page.search.clear()
    editor = page.new_contact()
    assert editor is not None
    assert not editor.assignee_combo.isVisible()
    editor.reject()


def test_numbers_and_email_are_checked_as_typed_with_the_error_at_the_field(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    page_for: PageFactory,
) -> None:
    workspace = make_workspace(demo_backend)
    wait_first_sync(qtbot, workspace)
    page = page_for(workspace)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    editor = page.editor
    assert isinstance(editor, ContactEditor)
    assert editor.isVisible()
    assert editor.objectName() == "contactEditor"
    assert editor.isModal()
    assert not editor.save_button.isEnabled()  # no name yet

    qtbot.keyClicks(editor.name_edit, "Nina Park")
    assert editor.save_button.isEnabled()
    qtbot.keyClicks(editor.primary_edit, "415 555")
    message = editor.primary_field.message
    assert message.isVisible()
    assert message.objectName() == "fieldError"
    assert "short" in message.text()
    assert not editor.save_button.isEnabled()
    qtbot.keyClicks(editor.primary_edit, "0190")
    assert message.objectName() == "fieldHint"
    assert "(415) 555-0190" in message.text()
    assert editor.save_button.isEnabled()

    qtbot.keyClicks(editor.secondary_edit, "(415) 555-0190")  # the same number again
    assert editor.secondary_field.message.text() == "The same number as the primary one."
    assert not editor.save_button.isEnabled()
    editor.secondary_edit.clear()
    qtbot.keyClicks(editor.secondary_edit, "+1 212 555 0112")  # James Whitaker's
    assert "James Whitaker already has this number" in editor.secondary_field.message.text()
    editor.secondary_edit.clear()
    assert editor.save_button.isEnabled()

    qtbot.keyClicks(editor.email_edit, "nina@")
    assert editor.email_field.message.objectName() == "fieldError"
    assert not editor.save_button.isEnabled()
    qtbot.keyClicks(editor.email_edit, "example.com")
    assert editor.email_field.message.isHidden()
    assert editor.save_button.isEnabled()
    assert editor.assignee_combo.isVisible()  # an admin assigns
    editor.reject()
    assert workspace.outbox.pending_count() == 0  # nothing was written


def test_a_new_contact_shows_at_once_and_reaches_the_server(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    page_for: PageFactory,
) -> None:
    synced = make_workspace(fresh_backend)
    wait_first_sync(qtbot, synced)
    synced.close()
    workspace = make_workspace(fresh_backend, start=False)  # the create waits in the outbox
    page = page_for(workspace)
    editor = page.new_contact()
    assert editor is not None
    qtbot.keyClicks(editor.name_edit, "Nina Park")
    qtbot.keyClicks(editor.primary_edit, "(415) 555-0190")
    qtbot.keyClicks(editor.secondary_edit, "+1 604 555 0191")
    qtbot.keyClicks(editor.email_edit, "nina.park@example.com")
    diego = next(i for i in range(editor.assignee_combo.count())
                 if editor.assignee_combo.itemText(i) == "Diego Alvarez")
    editor.assignee_combo.setCurrentIndex(diego)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()

    # Offline still: shown at once, pending, selected.
    assert "Nina Park" in shown_names(page)
    texts = row_texts(page, "Nina Park")
    assert texts[Column.NAME] == "Nina Park  ·  Creating…"
    assert texts[Column.SECONDARY] == "(604) 555-0191"
    assert texts[Column.ASSIGNED] == "Diego Alvarez"
    current = page.table.current_id()
    assert current is not None
    assert current.startswith("local-contact-")

    workspace.start()

    def on_server() -> dict[str, Any] | None:
        return next((c for c in server_contacts(fresh_backend) if c["name"] == "Nina Park"), None)

    qtbot.waitUntil(lambda: on_server() is not None, timeout=SYNC_MS)
    created = on_server()
    assert created is not None
    assert [p["number"] for p in created["phones"]] == ["+14155550190", "+16045550191"]
    assert created["email"] == "nina.park@example.com"
    qtbot.waitUntil(
        lambda: row_texts(page, "Nina Park")[Column.NAME] == "Nina Park", timeout=SYNC_MS
    )
    assert shown_names(page).count("Nina Park") == 1  # the local row gave way to the server's
    row = page.model.contact_at(shown_names(page).index("Nina Park"))
    assert row is not None
    assert row.id == created["id"]
    assert row.state is PendingState.NONE
    assert page.table.current_id() == created["id"]  # the selection followed


def test_an_edit_shows_pending_and_a_refusal_reaches_the_refused_list(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    page_for: PageFactory,
) -> None:
    synced = make_workspace(fresh_backend)
    wait_first_sync(qtbot, synced)
    synced.close()
    workspace = make_workspace(fresh_backend, start=False)  # edits wait in the outbox
    page = page_for(workspace)
    qtbot.waitUntil(lambda: "Ethan Brooks" in shown_names(page), timeout=SYNC_MS)
    row = shown_names(page).index("Ethan Brooks")
    page.table.doubleClicked.emit(page.model.index(row, Column.EMAIL))
    editor = page.editor
    assert editor is not None
    assert editor.name_edit.text() == "Ethan Brooks"
    assert editor.primary_edit.text() == "(503) 555-0126"
    editor.primary_edit.clear()
    qtbot.keyClicks(editor.primary_edit, "(503) 555-0199")
    editor.dnd_check.setChecked(True)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    texts = row_texts(page, "Ethan Brooks")
    assert texts[Column.NAME] == "Ethan Brooks  ·  Saving…"
    assert (texts[Column.PRIMARY], texts[Column.DND]) == ("(503) 555-0199", "DND")

    # Meanwhile someone else takes that number on the server: the PATCH will be refused.
    taken = api(fresh_backend).post(
        "/v1/contacts", json={"name": "Other Person", "phones": [{"number": "+15035550199"}]}
    )
    assert taken.status_code == 201, taken.text
    workspace.start()
    qtbot.waitUntil(lambda: workspace.outbox.failed() != [], timeout=SYNC_MS)
    (refused,) = workspace.outbox.failed()
    assert refused.code == "phone_taken"
    assert (refused.kind, refused.subject) == ("contact_edit", "Ethan Brooks")
    assert refused_what(refused) == "Contact change: Ethan Brooks"
    # The refused edit stops showing: the server's values are back, not pending.
    qtbot.waitUntil(
        lambda: row_texts(page, "Ethan Brooks")[Column.NAME] == "Ethan Brooks", timeout=SYNC_MS
    )
    assert row_texts(page, "Ethan Brooks")[Column.PRIMARY] == "(503) 555-0126"
    assert row_texts(page, "Ethan Brooks")[Column.DND] == ""

    dialog = RefusedWritesDialog(workspace.outbox, page)
    try:
        assert dialog.model.rowCount() == 1
        shown = dialog.model.data(dialog.model.index(0, 0), Qt.ItemDataRole.DisplayRole)
        assert shown.startswith("Contact change: Ethan Brooks\n")
    finally:
        dialog.close()
        dialog.deleteLater()


def test_delete_names_the_group_chats_that_keep_the_number_then_deletes(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    page_for: PageFactory,
) -> None:
    synced = make_workspace(fresh_backend)
    wait_first_sync(qtbot, synced)
    synced.close()
    workspace = make_workspace(fresh_backend, start=False)  # the delete waits in the outbox
    page = page_for(workspace)
    assert "Maria Gonzalez" in shown_names(page)
    maria = next(c for c in server_contacts(fresh_backend) if c["name"] == "Maria Gonzalez")
    assert page.select_contact(str(maria["id"]))

    qtbot.keyClick(page.table, Qt.Key.Key_Delete)  # asks first
    box = page.confirm
    assert isinstance(box, QMessageBox)
    assert box.objectName() == "contactDeleteConfirm"
    assert box.isVisible()
    told = box.informativeText()
    assert "Oak Street closing" in told
    assert "(415) 555-0111" in told
    assert "Deleted" in told
    # Cancel: nothing happens.
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert workspace.outbox.pending_count() == 0
    assert "Maria Gonzalez" in shown_names(page)

    box = page.delete_contact(str(maria["id"]))
    assert box is not None
    confirm = next(b for b in box.buttons() if b.objectName() == "confirmDeleteContact")
    confirm.click()
    # At once: still listed, marked as being deleted; gone once the server confirms.
    assert row_texts(page, "Maria Gonzalez")[Column.NAME] == "Maria Gonzalez  ·  Deleting…"
    assert api(fresh_backend).get(f"/v1/contacts/{maria['id']}").status_code == 200
    workspace.start()
    qtbot.waitUntil(lambda: "Maria Gonzalez" not in shown_names(page), timeout=SYNC_MS)
    gone = api(fresh_backend).get(f"/v1/contacts/{maria['id']}")
    assert gone.status_code == 404
    # The group chat keeps her number and now tags her Deleted.
    chats = workspace.contacts.group_chats_with(str(maria["id"]))
    assert [(c.title, c.number) for c in chats] == [("Oak Street closing", "+14155550111")]
    chat = api(fresh_backend).get(f"/v1/group-chats/{chats[0].conversation_id}").json()
    tags = {p["phone"]: p["tags"] for p in chat["participants"]}
    assert "deleted" in tags["+14155550111"]


def test_the_model_passes_the_model_tester_and_fills_lazily(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
) -> None:
    workspace = make_workspace(demo_backend)
    wait_first_sync(qtbot, workspace)
    qtbot.waitUntil(lambda: workspace.contacts.count() > 30, timeout=SYNC_MS)
    model = ContactTableModel(workspace.contacts)
    assert model.fetches == 0  # counting reads no rows
    qtmodeltester.check(model)
    model.set_search("555")
    qtmodeltester.check(model)
    assert model.rowCount() == workspace.contacts.count("555")


def test_row_texts_of_a_refused_new_contact() -> None:
    row = ContactRow(
        id="local-contact-x", name="Ann Lee", phones=(ContactPhoneRow("+14155550190", "primary"),),
        dnd=False, deleted=False, pending=False, state=PendingState.REFUSED,
        refusal="Another contact has this number.", updated_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    assert state_text(row) == "Not saved"
    assert row.phone("primary") is not None
    assert row.phone("secondary") is None
    assert ContactTableModel._tooltip(row, Column.NAME, ("",) * 7) == (
        "Not saved: Another contact has this number."
    )


def test_a_refused_new_contact_stays_marked_until_discarded(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    page_for: PageFactory,
) -> None:
    synced = make_workspace(fresh_backend)
    wait_first_sync(qtbot, synced)
    synced.close()
    workspace = make_workspace(fresh_backend, start=False)
    page = page_for(workspace)
    editor = page.new_contact()
    assert editor is not None
    qtbot.keyClicks(editor.name_edit, "Nina Park")
    qtbot.keyClicks(editor.primary_edit, "(415) 555-0190")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert row_texts(page, "Nina Park")[Column.NAME] == "Nina Park  ·  Creating…"
    # Someone else takes the number first: the server refuses the new contact.
    taken = api(fresh_backend).post(
        "/v1/contacts", json={"name": "Other Person", "phones": [{"number": "+14155550190"}]}
    )
    assert taken.status_code == 201, taken.text
    workspace.start()
    qtbot.waitUntil(
        lambda: row_texts(page, "Nina Park")[Column.NAME] == "Nina Park  ·  Not saved",
        timeout=SYNC_MS,
    )
    row = shown_names(page).index("Nina Park")
    tip = page.model.data(page.model.index(row, Column.NAME), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Not saved: ")
    (refused,) = workspace.outbox.failed()
    assert (refused.code, refused.kind, refused.subject) == (
        "phone_taken", "contact_create", "Nina Park"
    )
    assert refused_what(refused) == "New contact: Nina Park"

    dialog = RefusedWritesDialog(workspace.outbox, page)
    try:
        qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
        assert dialog.model.rowCount() == 0
    finally:
        dialog.close()
        dialog.deleteLater()
    qtbot.waitUntil(lambda: "Nina Park" not in shown_names(page), timeout=SYNC_MS)
    assert [c["name"] for c in server_contacts(fresh_backend)].count("Nina Park") == 0
