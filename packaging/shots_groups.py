"""Screenshots of the Groups page with a group's members (and the add-member picker) and of a
person's conversation with the person panel open (their groups), for packaging/screenshots.py.
"""

from __future__ import annotations

from typing import Any


def shoot_groups_page(shooter: Any, window: Any, workspace: Any) -> None:
    """The Groups page (Ctrl+3) with "Spring buyers" selected, a member being added and one
    being removed (pending), then the add-member picker with two people checked."""
    from console.ui.add_members_dialog import AddMembersDialog

    window.show_groups_action.trigger()
    page = window.groups_page
    assert page is not None
    shooter.wait_until(lambda: page.model.rowCount() > 0, 15, "the groups")
    spring = next(
        g for g in workspace.groups.groups_page("", 0, 50) if g.name == "Spring buyers"
    )
    page.select_group(spring.id)
    shooter.wait_until(lambda: page.member_model.rowCount() > 0, 15, "the members")
    shooter.grab(window, "20-groups-page")

    dialog = page.add_members()
    assert isinstance(dialog, AddMembersDialog)
    shooter.wait_until(lambda: dialog.searches > 0, 15, "the picker's first search")
    for row in (0, 2):
        dialog.model.toggle(row)
    shooter.grab(dialog, "21-add-members-picker")
    dialog.reject()

    page.search.setText("")
    window.show_conversations()


def shoot_person_panel(shooter: Any, window: Any, workspace: Any) -> None:
    """Maria Gonzalez's 1:1 conversation with the person panel open: her numbers, whom she is
    assigned to, and her groups."""
    from console.domain.conversations import ConversationKind

    rows = workspace.conversations.list_conversations()
    direct = next(
        r for r in rows if r.kind is ConversationKind.DIRECT and r.title == "Maria Gonzalez"
    )
    window.select_conversation(direct.id)
    panel = window.conversation_panel
    was_open = panel.participant_panel_open()
    panel.set_participant_panel_open(True)
    shooter.wait_until(lambda: panel.person_panel.isVisible(), 10, "the person panel")
    shooter.grab(window, "22-person-panel")
    panel.set_participant_panel_open(was_open)
