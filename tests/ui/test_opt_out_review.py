"""Suspected opt-outs in the window, against a real backend: a simulated "please stop texting
me" raises the sidebar's counter (`optOutReviewButton`) and its list (`optOutReviewList`),
opens the conversation with `optOutBanner`; Confirm turns the person's DND on on the server
(recorded as this agent) and blocks their group chat (`blockedBanner`); Not an opt-out closes
the flag. The age tone is a pure function of the flag's time and a given `now`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pytestqt.qtbot import QtBot

from console.domain.opt_out import FlagAge
from console.services.types import ConversationRow, OptOutAction, OptOutFlag
from console.services.workspace import Workspace
from console.ui.main_window import MainWindow
from console.ui.opt_out_review import (
    OptOutBanner,
    OptOutReviewButton,
    age_text,
    menu_entry,
    tone_of,
)
from console.ui.qt import QAbstractButton, QMenu, QWidget
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import MainWindowFactory, WorkspaceFactory, api, wait_first_sync

WAIT_MS = 15_000
PLEA = "please stop texting me"
NOW = datetime(2026, 4, 20, 12, 0, tzinfo=UTC)


# -- the age tone: pure, for fixed times --------------------------------------------------------


@pytest.mark.parametrize(
    ("waited", "age", "tone"),
    [
        (timedelta(0), FlagAge.FRESH, "info"),
        (timedelta(hours=23, minutes=59), FlagAge.FRESH, "info"),
        (timedelta(days=1), FlagAge.AGING, "warning"),
        (timedelta(days=3), FlagAge.AGING, "warning"),
        (timedelta(days=3, seconds=1), FlagAge.OVERDUE, "danger"),
        (timedelta(days=40), FlagAge.OVERDUE, "danger"),
    ],
)
def test_age_tone_for_fixed_times(waited: timedelta, age: FlagAge, tone: str) -> None:
    assert FlagAge.of(NOW - waited, NOW) is age
    assert tone_of(age) == tone


def test_age_words() -> None:
    assert age_text(NOW - timedelta(seconds=20), NOW) == "just now"
    assert age_text(NOW - timedelta(minutes=5), NOW) == "5 minutes ago"
    assert age_text(NOW - timedelta(hours=1), NOW) == "1 hour ago"
    assert age_text(NOW - timedelta(days=2, hours=3), NOW) == "2 days ago"


def _flag(waited: timedelta, pending: OptOutAction | None = None) -> OptOutFlag:
    return OptOutFlag("c1", "Ada Lovelace", "m1", NOW - waited, PLEA, pending)


def _row(flag: OptOutFlag | None) -> ConversationRow:
    return ConversationRow(
        id="c1", kind="direct", title="Ada Lovelace", subtitle="", preview=PLEA,  # type: ignore[arg-type]
        last_message_at=NOW, unread_count=0, status="active", opt_out=flag,  # type: ignore[arg-type]
    )


def test_banner_shows_the_message_its_age_as_a_tone_and_pending(qtbot: QtBot) -> None:
    banner = OptOutBanner(clock=lambda: NOW)
    qtbot.addWidget(banner)
    banner.show_for(_row(_flag(timedelta(hours=2))))
    assert not banner.isHidden()
    assert PLEA in banner.text.text()
    assert "2 hours ago" in banner.age.text()
    assert banner.tone == "info"
    banner.show_for(_row(_flag(timedelta(days=2))))
    assert banner.tone == "warning"
    banner.show_for(_row(_flag(timedelta(days=5))))
    assert banner.tone == "danger"
    assert banner.confirm_button.isEnabled()
    with qtbot.waitSignal(banner.confirmRequested) as confirmed:
        banner.confirm_button.click()
    assert confirmed.args == ["c1"]

    banner.show_for(_row(_flag(timedelta(days=5), OptOutAction.CONFIRM)))
    assert "Confirming" in banner.age.text()
    assert not banner.confirm_button.isEnabled()
    assert not banner.dismiss_button.isEnabled()
    banner.show_for(_row(None))
    assert banner.isHidden()


def test_review_list_oldest_first_with_age_and_opens(qtbot: QtBot) -> None:
    button = OptOutReviewButton(clock=lambda: NOW)
    qtbot.addWidget(button)
    button.show_flags([])
    assert button.isHidden()
    older = OptOutFlag("c2", "Bo Brown", "m2", NOW - timedelta(days=4), "stop messaging me pls")
    button.show_flags([older, _flag(timedelta(minutes=3))])
    assert not button.isHidden()
    assert button.text() == "2 opt-outs to review"
    actions = button.menu_list.actions()
    assert [a.text() for a in actions] == [
        menu_entry(older, NOW), menu_entry(_flag(timedelta(minutes=3)), NOW)
    ]
    assert "Bo Brown" in actions[0].text()
    assert "4 days ago" in actions[0].text()
    with qtbot.waitSignal(button.openConversation) as opened:
        actions[0].trigger()
    assert opened.args == ["c2"]


def test_the_list_rewords_the_ages_as_time_passes_without_a_new_read(qtbot: QtBot) -> None:
    clock = [NOW]
    button = OptOutReviewButton(clock=lambda: clock[0])
    qtbot.addWidget(button)
    flag = _flag(timedelta(hours=20))
    button.show_flags([flag])
    assert button.property("tone") == "info"
    clock[0] = NOW + timedelta(days=2)  # the console stayed open; nothing changed meanwhile
    button.menu_list.aboutToShow.emit()
    (entry,) = button.menu_list.actions()
    assert entry.text() == menu_entry(flag, clock[0])
    assert "2 days ago" in entry.text()
    assert button.property("tone") == "warning"


# -- end to end, on a real backend ------------------------------------------------------------


def _new_person(http: httpx.Client, name: str) -> tuple[str, str]:
    phone = f"+1603555{uuid.uuid4().int % 10_000:04d}"
    made = http.post("/v1/contacts", json={"name": name, "phones": [{"number": phone}]})
    assert made.status_code == 201, made.text
    return made.json()["id"], phone


def _main_number(http: httpx.Client) -> dict[str, str]:
    items = http.get("/v1/numbers").json()["items"]
    found: dict[str, str] = next(n for n in items if n["label"] == "Main office")
    return found


def _texts(http: httpx.Client, phone: str, body: str) -> str:
    sent = http.post(
        "/v1/simulator/inbound",
        json={"from": phone, "to": [_main_number(http)["e164"]], "body": body},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert sent.status_code == 201, sent.text
    conversation_id: str = sent.json()["conversation_id"]
    return conversation_id


def _review_button(window: MainWindow) -> OptOutReviewButton:
    button = window.findChild(OptOutReviewButton, "optOutReviewButton")
    assert button is not None
    return button


def _banner(window: MainWindow) -> OptOutBanner:
    banner = window.findChild(OptOutBanner, "optOutBanner")
    assert banner is not None
    return banner


def _open_from_review_list(qtbot: QtBot, window: MainWindow, conversation_id: str) -> None:
    button = _review_button(window)
    qtbot.waitUntil(
        lambda: conversation_id in [f.conversation_id for f in button.flags], timeout=WAIT_MS
    )
    assert button.isVisible()
    menu = window.findChild(QMenu, "optOutReviewList")
    assert menu is button.menu_list
    index = [f.conversation_id for f in button.flags].index(conversation_id)
    action = menu.actions()[index]
    assert PLEA in action.text()
    action.trigger()
    qtbot.waitUntil(
        lambda: window.conversation_panel.conversation_id == conversation_id, timeout=WAIT_MS
    )


def test_confirm_from_the_banner_turns_dnd_on_and_blocks_their_group_chat(
    qtbot: QtBot,
    module_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    contact_id, phone = _new_person(http, "Opal Banner")
    other_id, other_phone = _new_person(http, "Quill Banner")
    chat = http.post(
        "/v1/group-chats",
        json={
            "number_id": _main_number(http)["id"],
            "participants": [
                {"contact_id": contact_id, "phone": phone},
                {"contact_id": other_id, "phone": other_phone},
            ],
        },
    )
    assert chat.status_code == 201, chat.text
    workspace: Workspace = make_workspace(module_backend)
    window = window_for(workspace)
    wait_first_sync(qtbot, workspace)
    conversation_id = _texts(http, phone, PLEA)

    _open_from_review_list(qtbot, window, conversation_id)
    banner = _banner(window)
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    assert PLEA in banner.text.text()
    assert banner.tone == "info"
    confirm = window.findChild(QAbstractButton, "optOutConfirmButton")
    assert confirm is not None
    assert "Do Not Disturb" in confirm.toolTip()
    confirm.click()

    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: http.get(f"/v1/contacts/{contact_id}").json()["dnd"] is True, timeout=WAIT_MS
    )
    latest = http.get(f"/v1/contacts/{contact_id}/dnd-history").json()["items"][0]
    assert (latest["source"], latest["user_id"]) == ("opt_out_confirmed", workspace.session.user.id)
    qtbot.waitUntil(
        lambda: conversation_id not in [f.conversation_id for f in _review_button(window).flags],
        timeout=WAIT_MS,
    )

    # Their group chat is blocked: its banner says so.
    chat_id = chat.json()["id"]
    qtbot.waitUntil(
        lambda: (row := workspace.conversations.conversation(chat_id)) is not None
        and row.status == "blocked",
        timeout=WAIT_MS,
    )
    assert window.open_conversation(chat_id)
    blocked = window.findChild(QWidget, "blockedBanner")
    assert blocked is not None
    qtbot.waitUntil(blocked.isVisible, timeout=WAIT_MS)


def test_dismiss_from_the_banner_closes_the_flag(
    qtbot: QtBot,
    module_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    contact_id, phone = _new_person(http, "Dora Dismiss")
    workspace: Workspace = make_workspace(module_backend)
    window = window_for(workspace)
    wait_first_sync(qtbot, workspace)
    conversation_id = _texts(http, phone, PLEA)

    _open_from_review_list(qtbot, window, conversation_id)
    banner = _banner(window)
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    dismiss = window.findChild(QAbstractButton, "optOutDismissButton")
    assert dismiss is not None
    dismiss.click()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: http.get(f"/v1/conversations/{conversation_id}").json()["opt_out_suspected"]
        is None,
        timeout=WAIT_MS,
    )
    assert http.get(f"/v1/contacts/{contact_id}").json()["dnd"] is False
