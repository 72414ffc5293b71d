"""The contact editor's Do Not Disturb history against a real backend: a STOP the person sent
names its words and number, an agent's change names the agent, and with the server gone the
section says so and Try again loads it once the server is back. Plus the rows' wording."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.domain.phones import format_display
from console.services.dnd_history import DndHistoryRow, DndSourceKind
from console.services.workspace import Workspace
from console.ui.contact_editor import ContactEditor
from console.ui.contacts_page import ContactsPage
from console.ui.dnd_history import DndHistorySection, row_text, when_text
from console.ui.formatting import local
from console.ui.qt import QListWidget, Qt
from tests.backend.group_chat_support import PhonePool, inbound, new_contact
from tests.support.backend_process import BackendProcess, sqlite_url
from tests.ui.conftest import WorkspaceFactory, api, wait_first_sync

WAIT_MS = 15_000
MAIN = "+14155550100"
phone = PhonePool("409")  # numbers no other module uses: the tests share `module_backend`


@pytest.fixture
def page(qtbot: QtBot) -> Iterator[list[ContactsPage]]:
    pages: list[ContactsPage] = []
    yield pages
    for shown in pages:
        shown.set_workspace(None)  # closes an open editor (its worker thread ends)
        shown.close()
        shown.deleteLater()


def contacts_page(qtbot: QtBot, workspace: Workspace, pages: list[ContactsPage]) -> ContactsPage:
    shown = ContactsPage()
    shown.set_workspace(workspace)
    shown.show()
    qtbot.waitExposed(shown)
    pages.append(shown)
    return shown


def open_history(qtbot: QtBot, shown: ContactsPage, contact_id: str) -> DndHistorySection:
    editor = shown.edit_contact(contact_id)
    assert isinstance(editor, ContactEditor)
    qtbot.waitExposed(editor)
    section = editor.dnd_history
    assert section is not None
    view = editor.findChild(QListWidget, "dndHistory")
    assert view is section.view
    assert view.accessibleName()
    assert view.accessibleDescription()
    return section


def shown_rows(section: DndHistorySection) -> list[str]:
    return [section.view.item(i).text() for i in range(section.view.count())]


def loaded(qtbot: QtBot, section: DndHistorySection) -> list[str]:
    qtbot.waitUntil(lambda: section.view.isVisible() and section.view.count() > 0,
                    timeout=WAIT_MS)
    return shown_rows(section)


def test_a_stop_shows_its_words_and_number_and_an_agents_change_their_name(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    page: list[ContactsPage],
) -> None:
    number = phone()
    with api(module_backend) as http:
        contact = new_contact(http, number, name="Rhea Stopwell")
        said = inbound(http, number, [MAIN], "Stop")
        assert said.status_code == 201, said.text
    workspace = make_workspace(module_backend)
    wait_first_sync(qtbot, workspace)
    qtbot.waitUntil(lambda: bool((row := workspace.contacts.contact(contact["id"])) and row.dnd),
                    timeout=WAIT_MS)
    shown = contacts_page(qtbot, workspace, page)

    section = open_history(qtbot, shown, contact["id"])
    [stop] = loaded(qtbot, section)
    assert stop.startswith("On · ")
    assert stop.endswith(f" · Stop from {format_display(number)}")
    assert not section.retry_button.isVisible()

    # The agent turns DND off in the editor; once the change reached the server, the
    # history names them.
    editor = shown.editor
    assert editor is not None
    editor.dnd_check.setChecked(False)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert shown.editor is None or not shown.editor.isVisible()
    with api(module_backend) as http:
        path = f"/v1/contacts/{contact['id']}/dnd-history"
        qtbot.waitUntil(lambda: len(http.get(path).json()["items"]) == 2, timeout=WAIT_MS)
    section = open_history(qtbot, shown, contact["id"])
    rows = loaded(qtbot, section)
    assert len(rows) == 2
    assert rows[0].startswith("Off · ")
    assert rows[0].endswith(" · set by Ava Thompson")
    assert rows[1] == stop
    assert section.view.item(0).toolTip() == rows[0]


def test_offline_the_section_says_so_and_try_again_loads_it_once_the_server_is_back(
    qtbot: QtBot, tmp_path: Path, make_workspace: WorkspaceFactory, page: list[ContactsPage],
) -> None:
    backend = BackendProcess(sqlite_url(tmp_path / "backend.db"), args=["--seed", "demo"]).start()
    try:
        with api(backend) as http:
            # Samuel Ortiz: DND on at import (the demo seed).
            [samuel] = [c for c in http.get("/v1/contacts", params={"q": "Samuel Ortiz"})
                        .json()["items"]]
        workspace = make_workspace(backend)
        wait_first_sync(qtbot, workspace)
        shown = contacts_page(qtbot, workspace, page)
        backend.stop()

        section = open_history(qtbot, shown, samuel["id"])
        qtbot.waitUntil(section.retry_button.isVisible, timeout=WAIT_MS)
        assert section.status.text() == (
            "The history needs the server, which cannot be reached."
        )
        assert not section.view.isVisible()
        assert section.retry_button.accessibleDescription()

        backend.start()
        qtbot.mouseClick(section.retry_button, Qt.MouseButton.LeftButton)
        rows = loaded(qtbot, section)
        assert not section.retry_button.isVisible()
        assert not section.status.isVisible()
        assert len(rows) == 1
        assert rows[0].startswith("On · ")
        assert rows[0].endswith("at import")
    finally:
        backend.stop()


def test_rows_read_as_on_or_off_when_and_who_or_what() -> None:
    at = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
    here = local(at)
    when = f"{here.day} {here:%b} {here:%H:%M}"
    assert when_text(at, now=here) == when
    number = "(415) 555-0111"

    def text(source: DndSourceKind, *, on: bool = True, user_name: str = "",
             keyword: str | None = None, from_phone: str = "") -> str:
        return row_text(DndHistoryRow(on=on, at=at, source=source, user_name=user_name,
                                      keyword=keyword, from_phone=from_phone))

    assert text(DndSourceKind.INBOUND_KEYWORD, keyword="STOP", from_phone=number) == (
        f"On · {when} · STOP from {number}"
    )
    assert text(DndSourceKind.INBOUND_KEYWORD, on=False, keyword="START", from_phone=number) == (
        f"Off · {when} · START from {number}"
    )
    assert text(DndSourceKind.INBOUND_KEYWORD, from_phone=number) == (
        f"On · {when} · a text message from {number}"  # words the caller may not read
    )
    assert text(DndSourceKind.OPT_OUT_CONFIRMED, user_name="Maria Lopez",
                keyword="please stop texting me") == (
        f"On · {when} · confirmed opt-out by Maria Lopez: “please stop texting me”"
    )
    assert text(DndSourceKind.OPT_OUT_CONFIRMED, user_name="Maria Lopez", keyword="stop",
                from_phone=number) == (
        f"On · {when} · confirmed opt-out by Maria Lopez: “stop” from {number}"
    )
    assert text(DndSourceKind.USER, user_name="Ava Thompson") == (
        f"On · {when} · set by Ava Thompson"
    )
    assert text(DndSourceKind.USER) == f"On · {when} · set by a team member"
    assert text(DndSourceKind.SEED) == f"On · {when} · at import"
    assert text(DndSourceKind.OTHER) == f"On · {when}"
    long_words = " ".join(["please"] * 30)
    cut = text(DndSourceKind.OPT_OUT_CONFIRMED, keyword=long_words)
    assert cut.endswith("…”")
    assert len(cut) < 140
    whole = row_text(DndHistoryRow(on=True, at=at, source=DndSourceKind.OPT_OUT_CONFIRMED,
                                   keyword=long_words), whole=True)
    assert long_words in whole
