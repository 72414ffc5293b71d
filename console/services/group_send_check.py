"""What is checked before a group message goes: each member's own text when it uses merge
fields (the first rows to show; how many people lack each field, counted over every member),
and who it would reach outside quiet hours where they are (judged by their first number)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from console.domain.merge_fields import person_values, render, uses_fields
from console.domain.quiet_hours import OutsideHours, QuietHoursRules, next_allowed, outside_hours

if TYPE_CHECKING:  # group_reads pulls in SQLAlchemy: the window imports this module early
    from console.services.group_reads import GroupMemberRow, GroupReads

SHOWN_ROWS = 200  # the confirmation lists this many; the counts cover everyone
_PAGE = 1000


@dataclass(frozen=True, slots=True)
class MergeRow:
    name: str
    text: str
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MergePreview:
    rows: tuple[MergeRow, ...]  # the first SHOWN_ROWS members, in the member list's order
    total: int  # members counted
    missing: dict[str, int] = field(default_factory=dict)  # field -> people without it
    people_missing: int = 0  # people without at least one field
    # People whose text would be empty (nothing but fields they have no value for): the server
    # refuses such a send whole, so it must not be offered.
    people_empty: int = 0


@dataclass(frozen=True, slots=True)
class GroupSendCheck:
    merge: MergePreview | None  # None: the text uses no merge fields
    late: tuple[OutsideHours, ...]  # members it would reach outside quiet hours now
    next_time: datetime | None  # the first time inside everyone's hours (None: none soon)


def _members(reads: GroupReads, group_id: str) -> Iterator[GroupMemberRow]:
    offset = 0
    while True:
        page = reads.members_page(group_id, "", offset, _PAGE)
        yield from page
        offset += _PAGE
        if len(page) < _PAGE:
            return


def check_group_send(
    reads: GroupReads, group_id: str, body: str, *, sender_name: str, rules: QuietHoursRules,
    moment: datetime,
) -> GroupSendCheck:
    """Both checks, over one read of the members."""
    members = list(_members(reads, group_id))
    merge = _preview(members, body, sender_name) if uses_fields(body) else None
    people = [(m.name, m.phone) for m in members]
    late = outside_hours(people, moment, rules)
    later = next_allowed([p for _, p in people if p], moment, rules) if late else None
    return GroupSendCheck(merge, tuple(late), later)


def _preview(
    members: list[GroupMemberRow], body: str, sender_name: str,
    business_number: str | None = None,
) -> MergePreview:
    """Each member's own text, filled as the server fills it when the message goes
    (console/domain/merge_fields.py on both sides)."""
    rows: list[MergeRow] = []
    missing: Counter[str] = Counter()
    short = empty = 0
    for member in members:
        filled = render(body, person_values(
            member.name, agent_name=sender_name, business_number=business_number))
        missing.update(filled.missing)
        short += bool(filled.missing)
        empty += not filled.text.strip()
        if len(rows) < SHOWN_ROWS:
            rows.append(MergeRow(member.name, filled.text, filled.missing))
    return MergePreview(tuple(rows), len(members), dict(missing), short, empty)
