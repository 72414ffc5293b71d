"""Sign-in throttling: growing delays per account and client address (429 `rate_limited` with
Retry-After), never a lock-out of the right password from elsewhere; X-Forwarded-For only from
configured proxies; what was typed as the email of a failed sign-in never kept in clear."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import MetaData, create_engine

from console.protocol.demo import DEMO_PASSWORD
from tests.backend.conftest import USER_ALL, USER_ASSIGNED, Api, assert_problem
from tests.backend.pg import fresh_database, needs_postgres
from tests.support.backend_process import BackendProcess, sqlite_url

OTHER_USER = "marcus.admin@demo.example"
LIMITS = {
    "CONSOLE_LOGIN_FREE_FAILURES": "3",
    "CONSOLE_LOGIN_FREE_FAILURES_PER_ADDRESS": "6",
    "CONSOLE_LOGIN_MAX_DELAY_S": "4",
    "CONSOLE_LOGIN_WINDOW_S": "120",
}
# The tests stand for clients at many addresses behind a proxy on loopback (and a second,
# inner proxy in 10.250.0.0/16).
PROXIED = ["--seed", "demo", "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "10.250.0.0/16"]


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    path = tmp_path_factory.mktemp("ratelimit") / "backend.db"
    process = BackendProcess(sqlite_url(path), args=PROXIED, env=LIMITS).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def direct_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    """No trusted proxy (the default): every client is who its connection says."""
    path = tmp_path_factory.mktemp("ratelimit-direct") / "backend.db"
    process = BackendProcess(sqlite_url(path), args=["--seed", "demo"], env=LIMITS).start()
    yield process
    process.stop()


def sign_in(url: str, email: str, password: str, forwarded_for: str | None) -> httpx.Response:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    with httpx.Client(base_url=url, timeout=30) as http:
        return http.post(
            "/v1/auth/token", json={"email": email, "password": password}, headers=headers
        )


def assert_limited(response: httpx.Response) -> int:
    assert_problem(response, 429, "rate_limited")
    retry_after = int(response.headers["retry-after"])
    assert retry_after >= 1
    return retry_after


def test_failures_bring_growing_delays_for_that_address_only(backend: BackendProcess) -> None:
    for _ in range(3):
        assert_problem(sign_in(backend.url, USER_ALL, "wrong", "10.1.0.1"), 401, "unauthorized")
    # Now that address waits before even the right password is checked ...
    wait = assert_limited(sign_in(backend.url, USER_ALL, DEMO_PASSWORD, "10.1.0.1"))
    assert wait == 1
    # ... but the right password from anywhere else works at once: nobody is locked out.
    assert sign_in(backend.url, f" {USER_ALL.upper()}", DEMO_PASSWORD, "10.1.0.2").status_code \
        == 200
    # And other people at that address are not held up.
    assert sign_in(backend.url, OTHER_USER, DEMO_PASSWORD, "10.1.0.1").status_code == 200
    # Each further failure doubles the wait, up to the cap (4 s here).
    for expected in (2, 4, 4):
        time.sleep(wait + 0.1)
        assert_problem(sign_in(backend.url, USER_ALL, "wrong", "10.1.0.1"), 401, "unauthorized")
        wait = assert_limited(sign_in(backend.url, USER_ALL, "wrong", "10.1.0.1"))
        assert wait == expected
    time.sleep(wait + 0.1)
    assert sign_in(backend.url, USER_ALL, DEMO_PASSWORD, "10.1.0.1").status_code == 200


def test_failures_per_address_are_limited_across_emails(backend: BackendProcess) -> None:
    for index in range(6):
        response = sign_in(backend.url, f"nobody{index}@demo.example", "wrong", "10.2.0.1")
        assert_problem(response, 401, "unauthorized")
    assert_limited(sign_in(backend.url, USER_ASSIGNED, DEMO_PASSWORD, "10.2.0.1"))
    assert sign_in(backend.url, USER_ASSIGNED, DEMO_PASSWORD, "10.2.0.2").status_code == 200


def test_a_success_clears_the_failures_of_that_account_at_that_address(
    backend: BackendProcess,
) -> None:
    for _ in range(2):
        assert sign_in(backend.url, OTHER_USER, "wrong", "10.3.0.1").status_code == 401
        assert sign_in(backend.url, OTHER_USER, "wrong", "10.3.0.1").status_code == 401
        assert sign_in(backend.url, OTHER_USER, DEMO_PASSWORD, "10.3.0.1").status_code == 200


def test_parallel_guesses_cannot_slip_under_the_limit(backend: BackendProcess) -> None:
    email = "nobody.parallel@demo.example"
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = sorted(pool.map(
            lambda _: sign_in(backend.url, email, "wrong", "10.4.0.1").status_code, range(12)
        ))
    assert statuses == [401] * 3 + [429] * 9


def test_a_trusted_proxy_chain_names_the_client(backend: BackendProcess) -> None:
    # The client is the right-most address that is not a trusted proxy.
    for _ in range(3):
        response = sign_in(backend.url, OTHER_USER, "wrong", "198.51.100.7, 10.250.0.9")
        assert_problem(response, 401, "unauthorized")
    assert_limited(sign_in(backend.url, OTHER_USER, "wrong", "198.51.100.7"))
    # Whatever the client wrote to the left of it is not believed.
    assert_limited(sign_in(backend.url, OTHER_USER, "wrong", "203.0.113.1, 198.51.100.7"))
    assert_limited(sign_in(backend.url, OTHER_USER, "wrong",
                           "203.0.113.2, 198.51.100.7, 10.250.0.9"))
    # Another client behind the same proxies is someone else.
    assert sign_in(backend.url, OTHER_USER, DEMO_PASSWORD, "198.51.100.8, 10.250.0.9"
                   ).status_code == 200


def test_ipv6_clients_count_per_slash_64(backend: BackendProcess) -> None:
    email = f"v6-{uuid.uuid4().hex[:6]}@demo.example"
    for host in range(1, 4):
        response = sign_in(backend.url, email, "wrong", f"2001:db8:1:2::{host}")
        assert_problem(response, 401, "unauthorized")
    # A new address in the same /64 (what one subscriber usually holds) is the same client.
    assert_limited(sign_in(backend.url, email, "wrong", "2001:db8:1:2:ffff::9"))
    assert sign_in(backend.url, email, "wrong", "2001:db8:1:3::1").status_code == 401


def test_x_forwarded_for_from_an_untrusted_peer_changes_nothing(
    direct_backend: BackendProcess,
) -> None:
    for index in range(6):
        response = sign_in(direct_backend.url, f"rotate{index}@demo.example", "wrong",
                           f"10.7.0.{index + 1}")
        assert_problem(response, 401, "unauthorized")
    # A fresh made-up address does not make this client someone new.
    assert_limited(sign_in(direct_backend.url, USER_ALL, DEMO_PASSWORD, "10.7.9.9"))
    assert_limited(sign_in(direct_backend.url, USER_ALL, DEMO_PASSWORD, None))


def test_typed_emails_of_failed_sign_ins_are_not_kept_in_clear(
    api: Api, backend_db: str
) -> None:
    typed = [f"Typo.{uuid.uuid4().hex}@Demo.example", f"hunter2-{uuid.uuid4().hex}"]
    with api.anonymous() as http:
        for value in typed:
            response = http.post("/v1/auth/token", json={"email": value, "password": "x"})
            assert_problem(response, 401, "unauthorized")
    engine = create_engine(backend_db)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as db:
            dump = "\n".join(
                repr(tuple(row)) for table in metadata.sorted_tables
                for row in db.execute(table.select())
            ).lower()
            attempts = db.execute(metadata.tables["login_attempts"].select()).all()
    finally:
        engine.dispose()
    assert attempts  # (the failures are counted, under a keyed hash)
    log = "\n".join(api.backend.log_lines).lower()
    for value in typed:
        for form in (value.lower(), value.lower().split("@")[0]):
            assert form not in dump
            assert form not in log


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=needs_postgres)])
def test_several_processes_share_the_address_count(database: str, tmp_path: Path) -> None:
    if database == "sqlite":
        run_across_two_processes(sqlite_url(tmp_path / "shared.db"))
    else:
        with fresh_database() as url:
            run_across_two_processes(url)


# The delay after the sixth failure must outlast the ten parallel sign-ins: each checks a
# password hash, and on a busy machine (tests running in parallel) a 1 s first delay could
# end before the last of them is answered, which then counts as a fresh try.
SHARED_LIMITS = {**LIMITS, "CONSOLE_LOGIN_FIRST_DELAY_S": "60", "CONSOLE_LOGIN_MAX_DELAY_S": "60"}


def run_across_two_processes(url: str) -> None:
    first = BackendProcess(url, args=PROXIED, env=SHARED_LIMITS).start()
    second = BackendProcess(url, args=PROXIED[2:], env=SHARED_LIMITS).start()
    try:
        targets = [first.url, second.url] * 5
        with ThreadPoolExecutor(max_workers=10) as pool:
            statuses = sorted(pool.map(
                lambda job: sign_in(job[1], f"shared{job[0]}@demo.example", "wrong",
                                    "10.6.0.1").status_code,
                enumerate(targets),
            ))
        assert statuses == [401] * 6 + [429] * 4
        assert_limited(sign_in(first.url, USER_ALL, DEMO_PASSWORD, "10.6.0.1"))
        assert_limited(sign_in(second.url, USER_ALL, DEMO_PASSWORD, "10.6.0.1"))
        assert sign_in(second.url, USER_ALL, DEMO_PASSWORD, "10.6.0.2").status_code == 200
    finally:
        first.stop()
        second.stop()
