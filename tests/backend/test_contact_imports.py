"""Contact imports: bad rows skipped with their reasons, good ones made in one go, undone whole."""

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
    sync_all,
)
from tests.backend.group_chat_support import PhonePool, new_contact

phone = PhonePool("425", "432", "434")  # numbers no other module uses: the backend is shared
PATH = "/v1/contact-imports"


def _name(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8].translate(str.maketrans('0123456789', 'ghijklmnop'))}"


def _row(name: str, *numbers: str, **fields: Any) -> dict[str, Any]:
    labels = ["primary", "secondary"]
    return {
        "name": name,
        "phones": [{"number": n, "label": labels[min(i, 1)]} for i, n in enumerate(numbers)],
        **fields,
    }


def _import(
    client: httpx.Client, rows: list[dict[str, Any]], key: str | None = None, status: int = 201
) -> dict[str, Any]:
    headers = {"Idempotency-Key": key} if key else {}
    response = client.post(PATH, json={"source": "people.csv", "rows": rows}, headers=headers)
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result


def _contact(client: httpx.Client, name: str) -> dict[str, Any] | None:
    items = client.get("/v1/contacts", params={"q": name}).json()["items"]
    found = [c for c in items if c["name"] == name]
    assert len(found) <= 1
    return found[0] if found else None


def test_each_bad_row_is_reported_and_only_good_rows_are_made(api: Api) -> None:
    taken = phone()
    new_contact(api.admin, taken)
    good, twice = phone(), phone()
    names = [_name(p) for p in ("Good", "Bad", "Abroad", "Taken", "Twice", "Blank", "Mail", "Pair")]
    result = _import(
        api.admin,
        [
            _row(names[0], good, email="good@example.com"),  # 1
            _row(names[1], "12345"),  # 2 invalid_number
            _row(names[2], "+44 20 7946 0958"),  # 3 outside_nanp
            _row(names[3], taken),  # 4 duplicate_existing
            _row(names[4], good),  # 5 duplicate_in_file
            _row(
                "   ",
            ),  # 6 no_name_or_number
            _row(names[6], phone(), email="not an address"),  # 7 invalid_email
            _row(names[7], twice, twice.replace("+1", "")),  # 8 the same number twice: once
        ],
    )
    me = api.me(ADMIN)
    assert result["created_count"] == 2
    assert result["source"] == "people.csv"
    assert result["user_id"] == me["id"]
    assert result["undone_at"] is None
    assert [(s["row"], s["code"]) for s in result["skipped"]] == [
        (2, "invalid_number"),
        (3, "outside_nanp"),
        (4, "duplicate_existing"),
        (5, "duplicate_in_file"),
        (6, "no_name_or_number"),
        (7, "invalid_email"),
    ]
    assert all(s["detail"] for s in result["skipped"])
    made = _contact(api.admin, names[0])
    assert made is not None
    assert made["phones"] == [{"number": good, "label": "primary"}]
    assert made["email"] == "good@example.com"
    assert made["assigned_user_id"] is None  # as POST /v1/contacts by an admin
    pair = _contact(api.admin, names[7])
    assert pair is not None
    assert pair["phones"] == [{"number": twice, "label": "primary"}]
    for name in names[1:7]:
        assert _contact(api.admin, name) is None
    assert api.admin.get(f"{PATH}/{result['id']}").json() == result


def test_a_dnd_row_has_dnd_on_with_its_history(api: Api) -> None:
    name = _name("Quiet")
    _import(api.admin, [_row(name, phone(), dnd=True)])
    contact = _contact(api.admin, name)
    assert contact is not None
    assert contact["dnd"] is True
    history = api.admin.get(f"/v1/contacts/{contact['id']}/dnd-history").json()["items"]
    assert [(h["old_dnd"], h["new_dnd"], h["source"], h["user_id"]) for h in history] == [
        (False, True, "import", api.me(ADMIN)["id"])
    ]


def test_an_assigned_only_importer_gets_the_contacts(api: Api) -> None:
    name = _name("Mine")
    client = api.as_(USER_ASSIGNED)
    _import(client, [_row(name, phone())])
    contact = _contact(client, name)
    assert contact is not None
    assert contact["assigned_user_id"] == api.me(USER_ASSIGNED)["id"]


def test_a_replay_with_the_same_key_makes_nothing_again(api: Api) -> None:
    key = str(uuid.uuid4())
    name = _name("Once")
    rows = [_row(name, phone())]
    first = _import(api.admin, rows, key)
    again = _import(api.admin, rows, key)
    assert again == first
    assert _contact(api.admin, name) is not None  # one, not two (_contact checks)
    other = api.admin.post(
        PATH, json={"source": "other.csv", "rows": rows}, headers={"Idempotency-Key": key}
    )
    assert_problem(other, 409, "idempotency_conflict")


def test_undo_deletes_exactly_the_imports_contacts(api: Api) -> None:
    _, since = sync_all(api.admin)
    names = [_name("Undo"), _name("Undo")]
    imported = _import(api.admin, [_row(names[0], phone()), _row(names[1], phone(), dnd=True)])
    by_hand = new_contact(api.admin, phone(), name=_name("Hand"))
    made = [_contact(api.admin, n) for n in names]
    assert all(made)
    ids = {c["id"] for c in made if c}
    # One of them deleted by hand meanwhile: the undo leaves it be.
    gone = made[0]
    assert gone is not None
    assert api.admin.delete(f"/v1/contacts/{gone['id']}").status_code == 204

    undone = api.admin.delete(f"{PATH}/{imported['id']}")
    assert undone.status_code == 200, undone.text
    body = undone.json()
    assert body["undone_at"] is not None
    assert {k: v for k, v in body.items() if k != "undone_at"} == {
        k: v for k, v in imported.items() if k != "undone_at"
    }
    assert all(_contact(api.admin, n) is None for n in names)
    assert api.admin.get(f"/v1/contacts/{by_hand['id']}").status_code == 200
    assert_problem(api.admin.delete(f"{PATH}/{imported['id']}"), 409, "already_undone")

    events, _ = sync_all(api.admin, since)
    upserted = [e for e in events if e["type"] == "contact.upserted" and e["data"]["id"] in ids]
    deleted = [e for e in events if e["type"] == "contact.deleted" and e["data"]["id"] in ids]
    assert {e["data"]["id"] for e in upserted} == ids
    assert len(upserted) == 2
    assert sorted(e["data"]["id"] for e in deleted) == sorted(ids)  # by hand, then the undo
    for event in deleted:
        assert event["data"]["deleted"] is True
    # The feed's contact is the very one GET answered.
    second = next(c for c in made if c and c["id"] != gone["id"])
    assert next(e["data"] for e in upserted if e["data"]["id"] == second["id"]) == second
    imports = [e["data"] for e in events if e["type"] == "contact_import.upserted"]
    assert [i["id"] for i in imports] == [imported["id"]] * 2
    assert imports[0]["undone_at"] is None
    assert imports[1] == body
    # Its numbers are free again.
    _import(api.admin, [_row(_name("Again"), *[p["number"] for p in second["phones"]])])


def test_others_neither_see_nor_undo_it(api: Api) -> None:
    mine = _import(api.as_(USER_ALL), [_row(_name("Private"), phone())])
    other = api.as_(USER_ASSIGNED)
    assert_problem(other.get(f"{PATH}/{mine['id']}"), 404, "not_found")
    assert_problem(other.delete(f"{PATH}/{mine['id']}"), 404, "not_found")
    assert mine["id"] not in {i["id"] for i in other.get(PATH).json()["items"]}
    events, _ = sync_all(other)
    assert mine["id"] not in {
        e["data"].get("id") for e in events if e["type"] == "contact_import.upserted"
    }
    # Its importer and the admins see it, newest first.
    listed = api.as_(USER_ALL).get(PATH).json()["items"]
    assert listed[0] == mine
    assert mine["id"] in {
        i["id"] for i in api.admin.get(PATH, params={"limit": 500}).json()["items"]
    }
    assert api.admin.get(f"{PATH}/{mine['id']}").json() == mine
    # The admin's feed does not carry another user's import notice.
    admin_events, _ = sync_all(api.admin)
    assert mine["id"] not in {
        e["data"].get("id") for e in admin_events if e["type"] == "contact_import.upserted"
    }


def test_list_pages_newest_first(api: Api) -> None:
    client = api.as_(USER_ALL)
    made = [_import(client, [_row(_name("Paged"))])["id"] for _ in range(3)]
    first = client.get(PATH, params={"limit": 2}).json()
    rest = client.get(PATH, params={"limit": 2, "cursor": first["next_cursor"]}).json()
    listed = [i["id"] for i in first["items"] + rest["items"]]
    assert listed[:3] == made[::-1]


def test_more_than_20000_rows_is_422(api: Api) -> None:
    # Over the usual 1 MiB body limit too: this route takes more, and validates it.
    rows = [_row("x", "+12065550100")] * 20_001
    response = api.admin.post(PATH, json={"source": "big.csv", "rows": rows})
    assert_problem(response, 422, "validation_error")
    assert_problem(
        api.admin.post(PATH, json={"source": "empty.csv", "rows": []}), 422, "validation_error"
    )
