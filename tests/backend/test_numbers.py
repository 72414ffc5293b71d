"""Business numbers and who may send from them."""

from __future__ import annotations

from tests.backend.conftest import (
    ADMIN,
    OTHER_ADMIN,
    USER_ALL,
    USER_ASSIGNED,
    Api,
    assert_problem,
    numbers_by_label,
    sync_all,
)

SEEDED = {"Main office", "Diego's line", "Listings hotline"}


def _can_send(api: Api, email: str) -> dict[str, bool]:
    return {
        label: n["can_send"] for label, n in numbers_by_label(api.as_(email)).items()
        if label in SEEDED
    }


def test_admins_may_send_from_every_number(api: Api) -> None:
    for email in (OTHER_ADMIN, ADMIN):
        assert _can_send(api, email) == dict.fromkeys(SEEDED, True)


def test_users_may_send_from_default_own_and_unassigned_numbers(api: Api) -> None:
    assert _can_send(api, USER_ALL) == {
        "Main office": True,  # the default
        "Diego's line": False,  # assigned to someone else
        "Listings hotline": True,  # unassigned
    }
    assert _can_send(api, USER_ASSIGNED) == dict.fromkeys(SEEDED, True)


def test_number_fields_are_e164(api: Api) -> None:
    numbers = numbers_by_label(api.admin)
    main = numbers["Main office"]
    assert main["e164"] == "+14155550100"
    assert main["is_default"] is True
    assert main["assigned_user_id"] is None
    assert numbers["Diego's line"]["assigned_user_id"] == api.me(USER_ASSIGNED)["id"]


def test_only_admins_add_or_change_numbers(api: Api) -> None:
    user = api.as_(USER_ALL)
    assert_problem(user.post("/v1/numbers", json={"e164": "+14155550190"}), 403, "forbidden")
    number_id = numbers_by_label(user)["Main office"]["id"]
    assert_problem(user.patch(f"/v1/numbers/{number_id}", json={"label": "x"}), 403, "forbidden")


def test_admin_adds_a_number_and_moves_the_default(api: Api) -> None:
    created = api.admin.post(
        "/v1/numbers", json={"e164": "(415) 555-0191", "label": "Weekend line"}
    )
    assert created.status_code == 201, created.text
    number = created.json()
    assert number["e164"] == "+14155550191"
    assert number["is_default"] is False
    try:
        moved = api.admin.patch(f"/v1/numbers/{number['id']}", json={"is_default": True})
        assert moved.json()["is_default"] is True
        defaults = [n for n in numbers_by_label(api.admin).values() if n["is_default"]]
        assert [n["id"] for n in defaults] == [number["id"]]
        # Priya may send from the default number, whichever it is.
        assert numbers_by_label(api.as_(USER_ALL))["Weekend line"]["can_send"] is True
    finally:
        main = numbers_by_label(api.admin)["Main office"]
        api.admin.patch(f"/v1/numbers/{main['id']}", json={"is_default": True})
    assert numbers_by_label(api.admin)["Main office"]["is_default"] is True


def test_assigning_a_number_changes_can_send_and_the_feed_personalizes_it(api: Api) -> None:
    priya_id = api.me(USER_ALL)["id"]
    created = api.admin.post(
        "/v1/numbers",
        json={"e164": "+1 415 555 0192", "label": "Priya's line", "assigned_user_id": priya_id},
    ).json()
    assert numbers_by_label(api.as_(USER_ALL))["Priya's line"]["can_send"] is True
    assert numbers_by_label(api.as_(USER_ASSIGNED))["Priya's line"]["can_send"] is False
    # The same number.upserted event reads differently per caller.
    for email, expected in ((USER_ALL, True), (USER_ASSIGNED, False), (OTHER_ADMIN, True)):
        events, _ = sync_all(api.as_(email))
        mine = [e for e in events if e["type"] == "number.upserted"
                and e["data"]["id"] == created["id"]]
        assert mine
        assert mine[-1]["data"]["can_send"] is expected


def test_bad_numbers_are_refused(api: Api) -> None:
    assert_problem(api.admin.post("/v1/numbers", json={"e164": "555"}), 422, "invalid_phone")
    assert_problem(
        api.admin.post("/v1/numbers", json={"e164": "+44 20 7946 0111"}),
        422,
        "region_not_supported",
    )
    assert_problem(api.admin.post("/v1/numbers", json={"e164": "+14155550100"}), 409, "conflict")
    assert_problem(
        api.admin.post("/v1/numbers", json={"e164": "+14155550193", "assigned_user_id": "usr_x"}),
        422,
        "validation_error",
    )
    assert_problem(api.admin.patch("/v1/numbers/num_missing", json={}), 404, "not_found")
