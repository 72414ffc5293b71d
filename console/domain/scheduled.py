"""Scheduled sends as the console shows them: what, where, when, and how it ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ScheduledStatus(StrEnum):
    SCHEDULED = "scheduled"  # waiting for its time (editable, cancellable)
    SENT = "sent"
    FAILED = "failed"  # a rule refused it when its time came (error_code says which)
    CANCELLED = "cancelled"


class ScheduleProblem(StrEnum):
    """Why a schedule was refused before it left (DomainError.hint): console/ui words each."""

    NAIVE_TIME = "naive_time"  # a time without its zone
    PASSED = "passed"  # the time has passed
    TOO_FAR = "too_far"  # more than a year ahead
    NOT_CREATED = "not_created"  # the group chat is still being created
    GONE = "gone"  # not found (went, cancelled, or never was)
    NOT_EDITABLE = "not_editable"  # it went, failed or was cancelled


class ScheduledKind(StrEnum):
    MESSAGE = "message"  # in a conversation (1:1, group chat, in-app)
    GROUP_MESSAGE = "group_message"  # to an audience group


@dataclass(frozen=True, slots=True)
class ScheduledItem:
    id: str
    kind: ScheduledKind
    status: ScheduledStatus
    body: str
    send_at: datetime  # UTC
    conversation_id: str | None = None
    group_id: str | None = None
    title: str | None = None
    error_code: str | None = None
    error_detail: str | None = None
    result_id: str | None = None
    # Written here, not yet accepted by the server (it is in the outbox).
    local: bool = False

    @property
    def editable(self) -> bool:
        return self.status is ScheduledStatus.SCHEDULED
