"""Quiet hours before a group message, against a real backend: at night where members are,
Send… first names them with their local time (`quietHoursWarning`, a long list counted);
Send anyway leads to the confirmation and the server records it; Schedule keeps it for the
first time inside everyone's hours. In the day nothing asks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from pytestqt.qtbot import QtBot

from console.ui.group_message_confirm import GroupMessageConfirm
from console.ui.group_messages_page import MAX_LATE_SHOWN, GroupMessagesPage
from console.ui.qt import QAction, QDialog
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import (
    MainWindowFactory,
    WorkspaceFactory,
    api,
    group_of,
    wait_first_sync,
)

WAIT_MS = 15_000
NEW_YORK = ZoneInfo("America/New_York")


def _night() -> datetime:
    """02:30 tomorrow in New York: a time still ahead, so the next allowed one is too."""
    tomorrow = datetime.now(NEW_YORK).date() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, 2, 30, tzinfo=NEW_YORK)


def _page(qtbot: QtBot, backend: BackendProcess, make_workspace: WorkspaceFactory,
          window_for: MainWindowFactory, group_id: str, members: int) -> GroupMessagesPage:
    workspace = make_workspace(backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    action = window.findChild(QAction, "showGroupMessagesAction")
    assert action is not None
    action.trigger()
    page = window.group_messages_page
    assert page is not None
    qtbot.waitUntil(lambda: workspace.groups.recipients_now(group_id).count == members,
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.composer.choose_group(group_id), timeout=WAIT_MS)
    return page


def _confirmation(page: GroupMessagesPage) -> GroupMessageConfirm | None:
    return page.confirm_dialog


def _sent(http: httpx.Client, title: str) -> list[dict[str, Any]]:
    return [m for m in http.get("/v1/group-messages").json()["items"] if m["title"] == title]


def test_at_night_send_anyway_goes_through_the_confirmation_and_is_recorded(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    names = [f"Late {n} {uuid.uuid4().hex[:4]}" for n in range(MAX_LATE_SHOWN + 2)]
    group_id, _ = group_of(http, names)
    page = _page(qtbot, module_backend, make_workspace, window_for, group_id, len(names))
    night = _night()
    page._quiet_clock = lambda: night
    title = f"Night notice {uuid.uuid4().hex[:6]}"
    page.composer.title.setText(title)
    page.composer.body.setPlainText("The water is off tomorrow from 9 to 11.")
    assert page.confirm_send()
    qtbot.waitUntil(lambda: page.quiet_warning is not None, timeout=WAIT_MS)
    box = page.quiet_warning
    assert box is not None
    assert page.findChild(QDialog, "quietHoursWarning") is box
    assert _confirmation(page) is None  # the warning comes first
    assert box.text() == f"It is outside quiet hours for {len(names)} recipients where they are:"
    lines = box.informativeText().split("\n")
    assert len(lines) == MAX_LATE_SHOWN + 1
    assert lines[-1] == "…and 2 more."
    assert all("02:30 EST (outside 08:00–21:00)" in line or "02:30 EDT" in line
               for line in lines[:-1])
    assert box.schedule_button is not None
    box.send_anyway_button.click()
    qtbot.waitUntil(lambda: _confirmation(page) is not None, timeout=WAIT_MS)
    dialog = _confirmation(page)
    assert dialog is not None
    dialog.send_button.click()
    qtbot.waitUntil(lambda: len(_sent(http, title)) == 1, timeout=WAIT_MS)
    (sent,) = _sent(http, title)
    assert sent["quiet_hours_override"] is True
    assert sent["recipient_count"] == len(names)


def test_at_night_schedule_keeps_it_for_the_first_time_inside_everyones_hours(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    group_id, _ = group_of(http, [f"Early {uuid.uuid4().hex[:4]}"])
    page = _page(qtbot, module_backend, make_workspace, window_for, group_id, 1)
    night = _night()
    page._quiet_clock = lambda: night
    title = f"Morning notice {uuid.uuid4().hex[:6]}"
    page.composer.title.setText(title)
    page.composer.body.setPlainText("Keys are at the desk.")
    assert page.confirm_send()
    qtbot.waitUntil(lambda: page.quiet_warning is not None, timeout=WAIT_MS)
    box = page.quiet_warning
    assert box is not None
    assert box.schedule_button is not None
    box.schedule_button.click()

    def kept() -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = http.get("/v1/scheduled").json()["items"]
        return [s for s in items if s.get("title") == title]

    qtbot.waitUntil(lambda: len(kept()) == 1, timeout=WAIT_MS)
    (schedule,) = kept()
    at = datetime.fromisoformat(schedule["send_at"]).astimezone(NEW_YORK)
    assert (at.date(), at.hour, at.minute) == (night.date(), 8, 0)
    assert _sent(http, title) == []  # nothing went now
    assert page.composer.title.text() == ""  # kept for later: the composer is free again
    assert page.confirm_dialog is None


def test_in_the_day_nothing_asks(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    group_id, _ = group_of(http, [f"Day {uuid.uuid4().hex[:4]}"])
    page = _page(qtbot, module_backend, make_workspace, window_for, group_id, 1)
    noon = _night().replace(hour=12)
    page._quiet_clock = lambda: noon.astimezone(UTC)
    page.composer.title.setText(f"Noon {uuid.uuid4().hex[:6]}")
    page.composer.body.setPlainText("Lunch is on us.")
    assert page.confirm_send()
    qtbot.waitUntil(lambda: page.confirm_dialog is not None, timeout=WAIT_MS)
    assert page.quiet_warning is None
