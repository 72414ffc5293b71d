"""The right-click menu of a conversation row (objectName `conversationMenu`).

What fits the row: Open; Mark as unread (disabled when it is unread already; it does not open
the chat, and goes to the server through the outbox); Participants for a group chat (opens its
participant panel); a new group chat with the same people from the same business number,
prefilled in the group editor. For a blocked chat that is "without" the people whose Do Not
Disturb blocks it, and the new chat replaces the blocked one, as the blocked banner's button
does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from console.domain.conversations import ConversationKind
from console.services.types import ConversationRow
from console.ui.i18n import translate
from console.ui.qt import QAction, QFont, QMenu, QWidget

if TYPE_CHECKING:
    from console.services.conversations import ConversationPeople, PersonRef

TAG_DND = "dnd"  # console.domain.group_chat.TAG_DND (not imported: the UI stays off the domain)
TAG_DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class NewGroupSeed:
    """What the group editor opens with."""

    number_id: str | None
    participants: tuple[tuple[str, str], ...]  # (contact id, E.164)
    replaces: str | None  # the blocked chat the new one replaces
    without: tuple[str, ...]  # names left out (DND)


def new_group_seed(conversation_id: str, people: ConversationPeople) -> NewGroupSeed | None:
    """The editor's prefill for "new group chat with these people" (None: nobody to text)."""
    keep: list[PersonRef] = []
    left_out: list[str] = []
    for person in people.participants:
        if not person.contact_id or not person.e164 or TAG_DELETED in person.tags:
            continue  # a deleted contact cannot be chosen again
        if people.blocked and TAG_DND in person.tags:
            left_out.append(person.name or person.e164)
            continue
        keep.append(person)
    if not keep:
        return None
    group = people.kind is ConversationKind.GROUP_SMS
    replaces = conversation_id if people.blocked and group else None
    return NewGroupSeed(
        number_id=people.number_id,
        participants=tuple((p.contact_id, p.e164) for p in keep),
        replaces=replaces,
        without=tuple(left_out),
    )


def _without_text(names: Sequence[str]) -> str:
    firsts = [name.split()[0] if name.split() else name for name in names]
    return ", ".join(firsts)


def build_conversation_menu(
    parent: QWidget,
    row: ConversationRow,
    people: ConversationPeople | None,
    *,
    on_open: Callable[[str], object],
    on_participants: Callable[[str], object],
    on_new_group: Callable[[NewGroupSeed], None],
    on_mark_unread: Callable[[str], object] | None = None,
    can_create: bool = True,
) -> QMenu:
    menu = QMenu(parent)
    menu.setObjectName("conversationMenu")
    menu.setAccessibleName(
        translate("ConversationMenu", "{title}: actions").format(title=row.title)
    )

    open_action = QAction(translate("ConversationMenu", "&Open"), menu)
    open_action.setObjectName("openConversationAction")
    bold = QFont(open_action.font())
    bold.setBold(True)
    open_action.setFont(bold)
    open_action.triggered.connect(lambda: on_open(row.id))
    menu.addAction(open_action)

    if on_mark_unread is not None:
        unread = QAction(translate("ConversationMenu", "Mark as &unread"), menu)
        unread.setObjectName("markUnreadAction")
        unread.setEnabled(row.unread_count <= 0)
        unread.setToolTip(
            translate("ConversationMenu", "Show it as unread again, without opening it")
        )
        unread.triggered.connect(lambda: on_mark_unread(row.id))
        menu.addAction(unread)

    if row.kind is ConversationKind.GROUP_SMS:
        participants = QAction(translate("ConversationMenu", "&Participants"), menu)
        participants.setObjectName("showParticipantsAction")
        participants.setToolTip(
            translate("ConversationMenu", "Open the chat with its participant panel")
        )
        participants.triggered.connect(lambda: on_participants(row.id))
        menu.addAction(participants)

    seed = new_group_seed(row.id, people) if people is not None else None
    if seed is not None and can_create:
        menu.addSeparator()
        if seed.without:
            text = translate("ConversationMenu", "&New group chat without {names}...").format(
                names=_without_text(seed.without)
            )
        else:
            text = translate("ConversationMenu", "&New group chat with these people...")
        new_group = QAction(text, menu)
        new_group.setObjectName("newGroupChatWithAction")
        new_group.triggered.connect(lambda: on_new_group(seed))
        menu.addAction(new_group)
    return menu
