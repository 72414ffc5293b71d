"""Schemathesis against the live server: /openapi.json must be true to the routes.

Every operation gets a bounded number of generated requests (valid and invalid), sent as an
admin to a real backend subprocess; each response must not be a 5xx, must have a documented
status code and content type, and must match the documented schema.

Left out: `GET /v1/events`, an endless stream (a valid request never completes; its errors and
its wire format are tested in test_events_stream.py).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.support.backend_process import BackendProcess, sqlite_url

# Per operation; a deeper hunt: CONSOLE_SCHEMATHESIS_EXAMPLES=200 pytest this file.
MAX_EXAMPLES = int(os.environ.get("CONSOLE_SCHEMATHESIS_EXAMPLES", "10"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
_addresses = (f"10.99.{i // 250}.{i % 250 + 1}" for i in itertools.count())


@pytest.fixture(scope="module")
def live_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    path = tmp_path_factory.mktemp("schemathesis") / "backend.db"
    # Behind a "proxy" on loopback: each token comes from an address of its own (fresh_token).
    backend = BackendProcess(
        sqlite_url(path), args=["--seed", "demo", "--trusted-proxy", "127.0.0.1"]
    ).start()
    yield backend
    backend.stop()


def fresh_token(backend: BackendProcess) -> str:
    # From an address of its own each time: the run's failed sign-ins (it fuzzes
    # /v1/auth/token) must not rate-limit the tokens it needs.
    with httpx.Client(base_url=backend.url) as http:
        response = http.post(
            "/v1/auth/token",
            json={"email": DEMO_ADMIN_EMAIL, "password": DEMO_ADMIN_PASSWORD},
            headers={"X-Forwarded-For": next(_addresses)},
        )
    response.raise_for_status()
    return str(response.json()["access_token"])


@pytest.fixture(scope="module")
def admin_token(live_backend: BackendProcess) -> str:
    return fresh_token(live_backend)


def operations(backend: BackendProcess) -> list[Any]:
    loaded = schemathesis.openapi.from_url(f"{backend.url}/openapi.json")
    found: list[Any] = []
    for result in loaded.exclude(path="/v1/events").get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # an operation schemathesis cannot read: say which, and why
        found.append(result.ok())
    assert len(found) >= 20
    return found


def cases(operation: Any) -> st.SearchStrategy[Any]:
    """Valid requests, and (where the operation has inputs to break) invalid ones."""
    return st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )


def test_the_api_matches_its_openapi_document(live_backend: BackendProcess) -> None:
    admin_token = fresh_token(live_backend)
    failures: dict[str, str] = {}
    for operation in operations(live_backend):

        @given(case=cases(operation))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=MAX_EXAMPLES <= 10,  # the suite's run is the same every time
            database=None,
            phases=[Phase.explicit, Phase.generate],  # a failure is reported, not shrunk
        )
        def check(case: Any) -> None:
            token = admin_token
            if case.method == "DELETE" and case.path == "/v1/auth/token":
                token = fresh_token(live_backend)  # it revokes the token it is sent with
            case.call_and_validate(
                base_url=live_backend.url,
                headers={"Authorization": f"Bearer {token}"},
                checks=CHECKS,
                timeout=30,
            )

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried and reported
            failures[operation.label] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
