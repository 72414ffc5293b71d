"""Contacts: create, search, change, soft-delete, and who sees which."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.backend.conftest import (
    USER_ALL,
    USER_ASSIGNED,
    Api,
    assert_problem,
    contact_named,
    page_all,
    sync_all,
)


def _unique_name(prefix: str) -> str:
    """No digits: a search for the name also matches phone numbers containing its digits."""
    return f"{prefix} {uuid.uuid4().hex[:8].translate(str.maketrans('0123456789', 'ghijklmnop'))}"


def _create(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {"name": _unique_name("Test"), "phones": [], **fields}
    response = client.post("/v1/contacts", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def test_create_normalizes_numbers_to_e164(api: Api) -> None:
    contact = _create(
        api.admin,
        name="  Quinn Ramirez ",
        phones=[
            {"number": "(206) 555-0161", "label": "primary"},
            {"number": "206.555.0162", "label": "secondary"},
        ],
        email="quinn@example.com",
    )
    assert contact["name"] == "Quinn Ramirez"
    assert contact["phones"] == [
        {"number": "+12065550161", "label": "primary"},
        {"number": "+12065550162", "label": "secondary"},
    ]
    assert contact["dnd"] is False and contact["deleted"] is False
    assert api.admin.get(f"/v1/contacts/{contact['id']}").json() == contact


def test_invalid_phone_is_422_and_creates_nothing(api: Api) -> None:
    name = _unique_name("Broken")
    response = api.admin.post(
        "/v1/contacts",
        json={"name": name, "phones": [{"number": "+12065550163"}, {"number": "12345"}]},
    )
    body = assert_problem(response, 422, "invalid_phone")
    assert body["detail"].startswith("phones[1].number")
    assert api.admin.get("/v1/contacts", params={"q": name}).json()["items"] == []
    twice = api.admin.post(
        "/v1/contacts",
        json={"name": name, "phones": [{"number": "2065550164"}, {"number": "+12065550164"}]},
    )
    assert_problem(twice, 422, "validation_error")


def test_search_by_name_fragment_any_case(api: Api) -> None:
    def names(q: str) -> set[str]:
        return {c["name"] for c in api.admin.get("/v1/contacts", params={"q": q}).json()["items"]}

    assert "Maria Gonzalez" in names("gonz")
    assert names("CONNOR") == {"Liam O'Connor"}


def test_search_by_number_fragment_matches_digits_inside_e164(api: Api) -> None:
    found = api.admin.get("/v1/contacts", params={"q": "(646) 555-01"}).json()["items"]
    assert "James Whitaker" in {c["name"] for c in found}  # via his secondary number
    for contact in found:
        assert any("164655501" in p["number"] for p in contact["phones"])
    uk = api.admin.get("/v1/contacts", params={"q": "7946 0123"}).json()["items"]
    assert [c["name"] for c in uk] == ["Oliver Bennett"]


def test_search_treats_like_wildcards_literally(api: Api) -> None:
    assert api.admin.get("/v1/contacts", params={"q": "%"}).json()["items"] == []
    assert api.admin.get("/v1/contacts", params={"q": "_"}).json()["items"] == []


def test_patch_changes_phones_dnd_and_assignment(api: Api) -> None:
    contact = _create(api.admin, phones=[{"number": "+13125550165"}])
    diego = api.me(USER_ASSIGNED)["id"]
    patched = api.admin.patch(
        f"/v1/contacts/{contact['id']}",
        json={"phones": [{"number": "312-555-0166", "label": "primary"}], "dnd": True,
              "assigned_user_id": diego},
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["phones"] == [{"number": "+13125550166", "label": "primary"}]
    assert body["dnd"] is True and body["assigned_user_id"] == diego
    assert body["updated_at"] > contact["updated_at"]
    # Fields left out stay as they were; an explicit null clears.
    unassigned = api.admin.patch(f"/v1/contacts/{contact['id']}", json={"assigned_user_id": None})
    assert unassigned.json()["assigned_user_id"] is None
    assert unassigned.json()["dnd"] is True
    assert_problem(
        api.admin.patch(f"/v1/contacts/{contact['id']}", json={"phones": [{"number": "abc"}]}),
        422,
        "invalid_phone",
    )


def test_delete_is_soft_and_reported_in_the_feed(api: Api) -> None:
    contact = _create(api.admin, phones=[{"number": "+13125550167"}])
    _, cursor = sync_all(api.admin)
    assert api.admin.delete(f"/v1/contacts/{contact['id']}").status_code == 204
    assert_problem(api.admin.get(f"/v1/contacts/{contact['id']}"), 404, "not_found")
    assert_problem(api.admin.delete(f"/v1/contacts/{contact['id']}"), 404, "not_found")
    assert api.admin.get("/v1/contacts", params={"q": contact["name"]}).json()["items"] == []
    events, _ = sync_all(api.admin, cursor)
    deleted = [e for e in events if e["type"] == "contact.deleted"]
    assert [e["data"]["id"] for e in deleted] == [contact["id"]]
    assert deleted[0]["data"]["deleted"] is True


def test_assigned_only_users_see_and_make_only_their_contacts(api: Api) -> None:
    diego = api.as_(USER_ASSIGNED)
    diego_id = api.me(USER_ASSIGNED)["id"]
    theirs = page_all(diego, "/v1/contacts", limit=500)
    assert theirs and all(c["assigned_user_id"] == diego_id for c in theirs)
    assert "Hannah Kim" in {c["name"] for c in theirs}
    maria = contact_named(api.admin, "Maria Gonzalez")
    assert_problem(diego.get(f"/v1/contacts/{maria['id']}"), 404, "not_found")
    assert_problem(diego.patch(f"/v1/contacts/{maria['id']}", json={"dnd": True}), 404, "not_found")
    # What they create is theirs; they cannot hand it to someone else.
    mine = _create(diego, phones=[{"number": "+13125550168"}])
    assert mine["assigned_user_id"] == diego_id
    other = api.me(USER_ALL)["id"]
    assert_problem(
        diego.post("/v1/contacts", json={"name": "X", "assigned_user_id": other}), 403, "forbidden"
    )
    # A user with access to all sees everyone.
    everyone = page_all(api.as_(USER_ALL), "/v1/contacts", limit=500)
    assert len(everyone) > len(theirs)


def test_list_pages_cover_everything_once_in_name_order(api: Api) -> None:
    whole = api.admin.get("/v1/contacts", params={"limit": 500}).json()
    assert whole["next_cursor"] is None
    paged = page_all(api.admin, "/v1/contacts", limit=7)
    assert [c["id"] for c in paged] == [c["id"] for c in whole["items"]]
    names = [c["name"].lower() for c in paged]
    assert names == sorted(names)
    assert len(paged) >= 40


def test_limits_and_cursors_are_validated(api: Api) -> None:
    for params in ({"limit": 0}, {"limit": 501}, {"limit": "ten"}, {"cursor": "garbage!"}):
        assert_problem(api.admin.get("/v1/contacts", params=params), 422, "validation_error")
    total = len(api.admin.get("/v1/contacts", params={"limit": 500}).json()["items"])
    default_page = api.admin.get("/v1/contacts").json()
    assert len(default_page["items"]) == min(total, 50)
    assert (default_page["next_cursor"] is not None) == (total > 50)
