"""Internal notes in the window, against a real backend: compose's note mode (`noteToggle`, or
Ctrl+Shift+N in compose) writes a note through the outbox; it shows at once as a note card, the
server keeps it with `note: true`, no SMS goes and the conversation's preview stays; a chat
blocked by Do Not Disturb still takes one; a colleague's console gets it through the feed;
History finds it marked "Note", and a CSV export has it only with `exportIncludeNotes` ticked."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path
from typing import Any

import httpx
from pytestqt.qtbot import QtBot

from console.known_errors import DISK_FULL
from console.protocol.demo import DEMO_PASSWORD
from console.services.history import HistoryRow
from console.services.types import LOCAL_WRITE_FAILED, MessageRow
from console.ui.compose import ComposeWidget
from console.ui.error_texts import problem_text
from console.ui.history_page import HistoryPage
from console.ui.main_window import MainWindow
from console.ui.message_model import MessageListModel
from console.ui.qt import QCheckBox, QPushButton, Qt, QToolButton
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import (
    MainWindowFactory,
    WorkspaceFactory,
    api,
    direct_chat,
    wait_first_sync,
)

WAIT_MS = 15_000
COLLEAGUE = "priya.agent@demo.example"  # a user (not an admin) who sees every conversation


def _server_messages(http: httpx.Client, conversation_id: str) -> list[dict[str, Any]]:
    answer = http.get(f"/v1/conversations/{conversation_id}/messages")
    answer.raise_for_status()
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def _rows(model: MessageListModel) -> list[MessageRow]:
    found = [model.message_at(n) for n in range(model.rowCount())]
    return [row for row in found if row is not None]


def _open_chat(qtbot: QtBot, window: MainWindow, conversation_id: str) -> ComposeWidget:
    workspace = window.workspace
    assert workspace is not None
    qtbot.waitUntil(lambda: workspace.conversations.conversation(conversation_id) is not None,
                    timeout=WAIT_MS)
    assert window.select_conversation(conversation_id)
    return window.compose


def test_note_mode_writes_a_note_the_team_sees_and_nobody_is_texted(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    http = api(module_backend)
    conversation_id, _ = direct_chat(http, "Nora Note")
    sent = http.post(f"/v1/conversations/{conversation_id}/messages",
                     json={"body": "Welcome aboard"},
                     headers={"Idempotency-Key": uuid.uuid4().hex})
    assert sent.is_success, sent.text
    workspace = make_workspace(module_backend)
    wait_first_sync(qtbot, workspace)
    colleague = make_workspace(module_backend, cache=tmp_path / "colleague" / "cache.db",
                               email=COLLEAGUE, password=DEMO_PASSWORD)
    wait_first_sync(qtbot, colleague)
    window = window_for(workspace)
    compose = _open_chat(qtbot, window, conversation_id)

    def preview() -> str:
        row = workspace.conversations.conversation(conversation_id)
        return row.preview if row is not None else ""

    qtbot.waitUntil(lambda: preview() == "Welcome aboard", timeout=WAIT_MS)

    # The button turns note mode on and off; everything in compose says which it is.
    toggle = window.findChild(QToolButton, "noteToggle")
    assert toggle is compose.note_toggle
    assert toggle.isCheckable()
    assert toggle.isEnabled()
    toggle.click()
    assert _noting(compose)
    assert toggle.isChecked()
    send = window.findChild(QPushButton, "sendButton")
    assert send is compose.send_button
    assert send.text() == "Add note"
    assert compose.edit.placeholderText() == "Write an internal note — only your team sees it"
    assert compose.edit.property("note") is True
    compose.edit.setPlainText("draft")
    assert compose.counter.text() == "Internal note · not sent"  # no SMS segments
    assert send.isEnabled()
    assert not compose.schedule_button.isEnabled()
    assert not compose.request_schedule()  # a note is never scheduled
    toggle.click()
    assert not _noting(compose)
    assert send.text() == "Send"
    assert "SMS segment" in compose.counter.text()
    assert compose.schedule_button.isEnabled()

    # Ctrl+Shift+N while compose has focus, then Ctrl+Enter adds the note.
    body = f"Gate code 4411 {uuid.uuid4().hex[:10]}"
    compose.edit.setFocus()
    compose.edit.clear()
    qtbot.keyClick(compose.edit, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert _noting(compose)
    compose.edit.setPlainText(body)
    qtbot.keyClick(compose.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert compose.text() == ""
    assert not _noting(compose)  # each note is deliberate: the next text is a message again
    assert send.text() == "Send"

    # At once in the conversation, as a note card (its header, no status tick).
    model = window.conversation_panel.model

    def shown() -> MessageRow | None:
        return next((r for r in _rows(model) if r.body == body), None)

    qtbot.waitUntil(lambda: shown() is not None, timeout=WAIT_MS)
    row = shown()
    assert row is not None
    assert row.note
    index = model.index(model.row_of(row.key), 0)
    assert model.data(index, MessageListModel.NoteRole) is True
    assert model.roleNames()[MessageListModel.NoteRole] == b"note"
    header, _ = window.conversation_view.message_delegate.status_lines(index)
    assert header.startswith("Internal note · ")

    # The server has it as a note; no SMS went (the only message that is not a note is the
    # one sent before); the row was filled in place, and the preview did not move.
    def on_server() -> list[dict[str, Any]]:
        return [m for m in _server_messages(http, conversation_id) if m["body"] == body]

    qtbot.waitUntil(lambda: len(on_server()) == 1, timeout=WAIT_MS)
    kept = on_server()[0]
    assert kept["note"] is True
    assert (kept["direction"], kept["status"]) == ("out", "sent")
    assert kept["author_user_id"] == workspace.session.user.id
    assert [m["body"] for m in _server_messages(http, conversation_id) if not m["note"]] == [
        "Welcome aboard"]
    qtbot.waitUntil(lambda: (shown() or row).server_id == kept["id"], timeout=WAIT_MS)
    assert [r.key for r in _rows(model) if r.body == body] == [row.key]
    assert not [r for r in _rows(model) if r.direction == "out" and not r.note
                and r.status in ("pending", "queued")]
    assert preview() == "Welcome aboard"

    # A colleague who sees the conversation gets it through the feed, marked as a note.
    def at_colleague() -> list[MessageRow]:
        return [r for r in colleague.conversations.messages(conversation_id) if r.body == body]

    qtbot.waitUntil(lambda: len(at_colleague()) == 1, timeout=WAIT_MS)
    assert at_colleague()[0].note
    theirs = colleague.conversations.conversation(conversation_id)
    assert theirs is not None
    assert theirs.preview == "Welcome aboard"

    # History finds it, marked "Note"; an export has it only when asked for.
    window.show_history_action.trigger()
    page = window.findChild(HistoryPage, "historyPage")
    assert page is not None
    word = body.rsplit(" ", 1)[1]
    page.search.setText(word)
    qtbot.waitUntil(lambda: page.model.filter.query == word and _settled(page), timeout=WAIT_MS)
    found = _history(page)
    assert [(r.body, r.note) for r in found] == [(body, True)]
    state = page.model.data(page.model.index(0, 0), page.model.StateRole)
    assert state == "Note"
    include = window.findChild(QCheckBox, "exportIncludeNotes")
    assert include is page.include_notes
    assert not include.isChecked()  # off by default
    left_out = tmp_path / "without.csv"
    with qtbot.waitSignal(page.exporter.exported, timeout=WAIT_MS) as done:
        assert page.exporter.export_to(left_out)
    assert done.args == [str(left_out), 0]
    assert body not in left_out.read_text(encoding="utf-8-sig")
    include.setChecked(True)
    kept_in = tmp_path / "with.csv"
    with qtbot.waitSignal(page.exporter.exported, timeout=WAIT_MS) as done:
        assert page.exporter.export_to(kept_in)
    assert done.args == [str(kept_in), 1]
    with kept_in.open(newline="", encoding="utf-8-sig") as handle:
        table = list(csv.reader(handle))
    assert [(line[5], line[6], line[7]) for line in table[1:]] == [("note", "Note", body)]


def test_a_note_is_allowed_in_a_chat_blocked_by_do_not_disturb(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    conversation_id, _ = direct_chat(http, "Dora Dnd")
    contact_id = http.get(f"/v1/conversations/{conversation_id}").json()["contact_id"]
    http.post(f"/v1/contacts/{contact_id}/dnd", json={"dnd": True}).raise_for_status()
    workspace = make_workspace(module_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    compose = _open_chat(qtbot, window, conversation_id)
    qtbot.waitUntil(lambda: compose.read_only_reason() is not None, timeout=WAIT_MS)
    assert not compose.edit.isEnabled()  # no message may be sent here
    assert compose.note_toggle.isEnabled()  # but a note may be written

    compose.note_toggle.click()
    assert _noting(compose)
    assert compose.edit.isEnabled()
    assert not compose.error.isVisible()  # the reason stops sends, not notes
    body = f"Asked not to be texted {uuid.uuid4().hex[:8]}"
    compose.edit.setPlainText(body)
    assert compose.send_button.isEnabled()
    assert compose.submit()
    assert not _noting(compose)
    assert not compose.edit.isEnabled()  # back to the blocked chat it is
    assert compose.error.isVisible()

    def on_server() -> list[dict[str, Any]]:
        return [m for m in _server_messages(http, conversation_id) if m["body"] == body]

    qtbot.waitUntil(lambda: len(on_server()) == 1, timeout=WAIT_MS)
    assert on_server()[0]["note"] is True
    row = workspace.conversations.conversation(conversation_id)
    assert row is not None
    assert row.preview == ""

    # A note the cache refused (the chat went meanwhile) comes back in note mode: a second
    # Ctrl+Enter cannot send it to the person as a message.
    window._noteRefused.emit(conversation_id, "Lost note", "not_found",
                             "This conversation is not available.")
    qtbot.waitUntil(lambda: compose.text() == "Lost note", timeout=WAIT_MS)
    assert _noting(compose)
    assert compose.edit.isEnabled()
    assert "The note was not added" in compose.error.text()

    # A write this computer could not make is told as what to do, not as an exception's words.
    compose.edit.clear()
    compose.set_note_mode(False)
    window._sendRefused.emit(conversation_id, "Lost on a full disk", "disk_full",
                             "The message could not be saved.")
    qtbot.waitUntil(lambda: compose.text() == "Lost on a full disk", timeout=WAIT_MS)
    assert compose.error.text().startswith(problem_text(DISK_FULL))
    assert "could not be saved" not in compose.error.text()
    compose.edit.clear()
    window._noteRefused.emit(conversation_id, "Lost to a bug", LOCAL_WRITE_FAILED,
                             "The note could not be saved.")
    qtbot.waitUntil(lambda: compose.text() == "Lost to a bug", timeout=WAIT_MS)
    assert compose.error.text().startswith("It could not be saved on this computer. Try again")


def _noting(compose: ComposeWidget) -> bool:
    """`compose.note_mode`, read through a call: a type checker keeps what an earlier assert
    on the property said, past the clicks that change it."""
    return compose.note_mode


def _settled(page: HistoryPage) -> bool:
    return not page.model.searching and page.model.total is not None


def _history(page: HistoryPage) -> list[HistoryRow]:
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    return [r for r in rows if r is not None]
