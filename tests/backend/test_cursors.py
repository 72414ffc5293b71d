"""Hostile cursors and times on every list route: 422 `validation_error` or a page, never a 500.

A cursor is base64 of a JSON list the client is meant to hand back untouched; anyone can craft
one. Found by hand: a time whose offset pushes it past year 9999 in UTC, `[true]` or `[2**63]`
as an integer cursor, and (the same class) NUL characters or lone surrogates inside a cursor's
strings, which bypass the NUL guard because the cursor is base64.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.backend.conftest import PROBLEM, USER_ALL, USER_ASSIGNED, Api, assert_problem


def cursor_of(values: Any) -> str:
    raw = json.dumps(values).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.fixture(scope="module")
def routes(api: Api) -> list[str]:
    """Every list route that takes a cursor, with ids that exist (so the cursor is reached)."""
    admin = api.admin
    contact = admin.post("/v1/contacts", json={"name": "Cursor Probe"}).json()["id"]
    group = admin.post("/v1/groups", json={"name": "Cursor Probe Group"}).json()["id"]
    conversation = admin.get("/v1/conversations").json()["items"][0]["id"]
    integration = admin.post(
        "/v1/integrations", json={"url": "https://hooks.example.com/cursor", "secret": "s" * 20}
    ).json()["id"]
    # Removed at once: its delivery record stays readable, and nothing is ever sent to it.
    assert admin.delete(f"/v1/integrations/{integration}").status_code == 204
    return [
        "/v1/contacts", "/v1/conversations", f"/v1/conversations/{conversation}/messages",
        "/v1/group-messages", "/v1/group-messages/gms_none/notifications", "/v1/groups",
        f"/v1/groups/{group}/members", "/v1/integrations",
        f"/v1/integrations/{integration}/deliveries", "/v1/numbers",
        f"/v1/contacts/{contact}/dnd-history", f"/v1/people/{contact}/messages",
        "/v1/simulator/outbox", "/v1/users",
    ]


# Routes whose cursor is (name key, id): any text is a valid position.
NAME_KEYED = ("/v1/contacts", "/v1/groups", "/v1/numbers", "/v1/users")
EXTREME_TIMES = [
    "9999-12-31T23:59:59-14:00",  # past year 9999 in UTC
    "9999-12-31T23:59:59.999999-00:01",
    "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
    "0001-01-01T00:00:00+23:59",
]
BAD_CURSORS: list[Any] = [
    *[[at, "x"] for at in EXTREME_TIMES],
    [True], [False], [2**63], [-(2**63) - 1], [10**40], [1.5], [None], [[1]], [{"a": 1}],
    [True, "x"], ["x", True], [2**63, "x"],
    ["\u0000", "x"], ["x", "\u0000"], ["2026-01-01T00:00:00+00:00", "\u0000"],
    ["\ud800", "x"], ["2026-01-01T00:00:00+00:00", "\udfff"],
]


def assert_page_or_422(response: httpx.Response) -> None:
    assert response.status_code in (200, 403, 404, 422), response.text
    if response.status_code == 200:
        assert "items" in response.json()
        return
    assert response.headers["content-type"].startswith(PROBLEM), response.text
    if response.status_code == 422:
        assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("values", BAD_CURSORS, ids=repr)
def test_hostile_cursors_are_422_on_every_list_route(
    api: Api, routes: list[str], values: Any
) -> None:
    for route in routes:
        response = api.admin.get(route, params={"cursor": cursor_of(values)})
        if values[0] in EXTREME_TIMES and (route in NAME_KEYED or route.endswith("/members")):
            assert_page_or_422(response)  # a time is a fine name key: it pages from there
        else:
            assert_problem(response, 422, "validation_error")


@pytest.mark.parametrize("user", [USER_ALL, USER_ASSIGNED])
def test_hostile_cursors_never_give_a_server_error_to_staff(
    api: Api, routes: list[str], user: str
) -> None:
    """Not admins: some routes are refused (403) or some ids hidden (404) before the cursor is
    read; wherever it is read, a hostile one is a 422 as for admins."""
    client = api.as_(user)
    for values in BAD_CURSORS:
        for route in routes:
            response = client.get(route, params={"cursor": cursor_of(values)})
            assert response.status_code in (200, 403, 404, 422), (route, values, response.text)
            assert_page_or_422(response)


@pytest.mark.parametrize("since", EXTREME_TIMES)
def test_extreme_since_on_the_outbox_is_422(api: Api, since: str) -> None:
    response = api.admin.get("/v1/simulator/outbox", params={"since": since})
    assert_problem(response, 422, "validation_error")


def test_sync_cursor_with_non_ascii_digits_is_refused(api: Api) -> None:
    epoch = api.admin.get("/v1/sync", params={"limit": 1}).json()["next"].split(".")[0]
    for seq in ("\u00b2", "\u0661\u0662", "\uff11"):  # superscript two, Arabic-Indic, fullwidth
        response = api.admin.get("/v1/sync", params={"since": f"{epoch}.{seq}"})
        assert response.status_code == 410, response.text
        assert response.json()["code"] == "cursor_invalid"


def raw_cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# Nested deeper than the JSON parser recurses (found by hand: 3000 `[` was a 500 on every
# list route); still under the cursor length limit once in base64.
DEEP_CURSORS = [b"[" * 3000, b"{" * 3000, b'[{"a":' * 1000, b"[" * 2000 + b"]" * 2000]


@pytest.mark.parametrize("raw", DEEP_CURSORS, ids=lambda raw: repr(raw[:12]))
def test_deeply_nested_cursors_are_422_on_every_list_route(
    api: Api, routes: list[str], raw: bytes
) -> None:
    for route in routes:
        response = api.admin.get(route, params={"cursor": raw_cursor(raw)})
        assert_problem(response, 422, "validation_error")


def test_a_real_cursor_still_pages(api: Api) -> None:
    first = api.admin.get("/v1/contacts", params={"limit": 1}).json()
    second = api.admin.get("/v1/contacts", params={"limit": 1, "cursor": first["next_cursor"]})
    assert second.status_code == 200
    assert second.json()["items"][0]["id"] != first["items"][0]["id"]


# --- the property test: the whole class of values, generated ---

offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
extreme_datetimes = st.one_of(
    st.datetimes(min_value=datetime(9999, 12, 30), timezones=st.just(UTC) | offsets),
    st.datetimes(max_value=datetime(1, 1, 2), timezones=st.just(UTC) | offsets),
    st.datetimes(timezones=offsets),
).map(lambda at: at.isoformat())
cursor_scalars = st.one_of(
    extreme_datetimes,
    st.integers(min_value=2**62, max_value=2**70), st.integers(max_value=-(2**62)),
    st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
    st.text(max_size=12), st.sampled_from(["\u0000", "\ud800", "a\udfffb", "x" * 300]),
)
cursor_values = st.lists(
    st.one_of(cursor_scalars, st.lists(cursor_scalars, max_size=2)), min_size=1, max_size=3
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=cursor_values, route_index=st.integers(min_value=0, max_value=13),
       since=st.none() | extreme_datetimes)
def test_generated_cursors_never_give_a_server_error(
    api: Api, routes: list[str], values: list[Any], route_index: int, since: str | None
) -> None:
    route = routes[route_index % len(routes)]
    params = {"cursor": cursor_of(values)}
    if since is not None and route == "/v1/simulator/outbox":
        params["since"] = since
    assert_page_or_422(api.admin.get(route, params=params))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(opens=st.lists(st.sampled_from([b"[", b"{\"a\":", b"[1,"]), min_size=1, max_size=3),
       depth=st.integers(min_value=1, max_value=3000), route_index=st.integers(0, 13))
def test_generated_nested_cursors_never_give_a_server_error(
    api: Api, routes: list[str], opens: list[bytes], depth: int, route_index: int
) -> None:
    raw = b"".join(opens[i % len(opens)] for i in range(depth))
    cursor = raw_cursor(raw)
    if len(cursor) > 4096:
        cursor = cursor[:4096]
    assert_page_or_422(api.admin.get(routes[route_index % len(routes)], params={"cursor": cursor}))
