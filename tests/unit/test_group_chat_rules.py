"""The group SMS chat rules of the seed, as pure functions: table tests and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.domain.group_chat import (
    MAX_PARTICIPANTS,
    MIN_PARTICIPANTS,
    ContactFacts,
    ParticipantError,
    ProposedParticipant,
    blocked_reason,
    out_of_rules_reason,
    participant_key,
    participant_tags,
    validate_group_chat,
)

ADMIN = Actor("usr_admin", "admin", "all")
DIEGO = Actor("usr_diego", "user", "assigned")
BUSINESS = "+14155550100"

# Ten people with US/Canada numbers (two of them have a second one), all assigned to Diego.
PEOPLE = {
    f"con_{i}": ContactFacts(
        id=f"con_{i}", name=f"Person {i}",
        phones=(f"+1415555{1000 + i}",) + ((f"+1604555{2000 + i}",) if i % 4 == 0 else ()),
        assigned_user_id=DIEGO.user_id,
    )
    for i in range(10)
}
UK = ContactFacts("con_uk", "Oliver", ("+442079460123", "+12125550112"))
DND = ContactFacts("con_dnd", "Harper", ("+18585550135",), dnd=True)
GONE = ContactFacts("con_gone", "Gone", ("+13035550121",), deleted=True)
OTHERS = ContactFacts("con_other", "Maria", ("+14155550111",), assigned_user_id="usr_priya")
CONTACTS = {c.id: c for c in (*PEOPLE.values(), UK, DND, GONE, OTHERS)}


def _proposal(n: int) -> list[ProposedParticipant]:
    return [ProposedParticipant(f"con_{i}", PEOPLE[f"con_{i}"].phones[0]) for i in range(n)]


def _error(actor: Actor, proposal: list[ProposedParticipant], business: str = BUSINESS
           ) -> DomainError:
    with pytest.raises(DomainError) as caught:
        validate_group_chat(actor, business, proposal, CONTACTS)
    return caught.value


def test_a_valid_proposal_freezes_the_numbers_in_e164_in_order() -> None:
    proposal = [
        ProposedParticipant("con_0", "(604) 555-2000"),  # a secondary number, typed loosely
        ProposedParticipant("con_1", "415.555.1001"),
        ProposedParticipant("con_uk", "+1 212 555 0112"),  # the US number of a UK contact
    ]
    chosen = validate_group_chat(ADMIN, BUSINESS, proposal, CONTACTS)
    assert [(c.contact_id, c.phone) for c in chosen] == [
        ("con_0", "+16045552000"), ("con_1", "+14155551001"), ("con_uk", "+12125550112"),
    ]
    assert chosen[0].name == "Person 0"


@given(st.integers(min_value=0, max_value=10))
def test_two_to_nine_participants(n: int) -> None:
    if MIN_PARTICIPANTS <= n <= MAX_PARTICIPANTS:
        assert len(validate_group_chat(ADMIN, BUSINESS, _proposal(n), CONTACTS)) == n
    else:
        error = _error(ADMIN, _proposal(n))
        assert error.code == ErrorCode.PARTICIPANT_COUNT
        assert not isinstance(error, ParticipantError)


# (participant replacing con_1 at index 1, the actor, the code it must give)
VIOLATIONS = [
    (ProposedParticipant("con_nope", "+14155551001"), ADMIN, ErrorCode.NOT_FOUND),
    (ProposedParticipant("con_gone", "+13035550121"), ADMIN, ErrorCode.NOT_FOUND),
    (ProposedParticipant("con_other", "+14155550111"), DIEGO, ErrorCode.CONTACT_NOT_ASSIGNED),
    (ProposedParticipant("con_1", "not a number"), ADMIN, ErrorCode.INVALID_PHONE),
    (ProposedParticipant("con_1", "+1415555"), ADMIN, ErrorCode.INVALID_PHONE),
    (ProposedParticipant("con_1", "+14155551002"), ADMIN, ErrorCode.PHONE_NOT_ON_CONTACT),
    (ProposedParticipant("con_uk", "+442079460123"), ADMIN, ErrorCode.REGION_NOT_SUPPORTED),
    (ProposedParticipant("con_dnd", "+18585550135"), ADMIN, ErrorCode.PARTICIPANT_DND),
    (ProposedParticipant("con_1", "+14155551000"), ADMIN, ErrorCode.PHONE_NOT_ON_CONTACT),
    (ProposedParticipant("con_0", "(415) 555-1000"), ADMIN, ErrorCode.DUPLICATE_PARTICIPANT),
]


@pytest.mark.parametrize(("participant", "actor", "code"), VIOLATIONS)
def test_each_rule_names_the_participant(
    participant: ProposedParticipant, actor: Actor, code: ErrorCode
) -> None:
    proposal = _proposal(3)
    proposal[1] = participant
    error = _error(actor, proposal)
    assert error.code == code
    assert isinstance(error, ParticipantError)
    assert error.index == 1
    assert error.detail.startswith("participants[1]: ")
    assert error.errors[0]["index"] == 1
    assert error.errors[0]["type"] == code.value


def test_the_business_number_must_be_us_or_canada() -> None:
    error = _error(ADMIN, _proposal(2), business="+442079460999")
    assert error.code == ErrorCode.REGION_NOT_SUPPORTED
    assert not isinstance(error, ParticipantError)


def test_assigned_only_users_may_use_only_their_contacts_admins_any() -> None:
    proposal = [*_proposal(2), ProposedParticipant("con_other", "+14155550111")]
    assert len(validate_group_chat(ADMIN, BUSINESS, proposal, CONTACTS)) == 3
    assert _error(DIEGO, proposal).code == ErrorCode.CONTACT_NOT_ASSIGNED
    assert len(validate_group_chat(DIEGO, BUSINESS, _proposal(9), CONTACTS)) == 9


RULE_ORDER = [code for _, _, code in VIOLATIONS]


@given(
    size=st.integers(min_value=2, max_value=9),
    picks=st.lists(st.sampled_from(range(len(VIOLATIONS))), min_size=1, max_size=4),
    data=st.data(),
)
def test_the_first_broken_participant_wins_whatever_else_is_wrong(
    size: int, picks: list[int], data: st.DataObject
) -> None:
    """Violations injected at random places: the lowest index decides, with the code of the
    violation placed there; the same proposal always gets the same answer."""
    proposal = _proposal(size)
    # con_0 stays valid at index 0 (the duplicate violation copies its number).
    places = data.draw(
        st.lists(st.integers(min_value=1, max_value=size - 1), min_size=len(picks),
                 max_size=len(picks), unique=True)
        if size - 1 >= len(picks) else st.just(list(range(1, size))[: len(picks)])
    )
    for place, pick in zip(places, picks, strict=False):
        participant, _, _ = VIOLATIONS[pick]
        proposal[place] = participant
    used = dict(zip(places, picks, strict=False))
    first = min(used)
    participant, _, code = VIOLATIONS[used[first]]
    # The contact_not_assigned case needs the assigned-only actor; others hold for both.
    acting = DIEGO if any(VIOLATIONS[p][1] is DIEGO for p in used.values()) else ADMIN
    error = _error(acting, proposal)
    assert isinstance(error, ParticipantError)
    if acting is DIEGO and participant.contact_id in {"con_uk", "con_dnd"}:
        # Not Diego's either: assignment is checked before their own rule.
        code = ErrorCode.CONTACT_NOT_ASSIGNED
    assert (error.index, error.code) == (first, code)
    again = _error(acting, proposal)
    assert isinstance(again, ParticipantError)
    assert (again.index, again.code, again.detail) == (error.index, error.code, error.detail)


@given(st.permutations([(p.contact_id, p.phone) for p in _proposal(9)]))
def test_the_participant_key_ignores_order(members: list[tuple[str, str]]) -> None:
    assert participant_key(members) == participant_key(sorted(members))
    assert participant_key(members) != participant_key(members[:-1])
    # The same numbers held by another contact are another set.
    (contact_id, phone), *rest = members
    assert participant_key(members) != participant_key([(contact_id + "x", phone), *rest])


def test_live_tags() -> None:
    person = ContactFacts("c", "Ann", ("+14155550111",))
    assert participant_tags("+14155550111", person) == []
    renumbered = ContactFacts("c", "Ann", ("+14155550199",))
    assert participant_tags("+14155550111", renumbered) == ["updated"]
    gone = ContactFacts("c", "Ann", ("+14155550111",), deleted=True, dnd=True)
    assert participant_tags("+14155550111", gone) == ["deleted", "dnd"]
    assert participant_tags("+14155550111", None) == ["deleted"]


def test_blocked_reason_names_who() -> None:
    assert blocked_reason([]) is None
    assert blocked_reason(["Harper Lewis"]) == "Harper Lewis has Do Not Disturb on"
    assert blocked_reason(["A", "B"]) == "A, B have Do Not Disturb on"
    assert len(blocked_reason(["x" * 120, "y" * 120]) or "") == 200


def test_a_chat_outside_the_rules_says_why_it_cannot_send() -> None:
    us = ["+14155550111", "+14155550112", "+16045550113"]  # a Canadian one is fine
    assert out_of_rules_reason(us) is None
    assert out_of_rules_reason(us[:1]) is not None
    crowd = out_of_rules_reason([f"+1415555{n:04d}" for n in range(10)])
    assert crowd is not None
    assert "10 participants" in crowd
    abroad = out_of_rules_reason([*us[:2], "+442071838750", "+33142685300"])
    assert abroad == (
        "+442071838750, +33142685300 are not US or Canada numbers; group chats text only those."
    )
