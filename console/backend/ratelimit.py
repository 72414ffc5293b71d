"""Sign-in throttling: failed attempts per email and per client address, over a sliding window.

Attempts live in the database (`login_attempts`), so every serve process on it counts the same
ones. An attempt is written down as failed *before* its password is checked, in the transaction
that counted the earlier ones (serialized: SQLite has one writer, PostgreSQL takes an advisory
lock), so parallel guesses, even through several processes, cannot all slip under the limit.
A success then clears that email's failures: a user who mistyped a few times starts afresh.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, select, text
from sqlalchemy.orm import Session

from console.backend import models

_LOCK_KEY = 0x6C6F6769  # shared by every backend process on the database; not the feed's key
ADDRESS_CHARS = 64


@dataclass(frozen=True, slots=True)
class LoginLimits:
    window_s: float
    max_per_email: int
    max_per_address: int


class TooManyAttempts(Exception):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"retry after {retry_after_s} s")
        self.retry_after_s = retry_after_s


def email_key(email: str) -> str:
    return email.strip().lower()[:254]


def begin_attempt(
    session: Session, email: str, address: str, limits: LoginLimits, now: datetime
) -> int:
    """Record an attempt (as failed until `attempt_succeeded`); its id. TooManyAttempts if the
    email or the address has used up its failures in the window (nothing is recorded then)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    window = timedelta(seconds=limits.window_s)
    cutoff = now - window
    session.execute(delete(models.LoginAttempt).where(models.LoginAttempt.at <= cutoff))
    email, address = email_key(email), address[:ADDRESS_CHARS]
    waits = [
        _wait(session, models.LoginAttempt.email == email, limits.max_per_email, cutoff, now,
              window),
        _wait(session, models.LoginAttempt.client_address == address, limits.max_per_address,
              cutoff, now, window),
    ]
    longest = max(waits)
    if longest > 0:
        raise TooManyAttempts(longest)
    row = models.LoginAttempt(email=email, client_address=address, at=now)
    session.add(row)
    session.flush()
    return row.id


def _wait(
    session: Session, which: ColumnElement[bool], limit: int, cutoff: datetime, now: datetime,
    window: timedelta,
) -> int:
    """Whole seconds until fewer than `limit` failures are left in the window (0: not limited).
    That is when the limit-th newest one ages out."""
    oldest_that_counts = session.scalar(
        select(models.LoginAttempt.at)
        .where(which, models.LoginAttempt.at > cutoff)
        .order_by(models.LoginAttempt.at.desc())
        .offset(limit - 1)
        .limit(1)
    )
    if oldest_that_counts is None:
        return 0
    return max(1, math.ceil((oldest_that_counts + window - now).total_seconds()))


def attempt_succeeded(session: Session, email: str) -> None:
    failures = delete(models.LoginAttempt).where(models.LoginAttempt.email == email_key(email))
    session.execute(failures)
