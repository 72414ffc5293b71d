"""Quiet hours rules: the states' own windows, set by admins, read by every console (GET and
the feed's `quiet_hours.updated`, which carries them whole)."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.models import utcnow
from console.domain.errors import DomainError, ErrorCode
from console.domain.quiet_hours import DEFAULT_END, DEFAULT_START, STATE_CODES
from console.protocol.quiet_hours import QuietHours, QuietWindow, StateQuietWindow

EVENT = "quiet_hours.updated"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(text: str) -> int:
    hours, _, minutes = text.partition(":")
    return int(hours) * 60 + int(minutes)


def _of(moment: time) -> str:
    return moment.strftime("%H:%M")


def current(session: Session) -> QuietHours:
    rows = session.scalars(
        select(models.QuietHoursRule).order_by(models.QuietHoursRule.state)
    ).all()
    return QuietHours(
        default=QuietWindow(start=_of(DEFAULT_START), end=_of(DEFAULT_END)),
        states=[
            StateQuietWindow(state=r.state, start=_hhmm(r.start_minute), end=_hhmm(r.end_minute))
            for r in rows
        ],
    )


def _state(code: str) -> str:
    state = code.strip().upper()
    if state not in STATE_CODES:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            f"state: {code!r} is not a US state or Canadian province code (e.g. FL, ON).",
        )
    return state


def set_state(
    session: Session, user_id: str, code: str, window: QuietWindow
) -> QuietHours:
    state = _state(code)
    start, end = _minutes(window.start), _minutes(window.end)
    if start >= end:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, "end: the window must end after it starts (same day)."
        )
    events.prepare_write(session)
    row = session.get(models.QuietHoursRule, state)
    if row is None:
        row = models.QuietHoursRule(state=state)
        session.add(row)
    row.start_minute, row.end_minute = start, end
    row.updated_by_user_id, row.updated_at = user_id, utcnow()
    return _changed(session)


def clear_state(session: Session, code: str) -> QuietHours:
    state = _state(code)
    events.prepare_write(session)
    row = session.get(models.QuietHoursRule, state)
    if row is None:
        return current(session)  # cleared already
    session.delete(row)
    return _changed(session)


def _changed(session: Session) -> QuietHours:
    session.flush()
    rules = current(session)
    events.record(session, EVENT, "quiet_hours", rules)  # everyone's: about no person
    return rules
