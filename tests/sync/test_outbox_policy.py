"""The push verdict: what a failed attempt means for its item. Pure: no network, no cache."""

from __future__ import annotations

import random

import pytest

from console.sync.backoff import Backoff
from console.sync.errors import (
    ApiError,
    BackendUnreachable,
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    UnexpectedResponse,
    ValidationFailed,
)
from console.sync.pusher import Action, Unsendable, verdict

BACKOFF = Backoff(base=1.0, factor=2.0, cap=60.0, jitter=0.2)


def test_no_answer_retries_at_once_and_lets_the_engine_back_off() -> None:
    decided = verdict(BackendUnreachable("refused"), 3, BACKOFF)
    assert (decided.action, decided.pause, decided.propagate) == (Action.RETRY_NOW, True, True)
    decided = verdict(Unauthorized("unauthorized", 401, "revoked"), 1, BACKOFF)
    assert (decided.action, decided.code, decided.propagate) == (
        Action.RETRY_NOW,
        "unauthorized",
        True,
    )


@pytest.mark.parametrize(
    "error",
    [
        ServerError("server_error", 503, "down"),
        ServerError("internal_error", 500, "bug"),
        ApiError("http_408", 408, "timeout"),
        UnexpectedResponse("unexpected_response", 201, "garbled"),
    ],
)
def test_transient_failures_retry_later_with_growing_jittered_delays(error: ApiError) -> None:
    rng = random.Random(7)
    delays = [verdict(error, attempt, BACKOFF, rng).delay for attempt in range(1, 6)]
    decided = verdict(error, 1, BACKOFF, rng)
    assert decided.action is Action.RETRY_LATER
    assert decided.code == error.code
    for attempt, delay in enumerate(delays, start=1):
        nominal = min(60.0, 2.0 ** (attempt - 1))
        assert nominal * 0.8 <= delay <= nominal * 1.2
    assert delays[-1] > delays[0]
    # Jitter: two consoles failing together do not come back in step.
    spread = {round(verdict(error, 4, BACKOFF).delay, 6) for _ in range(20)}
    assert len(spread) > 1


def test_rate_limited_honours_retry_after_and_pauses_pushing() -> None:
    decided = verdict(RateLimited("rate_limited", 429, "slow down", retry_after=42.0), 1, BACKOFF)
    assert (decided.action, decided.pause) == (Action.RETRY_LATER, True)
    assert decided.delay == 42.0
    # A Retry-After shorter than our own backoff does not make us hammer the server.
    decided = verdict(RateLimited("rate_limited", 429, "", retry_after=0.1), 5, BACKOFF)
    assert decided.delay >= 16 * 0.8


def test_a_503_with_retry_after_waits_as_asked_and_pauses_pushing() -> None:
    maintenance = ServerError("server_error", 503, "down for maintenance", retry_after=120.0)
    decided = verdict(maintenance, 1, BACKOFF)
    assert (decided.action, decided.pause, decided.delay) == (Action.RETRY_LATER, True, 120.0)
    # Without one, our own backoff.
    decided = verdict(ServerError("server_error", 503, "down"), 1, BACKOFF)
    assert decided.action is Action.RETRY_LATER
    assert decided.delay < 120.0


@pytest.mark.parametrize(
    "error",
    [
        ValidationFailed("participant_dnd", 422, "Ann has Do Not Disturb on"),
        ValidationFailed("validation_error", 422, "body: too long"),
        NotFound("not_found", 404, "No conversation"),
        Forbidden("number_access_denied", 403, "Not your number"),
        Conflict("group_chat_blocked", 409, "A participant has DND on"),
        Conflict("idempotency_conflict", 409, "Key reused"),
        ApiError("http_400", 400, "bad"),
    ],
)
def test_refusals_fail_for_good_with_the_servers_code_and_detail(error: ApiError) -> None:
    decided = verdict(error, 1, BACKOFF)
    assert (decided.action, decided.code, decided.detail) == (Action.FAIL, error.code, error.detail)
    assert not decided.propagate


def test_an_item_this_console_cannot_send_fails_and_a_bug_is_retried_and_reported() -> None:
    decided = verdict(Unsendable("no body"), 1, BACKOFF)
    assert (decided.action, decided.code) == (Action.FAIL, "client_error")
    decided = verdict(KeyError("boom"), 2, BACKOFF)
    assert (decided.action, decided.propagate) == (Action.RETRY_LATER, True)
