"""The whole create check (count, business number, access, then each participant) as one domain
rule, in the backend's order, and the picker's per-row reason taken from the same rule."""

from __future__ import annotations

import pytest

from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.domain.group_chat import (
    ContactFacts,
    NumberFacts,
    ParticipantError,
    ProposedParticipant,
    unaddable_reason,
    validate_group_chat_request,
)

ADMIN = Actor("usr_admin", "admin", "all")
PRIYA = Actor("usr_priya", "user", "all")
DIEGO = Actor("usr_diego", "user", "assigned")
MAIN = NumberFacts("num_main", "+14155550100", is_default=True)
DIEGOS = NumberFacts("num_diego", "+14155550101", assigned_user_id="usr_diego")
MARIA = ContactFacts("con_maria", "Maria", ("+14155550111",))
JAMES = ContactFacts("con_james", "James", ("+12125550112", "+16465550113"))
HARPER = ContactFacts("con_harper", "Harper", ("+18585550135",), dnd=True)
OLIVER = ContactFacts("con_oliver", "Oliver", ("+442079460123",))
HANNAH = ContactFacts("con_hannah", "Hannah", ("+15125550117",), assigned_user_id="usr_diego")
CONTACTS = {c.id: c for c in (MARIA, JAMES, HARPER, OLIVER, HANNAH)}


def p(contact: ContactFacts, index: int = 0) -> ProposedParticipant:
    return ProposedParticipant(contact.id, contact.phones[index])


def first_error(
    actor: Actor, number: NumberFacts | None, proposal: list[ProposedParticipant],
    number_id: str = "num_main",
) -> tuple[ErrorCode, int | None]:
    with pytest.raises(DomainError) as caught:
        validate_group_chat_request(actor, number_id, number, proposal, CONTACTS)
    error = caught.value
    return error.code, error.index if isinstance(error, ParticipantError) else None


def test_count_comes_first_then_the_number_then_access_then_participants() -> None:
    assert first_error(PRIYA, None, [p(HARPER)]) == (ErrorCode.PARTICIPANT_COUNT, None)
    assert first_error(PRIYA, None, [p(MARIA), p(HARPER)]) == (ErrorCode.NOT_FOUND, None)
    assert first_error(PRIYA, DIEGOS, [p(MARIA), p(HARPER)]) == (
        ErrorCode.NUMBER_ACCESS_DENIED, None,
    )
    assert first_error(PRIYA, MAIN, [p(MARIA), p(OLIVER), p(HARPER)]) == (
        ErrorCode.REGION_NOT_SUPPORTED, 1,
    )
    assert first_error(DIEGO, DIEGOS, [p(HANNAH), p(MARIA)]) == (
        ErrorCode.CONTACT_NOT_ASSIGNED, 1,
    )
    both = [p(JAMES, 0), p(JAMES, 1), ProposedParticipant(JAMES.id, "(212) 555-0112")]
    assert first_error(ADMIN, MAIN, both) == (ErrorCode.DUPLICATE_PARTICIPANT, 2)


def test_a_valid_request_freezes_both_numbers_of_one_contact() -> None:
    chosen = validate_group_chat_request(
        ADMIN, "num_main", MAIN, [p(JAMES, 0), p(JAMES, 1)], CONTACTS
    )
    assert [c.phone for c in chosen] == ["+12125550112", "+16465550113"]


@pytest.mark.parametrize(
    ("actor", "contact", "code"),
    [
        (ADMIN, HARPER, ErrorCode.PARTICIPANT_DND),
        (ADMIN, OLIVER, ErrorCode.REGION_NOT_SUPPORTED),
        (DIEGO, MARIA, ErrorCode.CONTACT_NOT_ASSIGNED),
        (DIEGO, None, ErrorCode.NOT_FOUND),
    ],
)
def test_a_picker_row_is_unaddable_for_the_rule_the_server_would_name(
    actor: Actor, contact: ContactFacts | None, code: ErrorCode
) -> None:
    error = unaddable_reason(actor, contact, contact.phones[0] if contact else "+14155550111")
    assert error is not None
    assert error.code is code


def test_addable_rows_have_no_reason() -> None:
    assert unaddable_reason(ADMIN, MARIA, MARIA.phones[0]) is None
    assert unaddable_reason(DIEGO, HANNAH, "(512) 555-0117") is None
