"""Sign-in throttling: 429 `rate_limited` with Retry-After, per email and per client address,
counted in the database so several serve processes share the count."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import cycle
from pathlib import Path

import httpx
import pytest

from console.protocol.demo import DEMO_PASSWORD
from tests.backend.conftest import USER_ALL, USER_ASSIGNED, assert_problem, wait_for
from tests.backend.pg import fresh_database, needs_postgres
from tests.support.backend_process import BackendProcess, sqlite_url

OTHER_USER = "marcus.admin@demo.example"
LIMITS = {
    "CONSOLE_LOGIN_MAX_FAILURES_PER_EMAIL": "3",
    "CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS": "6",
    "CONSOLE_LOGIN_WINDOW_S": "120",
}


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    path = tmp_path_factory.mktemp("ratelimit") / "backend.db"
    process = BackendProcess(sqlite_url(path), args=["--seed", "demo"], env=LIMITS).start()
    yield process
    process.stop()


def sign_in(url: str, email: str, password: str, address: str) -> httpx.Response:
    # uvicorn takes the client address from X-Forwarded-For when the peer is a trusted proxy
    # (loopback by default): how these tests come from several addresses.
    with httpx.Client(base_url=url, timeout=30) as http:
        return http.post(
            "/v1/auth/token",
            json={"email": email, "password": password},
            headers={"X-Forwarded-For": address},
        )


def assert_limited(response: httpx.Response, window_s: int) -> int:
    assert_problem(response, 429, "rate_limited")
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= window_s
    return retry_after


def test_failures_per_email_are_limited_even_from_new_addresses(backend: BackendProcess) -> None:
    for _ in range(3):
        assert_problem(sign_in(backend.url, USER_ALL, "wrong", "10.1.0.1"), 401, "unauthorized")
    # The right password does not help now, nor does another address.
    assert_limited(sign_in(backend.url, USER_ALL, DEMO_PASSWORD, "10.1.0.1"), 120)
    assert_limited(sign_in(backend.url, f" {USER_ALL.upper()}", DEMO_PASSWORD, "10.1.0.2"), 120)
    # Other people at that address are not locked out.
    assert sign_in(backend.url, OTHER_USER, DEMO_PASSWORD, "10.1.0.1").status_code == 200


def test_failures_per_address_are_limited_across_emails(backend: BackendProcess) -> None:
    for index in range(6):
        response = sign_in(backend.url, f"nobody{index}@demo.example", "wrong", "10.2.0.1")
        assert_problem(response, 401, "unauthorized")
    assert_limited(sign_in(backend.url, USER_ASSIGNED, DEMO_PASSWORD, "10.2.0.1"), 120)
    assert sign_in(backend.url, USER_ASSIGNED, DEMO_PASSWORD, "10.2.0.2").status_code == 200


def test_a_success_clears_the_failures_of_that_email(backend: BackendProcess) -> None:
    email = OTHER_USER
    for _ in range(3):
        assert sign_in(backend.url, email, "wrong", "10.3.0.1").status_code == 401
        assert sign_in(backend.url, email, "wrong", "10.3.0.2").status_code == 401
        assert sign_in(backend.url, email, DEMO_PASSWORD, "10.3.0.3").status_code == 200


def test_parallel_guesses_cannot_slip_under_the_limit(backend: BackendProcess) -> None:
    email = "nobody.parallel@demo.example"
    addresses = cycle(f"10.4.0.{i}" for i in range(1, 13))
    jobs = [next(addresses) for _ in range(12)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = sorted(
            pool.map(lambda address: sign_in(backend.url, email, "wrong", address).status_code,
                     jobs)
        )
    assert statuses == [401] * 3 + [429] * 9


def test_the_limit_lifts_when_the_window_has_passed(tmp_path: Path) -> None:
    window = 3
    env = {**LIMITS, "CONSOLE_LOGIN_WINDOW_S": str(window)}
    process = BackendProcess(sqlite_url(tmp_path / "w.db"), args=["--seed", "demo"], env=env)
    process.start()
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=3) as pool:
            failed = list(pool.map(
                lambda _: sign_in(process.url, USER_ALL, "wrong", "10.5.0.1").status_code,
                range(3),
            ))
        assert failed == [401] * 3
        limited = sign_in(process.url, USER_ALL, DEMO_PASSWORD, "10.5.0.1")
        if time.monotonic() - started < window:  # (a machine this loaded outlives the window)
            assert_limited(limited, window)
        wait_for(
            lambda: sign_in(process.url, USER_ALL, DEMO_PASSWORD, "10.5.0.1").status_code == 200,
            timeout=window + 10, interval=0.2,
        )
    finally:
        process.stop()


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=needs_postgres)])
def test_several_processes_share_one_count(database: str, tmp_path: Path) -> None:
    if database == "sqlite":
        run_across_two_processes(sqlite_url(tmp_path / "shared.db"))
    else:
        with fresh_database() as url:
            run_across_two_processes(url)


def run_across_two_processes(url: str) -> None:
    first = BackendProcess(url, args=["--seed", "demo"], env=LIMITS).start()
    second = BackendProcess(url, env=LIMITS).start()
    try:
        email = "nobody.shared@demo.example"
        targets = [first.url, second.url] * 5
        with ThreadPoolExecutor(max_workers=10) as pool:
            statuses = sorted(pool.map(
                lambda job: sign_in(job[1], email, "wrong", f"10.6.0.{job[0]}").status_code,
                enumerate(targets),
            ))
        assert statuses == [401] * 3 + [429] * 7
        assert_limited(sign_in(first.url, email, "wrong", "10.6.1.1"), 120)
        assert_limited(sign_in(second.url, email, "wrong", "10.6.1.2"), 120)
    finally:
        first.stop()
        second.stop()
