"""Screenshots of scheduled sends (issue 14): the schedule dialog with each participant's local
time, the strip above compose with the conversation's sends, and the list of them all."""

from __future__ import annotations

from typing import Any


def shoot_scheduled(shooter: Any, window: Any, workspace: Any) -> None:
    from console.domain.conversations import ConversationKind, ConversationStatus

    rows = workspace.conversations.list_conversations()
    chat = next(r for r in rows if r.kind is ConversationKind.GROUP_SMS
                and r.status is ConversationStatus.ACTIVE)
    window.select_conversation(chat.id)
    compose, scheduled = window.compose, window.scheduled
    compose.edit.setPlainText(
        "Reminder: the open house at 42 Elm Street starts at 10:00 tomorrow. "
        "Parking is behind the building."
    )
    compose.schedule_button.click()
    shooter.wait_until(lambda: scheduled.dialog is not None, 5, "the schedule dialog")
    dialog = scheduled.dialog
    shooter.settle()
    shooter.grab(dialog, "05c-schedule-dialog")
    dialog.pick_buttons[1].click()  # Tomorrow 09:00
    dialog.save_button.click()
    strip = window.scheduled_strip
    shooter.wait_until(lambda: scheduled.dialog is None and strip.isVisible(), 10,
                       "the scheduled strip")
    compose.edit.setPlainText("Thanks all, see you Saturday!")
    compose.schedule_button.click()
    shooter.wait_until(lambda: scheduled.dialog is not None, 5, "the second dialog")
    scheduled.dialog.pick_buttons[-1].click()  # Monday 09:00
    scheduled.dialog.save_button.click()
    shooter.wait_until(lambda: strip.list.model.rowCount() == 2, 10, "two scheduled")
    strip.expand(True)
    shooter.settle()
    shooter.grab(window, "05d-scheduled-strip")
    listing = scheduled.show_all()
    shooter.wait_until(lambda: listing.list.model.rowCount() >= 2, 10, "the list of them all")
    shooter.settle()
    shooter.grab(listing, "05e-scheduled-all")
    listing.close()
    strip.expand(False)
