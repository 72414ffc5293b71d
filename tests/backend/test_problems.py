"""Every error is application/problem+json with a stable code; bad input never gives a 5xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.backend.conftest import PROBLEM, Api, assert_problem


@pytest.fixture(scope="module")
def admin(api: Api) -> Iterator[httpx.Client]:
    yield api.admin


@pytest.fixture(scope="module")
def fuzz_contact(api: Api) -> str:
    """A real contact, so PATCH bodies that validate reach the rules, not a 404."""
    response = api.admin.post("/v1/contacts", json={"name": "Fuzz Target"})
    contact_id: str = response.json()["id"]
    return contact_id


def test_unknown_route_is_404_not_found(api: Api) -> None:
    assert_problem(api.admin.get("/v1/nothing-here"), 404, "not_found")
    assert_problem(api.anonymous().get("/nope"), 404, "not_found")


def test_wrong_method_is_405_with_a_code(api: Api) -> None:
    response = api.admin.put("/v1/me")
    assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"]


def test_malformed_json_is_422_validation_error(api: Api) -> None:
    response = api.admin.post(
        "/v1/contacts", content=b'{"name": "x",', headers={"content-type": "application/json"}
    )
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["type"] == "json_invalid"


def test_validation_errors_name_the_fields(api: Api) -> None:
    response = api.admin.post("/v1/contacts", json={"phones": [{"number": "1", "label": "x"}]})
    body = assert_problem(response, 422, "validation_error")
    locations = {tuple(error["loc"]) for error in body["errors"]}
    assert ("body", "name") in locations
    assert ("body", "phones", "0", "label") in locations


def test_bad_idempotency_key_is_422(api: Api) -> None:
    response = api.admin.post(
        "/v1/contacts", json={"name": "Keyed"}, headers={"Idempotency-Key": "a" * 201}
    )
    assert_problem(response, 422, "validation_error")


def test_healthz_needs_no_token(api: Api) -> None:
    with api.anonymous() as http:
        assert http.get("/healthz").json() == {"status": "ok"}


def test_openapi_documents_the_routes(api: Api) -> None:
    paths = api.admin.get("/openapi.json").json()["paths"]
    for path in ("/v1/auth/token", "/v1/me", "/v1/numbers", "/v1/contacts", "/v1/sync",
                 "/v1/conversations/{conversation_id}/messages", "/v1/simulator/inbound"):
        assert path in paths


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=12,
)
fields = st.sampled_from(
    ["name", "phones", "email", "dnd", "assigned_user_id", "kind", "contact_id", "phone",
     "number_id", "body", "from", "to", "e164", "label", "is_default", "password", "role"]
)
bodies = st.one_of(
    json_values.map(json.dumps),
    st.dictionaries(fields, json_values, max_size=5).map(json.dumps),
    st.binary(max_size=60).map(lambda raw: raw.decode("latin-1")),
)
routes = st.sampled_from(
    [
        ("POST", "/v1/auth/token"),
        ("POST", "/v1/contacts"),
        ("PATCH", "/v1/contacts/{contact}"),
        ("POST", "/v1/conversations"),
        ("POST", "/v1/conversations/{conversation}/messages"),
        ("POST", "/v1/simulator/inbound"),
        ("POST", "/v1/numbers"),
        ("PATCH", "/v1/users/{user}"),
        ("GET", "/v1/contacts?q={text}"),
        ("GET", "/v1/sync?since={text}"),
        ("GET", "/v1/conversations/{conversation}/messages?before={text}&limit={text}"),
    ]
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(route=routes, body=bodies, text=st.text(max_size=20))
def test_garbage_never_gives_a_server_error(
    admin: httpx.Client, fuzz_contact: str, route: tuple[str, str], body: str, text: str
) -> None:
    method, template = route
    # A missing id is fine: the point is the body and parameters.
    url = template.format(
        contact=fuzz_contact, conversation="cnv_x", user="usr_x", text=quote(text, safe="")
    )
    response = admin.request(
        method, url, content=body.encode("utf-8", "surrogatepass") if method != "GET" else None,
        headers={"content-type": "application/json"},
    )
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith(PROBLEM)
        problem = response.json()
        assert problem["status"] == response.status_code and problem["code"]


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("GET", "/v1/contacts?q=%00", None),  # the case the property test found on PostgreSQL
        ("GET", "/v1/contacts?q=a%00b", None),
        ("GET", "/v1/conversations/cnv_%00x/messages", None),
        ("POST", "/v1/contacts", '{"name": "Nul\\u0000Name"}'),
        ("PATCH", "/v1/contacts/{contact}", '{"name": "x\\u0000"}'),
    ],
)
def test_nul_characters_are_refused_alike_on_every_database(
    admin: httpx.Client, fuzz_contact: str, method: str, url: str, body: str | None
) -> None:
    response = admin.request(
        method, url.format(contact=fuzz_contact),
        content=body.encode() if body else None, headers={"content-type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["code"] == "validation_error" and "NUL" in response.json()["detail"]
    # Nothing was written: the contact keeps its name.
    assert admin.get(f"/v1/contacts/{fuzz_contact}").json()["name"] == "Fuzz Target"
