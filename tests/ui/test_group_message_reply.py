"""A person's reply to a group message, in the console: it arrives in that person's own
conversation with an unread badge, and the bubble says which group message it answers (by its
title) in its line above, its tooltip and its accessible text. A real backend on loopback."""

from __future__ import annotations

import uuid

from pytestqt.qtbot import QtBot

from console.ui.conversation_list import ConversationListModel
from console.ui.message_model import MessageListModel
from console.ui.qt import Qt
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import MainWindowFactory, WorkspaceFactory, api, wait_first_sync

SYNC_MS = 15_000


def test_a_reply_to_a_group_message_is_marked_in_the_persons_conversation(
    qtbot: QtBot,
    fresh_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    title = f"Tour invite {uuid.uuid4().hex[:6]}"
    with api(fresh_backend) as http:
        person = next(
            c for c in http.get("/v1/contacts", params={"limit": 100}).json()["items"]
            if c["email"] and not c["dnd"]
        )
        group = http.post("/v1/groups", json={"name": f"Reply marking {title}"}).json()
        assert http.put(f"/v1/groups/{group['id']}/members/{person['id']}").status_code == 201
        sent = http.post(
            "/v1/group-messages",
            json={"group_id": group["id"], "sender_user_id": http.get("/v1/me").json()["id"],
                  "title": title, "body": "Tour at 5 on Friday?"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert sent.status_code == 201, sent.text

        workspace = make_workspace(fresh_backend)
        wait_first_sync(qtbot, workspace)
        window = window_for(workspace)
        reply = http.post(f"/v1/people/{person['id']}/replies", json={"body": "Yes please"})
        assert reply.status_code == 201, reply.text
        thread_id = reply.json()["conversation_id"]

    # The reply reaches the console live, in the person's own conversation, unread.
    conversations = window.conversation_list.model()
    assert isinstance(conversations, ConversationListModel)

    def unread_badge() -> int:
        for r in range(conversations.rowCount()):
            index = conversations.index(r, 0)
            if conversations.data(index, ConversationListModel.IdRole) == thread_id:
                return int(conversations.data(index, ConversationListModel.UnreadRole) or 0)
        return 0

    qtbot.waitUntil(lambda: unread_badge() >= 1, timeout=SYNC_MS)
    assert window.select_conversation(thread_id)
    model = window.conversation_panel.model

    def reply_index() -> int | None:
        for r in range(model.rowCount()):
            if model.data(model.index(r, 0), MessageListModel.BodyRole) == "Yes please":
                return r
        return None

    qtbot.waitUntil(lambda: reply_index() is not None, timeout=SYNC_MS)
    index = model.index(reply_index() or 0, 0)
    marker = f"Reply to group message \u201c{title}\u201d"
    assert marker in str(model.data(index, Qt.ItemDataRole.ToolTipRole))
    assert marker in str(model.data(index, Qt.ItemDataRole.AccessibleTextRole))
    # The group message itself, the agent's bubble above it, is not a reply.
    outbound = [
        model.index(r, 0) for r in range(model.rowCount())
        if model.data(model.index(r, 0), MessageListModel.BodyRole) == "Tour at 5 on Friday?"
    ]
    assert outbound
    assert "Reply to group message" not in str(
        model.data(outbound[0], Qt.ItemDataRole.ToolTipRole) or ""
    )
