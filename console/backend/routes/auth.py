"""Sign in (a bearer token for email + password), sign out (revoke), who am I."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import update

from console.backend import models
from console.backend.auth import BackendDep, CallerDep
from console.backend.models import utcnow
from console.backend.ops.users import user_by_email
from console.backend.problems import problem_responses
from console.backend.security import new_token, token_hash, verify_password
from console.backend.views import user_view
from console.domain.errors import DomainError, ErrorCode
from console.protocol.auth import TokenRequest, TokenResponse, User

router = APIRouter(tags=["auth"])


@router.post(
    "/v1/auth/token",
    responses=problem_responses(ErrorCode.UNAUTHORIZED, ErrorCode.VALIDATION_ERROR),
)
def sign_in(body: TokenRequest, backend: BackendDep) -> TokenResponse:
    with backend.db.reading() as session:
        user = user_by_email(session, body.email)
        password_hash = user.password_hash if user is not None else None
    # Verify outside the transaction: argon2 is slow on purpose and needs no database.
    if not verify_password(password_hash, body.password) or user is None:
        raise DomainError(ErrorCode.UNAUTHORIZED, "Wrong email or password.")
    token = new_token()
    with backend.db.writing() as session:
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
    return Response(status_code=204)


@router.get("/v1/me", responses=problem_responses(ErrorCode.UNAUTHORIZED))
def me(caller: CallerDep) -> User:
    return caller.user
