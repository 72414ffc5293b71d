from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain.errors import DomainError, ErrorCode
from console.domain.phones import (
    digits_fragment,
    format_display,
    is_us_or_canada,
    parse_phone,
    region_of,
    require_us_or_canada,
    try_parse_phone,
)


@pytest.mark.parametrize(
    "text",
    ["(415) 555-0123", "415-555-0123", "415.555.0123", "+1 415 555 0123", "1 (415) 555 0123",
     "  4155550123  ", "+14155550123"],
)
def test_us_forms_parse_to_e164(text: str) -> None:
    assert parse_phone(text) == "+14155550123"


def test_canadian_and_uk_numbers_keep_their_country() -> None:
    assert parse_phone("(416) 555-0199") == "+14165550199"
    assert region_of("+14165550199") == "CA"
    assert parse_phone("+44 20 7946 0958") == "+442079460958"
    assert region_of("+442079460958") == "GB"


@pytest.mark.parametrize(
    "text", ["", "   ", "hello", "123", "555-0123", "+1 999 555 0123", "x" * 200]
)
def test_invalid_input_raises_invalid_phone(text: str) -> None:
    with pytest.raises(DomainError) as info:
        parse_phone(text)
    assert info.value.code is ErrorCode.INVALID_PHONE
    assert info.value.status == 422
    assert try_parse_phone(text) is None


def test_us_canada_check() -> None:
    assert is_us_or_canada("+14155550123")
    assert is_us_or_canada("+16045550111")
    assert not is_us_or_canada("+442079460958")
    require_us_or_canada("+14155550123")
    with pytest.raises(DomainError) as info:
        require_us_or_canada("+442079460958")
    assert info.value.code is ErrorCode.REGION_NOT_SUPPORTED


def test_display_format() -> None:
    assert format_display("+14155550123") == "(415) 555-0123"
    assert format_display("+442079460958") == "+44 20 7946 0958"
    assert format_display("not a number") == "not a number"


def test_digits_fragment() -> None:
    assert digits_fragment("(415) 55") == "41555"
    assert digits_fragment("+1 415.555-01") == "141555501"
    assert digits_fragment("Apt 4B") == ""
    assert digits_fragment("Maria 2") == ""


@given(st.text(max_size=80))
def test_parse_never_raises_anything_but_domain_error(text: str) -> None:
    refused: DomainError | None = None
    try:
        result = parse_phone(text)
    except DomainError as exc:
        refused = exc
    if refused is not None:
        assert refused.code is ErrorCode.INVALID_PHONE
    else:
        assert result.startswith("+")
        assert phonenumbers.is_valid_number(phonenumbers.parse(result, None))


nanp_area = st.sampled_from(["415", "212", "646", "416", "604", "305", "512"])
line = st.integers(min_value=100, max_value=199)


@given(nanp_area, line, st.sampled_from(["({a}) 555-0{l}", "{a}-555-0{l}", "+1{a}5550{l}",
                                          "1.{a}.555.0{l}"]))
def test_any_nanp_form_roundtrips(area: str, number: int, template: str) -> None:
    text = template.format(a=area, l=number)
    e164 = parse_phone(text)
    assert e164 == f"+1{area}5550{number}"
    # E.164 output is a fixed point, and display form parses back to the same number.
    assert parse_phone(e164) == e164
    assert parse_phone(format_display(e164)) == e164
