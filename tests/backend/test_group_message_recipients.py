"""GET /v1/group-messages/{id}/recipients: the snapshot of who it went to, with progress and
notification outcomes, paged; an assigned-only user sees their own people only."""

from __future__ import annotations

from tests.backend.conftest import ADMIN, USER_ASSIGNED, Api, assert_problem, contact_named
from tests.backend.test_group_messages import group_with, in_app_thread, send


def test_recipients_are_the_members_when_sent_with_their_own_conversations(api: Api) -> None:
    names = ["Aisha Patel", "Ethan Brooks", "Chloe Martin"]
    group = group_with(api.admin, names, "Recipients")
    sent = send(api.admin, group["id"], title="Recipients check").json()
    latecomer = contact_named(api.admin, "Grace Liu")
    assert api.admin.put(f"/v1/groups/{group['id']}/members/{latecomer['id']}").status_code == 201

    response = api.admin.get(f"/v1/group-messages/{sent['id']}/recipients")
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert sorted(r["name"] for r in items) == sorted(names)  # not the latecomer
    for r in items:
        thread = in_app_thread(api.admin, r["contact_id"])
        assert thread is not None
        assert r["conversation_id"] == thread["id"]
        assert r["sent_at"]
        assert r["replied_at"] is None
        assert set(r) >= {"delivered_at", "read_at", "email", "push"}

    first = api.admin.get(f"/v1/group-messages/{sent['id']}/recipients", params={"limit": 2})
    page = first.json()
    assert len(page["items"]) == 2
    assert page["next_cursor"]
    rest = api.admin.get(
        f"/v1/group-messages/{sent['id']}/recipients",
        params={"limit": 2, "cursor": page["next_cursor"]},
    ).json()
    assert len(rest["items"]) == 1
    assert rest["next_cursor"] is None
    assert {r["contact_id"] for r in page["items"] + rest["items"]} == {
        r["contact_id"] for r in items
    }


def test_an_assigned_only_user_sees_only_their_people_and_unknown_is_404(api: Api) -> None:
    diego = api.as_(USER_ASSIGNED)
    me = api.me(USER_ASSIGNED)
    theirs = [c for c in api.admin.get("/v1/contacts", params={"limit": 500}).json()["items"]
              if c.get("assigned_user_id") == me["id"]]
    assert theirs, "the demo assigns people to the assigned-only user"
    group = group_with(api.admin, [theirs[0]["name"], "Zoe Fischer"], "Mixed")
    sent = send(api.as_(ADMIN), group["id"], title="Mixed").json()
    shown = diego.get(f"/v1/group-messages/{sent['id']}/recipients").json()["items"]
    assert [r["contact_id"] for r in shown] == [theirs[0]["id"]]
    assert_problem(api.admin.get("/v1/group-messages/gms_nope/recipients"), 404, "not_found")
