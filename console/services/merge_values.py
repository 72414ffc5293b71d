"""What a template's merge fields are in a conversation: pure, so the window can fill a
template without a read (it has the conversation's row and details already)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.domain.conversations import ConversationKind
from console.domain.merge_fields import (
    AGENT_NAME,
    BUSINESS_NUMBER,
    FIRST_NAME,
    LAST_NAME,
    joined_first_names,
    person_values,
)
from console.services.types import ConversationRow

if TYPE_CHECKING:  # chat_details pulls in SQLAlchemy: not before first paint
    from console.services.chat_details import ChatDetails

MergeValues = dict[str, str | None]


def conversation_values(
    row: ConversationRow, details: ChatDetails | None, *, agent_name: str
) -> MergeValues:
    """The merge fields' values for a text in this conversation. A group chat's one text is
    read by everyone: {first_name} names them all ("Ana, Ben and Cy"), {last_name} has none."""
    number = details.number_plain if details is not None else ""
    if row.kind is ConversationKind.GROUP_SMS:
        names: list[str | None] = (
            [p.name for p in details.participants] if details is not None else []
        )
        return {
            FIRST_NAME: joined_first_names(names),
            LAST_NAME: None,
            AGENT_NAME: agent_name or None,
            BUSINESS_NUMBER: number or None,
        }
    return person_values(row.title, agent_name=agent_name, business_number=number)
