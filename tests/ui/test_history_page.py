"""The History page (Ctrl+5) against a real backend's data in a real cache: newest first, each
filter narrowing the list, a search with its matches highlighted (model role and paint), a
newer query's answer winning over an older one, opening a result in its conversation (flashed)
or a group message on its page, CSV and PDF export with cancel, and all of it with the backend
stopped."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.domain.conversations import ConversationKind
from console.domain.messages import Direction, MessageStatus
from console.services.history import HistoryChannel, HistoryFilter, HistoryRow, HistoryService
from console.services.types import SyncState
from console.services.workspace import Workspace
from console.ui.formatting import local
from console.ui.history_delegate import MARK
from console.ui.history_filter_bar import FilterChip
from console.ui.history_model import HistoryModel
from console.ui.history_page import HistoryPage
from console.ui.main_window import MainWindow
from console.ui.qt import (
    QAction,
    QApplication,
    QColor,
    QDate,
    QLineEdit,
    QListView,
    QPushButton,
    Qt,
)
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import (
    MainWindowFactory,
    WorkspaceFactory,
    api,
    offline_copy,
    wait_first_sync,
)

WAIT_MS = 5000


def with_history(workspace: Workspace) -> Workspace:
    """The workspace's HistoryService (made here until the workspace holds one itself)."""
    if getattr(workspace, "history", None) is None:
        workspace.history = HistoryService(workspace._cache, workspace.session)
    return workspace


def settled(page: HistoryPage) -> bool:
    return not page.model.searching and page.model.total is not None


def open_history(qtbot: QtBot, window: MainWindow) -> HistoryPage:
    """Ctrl+5, as a user presses it."""
    action = window.findChild(QAction, "showHistoryAction")
    assert action is not None
    assert action.shortcut().toString() == "Ctrl+5"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = window.findChild(HistoryPage, "historyPage")
    assert page is not None
    assert page.isVisible()
    assert action.isChecked()
    assert window.current_page() == "history"
    qtbot.waitUntil(lambda: settled(page), timeout=WAIT_MS)
    return page


def shown(page: HistoryPage) -> list[HistoryRow]:
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert all(r is not None for r in rows)
    return [r for r in rows if r is not None]


def wait_query(qtbot: QtBot, page: HistoryPage) -> list[HistoryRow]:
    """Wait for the answer to what the controls say now; its rows."""
    qtbot.waitUntil(lambda: settled(page), timeout=WAIT_MS)
    return shown(page)


def total(page: HistoryPage) -> int:
    assert page.model.total is not None
    return page.model.total.count


def test_ctrl5_shows_every_message_newest_first_with_a_count(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "cache.db")
    window = window_for(with_history(workspace))
    page = open_history(qtbot, window)

    for name, kind in (("historySearch", QLineEdit), ("historyList", QListView)):
        assert window.findChild(kind, name) is not None, name
    assert page.export_button.objectName() == "historyExportButton"
    rows = shown(page)
    assert len(rows) == total(page) > 20
    assert [r.created_at for r in rows] == sorted((r.created_at for r in rows), reverse=True)
    channels = {r.channel for r in rows}
    assert {HistoryChannel.DIRECT, HistoryChannel.GROUP_SMS, HistoryChannel.IN_APP,
            HistoryChannel.GROUP_MESSAGE} <= channels
    assert page.count_label.text() == f"{total(page):,} messages"
    assert page.stack.currentWidget() is page.view
    ModelTester(None).check(page.model, force_py=True)


def test_each_filter_narrows_the_list_and_shows_as_a_chip(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "cache.db")
    window = window_for(with_history(workspace))
    page = open_history(qtbot, window)
    everything = shown(page)
    qtbot.waitUntil(lambda: page.filters.combos["group_id"].count() > 1, timeout=WAIT_MS)
    bar = page.filters

    def narrowed(field: str, value: str) -> list[HistoryRow]:
        assert bar.choose(field, value), (field, value)
        rows = wait_query(qtbot, page)
        assert 0 < len(rows) < len(everything), field
        assert len(bar.chip_texts()) == 1
        return rows

    rows = narrowed("channel", HistoryChannel.GROUP_SMS.value)
    assert {r.channel for r in rows} == {HistoryChannel.GROUP_SMS}
    assert bar.chip_texts() == ["Channel: Group SMS"]
    bar.clear()
    rows = narrowed("direction", Direction.IN.value)
    assert {r.direction for r in rows} == {Direction.IN}
    bar.clear()
    rows = narrowed("status", MessageStatus.DELIVERED.value)
    assert {r.status for r in rows} == {MessageStatus.DELIVERED}
    bar.clear()
    number = bar.combos["number_id"].itemData(1)
    rows = narrowed("number_id", number)
    assert len({r.number_label for r in rows}) == 1
    assert rows[0].number_label
    bar.clear()
    spring = bar.combos["group_id"].findText("Spring buyers")
    rows = narrowed("group_id", bar.combos["group_id"].itemData(spring))
    assert any(r.channel is HistoryChannel.GROUP_MESSAGE for r in rows)
    # Its group messages, and people's replies to them (in their in-app threads).
    spring_id = bar.combos["group_id"].itemData(spring)
    assert all(
        r.group_id == spring_id if r.channel is HistoryChannel.GROUP_MESSAGE
        else (r.channel, r.direction) == (HistoryChannel.IN_APP, Direction.IN)
        for r in rows
    )
    bar.clear()
    maria = bar.combos["author_id"].findText("Maria Gonzalez")
    rows = narrowed("author_id", bar.combos["author_id"].itemData(maria))
    assert {r.author for r in rows} == {"Maria Gonzalez"}
    # A chip's × turns its filter off.
    chips = bar.chips.findChildren(FilterChip)
    assert [c.label.text() for c in chips] == ["Author: Maria Gonzalez"]
    assert chips[0].isVisible()
    qtbot.mouseClick(chips[0].remove, Qt.MouseButton.LeftButton)
    assert len(wait_query(qtbot, page)) == len(everything)
    assert bar.chip_texts() == []

    # A day range: only that (local) day's messages.
    day = local(everything[-1].created_at).date()
    assert any(local(r.created_at).date() != day for r in everything)
    bar.since.setDate(QDate(day.year, day.month, day.day))
    bar.until.setDate(QDate(day.year, day.month, day.day))
    rows = wait_query(qtbot, page)
    assert rows
    assert {local(r.created_at).date() for r in rows} == {day}
    assert len(bar.chip_texts()) == 2
    bar.until.setDate(QDate(day.year, day.month, day.day).addDays(-1))
    assert wait_query(qtbot, page) == []
    # Nothing matches: the empty state says so and clears.
    assert page.stack.currentWidget() is page.empty
    assert page.count_label.text() == "No messages match — clear filters"
    qtbot.mouseClick(page.empty.clear_button, Qt.MouseButton.LeftButton)
    assert len(wait_query(qtbot, page)) == len(everything)


def test_search_highlights_matches_and_a_newer_query_wins(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "cache.db")
    window = window_for(with_history(workspace))
    page = open_history(qtbot, window)
    everything = len(shown(page))

    reads = page.model.reads
    qtbot.keyClicks(page.search, "friday")
    qtbot.waitUntil(lambda: page.model.filter.query == "friday" and settled(page),
                    timeout=WAIT_MS)
    rows = shown(page)
    assert 0 < len(rows) < everything
    assert page.model.reads - reads == 1  # six keystrokes, one search (its page is its count)
    model = page.model
    for r in range(model.rowCount()):
        index = model.index(r, 0)
        body = index.data(HistoryModel.BodyRole)
        spans = index.data(HistoryModel.BodyHighlightsRole)
        title_spans = index.data(HistoryModel.TitleHighlightsRole)
        assert spans or title_spans or model.row_at(r).matched_number  # type: ignore[union-attr]
        for start, end in spans:
            assert body[start:end].lower() == "friday"
    # The delegate paints the marks: the highlighter's yellow is in the first row.
    rect = page.view.visualRect(model.index(0, 0))
    image = page.view.viewport().grab(rect).toImage()
    colours = {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
    }
    assert MARK.name() in colours

    # Two queries in a row: only the newer one's answer is ever shown.
    shown_for: list[str] = []
    model.modelReset.connect(lambda: shown_for.append(
        " ".join(r.body.lower() for r in shown(page))
    ))
    model.set_filter(HistoryFilter(query="thursday"))
    model.set_filter(HistoryFilter(query="parking"))
    qtbot.waitUntil(lambda: settled(page), timeout=WAIT_MS)
    assert model.filter.query == "parking"
    assert len(shown_for) == 1
    assert "parking" in shown_for[0]
    assert "thursday" not in shown_for[0]
    assert all("parking" in r.body.lower() for r in shown(page))


def fill(workspace: Workspace, conversation_id: str, bodies: list[str]) -> list[str]:
    """Messages written here (offline: they stay pending), oldest first: their keys."""
    return [workspace.conversations.send(conversation_id, body).key for body in bodies]


def direct_conversation(workspace: Workspace) -> str:
    rows = workspace.conversations.list_conversations()
    return next(r.id for r in reversed(rows) if r.kind is ConversationKind.DIRECT)


def test_open_a_result_jumps_to_it_in_its_conversation_and_flashes_it(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "cache.db")
    conversation_id = direct_conversation(workspace)
    bodies = [f"Note {n:03d} on the lease" for n in range(260)]
    bodies[7] = "The zebrafinch clause needs a signature"
    keys = fill(workspace, conversation_id, bodies)
    window = window_for(with_history(workspace))
    page = open_history(qtbot, window)
    qtbot.keyClicks(page.search, "zebrafinch")
    qtbot.waitUntil(lambda: page.model.filter.query == "zebrafinch" and settled(page),
                    timeout=WAIT_MS)
    assert [r.message_key for r in shown(page)] == [keys[7]]

    # Enter in the search field goes to the results; Enter there opens the one chosen.
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.view.hasFocus()
    assert page.view.currentIndex().row() == 0
    qtbot.keyClick(page.view, Qt.Key.Key_Return)

    assert window.current_page() == "conversations"
    assert window.conversation_panel.conversation_id == conversation_id
    messages = window.conversation_panel.model
    view = window.conversation_view
    flash = view.message_delegate.flash
    assert flash.key == keys[7]

    def on_screen() -> bool:
        row = messages.row_of(keys[7])
        rect = view.visualRect(messages.index(row, 0))
        return row >= 0 and view.viewport().rect().intersects(rect)

    qtbot.waitUntil(on_screen, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: flash.strength(keys[7]) > 0.9, timeout=WAIT_MS)

    # A sent group message opens on the Group messages page, selected.
    window.show_history_action.trigger()
    page.search.clear()
    page.filters.choose("channel", HistoryChannel.GROUP_MESSAGE.value)
    qtbot.waitUntil(lambda: page.model.filter.query == "" and settled(page), timeout=WAIT_MS)
    rows = shown(page)
    assert {r.channel for r in rows} == {HistoryChannel.GROUP_MESSAGE}
    assert rows
    assert page.open_row(rows[0])
    assert window.current_page() == "group_messages"
    messages_page = window.group_messages_page
    assert messages_page is not None
    assert messages_page.selected_key() == rows[0].group_message_id


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_csv_and_pdf_export_what_the_filters_show_and_cancel_leaves_nothing(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "cache.db")
    conversation_id = direct_conversation(workspace)
    fill(workspace, conversation_id, ["=HYPERLINK(\"http://x.example\",\"invoice\") due",
                                      "The invoice for March"])
    fill(workspace, conversation_id, [f"Reminder {n} about the deposit" for n in range(1100)])
    window = window_for(with_history(workspace))
    page = open_history(qtbot, window)
    exporter = page.exporter

    qtbot.keyClicks(page.search, "invoice")
    qtbot.waitUntil(lambda: page.model.filter.query == "invoice" and settled(page),
                    timeout=WAIT_MS)
    rows = shown(page)
    target = tmp_path / "invoice.csv"
    with qtbot.waitSignal(exporter.exported, timeout=WAIT_MS) as done:
        assert exporter.export_to(target)
    assert done.args == [str(target), len(rows)]
    table = read_csv(target)
    assert table[0][:8] == ["time", "channel", "conversation", "business_number", "author",
                            "direction", "status", "body"]
    assert [line[7] for line in table[1:]] == [
        ("'" + r.body) if r.body.startswith("=") else r.body for r in rows
    ]
    assert any(line[7].startswith("'=HYPERLINK") for line in table[1:])  # never a formula
    assert "Saved" in page.status.text()
    assert str(target) in page.status.text()

    # PDF: one page for a few rows, more pages for many.
    small = tmp_path / "invoice.pdf"
    with qtbot.waitSignal(exporter.exported, timeout=WAIT_MS * 2):
        assert exporter.export_to(small)
    assert pdf_pages(small) == 1
    page.search.setText("deposit")
    qtbot.waitUntil(lambda: page.model.filter.query == "deposit" and settled(page),
                    timeout=WAIT_MS)
    large = tmp_path / "deposit.pdf"
    with qtbot.waitSignal(exporter.exported, timeout=60_000) as done:
        assert exporter.export_to(large)
    assert done.args[1] == 1100
    assert pdf_pages(large) > 20

    # Cancel a long export: no file, the page says so, the button comes back.
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.filter.query == "" and settled(page), timeout=WAIT_MS)
    cancelled = tmp_path / "everything.csv"
    with qtbot.waitSignal(exporter.failed, timeout=WAIT_MS) as failed:
        assert exporter.export_to(cancelled)
        assert exporter.progress is not None
        cancel = exporter.progress.findChild(QPushButton)
        assert cancel is not None
        assert cancel.text() == "Cancel"
        cancel.click()
    assert failed.args == ["Export cancelled: no file was written."]
    assert not cancelled.exists()
    assert not list(tmp_path.glob("*.part"))
    assert page.export_button.isEnabled()
    assert not exporter.busy


def pdf_pages(path: Path) -> int:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    return len(re.findall(rb"/Type\s*/Page\b", data))


def test_history_works_with_the_backend_stopped(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    workspace = make_workspace(fresh_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(with_history(workspace))
    fresh_backend.stop()
    qtbot.waitUntil(lambda: workspace.sync.status.state is SyncState.OFFLINE, timeout=20_000)
    page = open_history(qtbot, window)
    assert page.offline.isVisible()
    assert "Offline" in page.offline.text()
    assert len(shown(page)) == total(page) > 20
    qtbot.keyClicks(page.search, "parking")
    qtbot.waitUntil(lambda: page.model.filter.query == "parking" and settled(page),
                    timeout=WAIT_MS)
    rows = shown(page)
    assert rows
    assert all("parking" in r.body.lower() for r in rows)


def test_a_message_arriving_shows_at_the_top_and_a_scrolled_list_stays_put(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    workspace = make_workspace(fresh_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(with_history(workspace))
    page = open_history(qtbot, window)
    before = total(page)
    with api(fresh_backend) as http:
        numbers = {n["id"]: n["e164"] for n in http.get("/v1/numbers").json()["items"]}
        direct = next(
            c for c in http.get("/v1/conversations", params={"kind": "direct"}).json()["items"]
            if c["phone"].startswith("+1") and c["status"] == "active"
        )

        def inbound(body: str) -> None:
            http.post("/v1/simulator/inbound", json={
                "from": direct["phone"], "to": [numbers[direct["number_id"]]], "body": body,
            }).raise_for_status()

        # At the top of the list: the new message comes in at the top by itself.
        inbound("Is the garage included with the unit?")
        qtbot.waitUntil(
            lambda: settled(page) and page.model.row_at(0) is not None
            and page.model.row_at(0).body == "Is the garage included with the unit?",  # type: ignore[union-attr]
            timeout=15_000,
        )
        assert total(page) == before + 1
        # A row selected (the user is reading): the list stays, a link offers the new ones.
        page.view.setCurrentIndex(page.model.index(3, 0))
        selected = page.model.row_at(3)
        inbound("And is there storage in the basement?")
        qtbot.waitUntil(page.refresh_button.isVisible, timeout=15_000)
        assert page.model.row_at(3) == selected
        assert total(page) == before + 1
        qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: settled(page) and total(page) == before + 2, timeout=WAIT_MS)
        assert not page.refresh_button.isVisible()
