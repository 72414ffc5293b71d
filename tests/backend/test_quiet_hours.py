"""Quiet hours on the backend: every user reads the rules, admins set a state's stricter
window (checked, told through the feed whole), and a message sent anyway outside quiet hours
is recorded as such."""

from __future__ import annotations

import uuid

from tests.backend.conftest import (
    ADMIN,
    USER_ALL,
    Api,
    assert_problem,
    numbers_by_label,
    sync_all,
)
from tests.backend.group_chat_support import PhonePool, messages, new_contact

phone = PhonePool("475")  # numbers no other module uses: the backend is shared


def test_admins_set_a_states_window_and_everyone_reads_it(api: Api) -> None:
    agent = api.as_(USER_ALL)
    rules = agent.get("/v1/quiet-hours")
    assert rules.status_code == 200, rules.text
    assert rules.json()["default"] == {"start": "08:00", "end": "21:00"}
    assert_problem(agent.put("/v1/quiet-hours/states/FL", json={"start": "08:00",
                                                                 "end": "20:00"}), 403,
                   "forbidden")
    set_ = api.admin.put("/v1/quiet-hours/states/fl", json={"start": "08:00", "end": "20:00"})
    assert set_.status_code == 200, set_.text
    assert {"state": "FL", "start": "08:00", "end": "20:00"} in set_.json()["states"]
    assert agent.get("/v1/quiet-hours").json() == set_.json()
    # Bad input: a clear error each, nothing changed.
    for state, body in (("ZZ", {"start": "08:00", "end": "20:00"}),
                        ("TX", {"start": "20:00", "end": "08:00"}),
                        ("TX", {"start": "8am", "end": "20:00"}),
                        ("TX", {"start": "24:00", "end": "20:00"})):
        assert_problem(api.admin.put(f"/v1/quiet-hours/states/{state}", json=body), 422,
                       "validation_error")
    assert [s["state"] for s in agent.get("/v1/quiet-hours").json()["states"]] == ["FL"]
    # The feed carries the rules whole, to everyone.
    events, _ = sync_all(agent)
    told = [e["data"] for e in events if e["type"] == "quiet_hours.updated"]
    assert told[-1] == set_.json()
    cleared = api.admin.delete("/v1/quiet-hours/states/FL")
    assert cleared.status_code == 200
    assert cleared.json()["states"] == []
    assert api.admin.delete("/v1/quiet-hours/states/FL").json() == cleared.json()  # again
    events, _ = sync_all(agent)
    assert [e["data"] for e in events if e["type"] == "quiet_hours.updated"][-1] == (
        cleared.json())


def test_a_message_sent_anyway_is_recorded(api: Api) -> None:
    number = phone()
    contact = new_contact(api.admin, number)
    main = numbers_by_label(api.admin)["Main office"]["id"]
    thread = api.admin.post("/v1/conversations", json={
        "kind": "direct", "contact_id": contact["id"], "phone": number, "number_id": main,
    }).json()["id"]
    plain = api.admin.post(f"/v1/conversations/{thread}/messages", json={"body": "Hello"},
                           headers={"Idempotency-Key": str(uuid.uuid4())})
    anyway = api.admin.post(f"/v1/conversations/{thread}/messages",
                            json={"body": "Late, sorry", "quiet_hours_override": True},
                            headers={"Idempotency-Key": str(uuid.uuid4())})
    assert plain.status_code == anyway.status_code == 201, anyway.text
    assert plain.json()["quiet_hours_override"] is False
    assert anyway.json()["quiet_hours_override"] is True
    by_body = {m["body"]: m for m in messages(api.admin, thread)}
    assert by_body["Late, sorry"]["quiet_hours_override"] is True
    assert by_body["Hello"]["quiet_hours_override"] is False
    assert by_body["Late, sorry"]["author_user_id"] == api.me(ADMIN)["id"]  # who, and when
    # Strict: "yes" or 1 is not a decision to send anyway.
    for lax in ("yes", 1):
        assert_problem(api.admin.post(
            f"/v1/conversations/{thread}/messages",
            json={"body": "Lax", "quiet_hours_override": lax},
            headers={"Idempotency-Key": str(uuid.uuid4())}), 422, "validation_error")
    # A retry of the plain send under its key is the same request as before the field.
    key = str(uuid.uuid4())
    first = api.admin.post(f"/v1/conversations/{thread}/messages", json={"body": "Once"},
                           headers={"Idempotency-Key": key})
    again = api.admin.post(f"/v1/conversations/{thread}/messages",
                           json={"body": "Once", "quiet_hours_override": False},
                           headers={"Idempotency-Key": key})
    assert again.json()["id"] == first.json()["id"]
