"""Participant search and wording (console/ui/participant_text.py: no Qt, no services)."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from console.domain.group_chat import TAG_DELETED, TAG_DND, TAG_UPDATED
from console.domain.phones import format_display
from console.ui.participant_text import describe, matches, tone_of, which_number


@dataclass(frozen=True)
class P:
    name: str
    phone: str
    phone_label: str = "primary"
    tags: tuple[str, ...] = ()

    @property
    def phone_display(self) -> str:
        return format_display(self.phone)


MARIA = P("Maria Gonzalez", "+14155550111")


def test_name_fragments_match_in_any_case() -> None:
    assert matches(MARIA, "gonz")
    assert matches(MARIA, "  MARIA  ")
    assert matches(MARIA, "")
    assert not matches(MARIA, "james")
    assert not matches(MARIA, "Maria 2")  # a name search, not the digit 2


def test_number_fragments_match_in_any_format() -> None:
    for fragment in ("555 0111", "(415) 555", "+1415", "415-555-0111", "5550111"):
        assert matches(MARIA, fragment), fragment
    assert not matches(MARIA, "555 0112")


@given(st.integers(0, 13), st.integers(1, 14))
def test_any_piece_of_the_shown_number_matches(start: int, length: int) -> None:
    shown = MARIA.phone_display  # "(415) 555-0111"
    piece = shown[start : start + length]
    if any(ch.isdigit() for ch in piece):
        assert matches(MARIA, piece)


def test_which_number_and_tones() -> None:
    assert which_number(MARIA) == "primary number"
    assert which_number(P("A", "+14155550112", "secondary")) == "secondary number"
    assert which_number(P("A", "+14155550112", "")) == "no longer on the contact"
    assert tone_of(()) == ""
    assert tone_of((TAG_UPDATED,)) == "warning"
    assert tone_of((TAG_UPDATED, TAG_DND)) == "danger"


def test_describe_says_what_each_tag_means() -> None:
    text = describe(P("Lily Chen", "+14155550140", "", (TAG_UPDATED, TAG_DELETED)))
    assert text.splitlines()[0] == "Lily Chen"
    assert "(415) 555-0140 (no longer on the contact)" in text
    assert "numbers changed" in text
    assert "deleted" in text
