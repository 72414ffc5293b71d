"""Staff accounts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.backend import events, models, tokens
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.security import hash_password
from console.domain.emails import checked_email
from console.domain.errors import DomainError, ErrorCode
from console.protocol.auth import UserCreate, UserPatch

ROLES = ("admin", "user")
DATA_ACCESS = ("all", "assigned")
MIN_PASSWORD = 8


def normalize_email(email: str) -> str:
    """A sign-in email: one plain address, stored lower-case."""
    return checked_email(email).lower()


def find_user(session: Session, user_id: str) -> models.User:
    row = session.get(models.User, user_id)
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No user {user_id!r}.")
    return row


def require_user_id(
    session: Session, user_id: str | None, field: str, *, current: str | None = None
) -> None:
    """A user id given in a body must exist (422 names the field otherwise) and be active
    (422 `user_deactivated`), unless it is `current`: what is already assigned stays."""
    if user_id is None or user_id == current:
        return
    row = session.get(models.User, user_id)
    if row is None:
        raise DomainError(ErrorCode.VALIDATION_ERROR, f"{field}: no user {user_id!r}")
    if row.deactivated_at is not None:
        raise DomainError(
            ErrorCode.USER_DEACTIVATED, f"{field}: the user {row.name or row.id} is deactivated"
        )


def user_by_email(session: Session, email: str) -> models.User | None:
    return session.scalar(
        select(models.User).where(models.User.email == email.strip().lower())
    )


def _check_choices(role: str | None, data_access: str | None) -> None:
    if role is not None and role not in ROLES:
        raise DomainError(ErrorCode.VALIDATION_ERROR, f"role must be one of {', '.join(ROLES)}")
    if data_access is not None and data_access not in DATA_ACCESS:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, f"data_access must be one of {', '.join(DATA_ACCESS)}"
        )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, f"password must have at least {MIN_PASSWORD} characters"
        )


def create_user(session: Session, data: UserCreate) -> models.User:
    email = normalize_email(data.email)
    _check_choices(data.role, data.data_access)
    _check_password(data.password)
    if user_by_email(session, email) is not None:
        raise DomainError(ErrorCode.CONFLICT, f"A user with email {email} already exists.")
    now = utcnow()
    row = models.User(
        id=new_id("usr"),
        email=email,
        name=data.name.strip() or email.split("@")[0],
        role=data.role,
        data_access=data.data_access,
        password_hash=hash_password(data.password),
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    events.user_changed(session, row)
    return row


def patch_user(
    session: Session, user_id: str, patch: UserPatch, actor_id: str
) -> models.User:
    row = find_user(session, user_id)
    _check_choices(patch.role, patch.data_access)
    access_before = (row.role, row.data_access)
    if patch.name is not None:
        row.name = patch.name.strip() or row.name
    if patch.active is not None:
        _set_active(session, row, patch.active, actor_id)
    if patch.password is not None:
        _check_password(patch.password)
        row.password_hash = hash_password(patch.password)
        # Whoever held the old password may hold a token too: every session ends, the
        # caller's own included.
        tokens.revoke_all_of(session, row.id, utcnow())
    if patch.role is not None and patch.role != row.role:
        if row.role == "admin" and _admin_count(session) <= 1:
            raise DomainError(ErrorCode.CONFLICT, "The last admin cannot stop being an admin.")
        row.role = patch.role
    if patch.data_access is not None:
        row.data_access = patch.data_access
    row.updated_at = utcnow()
    session.flush()
    events.user_changed(session, row)
    if (row.role, row.data_access) != access_before:
        events.access_changed(session, row)
    return row


def deactivate_user(session: Session, user_id: str, actor_id: str) -> models.User:
    row = find_user(session, user_id)
    _set_active(session, row, False, actor_id)
    row.updated_at = utcnow()
    session.flush()
    events.user_changed(session, row)
    return row


def _set_active(session: Session, row: models.User, active: bool, actor_id: str) -> None:
    """Deactivating ends every session of the user at once (their open event streams too) and
    keeps the row, so what they wrote keeps naming them; reactivating lets them sign in again
    (their old tokens stay revoked)."""
    if active:
        row.deactivated_at = None
        return
    if row.id == actor_id:
        raise DomainError(
            ErrorCode.CANNOT_DEACTIVATE_SELF,
            "You cannot deactivate your own account; another admin can.",
        )
    if row.deactivated_at is None:
        if row.role == "admin" and _admin_count(session) <= 1:
            raise DomainError(ErrorCode.CONFLICT, "The last admin cannot be deactivated.")
        row.deactivated_at = utcnow()
    tokens.revoke_all_of(session, row.id, utcnow())


def _admin_count(session: Session) -> int:
    """Active admins: a deactivated one cannot sign in to administer anything."""
    return session.scalar(
        select(func.count()).select_from(models.User).where(
            models.User.role == "admin", models.User.deactivated_at.is_(None)
        )
    ) or 0
