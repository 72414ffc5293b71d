"""The change feed: ordered, complete, paged, per-caller, with clear cursor errors."""

from __future__ import annotations

import time
import uuid

from tests.backend.conftest import (
    USER_ALL,
    USER_ASSIGNED,
    Api,
    assert_problem,
    page_all,
    sync_all,
)


def test_feed_from_the_start_holds_the_seeded_world_in_order(api: Api) -> None:
    events, cursor = sync_all(api.admin)
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == len(seqs)
    types = {e["type"] for e in events}
    assert {"user.upserted", "number.upserted", "contact.upserted", "conversation.upserted",
            "message.upserted"} <= types
    contacts = {e["data"]["id"] for e in events if e["type"] == "contact.upserted"}
    assert len(contacts) >= 40
    # Nothing new since: an empty page that keeps the cursor where it is. Other tests share
    # this backend and its simulated carrier may still be reporting on their messages, so
    # anything that does arrive must be newer, and the feed must come to rest.
    last_seq = seqs[-1]
    deadline = time.monotonic() + 15
    while True:
        again = api.admin.get("/v1/sync", params={"since": cursor}).json()
        if not again["events"]:
            assert again == {"events": [], "next": cursor, "has_more": False}
            break
        newer = [e["seq"] for e in again["events"]]
        assert min(newer) > last_seq
        assert newer == sorted(newer)
        last_seq, cursor = newer[-1], again["next"]
        assert time.monotonic() < deadline, "the feed never came to rest"
        time.sleep(0.2)


def test_small_pages_give_the_same_events_as_one_big_page(api: Api) -> None:
    whole, _ = sync_all(api.admin)
    paged: list[int] = []
    since = None
    while True:
        params = {"limit": 13, **({"since": since} if since else {})}
        page = api.admin.get("/v1/sync", params=params).json()
        paged.extend(e["seq"] for e in page["events"])
        since = page["next"]
        if not page["has_more"]:
            break
        assert len(page["events"]) == 13
    assert paged[: len(whole)] == [e["seq"] for e in whole]


def test_every_change_appears_once_after_the_cursor(api: Api) -> None:
    _, cursor = sync_all(api.admin)
    created = api.admin.post(
        "/v1/contacts", json={"name": f"Feed {uuid.uuid4().hex[:6]}", "phones": []}
    ).json()
    api.admin.patch(f"/v1/contacts/{created['id']}", json={"email": "feed@example.com"})
    events, _ = sync_all(api.admin, cursor)
    mine = [e for e in events if e["data"].get("id") == created["id"]]
    assert [e["type"] for e in mine] == ["contact.upserted", "contact.upserted"]
    assert mine[0]["data"]["email"] is None
    assert mine[1]["data"]["email"] == "feed@example.com"


def test_assigned_only_users_get_only_their_part_of_the_feed(api: Api) -> None:
    diego_id = api.me(USER_ASSIGNED)["id"]
    diego_events, _ = sync_all(api.as_(USER_ASSIGNED))
    everyone_events, _ = sync_all(api.as_(USER_ALL))
    # A contact's history comes with it (earlier owners included): what counts is where each
    # ends up, his now or deleted; out-of-sight tombstones name nothing but the id.
    last = {e["data"]["id"]: e["data"] for e in diego_events if e["type"].startswith("contact.")}
    assert last
    assert all(c.get("deleted") or c["assigned_user_id"] == diego_id
                        for c in last.values())
    live = {cid for cid, c in last.items() if not c.get("deleted")}
    assert live == {c["id"] for c in page_all(api.as_(USER_ASSIGNED), "/v1/contacts", limit=500)}
    titles = {e["data"]["title"] for e in diego_events if e["type"] == "conversation.upserted"}
    assert "Hannah Kim" in titles
    assert "Maria Gonzalez" not in titles
    assert len(everyone_events) > len(diego_events)
    numbers = {e["data"]["id"] for e in diego_events if e["type"] == "number.upserted"}
    assert len(numbers) >= 3  # numbers are not per-contact: everyone sees them


def test_bad_cursors_are_410_cursor_invalid(api: Api) -> None:
    _, cursor = sync_all(api.admin)
    epoch, _, seq = cursor.partition(".")
    for since in ("garbage", f"{epoch}.{int(seq) + 1000}", f"other.{seq}", f"{epoch}.-1", ""):
        assert_problem(api.admin.get("/v1/sync", params={"since": since}), 410, "cursor_invalid")
    for limit in (0, 501, "x"):
        assert_problem(api.admin.get("/v1/sync", params={"limit": limit}), 422, "validation_error")
    assert_problem(api.anonymous().get("/v1/sync"), 401, "unauthorized")


def test_a_contact_taken_away_reads_as_deleted_for_its_old_owner(api: Api) -> None:
    diego = api.as_(USER_ASSIGNED)
    diego_id = api.me(USER_ASSIGNED)["id"]
    _, cursor = sync_all(diego)
    contact = api.admin.post(
        "/v1/contacts",
        json={"name": f"Moving {uuid.uuid4().hex[:6]}", "assigned_user_id": diego_id},
    ).json()
    events, cursor = sync_all(diego, cursor)
    assert [(e["type"], e["data"]["id"]) for e in events] == [("contact.upserted", contact["id"])]
    api.admin.patch(f"/v1/contacts/{contact['id']}", json={"assigned_user_id": None})
    events, _ = sync_all(diego, cursor)
    # (Status steps of messages other tests sent in Diego's chats may land in the window.)
    events = [e for e in events if e["type"] != "message.upserted"]
    assert [(e["type"], e["data"]["id"]) for e in events] == [("contact.deleted", contact["id"])]
    assert events[0]["data"] == {"id": contact["id"], "deleted": True, "out_of_sight": True}
