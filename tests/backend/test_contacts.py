"""Contacts: create, search, change, soft-delete, and who sees which."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
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
from tests.backend.feed_views import ids_in, streamed
from tests.backend.group_chat_support import PhonePool

phone = PhonePool("283", "284", "285")


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
    assert contact["dnd"] is False
    assert contact["deleted"] is False
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
    assert body["dnd"] is True
    assert body["assigned_user_id"] == diego
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
    assert theirs
    assert all(c["assigned_user_id"] == diego_id for c in theirs)
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


# --- A number belongs to one live contact (no squatting on another user's customer) ---


def _one(number: str) -> list[dict[str, str]]:
    return [{"number": number, "label": "primary"}]


def _claim(client: httpx.Client, number: str, **fields: Any) -> httpx.Response:
    return client.post("/v1/contacts", json={"name": _unique_name("Claim"), "phones": _one(number),
                                             **fields})


def test_a_number_of_another_users_customer_cannot_be_taken_and_says_nothing_of_them(
    api: Api,
) -> None:
    diego = api.as_(USER_ASSIGNED)
    priya_id, diego_id = api.me(USER_ALL)["id"], api.me(USER_ASSIGNED)["id"]
    hidden, seen = phone(), phone()
    theirs = _create(api.admin, name=_unique_name("Customer"), phones=_one(hidden),
                     assigned_user_id=priya_id)
    own = _create(diego, name=_unique_name("Mine"), phones=_one(seen))
    assert own["assigned_user_id"] == diego_id
    _, cursor = sync_all(diego)

    refused: dict[str, dict[str, Any]] = {}
    for number in (hidden, seen):  # the owner hidden from Diego, and one he can see
        response = diego.post("/v1/contacts", json={
            "name": "Squatter", "phones": [{"number": phone(), "label": "primary"},
                                           {"number": f"({number[2:5]}) {number[5:8]}-{number[8:]}",
                                            "label": "secondary"}]})
        body = assert_problem(response, 409, "phone_taken")
        assert theirs["id"] not in response.text
        assert theirs["name"] not in response.text
        assert own["id"] not in response.text
        assert own["name"] not in response.text
        refused[number] = body
    # The same answer whether or not the caller may see who holds the number.
    assert refused[hidden]["detail"].replace(hidden, "N") == refused[seen]["detail"].replace(
        seen, "N")
    assert refused[hidden]["detail"].startswith("phones[1].number")
    assert {k: v for k, v in refused[hidden].items() if k != "detail"} == {
        k: v for k, v in refused[seen].items() if k != "detail"}
    # Nothing was made, for Diego or anyone.
    assert [c for c in page_all(api.admin, "/v1/contacts", limit=500, q="Squatter")] == []
    events, _ = sync_all(diego, cursor)
    assert [e for e in events if e["type"].startswith("contact.")] == []
    # Admins and all-data users get the same refusal.
    for client in (api.admin, api.as_(USER_ALL)):
        assert_problem(_claim(client, hidden), 409, "phone_taken")


def test_patch_cannot_add_a_taken_number_but_keeps_its_own(api: Api) -> None:
    diego = api.as_(USER_ASSIGNED)
    taken, mine, spare = phone(), phone(), phone()
    owner = _create(api.admin, phones=_one(taken), assigned_user_id=api.me(USER_ALL)["id"])
    contact = _create(diego, phones=_one(mine))
    for client in (diego, api.admin):
        response = client.patch(f"/v1/contacts/{contact['id']}", json={
            "phones": [{"number": mine, "label": "primary"},
                       {"number": taken, "label": "secondary"}]})
        body = assert_problem(response, 409, "phone_taken")
        assert body["detail"].startswith("phones[1].number")
        assert owner["id"] not in response.text
        assert owner["name"] not in response.text
    assert api.admin.get(f"/v1/contacts/{contact['id']}").json()["phones"] == _one(mine)
    # Its own number is no clash; a free one is taken.
    kept = diego.patch(f"/v1/contacts/{contact['id']}", json={
        "name": contact["name"] + " b",
        "phones": [{"number": spare, "label": "primary"}, {"number": mine, "label": "secondary"}]})
    assert kept.status_code == 200, kept.text
    # A number given up is free for someone else at once.
    moved = diego.patch(f"/v1/contacts/{contact['id']}", json={"phones": _one(spare)})
    assert moved.status_code == 200, moved.text
    assert _claim(api.admin, mine).status_code == 201


def test_a_deleted_contacts_number_can_be_used_again(api: Api) -> None:
    number = phone()
    first = _create(api.admin, phones=_one(number))
    assert_problem(_claim(api.admin, number), 409, "phone_taken")
    assert api.admin.delete(f"/v1/contacts/{first['id']}").status_code == 204
    second = _claim(api.admin, number)
    assert second.status_code == 201, second.text
    assert second.json()["phones"] == _one(number)


def _all_at_once(
    clients: list[httpx.Client], number: str,
    call: Callable[[httpx.Client, str], httpx.Response] = _claim,
) -> list[httpx.Response]:
    """Each client makes `call` with `number`, all released at the same instant."""
    barrier = threading.Barrier(len(clients))
    results: list[httpx.Response] = []
    lock = threading.Lock()

    def create(client: httpx.Client) -> None:
        barrier.wait()
        response = call(client, number)
        with lock:
            results.append(response)

    threads = [threading.Thread(target=create, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _one_holder(api: Api, number: str, results: list[httpx.Response]) -> None:
    """Every loser of a race for `number` was told `phone_taken`; one contact holds it."""
    for response in results:
        if response.status_code == 409:
            assert_problem(response, 409, "phone_taken")
    holders = [c for c in page_all(api.admin, "/v1/contacts", limit=500, q=number[2:])
               if any(p["number"] == number for p in c["phones"])]
    assert len(holders) == 1


def test_concurrent_creates_with_one_number_exactly_one_wins(api: Api) -> None:
    """Two clients at once (on PostgreSQL, two transactions in flight): the unique index, not
    the check before it, decides."""
    token = api.admin.headers["authorization"].split()[1]
    clients = [api.backend.client(token) for _ in range(4)]
    try:
        for _ in range(5):
            number = phone()
            results = _all_at_once(clients, number)
            codes = sorted(r.status_code for r in results)
            assert codes == [201, 409, 409, 409], [r.text for r in results]
            _one_holder(api, number, results)
    finally:
        for client in clients:
            client.close()


def test_a_text_lands_with_the_one_live_holder_of_its_number(api: Api) -> None:
    """The squatting attack end to end: Diego cannot take Priya's customer's number, so that
    customer's next text (to a line with no thread yet) reaches Priya's side, not his."""
    diego = api.as_(USER_ASSIGNED)
    priya = api.as_(USER_ALL)
    number = phone()
    customer = _create(api.admin, phones=_one(number), assigned_user_id=api.me(USER_ALL)["id"])
    _, diego_cursor = sync_all(diego)
    _, priya_cursor = sync_all(priya)
    assert_problem(_claim(diego, number), 409, "phone_taken")

    response = api.admin.post("/v1/simulator/inbound", json={
        "from": number, "to": ["+14155550102"], "body": "Is the loft still free?"})
    assert response.status_code == 201, response.text
    landed = response.json()
    thread = api.admin.get(f"/v1/conversations/{landed['conversation_id']}").json()
    assert thread["contact_id"] == customer["id"]
    newest = api.admin.get(f"/v1/conversations/{thread['id']}/messages").json()["items"][0]
    assert newest["author_contact_id"] == customer["id"]
    # Priya sees it over REST and the feed; Diego sees it nowhere.
    assert priya.get(f"/v1/conversations/{thread['id']}").status_code == 200
    assert_problem(diego.get(f"/v1/conversations/{thread['id']}"), 404, "not_found")
    priya_events, _ = sync_all(priya, priya_cursor)
    assert landed["message_id"] in {e["data"]["id"] for e in priya_events}
    diego_events, _ = sync_all(diego, diego_cursor)
    hidden = {landed["message_id"], thread["id"], customer["id"]}
    assert not ids_in(diego_events) & hidden
    # The event stream alike: Priya's carries the text; Diego's, read up to a change of his
    # own made afterwards, does not.
    marker = _create(diego)
    assert landed["message_id"] in ids_in(streamed(api, priya, priya_cursor,
                                                     landed["message_id"]))
    assert not ids_in(streamed(api, diego, diego_cursor, marker["id"])) & hidden



def test_once_the_holder_is_deleted_the_number_and_its_texts_go_to_the_new_holder(
    api: Api,
) -> None:
    number = phone()
    first = _create(api.admin, phones=_one(number))
    api.admin.delete(f"/v1/contacts/{first['id']}")
    second = _create(api.admin, phones=_one(number))
    response = api.admin.post("/v1/simulator/inbound", json={
        "from": number, "to": ["+14155550102"], "body": "New owner here"})
    assert response.status_code == 201, response.text
    message_id = response.json()["message_id"]
    conversation_id = response.json()["conversation_id"]
    newest = api.admin.get(f"/v1/conversations/{conversation_id}/messages").json()["items"][0]
    assert (newest["id"], newest["author_contact_id"]) == (message_id, second["id"])


def test_texts_from_a_new_number_at_once_make_one_contact(api: Api) -> None:
    """Two first texts from an unknown number at the same moment (two webhooks in flight):
    one contact is made and both texts are filed under it."""
    token = api.admin.headers["authorization"].split()[1]
    clients = [api.backend.client(token) for _ in range(3)]

    def text(client: httpx.Client, number: str) -> httpx.Response:
        return client.post("/v1/simulator/inbound", json={
            "from": number, "to": ["+14155550102"], "body": "Hello?"})

    try:
        for _ in range(3):
            number = phone()
            results = _all_at_once(clients, number, text)
            assert [r.status_code for r in results] == [201] * len(clients), [
                r.text for r in results]
            holders = [c for c in page_all(api.admin, "/v1/contacts", limit=500, q=number[2:])
                       if any(p["number"] == number for p in c["phones"])]
            assert len(holders) == 1, holders
            threads = {r.json()["conversation_id"] for r in results}
            assert len(threads) == 1
    finally:
        for client in clients:
            client.close()


def test_concurrent_patches_adding_one_number_exactly_one_wins(api: Api) -> None:
    token = api.admin.headers["authorization"].split()[1]
    clients = [api.backend.client(token) for _ in range(3)]
    contact_of = {id(client): _create(api.admin)["id"] for client in clients}

    def add(client: httpx.Client, number: str) -> httpx.Response:
        return client.patch(f"/v1/contacts/{contact_of[id(client)]}", json={"phones": _one(number)})

    try:
        for _ in range(3):
            number = phone()
            results = _all_at_once(clients, number, add)
            assert sorted(r.status_code for r in results) == [200, 409, 409], [
                r.text for r in results]
            _one_holder(api, number, results)
    finally:
        for client in clients:
            client.close()
