"""Scheduled sends in the window, against a real backend: compose's clock (`scheduleButton`,
Ctrl+Shift+Enter) opens `scheduleDialog` with each recipient's local time; Schedule keeps the
message on the server and shows it in `scheduledStrip`; Edit and Cancel there reach the
server; View > Scheduled messages lists them all; a send that fails at its time is told
once. The dialog's words and limits are checked on fixed clocks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from pytestqt.qtbot import QtBot

from console.domain.scheduled import ScheduledItem, ScheduledKind, ScheduledStatus
from console.services.types import Notice
from console.ui.main_window import MainWindow
from console.ui.qt import QAbstractButton, QAction, QDate, QDialog, QEvent, QKeyEvent, Qt, QWidget
from console.ui.schedule_dialog import ScheduleDialog
from console.ui.schedule_times import Recipient, local_zone, quick_picks, recipient_time_text
from console.ui.scheduled_list import ScheduledStrip
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import (
    MainWindowFactory,
    WorkspaceFactory,
    api,
    direct_chat,
    main_number,
    new_person,
    wait_first_sync,
)

WAIT_MS = 15_000
NEW_YORK = ZoneInfo("America/New_York")
# A Monday evening in New York: 20:30 EST is 01:30 UTC on Tuesday.
NOW = datetime(2026, 1, 5, 20, 30, tzinfo=NEW_YORK)


# -- times and words on a fixed clock ------------------------------------------------------


def test_quick_picks_land_on_round_times_in_the_agents_zone() -> None:
    picks = dict(quick_picks(NOW))
    assert picks == {
        "In 1 hour": datetime(2026, 1, 5, 21, 30, tzinfo=NEW_YORK),
        "Tomorrow 09:00": datetime(2026, 1, 6, 9, 0, tzinfo=NEW_YORK),
        "Monday 09:00": datetime(2026, 1, 12, 9, 0, tzinfo=NEW_YORK),
    }
    odd = datetime(2026, 1, 4, 10, 2, 30, tzinfo=NEW_YORK)  # a Sunday: Monday is tomorrow
    assert dict(quick_picks(odd)) == {
        "In 1 hour": datetime(2026, 1, 4, 11, 5, tzinfo=NEW_YORK),
        "Tomorrow 09:00": datetime(2026, 1, 5, 9, 0, tzinfo=NEW_YORK),
    }


def test_each_recipient_gets_their_own_local_time() -> None:
    at = datetime(2026, 1, 6, 9, 0, tzinfo=NEW_YORK)
    assert recipient_time_text(Recipient("Ny", "+12125550100"), at, NOW) == "Tomorrow 09:00 EST"
    assert recipient_time_text(Recipient("Chi", "+14695550100"), at, NOW) == "Tomorrow 08:00 CST"
    assert recipient_time_text(Recipient("Hon", "+18085550100"), at, NOW) == "Tomorrow 04:00 HST"
    # An area code over two zones (Alaska's 907: Anchorage and Adak): both.
    assert recipient_time_text(Recipient("Ak", "+19075550100"), at, NOW) == (
        "Tomorrow 04:00 HST or Tomorrow 05:00 AKST")
    assert recipient_time_text(Recipient("App", None), at, NOW).startswith("In-app")
    assert recipient_time_text(Recipient("Uk", "+442079460000"), at, NOW) == "Tomorrow 14:00 GMT"
    assert recipient_time_text(Recipient("X", "12"), at, NOW) == "Local time unknown for 12"


def test_the_dialog_follows_the_chosen_time_and_refuses_a_past_one(qtbot: QtBot) -> None:
    saved: list[tuple[str, datetime]] = []
    people = [Recipient("Maria Gonzalez", "+14155550111"), Recipient("James", "+16465550113")]
    dialog = ScheduleDialog(lambda text, at: saved.append((text, at)), people,
                            text="Open house at 10", now=lambda: NOW, zone=NEW_YORK)
    qtbot.addWidget(dialog)
    dialog.show()
    # Starts at tomorrow 09:00, the agent's time; each person's time then.
    assert dialog.moment == datetime(2026, 1, 6, 9, 0, tzinfo=NEW_YORK)
    assert dialog.zone_note.text() == "Tomorrow 09:00, your time (EST)"
    # 06:00 in San Francisco is outside quiet hours: said, with the next time for both.
    assert [label.text() for label in dialog.recipient_times] == [
        "Tomorrow 06:00 PST · outside 08:00–21:00", "Tomorrow 09:00 EST"]
    assert [label.property("quiet") for label in dialog.recipient_times] == ["true", "false"]
    assert dialog.quiet_note.text() == (
        "1 recipient would get it outside quiet hours where they are: Maria Gonzalez.")
    assert dialog.next_allowed_button.text() == (
        "Move to Tomorrow 11:00, inside everyone's hours")
    dialog.next_allowed_button.click()
    assert dialog.moment == datetime(2026, 1, 6, 11, 0, tzinfo=NEW_YORK)
    assert dialog.recipient_times[0].text() == "Tomorrow 08:00 PST"
    assert dialog.quiet_note.isHidden()
    assert dialog.next_allowed_button.isHidden()
    dialog.pick_buttons[0].click()  # In 1 hour: 21:30 in New York, outside there
    assert dialog.moment == datetime(2026, 1, 5, 21, 30, tzinfo=NEW_YORK)
    assert [label.text() for label in dialog.recipient_times] == [
        "Today 18:30 PST", "Today 21:30 EST · outside 08:00–21:00"]
    # Earlier than now: said, and Schedule is off.
    dialog.time_edit.setTime(dialog.time_edit.time().addSecs(-2 * 3600))
    assert not dialog.save_button.isEnabled()
    assert dialog.error.text() == "That time has passed. Choose a later one."
    dialog.pick_buttons[1].click()
    assert dialog.save_button.isEnabled()
    assert dialog.error.isHidden()
    dialog.save_button.click()
    assert saved == [("Open house at 10", datetime(2026, 1, 6, 9, 0, tzinfo=NEW_YORK))]
    assert not dialog.save_button.isEnabled()  # until the owner answers
    dialog.show_error("The server said no.")
    assert dialog.save_button.isEnabled()
    assert dialog.error.text() == "The server said no."


def test_editing_changes_text_and_time_and_an_empty_text_is_refused(qtbot: QtBot) -> None:
    saved: list[tuple[str, datetime]] = []
    at = datetime(2026, 1, 8, 14, 15, tzinfo=UTC)
    dialog = ScheduleDialog(lambda text, when: saved.append((text, when)), [],
                            text="Old words", at=at, editing=True, now=lambda: NOW,
                            zone=NEW_YORK)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Edit scheduled message"
    assert dialog.moment == at  # shown in the agent's zone: 09:15 EST
    assert dialog.time_edit.time().hour() == 9
    assert dialog.body_edit.isVisible()
    dialog.body_edit.setPlainText("   ")
    dialog.save_button.click()
    assert saved == []
    assert dialog.error.text() == "Write the message first."
    dialog.body_edit.setPlainText("New words")
    dialog.save_button.click()
    assert saved == [("New words", at)]


def test_a_day_across_daylight_saving_gets_its_own_offset(qtbot: QtBot) -> None:
    """Chosen in January for March 20 in New York: 09:00 EDT (UTC-4), not January's UTC-5."""
    dialog = ScheduleDialog(lambda text, when: None, [], text="Spring", now=lambda: NOW,
                            zone=NEW_YORK)
    qtbot.addWidget(dialog)
    dialog.date_edit.setDate(QDate(2026, 3, 20))
    assert dialog.moment == datetime(2026, 3, 20, 13, 0, tzinfo=UTC)
    assert dialog.zone_note.text() == "Fri 20 Mar 09:00, your time (EDT)"
    # The machine's own zone is an IANA zone (with its rules), not a fixed offset.
    assert isinstance(local_zone(), ZoneInfo)


def test_a_text_only_edit_keeps_the_time_to_the_second(qtbot: QtBot) -> None:
    saved: list[datetime] = []
    at = datetime(2026, 1, 8, 14, 15, 30, tzinfo=UTC)  # scheduled through the API
    dialog = ScheduleDialog(lambda text, when: saved.append(when), [], text="Old",
                            at=at, editing=True, now=lambda: NOW, zone=NEW_YORK)
    qtbot.addWidget(dialog)
    dialog.body_edit.setPlainText("New")
    dialog.save_button.click()
    assert saved == [at]
    dialog.time_edit.setTime(dialog.time_edit.time().addSecs(60))  # a minute later: moved
    assert dialog.moment == datetime(2026, 1, 8, 14, 16, tzinfo=UTC)


def test_the_strip_counts_and_names_the_next_send(qtbot: QtBot) -> None:
    strip = ScheduledStrip(now=lambda: NOW)
    qtbot.addWidget(strip)
    strip.set_items([])
    assert strip.isHidden()
    items = [
        ScheduledItem("s1", ScheduledKind.MESSAGE, ScheduledStatus.SCHEDULED, "First",
                      datetime(2026, 1, 6, 14, 0, tzinfo=UTC), conversation_id="c1"),
        ScheduledItem("s2", ScheduledKind.MESSAGE, ScheduledStatus.SCHEDULED, "Second",
                      datetime(2026, 1, 20, 14, 0, tzinfo=UTC), conversation_id="c1"),
    ]
    strip.set_items(items)
    assert not strip.isHidden()
    assert strip.summary.text() == "2 scheduled · next Tomorrow 09:00"
    assert strip.list.isHidden()
    strip.toggle.click()
    assert not strip.list.isHidden()
    assert strip.toggle.text() == "Hide"
    model = strip.list.model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "Tomorrow 09:00 · First", "Tue 20 Jan 09:00 · Second"]
    assert strip.list.current() == items[0]  # one click from Edit or Cancel
    with qtbot.waitSignal(strip.list.cancelRequested) as asked:
        strip.list.cancel_button.click()
    assert asked.args == [items[0]]


# -- end to end ---------------------------------------------------------------------------


def _on_server(http: httpx.Client, conversation_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = http.get("/v1/scheduled", params={
        "conversation_id": conversation_id, "status": "all"}).json()["items"]
    return items


def _dialog(qtbot: QtBot, window: MainWindow) -> ScheduleDialog:
    """The schedule dialog, once the recipients are read and it opens."""
    qtbot.waitUntil(lambda: window.scheduled.dialog is not None, timeout=WAIT_MS)
    dialog = window.scheduled.dialog
    assert dialog is not None
    return dialog


def _open_window(qtbot: QtBot, backend: BackendProcess, make_workspace: WorkspaceFactory,
                 window_for: MainWindowFactory, conversation_id: str) -> MainWindow:
    workspace = make_workspace(backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    qtbot.waitUntil(lambda: workspace.conversations.conversation(conversation_id) is not None,
                    timeout=WAIT_MS)
    assert window.select_conversation(conversation_id)
    return window


def test_schedule_edit_and_cancel_from_compose_and_the_strip(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    conversation_id, _ = direct_chat(http, "Sid Scheduled")
    window = _open_window(qtbot, module_backend, make_workspace, window_for, conversation_id)
    compose, scheduled = window.compose, window.scheduled
    button = window.findChild(QAbstractButton, "scheduleButton")
    assert button is compose.schedule_button
    assert not button.isEnabled()  # nothing typed
    compose.edit.setPlainText("Your keys are ready at the front desk.")
    assert button.isEnabled()
    button.click()
    dialog = _dialog(qtbot, window)
    assert window.findChild(QDialog, "scheduleDialog") is dialog
    (their_time,) = dialog.recipient_times
    assert " CST" in their_time.text()  # 469: Dallas
    dialog.pick_buttons[1].click()  # Tomorrow 09:00
    chosen = dialog.moment
    dialog.save_button.click()
    qtbot.waitUntil(lambda: scheduled.dialog is None, timeout=WAIT_MS)
    assert compose.text() == ""  # kept for later: the box is free again
    strip = window.findChild(QWidget, "scheduledStrip")
    assert strip is window.scheduled_strip
    qtbot.waitUntil(lambda: strip.isVisible() and strip.list.model.rowCount() == 1,
                    timeout=WAIT_MS)
    assert strip.summary.text().startswith("1 scheduled · next Tomorrow")
    qtbot.waitUntil(lambda: [i["status"] for i in _on_server(http, conversation_id)]
                    == ["scheduled"], timeout=WAIT_MS)
    (kept,) = _on_server(http, conversation_id)
    assert kept["body"] == "Your keys are ready at the front desk."
    assert datetime.fromisoformat(kept["send_at"]) == chosen

    # Edit from the strip: new words.
    strip.expand(True)
    strip.list.edit_button.click()
    editor = _dialog(qtbot, window)
    assert editor.body_edit.toPlainText() == "Your keys are ready at the front desk."
    assert editor.moment == chosen
    editor.body_edit.setPlainText("Keys are at the desk after 10.")
    editor.save_button.click()
    qtbot.waitUntil(lambda: scheduled.dialog is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: [i["body"] for i in _on_server(http, conversation_id)]
                    == ["Keys are at the desk after 10."], timeout=WAIT_MS)
    # (The strip re-reads on its worker: under load that may land after the server's answer.)
    qtbot.waitUntil(lambda: "Keys are at the desk after 10."
                    in strip.list.model.index(0, 0).data(), timeout=WAIT_MS)

    # Cancel: gone from the strip at once, cancelled on the server.
    strip.list.cancel_button.click()
    qtbot.waitUntil(lambda: strip.isHidden(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: [i["status"] for i in _on_server(http, conversation_id)]
                    == ["cancelled"], timeout=WAIT_MS)


def test_ctrl_shift_enter_schedules_and_the_list_of_all_opens_its_conversation(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    first, _ = direct_chat(http, "Ann All")
    second, _ = direct_chat(http, "Ben All")
    window = _open_window(qtbot, module_backend, make_workspace, window_for, first)
    scheduled = window.scheduled
    for conversation_id, body in ((first, "For Ann"), (second, "For Ben")):
        assert window.select_conversation(conversation_id)
        window.compose.edit.setPlainText(body)
        window.compose.edit.setFocus()
        press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return,
                          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        window.compose.edit.keyPressEvent(press)
        dialog = _dialog(qtbot, window)
        assert window.compose.text() == body  # Ctrl+Shift+Enter did not send it
        dialog.pick_buttons[0].click()
        dialog.save_button.click()
        qtbot.waitUntil(lambda: scheduled.dialog is None, timeout=WAIT_MS)
    action = window.findChild(QAction, "showScheduledAction")
    assert action is not None
    action.trigger()
    listing = scheduled.all_dialog
    assert listing is not None
    assert window.findChild(QDialog, "scheduledSendsDialog") is listing
    model = listing.list.model

    def texts() -> list[str]:
        return [model.index(r, 0).data() for r in range(model.rowCount())]

    qtbot.waitUntil(lambda: any("For Ann" in t for t in texts())
                    and any("For Ben" in t for t in texts()), timeout=WAIT_MS)
    ann = next(r for r, t in enumerate(texts()) if "For Ann" in t)
    assert "Ann All" in texts()[ann]  # where it goes
    listing.list.select(ann)
    assert listing.list.open_button is not None
    listing.list.open_button.click()
    assert window.conversation_panel.conversation is not None
    assert window.conversation_panel.conversation.id == first
    for item in listing.list.model.items():
        window.scheduled.cancel(item)
    qtbot.waitUntil(lambda: not [i for i in _on_server(http, first) + _on_server(http, second)
                                 if i["status"] == "scheduled"], timeout=WAIT_MS)


def test_a_send_that_fails_at_its_time_is_told_once(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    people = [new_person(http, "Gus Group"), new_person(http, "Hana Group")]
    chat = http.post("/v1/group-chats", json={
        "number_id": main_number(http),
        "participants": [{"contact_id": c, "phone": p} for c, p in people]})
    assert chat.status_code == 201, chat.text
    chat_id = chat.json()["id"]
    workspace = make_workspace(module_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    qtbot.waitUntil(lambda: workspace.conversations.conversation(chat_id) is not None,
                    timeout=WAIT_MS)
    told: list[str] = []
    original = window.show_notice

    def show_notice(notice: Notice) -> None:
        if "it's signed!" in notice.text:  # ours (others, e.g. replayed on attach, are not)
            told.append(notice.text)
        original(notice)

    window.show_notice = show_notice  # type: ignore[method-assign]
    workspace.scheduled.schedule_message(chat_id, "Both of you: it's signed!",
                                         datetime.now(UTC) + timedelta(seconds=6))
    qtbot.waitUntil(lambda: workspace.outbox.pending_count() == 0, timeout=WAIT_MS)
    assert http.post(f"/v1/contacts/{people[1][0]}/dnd", json={"dnd": True}).is_success
    qtbot.waitUntil(lambda: len(told) == 1, timeout=25_000)
    assert "was not sent" in told[0]
    assert "Both of you: it's signed!" in told[0]
    row = workspace.conversations.conversation(chat_id)
    assert row is not None
    assert row.title in told[0]  # where it was to go
    # Told once: another change set, or the window attached again, says nothing more.
    window.detach_workspace()
    window.attach_workspace(workspace)
    qtbot.wait(500)
    assert len(told) == 1
    assert workspace.scheduled.untold_failures() == []


def test_a_group_message_is_scheduled_from_its_composer_and_listed_with_its_group(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    name = f"Spring buyers {uuid.uuid4().hex[:4]}"
    group = http.post("/v1/groups", json={"name": name}).json()
    member, _ = new_person(http, "Gwen Buyer")
    assert http.put(f"/v1/groups/{group['id']}/members/{member}").is_success
    workspace = make_workspace(module_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    action = window.findChild(QAction, "showGroupMessagesAction")
    assert action is not None
    action.trigger()
    page = window.group_messages_page
    assert page is not None
    composer = page.composer
    qtbot.waitUntil(lambda: composer.choose_group(group["id"]), timeout=WAIT_MS)
    button = window.findChild(QAbstractButton, "groupMessageScheduleButton")
    assert button is composer.schedule_button
    assert not button.isEnabled()  # no title or message yet
    composer.title.setText("Open house")
    composer.body.setPlainText("Saturday at 10, 42 Elm Street.")
    assert button.isEnabled()
    button.click()
    dialog = page.schedule_dialog
    assert dialog is not None
    assert name in dialog.audience_note.text()
    assert dialog.recipient_times == []
    dialog.pick_buttons[1].click()  # Tomorrow 09:00
    chosen = dialog.moment
    dialog.save_button.click()
    qtbot.waitUntil(lambda: composer.status.text().startswith("Scheduled for Tomorrow 09:00"),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.schedule_dialog is None, timeout=WAIT_MS)  # closed, gone
    assert composer.body.toPlainText() == ""  # ready for the next one

    def on_server() -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = http.get("/v1/scheduled").json()["items"]
        return [i for i in items if i["group_id"] == group["id"]]

    qtbot.waitUntil(lambda: len(on_server()) == 1, timeout=WAIT_MS)
    (kept,) = on_server()
    assert (kept["kind"], kept["title"], kept["body"]) == (
        "group_message", "Open house", "Saturday at 10, 42 Elm Street.")
    assert datetime.fromisoformat(kept["send_at"]) == chosen
    listing = window.scheduled.show_all()
    model = listing.list.model
    qtbot.waitUntil(lambda: any(f"Group message to {name}" in str(model.index(r, 0).data())
                                for r in range(model.rowCount())), timeout=WAIT_MS)
    row = next(r for r in range(model.rowCount())
               if f"Group message to {name}" in str(model.index(r, 0).data()))
    listing.list.select(row)
    assert listing.list.open_button is not None
    assert not listing.list.open_button.isEnabled()  # no conversation to open
    listing.list.cancel_button.click()
    qtbot.waitUntil(lambda: not on_server(), timeout=WAIT_MS)  # cancelled: no longer listed


# -- quiet hours before a send ------------------------------------------------------------


def _night_window(qtbot: QtBot, backend: BackendProcess, make_workspace: WorkspaceFactory,
                  window_for: MainWindowFactory, conversation_id: str) -> MainWindow:
    """The window with quiet hours judged at 02:30 in New York (07:30 UTC)."""
    window = _open_window(qtbot, backend, make_workspace, window_for, conversation_id)
    night = datetime(2026, 1, 6, 7, 30, tzinfo=UTC)
    window.scheduled._quiet_clock = lambda: night
    return window


def _server_messages(http: httpx.Client, conversation_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = http.get(
        f"/v1/conversations/{conversation_id}/messages").json()["items"]
    return items


def test_a_send_at_night_warns_and_send_anyway_is_recorded(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    conversation_id = direct_chat(http, "Nora Night", area="212")[0]
    window = _night_window(qtbot, module_backend, make_workspace, window_for, conversation_id)
    compose = window.compose
    compose.edit.setPlainText("Sorry for the late text: the offer was accepted!")
    assert not compose.submit()  # held: the warning asks first
    box = window.findChild(QDialog, "quietHoursWarning")
    assert box is window.scheduled.warning
    assert box is not None
    assert "Nora Night: Today 02:30 EST (outside 08:00–21:00)" in box.informativeText()
    assert compose.text() == "Sorry for the late text: the offer was accepted!"  # kept
    # Cancel: nothing sent, the text stays.
    box.reject()
    qtbot.wait(300)
    assert _server_messages(http, conversation_id) == []
    assert compose.text() != ""
    # Send anyway: it goes, recorded as such.
    assert not compose.submit()
    box = window.scheduled.warning
    assert box is not None
    box.send_anyway_button.click()
    qtbot.waitUntil(lambda: compose.text() == "", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(_server_messages(http, conversation_id)) == 1, timeout=WAIT_MS)
    (sent,) = _server_messages(http, conversation_id)
    assert sent["body"] == "Sorry for the late text: the offer was accepted!"
    assert sent["quiet_hours_override"] is True


def test_a_send_at_night_can_be_scheduled_for_the_next_allowed_time(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    conversation_id = direct_chat(http, "Otto Overnight", area="212")[0]
    window = _open_window(qtbot, module_backend, make_workspace, window_for, conversation_id)
    # Judged now-ish but at night in New York: 02:30 there, a day from now.
    night = (datetime.now(UTC) + timedelta(days=1)).replace(hour=7, minute=30, second=0,
                                                            microsecond=0)
    window.scheduled._quiet_clock = lambda: night
    compose = window.compose
    compose.edit.setPlainText("Good morning! Keys are ready.")
    assert not compose.submit()
    box = window.scheduled.warning
    assert box is not None
    assert box.schedule_button is not None
    box.schedule_button.click()
    qtbot.waitUntil(lambda: compose.text() == "", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(_on_server(http, conversation_id)) == 1, timeout=WAIT_MS)
    (kept,) = _on_server(http, conversation_id)
    # 08:00 in New York that morning: the first time inside their hours.
    expected = night.astimezone(NEW_YORK).replace(hour=8, minute=0)
    assert datetime.fromisoformat(kept["send_at"]) == expected
    assert _server_messages(http, conversation_id) == []
    http.delete(f"/v1/scheduled/{kept['id']}")


def test_a_send_in_the_day_goes_unwarned(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    conversation_id = direct_chat(http, "Dana Day", area="212")[0]
    window = _open_window(qtbot, module_backend, make_workspace, window_for, conversation_id)
    noon = datetime(2026, 1, 6, 17, 0, tzinfo=UTC)  # 12:00 in New York
    window.scheduled._quiet_clock = lambda: noon
    window.compose.edit.setPlainText("Lunchtime hello")
    assert window.compose.submit()
    assert window.scheduled.warning is None
    qtbot.waitUntil(lambda: len(_server_messages(http, conversation_id)) == 1, timeout=WAIT_MS)
    assert _server_messages(http, conversation_id)[0]["quiet_hours_override"] is False
