"""Screenshots of a conversation row's right-click menu and of a group chat started instead of
a blocked one, with the links between the two. For packaging/screenshots.py (after the first
sync, the window showing the workspace):

    from shots_menu_and_links import shoot_row_menu, shoot_replacement  # this folder is
    shoot_row_menu(shooter, window, workspace)                         # sys.path[0] there
    shoot_replacement(shooter, window, blocked_id)

The replacement is made the way a user makes it: the blocked chat's "New group chat without
..." button, then Create in the editor it opens prefilled. Shoot it last: the blocked chat
links to its replacement from then on.
"""

from __future__ import annotations

from typing import Any

import shiboken6


def shoot_row_menu(shooter: Any, window: Any, workspace: Any) -> None:
    """`conversationMenu` open on an active group chat's row (read, so "Mark as unread" is on),
    its "Mark as unread" under the pointer. The menu is a popup window of its own, which a grab
    of the main window leaves out, so it is painted onto that grab where it stands."""
    from PySide6.QtGui import QAction, QPainter

    from console.domain.conversations import ConversationKind, ConversationStatus
    from console.ui.conversation_list import ConversationListModel

    model = window.conversation_model
    rows = [model.conversation_at(r) for r in range(model.rowCount())]
    chat = next(
        r for r in rows
        if r is not None
        and r.kind is ConversationKind.GROUP_SMS
        and r.status is ConversationStatus.ACTIVE
    )
    window.select_conversation(chat.id)
    shooter.wait_until(
        lambda: (row := model.known(chat.id)) is not None and row.unread_count == 0,
        10,
        "the chat to be read",
    )
    view = window.conversation_list
    index = model.index_of(chat.id)
    assert index.data(ConversationListModel.IdRole) == chat.id
    rect = view.visualRect(index)
    menu = window.conversation_menu(chat.id)
    assert menu is not None
    menu.popup(view.viewport().mapToGlobal(rect.center()))
    shooter.wait_until(menu.isVisible, 5, "the row menu")
    unread = menu.findChild(QAction, "markUnreadAction")
    assert unread is not None
    assert unread.isEnabled()
    menu.setActiveAction(unread)
    shooter.settle()
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(menu.pos()), menu.grab())
    painter.end()
    shooter.save(picture, "17-conversation-row-menu")
    menu.close()


def shoot_replacement(shooter: Any, window: Any, blocked_id: str) -> None:
    """The new chat's header: "Continues <the blocked chat>" (`continuesLink`); then the blocked
    chat's: "Replaced by <the new chat>" (`replacedByLink`), once the server has made it."""
    from PySide6.QtWidgets import QAbstractButton

    panel = window.conversation_panel
    assert window.select_conversation(blocked_id)
    button = window.findChild(QAbstractButton, "newGroupWithoutButton")
    assert button is not None
    shooter.wait_until(button.isVisible, 10, "the blocked chat's banner")
    button.click()
    editor = window.chat_actions.editor
    assert editor is not None
    create = editor.findChild(QAbstractButton, "groupEditorCreate")
    assert create is not None
    shooter.wait_until(
        lambda: editor.number_picker.count() > 0 and bool(editor.chosen()) and create.isEnabled(),
        10,
        "the prefilled editor",
    )
    create.click()
    continues = panel.findChild(QAbstractButton, "continuesLink")
    replaced_by = panel.findChild(QAbstractButton, "replacedByLink")
    assert continues is not None
    assert replaced_by is not None
    # The editor deletes itself once the server confirms the chat, which may come first.
    shooter.wait_until(
        lambda: (not shiboken6.isValid(editor) or not editor.isVisible()) and continues.isVisible(),
        15,
        "the link",
    )

    # Live once the server confirms it: wait for that, so the shot shows no "Pending" tag.
    def live() -> bool:
        row = window.conversation_model.known(panel.conversation_id)
        return row is not None and not row.pending and continues.isVisible()

    shooter.wait_until(live, 15, "the new chat to go live")
    shooter.grab(window, "18-group-chat-continues")

    shooter.wait_until(
        lambda: (row := window.conversation_model.known(blocked_id)) is not None
        and row.replaced_by is not None,
        15,
        "the blocked chat to name its replacement",
    )
    continues.click()
    shooter.wait_until(replaced_by.isVisible, 10, "the Replaced by link")
    shooter.grab(window, "19-blocked-chat-replaced-by")
