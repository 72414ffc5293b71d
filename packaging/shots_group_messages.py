"""Screenshots of the Group messages page (Ctrl+4) for packaging/screenshots.py: the composer
with its live preview, its confirmation, the sent list with statistics, and one message's
recipients."""

from __future__ import annotations

from typing import Any


def _with_dialog(window: Any, dialog: Any) -> Any:
    """The window with `dialog` painted over its middle, as the user sees a window-modal one."""
    from PySide6.QtGui import QPainter

    picture = window.grab()
    shot = dialog.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), _dim())
    x = (picture.width() - shot.width()) // 2
    y = (picture.height() - shot.height()) // 3
    painter.drawPixmap(x, y, shot)
    painter.end()
    return picture


def _dim() -> Any:
    from PySide6.QtGui import QColor

    return QColor(20, 24, 32, 70)


def shoot_group_messages(shooter: Any, window: Any, workspace: Any) -> None:
    """Compose to "Spring buyers" as another agent, confirm (the count at this moment), send,
    then the sent list and the seeded message's recipients (fetched from the server)."""
    window.show_group_messages_action.trigger()
    page = window.group_messages_page
    assert page is not None
    shooter.wait_until(lambda: page.model.rowCount() > 0, 15, "the sent group messages")
    page.new_group_message()
    composer = page.composer
    groups = workspace.groups.groups_page("", 0, 50)
    spring = next(g for g in groups if g.name == "Spring buyers")
    composer.choose_group(spring.id)
    priya = next(
        (u.id for u in workspace.contacts.assignable_users() if u.name == "Priya Shah"), None
    )
    if priya is not None:
        composer.choose_sender(priya)
    composer.title.setText("June showings follow-up")
    composer.body.setPlainText(
        "Hi {first_name}! Thanks for visiting our spring open houses. Three new listings come "
        "on the market next week - reply here and I'll send you the details before they go "
        "public."
    )
    shooter.grab(window, "30-group-message-composer")

    assert page.confirm_send(), composer.status.text()
    # Each member's text (merge fields) and quiet hours are checked on a worker first.
    shooter.wait_until(lambda: page.confirm_dialog is not None, 10, "the confirmation")
    dialog = page.confirm_dialog
    shooter.settle()
    shooter.save(_with_dialog(window, dialog), "31-group-message-confirm")
    dialog.send_button.click()
    shooter.wait_until(lambda: "Sent to" in composer.status.text(), 15, "the send")
    shooter.grab(window, "32-group-messages-sent")

    seeded = next(
        r for r in workspace.groups.sent_page("", 0, 50) if r.title == "Spring open houses"
    )
    page.select_message(seeded.key)
    shooter.wait_until(lambda: page.detail.model.rowCount() > 0, 15, "the recipients")
    shooter.grab(window, "33-group-message-recipients")
    window.show_conversations()
