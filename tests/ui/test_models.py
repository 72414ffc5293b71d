"""Item models over the real services: Qt's model tester, in-place updates, the message window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.services.types import ChangeSet
from console.ui.conversation_list import ConversationListModel, ConversationListView
from console.ui.message_model import PAGE_SIZE, WINDOW_SIZE, MessageListModel
from console.ui.qt import QItemSelectionModel, Qt
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import WorkspaceFactory, offline_copy, older_rows_left, wait_first_sync


def test_conversation_list_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
) -> None:
    workspace = make_workspace(demo_backend)
    wait_first_sync(qtbot, workspace)
    model = ConversationListModel(workspace.conversations)
    qtmodeltester.check(model)
    rows = workspace.conversations.list_conversations()
    assert model.conversation_ids() == [row.id for row in rows]
    first = model.index(0, 0)
    assert first.data(ConversationListModel.TitleRole) == rows[0].title
    assert first.data(Qt.ItemDataRole.DisplayRole) == rows[0].title
    assert first.data(ConversationListModel.UnreadRole) == rows[0].unread_count
    assert model.roleNames()[ConversationListModel.PreviewRole] == b"preview"


def test_message_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
) -> None:
    workspace = make_workspace(demo_backend)
    wait_first_sync(qtbot, workspace)
    # The first with messages: a chat another test made on the shared backend and left empty
    # sorts first by its creation time.
    conversation = next(
        c for c in workspace.conversations.list_conversations()
        if workspace.conversations.messages(c.id)
    )
    model = MessageListModel(workspace.conversations)
    qtmodeltester.check(model)
    model.open(conversation.id)
    newest_first = workspace.conversations.messages(conversation.id)
    assert model.keys() == [row.key for row in reversed(newest_first)]
    assert model.index(0, 0).data(MessageListModel.ShowDayRole) is True


def test_our_models_through_a_proxy_keep_none_references(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path
) -> None:
    # PERFORMANCE.md's trap, with our own models: unknown roles answer None through a proxy.
    # Over a cache with no sync running: a sync thread mid-batch holds thousands of references
    # to None (rows full of NULLs), which would swamp the count measured here.
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "none.db")
    conversations = ConversationListModel(workspace.conversations)
    messages = MessageListModel(workspace.conversations)
    messages.open(conversations.conversation_ids()[0])
    for model in (conversations, messages):
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(model)
        index = proxy.index(0, 0)
        before = sys.getrefcount(None)
        for _ in range(3000):
            # A role no model answers (tooltips now have text: a row's, a delivery's).
            assert proxy.data(index, Qt.ItemDataRole.WhatsThisRole) is None
        assert before - sys.getrefcount(None) < 50


def test_activity_moves_a_row_to_the_top_and_the_selection_follows(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory, tmp_path: Path,
) -> None:
    workspace, last_id = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "c.db")
    service = workspace.conversations
    model = ConversationListModel(service)
    qtmodeltester.check(model)
    view = ConversationListView(model)
    qtbot.addWidget(view)
    selected: list[str] = []
    view.conversationSelected.connect(selected.append)
    second_id = model.conversation_ids()[1]
    assert view.select_conversation(second_id)
    assert selected == [second_id]
    moves: list[object] = []
    model.rowsMoved.connect(lambda *args: moves.append(args))

    # A local send is new activity: the last row moves to the top, in place, not re-added.
    count = model.rowCount()
    service.send(last_id, "Following up on yesterday")
    model.apply_changes(ChangeSet(conversations=frozenset({last_id})))
    assert model.conversation_ids()[0] == last_id
    assert model.rowCount() == count
    assert len(moves) == 1
    assert model.index(0, 0).data(ConversationListModel.PreviewRole) == "Following up on yesterday"
    # The selection stayed on the same conversation, and no new selection was announced.
    assert view.currentIndex().data(ConversationListModel.IdRole) == second_id
    assert view.current_conversation_id() == second_id
    assert selected == [second_id]

    # A reset (e.g. a resync) re-reads everything and keeps the selection by id.
    model.apply_changes(ChangeSet(reset=True))
    assert view.currentIndex().data(ConversationListModel.IdRole) == second_id
    assert view.selectionModel().isSelected(view.currentIndex())
    assert selected == [second_id]

    # Marking read changes the badge in place without moving the row.
    unread_ids = [
        cid for cid in model.conversation_ids()
        if model.index_of(cid).data(ConversationListModel.UnreadRole)
    ]
    assert unread_ids, "the demo seed has unread conversations"
    row = model.row_of(unread_ids[0])
    changed: list[object] = []
    model.dataChanged.connect(lambda *args: changed.append(args))
    service.mark_read(unread_ids[0])
    model.apply_changes(ChangeSet(conversations=frozenset({unread_ids[0]})))
    assert model.row_of(unread_ids[0]) == row
    assert model.index(row, 0).data(ConversationListModel.UnreadRole) == 0
    assert changed
    view.selectionModel().clearSelection()
    view.selectionModel().setCurrentIndex(
        model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    assert selected[-1] == last_id


def test_message_window_pages_older_rows_and_updates_in_place(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory, tmp_path: Path,
) -> None:
    workspace, conversation_id = offline_copy(
        qtbot, demo_backend, make_workspace, tmp_path / "m.db"
    )
    service = workspace.conversations
    for n in range(WINDOW_SIZE + PAGE_SIZE + 20):
        service.send(conversation_id, f"note {n}")
    total = len(service.messages(conversation_id, limit=1000))
    assert total > WINDOW_SIZE + PAGE_SIZE

    model = MessageListModel(service)
    qtmodeltester.check(model)
    model.open(conversation_id)
    assert model.rowCount() == WINDOW_SIZE  # a window, not the whole history
    assert model.has_older
    newest = model.message_at(model.rowCount() - 1)
    assert newest is not None
    assert newest.body == f"note {WINDOW_SIZE + PAGE_SIZE + 19}"

    oldest_shown = model.message_at(0)
    assert model.fetch_older() == PAGE_SIZE
    assert model.rowCount() == WINDOW_SIZE + PAGE_SIZE
    assert model.message_at(PAGE_SIZE) == oldest_shown  # prepended above, nothing reordered
    while older_rows_left(model):
        model.fetch_older()
    assert model.rowCount() == total
    assert len(set(model.keys())) == total
    assert model.fetch_older() == 0

    # A change to a loaded row updates that row in place (same key, same position).
    key = newest.key
    position = model.row_of(key)
    service.send(conversation_id, "one more")
    model.apply_changes(ChangeSet(messages={conversation_id: frozenset({key})}))
    assert model.row_of(key) == position
    assert model.rowCount() == total  # "one more" was not named in the change set
    latest = service.messages(conversation_id, limit=1)[0]
    model.apply_changes(ChangeSet(messages={conversation_id: frozenset({latest.key})}))
    assert model.rowCount() == total + 1
    assert model.message_at(model.rowCount() - 1) == latest

    # Another conversation's changes are none of this model's business.
    model.apply_changes(ChangeSet(messages={"someone-else": frozenset({latest.key})}))
    assert model.rowCount() == total + 1
