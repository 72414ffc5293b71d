"""Merge fields: filled, missing ones reported and tidied, unknown ones refused, braces kept."""

from __future__ import annotations

import pytest

from console.domain.errors import DomainError, ErrorCode
from console.domain.merge_fields import (
    check_merge_fields,
    joined_first_names,
    person_values,
    render,
    split_name,
    unknown_fields,
)


def values(name: str | None, agent: str | None = "Dana", number: str | None = None) -> dict[
        str, str | None]:
    return person_values(name, agent_name=agent, business_number=number)


def test_every_field_is_filled_from_the_person_the_agent_and_the_number() -> None:
    body = "Hi {first_name} {last_name}, {agent_name} here. Call {business_number}."
    out = render(body, values("Ana María López", number="(555) 010-0100"))
    assert out.text == "Hi Ana María López, Dana here. Call (555) 010-0100."
    assert out.missing == ()


@pytest.mark.parametrize(("name", "text", "missing"), [
    ("Cher", "Hi Cher, Dana here.", ("last_name",)),
    ("", "Hi, Dana here.", ("first_name", "last_name")),
    ("+1 555 010 0100", "Hi, Dana here.", ("first_name", "last_name")),  # a number is no name
    (None, "Hi, Dana here.", ("first_name", "last_name")),
])
def test_a_missing_field_is_reported_and_its_gap_tidied(
    name: str | None, text: str, missing: tuple[str, ...]
) -> None:
    out = render("Hi {first_name} {last_name}, {agent_name} here.", values(name))
    assert (out.text, out.missing) == (text, missing)


def test_braces_and_unknown_tokens() -> None:
    assert render("{{first_name}} costs {{5}}", values("Ana")).text == "{first_name} costs {5}"
    assert unknown_fields("Hi {frist_name} {first_name} {frist_name} {}") == ("frist_name", "")
    assert unknown_fields("Hi { first_name }") == ()  # spaces inside are forgiven
    assert render("Hi { first_name }!", values("Ana Li")).text == "Hi Ana!"
    with pytest.raises(DomainError) as refused:
        check_merge_fields("Dear {name}")
    assert refused.value.code is ErrorCode.UNKNOWN_MERGE_FIELD
    assert "{name}" in refused.value.detail
    assert check_merge_fields("Hi {first_name}") is True
    assert check_merge_fields("Hi {{there}}") is False


def test_names() -> None:
    assert split_name("  Ana   Li  Wu ") == ("Ana", "Li Wu")
    assert joined_first_names(["Ana Li", "Ben", "Cy Z"]) == "Ana, Ben and Cy"
    assert joined_first_names(["Ana Li"]) == "Ana"
    assert joined_first_names(["Ana", "+15550100"]) is None  # someone would be left out
    assert joined_first_names([]) is None
