"""`Updated` (domain.group_chat.participant_changes / participant_tags): the contact's name or
numbers changed since the chat was made, compared with the snapshot kept at creation."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from console.domain.group_chat import (
    ContactFacts,
    ContactSnapshot,
    ParticipantChanges,
    participant_changes,
    participant_tags,
)
from console.ui.participant_text import changes_of

FROZEN, SECOND, NEW = "+14155550111", "+14155550112", "+14155550199"
THEN = ContactSnapshot("Maria Lopez", (FROZEN, SECOND))


@dataclass(frozen=True)
class _Row:
    """A participant row as ChatDetailService gives it: the changes as data, worded by the
    views (console/ui/participant_text.changes_of)."""

    changes: ParticipantChanges
    name: str = "Maria"
    phone: str = FROZEN
    phone_display: str = "(415) 555-0111"
    phone_label: str = "primary"
    tags: tuple[str, ...] = ("updated",)


def change_lines(changes: ParticipantChanges) -> tuple[str, ...]:
    return changes_of(_Row(changes))


def _now(
    name: str = "Maria Lopez", *phones: str, dnd: bool = False, deleted: bool = False
) -> ContactFacts:
    return ContactFacts("c", name, phones or (FROZEN, SECOND), dnd=dnd, deleted=deleted)


def test_nothing_changed_no_tag() -> None:
    assert participant_tags(FROZEN, _now(), THEN) == []
    # The same numbers in another order (labels swapped) are the same numbers.
    assert participant_tags(FROZEN, _now("Maria Lopez", SECOND, FROZEN), THEN) == []


def test_a_rename_alone_is_updated() -> None:
    changes = participant_changes(FROZEN, _now("Maria Gonzalez"), THEN)
    assert changes == ParticipantChanges(name_was="Maria Lopez")
    assert participant_tags(FROZEN, _now("Maria Gonzalez"), THEN) == ["updated"]
    assert change_lines(changes) == ("Name was Maria Lopez",)


def test_another_number_changing_is_updated() -> None:
    now = _now("Maria Lopez", FROZEN, NEW)
    changes = participant_changes(FROZEN, now, THEN)
    assert changes == ParticipantChanges(phones_removed=(SECOND,), phones_added=(NEW,))
    assert not changes.number_gone
    assert participant_tags(FROZEN, now, THEN) == ["updated"]
    assert change_lines(changes) == (
        "(415) 555-0112 removed from the contact", "(415) 555-0199 added to the contact",
    )


def test_the_frozen_number_gone_is_updated_with_or_without_a_snapshot() -> None:
    now = _now("Maria Lopez", SECOND)
    assert participant_changes(FROZEN, now, THEN) == ParticipantChanges(number_gone=True)
    assert participant_tags(FROZEN, now, None) == ["updated"]
    assert change_lines(ParticipantChanges(number_gone=True)) == (
        "(415) 555-0111 no longer on the contact",
    )
    # No snapshot (a chat pending here): a rename cannot be seen, the number can.
    assert participant_tags(FROZEN, _now("Maria Gonzalez"), None) == []


def test_deleted_and_dnd_follow_updated() -> None:
    assert participant_tags(FROZEN, _now("M", deleted=True, dnd=True), THEN) == [
        "updated", "deleted", "dnd"]
    assert participant_tags(FROZEN, None, THEN) == ["deleted"]
    assert not participant_changes(FROZEN, None, THEN)


names = st.sampled_from(["Maria Lopez", "Maria Gonzalez", "M"])
numbers = st.lists(st.sampled_from([FROZEN, SECOND, NEW]), unique=True, max_size=3)


@given(names, numbers, names, numbers)
def test_updated_exactly_when_name_or_number_set_differs(
    then_name: str, then_phones: list[str], name: str, phones: list[str]
) -> None:
    then = ContactSnapshot(then_name, (FROZEN, *[p for p in then_phones if p != FROZEN]))
    now = ContactFacts("c", name, tuple(phones))
    expected = name != then.name or set(phones) != set(then.phones)
    assert ("updated" in participant_tags(FROZEN, now, then)) == expected
