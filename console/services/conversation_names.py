"""What the conversation list calls a conversation.

A group chat nobody named is called by its people's first names, the way a phone does:
"Maria, James, Lily" for three, "Maria, James +2" for four or more (two names and a count keep
the row to one line in a 260 px list). The server stores such a chat's title as its people's
full names joined (domain.group_chat.default_title): that, or no title at all, counts as
untitled; a title an agent typed is kept as it is. A person chosen with both of their numbers
counts once; a participant without a name shows as their number.

The server's default title is made from the names at creation time; after a contact is renamed
the old title no longer matches, and the chat keeps showing the names it was created with.
"""

from __future__ import annotations

from collections.abc import Sequence

from console.domain.conversations import ConversationKind
from console.domain.group_chat import default_title
from console.domain.phones import format_display
from console.store.conversation_views import ConversationView, ParticipantView

NAMES_SHOWN = 2  # before "+n"
ALL_NAMES_UP_TO = 3  # this many people are named in full: "+1" says no less than a name


def first_name(participant: ParticipantView) -> str:
    words = participant.name.split()
    if words:
        return words[0]
    return format_display(participant.phone) if participant.phone else "Unknown"


def people(participants: Sequence[ParticipantView]) -> list[ParticipantView]:
    """One entry per person (the first of their numbers), in creation order."""
    seen: set[str] = set()
    out: list[ParticipantView] = []
    for participant in participants:
        key = participant.contact_id or participant.phone
        if key in seen:
            continue
        seen.add(key)
        out.append(participant)
    return out


def first_names(participants: Sequence[ParticipantView]) -> str:
    """ "Maria, James, Lily"; "Maria, James +2" from four people on."""
    names = [first_name(p) for p in people(participants)]
    if len(names) <= ALL_NAMES_UP_TO:
        return ", ".join(names)
    return f"{', '.join(names[:NAMES_SHOWN])} +{len(names) - NAMES_SHOWN}"


def is_untitled(title: str, participants: Sequence[ParticipantView]) -> bool:
    text = title.strip()
    if not text:
        return True
    full = [p.name for p in participants]
    return text in (default_title(full), default_title([p.name for p in people(participants)]))


def conversation_title(view: ConversationView) -> str:
    if view.kind == ConversationKind.GROUP_SMS and view.participants and is_untitled(
        view.title, view.participants
    ):
        return first_names(view.participants)
    if view.title:
        return view.title
    return format_display(view.phone) if view.phone else "Conversation"
