"""The Group messages page against a real backend: compose with a chosen sender, the
confirmation stating the count at send time, the send through the outbox, the sent list with
its statistics, a member added afterwards not getting it (UI and API), the recipients detail
with its conversation links and CSV export, the offline message, and no cancel anywhere."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import httpx
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.protocol.demo import DEMO_PASSWORD
from console.protocol.group_messages import GroupMessageCreate
from console.services.group_message_recipients import Outcome
from console.services.workspace import Workspace
from console.ui.group_message_composer import GroupMessageComposer
from console.ui.group_message_confirm import GroupMessageConfirm
from console.ui.group_messages_page import GroupMessagesPage
from console.ui.main_window import MainWindow
from console.ui.qt import QAbstractButton, QAction, QLabel, Qt, QWidget
from console.ui.recipient_table_model import Column as RecipientColumn
from console.ui.recipient_table_model import notified, notified_tip
from console.ui.sent_group_messages_model import Column, SentGroupMessagesModel, count_text
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import (
    MainWindowFactory,
    WorkspaceFactory,
    api,
    offline_copy,
    wait_first_sync,
)

SYNC_MS = 15_000
SEEDED_TITLE = "Spring open houses"  # console/backend/seed_groups.py: to Spring buyers (9)


def open_page(window: MainWindow) -> GroupMessagesPage:
    action = window.findChild(QAction, "showGroupMessagesAction")
    assert action is not None
    assert action.shortcut().toString() == "Ctrl+4"
    action.trigger()
    page = window.findChild(GroupMessagesPage, "groupMessagesPage")
    assert page is not None
    assert page.isVisible()
    return page


def row_texts(page: GroupMessagesPage, title: str) -> list[str] | None:
    model = page.model
    for r in range(model.rowCount()):
        if model.data(model.index(r, 0), SentGroupMessagesModel.TitleRole) == title:
            return [model.data(model.index(r, c)) for c in range(model.columnCount())]
    return None


def select_title(page: GroupMessagesPage, title: str) -> None:
    model = page.model
    for r in range(model.rowCount()):
        if model.data(model.index(r, 0), SentGroupMessagesModel.TitleRole) == title:
            page.view.selectRow(r)
            return
    raise AssertionError(f"{title!r} is not listed")


def shown_recipients(page: GroupMessagesPage) -> list[str]:
    model = page.detail.model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def no_cancel_controls(root: QWidget) -> list[str]:
    """Texts of buttons or actions that would cancel, delete, recall or unsend something."""
    words = ("cancel", "delete", "recall", "unsend", "retract", "withdraw")
    found = []
    for button in root.findChildren(QAbstractButton):
        if any(w in (button.text() + button.objectName()).lower() for w in words):
            found.append(button.text() or button.objectName())
    for action in root.findChildren(QAction):
        if any(w in (action.text() + action.objectName()).lower() for w in words):
            found.append(action.text() or action.objectName())
    return found


def confirmation(qtbot: QtBot, page: GroupMessagesPage) -> GroupMessageConfirm:
    """Send… as a click asks it: the members are checked on a worker, then it opens."""
    assert page.confirm_send(), page.composer.status.text()
    qtbot.waitUntil(lambda: page.confirm_dialog is not None, timeout=SYNC_MS)
    dialog = page.confirm_dialog
    assert dialog is not None
    return dialog


def contact_id(http: httpx.Client, name: str) -> str:
    items: list[dict[str, Any]] = http.get(
        "/v1/contacts", params={"q": name, "limit": 10}
    ).json()["items"]
    return next(str(c["id"]) for c in items if c["name"] == name)


def test_send_confirms_the_count_now_and_a_later_member_never_gets_it(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    workspace = make_workspace(fresh_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    page = open_page(window)
    http = api(fresh_backend)
    # A group made through the API (its memberships reach the cache through the feed).
    landlords = http.post("/v1/groups", json={"name": "Q3 landlords"},
                          headers={"Idempotency-Key": "q3-landlords"}).json()
    members = ["Tom Nguyen", "James Whitaker", "Daniel Cohen", "Robert Johnson"]
    for name in members:
        http.put(
            f"/v1/groups/{landlords['id']}/members/{contact_id(http, name)}"
        ).raise_for_status()
    priya = next(u for u in http.get("/v1/users").json()["items"] if u["name"] == "Priya Shah")

    composer = page.composer
    assert not composer.send_button.isEnabled()  # nothing chosen yet
    qtbot.waitUntil(
        lambda: workspace.groups.recipients_now(landlords["id"]).count == 4, timeout=SYNC_MS
    )
    qtbot.waitUntil(
        lambda: "(4 people)" in composer.group_choice.itemText(
            composer.group_choice.findData(landlords["id"])
        ),
        timeout=SYNC_MS,
    )
    assert composer.choose_group(landlords["id"])
    assert composer.choose_sender(priya["id"])  # any agent, not only the signed-in one
    composer.title.setText("Q3 rent notice")
    assert not composer.send_button.isEnabled()  # still no message
    composer.body.setPlainText("Rents are due on the 1st; the portal is open.")
    assert composer.send_button.isEnabled()
    assert composer.preview_sender.text() == "Priya Shah"
    assert "Q3 rent notice" not in composer.preview_body.text()

    qtbot.mouseClick(composer.send_button, qtbot_left())
    # The members are checked first (merge fields, quiet hours) on a worker.
    qtbot.waitUntil(lambda: page.confirm_dialog is not None, timeout=SYNC_MS)
    dialog = page.findChild(GroupMessageConfirm, "groupMessageConfirm")
    assert dialog is not None, composer.status.text()
    assert dialog.isVisible()
    assert dialog.isModal()
    stated = dialog.text()
    assert "It goes now to 4 people" in stated
    assert "cannot be cancelled" in stated
    assert "added to the group later will not get it" in stated
    assert "Notifications (email, push)" in stated
    assert "Integrations" in stated
    assert "replies to it will" in stated
    assert not no_cancel_controls(page), "no way to cancel a group message may exist"
    qtbot.mouseClick(dialog.send_button, qtbot_left())

    qtbot.waitUntil(lambda: "Sent to 4 people." in composer.status.text(), timeout=SYNC_MS)
    assert composer.title.text() == ""  # ready for the next one
    sent = [m for m in http.get("/v1/group-messages").json()["items"]
            if m["title"] == "Q3 rent notice"]
    assert len(sent) == 1
    assert (sent[0]["sender_user_id"], sent[0]["recipient_count"]) == (priya["id"], 4)

    qtbot.waitUntil(lambda: row_texts(page, "Q3 rent notice") is not None, timeout=SYNC_MS)
    texts = row_texts(page, "Q3 rent notice")
    assert texts is not None
    assert texts[Column.GROUP] == "Q3 landlords"
    assert texts[Column.SENDER] == "Priya Shah"
    assert texts[Column.RECIPIENTS] == "4"
    seeded = row_texts(page, SEEDED_TITLE)
    assert seeded is not None
    assert seeded[Column.RECIPIENTS] == "9"
    assert seeded[Column.REPLIED] == "2"
    assert seeded[Column.READ] != "0"

    # Live: a recipient reads it in their Message Center; the row's statistics follow.
    tom = contact_id(http, "Tom Nguyen")
    http.post(f"/v1/people/{tom}/read", json={}).raise_for_status()
    qtbot.waitUntil(
        lambda: (row_texts(page, "Q3 rent notice") or [""] * 9)[Column.READ] == "1",
        timeout=SYNC_MS,
    )
    # Sortable (by the cache) and searchable.
    page.view.sortByColumn(Column.RECIPIENTS, Qt.SortOrder.AscendingOrder)
    assert page.model.data(page.model.index(0, 0), SentGroupMessagesModel.TitleRole) == (
        "Q3 rent notice"
    )
    page.view.sortByColumn(Column.RECIPIENTS, Qt.SortOrder.DescendingOrder)
    assert page.model.data(page.model.index(0, 0), SentGroupMessagesModel.TitleRole) == (
        SEEDED_TITLE
    )
    page.search.setText("rent notice")
    assert page.model.rowCount() == 1
    page.search.clear()

    # Someone joins the group after it was sent: they never get it.
    newcomer = contact_id(http, "Zoe Fischer")
    http.put(f"/v1/groups/{landlords['id']}/members/{newcomer}").raise_for_status()
    qtbot.waitUntil(
        lambda: "(5 people)" in composer.group_choice.itemText(
            composer.group_choice.findData(landlords["id"])
        ),
        timeout=SYNC_MS,
    )
    select_title(page, "Q3 rent notice")
    qtbot.waitUntil(lambda: page.detail.model.rowCount() == 4, timeout=SYNC_MS)
    names = shown_recipients(page)
    assert "Zoe Fischer" not in names
    assert set(members) == set(names)
    listed = http.get(f"/v1/group-messages/{sent[0]['id']}/recipients").json()["items"]
    assert newcomer not in {r["contact_id"] for r in listed}
    assert len(listed) == 4
    assert "Sent to 4" in page.detail.totals.text()
    assert not no_cancel_controls(page)

    # Export CSV (written off the GUI thread).
    target = tmp_path / "recipients.csv"
    with qtbot.waitSignal(page.detail.exported, timeout=5000):
        page.detail.export_to(target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    with target.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["name"] for r in rows) == sorted(names)
    assert all(r["conversation_id"] for r in rows)

    # The seeded message: replies counted per person, and a link opens their conversation.
    select_title(page, SEEDED_TITLE)
    qtbot.waitUntil(lambda: page.detail.model.rowCount() == 9, timeout=SYNC_MS)
    model = page.detail.model
    by_name = {model.data(model.index(r, 0)): r for r in range(model.rowCount())}
    maria = by_name["Maria Gonzalez"]
    assert model.data(model.index(maria, 3)) != "—"  # replied
    conversation = model.data(model.index(maria, 0), model.ConversationIdRole)
    page.detail.view.clicked.emit(model.index(maria, RecipientColumn.CONVERSATION))
    assert window.current_page() == "conversations"
    assert window.compose.conversation_id == conversation


def qtbot_left() -> Any:
    return Qt.MouseButton.LeftButton


def test_the_server_count_is_shown_when_the_group_changed_before_it_arrived(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    cache = tmp_path / "p" / "cache.db"
    http = api(fresh_backend)
    group = http.post("/v1/groups", json={"name": "Viewing list"},
                      headers={"Idempotency-Key": "viewing-list"}).json()
    for name in ("Tom Nguyen", "Grace Liu"):
        http.put(f"/v1/groups/{group['id']}/members/{contact_id(http, name)}").raise_for_status()
    synced = make_workspace(fresh_backend, cache=cache)
    wait_first_sync(qtbot, synced)
    qtbot.waitUntil(lambda: synced.groups.recipients_now(group["id"]).count == 2,
                    timeout=SYNC_MS)
    synced.close()
    # Not started: the confirmation counts from the cache while the server's group grows.
    workspace = make_workspace(fresh_backend, cache=cache, start=False)
    page = open_page(window_for(workspace))
    composer = page.composer
    assert composer.choose_group(group["id"])
    composer.title.setText("Viewing times")
    composer.body.setPlainText("Viewings are on Thursday.")
    dialog = confirmation(qtbot, page)
    # Not started, so not online: it goes when the connection is back, to who is in it then.
    assert "It goes when the connection is back" in dialog.text()
    assert "(2 people now)" in dialog.text()
    http.put(
        f"/v1/groups/{group['id']}/members/{contact_id(http, 'Logan Price')}"
    ).raise_for_status()
    dialog.accept()
    assert "Sending to 2 people" in composer.status.text()
    workspace.start()
    qtbot.waitUntil(lambda: composer.status.text().startswith("Sent to 3 people."),
                    timeout=SYNC_MS)
    assert "not the 2 counted when you confirmed" in composer.status.text()


def test_back_to_editing_sends_nothing(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    # Offline (not started): nothing can leave the machine even if it were queued.
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "c" / "cache.db")
    page = open_page(window_for(workspace))
    composer = page.composer
    group = composer.group_choice.itemData(1)
    assert composer.choose_group(group)
    composer.title.setText("Not this one")
    composer.body.setPlainText("Hello")
    dialog = confirmation(qtbot, page)
    dialog.reject()
    assert workspace.groups.count_sent("Not this one") == 0
    assert composer.title.text() == "Not this one"


def test_recipients_offline_say_what_to_do_and_keep_the_totals(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_backend: BackendProcess,
    make_workspace: WorkspaceFactory, window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "c" / "cache.db")
    page = open_page(window_for(workspace))
    qtbot.waitUntil(lambda: row_texts(page, SEEDED_TITLE) is not None, timeout=5000)
    qtmodeltester.check(page.model)
    names = page.model.roleNames()
    assert {bytes(names[r].data()) for r in (SentGroupMessagesModel.KeyRole,
                                             SentGroupMessagesModel.TitleRole)} == {
        b"key", b"title"}
    select_title(page, SEEDED_TITLE)
    assert page.detail.isVisible()
    qtbot.waitUntil(
        lambda: page.detail.status.text().startswith(
            "Recipients need a connection to the server; the totals above are from "
        ),
        timeout=5000,
    )
    assert "Sent to 9" in page.detail.totals.text()
    assert page.detail.model.rowCount() == 0
    assert not page.detail.export_button.isEnabled()


def test_the_preview_shows_sender_and_body_never_the_title(qtbot: QtBot) -> None:
    composer = GroupMessageComposer()
    qtbot.addWidget(composer)
    composer.set_senders([("u1", "Ava Thompson"), ("u2", "Priya Shah")], "u2")
    composer.title.setText("INTERNAL-ONLY TITLE")
    composer.body.setPlainText("See you Saturday!")
    preview = [label.text() for label in composer.preview.findChildren(QLabel)]
    assert preview == ["Priya Shah", "See you Saturday!"]
    assert all("INTERNAL-ONLY" not in t for t in preview)
    composer.choose_sender("u1")
    assert composer.preview_sender.text() == "Ava Thompson"


def test_an_assigned_only_agent_sees_only_their_own_recipients(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    email = "diego.agent@demo.example"
    workspace: Workspace = make_workspace(demo_backend, email=email, password=DEMO_PASSWORD)
    wait_first_sync(qtbot, workspace)
    page = open_page(window_for(workspace))
    qtbot.waitUntil(lambda: row_texts(page, SEEDED_TITLE) is not None, timeout=SYNC_MS)
    http = demo_backend.client(demo_backend.login(email, DEMO_PASSWORD))
    message = next(m for m in http.get("/v1/group-messages").json()["items"]
                   if m["title"] == SEEDED_TITLE)
    theirs = http.get(f"/v1/group-messages/{message['id']}/recipients").json()["items"]
    assert 0 < len(theirs) < 9  # the server shows Diego only his own people
    select_title(page, SEEDED_TITLE)
    qtbot.waitUntil(lambda: page.detail.model.rowCount() == len(theirs), timeout=SYNC_MS)
    assert set(shown_recipients(page)) == {r["name"] for r in theirs}


def scrolls_sideways(view: Any) -> bool:
    return bool(view.horizontalScrollBar().isVisible())


def test_at_the_default_size_both_tables_fit_without_scrolling_sideways(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    workspace = make_workspace(fresh_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    window.resize(1200, 760)  # the default size (and the screenshots')
    page = open_page(window)
    qtbot.waitUntil(lambda: row_texts(page, SEEDED_TITLE) is not None, timeout=SYNC_MS)
    select_title(page, SEEDED_TITLE)
    qtbot.waitUntil(lambda: page.detail.model.rowCount() == 9, timeout=SYNC_MS)
    qtbot.waitUntil(lambda: page.detail.view.isVisible())
    qtbot.wait(50)  # no state to wait on: let the resize and the layouts it queues run
    assert page.width() < 1200
    assert not scrolls_sideways(page.view), [page.view.columnWidth(c) for c in Column]
    assert not scrolls_sideways(page.detail.view)
    # The column users scan shows the seeded title whole, and every column is on screen.
    metrics = page.view.fontMetrics()
    assert page.view.columnWidth(Column.TITLE) > metrics.horizontalAdvance(SEEDED_TITLE) + 8
    # Fixed columns hold their widest value whole (the delegate insets text 4 px a side).
    assert page.view.columnWidth(Column.SENT_AT) > metrics.horizontalAdvance("Yesterday") + 8
    shown = sum(page.view.columnWidth(c) for c in Column)
    assert shown <= page.view.viewport().width()
    # And the recipients' names whole, beside all the detail's columns.
    detail = page.detail.view
    widest = max(detail.fontMetrics().horizontalAdvance(n) for n in shown_recipients(page))
    assert detail.columnWidth(RecipientColumn.NAME) > widest + 8
    yesterday = detail.fontMetrics().horizontalAdvance("Yesterday") + 8
    assert all(detail.columnWidth(c) > yesterday for c in (
        RecipientColumn.DELIVERED, RecipientColumn.READ, RecipientColumn.REPLIED
    ))
    assert sum(detail.columnWidth(c) for c in RecipientColumn) <= detail.viewport().width()
    # The detail's "Sent … · to … · from …" is one line, whole (ElidedLabel: no tooltip).
    meta = page.detail.meta
    assert meta.text().startswith("Sent ")
    assert meta.toolTip() == ""
    # The short headers keep their whole words for the mouse and for screen readers.
    model = page.model
    assert "Notification failures" in model.headerData(
        Column.FAILURES, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert model.index(0, Column.DELIVERED).data(
        Qt.ItemDataRole.AccessibleTextRole
    ).startswith("Delivered: ")


def test_the_composer_counts_to_the_limit_the_server_enforces(qtbot: QtBot) -> None:
    limit = next(
        m.max_length for m in GroupMessageCreate.model_fields["body"].metadata
        if hasattr(m, "max_length")
    )
    composer = GroupMessageComposer()
    qtbot.addWidget(composer)
    composer.body.setPlainText("x" * limit)
    assert composer.counter.text() == f"{limit} / {limit} characters"
    composer.body.setPlainText("x" * (limit + 1))
    assert composer.counter.text() == f"{limit + 1} / {limit} characters"


def test_notifications_and_counts_read_short_and_explain_in_full() -> None:
    failed = Outcome("failed", "mailbox full")
    assert notified(failed, Outcome("delivered")) == "Failed"
    assert notified(Outcome(""), Outcome("")) == "—"
    assert notified(Outcome("pending"), Outcome("delivered")) == "Sending…"
    assert notified(Outcome(""), Outcome("delivered")) == "Sent"
    tip = notified_tip(failed, Outcome("delivered"))
    assert "Email: Failed: mailbox full" in tip
    assert "Push: Sent" in tip
    assert [count_text(n) for n in (7, 9_999, 12_345, 250_000)] == [
        "7", "9,999", "12.3k", "250k"
    ]


def test_an_assigned_only_agent_is_told_before_any_send_to_a_group_with_others_people(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    email = "diego.agent@demo.example"
    workspace: Workspace = make_workspace(demo_backend, email=email, password=DEMO_PASSWORD)
    wait_first_sync(qtbot, workspace)
    page = open_page(window_for(workspace))
    composer = page.composer
    http = demo_backend.client(demo_backend.login(email, DEMO_PASSWORD))
    spring = next(g for g in http.get("/v1/groups").json()["items"]
                  if g["name"] == "Spring buyers")
    qtbot.waitUntil(lambda: composer.choose_group(spring["id"]), timeout=SYNC_MS)
    now = workspace.groups.recipients_now(spring["id"])
    assert now.server_count > now.cached_members  # some of its people are not Diego's
    composer.title.setText("Diego tried this")
    composer.body.setPlainText("See you Saturday")
    assert composer.send_button.isEnabled()
    composer.send_button.click()
    assert page.confirm_dialog is None  # no Send offered for what the server refuses
    assert "includes people assigned to other agents" in composer.status.text()
    assert "only an admin or an agent who may see everyone" in composer.status.text()
    assert workspace.groups.count_sent("Diego tried this") == 0


def refused_and_send_enabled(page: GroupMessagesPage, key: str, workspace: Workspace) -> bool:
    write = workspace.groups.write(key)
    composer = page.composer
    send_offered = composer.send_button.isVisible() and composer.send_button.isEnabled()
    return write is not None and write.state == "failed" and send_offered


def test_a_refused_send_offers_retry_and_discard_and_never_an_enabled_send(
    qtbot: QtBot, fresh_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    cache = tmp_path / "p" / "cache.db"
    http = api(fresh_backend)
    group = http.post("/v1/groups", json={"name": "Soon gone"},
                      headers={"Idempotency-Key": "soon-gone"}).json()
    http.put(f"/v1/groups/{group['id']}/members/{contact_id(http, 'Tom Nguyen')}"
             ).raise_for_status()
    synced = make_workspace(fresh_backend, cache=cache)
    wait_first_sync(qtbot, synced)
    qtbot.waitUntil(lambda: synced.groups.recipients_now(group["id"]).count == 1,
                    timeout=SYNC_MS)
    synced.close()
    # The group goes on the server while this copy (not started) still offers it.
    http.delete(f"/v1/groups/{group['id']}").raise_for_status()
    workspace = make_workspace(fresh_backend, cache=cache, start=False)
    window = window_for(workspace)
    page = open_page(window)
    composer = page.composer
    assert composer.choose_group(group["id"])
    composer.title.setText("Refused notice")
    composer.body.setPlainText("Hello")
    dialog = confirmation(qtbot, page)
    dialog.accept()
    sending = page._sending  # the key of what is on its way
    assert sending is not None
    key = sending.key
    workspace.start()
    qtbot.waitUntil(lambda: composer.status.text().startswith("Not sent"), timeout=SYNC_MS)
    assert not refused_and_send_enabled(page, key, workspace)
    assert composer.retry_button.isVisible()
    assert composer.discard_button.isVisible()
    assert composer.title.isReadOnly()
    assert composer.body.isReadOnly()
    assert page.confirm_send() is False

    # Retry: on its way again (same key), refused again, still no Send beside it.
    composer.retry_button.click()
    assert not composer.retry_button.isVisible()
    qtbot.waitUntil(lambda: composer.retry_button.isVisible(), timeout=SYNC_MS)
    assert not refused_and_send_enabled(page, key, workspace)

    # Discard: the refused copy goes, the draft is editable and sendable again.
    composer.discard_button.click()
    assert workspace.groups.write(key) is None
    assert not composer.retry_button.isVisible()
    assert composer.send_button.isVisible()
    assert composer.group_choice.isEnabled()
    # Send is back, waiting only on what the draft lacks (its group is gone: choose another).
    assert composer.send_button.isEnabled() == (composer.missing() == "")
    assert not composer.title.isReadOnly()
    assert composer.title.text() == "Refused notice"
    titles = [m["title"] for m in http.get("/v1/group-messages").json()["items"]]
    assert "Refused notice" not in titles


def test_a_send_discarded_with_its_never_created_group_stops_saying_sending(
    qtbot: QtBot, demo_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory, tmp_path: Path,
) -> None:
    workspace, _ = offline_copy(qtbot, demo_backend, make_workspace, tmp_path / "c" / "cache.db")
    window = window_for(workspace)
    made = workspace.groups.create_group("Never created")
    workspace.groups.add_members(made.id, [workspace.contacts.page("", 0, 1)[0].id])
    page = open_page(window)
    composer = page.composer
    qtbot.waitUntil(lambda: composer.choose_group(made.id), timeout=5000)
    composer.title.setText("Queued notice")
    composer.body.setPlainText("Hello")
    dialog = confirmation(qtbot, page)
    dialog.accept()
    assert composer.status.text().startswith("Sending to 1 person")

    show_groups = window.findChild(QAction, "showGroupsAction")
    assert show_groups is not None
    show_groups.trigger()
    groups = window.groups_page
    assert groups is not None
    assert groups.select_group(made.id)
    box = groups.delete_group()
    assert box is not None
    assert "1 group message waiting to be sent to it will be dropped" in box.informativeText()
    next(b for b in box.buttons() if b.objectName() == "confirmDeleteGroup").click()
    qtbot.waitUntil(lambda: composer.status.text().startswith("Not sent"), timeout=5000)
    assert "discarded" in composer.status.text()
    assert composer.group_choice.isEnabled()
    assert not composer.send_button.isHidden()
    assert not composer.title.isReadOnly()
    assert composer.title.text() == "Queued notice"


def test_the_confirmation_shows_names_as_typed_and_says_when_it_goes_offline(
    qtbot: QtBot,
) -> None:
    dialog = GroupMessageConfirm(
        count=3, group_name="<b>VIP</b> & co", sender_name="<i>Ava</i>", title="<u>T</u>",
        count_note="<a href='x'>note</a>",
    )
    qtbot.addWidget(dialog)
    labels = dialog.findChildren(QLabel)
    shown = [lbl for lbl in labels if lbl is not dialog.points_label]
    assert all(lbl.textFormat() == Qt.TextFormat.PlainText for lbl in shown)
    assert "the members of <b>VIP</b> & co at this moment" in dialog.text()
    assert "It goes now to 3 people" in dialog.text()
    offline = GroupMessageConfirm(
        count=3, group_name="VIP", sender_name="Ava", title="T", offline=True
    )
    qtbot.addWidget(offline)
    assert "It goes now" not in offline.text()
    assert "when the connection is back, to the members of VIP at that moment" in offline.text()
