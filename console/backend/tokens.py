"""Bearer tokens over time: sliding idle expiry, a hard maximum age, and revocation.

A token is live while it is not revoked, its user is active, it was used within `idle_s` and
it is younger than `max_age_s`. Use is written down cheaply: `last_used_at` moves only once it
is older than `touch_every_s` (a minute at most), so a busy client costs one small write a
minute, not one per request.

Revoking (sign-out, a password reset, deactivation) also changes a marker in `meta` and wakes
event streams (console.backend.feed_notify), so a stream held by a revoked token ends within a
poll interval, whichever serve process holds it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from console.backend import feed_notify, models
from console.backend.db import Database

REVOCATIONS_KEY = feed_notify.REVOCATIONS_KEY
MAX_TOUCH_INTERVAL_S = 60.0


@dataclass(frozen=True, slots=True)
class TokenLifetime:
    idle_s: float
    max_age_s: float

    @property
    def touch_every_s(self) -> float:
        # Well inside the idle limit, so a token in steady use never expires between writes.
        return min(MAX_TOUCH_INTERVAL_S, self.idle_s / 4)

    def is_live(self, row: models.AccessToken, now: datetime) -> bool:
        return (
            row.revoked_at is None
            and row.user.deactivated_at is None
            and now - row.last_used_at < timedelta(seconds=self.idle_s)
            and now - row.created_at < timedelta(seconds=self.max_age_s)
        )

    def touch_due(self, row: models.AccessToken, now: datetime) -> bool:
        return now - row.last_used_at >= timedelta(seconds=self.touch_every_s)

    def dead(self, now: datetime) -> ColumnElement[bool]:
        """Tokens that can never be used again (for clean-up)."""
        return or_(
            models.AccessToken.revoked_at.is_not(None),
            models.AccessToken.last_used_at <= now - timedelta(seconds=self.idle_s),
            models.AccessToken.created_at <= now - timedelta(seconds=self.max_age_s),
        )


def touch(db: Database, digest: str, lifetime: TokenLifetime, now: datetime) -> None:
    """Record a use. Conditional, so parallel requests of one token write it once."""
    with db.writing() as session:
        session.execute(
            update(models.AccessToken)
            .where(
                models.AccessToken.token_hash == digest,
                models.AccessToken.revoked_at.is_(None),
                models.AccessToken.last_used_at
                <= now - timedelta(seconds=lifetime.touch_every_s),
            )
            .values(last_used_at=now)
        )


def revoke(session: Session, which: ColumnElement[bool], now: datetime) -> None:
    """Revoke the live tokens `which` selects, and tell open event streams to look again."""
    result = session.execute(
        update(models.AccessToken)
        .where(which, models.AccessToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    if getattr(result, "rowcount", 0):
        _count_revocation(session)
        feed_notify.mark_changed(session)


def revoke_all_of(session: Session, user_id: str, now: datetime) -> None:
    revoke(session, models.AccessToken.user_id == user_id, now)


def forget_dead(session: Session, user_id: str, lifetime: TokenLifetime, now: datetime) -> None:
    """Delete a user's tokens that can never be used again (called at their sign-in), so the
    table does not grow with every sign-in forever."""
    session.execute(
        delete(models.AccessToken).where(
            models.AccessToken.user_id == user_id, lifetime.dead(now)
        )
    )


def _count_revocation(session: Session) -> None:
    # A fresh random value, upserted: any change tells a poller, and two processes revoking at
    # once cannot collide on inserting the first one.
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else (
        sqlite_insert
    )
    marker = secrets.token_hex(8)
    statement = insert(models.Meta).values(key=REVOCATIONS_KEY, value=marker)
    session.execute(
        statement.on_conflict_do_update(index_elements=[models.Meta.key], set_={"value": marker})
    )
