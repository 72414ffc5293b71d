"""Access that holds over time: tokens expire when idle (and at a hard maximum age), a password
reset revokes every token of that user, and admins deactivate and reactivate staff.

Each test runs on SQLite and PostgreSQL (the package's `api` backend, or backends of its own
where a serve option has to differ)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from console.protocol.demo import DEMO_PASSWORD
from tests.backend.conftest import (
    ADMIN,
    USER_ALL,
    USER_ASSIGNED,
    Api,
    assert_problem,
    sync_all,
    wait_for,
)
from tests.backend.flows import open_thread
from tests.backend.pg import fresh_database, needs_postgres
from tests.backend.sse_client import open_stream
from tests.support.backend_process import BackendProcess, sqlite_url

PASSWORD = "first-password-1"


def _new_user(api: Api, **extra: Any) -> dict[str, Any]:
    email = f"acct-{uuid.uuid4().hex[:10]}@demo.example"
    response = api.admin.post(
        "/v1/users",
        json={"email": email, "name": f"Agent {email[5:15]}", "password": PASSWORD,
              "role": "user", "data_access": "all", **extra},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    assert body["active"] is True
    return body


def _sign_in(url: str, email: str, password: str) -> httpx.Response:
    with httpx.Client(base_url=url, timeout=30) as http:
        return http.post("/v1/auth/token", json={"email": email, "password": password})


def _token(api: Api, email: str) -> str:
    return str(api.as_(email).headers["authorization"].removeprefix("Bearer "))


# -- password reset ------------------------------------------------------------------------------


def test_a_password_reset_revokes_every_token_of_that_user(api: Api) -> None:
    user = _new_user(api)
    tokens = [api.backend.login(user["email"], PASSWORD) for _ in range(2)]
    _, cursor = sync_all(api.admin)
    with open_stream(api.backend.url, tokens[0], since=cursor) as stream:
        reset = api.admin.patch(f"/v1/users/{user['id']}", json={"password": "second-password-2"})
        assert reset.status_code == 200, reset.text
        stream.wait_ended(timeout=5)
        assert stream.ended_cleanly
    for token in tokens:
        with api.backend.client(token) as http:
            assert_problem(http.get("/v1/me"), 401, "unauthorized")
            assert_problem(http.get("/v1/sync"), 401, "unauthorized")
    assert_problem(_sign_in(api.backend.url, user["email"], PASSWORD), 401, "unauthorized")
    assert api.backend.login(user["email"], "second-password-2")
    # Other people's sessions are untouched.
    for email in (ADMIN, USER_ALL, USER_ASSIGNED):
        assert api.as_(email).get("/v1/me").status_code == 200


def test_changing_only_a_name_keeps_the_tokens(api: Api) -> None:
    user = _new_user(api)
    token = api.backend.login(user["email"], PASSWORD)
    assert api.admin.patch(f"/v1/users/{user['id']}", json={"name": "Renamed"}).status_code == 200
    with api.backend.client(token) as http:
        assert http.get("/v1/me").json()["name"] == "Renamed"


# -- deactivation --------------------------------------------------------------------------------


def test_deactivating_a_user_ends_their_sessions_and_streams_and_keeps_their_history(
    api: Api,
) -> None:
    user = _new_user(api)
    token = api.backend.login(user["email"], PASSWORD)
    with api.backend.client(token) as http:
        conversation_id = open_thread(http, "+14155550981")
        sent = http.post(f"/v1/conversations/{conversation_id}/messages", json={"body": "hi"},
                         headers={"Idempotency-Key": str(uuid.uuid4())})
        assert sent.status_code == 201, sent.text
        message_id = sent.json()["id"]
        _, cursor = sync_all(http)
    with open_stream(api.backend.url, token, since=cursor) as stream:
        started = time.monotonic()
        deleted = api.admin.delete(f"/v1/users/{user['id']}")
        assert deleted.status_code == 204, deleted.text
        stream.wait_ended(timeout=5)
        assert stream.ended_cleanly
        assert time.monotonic() - started < 5
    with api.backend.client(token) as http:
        assert_problem(http.get("/v1/me"), 401, "unauthorized")
    # Signing in says no more than a wrong password would.
    refused = assert_problem(_sign_in(api.backend.url, user["email"], PASSWORD), 401,
                             "unauthorized")
    wrong = assert_problem(_sign_in(api.backend.url, user["email"], "not-the-password"), 401,
                           "unauthorized")
    assert refused["detail"] == wrong["detail"]
    # History keeps naming them: their message, and the user record the feed carries.
    for email in (ADMIN, USER_ALL):
        client = api.as_(email)
        history = client.get(f"/v1/conversations/{conversation_id}/messages").json()["items"]
        assert [m["author_user_id"] for m in history if m["id"] == message_id] == [user["id"]]
        events, _ = sync_all(client)
        mine = [e["data"] for e in events if e["type"] == "user.upserted"
                and e["data"]["id"] == user["id"]]
        assert mine[-1]["name"] == user["name"]
        if email == ADMIN:  # (colleagues see names only)
            assert mine[-1]["active"] is False
    shown = api.admin.get(f"/v1/users/{user['id']}").json()
    assert shown["active"] is False
    assert shown["email"] == user["email"]
    # An admin brings them back; old tokens stay revoked, the password works again.
    back = api.admin.patch(f"/v1/users/{user['id']}", json={"active": True})
    assert back.status_code == 200
    assert back.json()["active"] is True
    with api.backend.client(token) as http:
        assert_problem(http.get("/v1/me"), 401, "unauthorized")
    assert api.backend.login(user["email"], PASSWORD)


def test_patch_active_false_deactivates_too(api: Api) -> None:
    user = _new_user(api)
    token = api.backend.login(user["email"], PASSWORD)
    patched = api.admin.patch(f"/v1/users/{user['id']}", json={"active": False})
    assert patched.status_code == 200
    assert patched.json()["active"] is False
    with api.backend.client(token) as http:
        assert_problem(http.get("/v1/me"), 401, "unauthorized")
    assert_problem(_sign_in(api.backend.url, user["email"], PASSWORD), 401, "unauthorized")
    listed = api.admin.get("/v1/users", params={"limit": 500}).json()["items"]
    assert [u["active"] for u in listed if u["id"] == user["id"]] == [False]


def test_admins_cannot_deactivate_themselves_and_users_cannot_deactivate_anyone(
    api: Api,
) -> None:
    me = api.me(ADMIN)
    assert_problem(api.admin.delete(f"/v1/users/{me['id']}"), 409, "cannot_deactivate_self")
    assert_problem(api.admin.patch(f"/v1/users/{me['id']}", json={"active": False}), 409,
                   "cannot_deactivate_self")
    assert api.admin.get("/v1/me").status_code == 200
    victim = _new_user(api)
    for email in (USER_ALL, USER_ASSIGNED):
        assert_problem(api.as_(email).delete(f"/v1/users/{victim['id']}"), 403, "forbidden")
        assert_problem(api.as_(email).patch(f"/v1/users/{victim['id']}", json={"active": False}),
                       403, "forbidden")
    assert_problem(api.admin.delete("/v1/users/usr_missing"), 404, "not_found")
    assert api.admin.get(f"/v1/users/{victim['id']}").json()["active"] is True


def test_deactivated_users_are_not_assignees_or_senders(api: Api) -> None:
    gone = _new_user(api)
    assert api.admin.delete(f"/v1/users/{gone['id']}").status_code == 204
    for email in (ADMIN, USER_ALL):
        client = api.as_(email)
        created = client.post("/v1/contacts", json={
            "name": f"Orphan {uuid.uuid4().hex[:6]}", "phones": [],
            "assigned_user_id": gone["id"]})
        assert_problem(created, 422, "user_deactivated")
        contact = client.post("/v1/contacts", json={
            "name": f"Kept {uuid.uuid4().hex[:6]}", "phones": []}).json()
        patched = client.patch(f"/v1/contacts/{contact['id']}",
                               json={"assigned_user_id": gone["id"]})
        assert_problem(patched, 422, "user_deactivated")
        group = client.post("/v1/groups", json={"name": f"G {uuid.uuid4().hex[:6]}"}).json()
        sent = client.post("/v1/group-messages", json={
            "group_id": group["id"], "sender_user_id": gone["id"], "title": "t", "body": "b"})
        assert_problem(sent, 422, "user_deactivated")
    number = api.admin.post("/v1/numbers", json={
        "e164": f"+1415555{uuid.uuid4().int % 10000:04d}", "assigned_user_id": gone["id"]})
    assert_problem(number, 422, "user_deactivated")
    first = api.admin.get("/v1/numbers").json()["items"][0]
    assert_problem(api.admin.patch(f"/v1/numbers/{first['id']}",
                                   json={"assigned_user_id": gone["id"]}), 422,
                   "user_deactivated")


def test_a_contact_still_assigned_to_a_deactivated_user_can_be_edited(api: Api) -> None:
    owner = _new_user(api)
    contact = api.admin.post("/v1/contacts", json={
        "name": f"Left {uuid.uuid4().hex[:6]}", "phones": [],
        "assigned_user_id": owner["id"]}).json()
    assert api.admin.delete(f"/v1/users/{owner['id']}").status_code == 204
    # The console sends the assignment it has; unchanged, it is no new assignment.
    edited = api.admin.patch(f"/v1/contacts/{contact['id']}",
                             json={"name": "Left, renamed", "assigned_user_id": owner["id"]})
    assert edited.status_code == 200, edited.text
    moved = api.admin.patch(f"/v1/contacts/{contact['id']}", json={"assigned_user_id": None})
    assert moved.status_code == 200
    assert moved.json()["assigned_user_id"] is None


# -- expiry: backends of their own with short lifetimes ------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path_factory.mktemp("accounts") / "backend.db")
        return
    with fresh_database() as url:
        yield url


def _last_used(db_url: str, token: str) -> datetime:
    import hashlib

    engine = create_engine(db_url)
    try:
        with engine.connect() as db:
            value = db.scalar(
                text("SELECT last_used_at FROM access_tokens WHERE token_hash = :h"),
                {"h": hashlib.sha256(token.encode()).hexdigest()},
            )
    finally:
        engine.dispose()
    assert isinstance(value, datetime | str), value
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def test_an_idle_token_expires_and_one_in_use_does_not(database: str) -> None:
    backend = BackendProcess(
        database, args=["--seed", "demo", "--token-idle", "3s"],
        env={"CONSOLE_SSE_HEARTBEAT_S": "0.5"},
    ).start()
    try:
        idle, busy, streaming = (backend.login(USER_ALL, DEMO_PASSWORD) for _ in range(3))
        with backend.client(idle) as idle_http, backend.client(busy) as busy_http, \
                open_stream(backend.url, streaming) as stream:
            assert idle_http.get("/v1/me").status_code == 200
            # Used every half second for well past the idle limit: it slides along.
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                assert busy_http.get("/v1/me").status_code == 200
                time.sleep(0.5)
            assert_problem(idle_http.get("/v1/me"), 401, "unauthorized")
            assert busy_http.get("/v1/me").status_code == 200
            # An open event stream is use too (the console holds one all day).
            assert not stream.done.is_set()
            with backend.client(streaming) as streaming_http:
                assert streaming_http.get("/v1/me").status_code == 200
            time.sleep(3.5)
            assert_problem(busy_http.get("/v1/me"), 401, "unauthorized")
    finally:
        backend.stop()


def test_a_token_ends_at_its_maximum_age_even_in_use_and_so_does_its_stream(
    database: str,
) -> None:
    backend = BackendProcess(
        database, args=["--seed", "demo", "--token-max-age", "4s"],
        env={"CONSOLE_SSE_HEARTBEAT_S": "0.5"},
    ).start()
    try:
        token = backend.login(USER_ALL, DEMO_PASSWORD)
        with backend.client(token) as http, open_stream(backend.url, token) as stream:
            wait_for(lambda: http.get("/v1/me").status_code == 401, timeout=10, interval=0.3)
            stream.wait_ended(timeout=3)
            assert stream.ended_cleanly
    finally:
        backend.stop()


def test_sliding_expiry_does_not_write_on_every_request(api: Api, backend_db: str) -> None:
    user = _new_user(api)
    token = api.backend.login(user["email"], PASSWORD)
    first = _last_used(backend_db, token)
    with api.backend.client(token) as http:
        for _ in range(5):
            assert http.get("/v1/me").status_code == 200
    assert _last_used(backend_db, token) == first  # (written at most once a minute)


def test_bad_lifetime_options_are_one_line_errors(tmp_path: Any) -> None:
    import subprocess
    import sys

    for option, value in (("--token-idle", "soon"), ("--token-idle", "0"),
                          ("--token-max-age", "-5s")):
        result = subprocess.run(
            [sys.executable, "-m", "console.backend", "serve", "--db",
             sqlite_url(tmp_path / "x.db"), "--port", "0", option, value],
            capture_output=True, text=True, timeout=60,
        )
        assert result.returncode != 0
        assert option in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


# -- revocation reaches streams served by another process ----------------------------------------


def test_revocation_ends_a_stream_on_another_process_promptly(database: str) -> None:
    first = BackendProcess(database, args=["--seed", "demo"]).start()
    second = BackendProcess(database).start()
    try:
        token = first.login(USER_ALL, DEMO_PASSWORD)
        with open_stream(second.url, token) as stream:
            stream.wait_until(lambda s: bool(s.items), timeout=10)
            with first.client(token) as http:
                assert http.delete("/v1/auth/token").status_code == 204
            # Heartbeats are 10 s apart here: ending sooner means the revocation woke it.
            stream.wait_ended(timeout=4)
            assert stream.ended_cleanly
    finally:
        second.stop()
        first.stop()


# -- migration 0007 on a database with data ------------------------------------------------------


def test_migration_keeps_tokens_and_users_and_drops_typed_emails(database: str) -> None:
    import sqlalchemy as sa

    from console.backend.db import Database
    from console.backend.migrate import upgrade

    t0 = datetime(2026, 1, 1)  # naive UTC, as stored
    db = Database(database)
    try:
        upgrade(db.engine, "0006")
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO users (id, email, name, role, data_access, password_hash, "
                "created_at, updated_at) VALUES ('usr_old', 'old@x.example', 'Old', 'user', "
                "'all', 'h', :t, :t)"), {"t": t0})
            connection.execute(sa.text(
                "INSERT INTO access_tokens (token_hash, user_id, created_at) "
                "VALUES ('a' || :pad, 'usr_old', :t)"), {"t": t0, "pad": "0" * 63})
            connection.execute(sa.text(
                "INSERT INTO login_attempts (email, client_address, at) "
                "VALUES ('typed.secret@x.example', '10.0.0.1', :t)"), {"t": t0})
        upgrade(db.engine)
        with db.engine.connect() as connection:
            user = connection.execute(sa.text(
                "SELECT deactivated_at FROM users WHERE id = 'usr_old'")).one()
            token = connection.execute(sa.text(
                "SELECT created_at, last_used_at FROM access_tokens")).one()
            attempts = connection.execute(sa.text("SELECT * FROM login_attempts")).all()
        assert user.deactivated_at is None
        assert str(token.last_used_at)[:19] == str(token.created_at)[:19] == str(t0)[:19]
        assert attempts == []
    finally:
        db.dispose()
