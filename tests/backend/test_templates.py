"""Message templates against a real backend (personal: the owner's alone; shared: everyone's,
admins manage them), and merge fields in group messages (each recipient's copy filled)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.backend.conftest import (
    ADMIN,
    OTHER_ADMIN,
    USER_ALL,
    USER_ASSIGNED,
    Api,
    assert_problem,
    numbers_by_label,
    page_all,
    sync_all,
    wait_for,
)
from tests.backend.group_chat_support import PhonePool, new_contact

phone = PhonePool("478", "479")  # numbers no other module uses: the backend is shared


def _name(prefix: str = "Tpl") -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def _create(
    client: httpx.Client,
    name: str,
    body: str = "Hi {first_name}!",
    shared: bool = False,
    key: str | None = None,
) -> httpx.Response:
    return client.post(
        "/v1/templates",
        json={"name": name, "body": body, "shared": shared},
        headers={"Idempotency-Key": key or str(uuid.uuid4())},
    )


def _made(
    client: httpx.Client, name: str, body: str = "Hi {first_name}!", shared: bool = False
) -> dict[str, Any]:
    response = _create(client, name, body, shared)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def _listed(client: httpx.Client) -> list[dict[str, Any]]:
    response = client.get("/v1/templates")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _template_events(client: httpx.Client, since: str, template_id: str) -> list[tuple[str, Any]]:
    events, _ = sync_all(client, since)
    return [
        (e["type"], e["data"])
        for e in events
        if e["type"].startswith("template.") and e["data"]["id"] == template_id
    ]


def _cursor(client: httpx.Client) -> str:
    return sync_all(client)[1]


def test_a_personal_template_is_made_listed_edited_and_deleted_by_its_owner(api: Api) -> None:
    me = api.me(USER_ALL)
    agent = api.as_(USER_ALL)
    since = _cursor(agent)
    name = _name("Welcome")
    made = _made(agent, name, "  Hi {first_name}, this is {agent_name}.  ")
    assert made["name"] == name
    assert made["body"] == "Hi {first_name}, this is {agent_name}."
    assert (made["shared"], made["owner_user_id"], made["version"]) == (False, me["id"], 1)
    assert made["id"].startswith("tpl_")
    assert made in _listed(agent)
    assert agent.get(f"/v1/templates/{made['id']}").json() == made

    edited = agent.patch(f"/v1/templates/{made['id']}", json={"body": "Hello {first_name}"})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["body"], edited.json()["version"]) == ("Hello {first_name}", 2)
    # The same text again changes nothing: no new version.
    again = agent.patch(f"/v1/templates/{made['id']}", json={"body": "Hello {first_name}"})
    assert again.json()["version"] == 2

    assert agent.delete(f"/v1/templates/{made['id']}").status_code == 204
    assert_problem(agent.get(f"/v1/templates/{made['id']}"), 404, "not_found")
    assert_problem(agent.patch(f"/v1/templates/{made['id']}", json={"name": "X"}), 404, "not_found")
    assert_problem(agent.delete(f"/v1/templates/{made['id']}"), 404, "not_found")
    assert all(t["id"] != made["id"] for t in _listed(agent))
    told = _template_events(agent, since, made["id"])
    assert [(kind, data.get("version")) for kind, data in told] == [
        ("template.upserted", 1),
        ("template.upserted", 2),
        ("template.deleted", None),
    ]
    assert told[-1][1] == {"id": made["id"]}
    # Its name is free again once deleted.
    assert _create(agent, name).status_code == 201


def test_a_personal_template_is_invisible_to_everyone_else(api: Api) -> None:
    owner, other, admin = api.as_(USER_ALL), api.as_(USER_ASSIGNED), api.admin
    since_other, since_admin = _cursor(other), _cursor(admin)
    made = _made(owner, _name("Mine"))
    for client in (other, admin):  # an admin too: personal is personal
        assert_problem(client.get(f"/v1/templates/{made['id']}"), 404, "not_found")
        assert_problem(
            client.patch(f"/v1/templates/{made['id']}", json={"body": "x"}), 404, "not_found"
        )
        assert_problem(client.delete(f"/v1/templates/{made['id']}"), 404, "not_found")
        assert all(t["id"] != made["id"] for t in _listed(client))
    assert owner.patch(f"/v1/templates/{made['id']}", json={"name": _name()}).is_success
    assert _template_events(other, since_other, made["id"]) == []
    assert _template_events(admin, since_admin, made["id"]) == []
    # Another user may use the same name for their own.
    assert _create(other, made["name"]).status_code == 201


def test_a_shared_template_reaches_everyone_and_only_admins_manage_it(api: Api) -> None:
    admin, agent, assigned = api.admin, api.as_(USER_ALL), api.as_(USER_ASSIGNED)
    cursors = {c: _cursor(c) for c in (agent, assigned, api.as_(OTHER_ADMIN))}
    made = _made(admin, _name("Shared"), "Thanks, {first_name}! {business_number}", shared=True)
    assert made["shared"] is True
    for client in (agent, assigned, api.as_(OTHER_ADMIN)):
        assert client.get(f"/v1/templates/{made['id']}").json() == made
        assert made in _listed(client)
        assert _template_events(client, cursors[client], made["id"]) == [
            ("template.upserted", made)
        ]
    # Agents may not change, delete, make or share shared templates.
    assert_problem(
        agent.patch(f"/v1/templates/{made['id']}", json={"body": "No"}), 403, "forbidden"
    )
    assert_problem(agent.delete(f"/v1/templates/{made['id']}"), 403, "forbidden")
    assert_problem(_create(agent, _name(), shared=True), 403, "forbidden")
    own = _made(agent, _name("Own"))
    assert_problem(
        agent.patch(f"/v1/templates/{own['id']}", json={"shared": True}), 403, "forbidden"
    )
    # Another admin may edit it.
    edited = api.as_(OTHER_ADMIN).patch(f"/v1/templates/{made['id']}", json={"body": "Thanks!"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2
    # Deleted: everyone hears it.
    assert admin.delete(f"/v1/templates/{made['id']}").status_code == 204
    for client in (agent, assigned):
        assert [kind for kind, _ in _template_events(client, cursors[client], made["id"])] == [
            "template.upserted",
            "template.upserted",
            "template.deleted",
        ]
        assert_problem(client.get(f"/v1/templates/{made['id']}"), 404, "not_found")


def test_turning_a_shared_template_personal_removes_it_from_everyone_else(api: Api) -> None:
    admin, agent = api.admin, api.as_(USER_ALL)
    made = _made(admin, _name("Turn"), shared=True)
    since_agent, since_admin = _cursor(agent), _cursor(admin)
    turned = admin.patch(f"/v1/templates/{made['id']}", json={"shared": False})
    assert turned.status_code == 200, turned.text
    assert (turned.json()["shared"], turned.json()["version"]) == (False, 2)
    assert _template_events(agent, since_agent, made["id"]) == [
        ("template.deleted", {"id": made["id"]})
    ]
    assert _template_events(admin, since_admin, made["id"]) == [
        ("template.deleted", {"id": made["id"]}),
        ("template.upserted", turned.json()),
    ]
    assert_problem(agent.get(f"/v1/templates/{made['id']}"), 404, "not_found")
    assert admin.get(f"/v1/templates/{made['id']}").json() == turned.json()
    # And shared again: everyone's once more.
    shared = admin.patch(f"/v1/templates/{made['id']}", json={"shared": True}).json()
    assert shared in _listed(agent)


def test_names_are_unique_per_scope_case_aside(api: Api) -> None:
    admin, agent = api.admin, api.as_(USER_ALL)
    name = _name("Same")
    _made(agent, name)
    problem = assert_problem(_create(agent, name.upper()), 409, "template_name_taken")
    assert name in problem["detail"]
    # A shared one of the same name is another scope; a second shared one is not.
    _made(admin, name.lower(), shared=True)
    assert_problem(_create(admin, name, shared=True), 409, "template_name_taken")
    other = _made(agent, _name("Other"))
    assert_problem(
        agent.patch(f"/v1/templates/{other['id']}", json={"name": f" {name} "}),
        409,
        "template_name_taken",
    )
    # Listed by name, shared and personal together, case aside.
    names = [t["name"].casefold() for t in _listed(agent)]
    assert names == sorted(names)


def test_unknown_merge_fields_and_bad_input_are_refused(api: Api) -> None:
    agent = api.as_(USER_ALL)
    problem = assert_problem(
        _create(agent, _name(), "Hi {frist_name} and {code}"), 422, "unknown_merge_field"
    )
    assert "{frist_name}" in problem["detail"]
    assert "{code}" in problem["detail"]
    assert "{first_name}" in problem["detail"]  # the known ones are listed
    assert_problem(_create(agent, "Hello {nick}"), 422, "unknown_merge_field")
    assert _create(agent, _name(), "Braces {{like this}} are fine").status_code == 201
    made = _made(agent, _name())
    assert_problem(
        agent.patch(f"/v1/templates/{made['id']}", json={"body": "{oops}"}),
        422,
        "unknown_merge_field",
    )
    for bad in (
        {"name": "", "body": "x"},
        {"name": "x" * 101, "body": "x"},
        {"name": "x", "body": "x" * 1601},
        {"name": "x", "body": "x", "shared": "true"},
        {"name": "x", "body": "x", "shared": 1},
    ):
        assert_problem(agent.post("/v1/templates", json=bad), 422, "validation_error")
    assert_problem(
        agent.post("/v1/templates", json={"name": "   ", "body": "x"}), 422, "validation_error"
    )
    assert_problem(
        agent.patch(f"/v1/templates/{made['id']}", json={"shared": "false"}),
        422,
        "validation_error",
    )


def test_a_retried_create_replays(api: Api) -> None:
    agent = api.as_(USER_ALL)
    key, name = str(uuid.uuid4()), _name("Retry")
    first = _create(agent, name, key=key)
    again = _create(agent, name, key=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert [t["id"] for t in _listed(agent) if t["name"] == name] == [first.json()["id"]]
    assert_problem(_create(agent, name, "Other words", key=key), 409, "idempotency_conflict")


# --- merge fields in group messages ---


def _group(api: Api, *names: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    group = api.admin.post("/v1/groups", json={"name": _name("Merge")}).json()
    people = [new_contact(api.admin, phone(), name=name) for name in names]
    for person in people:
        assert api.admin.put(f"/v1/groups/{group['id']}/members/{person['id']}").is_success
    return group, people


def _send(api: Api, group_id: str, body: str, **extra: Any) -> httpx.Response:
    me = api.me(ADMIN)
    return api.admin.post(
        "/v1/group-messages",
        json={
            "group_id": group_id,
            "sender_user_id": me["id"],
            "title": "Hello",
            "body": body,
            **extra,
        },
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )


def _copies(api: Api, group_message_id: str) -> dict[str, str]:
    """Each recipient's copy's text, by contact id."""
    recipients = page_all(api.admin, f"/v1/group-messages/{group_message_id}/recipients", limit=100)
    out: dict[str, str] = {}
    for recipient in recipients:
        thread = page_all(
            api.admin, f"/v1/conversations/{recipient['conversation_id']}/messages", limit=100
        )
        newest = max(thread, key=lambda m: (m["created_at"], m["id"]))
        out[recipient["contact_id"]] = newest["body"]
    return out


def test_merge_fields_fill_each_recipients_copy(api: Api) -> None:
    agent_name = api.me(ADMIN)["name"]
    first, last = f"Ana{uuid.uuid4().hex[:4]}", "de la Cruz"
    group, (two, one) = _group(api, f"{first} {last}", "Cher")
    since = _cursor(api.admin)
    body = "Hi {first_name} {last_name}, {agent_name} here. {{ref}}"
    sent = _send(api, group["id"], body, merge_fields=True)
    assert sent.status_code == 201, sent.text
    assert sent.json()["body"] == body  # the group message keeps the template
    expected = {
        two["id"]: f"Hi {first} {last}, {agent_name} here. {{ref}}",
        one["id"]: f"Hi Cher, {agent_name} here. {{ref}}",  # no last name: tidied
    }
    assert _copies(api, sent.json()["id"]) == expected
    # The feed carries each copy's own text, and each new thread's preview is its own.
    events, _ = sync_all(api.admin, since)
    copies = {e["data"]["body"] for e in events if e["type"] == "message.upserted"}
    assert copies == set(expected.values())
    previews = {
        e["data"]["contact_id"]: e["data"]["last_message_preview"]
        for e in events
        if e["type"] == "conversation.upserted" and e["data"]["contact_id"] in expected
    }
    assert previews == {k: v[: len(previews[k])] for k, v in expected.items()}
    # A second merged send to the same (now existing) threads is filled too.
    again = _send(api, group["id"], "Bye {first_name}", merge_fields=True)
    assert _copies(api, again.json()["id"]) == {two["id"]: f"Bye {first}", one["id"]: "Bye Cher"}
    threads = {
        c["contact_id"]: c
        for c in page_all(api.admin, "/v1/conversations", limit=200, kind="in_app")
        if c["contact_id"] in expected
    }
    assert {k: c["last_message_preview"] for k, c in threads.items()} == {
        two["id"]: f"Bye {first}",
        one["id"]: "Bye Cher",
    }


def test_without_merge_fields_the_body_goes_verbatim(api: Api) -> None:
    group, _ = _group(api, "Dana Scully", "Fox")
    sent = _send(api, group["id"], "Hi {first_name}, {nope}")
    assert sent.status_code == 201, sent.text
    assert set(_copies(api, sent.json()["id"]).values()) == {"Hi {first_name}, {nope}"}


def test_an_unknown_merge_field_refuses_the_group_message(api: Api) -> None:
    group, _ = _group(api, "Gail Force")
    problem = assert_problem(
        _send(api, group["id"], "Hi {firstname}", merge_fields=True), 422, "unknown_merge_field"
    )
    assert "{firstname}" in problem["detail"]
    at = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert_problem(
        _send(api, group["id"], "Hi {firstname}", merge_fields=True, send_at=at),
        422,
        "unknown_merge_field",
    )
    assert_problem(_send(api, group["id"], "Hi", merge_fields="yes"), 422, "validation_error")


def test_a_scheduled_group_message_with_merge_fields_goes_filled(api: Api) -> None:
    group, (two, one) = _group(api, "Hank Hill", "Bobby")
    at = (datetime.now(UTC) + timedelta(seconds=4)).isoformat()
    made = _send(
        api, group["id"], "Morning {first_name} {last_name}!", merge_fields=True, send_at=at
    )
    assert made.status_code == 201, made.text
    kept = made.json()
    assert (kept["kind"], kept["merge_fields"]) == ("group_message", True)
    # An edit keeps the rule: no unknown field.
    assert_problem(
        api.admin.patch(f"/v1/scheduled/{kept['id']}", json={"body": "{bad}"}),
        422,
        "unknown_merge_field",
    )

    def settled() -> dict[str, Any] | None:
        row: dict[str, Any] = api.admin.get(f"/v1/scheduled/{kept['id']}").json()
        return row if row["status"] != "scheduled" else None

    done = wait_for(settled, timeout=25)
    assert done["status"] == "sent", done
    sent = api.admin.get(f"/v1/group-messages/{done['result_id']}").json()
    assert sent["body"] == "Morning {first_name} {last_name}!"
    assert _copies(api, done["result_id"]) == {
        two["id"]: "Morning Hank Hill!",
        one["id"]: "Morning Bobby!",
    }


def test_an_edit_that_adds_merge_fields_turns_them_on(api: Api) -> None:
    """Scheduled plain, then edited to use fields: the edit says so and the copies are filled
    (a text edited to name a field that does not exist is refused, not sent as written)."""
    group, (two, one) = _group(api, "Dale Gribble", "Kahn")
    at = (datetime.now(UTC) + timedelta(seconds=4)).isoformat()
    made = _send(api, group["id"], "Sale tomorrow", send_at=at)
    assert made.status_code == 201, made.text
    kept = made.json()
    assert kept["merge_fields"] is False
    assert_problem(api.admin.patch(f"/v1/scheduled/{kept['id']}", json={
        "body": "Hi {firstname}", "merge_fields": True}), 422, "unknown_merge_field")
    edited = api.admin.patch(f"/v1/scheduled/{kept['id']}", json={
        "body": "Hi {first_name}, sale tomorrow", "merge_fields": True})
    assert edited.status_code == 200, edited.text
    assert edited.json()["merge_fields"] is True

    def settled() -> dict[str, Any] | None:
        row: dict[str, Any] = api.admin.get(f"/v1/scheduled/{kept['id']}").json()
        return row if row["status"] != "scheduled" else None

    done = wait_for(settled, timeout=25)
    assert done["status"] == "sent", done
    assert _copies(api, done["result_id"]) == {
        two["id"]: "Hi Dale, sale tomorrow",
        one["id"]: "Hi Kahn, sale tomorrow",
    }


def test_merge_fields_belong_to_group_messages_only(api: Api) -> None:
    number = phone()  # a person of this test's own (a shared one may have gone DND)
    person = new_contact(api.admin, number)
    main = numbers_by_label(api.admin)["Main office"]["id"]
    thread = api.admin.post("/v1/conversations", json={
        "kind": "direct", "contact_id": person["id"], "phone": number, "number_id": main,
    }).json()
    at = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    made = api.admin.post(f"/v1/conversations/{thread['id']}/messages",
                          json={"body": "Later", "send_at": at},
                          headers={"Idempotency-Key": str(uuid.uuid4())})
    assert made.status_code == 201, made.text
    assert_problem(api.admin.patch(f"/v1/scheduled/{made.json()['id']}",
                                   json={"merge_fields": True}), 422, "validation_error")
    api.admin.delete(f"/v1/scheduled/{made.json()['id']}")


def test_personal_template_events_survive_an_access_change(api: Api) -> None:
    email = f"tpl-{uuid.uuid4().hex[:10]}@demo.example"
    made_user = api.admin.post(
        "/v1/users",
        json={
            "email": email,
            "name": "Temp Agent",
            "password": "first-password-1",
            "role": "user",
            "data_access": "all",
        },
    )
    assert made_user.status_code == 201, made_user.text
    client = api.backend.client(api.backend.login(email, "first-password-1"))
    try:
        made = _made(client, _name("Keep"))
        changed = api.admin.patch(
            f"/v1/users/{made_user.json()['id']}", json={"data_access": "assigned"}
        )
        assert changed.status_code == 200, changed.text
        # The full resync the new access forces still brings their own template.
        events, _ = sync_all(client)
        assert [
            (e["type"], e["data"])
            for e in events
            if e["type"].startswith("template.") and e["data"]["id"] == made["id"]
        ] == [("template.upserted", made)]
    finally:
        client.close()
