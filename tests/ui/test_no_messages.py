"""A conversation with no messages (a group chat just made) says what sending there will do,
instead of a blank message area; the first message replaces it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from console.domain.conversations import ConversationKind
from console.ui.empty_state import EmptyState
from console.ui.no_messages import no_messages_text
from console.ui.qt import QAbstractButton, QPlainTextEdit, Qt
from tests.backend.group_chat_support import PhonePool, new_contact
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import (
    MainWindowFactory,
    WorkspaceFactory,
    api,
    offline_copy,
    wait_first_sync,
)

WAIT_MS = 15_000
phone = PhonePool("364")


def test_new_group_chat_shows_no_messages_state_until_the_first_message(
    qtbot: QtBot,
    fresh_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    with api(fresh_backend) as http:
        number = next(n for n in http.get("/v1/numbers").json()["items"] if n["is_default"])
        people = [new_contact(http, phone(), name=n) for n in ("Gia Long", "Hal Berg")]
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
        chat_id = response.json()["id"]

    workspace = make_workspace(fresh_backend)
    wait_first_sync(qtbot, workspace)
    qtbot.waitUntil(
        lambda: workspace.conversations.conversation(chat_id) is not None, timeout=WAIT_MS
    )
    window = window_for(workspace)
    assert window.select_conversation(chat_id)
    state = window.findChild(EmptyState, "noMessagesState")
    assert state is not None
    qtbot.waitUntil(state.isVisible, timeout=2000)
    details = workspace.chat_details.details(chat_id)
    assert details is not None
    assert details.number_display
    assert state.title.text() == "No messages yet"
    assert state.detail.text().startswith(
        f"Messages you send go to all 2 participants from {details.number_display}"
    )
    # It covers the message list's viewport, whatever its size.
    viewport = window.conversation_view.viewport()
    assert state.geometry() == viewport.rect()

    # Another conversation, with messages: none of it.
    others = workspace.conversations.list_conversations()
    busy = next(r for r in others if r.id != chat_id and r.preview)
    assert window.select_conversation(busy.id)
    qtbot.waitUntil(lambda: not state.isVisible(), timeout=2000)

    # Back in the new chat, the first message sent takes its place.
    assert window.select_conversation(chat_id)
    qtbot.waitUntil(state.isVisible, timeout=2000)
    edit = window.compose.findChild(QPlainTextEdit, "composeEdit")
    send = window.compose.findChild(QAbstractButton, "sendButton")
    assert edit is not None
    assert send is not None
    qtbot.waitUntil(edit.isEnabled, timeout=2000)
    edit.setPlainText("Hello both, the inspection is at 10.")
    qtbot.waitUntil(send.isEnabled, timeout=2000)
    qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.conversation_view.model().rowCount() == 1, timeout=WAIT_MS)
    assert not state.isVisible()


def test_no_messages_text_fits_each_kind(
    qtbot: QtBot,
    demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    tmp_path: Path,
) -> None:
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "k.db")
    rows = workspace.conversations.list_conversations()
    direct = next(r for r in rows if r.kind is ConversationKind.DIRECT and r.number_label)
    in_app = next(r for r in rows if r.kind is ConversationKind.IN_APP)
    direct_text = no_messages_text(direct, workspace.chat_details.details(direct.id))
    assert direct_text.startswith(f"Messages you send go to {direct.title} by SMS from ")
    assert direct.number_label in direct_text
    in_app_text = no_messages_text(in_app, workspace.chat_details.details(in_app.id))
    assert in_app_text.startswith(f"Messages you send reach {in_app.title} in the app")
    assert "SMS" not in in_app_text
