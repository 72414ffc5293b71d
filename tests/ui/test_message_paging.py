"""Paging through a long conversation in the real view: pages are read off the GUI thread,
the model never holds more than MAX_ROWS rows, what the user reads stays in place as pages
land and rows go, scrolling back down brings the newer rows back, and a jump far back still
lets live messages in once the user is back at the newest.

Thousands of messages are written by the real store (as a sync applies them) into a synced
cache reopened offline, and read back through the real services.
"""

from __future__ import annotations

import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from console.services.mapping import to_change_set
from console.services.workspace import Workspace
from console.ui.conversation_view import PREFETCH_ROWS, ConversationPanel
from console.ui.message_pager import PageLoad
from console.ui.message_pages import MAX_ROWS
from console.ui.qt import QColor, QPoint, QStyleOptionViewItem
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import WorkspaceFactory, newer_rows_left, offline_copy, older_rows_left
from tests.ui.test_message_window import feed_messages

COUNT = 2_000  # twenty pages and more: far past the bound


def long_conversation(
    qtbot: QtBot, backend: BackendProcess, make_workspace: WorkspaceFactory, path: Path
) -> tuple[Workspace, str, list[str]]:
    """A cache whose conversation has COUNT more messages, newest last: (workspace, id, all
    its message keys oldest first)."""
    workspace, conversation_id = offline_copy(qtbot, backend, make_workspace, path)
    feed_messages(path, conversation_id, COUNT, "page")
    newest_first = workspace.conversations.messages(conversation_id, limit=COUNT + 1_000)
    return workspace, conversation_id, [row.key for row in reversed(newest_first)]


def shown_panel(qtbot: QtBot, workspace: Workspace, conversation_id: str) -> ConversationPanel:
    panel = ConversationPanel(workspace.conversations)
    panel.setMinimumSize(700, 500)  # fixed: layout changes then never resize it
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.open(conversation_id)
    bar = panel.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=3000)
    return panel


def contiguous(panel: ConversationPanel, keys: list[str]) -> bool:
    """The loaded rows are one unbroken run of the conversation, in order."""
    shown = panel.model.keys()
    start = keys.index(shown[0])
    return shown == keys[start : start + len(shown)]


def bodies(panel: ConversationPanel) -> list[str]:
    model = panel.model
    return [row.body for row in map(model.message_at, range(model.rowCount())) if row]


def top_row(panel: ConversationPanel) -> tuple[str, int]:
    """The key of the top row shown and where its top is."""
    view, model = panel.view, panel.model
    index = view.indexAt(QPoint(view.viewport().width() // 2, 0))
    row = model.message_at(index.row())
    assert row is not None
    return row.key, view.visualRect(index).top()


def test_scrolling_up_and_back_down_pages_both_ways_within_the_bound(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path
) -> None:
    workspace, conversation_id, keys = long_conversation(
        qtbot, demo_backend, make_workspace, tmp_path / "long.db"
    )
    service = workspace.conversations
    reads: list[str] = []  # the thread of every page read
    for name in ("messages", "messages_after"):
        real = getattr(service, name)

        def spy(*args: object, _real: object = real, **kwargs: object) -> object:
            reads.append(threading.current_thread().name)
            return _real(*args, **kwargs)  # type: ignore[operator]

        setattr(service, name, spy)
    panel = shown_panel(qtbot, workspace, conversation_id)
    view, model = panel.view, panel.model
    bar = view.verticalScrollBar()
    loads: list[PageLoad] = []
    view.pager.pageLoaded.connect(loads.append)
    most = [model.rowCount()]  # rows loaded once each page was in (and rows beyond went)
    view.pager.pageLoaded.connect(lambda load: most.__setitem__(0, max(most[0], load.loaded)))
    reads.clear()  # the first window is read in place (the first paint needs it)

    # Up, a viewport at a time, to the oldest message.
    while model.has_older or view.pager.busy:
        before = len(loads)
        bar.setValue(bar.value() - view.viewport().height())
        shown = view.visible_rows()
        assert shown is not None
        if bar.value() > bar.minimum() and shown[0] >= PREFETCH_ROWS:
            continue  # not near the top yet: no page asked for
        key, top = top_row(panel)
        qtbot.waitUntil(lambda b=before: len(loads) > b or not model.has_older, timeout=5000)  # type: ignore[misc]
        if len(loads) > before:
            # What the user was reading did not move while a page went in above it (and the
            # newest rows went out below).
            assert loads[-1].kind == "older"
            assert model.row_of(key) >= 0
            assert abs(view.visualRect(model.index(model.row_of(key), 0)).top() - top) <= 1
    assert model.keys()[0] == keys[0]
    paged_up = sum(load.rows for load in loads)
    assert paged_up >= COUNT - MAX_ROWS
    # Bounded all the way, not one row per message scrolled past.
    assert most[0] <= MAX_ROWS < COUNT // 4
    assert model.rowCount() <= MAX_ROWS
    assert model.has_newer
    assert contiguous(panel, keys)
    assert reads
    assert all(name != threading.main_thread().name for name in reads)
    # The viewport paints its own background (it is opaque so that scrolling moves pixels).
    background = view.viewport().palette().color(view.viewport().backgroundRole())
    image = view.viewport().grab().toImage()
    assert QColor(image.pixel(3, image.height() // 2)) == background

    # Back down to the newest: the rows dropped on the way up come back, page by page.
    loads.clear()

    def at_newest() -> bool:
        bar.setValue(bar.maximum())
        return not model.has_newer and bar.value() == bar.maximum()

    qtbot.waitUntil(at_newest, timeout=20_000)
    assert model.keys()[-1] == keys[-1]
    assert sum(load.rows for load in loads) >= COUNT - MAX_ROWS
    assert {load.kind for load in loads} == {"newer"}
    assert most[0] <= MAX_ROWS
    assert contiguous(panel, keys)
    assert older_rows_left(model)
    assert all(name != threading.main_thread().name for name in reads)


def test_a_jump_far_back_then_live_messages_reach_the_bottom(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path
) -> None:
    path = tmp_path / "jump.db"
    workspace, conversation_id, keys = long_conversation(qtbot, demo_backend, make_workspace, path)
    panel = shown_panel(qtbot, workspace, conversation_id)
    view, model = panel.view, panel.model
    target = keys[len(keys) - COUNT + 40]  # ~1,960 back

    assert panel.reveal_message(target)
    flash = view.message_delegate.flash
    assert flash.key == target  # on its way: the window around it is read on a worker

    def target_shown() -> bool:
        row = model.row_of(target)
        rect = view.visualRect(model.index(row, 0))
        return row >= 0 and view.viewport().rect().intersects(rect)

    qtbot.waitUntil(target_shown, timeout=5000)
    qtbot.waitUntil(lambda: flash.strength(target) > 0.5, timeout=3000)
    assert model.has_newer
    assert model.row_of(keys[-1]) < 0
    assert contiguous(panel, keys)

    # A message arrives while the user reads far back: it waits for the pages towards it, and
    # what the user reads stays where it is.
    held = top_row(panel)
    panel.apply_changes(to_change_set(feed_messages(path, conversation_id, 1, "while-away")))
    assert not any(body.startswith("while-away") for body in bodies(panel))
    view.doItemsLayout()
    assert top_row(panel) == held

    # Back to the newest (a send does this): the arrival is there, and the next arrivals come
    # in at the bottom, followed.
    view.stick_to_bottom()
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=3000)
    newest = model.message_at(model.rowCount() - 1)
    assert newest is not None
    assert newest.body == "while-away 0"
    assert not newer_rows_left(model)
    for n in range(3):
        panel.apply_changes(to_change_set(feed_messages(path, conversation_id, 1, f"live{n}")))
        qtbot.waitUntil(lambda n=n: view.at_bottom() and (  # type: ignore[misc]
            (last := model.message_at(model.rowCount() - 1)) is not None
            and last.body == f"live{n} 0"
        ), timeout=3000)
    assert model.rowCount() <= MAX_ROWS


def test_sizes_are_measured_once_per_message_and_width(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path
) -> None:
    workspace, conversation_id, _ = long_conversation(
        qtbot, demo_backend, make_workspace, tmp_path / "sizes.db"
    )
    panel = shown_panel(qtbot, workspace, conversation_id)
    view, model = panel.view, panel.model
    delegate = view.message_delegate
    loads: list[PageLoad] = []
    view.pager.pageLoaded.connect(loads.append)
    bar = view.verticalScrollBar()
    bar.setValue(bar.minimum())
    qtbot.waitUntil(lambda: len(loads) == 1, timeout=5000)
    qtbot.waitUntil(lambda: not view.pager.busy, timeout=5000)
    # The page was measured before it went in (a few rows per turn): the layouts after it,
    # and any number more, measure nothing again.
    measured = delegate.measurements
    for _ in range(3):
        view.doItemsLayout()
    assert delegate.measurements == measured
    # A new width measures the loaded rows again; going back to the old one does not.
    width = panel.width()
    panel.resize(width + 120, panel.height())
    qtbot.waitUntil(lambda: delegate.measurements >= measured + model.rowCount(), timeout=3000)
    remeasured = delegate.measurements
    panel.resize(width, panel.height())
    newest = model.index(model.rowCount() - 1, 0)
    qtbot.waitUntil(
        lambda: delegate.sizeHint(QStyleOptionViewItem(), newest).width()
        == view.viewport().width(),
        timeout=3000,
    )
    view.doItemsLayout()
    assert delegate.measurements == remeasured
