"""Staff accounts: admins only."""

from __future__ import annotations

import uuid

from tests.backend.conftest import USER_ALL, Api, assert_problem, page_all


def test_users_are_admin_only(api: Api) -> None:
    user = api.as_(USER_ALL)
    assert_problem(user.get("/v1/users"), 403, "forbidden")
    assert_problem(
        user.post("/v1/users", json={"email": "x@demo.example", "password": "long-enough"}),
        403,
        "forbidden",
    )
    me = api.me(USER_ALL)
    assert_problem(user.patch(f"/v1/users/{me['id']}", json={"role": "admin"}), 403, "forbidden")


def test_admin_creates_lists_and_changes_users(api: Api) -> None:
    email = f"new-{uuid.uuid4().hex[:8]}@demo.example"
    created = api.admin.post(
        "/v1/users",
        json={"email": email, "name": "New Agent", "password": "secret-123", "role": "user",
              "data_access": "assigned"},
    )
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["email"] == email
    assert user["data_access"] == "assigned"

    listed = page_all(api.admin, "/v1/users", limit=2)
    assert [u["email"] for u in listed] == sorted(u["email"] for u in listed)
    assert email in {u["email"] for u in listed}

    patched = api.admin.patch(f"/v1/users/{user['id']}", json={"data_access": "all"})
    assert patched.status_code == 200
    assert patched.json()["data_access"] == "all"
    # The new password works.
    api.admin.patch(f"/v1/users/{user['id']}", json={"password": "another-456"})
    assert api.backend.login(email, "another-456")


def test_duplicate_email_is_a_conflict(api: Api) -> None:
    body = {"email": "Dup@Demo.example", "password": "secret-123"}
    assert api.admin.post("/v1/users", json=body).status_code == 201
    again = api.admin.post("/v1/users", json={**body, "email": "dup@demo.example"})
    assert_problem(again, 409, "conflict")


def test_bad_user_input_is_422(api: Api) -> None:
    short = api.admin.post("/v1/users", json={"email": "a@b.example", "password": "short"})
    assert_problem(short, 422, "validation_error")
    role = api.admin.post(
        "/v1/users", json={"email": "a@b.example", "password": "long-enough", "role": "root"}
    )
    body = assert_problem(role, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["body", "role"]
    not_email = api.admin.post("/v1/users", json={"email": "nope", "password": "long-enough"})
    assert_problem(not_email, 422, "validation_error")
    assert_problem(api.admin.patch("/v1/users/usr_missing", json={}), 404, "not_found")
