"""What a conversation is and whether it can be written to, as values both sides name alike.

The wire (console/protocol/conversations.py) spells these as Literal strings; these enums are
the same values for code that decides on them, so a kind or a status is compared against one
member, never a string typed again.
"""

from __future__ import annotations

from enum import StrEnum


class ConversationKind(StrEnum):
    DIRECT = "direct"  # 1:1 SMS with one contact's number
    IN_APP = "in_app"  # in-app messages (audience groups' people)
    GROUP_SMS = "group_sms"  # one business number to 2..9 frozen participants


class ConversationStatus(StrEnum):
    ACTIVE = "active"
    # A participant has Do Not Disturb on (also by texting STOP): readable, not writable.
    BLOCKED = "blocked"
