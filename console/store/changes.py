"""What a write to the cache changed, by id, so the services can tell views what to re-read."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Changes:
    conversations: set[str] = field(default_factory=set)
    # conversation id -> local message ids (MessageRow.key as int) changed in it
    messages: dict[str, set[int]] = field(default_factory=dict)
    contacts: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    users: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)  # audience groups (incl. their memberships)
    group_messages: set[str] = field(default_factory=set)  # sent group messages (and stats)
    scheduled: set[str] = field(default_factory=set)  # the user's scheduled sends
    templates: set[str] = field(default_factory=set)  # templates the user may insert
    # The user's contact imports (a pending one under its local id too).
    contact_imports: set[str] = field(default_factory=set)
    quiet_hours: bool = False  # the server's quiet hours rules
    outbox: bool = False  # the pending count may have changed
    reset: bool = False  # so much changed (first sync, resync) that views should reload

    def add_message(self, conversation_id: str, message_id: int) -> None:
        self.messages.setdefault(conversation_id, set()).add(message_id)

    def merge(self, other: Changes) -> None:
        self.conversations |= other.conversations
        for conversation_id, ids in other.messages.items():
            self.messages.setdefault(conversation_id, set()).update(ids)
        self.contacts |= other.contacts
        self.numbers |= other.numbers
        self.users |= other.users
        self.groups |= other.groups
        self.group_messages |= other.group_messages
        self.scheduled |= other.scheduled
        self.templates |= other.templates
        self.contact_imports |= other.contact_imports
        self.quiet_hours = self.quiet_hours or other.quiet_hours
        self.outbox = self.outbox or other.outbox
        self.reset = self.reset or other.reset

    def is_empty(self) -> bool:
        return not (
            self.conversations
            or self.messages
            or self.contacts
            or self.numbers
            or self.users
            or self.groups
            or self.group_messages
            or self.scheduled
            or self.templates
            or self.contact_imports
            or self.quiet_hours
            or self.outbox
            or self.reset
        )
