"""Find in a conversation (Ctrl+F): the bar, its count, next/previous with wrapping, the marks
painted in the bubbles, a match far outside the loaded rows, and Esc.

A real backend syncs a cache that is then reopened offline (tests/ui/conftest.py offline_copy):
the messages written here stay pending and are indexed for search as the app indexes a send.
"""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from console.domain.conversations import ConversationKind
from console.services.workspace import Workspace
from console.ui.conversation_search import WRAP_TO_NEWEST, WRAP_TO_OLDEST
from console.ui.main_window import MainWindow
from console.ui.message_delegate import MATCH_CURRENT, MATCH_OTHER
from console.ui.message_model import WINDOW_SIZE, MessageListModel
from console.ui.message_pages import MAX_ROWS
from console.ui.qt import QColor, QImage, QLineEdit, QRect, Qt
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import MainWindowFactory, WorkspaceFactory, offline_copy

SENT = 400
EVERY = 50  # every 50th message mentions the zebra: 8 of them, most far back


def direct_conversation(workspace: Workspace) -> str:
    rows = workspace.conversations.list_conversations()
    return next(r.id for r in reversed(rows) if r.kind is ConversationKind.DIRECT)


def fill(workspace: Workspace, conversation_id: str) -> tuple[list[str], list[str]]:
    """SENT messages, oldest first; (all keys, the zebra ones' keys newest first)."""
    keys: list[str] = []
    zebras: list[str] = []
    for n in range(SENT):
        zebra = n % EVERY == 5
        body = f"Zebra crossing near lot {n:03d}" if zebra else f"Note {n:03d} on the lease"
        key = workspace.conversations.send(conversation_id, body).key
        keys.append(key)
        if n % EVERY == 5:
            zebras.append(key)
    return keys, list(reversed(zebras))


def row_visible(window: MainWindow, key: str) -> bool:
    view = window.conversation_view
    model = window.conversation_panel.model
    row = model.row_of(key)
    if row < 0:
        return False
    rect = view.visualRect(model.index(row, 0))
    return rect.isValid() and view.viewport().rect().intersects(rect)


def field(window: MainWindow) -> QLineEdit:
    found = window.findChild(QLineEdit, "conversationSearch")
    assert found is not None
    return found


def count_text(window: MainWindow) -> str:
    return window.conversation_panel.search.bar.count.text()


def has_color(image: QImage, color: QColor) -> bool:
    """Whether `image` has a patch of `color`'s hue (the mark behind a match; a pending bubble
    is painted a little see-through, so the exact colour blends with the bubble's)."""
    hue = color.hsvHue()
    found = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = QColor(image.pixel(x, y))
            if pixel.hsvSaturation() > 60 and pixel.value() > 150 and abs(pixel.hsvHue() - hue) < 8:
                found += 1
    return found > 20


def open_window(
    qtbot: QtBot, backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> tuple[MainWindow, Workspace, str, list[str], list[str]]:
    workspace, _ = offline_copy(qtbot, backend, make_workspace, tmp_path / "cache.db")
    conversation_id = direct_conversation(workspace)
    keys, zebras = fill(workspace, conversation_id)
    window = window_for(workspace)
    assert window.select_conversation(conversation_id)
    window.compose.edit.setFocus()
    qtbot.waitUntil(lambda: window.compose.edit.hasFocus(), timeout=2000)
    return window, workspace, conversation_id, keys, zebras


def test_ctrl_f_counts_steps_wraps_marks_and_reaches_far_matches(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    window, _, _, _, zebras = open_window(
        qtbot, demo_backend, make_workspace, window_for, tmp_path
    )
    panel = window.conversation_panel
    search = panel.search
    model = panel.model
    # Most of the matches are far outside the loaded rows.
    assert sum(model.row_of(k) >= 0 for k in zebras) <= 1
    assert model.rowCount() <= WINDOW_SIZE

    qtbot.keyClick(window.compose.edit, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert search.is_open()
    qtbot.waitUntil(lambda: field(window).hasFocus(), timeout=2000)

    qtbot.keyClicks(field(window), "zeb")  # a prefix, as typed
    qtbot.waitUntil(lambda: count_text(window) == f"1 of {len(zebras)}", timeout=5000)
    assert search.keys == tuple(zebras)  # newest first
    assert search.current_key == zebras[0]
    qtbot.waitUntil(lambda: row_visible(window, zebras[0]), timeout=3000)

    # Enter: the next older match, scrolled to; Shift+Enter back.
    qtbot.keyClick(field(window), Qt.Key.Key_Return)
    assert count_text(window) == f"2 of {len(zebras)}"
    qtbot.waitUntil(lambda: row_visible(window, zebras[1]), timeout=3000)
    qtbot.keyClick(field(window), Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert count_text(window) == f"1 of {len(zebras)}"
    assert search.current_key == zebras[0]

    # Shift+Enter at the newest wraps to the oldest (~395 messages back), with a hint.
    qtbot.keyClick(field(window), Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert count_text(window) == f"{len(zebras)} of {len(zebras)}"
    assert search.current_key == zebras[-1]
    assert search.bar.hint.isVisible()
    assert search.bar.hint.text() == WRAP_TO_OLDEST
    qtbot.waitUntil(lambda: row_visible(window, zebras[-1]), timeout=3000)
    assert model.has_newer  # a window around it, not every row since
    # F3 from the oldest wraps to the newest.
    qtbot.keyClick(field(window), Qt.Key.Key_F3)
    assert search.current_key == zebras[0]
    assert search.bar.hint.text() == WRAP_TO_NEWEST
    qtbot.waitUntil(lambda: row_visible(window, zebras[0]), timeout=3000)
    qtbot.keyClick(field(window), Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert search.current_key == zebras[-1]
    qtbot.keyClick(field(window), Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert search.current_key == zebras[-2]
    qtbot.waitUntil(lambda: row_visible(window, zebras[-2]), timeout=3000)

    # The roles: marks in every matching body loaded, the current one flagged.
    current = model.index(model.row_of(zebras[-2]), 0)
    assert current.data(MessageListModel.CurrentMatchRole) is True
    assert current.data(MessageListModel.MatchSpansRole) == ((0, 3),)
    other = model.index(model.row_of(zebras[-1]), 0)
    assert other.data(MessageListModel.CurrentMatchRole) is False
    assert other.data(MessageListModel.MatchSpansRole) == ((0, 3),)
    plain = next(
        model.index(r, 0) for r in range(model.rowCount())
        if model.message_at(r) is not None and model.message_at(r).key not in zebras  # type: ignore[union-attr]
    )
    assert plain.data(MessageListModel.MatchSpansRole) == ()
    # ... and painted: the current match orange, another yellow.
    view = window.conversation_view
    qtbot.waitUntil(lambda: row_visible(window, zebras[-2]), timeout=3000)
    image = view.viewport().grab(view.visualRect(current)).toImage()
    assert has_color(image, MATCH_CURRENT)
    assert not has_color(image, MATCH_OTHER)
    view.scrollTo(other)
    qtbot.waitUntil(lambda: row_visible(window, zebras[-1]), timeout=3000)
    shown = view.visualRect(other).intersected(QRect(view.viewport().rect()))
    image = view.viewport().grab(shown).toImage()
    assert has_color(image, MATCH_OTHER)
    assert not has_color(image, MATCH_CURRENT)

    # Esc closes, clears the marks and gives the focus back to the compose box.
    qtbot.keyClick(field(window), Qt.Key.Key_Escape)
    assert not search.is_open()
    qtbot.waitUntil(lambda: window.compose.edit.hasFocus(), timeout=2000)
    assert current.data(MessageListModel.MatchSpansRole) == ()
    assert current.data(MessageListModel.CurrentMatchRole) is False


def test_scrolling_down_from_a_far_match_pages_in_the_newer_messages(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    window, _, _, keys, zebras = open_window(
        qtbot, demo_backend, make_workspace, window_for, tmp_path
    )
    panel = window.conversation_panel
    model = panel.model
    assert panel.reveal_message(zebras[-1])
    qtbot.waitUntil(lambda: row_visible(window, zebras[-1]), timeout=3000)  # read on a worker
    assert model.has_newer
    assert model.row_of(keys[-1]) < 0
    view = window.conversation_view
    bar = view.verticalScrollBar()
    pages: list[int] = []
    view.pager.pageLoaded.connect(lambda load: pages.append(load.rows))

    def scrolled_to_newest() -> bool:
        bar.setValue(bar.maximum())
        return not model.has_newer

    qtbot.waitUntil(scrolled_to_newest, timeout=10000)
    assert model.row_of(keys[-1]) >= 0
    assert len(pages) >= 2
    # Every row in order, none missing up to the newest; the oldest went as pages came in.
    shown = model.keys()
    assert shown == keys[-len(shown):]
    assert len(shown) <= MAX_ROWS < SENT
    assert model.has_older


def test_count_follows_new_messages_and_odd_input_never_fails(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    window, workspace, conversation_id, _, zebras = open_window(
        qtbot, demo_backend, make_workspace, window_for, tmp_path
    )
    search = window.conversation_panel.search
    qtbot.keyClick(window.compose.edit, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field(window), "zebra")
    qtbot.waitUntil(lambda: count_text(window) == f"1 of {len(zebras)}", timeout=5000)

    # A new message with the word: counted; the current match stays the one shown.
    workspace.conversations.send(conversation_id, "Another zebra sighting")
    qtbot.waitUntil(lambda: count_text(window) == f"2 of {len(zebras) + 1}", timeout=5000)
    assert search.current_key == zebras[0]

    for odd, expected in (
        ('"*(', "Type 2+ letters"),
        ("a", "Type 2+ letters"),
        ('zz" OR *NEAR(', "No matches"),
        ("zebra crossing", f"1 of {len(zebras)}"),
    ):
        field(window).setText(odd)
        qtbot.waitUntil(lambda e=expected: count_text(window) == e, timeout=5000)  # type: ignore[misc]


def test_names_of_the_chat_are_not_matches_and_switching_closes_the_bar(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    window, workspace, conversation_id, _, _ = open_window(
        qtbot, demo_backend, make_workspace, window_for, tmp_path
    )
    panel = window.conversation_panel
    search = panel.search
    title = panel.conversation.title if panel.conversation is not None else ""
    name = next(w for w in title.split() if len(w) >= 3)
    # The index matches the chat's title on every message; the bar counts only bodies with it.
    bodies = {
        row.key: row.body
        for row in workspace.conversations.messages(conversation_id, limit=5000)
    }
    expected = {k for k, b in bodies.items() if name.lower() in b.lower()}
    qtbot.keyClick(window.compose.edit, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field(window), name)
    qtbot.waitUntil(lambda: not search.searching, timeout=5000)
    assert set(search.keys) <= expected
    assert len(search.keys) < len(bodies)

    others = [
        r.id for r in workspace.conversations.list_conversations()
        if r.kind is ConversationKind.DIRECT and r.id != conversation_id
    ]
    assert window.select_conversation(others[0])
    assert not search.is_open()
    assert window.conversation_panel.model.match_spans(
        window.conversation_panel.model.message_at(0)  # type: ignore[arg-type]
    ) == ()
