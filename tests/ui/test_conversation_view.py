"""The conversation pane's scrolling rules, with real services over an offline cache copy."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from console.domain.conversations import ConversationKind
from console.services.mapping import to_change_set
from console.services.workspace import Workspace
from console.store.models import conversations
from console.ui.bridge import ServiceBridge
from console.ui.conversation_list import subtitle_text
from console.ui.conversation_view import ConversationPanel
from console.ui.message_model import JUMP_ROWS, PAGE_SIZE, WINDOW_SIZE, MessageListModel
from console.ui.message_pager import PageLoad
from console.ui.message_pages import MAX_ROWS
from console.ui.qt import (
    QGuiApplication,
    QModelIndex,
    QPoint,
    QScrollBar,
    QStyleOptionViewItem,
    Qt,
)
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import WorkspaceFactory, offline_copy
from tests.ui.test_message_window import bodies, feed_messages

EXTRA = 20


def shown_panel(qtbot: QtBot, workspace: Workspace) -> tuple[ConversationPanel, ServiceBridge]:
    panel = ConversationPanel(workspace.conversations)
    panel.setMinimumSize(700, 500)  # fixed: layout changes then never resize the window
    qtbot.addWidget(panel)
    bridge = ServiceBridge(panel)
    bridge.track(workspace.conversations.changes.connect(bridge.on_changes))
    bridge.changes.connect(panel.apply_changes)
    panel.show()
    qtbot.waitExposed(panel)
    return panel, bridge


def at_bottom(bar: QScrollBar) -> bool:
    return bar.maximum() > 0 and bar.value() == bar.maximum()


def test_opens_at_the_bottom_pages_older_on_top_and_follows_new_messages(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path
) -> None:
    workspace, conversation_id = offline_copy(
        qtbot, demo_backend, make_workspace, tmp_path / "v.db"
    )
    service = workspace.conversations
    for n in range(WINDOW_SIZE + EXTRA):
        service.send(conversation_id, f"line {n}\nwith a second line to make rows taller")
    panel, bridge = shown_panel(qtbot, workspace)
    panel.open(conversation_id)
    bar = panel.view.verticalScrollBar()
    model = panel.model
    assert model.rowCount() == WINDOW_SIZE

    # Opens at the newest message.
    qtbot.waitUntil(lambda: at_bottom(bar), timeout=3000)

    # Scrolling to the top brings the previous page above, keeping the same rows in view.
    bar.setValue(bar.minimum())
    qtbot.waitUntil(lambda: model.rowCount() > WINDOW_SIZE, timeout=3000)
    assert model.rowCount() <= WINDOW_SIZE + PAGE_SIZE
    first_before = model.message_at(model.rowCount() - WINDOW_SIZE)
    assert first_before is not None

    def still_in_view_near_the_top() -> bool:
        # Its day separator may go (the older page holds that day's start), so allow a little.
        rect = panel.view.visualRect(model.index(model.row_of(first_before.key), 0))
        return rect.bottom() > 0 and rect.top() < panel.view.viewport().height() // 3

    qtbot.waitUntil(still_in_view_near_the_top, timeout=3000)
    assert bar.value() > 0

    # In the middle of the history, a new message does not yank the view down.
    bar.setValue(bar.maximum() // 2)
    held = bar.value()
    service.send(conversation_id, "while reading older messages")

    def newest_body() -> str:
        newest = model.message_at(model.rowCount() - 1)
        return newest.body if newest else ""

    qtbot.waitUntil(lambda: newest_body() == "while reading older messages", timeout=3000)
    assert bar.value() == held

    # At the bottom, a new message keeps the view at the bottom, and the window goes back to
    # its size: what scrolled out of sight above is let go (scrolling up pages it in again).
    bar.setValue(bar.maximum())
    assert model.rowCount() > WINDOW_SIZE
    service.send(conversation_id, "newest")
    qtbot.waitUntil(lambda: newest_body() == "newest", timeout=3000)
    assert model.rowCount() == WINDOW_SIZE
    assert model.has_older
    qtbot.waitUntil(lambda: at_bottom(bar), timeout=3000)
    last = panel.view.indexAt(QPoint(10, panel.view.viewport().height() - 10))
    assert last.data(MessageListModel.BodyRole) == "newest"
    bridge.close()


def test_header_shows_title_and_subtitle(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path
) -> None:
    workspace, conversation_id = offline_copy(
        qtbot, demo_backend, make_workspace, tmp_path / "h.db"
    )
    row = workspace.conversations.conversation(conversation_id)
    assert row is not None
    panel, bridge = shown_panel(qtbot, workspace)
    panel.open(conversation_id)
    assert panel.header.title.text() == row.title
    assert subtitle_text(row) in panel.header.subtitle.text()
    assert panel.view.objectName() == "conversationView"
    panel.open("")
    assert panel.header.title.text() == ""
    assert panel.model.rowCount() == 0
    bridge.close()


def test_bubbles_are_laid_out_for_the_width_the_view_has_now(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path
) -> None:
    workspace, conversation_id = offline_copy(
        qtbot, demo_backend, make_workspace, tmp_path / "w.db"
    )
    for n in range(EXTRA):
        workspace.conversations.send(conversation_id, f"message {n} " + "word " * 30)
    panel, bridge = shown_panel(qtbot, workspace)
    panel.open(conversation_id)
    view, model = panel.view, panel.model
    delegate = view.message_delegate
    newest = model.index(model.rowCount() - 1, 0)

    def laid_out_for(width: int) -> bool:
        return delegate.sizeHint(QStyleOptionViewItem(), newest).width() == width

    # With a scroll bar (the delegate hears of the narrower viewport too).
    qtbot.waitUntil(lambda: view.verticalScrollBar().isVisible(), timeout=3000)
    assert laid_out_for(view.viewport().width())
    tall = delegate.sizeHint(QStyleOptionViewItem(), newest).height()
    for width in (1200, 900):
        panel.resize(width, 600)
        qtbot.waitUntil(lambda: laid_out_for(view.viewport().width()), timeout=3000)
    # Narrower than the bubble's widest: the text wraps onto more lines.
    panel.setMinimumSize(0, 0)
    panel.resize(420, 600)
    qtbot.waitUntil(lambda: laid_out_for(view.viewport().width()), timeout=3000)
    assert delegate.sizeHint(QStyleOptionViewItem(), newest).height() > tall
    bridge.close()


def test_a_burst_while_following_is_read_off_the_gui_thread_and_nothing_is_missed(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A catch-up names hundreds of new messages per change set. Following the newest
    message, the panel reads them on the pager's worker, never on the GUI thread; a burst
    that comes while that read is on its way is covered by one more read; and if the user
    scrolls away before it lands, the arrivals still go in the ordinary way."""
    path = tmp_path / "follow.db"
    workspace, conversation_id = offline_copy(qtbot, demo_backend, make_workspace, path)
    service = workspace.conversations
    panel, bridge = shown_panel(qtbot, workspace)
    panel.open(conversation_id)
    model, bar = panel.model, panel.view.verticalScrollBar()
    qtbot.waitUntil(lambda: panel.view.at_bottom(), timeout=3000)

    on_gui_thread: list[bool] = []
    read = service.messages

    def recorded(*args: object, **kwargs: object) -> object:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "messages", recorded)
    loads: list[PageLoad] = []
    panel.view.pager.pageLoaded.connect(loads.append)

    def newest_body() -> str:
        newest = model.message_at(model.rowCount() - 1)
        return newest.body if newest else ""

    # Two bursts, the second before the first's read has landed (no event loop turn between).
    panel.apply_changes(to_change_set(feed_messages(path, conversation_id, 400, "first")))
    assert newest_body() != "first 399"  # not read here
    panel.apply_changes(to_change_set(feed_messages(path, conversation_id, 400, "second")))
    qtbot.waitUntil(lambda: newest_body() == "second 399", timeout=5000)
    assert on_gui_thread
    assert True not in on_gui_thread
    assert [load.kind for load in loads] == ["newest", "newest"]
    assert model.rowCount() == JUMP_ROWS
    assert bodies(model) == [f"second {n}" for n in range(400 - JUMP_ROWS, 400)]
    qtbot.waitUntil(lambda: panel.view.at_bottom() and bar.value() == bar.maximum(), timeout=3000)

    # A burst, then the user scrolls up before its read lands: nothing is followed, and
    # nothing that arrived is missing from the window.
    panel.apply_changes(to_change_set(feed_messages(path, conversation_id, 300, "third")))
    bar.setValue(bar.minimum())
    assert not panel.view.at_bottom()
    qtbot.waitUntil(lambda: not panel.view.pager.busy, timeout=5000)
    qtbot.waitUntil(lambda: newest_body() == "third 299", timeout=5000)
    assert model.rowCount() <= MAX_ROWS  # the window stays bounded
    assert len(loads) == 2  # that read was not shown
    bridge.close()


def test_a_follow_overtaken_by_a_jump_or_another_chat_leaves_nothing_stuck_or_missing(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path,
) -> None:
    """A read of the newest rows on its way when the user jumps to an old message, or opens
    another chat: later arrivals still show, in whichever chat is open."""
    path = tmp_path / "overtaken.db"
    workspace, first = offline_copy(qtbot, demo_backend, make_workspace, path)
    second = workspace.conversations.list_conversations()[0].id
    assert second != first
    panel, bridge = shown_panel(qtbot, workspace)
    model = panel.model

    def newest_body() -> str:
        newest = model.message_at(model.rowCount() - 1)
        return newest.body if newest else ""

    # A jump overtakes the read: once back at the newest, the next burst is followed.
    panel.open(first)
    far = model.keys()[0]
    qtbot.waitUntil(lambda: panel.view.at_bottom(), timeout=3000)
    panel.apply_changes(to_change_set(feed_messages(path, first, 300, "a")))
    qtbot.waitUntil(lambda: newest_body() == "a 299", timeout=5000)
    assert model.row_of(far) < 0  # out of the window: a jump to it reads around it
    qtbot.waitUntil(lambda: panel.view.at_bottom(), timeout=3000)
    loads: list[PageLoad] = []
    panel.view.pager.pageLoaded.connect(loads.append)
    panel.apply_changes(to_change_set(feed_messages(path, first, 300, "b")))  # a read goes
    assert panel.view.pager.busy
    assert panel.reveal_message(far)  # ...and the jump's read overtakes it
    qtbot.waitUntil(lambda: [load.kind for load in loads] == ["around"], timeout=5000)
    assert model.row_of(far) >= 0
    qtbot.waitUntil(lambda: not panel.view.pager.busy, timeout=5000)
    panel.view.stick_to_bottom()
    qtbot.waitUntil(lambda: newest_body() == "b 299", timeout=5000)
    panel.apply_changes(to_change_set(feed_messages(path, first, 300, "c")))
    qtbot.waitUntil(lambda: newest_body() == "c 299", timeout=5000)

    # Another chat opens while the read for the first is on its way; a burst comes for it.
    panel.apply_changes(to_change_set(feed_messages(path, first, 300, "d")))
    panel.open(second)
    panel.apply_changes(to_change_set(feed_messages(path, second, 300, "e")))
    qtbot.waitUntil(lambda: newest_body() == "e 299", timeout=5000)
    assert model.conversation_id == second
    qtbot.waitUntil(lambda: not panel.view.pager.busy, timeout=5000)
    panel.apply_changes(to_change_set(feed_messages(path, second, 300, "f")))
    qtbot.waitUntil(lambda: newest_body() == "f 299", timeout=5000)
    bridge.close()


def test_a_message_that_comes_with_a_new_person_for_the_chat_shows_that_person(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path,
) -> None:
    """A message in the open chat re-reads only its row, unless the chat's person, number
    or participants changed with it (two contacts merged on the server, say): then the
    person panel follows."""
    path = tmp_path / "person.db"
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, path)
    service = workspace.conversations
    direct = [r.id for r in service.list_conversations() if r.kind is ConversationKind.DIRECT]
    chat, other = direct[0], direct[1]
    them, someone_else = service.contact_of(chat), service.contact_of(other)
    assert them
    assert someone_else
    assert them != someone_else
    panel, bridge = shown_panel(qtbot, workspace)
    panel.set_workspace(workspace)  # the person panel reads contacts and groups too
    panel.open(chat)
    assert panel.person_panel.contact_id == them

    # A message alone: the same person, not read again.
    reloads: list[int] = []
    reload = panel.person_panel.reload

    def counted() -> None:
        reloads.append(1)
        reload()

    panel.person_panel.reload = counted  # type: ignore[method-assign]
    panel.apply_changes(to_change_set(feed_messages(path, chat, 1, "alone")))
    assert reloads == []
    assert panel.person_panel.contact_id == them
    assert panel.conversation is not None
    assert panel.conversation.preview == "alone 0"

    # A message with the chat's person changed: the panel shows the new one.
    with workspace._cache.write() as conn:
        conn.execute(
            update(conversations).where(conversations.c.id == chat)
            .values(contact_id=someone_else)
        )
    panel.apply_changes(to_change_set(feed_messages(path, chat, 1, "merged")))
    assert panel.person_panel.contact_id == someone_else
    assert reloads == [1]
    bridge.close()


def test_a_message_is_copied_from_its_menu_or_with_ctrl_c(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory, tmp_path: Path,
) -> None:
    workspace, conversation_id = offline_copy(
        qtbot, demo_backend, make_workspace, tmp_path / "copy.db"
    )
    panel, bridge = shown_panel(qtbot, workspace)
    panel.open(conversation_id)
    model, view = panel.model, panel.view
    assert model.rowCount() >= 2
    clipboard = QGuiApplication.clipboard()

    newest = model.index(model.rowCount() - 1, 0)
    menu = view.message_menu(newest)
    assert menu is not None
    assert menu.objectName() == "messageMenu"
    assert [a.text() for a in menu.actions()] == ["&Copy text"]
    clipboard.setText("")
    menu.actions()[0].trigger()
    assert clipboard.text() == newest.data(MessageListModel.BodyRole) != ""
    menu.deleteLater()

    older = model.index(model.rowCount() - 2, 0)
    view.setFocus(Qt.FocusReason.TabFocusReason)
    view.setCurrentIndex(older)
    clipboard.setText("")
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == older.data(MessageListModel.BodyRole) != ""
    assert view.message_menu(QModelIndex()) is None  # off any message: no menu
    bridge.close()
