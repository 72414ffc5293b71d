"""Per-recipient delivery of a group chat message in the conversation panel, against the real
backend on loopback (simulator carrier): a participant whose handset the simulator cannot
reach (a number ending 555-0194: carrier error 30003) fails while the others get it, and the
bubble's status line, the red line under it, its tooltip and its `deliveryDetails` popup (a
click on the bubble, or Space on the focused message) say who failed and why; a send that
reaches everyone says delivered for each."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.messages import Direction, MessageStatus
from console.domain.phones import format_display
from console.services.chat_details import ChatDetails, ParticipantRow
from console.services.types import MessageRow, RecipientDeliveryRow
from console.ui.conversation_view import MessageListView
from console.ui.delivery_details import DeliveryDetails
from console.ui.message_model import MessageListModel
from console.ui.qt import QDialog, QModelIndex, QPoint, Qt
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import WorkspaceFactory, api
from tests.ui.test_group_chat_view import (  # noqa: F401 (chat_view is a fixture)
    ChatView,
    Numbers,
    chat_view,
    new_chat,
    new_person,
    synced_chat_view,
)

WAIT_MS = 15_000
UNREACHABLE = "+14155550194"  # the simulator cannot reach it: carrier error 30003
REASON = "the handset is unreachable (carrier error 30003)"


def _list_view(view: ChatView) -> MessageListView:
    found = view.panel.findChild(MessageListView, "conversationView")
    assert found is not None
    return found


def _details(view: ChatView) -> DeliveryDetails | None:
    for dialog in view.panel.findChildren(QDialog, "deliveryDetails"):
        if isinstance(dialog, DeliveryDetails) and dialog.isVisible():
            return dialog
    return None


def _send(qtbot: QtBot, view: ChatView, body: str, recipients: int) -> QModelIndex:
    view.compose.edit.setPlainText(body)
    view.compose.submit()

    def settled() -> bool:
        index = view.message(body)
        row = index.data(MessageListModel.RowRole) if index.isValid() else None
        return isinstance(row, MessageRow) and len(row.deliveries) == recipients and all(
            d.status in ("delivered", "failed") for d in row.deliveries
        )

    qtbot.waitUntil(settled, timeout=WAIT_MS)
    return view.message(body)


def test_one_unreachable_participant_shows_who_failed_and_why(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    fresh_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    chat_view: Any,  # noqa: F811
) -> None:
    number = Numbers()
    with api(fresh_backend) as http:
        maria = new_person(http, "Maria Gonzalez", number())
        james = new_person(http, "James Whitaker", UNREACHABLE)
        lily = new_person(http, "Lily Chen", number())
        chat = new_chat(http, [(maria, maria.phones[0]), (james, UNREACHABLE),
                               (lily, lily.phones[0])])
        everyone = new_chat(http, [(maria, maria.phones[0]), (lily, lily.phones[0])])
    view = synced_chat_view(qtbot, fresh_backend, make_workspace, chat_view, chat)
    qtbot.waitUntil(lambda: len(view.panel.model.participants) == 3, timeout=WAIT_MS)

    tag = uuid.uuid4().hex[:6]
    body = f"Offer accepted {tag}"
    index = _send(qtbot, view, body, 3)
    row = index.data(MessageListModel.RowRole)
    # Not "delivered" (someone did not get it), yet not shown as a failed message either.
    assert row.status == "undelivered"
    qtmodeltester.check(view.panel.model)

    # At a glance: the counts beside the time, and who did not get it, in red, underneath.
    listing = _list_view(view)
    meta, under = listing.message_delegate.status_lines(index)
    assert meta.endswith("Delivered to 2 of 3 \u2014 1 failed")
    assert under == f"Not delivered to James Whitaker: {REASON}"

    spoken = index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert f"(Delivered to 2 of 3 \u2014 1 failed; {under})" in spoken
    # The status text other views read says the same, not "Undelivered".
    assert index.data(MessageListModel.StatusTextRole) == "Delivered to 2 of 3 \u2014 1 failed"

    # The tooltip, per participant, matched by number.
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Delivered to 2 of 3 participants; 1 failed.")
    assert f"Maria Gonzalez {format_display(maria.phones[0])}: delivered" in tip
    assert f"Lily Chen {format_display(lily.phones[0])}: delivered" in tip
    assert f"James Whitaker {format_display(UNREACHABLE)}: failed: {REASON}" in tip

    # A click on the bubble opens the detail popup listing each recipient.
    listing.scrollTo(index)
    rect = listing.visualRect(index)
    bubble = listing.message_delegate.bubble_rect(index)
    point = rect.topLeft() + bubble.center().toPoint()
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point))
    qtbot.waitUntil(lambda: _details(view) is not None, timeout=WAIT_MS)
    details = _details(view)
    assert details is not None
    lines = details.text().splitlines()
    assert lines[0] == "Delivered to 2 of 3 participants; 1 failed."
    assert lines[1:] == [
        f"Maria Gonzalez {format_display(maria.phones[0])}: delivered",
        f"James Whitaker {format_display(UNREACHABLE)}: failed: {REASON}",
        f"Lily Chen {format_display(lily.phones[0])}: delivered",
    ]
    details.close()
    qtbot.waitUntil(lambda: _details(view) is None, timeout=WAIT_MS)

    # A chat everyone can get it in: delivered for each, nothing in red, the popup says so
    # (opened from the keyboard this time: Space on the focused message).
    view.open(everyone.id)
    qtbot.waitUntil(lambda: len(view.panel.model.participants) == 2, timeout=WAIT_MS)
    body = f"See you at the closing {tag}"
    index = _send(qtbot, view, body, 2)
    assert index.data(MessageListModel.StatusRole) == "delivered"
    meta, under = listing.message_delegate.status_lines(index)
    assert meta.endswith("\u00b7 Delivered")
    assert under == ""
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Delivered to all 2 participants.")
    listing.setFocus()
    listing.setCurrentIndex(index)
    qtbot.keyClick(listing, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _details(view) is not None, timeout=WAIT_MS)
    details = _details(view)
    assert details is not None
    assert details.text().splitlines() == [
        "Delivered to all 2 participants.",
        f"Maria Gonzalez {format_display(maria.phones[0])}: delivered",
        f"Lily Chen {format_display(lily.phones[0])}: delivered",
    ]
    details.close()


def _chat(name: str) -> ChatDetails:
    """A fresh group chat's details (a new participants tuple each time)."""
    people = [ParticipantRow("c1", "Maria Gonzalez", "+14155550111", "(415) 555-0111",
                             "primary", ()),
              ParticipantRow("c2", name, UNREACHABLE, format_display(UNREACHABLE),
                             "primary", ())]
    return ChatDetails("chat", ConversationKind.GROUP_SMS, ConversationStatus.ACTIVE, None,
                       "num", "(415) 555-0100", None, tuple(people))


def test_a_renamed_participant_is_named_not_a_cached_earlier_name(qtbot: QtBot) -> None:
    """The bubble's geometry is cached; the participants it names are part of its key by
    value: a new participants tuple may sit where a freed one did, so its id() is no key."""
    model = MessageListModel()
    listing = MessageListView(model)
    qtbot.addWidget(listing)
    model.upsert([MessageRow(
        key="m1", server_id="m1", conversation_id="", direction=Direction.OUT, author="Me",
        body="Offer accepted", status=MessageStatus.UNDELIVERED, error=None,
        created_at=datetime.now(UTC),
        deliveries=(RecipientDeliveryRow("+14155550111", MessageStatus.DELIVERED),
                    RecipientDeliveryRow(UNREACHABLE, MessageStatus.FAILED, REASON)),
    )])
    for n in range(40):
        name = f"James Whitaker {n}"
        model.set_chat(_chat(name))  # the previous details (and their tuple) are freed
        meta, under = listing.message_delegate.status_lines(model.index(0, 0))
        assert meta.endswith("Delivered to 1 of 2 \u2014 1 failed")
        assert under == f"Not delivered to {name}: {REASON}"
