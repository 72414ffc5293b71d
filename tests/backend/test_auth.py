"""Sign in, who am I, sign out (revocation), and what a bad token gets."""

from __future__ import annotations

import hashlib

from sqlalchemy import MetaData, create_engine, text

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PASSWORD
from tests.backend.conftest import USER_ASSIGNED, Api, assert_problem


def test_sign_in_returns_a_bearer_token_and_the_user(api: Api) -> None:
    with api.anonymous() as http:
        response = http.post(
            "/v1/auth/token", json={"email": DEMO_ADMIN_EMAIL, "password": DEMO_ADMIN_PASSWORD}
        )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert len(body["access_token"]) >= 32
    assert body["user"]["email"] == DEMO_ADMIN_EMAIL
    assert body["user"]["role"] == "admin"


def test_email_is_not_case_sensitive(api: Api) -> None:
    with api.anonymous() as http:
        response = http.post(
            "/v1/auth/token",
            json={"email": f"  {USER_ASSIGNED.upper()} ", "password": DEMO_PASSWORD},
        )
    assert response.status_code == 200, response.text
    assert response.json()["user"]["data_access"] == "assigned"


def test_wrong_password_and_unknown_email_are_the_same_401(api: Api) -> None:
    with api.anonymous() as http:
        wrong = http.post("/v1/auth/token", json={"email": DEMO_ADMIN_EMAIL, "password": "nope"})
        unknown = http.post(
            "/v1/auth/token", json={"email": "nobody@demo.example", "password": "nope"}
        )
    assert_problem(wrong, 401, "unauthorized")
    assert_problem(unknown, 401, "unauthorized")
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_me_needs_a_token(api: Api) -> None:
    with api.anonymous() as http:
        missing = http.get("/v1/me")
        bad = http.get("/v1/me", headers={"Authorization": "Bearer not-a-token"})
        not_bearer = http.get("/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    for response in (missing, bad, not_bearer):
        assert_problem(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"


def test_me_tells_who_is_signed_in(api: Api) -> None:
    me = api.me(USER_ASSIGNED)
    assert me["email"] == USER_ASSIGNED
    assert me["name"] == "Diego Alvarez"
    assert (me["role"], me["data_access"]) == ("user", "assigned")
    assert set(me) >= {"id", "email", "name", "role", "data_access"}


def test_sign_out_revokes_only_that_token(api: Api) -> None:
    first = api.backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    second = api.backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    assert first != second
    with api.backend.client(first) as one, api.backend.client(second) as two:
        assert one.get("/v1/me").status_code == 200
        assert one.delete("/v1/auth/token").status_code == 204
        assert_problem(one.get("/v1/me"), 401, "unauthorized")
        assert_problem(one.delete("/v1/auth/token"), 401, "unauthorized")
        assert two.get("/v1/me").status_code == 200


def test_tokens_and_passwords_are_stored_only_as_hashes(api: Api, backend_db: str) -> None:
    token = api.backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    engine = create_engine(backend_db)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as db:
            hashes = set(db.scalars(text("SELECT token_hash FROM access_tokens")))
            password_hashes = list(db.scalars(text("SELECT password_hash FROM users")))
            # Every value of every row of every table, as text.
            dump = "\n".join(
                repr(tuple(row)) for table in metadata.sorted_tables
                for row in db.execute(table.select())
            )
    finally:
        engine.dispose()
    assert hashlib.sha256(token.encode()).hexdigest() in hashes
    assert token not in dump
    assert DEMO_ADMIN_PASSWORD not in dump
    assert DEMO_PASSWORD not in dump
    assert all(h.startswith("$argon2") for h in password_hashes)
