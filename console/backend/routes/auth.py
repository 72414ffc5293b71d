"""Sign in (a bearer token for email + password), sign out (revoke), who am I."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.auth import BackendDep, CallerDep, token_lifetime
from console.backend.client_address import Network, client_address, parse_trusted
from console.backend.models import utcnow
from console.backend.ops.users import user_by_email
from console.backend.problems import problem_responses
from console.backend.ratelimit import (
    LoginLimits,
    TooManyAttempts,
    account_key,
    attempt_failed,
    attempt_succeeded,
    begin_attempt,
)
from console.backend.security import new_token, token_hash, verify_password
from console.backend.settings import Settings
from console.backend.tokens import forget_dead, revoke
from console.backend.views import user_view
from console.domain.errors import DomainError, ErrorCode
from console.protocol.auth import TokenRequest, TokenResponse, User

router = APIRouter(tags=["auth"])


def _sign_in_responses() -> dict[int | str, dict[str, Any]]:
    responses = problem_responses(
        ErrorCode.UNAUTHORIZED, ErrorCode.VALIDATION_ERROR, ErrorCode.RATE_LIMITED
    )
    responses[429]["headers"] = {
        "Retry-After": {
            "description": "seconds until another attempt is allowed",
            "schema": {"type": "integer", "minimum": 1},
        }
    }
    return responses


def _limits(settings: Settings) -> LoginLimits:
    return LoginLimits(
        window_s=settings.login_window_s,
        free_failures=settings.login_free_failures,
        free_failures_per_address=settings.login_free_failures_per_address,
        first_delay_s=settings.login_first_delay_s,
        max_delay_s=settings.login_max_delay_s,
    )


@cache
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_trusted(values)  # (checked at start-up: serve refuses bad ones)


def _client(request: Request, settings: Settings) -> str:
    peer = request.client.host if request.client is not None else None
    forwarded = request.headers.getlist("x-forwarded-for")
    return client_address(peer, forwarded, _trusted(settings.trusted_proxies))


@router.post("/v1/auth/token", responses=_sign_in_responses())
def sign_in(body: TokenRequest, request: Request, backend: BackendDep) -> TokenResponse:
    address = _client(request, backend.settings)
    key = account_key(body.email)
    try:
        with backend.db.writing() as session:
            attempt = begin_attempt(session, key, address, _limits(backend.settings), utcnow())
    except TooManyAttempts as exc:
        raise HTTPException(
            429,
            detail="Too many failed sign-in attempts; wait before trying again.",
            headers={"Retry-After": str(exc.retry_after_s)},
        ) from None
    with backend.db.reading() as session:
        user = user_by_email(session, body.email)
        password_hash = user.password_hash if user is not None else None
    # Verify outside the transaction: argon2 is slow on purpose and needs no database. A
    # deactivated user is verified too and told the same, so the answer reveals nothing.
    right = verify_password(password_hash, body.password)
    if not right or user is None or user.deactivated_at is not None:
        with backend.db.writing() as session:
            attempt_failed(session, attempt, utcnow())
        raise DomainError(ErrorCode.UNAUTHORIZED, "Wrong email or password.")
    token = new_token()
    now = utcnow()
    with backend.db.writing() as session:
        # The account as of now, locked: a password reset or a deactivation that committed
        # while the password was being checked wins (its revocation cannot miss this token).
        if not _unchanged(session, user, password_hash):
            raise DomainError(ErrorCode.UNAUTHORIZED, "Wrong email or password.")
        attempt_succeeded(session, key, address)
        forget_dead(session, user.id, token_lifetime(backend.settings), now)
        session.add(models.AccessToken(
            token_hash=token_hash(token), user_id=user.id, created_at=now, last_used_at=now
        ))
    return TokenResponse(access_token=token, token_type="bearer", user=user_view(user))


def _unchanged(session: Session, user: models.User, password_hash: str | None) -> bool:
    current = session.scalar(
        select(models.User).where(models.User.id == user.id).with_for_update()
    )
    return (
        current is not None
        and current.password_hash == password_hash
        and current.deactivated_at is None
    )


@router.delete(
    "/v1/auth/token", status_code=204, responses=problem_responses(ErrorCode.UNAUTHORIZED)
)
def sign_out(caller: CallerDep, backend: BackendDep) -> Response:
    with backend.db.writing() as session:
        # Open event streams of the token re-check it at once (tokens.revoke wakes them).
        revoke(session, models.AccessToken.token_hash == caller.token_hash, utcnow())
    return Response(status_code=204)


@router.get("/v1/me", responses=problem_responses(ErrorCode.UNAUTHORIZED))
def me(caller: CallerDep) -> User:
    return caller.user
