"""Request authentication: `Authorization: Bearer <token>` -> the calling user (FastAPI deps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.security import token_hash
from console.backend.state import Backend, get_backend
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


BackendDep = Annotated[Backend, Depends(get_backend)]


def current_caller(
    backend: BackendDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Caller:
    if credentials is None or not credentials.credentials:
        raise DomainError(ErrorCode.UNAUTHORIZED, "Sign in first: no bearer token was sent.")
    digest = token_hash(credentials.credentials)
    with backend.db.reading() as session:
        caller = caller_for_token(session, digest)
    if caller is None:
        raise DomainError(ErrorCode.UNAUTHORIZED, "The token is not valid (or was revoked).")
    return caller


def caller_for_token(session: Session, digest: str) -> Caller | None:
    """Who holds the token with this hash, as of now; None if unknown or revoked. (Long-lived
    event streams call this again, so a revocation or a role change reaches them too.)"""
    row = session.scalar(
        select(models.AccessToken).where(
            models.AccessToken.token_hash == digest, models.AccessToken.revoked_at.is_(None)
        )
    )
    if row is None:
        return None
    return Caller(user=user_view(row.user), actor=actor_of(row.user), token_hash=digest)


CallerDep = Annotated[Caller, Depends(current_caller)]


def require_admin(caller: CallerDep) -> Caller:
    if not caller.actor.is_admin:
        raise DomainError(ErrorCode.FORBIDDEN, "Only admins may do this.")
    return caller


AdminDep = Annotated[Caller, Depends(require_admin)]
