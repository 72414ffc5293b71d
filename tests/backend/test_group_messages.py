"""Group messages: sent to the members of that instant, in their in-app conversations; never
cancelled; idempotent; visible in the feed to those who may see each person."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.backend.conftest import (
    ADMIN,
    USER_ALL,
    USER_ASSIGNED,
    Api,
    assert_problem,
    contact_named,
    page_all,
    sync_all,
)
from tests.backend.test_groups import new_group


def group_with(client: httpx.Client, names: list[str], prefix: str = "Audience") -> dict[str, Any]:
    group = new_group(client, prefix)
    for name in names:
        contact = contact_named(client, name)
        assert client.put(f"/v1/groups/{group['id']}/members/{contact['id']}").status_code == 201
    return group


def send(
    client: httpx.Client, group_id: str, body: str = "Open house this Sunday, 1-4pm.",
    *, key: str | None = None, title: str = "Open house", sender: str | None = None,
) -> httpx.Response:
    sender_id = sender or client.get("/v1/me").json()["id"]
    return client.post(
        "/v1/group-messages",
        json={"group_id": group_id, "sender_user_id": sender_id, "title": title, "body": body},
        headers={"Idempotency-Key": key or str(uuid.uuid4())},
    )


def in_app_thread(client: httpx.Client, contact_id: str) -> dict[str, Any] | None:
    threads = [c for c in page_all(client, "/v1/conversations", limit=500, kind="in_app")
               if c["contact_id"] == contact_id]
    assert len(threads) <= 1, threads  # one in-app conversation per person
    return threads[0] if threads else None


def test_send_reaches_each_member_in_their_own_in_app_conversation(api: Api) -> None:
    names = ["Aisha Patel", "Ethan Brooks", "Chloe Martin"]
    group = group_with(api.admin, names)
    response = send(api.admin, group["id"], "Price drop on 42 Maple Ave!", title="Maple")
    assert response.status_code == 201, response.text
    sent = response.json()
    me = api.admin.get("/v1/me").json()
    assert sent["group_id"] == group["id"]
    assert sent["sender_user_id"] == me["id"]
    assert (sent["title"], sent["body"], sent["recipient_count"]) == (
        "Maple", "Price drop on 42 Maple Ave!", 3)
    assert sent["stats"] == {
        "recipients": 3, "delivered": 0, "read": 0, "replied": 0, "notification_failures": 0
    }
    assert api.admin.get(f"/v1/group-messages/{sent['id']}").json() == sent

    for name in names:
        contact = contact_named(api.admin, name)
        thread = in_app_thread(api.admin, contact["id"])
        assert thread is not None
        assert (thread["kind"], thread["title"], thread["status"]) == ("in_app", name, "active")
        assert thread["last_message_preview"] == "Price drop on 42 Maple Ave!"
        assert thread["number_id"] is None
        newest = api.admin.get(f"/v1/conversations/{thread['id']}/messages").json()["items"][0]
        assert (newest["direction"], newest["body"], newest["author_user_id"]) == (
            "out", "Price drop on 42 Maple Ave!", me["id"])

    # A second group message to someone reuses their one in-app conversation.
    before = in_app_thread(api.admin, contact_named(api.admin, "Aisha Patel")["id"])
    assert before is not None
    again = group_with(api.admin, ["Aisha Patel"], "Second")
    assert send(api.admin, again["id"], "And a second note").status_code == 201
    after = in_app_thread(api.admin, contact_named(api.admin, "Aisha Patel")["id"])
    assert after is not None
    assert after["id"] == before["id"]
    history = api.admin.get(f"/v1/conversations/{after['id']}/messages").json()["items"]
    assert [m["body"] for m in history[:2]] == ["And a second note", "Price drop on 42 Maple Ave!"]


def test_someone_added_after_the_send_never_receives_it(api: Api) -> None:
    group = group_with(api.admin, ["Daniel Cohen"])
    sent = send(api.admin, group["id"], "Only for the members of now").json()
    late = contact_named(api.admin, "Isabella Moreau")
    assert api.admin.put(f"/v1/groups/{group['id']}/members/{late['id']}").status_code == 201
    thread = in_app_thread(api.admin, late["id"])
    if thread is not None:
        bodies = [m["body"] for m in page_all(
            api.admin, f"/v1/conversations/{thread['id']}/messages", limit=100)]
        assert "Only for the members of now" not in bodies
    person = api.admin.get(f"/v1/people/{late['id']}/messages").json()["items"]
    assert sent["id"] not in {m["group_message_id"] for m in person}
    assert api.admin.get(f"/v1/group-messages/{sent['id']}").json()["recipient_count"] == 1


def test_deleted_contacts_do_not_receive_and_an_empty_group_cannot_be_messaged(api: Api) -> None:
    gone = api.admin.post("/v1/contacts", json={"name": "Soon Gone",
                                               "phones": [{"number": "+16175550190"}]}).json()
    group = new_group(api.admin, "Shrinking")
    api.admin.put(f"/v1/groups/{group['id']}/members/{gone['id']}")
    api.admin.delete(f"/v1/contacts/{gone['id']}")
    assert_problem(send(api.admin, group["id"]), 422, "validation_error")
    assert api.admin.get("/v1/group-messages", params={"group_id": group["id"]}).json()[
        "items"] == []


def test_a_group_message_cannot_be_cancelled_changed_or_deleted(api: Api) -> None:
    group = group_with(api.admin, ["Jack Murphy"])
    sent = send(api.admin, group["id"]).json()
    path = f"/v1/group-messages/{sent['id']}"
    assert_problem(api.admin.delete(path), 409, "not_cancellable")
    assert_problem(api.admin.post(f"{path}/cancel"), 409, "not_cancellable")
    assert_problem(api.admin.patch(path, json={"body": "changed"}), 409, "not_cancellable")
    assert api.admin.get(path).json()["body"] == sent["body"]
    assert_problem(api.admin.delete("/v1/group-messages/gms_nope"), 404, "not_found")


def test_repeating_with_the_same_key_sends_once(api: Api) -> None:
    group = group_with(api.admin, ["Henry Walker", "Mason Wright"])
    key = str(uuid.uuid4())
    first = send(api.admin, group["id"], "Once only", key=key)
    second = send(api.admin, group["id"], "Once only", key=key)
    assert first.status_code == 201
    assert second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    listed = api.admin.get("/v1/group-messages", params={"group_id": group["id"]}).json()
    assert [m["id"] for m in listed["items"]] == [first.json()["id"]]
    henry = in_app_thread(api.admin, contact_named(api.admin, "Henry Walker")["id"])
    assert henry is not None
    bodies = [m["body"] for m in api.admin.get(
        f"/v1/conversations/{henry['id']}/messages").json()["items"]]
    assert bodies.count("Once only") == 1
    assert_problem(send(api.admin, group["id"], "Different", key=key), 409,
                   "idempotency_conflict")


def test_bad_sends_are_refused_with_their_codes(api: Api) -> None:
    group = group_with(api.admin, ["Amelia Scott"])
    assert_problem(send(api.admin, "grp_nope"), 404, "not_found")
    assert_problem(send(api.admin, group["id"], sender="usr_nope"), 422, "validation_error")
    assert_problem(send(api.admin, group["id"], "   "), 422, "validation_error")
    assert_problem(send(api.admin, group["id"], title=" "), 422, "validation_error")
    assert_problem(send(api.admin, group["id"], "x" * 1601), 422, "validation_error")
    assert_problem(api.admin.post("/v1/group-messages", json={"group_id": group["id"]}), 422,
                   "validation_error")


def test_list_is_newest_first_and_pages(api: Api) -> None:
    group = group_with(api.admin, ["Logan Price"])
    ids = [send(api.admin, group["id"], f"Note {i}").json()["id"] for i in range(3)]
    listed = page_all(api.admin, "/v1/group-messages", limit=1, group_id=group["id"])
    assert [m["id"] for m in listed] == ids[::-1]
    everything = page_all(api.admin, "/v1/group-messages", limit=2)
    assert [m["id"] for m in everything][:3] == ids[::-1]


def test_the_feed_carries_each_thread_then_each_message_then_the_group_message(api: Api) -> None:
    names = ["Nora Jensen", "Owen Turner"]
    group = group_with(api.admin, names)
    _, cursor = sync_all(api.admin)
    sent = send(api.admin, group["id"], "Feed check").json()
    everything, _ = sync_all(api.admin, cursor)
    # The backend is shared with other tests: the simulator may still be moving their SMS
    # along, so keep only what this send wrote (in-app threads, their messages, the send).
    events = [
        e for e in everything
        if (e["type"] == "conversation.upserted" and e["data"]["kind"] == "in_app")
        or (e["type"] == "message.upserted" and e["data"]["body"] == "Feed check")
        or e["type"] == "group_message.upserted"
    ]
    kinds = [e["type"] for e in events]
    assert kinds == ["conversation.upserted"] * 2 + ["message.upserted"] * 2 + [
        "group_message.upserted"]
    threads = {e["data"]["id"] for e in events if e["type"] == "conversation.upserted"}
    assert {e["data"]["conversation_id"] for e in events if e["type"] == "message.upserted"} \
        == threads
    assert events[-1]["data"]["id"] == sent["id"]
    assert events[-1]["data"]["stats"]["recipients"] == 2


def test_assigned_only_users_message_only_their_own_people_and_see_only_them(api: Api) -> None:
    diego = api.as_(USER_ASSIGNED)
    mixed = group_with(api.admin, ["Sofia Rossi", "Ruby Sanders"])  # Diego's, not Diego's
    assert_problem(send(diego, mixed["id"]), 403, "contact_not_assigned")
    _, cursor = sync_all(diego)
    sent = send(api.admin, mixed["id"], "For both").json()
    events, _ = sync_all(diego, cursor)
    sofia = contact_named(api.admin, "Sofia Rossi")
    sofias_thread = in_app_thread(api.admin, sofia["id"])
    assert sofias_thread is not None
    # Threads a send made come with their event (another test may have made Sofia's already).
    seen = {e["data"].get("contact_id") for e in events if e["type"] == "conversation.upserted"}
    assert seen <= {sofia["id"]}
    copies = [e["data"] for e in events if e["type"] == "message.upserted"]
    assert [m["conversation_id"] for m in copies] == [sofias_thread["id"]]
    assert sent["id"] in {e["data"]["id"] for e in events if e["type"] == "group_message.upserted"}

    own = group_with(api.admin, ["Sofia Rossi", "Noah Williams"])
    response = send(diego, own["id"], "From Diego")
    assert response.status_code == 201, response.text
    assert response.json()["recipient_count"] == 2


def test_the_record_keeps_who_sent_it_beside_who_it_shows_as(api: Api) -> None:
    """Choosing the sender the customer sees is a feature; who pressed Send is kept and shown
    beside it, over REST and in the feed."""
    priya = api.as_(USER_ALL)
    admin_id, priya_id = api.me(ADMIN)["id"], api.me(USER_ALL)["id"]
    cursors = {client: sync_all(client)[1] for client in (api.admin, priya)}
    group = group_with(priya, ["Owen Turner"])
    response = send(priya, group["id"], "From the team", sender=admin_id)
    assert response.status_code == 201, response.text
    sent = response.json()
    assert (sent["sender_user_id"], sent["created_by_user_id"]) == (admin_id, priya_id)
    for client in (api.admin, priya):
        shown = client.get(f"/v1/group-messages/{sent['id']}").json()
        assert (shown["sender_user_id"], shown["created_by_user_id"]) == (admin_id, priya_id)
        listed = [m for m in page_all(client, "/v1/group-messages", limit=100,
                                      group_id=group["id"])]
        assert [(m["sender_user_id"], m["created_by_user_id"]) for m in listed] == [
            (admin_id, priya_id)]
    for client, cursor in cursors.items():
        events, _ = sync_all(client, cursor)
        mine = [e["data"] for e in events
                if e["type"] == "group_message.upserted" and e["data"]["id"] == sent["id"]]
        assert mine
        assert all(
            (d["sender_user_id"], d["created_by_user_id"]) == (admin_id, priya_id) for d in mine)
    # The customer's copy shows the chosen sender.
    owen = contact_named(api.admin, "Owen Turner")
    thread = in_app_thread(api.admin, owen["id"])
    assert thread is not None
    newest = api.admin.get(f"/v1/conversations/{thread['id']}/messages").json()["items"][0]
    assert newest["author_user_id"] == admin_id


def test_the_sender_must_be_a_staff_user(api: Api) -> None:
    group = group_with(api.admin, ["Nora Jensen"])
    contact = contact_named(api.admin, "Nora Jensen")
    for bogus in ("usr_nope", contact["id"], group["id"], " "):
        body = assert_problem(send(api.as_(USER_ALL), group["id"], sender=bogus), 422,
                              "validation_error")
        assert "sender_user_id" in body["detail"]
    assert page_all(api.admin, "/v1/group-messages", limit=100, group_id=group["id"]) == []
