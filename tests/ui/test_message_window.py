"""The message window under a catch-up: thousands of new messages arrive as one change set
(written by the real store, read back through the real services), and the model's work and
size stay bounded by the window, checked all along by Qt's model tester."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.services.mapping import to_change_set
from console.services.types import ChangeSet
from console.services.workspace import Workspace
from console.store.apply import apply_events
from console.store.cache import Cache
from console.store.changes import Changes
from console.ui.message_model import BURST_ROWS, JUMP_ROWS, WINDOW_SIZE, MessageListModel
from console.ui.qt import QModelIndex
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import WorkspaceFactory, offline_copy
from tests.unit.cache_factories import message

Inserts = list[tuple[int, int]]


# Later than anything the demo cache holds; each batch starts where the last one ended.
FUTURE = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
_fed = [0]


def feed_messages(cache_path: Path, conversation_id: str, count: int, tag: str) -> Changes:
    """`count` new inbound messages, newer than anything cached, applied as the engine does."""
    start = FUTURE + timedelta(seconds=_fed[0])
    _fed[0] += count
    events = [
        message(f"msg_{tag}_{n}", conversation_id, f"{tag} {n}", when=start + timedelta(seconds=n))
        for n in range(count)
    ]
    cache = Cache.open(cache_path)
    try:
        with cache.write() as conn:
            return apply_events(conn, events)
    finally:
        cache.close()


def bodies(model: MessageListModel) -> list[str]:
    return [model.index(row, 0).data(MessageListModel.BodyRole) for row in range(model.rowCount())]


def watched(model: MessageListModel) -> tuple[Inserts, list[int]]:
    inserts: Inserts = []
    resets: list[int] = []
    model.rowsInserted.connect(lambda _p, first, last: inserts.append((first, last)))
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    return inserts, resets


def opened(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, path: Path,
    qtmodeltester: ModelTester,
) -> tuple[Workspace, str, MessageListModel]:
    workspace, conversation_id = offline_copy(qtbot, demo_backend, make_workspace, path)
    model = MessageListModel(workspace.conversations)
    qtmodeltester.check(model)  # and it keeps checking every change below
    model.open(conversation_id)
    return workspace, conversation_id, model


def test_a_5000_message_burst_goes_in_as_one_block_and_the_window_stays_bounded(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory, tmp_path: Path,
) -> None:
    path = tmp_path / "burst.db"
    _, conversation_id, model = opened(qtbot, demo_backend, make_workspace, path, qtmodeltester)
    before = model.rowCount()
    changes = to_change_set(feed_messages(path, conversation_id, 5_000, "burst"))
    assert len(changes.messages[conversation_id]) == 5_000
    inserts, resets = watched(model)

    model.apply_changes(changes, follow=True)  # the view follows the newest message

    assert resets == []  # rows it kept keep their place (and the view its layout of them)
    assert len(inserts) == 1  # one beginInsertRows for the lot
    first, last = inserts[0]
    assert last - first + 1 == JUMP_ROWS
    assert model.rowCount() == JUMP_ROWS <= WINDOW_SIZE
    assert bodies(model) == [f"burst {n}" for n in range(5_000 - JUMP_ROWS, 5_000)]
    assert model.has_older
    assert before > 0
    # Scrolling up still pages in what came before, in order, without duplicates.
    assert model.fetch_older() > 0
    assert bodies(model)[-JUMP_ROWS - 1] == f"burst {5_000 - JUMP_ROWS - 1}"
    assert len(set(model.keys())) == model.rowCount()


def test_new_rows_go_in_as_one_block_and_a_following_window_is_trimmed(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory, tmp_path: Path,
) -> None:
    path = tmp_path / "trickle.db"
    _, conversation_id, model = opened(qtbot, demo_backend, make_workspace, path, qtmodeltester)
    inserts, resets = watched(model)
    rounds = 1 + WINDOW_SIZE // BURST_ROWS
    for n in range(rounds):  # not following (scrolled up): the window grows, rows appended
        changes = to_change_set(feed_messages(path, conversation_id, BURST_ROWS, f"r{n}"))
        model.apply_changes(changes)
    assert resets == []
    assert len(inserts) == rounds
    assert all(last - first + 1 == BURST_ROWS for first, last in inserts)
    assert model.rowCount() > WINDOW_SIZE
    newest = model.message_at(model.rowCount() - 1)
    assert newest is not None
    assert newest.body == f"r{rounds - 1} {BURST_ROWS - 1}"

    # Back at the bottom: the next change set trims the window back to its size.
    changes = to_change_set(feed_messages(path, conversation_id, 3, "last"))
    model.apply_changes(changes, follow=True)
    assert model.rowCount() == WINDOW_SIZE
    assert model.has_older
    assert bodies(model)[-3:] == ["last 0", "last 1", "last 2"]


def test_a_conversation_gone_from_the_cache_empties_the_model(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory, tmp_path: Path,
) -> None:
    from console.store.feed import apply_after
    from console.store.session_meta import read_cursor
    from tests.unit.cache_factories import event

    path = tmp_path / "gone.db"
    workspace, conversation_id, model = opened(
        qtbot, demo_backend, make_workspace, path, qtmodeltester
    )
    assert model.rowCount() > 0
    cache = Cache.open(path)
    try:
        with cache.read() as conn:
            cursor = read_cursor(conn).cursor
        gone = event("conversation.deleted", {"id": conversation_id, "kind": "direct",
                                              "deleted": True})
        changes = apply_after(cache, [gone], after=cursor, cursor=f"{cursor}-after")
    finally:
        cache.close()
    assert changes is not None
    change_set: ChangeSet = to_change_set(changes)
    model.apply_changes(change_set, follow=True)
    assert model.conversation_id == ""
    assert model.rowCount() == 0
    assert model.index(0, 0) == QModelIndex()
    assert workspace.conversations.conversation(conversation_id) is None
