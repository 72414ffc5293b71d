"""Quiet hours: every user reads them; admins set a state's own stricter window."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from console.backend.auth import AdminDep, BackendDep, CallerDep
from console.backend.ops import quiet_hours as ops
from console.backend.problems import problem_responses
from console.domain.errors import ErrorCode
from console.protocol.quiet_hours import QuietHours, QuietWindow

router = APIRouter(tags=["quiet hours"], responses=problem_responses(ErrorCode.UNAUTHORIZED))

StatePath = Annotated[str, Path(min_length=2, max_length=2)]


@router.get("/v1/quiet-hours")
def get_quiet_hours(caller: CallerDep, backend: BackendDep) -> QuietHours:
    """The default window (08:00-21:00 where the person is) and the states' own."""
    del caller  # any signed-in user
    with backend.db.reading() as session:
        return ops.current(session)


@router.put(
    "/v1/quiet-hours/states/{state}",
    responses=problem_responses(ErrorCode.FORBIDDEN, ErrorCode.VALIDATION_ERROR),
)
def set_state_window(
    state: StatePath, window: QuietWindow, caller: AdminDep, backend: BackendDep
) -> QuietHours:
    """A state's or province's window (a console applies the stricter of it and the default)."""
    with backend.db.writing() as session:
        return ops.set_state(session, caller.actor.user_id, state, window)


@router.delete(
    "/v1/quiet-hours/states/{state}",
    responses=problem_responses(ErrorCode.FORBIDDEN, ErrorCode.VALIDATION_ERROR),
)
def clear_state_window(state: StatePath, caller: AdminDep, backend: BackendDep) -> QuietHours:
    """The state goes back to the default window (again: the same answer)."""
    del caller
    with backend.db.writing() as session:
        return ops.clear_state(session, state)
