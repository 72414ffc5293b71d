"""Sign-in throttling: growing delays per account and client address, never a lock-out.

Past `free_failures` recent failures for one account from one client address, that address
waits `first_delay_s`, then twice that, ... up to `max_delay_s` after its latest failure before
its next try is even checked (429 with Retry-After). The right password from another address
works at once, so nobody can lock a user out by failing on purpose. The same holds per client
address across accounts, with more free failures (one address spraying many accounts).

Attempts live in the database (`login_attempts`), so every serve process counts the same
ones per address. An attempt is written down as failed *before* its password is checked, in
the transaction that counted the earlier ones (serialized: SQLite has one writer, PostgreSQL
takes an advisory lock), so parallel guesses cannot all slip past a delay; a failure's time is
then moved to its answer, which delays count from. A success clears the failures of that
account at that address.

What was typed as the email is never stored: rows hold an HMAC-SHA256 of it under a key that
lives only in this process's memory (a failed sign-in may have a password typed into the email
field). Several processes on one database therefore share the per-address counts, while each
keeps its own per-account ones.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select, text, update
from sqlalchemy.orm import Session

from console.backend import models

_LOCK_KEY = 0x6C6F6769  # shared by every backend process on the database; not the feed's key
ADDRESS_CHARS = 64
_MAX_DOUBLINGS = 30  # 2**30 times any sane first delay is past any cap
_PROCESS_KEY = secrets.token_bytes(32)  # never stored or logged


@dataclass(frozen=True, slots=True)
class LoginLimits:
    window_s: float
    free_failures: int
    free_failures_per_address: int
    first_delay_s: float
    max_delay_s: float

    def delay_s(self, failures: int, free: int) -> float:
        """How long after the latest failure the next try may come (0: at once)."""
        if failures < free:
            return 0.0
        doublings = min(failures - free, _MAX_DOUBLINGS)
        return float(min(self.max_delay_s, self.first_delay_s * 2**doublings))


class TooManyAttempts(Exception):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"retry after {retry_after_s} s")
        self.retry_after_s = retry_after_s


def account_key(email: str) -> str:
    """The typed email, trimmed and case-folded as sign-in matches it, under a keyed hash."""
    typed = email.strip().lower()[:254].encode("utf-8", "surrogatepass")
    return hmac.new(_PROCESS_KEY, typed, hashlib.sha256).hexdigest()


def begin_attempt(
    session: Session, key: str, address: str, limits: LoginLimits, now: datetime
) -> int:
    """Record an attempt (as failed until `attempt_succeeded`); its id. TooManyAttempts if the
    account at this address, or the address, must still wait (nothing is recorded then)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    cutoff = now - timedelta(seconds=limits.window_s)
    session.execute(delete(models.LoginAttempt).where(models.LoginAttempt.at <= cutoff))
    address = address[:ADDRESS_CHARS]
    by_address = models.LoginAttempt.client_address == address
    waits = [
        _wait(session, by_address & (models.LoginAttempt.account_key == key),
              limits.free_failures, limits, cutoff, now),
        _wait(session, by_address, limits.free_failures_per_address, limits, cutoff, now),
    ]
    longest = max(waits)
    if longest > 0:
        raise TooManyAttempts(longest)
    row = models.LoginAttempt(account_key=key, client_address=address, at=now)
    session.add(row)
    session.flush()
    return row.id


def _wait(
    session: Session, which: ColumnElement[bool], free: int, limits: LoginLimits,
    cutoff: datetime, now: datetime,
) -> int:
    """Whole seconds until the next try of these failures may be checked (0: now)."""
    failures, latest = session.execute(
        select(func.count(), func.max(models.LoginAttempt.at))
        .where(which, models.LoginAttempt.at > cutoff)
    ).one()
    delay = limits.delay_s(failures, free)
    if delay <= 0 or latest is None:
        return 0
    left = (latest + timedelta(seconds=delay) - now).total_seconds()
    return max(1, math.ceil(left)) if left > 0 else 0


def attempt_failed(session: Session, attempt_id: int, now: datetime) -> None:
    """The password was wrong: delays count from this answer, not from when checking began
    (the check takes a while, longer under load)."""
    session.execute(
        update(models.LoginAttempt).where(models.LoginAttempt.id == attempt_id).values(at=now)
    )


def attempt_succeeded(session: Session, key: str, address: str) -> None:
    session.execute(
        delete(models.LoginAttempt).where(
            models.LoginAttempt.account_key == key,
            models.LoginAttempt.client_address == address[:ADDRESS_CHARS],
        )
    )
