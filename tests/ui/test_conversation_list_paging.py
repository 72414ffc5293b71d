"""The conversation list reads a page at a time (a cache can hold 100,000 conversations): the
pages add up to the full list in its order, per filter chip too; a change set places a row
only where the rows read so far reach; a conversation not read yet still opens; the unread
total counts every conversation."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.services.workspace import Workspace, open_workspace
from console.store.session_meta import peek_session
from console.ui.conversation_list import (
    ConversationFilter,
    ConversationListModel,
    ConversationListView,
    matches,
)
from tests.bench.seed_cache import seed

CONVERSATIONS = 650
PAGE = 100


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paging") / "seeded.db"
    seed(path, CONVERSATIONS, 4_000, 11)
    return path


@pytest.fixture
def workspace(seeded: Path, tmp_path: Path) -> Iterator[Workspace]:
    path = tmp_path / "cache.db"
    path.write_bytes(seeded.read_bytes())
    info = peek_session(path)
    assert info is not None
    opened = open_workspace(path, info.server_url, None, info.user)  # offline: cache only
    yield opened
    opened.close()


def _model(workspace: Workspace) -> ConversationListModel:
    model = ConversationListModel()
    model.page_size = PAGE
    model.set_service(workspace.conversations)
    return model


def _write(folder: Path, sql: str, *args: object) -> None:
    """Change the cache file as a sync would have (the workspace's own writer is not needed)."""
    conn = sqlite3.connect(folder / "cache.db", timeout=5)
    with conn:
        conn.execute(sql, args)
    conn.close()


def test_pages_add_up_to_the_whole_list_in_its_order(
    qtbot: QtBot, qtmodeltester: ModelTester, workspace: Workspace
) -> None:
    model = _model(workspace)
    assert model.rowCount() == PAGE
    assert model.canFetchMore()
    qtmodeltester.check(model)
    model.fetch_all()
    everything = workspace.conversations.list_conversations()
    assert len(everything) == CONVERSATIONS == model.total_count()
    assert any(row.last_message_at is None for row in everything)  # the undated tail too
    assert model.conversation_ids() == [row.id for row in everything]
    assert not model.canFetchMore()

    for wanted in (ConversationFilter.GROUP_SMS, ConversationFilter.IN_APP):
        model.set_filter(wanted)
        assert model.rowCount() <= PAGE
        model.fetch_all()
        assert model.conversation_ids() == [r.id for r in everything if matches(r, wanted)]


def test_a_change_set_places_rows_only_within_the_rows_read(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    model = _model(workspace)
    everything = [row.id for row in workspace.conversations.list_conversations()]
    deep, deeper = everything[400], everything[500]
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    _write(tmp_path, "UPDATE conversations SET activity_at = ? WHERE id = ?", now, deep)
    model.refresh([deep, deeper])
    assert model.conversation_ids()[0] == deep  # news: on top at once
    assert model.row_of(deeper) == -1  # unchanged and not read yet: its page brings it
    assert model.rowCount() == PAGE + 1
    model.fetch_all()
    ids = model.conversation_ids()
    assert len(ids) == len(set(ids)) == CONVERSATIONS  # nothing twice, nothing lost
    assert model.row_of(deeper) > 0


def test_unread_total_counts_conversations_not_read_yet(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    deep = workspace.conversations.list_conversations()[-1].id
    _write(tmp_path, "UPDATE conversations SET unread_count = 3 WHERE id = ?", deep)
    model = _model(workspace)
    assert model.row_of(deep) == -1
    assert model.total_unread() == 3
    assert model.contains(deep)
    assert model.known(deep) is not None


def test_a_conversation_not_read_yet_opens_and_is_selected_when_its_page_comes(
    qtbot: QtBot, workspace: Workspace
) -> None:
    model = _model(workspace)
    view = ConversationListView(model)
    qtbot.addWidget(view)
    deep = workspace.conversations.list_conversations()[-1].id
    with qtbot.waitSignal(view.conversationSelected) as opened:
        assert view.select_conversation(deep)
    assert opened.args == [deep]
    assert view.current_conversation_id() == deep
    assert not view.selectionModel().currentIndex().isValid()
    model.fetch_all()
    assert view.selectionModel().currentIndex().row() == model.row_of(deep)
    assert not view.select_conversation("con_nope")
