"""Email addresses are one plain address or a 422 naming the field (contacts and users)."""

from __future__ import annotations

import uuid

import pytest

from tests.backend.conftest import ADMIN, USER_ALL, USER_ASSIGNED, Api, assert_problem

NOT_ONE_ADDRESS = [
    "ann@example.com\r\nBcc: everyone@example.com",  # a header injected by a line break
    "ann@example.com\nx",
    "ann@example.com, bob@example.com",  # a list: every address was mailed
    "ann@example.com;bob@example.com",
    "Ann Lee <ann@example.com>",  # a display name
    "<ann@example.com>",
    '"ann lee"@example.com',
    "ann@example.com (Ann)",
    "ann",
    "ann@",
    "@example.com",
    "ann@@example.com",
    "ann@localhost",
    "ann@[127.0.0.1]",
    "ann..lee@example.com",
    "ann@exa mple.com",
]


@pytest.mark.parametrize("user", [ADMIN, USER_ALL, USER_ASSIGNED])
@pytest.mark.parametrize("email", NOT_ONE_ADDRESS)
def test_a_contact_email_that_is_not_one_address_is_refused(
    api: Api, email: str, user: str
) -> None:
    client = api.as_(user)
    body = assert_problem(
        client.post("/v1/contacts", json={"name": "Mail Probe", "email": email}), 422,
        "validation_error",
    )
    assert "email" in body["detail"]
    contact = client.post("/v1/contacts", json={"name": "Mail Probe"}).json()
    body = assert_problem(
        client.patch(f"/v1/contacts/{contact['id']}", json={"email": email}), 422,
        "validation_error",
    )
    assert "email" in body["detail"]
    assert client.get(f"/v1/contacts/{contact['id']}").json()["email"] is None


@pytest.mark.parametrize("email", NOT_ONE_ADDRESS)
def test_a_user_email_that_is_not_one_address_is_refused(api: Api, email: str) -> None:
    body = assert_problem(
        api.admin.post("/v1/users", json={"email": email, "password": "long-enough"}), 422,
        "validation_error",
    )
    assert "email" in body["detail"]


def test_plain_addresses_are_kept(api: Api) -> None:
    for email in ("ann.lee+homes@sub.example.co.uk", "o'brien@example.io", "  x_y@ex-ample.com "):
        created = api.admin.post("/v1/contacts", json={"name": "Mail Kept", "email": email})
        assert created.status_code == 201, created.text
        assert created.json()["email"] == email.strip()
        patched = api.admin.patch(f"/v1/contacts/{created.json()['id']}", json={"email": None})
        assert patched.status_code == 200
        assert patched.json()["email"] is None
    user = f"New.Agent.{uuid.uuid4().hex[:6]}@Example.com"
    created = api.admin.post("/v1/users", json={"email": user, "password": "long-enough"})
    assert created.status_code == 201, created.text
    assert created.json()["email"] == user.lower()
