"""Request authentication: `Authorization: Bearer <token>` -> the calling user (FastAPI deps)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.models import utcnow
from console.backend.security import token_hash
from console.backend.settings import Settings
from console.backend.state import Backend, get_backend
from console.backend.tokens import TokenLifetime, touch
from console.backend.views import actor_of, user_view
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.protocol.auth import User

_bearer = HTTPBearer(auto_error=False, description="Token from POST /v1/auth/token")


@dataclass(frozen=True, slots=True)
class Caller:
    user: User
    actor: Actor
    token_hash: str
    # The token's use is due to be written down (console.backend.tokens: once a minute).
    touch_due: bool = False


BackendDep = Annotated[Backend, Depends(get_backend)]


def token_lifetime(settings: Settings) -> TokenLifetime:
    return TokenLifetime(idle_s=settings.token_idle_s, max_age_s=settings.token_max_age_s)


def current_caller(
    backend: BackendDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Caller:
    if credentials is None or not credentials.credentials:
        raise DomainError(ErrorCode.UNAUTHORIZED, "Sign in first: no bearer token was sent.")
    digest = token_hash(credentials.credentials)
    caller = authenticate(backend, digest)
    if caller is None:
        raise DomainError(
            ErrorCode.UNAUTHORIZED, "The token is not valid (it expired or was revoked)."
        )
    return caller


def authenticate(backend: Backend, digest: str) -> Caller | None:
    """Who holds the token with this hash, as of now (None if it is not live), with the use
    recorded when that is due. Long-lived event streams call this again and again, so a
    revocation, an expiry or a role change reaches them too (and their use keeps the token
    alive, up to its maximum age)."""
    lifetime = token_lifetime(backend.settings)
    now = utcnow()
    with backend.db.reading() as session:
        caller = caller_for_token(session, digest, lifetime, now)
    if caller is not None and caller.touch_due:
        touch(backend.db, digest, lifetime, now)
    return caller


def caller_for_token(
    session: Session, digest: str, lifetime: TokenLifetime, now: datetime
) -> Caller | None:
    """Who holds the token with this hash at `now`; None if unknown, revoked, expired or its
    user is deactivated."""
    row = session.scalar(
        select(models.AccessToken).where(
            models.AccessToken.token_hash == digest, models.AccessToken.revoked_at.is_(None)
        )
    )
    if row is None or not lifetime.is_live(row, now):
        return None
    return Caller(
        user=user_view(row.user), actor=actor_of(row.user), token_hash=digest,
        touch_due=lifetime.touch_due(row, now),
    )


CallerDep = Annotated[Caller, Depends(current_caller)]


def require_admin(caller: CallerDep) -> Caller:
    if not caller.actor.is_admin:
        raise DomainError(ErrorCode.FORBIDDEN, "Only admins may do this.")
    return caller


AdminDep = Annotated[Caller, Depends(require_admin)]
