"""Sign in (a bearer token for email + password), sign out (revoke), who am I."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy import update

from console.backend import feed_notify, models
from console.backend.auth import BackendDep, CallerDep
from console.backend.models import utcnow
from console.backend.ops.users import user_by_email
from console.backend.problems import problem_responses
from console.backend.ratelimit import LoginLimits, TooManyAttempts, attempt_succeeded, begin_attempt
from console.backend.security import new_token, token_hash, verify_password
from console.backend.settings import Settings
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
        max_per_email=settings.login_max_failures_per_email,
        max_per_address=settings.login_max_failures_per_address,
    )


@router.post("/v1/auth/token", responses=_sign_in_responses())
def sign_in(body: TokenRequest, request: Request, backend: BackendDep) -> TokenResponse:
    # Behind a reverse proxy this is the proxy's address unless uvicorn trusts its
    # X-Forwarded-For (--forwarded-allow-ips); loopback proxies are trusted by default.
    address = request.client.host if request.client is not None else "unknown"
    try:
        with backend.db.writing() as session:
            begin_attempt(session, body.email, address, _limits(backend.settings), utcnow())
    except TooManyAttempts as exc:
        raise HTTPException(
            429,
            detail="Too many failed sign-in attempts; wait before trying again.",
            headers={"Retry-After": str(exc.retry_after_s)},
        ) from None
    with backend.db.reading() as session:
        user = user_by_email(session, body.email)
        password_hash = user.password_hash if user is not None else None
    # Verify outside the transaction: argon2 is slow on purpose and needs no database.
    if not verify_password(password_hash, body.password) or user is None:
        raise DomainError(ErrorCode.UNAUTHORIZED, "Wrong email or password.")
    token = new_token()
    with backend.db.writing() as session:
        attempt_succeeded(session, body.email)
        session.add(models.AccessToken(token_hash=token_hash(token), user_id=user.id))
    return TokenResponse(access_token=token, token_type="bearer", user=user_view(user))


@router.delete(
    "/v1/auth/token", status_code=204, responses=problem_responses(ErrorCode.UNAUTHORIZED)
)
def sign_out(caller: CallerDep, backend: BackendDep) -> Response:
    with backend.db.writing() as session:
        session.execute(
            update(models.AccessToken)
            .where(models.AccessToken.token_hash == caller.token_hash)
            .values(revoked_at=utcnow())
        )
        feed_notify.mark_changed(session)  # open event streams re-check their tokens at once
    return Response(status_code=204)


@router.get("/v1/me", responses=problem_responses(ErrorCode.UNAUTHORIZED))
def me(caller: CallerDep) -> User:
    return caller.user
