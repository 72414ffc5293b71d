"""Every error is application/problem+json with a stable code; bad input never gives a 5xx."""

from __future__ import annotations

import json
from typing import Annotated, Any, get_args, get_origin
from urllib.parse import quote

import httpx
import pytest
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Strict

from console.backend.app import create_app
from console.backend.settings import Settings
from tests.backend.conftest import PROBLEM, Api, assert_problem


@pytest.fixture(scope="module")
def admin(api: Api) -> httpx.Client:
    return api.admin


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
        assert problem["status"] == response.status_code
        assert problem["code"]


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
    assert response.json()["code"] == "validation_error"
    assert "NUL" in response.json()["detail"]
    # Nothing was written: the contact keeps its name.
    assert admin.get(f"/v1/contacts/{fuzz_contact}").json()["name"] == "Fuzz Target"


# --- 405 lists every method of the path; booleans are booleans ---


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("OPTIONS", "/v1/contacts/con_x", "GET, PATCH, DELETE"),
        ("PUT", "/v1/contacts", "GET, POST"),
        ("POST", "/v1/groups/grp_x", "GET, PATCH, DELETE"),
        ("GET", "/v1/groups/grp_x/members/con_x", "PUT, DELETE"),
        ("PUT", "/v1/me", "GET"),
    ],
)
def test_a_405_lists_every_method_the_path_supports(
    api: Api, method: str, path: str, allowed: str
) -> None:
    response = api.admin.request(method, path)
    assert_problem(response, 405, "method_not_allowed")
    assert response.headers["allow"] == allowed


def test_every_documented_path_answers_a_wrong_method_with_all_its_methods(api: Api) -> None:
    paths = api.admin.get("/openapi.json").json()["paths"]
    for template, operations in paths.items():
        documented = {m.upper() for m in operations}
        if "OPTIONS" in documented:
            continue
        concrete = "/".join("x_1" if part.startswith("{") else part
                            for part in template.split("/"))
        response = api.admin.request("OPTIONS", concrete)
        assert_problem(response, 405, "method_not_allowed")
        assert set(response.headers["allow"].split(", ")) == documented, template


def _numbers_and_contacts(api: Api, fuzz_contact: str) -> list[tuple[str, str, dict[str, object]]]:
    number = api.admin.get("/v1/numbers").json()["items"][-1]["id"]
    return [
        ("POST", "/v1/contacts", {"name": "Strict Bool"}),
        ("PATCH", f"/v1/contacts/{fuzz_contact}", {}),
        ("POST", f"/v1/contacts/{fuzz_contact}/dnd", {}),
        ("POST", "/v1/numbers", {"e164": "+12875550100"}),
        ("PATCH", f"/v1/numbers/{number}", {}),
    ]


@pytest.mark.parametrize("value", [0, 1, "true", "false", "1", 1.0, None])
def test_only_true_and_false_are_booleans(api: Api, fuzz_contact: str, value: object) -> None:
    before = api.admin.get("/v1/numbers").json()["items"]
    for method, path, body in _numbers_and_contacts(api, fuzz_contact):
        field = "is_default" if "numbers" in path else "dnd"
        if value is None and method == "PATCH":
            continue  # null is "no change" in a PATCH
        response = api.admin.request(method, path, json={**body, field: value})
        error = assert_problem(response, 422, "validation_error")
        assert error["errors"][0]["loc"] == ["body", field], error
    assert api.admin.get("/v1/numbers").json()["items"] == before
    assert api.admin.get(f"/v1/contacts/{fuzz_contact}").json()["dnd"] is False


def test_every_boolean_of_every_request_body_is_strict() -> None:
    """Closes the class: a new request field typed plain `bool` (which takes 0, 1, "yes")
    fails here."""
    lax: list[str] = []
    for route in _app_routes():
        for param in route.dependant.body_params:
            _find_lax_booleans(param.field_info.annotation, route.path, lax, set())
    assert lax == []


def _app_routes() -> list[APIRoute]:
    app = create_app(Settings(db_url="sqlite:///:memory:"))  # not started: no database needed
    found: list[APIRoute] = []

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.append(route)
            elif hasattr(route, "original_router"):  # FastAPI keeps included routers nested
                walk(route.original_router.routes)

    walk(app.routes)
    assert len(found) > 20
    return found


def _find_lax_booleans(annotation: Any, where: str, lax: list[str], seen: set[type]) -> None:
    if annotation is bool:
        lax.append(where)
    elif get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        if not (base is bool and any(isinstance(m, Strict) and m.strict for m in extra)):
            _find_lax_booleans(base, where, lax, seen)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen or annotation.model_config.get("strict"):
            return
        seen.add(annotation)
        for name, info in annotation.model_fields.items():
            strict = any(isinstance(m, Strict) and m.strict for m in info.metadata)
            if not (info.annotation is bool and strict):
                _find_lax_booleans(info.annotation, f"{annotation.__name__}.{name}", lax, seen)
    else:
        for arg in get_args(annotation):
            _find_lax_booleans(arg, where, lax, seen)
