"""Audience groups: CRUD, members (idempotent), a person's groups, visibility, feed events."""

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


def _name(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def new_group(client: httpx.Client, prefix: str = "Group", **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/groups", json={"name": _name(prefix), **extra})
    assert response.status_code == 201, response.text
    group: dict[str, Any] = response.json()
    return group


def test_create_read_rename_and_delete_a_group(api: Api) -> None:
    name = _name("Spring buyers")
    created = api.admin.post(
        "/v1/groups", json={"name": f"  {name} ", "description": "Looking in April"}
    )
    assert created.status_code == 201, created.text
    group = created.json()
    assert (group["name"], group["description"], group["member_count"]) == (
        name, "Looking in April", 0)
    assert api.admin.get(f"/v1/groups/{group['id']}").json() == group

    renamed = api.admin.patch(f"/v1/groups/{group['id']}", json={"name": name + " 2025"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == name + " 2025"
    assert renamed.json()["description"] == "Looking in April"

    listed = page_all(api.admin, "/v1/groups", limit=2)
    assert [g["id"] for g in listed].count(group["id"]) == 1
    keys = [g["name"].casefold() for g in listed]
    assert keys == sorted(keys)

    assert api.admin.delete(f"/v1/groups/{group['id']}").status_code == 204
    assert_problem(api.admin.get(f"/v1/groups/{group['id']}"), 404, "not_found")
    assert group["id"] not in {g["id"] for g in page_all(api.admin, "/v1/groups", limit=100)}
    assert_problem(api.admin.delete(f"/v1/groups/{group['id']}"), 404, "not_found")


def test_group_names_are_unique_among_live_groups_whatever_the_case(api: Api) -> None:
    group = new_group(api.admin, "Investors")
    clash = api.admin.post("/v1/groups", json={"name": group["name"].upper()})
    assert_problem(clash, 409, "conflict")
    other = new_group(api.admin, "Renters")
    assert_problem(
        api.admin.patch(f"/v1/groups/{other['id']}", json={"name": group["name"]}), 409,
        "conflict",
    )
    api.admin.delete(f"/v1/groups/{group['id']}")
    again = api.admin.post("/v1/groups", json={"name": group["name"]})
    assert again.status_code == 201  # a deleted group's name is free again


def test_bad_group_input_is_a_validation_problem(api: Api) -> None:
    assert_problem(api.admin.post("/v1/groups", json={"name": "   "}), 422, "validation_error")
    assert_problem(api.admin.post("/v1/groups", json={"name": "x" * 101}), 422,
                   "validation_error")
    assert_problem(api.admin.post("/v1/groups", json={}), 422, "validation_error")
    assert_problem(api.admin.patch("/v1/groups/grp_nope", json={"name": "A"}), 404, "not_found")


def test_creating_with_an_idempotency_key_creates_once(api: Api) -> None:
    key = str(uuid.uuid4())
    body = {"name": _name("Sellers")}
    first = api.admin.post("/v1/groups", json=body, headers={"Idempotency-Key": key})
    second = api.admin.post("/v1/groups", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == 201
    assert second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    other = api.admin.post("/v1/groups", json={"name": "Else"}, headers={"Idempotency-Key": key})
    assert_problem(other, 409, "idempotency_conflict")


def test_members_are_added_and_removed_idempotently(api: Api) -> None:
    group = new_group(api.admin, "Open house")
    maria = contact_named(api.admin, "Maria Gonzalez")
    tom = contact_named(api.admin, "Tom Nguyen")
    path = f"/v1/groups/{group['id']}/members"

    first = api.admin.put(f"{path}/{maria['id']}")
    assert first.status_code == 201, first.text
    assert first.json()["contact_id"] == maria["id"]
    assert first.json()["contact_name"] == "Maria Gonzalez"
    again = api.admin.put(f"{path}/{maria['id']}")
    assert again.status_code == 200
    assert again.json()["added_at"] == first.json()["added_at"]
    assert api.admin.put(f"{path}/{tom['id']}").status_code == 201

    members = page_all(api.admin, path, limit=1)
    assert [m["contact_name"] for m in members] == ["Maria Gonzalez", "Tom Nguyen"]
    assert api.admin.get(f"/v1/groups/{group['id']}").json()["member_count"] == 2

    assert api.admin.delete(f"{path}/{maria['id']}").status_code == 204
    assert api.admin.delete(f"{path}/{maria['id']}").status_code == 204
    assert [m["contact_id"] for m in page_all(api.admin, path, limit=10)] == [tom["id"]]
    assert api.admin.get(f"/v1/groups/{group['id']}").json()["member_count"] == 1

    assert_problem(api.admin.put(f"{path}/con_nope"), 404, "not_found")
    assert_problem(api.admin.put(f"/v1/groups/grp_nope/members/{tom['id']}"), 404, "not_found")


def test_a_person_can_be_in_many_groups(api: Api) -> None:
    james = contact_named(api.admin, "James Whitaker")
    groups = [new_group(api.admin, "Many") for _ in range(3)]
    for group in groups:
        api.admin.put(f"/v1/groups/{group['id']}/members/{james['id']}")
    mine = api.admin.get(f"/v1/contacts/{james['id']}/groups").json()["items"]
    assert {g["id"] for g in groups} <= {g["id"] for g in mine}
    api.admin.delete(f"/v1/groups/{groups[0]['id']}")
    mine = api.admin.get(f"/v1/contacts/{james['id']}/groups").json()["items"]
    assert groups[0]["id"] not in {g["id"] for g in mine}
    assert_problem(api.admin.get("/v1/contacts/con_nope/groups"), 404, "not_found")


def test_assigned_only_users_see_every_group_but_only_their_members(api: Api) -> None:
    diego = api.as_(USER_ASSIGNED)
    group = new_group(api.admin, "Mixed")
    hannah = contact_named(api.admin, "Hannah Kim")  # assigned to Diego
    maria = contact_named(api.admin, "Maria Gonzalez")  # not
    for contact in (hannah, maria):
        api.admin.put(f"/v1/groups/{group['id']}/members/{contact['id']}")

    assert diego.get(f"/v1/groups/{group['id']}").json()["member_count"] == 2
    members = diego.get(f"/v1/groups/{group['id']}/members").json()["items"]
    assert [m["contact_id"] for m in members] == [hannah["id"]]
    path = f"/v1/groups/{group['id']}/members/{maria['id']}"
    assert_problem(diego.put(path), 403, "contact_not_assigned")
    assert_problem(diego.delete(path), 403, "contact_not_assigned")
    assert_problem(diego.get(f"/v1/contacts/{maria['id']}/groups"), 404, "not_found")
    assert diego.delete(f"/v1/groups/{group['id']}/members/{hannah['id']}").status_code == 204
    assert_problem(diego.delete(f"/v1/groups/{group['id']}"), 403, "forbidden")
    # Users with access to all data manage any membership.
    priya = api.as_(USER_ALL)
    assert priya.put(f"/v1/groups/{group['id']}/members/{hannah['id']}").status_code == 201


def test_group_changes_reach_the_feed_and_only_those_who_may_see_the_person(api: Api) -> None:
    diego = api.as_(USER_ASSIGNED)
    _, admin_cursor = sync_all(api.admin)
    _, diego_cursor = sync_all(diego)
    group = new_group(api.admin, "Feed")
    hannah = contact_named(api.admin, "Hannah Kim")
    maria = contact_named(api.admin, "Maria Gonzalez")
    for contact in (hannah, maria):
        api.admin.put(f"/v1/groups/{group['id']}/members/{contact['id']}")
    api.admin.delete(f"/v1/groups/{group['id']}/members/{maria['id']}")
    api.admin.delete(f"/v1/groups/{group['id']}")

    def mine(events: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
        return [(e["type"], e["data"].get("contact_id")) for e in events
                if e["type"].startswith("group.") and group["id"] in (
                    e["data"].get("id"), e["data"].get("group_id"))]

    admin_events, _ = sync_all(api.admin, admin_cursor)
    assert mine(admin_events) == [
        ("group.upserted", None),
        ("group.member_added", hannah["id"]), ("group.upserted", None),
        ("group.member_added", maria["id"]), ("group.upserted", None),
        ("group.member_removed", maria["id"]), ("group.upserted", None),
        ("group.deleted", None),
    ]
    counts = [e["data"]["member_count"] for e in admin_events
              if e["type"] == "group.upserted" and e["data"]["id"] == group["id"]]
    assert counts == [0, 1, 2, 1]
    diego_events, _ = sync_all(diego, diego_cursor)
    assert mine(diego_events) == [
        ("group.upserted", None),
        ("group.member_added", hannah["id"]), ("group.upserted", None),
        ("group.upserted", None),
        ("group.upserted", None),
        ("group.deleted", None),
    ]


def _group_events(client: httpx.Client, cursor: str, group_id: str) -> list[str]:
    events, _ = sync_all(client, cursor)
    return [e["type"] for e in events if group_id in (
        e["data"].get("id"), e["data"].get("group_id"))]


def test_assigned_only_users_rename_and_delete_only_their_own_groups_of_their_people(
    api: Api,
) -> None:
    diego = api.as_(USER_ASSIGNED)
    hannah = contact_named(api.admin, "Hannah Kim")  # assigned to Diego
    maria = contact_named(api.admin, "Maria Gonzalez")  # to no one

    # Someone else's group, even one holding only Diego's people: refused, nothing changes.
    theirs = new_group(api.admin, "Admins")
    api.admin.put(f"/v1/groups/{theirs['id']}/members/{hannah['id']}")
    _, diego_cursor = sync_all(diego)
    _, admin_cursor = sync_all(api.admin)
    assert_problem(diego.patch(f"/v1/groups/{theirs['id']}", json={"name": _name("Mine now")}),
                   403, "forbidden")
    assert_problem(diego.patch(f"/v1/groups/{theirs['id']}", json={"description": "x"}),
                   403, "forbidden")
    assert_problem(diego.delete(f"/v1/groups/{theirs['id']}"), 403, "forbidden")
    assert api.admin.get(f"/v1/groups/{theirs['id']}").json()["name"] == theirs["name"]
    assert _group_events(diego, diego_cursor, theirs["id"]) == []
    assert _group_events(api.admin, admin_cursor, theirs["id"]) == []

    # His own group: his while it holds only his people.
    mine = new_group(diego, "Diegos")
    assert diego.put(f"/v1/groups/{mine['id']}/members/{hannah['id']}").status_code == 201
    renamed = diego.patch(f"/v1/groups/{mine['id']}", json={"name": _name("Diegos 2")})
    assert renamed.status_code == 200, renamed.text
    api.admin.put(f"/v1/groups/{mine['id']}/members/{maria['id']}")
    _, diego_cursor = sync_all(diego)
    assert_problem(diego.patch(f"/v1/groups/{mine['id']}", json={"name": _name("Diegos 3")}),
                   403, "forbidden")
    assert_problem(diego.delete(f"/v1/groups/{mine['id']}"), 403, "forbidden")
    assert _group_events(diego, diego_cursor, mine["id"]) == []
    api.admin.delete(f"/v1/groups/{mine['id']}/members/{maria['id']}")
    assert diego.delete(f"/v1/groups/{mine['id']}").status_code == 204
    assert_problem(diego.get(f"/v1/groups/{mine['id']}"), 404, "not_found")
    assert_problem(diego.patch(f"/v1/groups/{mine['id']}", json={"name": "Gone"}), 404,
                   "not_found")


def test_admins_and_all_data_users_rename_and_delete_any_group(api: Api) -> None:
    diego, priya = api.as_(USER_ASSIGNED), api.as_(USER_ALL)
    maria = contact_named(api.admin, "Maria Gonzalez")
    for owner, manager in ((diego, priya), (priya, api.admin), (api.admin, priya),
                           (diego, api.admin)):
        group = new_group(owner, "Managed")
        api.admin.put(f"/v1/groups/{group['id']}/members/{maria['id']}")
        _, cursor = sync_all(diego)
        name = _name("Managed renamed")
        renamed = manager.patch(f"/v1/groups/{group['id']}", json={"name": name})
        assert renamed.status_code == 200, renamed.text
        assert manager.delete(f"/v1/groups/{group['id']}").status_code == 204
        # Everyone's feed hears of both (groups are not personal data).
        assert _group_events(diego, cursor, group["id"]) == ["group.upserted", "group.deleted"]
