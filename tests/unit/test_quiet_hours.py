"""Quiet hours on fixed clocks: the 08:00-21:00 boundaries where each person is, an area code
over two zones judged by the stricter, a state's narrower window, and the next time every
recipient may be texted."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from console.domain.quiet_hours import (
    QuietHoursRules,
    Window,
    next_allowed,
    outside_hours,
    state_of,
)
from console.services.quiet_hours import QuietHoursService, parse_rules
from console.store.apply import apply_sync_page
from console.store.cache import Cache
from console.store.generations import open_new_generation, swap_in
from tests.unit.cache_factories import event, page

NY, CHICAGO, HONOLULU = (ZoneInfo(z) for z in
                         ("America/New_York", "America/Chicago", "Pacific/Honolulu"))
NEW_YORK_PHONE = "+12125550100"  # 212: New York, NY
DALLAS_PHONE = "+14695550100"  # 469: Texas (Central)
HONOLULU_PHONE = "+18085550100"  # 808: Hawaii
ALASKA_PHONE = "+19075550100"  # 907: Anchorage and Adak (Hawaii-Aleutian): two zones
TAMPA_PHONE = "+18135550100"  # 813: Florida
RULES = QuietHoursRules()


def at(hour: int, minute: int = 0, zone: ZoneInfo = NY, day: int = 6) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=zone)


@pytest.mark.parametrize(
    ("moment", "outside"),
    [
        (at(7, 59), True),
        (at(8, 0), False),
        (at(20, 59), False),
        (at(21, 0), True),  # 21:00 itself is outside
        (at(2, 30), True),
    ],
)
def test_the_boundaries_where_they_are(moment: datetime, outside: bool) -> None:
    assert bool(outside_hours([("Ny", NEW_YORK_PHONE)], moment, RULES)) is outside


def test_each_judged_in_their_own_zone() -> None:
    # 08:30 in New York is 07:30 in Dallas and 03:30 in Honolulu.
    moment = at(8, 30)
    late = outside_hours([("Ny", NEW_YORK_PHONE), ("Tx", DALLAS_PHONE),
                          ("Hi", HONOLULU_PHONE), ("App", None)], moment, RULES)
    assert [(o.name, o.local.hour, o.local.minute, o.local.tzinfo) for o in late] == [
        ("Tx", 7, 30, ZoneInfo("America/Chicago")),
        ("Hi", 3, 30, ZoneInfo("Pacific/Honolulu")),
    ]
    # Converted from UTC the same way: 14:00 UTC is 08:00 in Dallas (inside).
    assert outside_hours([("Tx", DALLAS_PHONE)], datetime(2026, 1, 6, 14, tzinfo=UTC),
                         RULES) == []


def test_an_area_code_over_two_zones_is_judged_by_the_stricter() -> None:
    # 08:30 Anchorage is 07:30 in Adak: outside there, so outside.
    moment = datetime(2026, 1, 6, 8, 30, tzinfo=ZoneInfo("America/Anchorage"))
    (late,) = outside_hours([("Ak", ALASKA_PHONE)], moment, RULES)
    assert (late.local.hour, late.local.tzinfo) == (7, ZoneInfo("America/Adak"))
    # An hour later it is 08:30 in Adak too.
    assert outside_hours([("Ak", ALASKA_PHONE)], moment.replace(hour=9), RULES) == []


def test_a_states_window_narrows_the_default_and_never_widens_it() -> None:
    rules = QuietHoursRules(states={"FL": Window(time(8), time(20)),
                                    "TX": Window(time(7), time(22))})
    assert state_of(TAMPA_PHONE) == "FL"
    assert state_of(DALLAS_PHONE) == "TX"
    assert state_of("+12105550100") == "TX"  # "San Antonio, TX"
    assert state_of("+16045550100") == "BC"
    assert state_of("+442079460000") is None
    assert rules.window_for(TAMPA_PHONE) == Window(time(8), time(20))
    assert rules.window_for(DALLAS_PHONE) == Window(time(8), time(21))  # not widened
    assert outside_hours([("Fl", TAMPA_PHONE)], at(20, 30), rules)
    assert not outside_hours([("Fl", TAMPA_PHONE)], at(20, 30), RULES)
    assert not outside_hours([("Ny", NEW_YORK_PHONE)], at(20, 30), rules)


def test_the_next_allowed_time_suits_everyone() -> None:
    inside = at(10)
    assert next_allowed([NEW_YORK_PHONE], inside, RULES) == inside
    # 21:30 in New York: tomorrow at 08:00 there.
    assert next_allowed([NEW_YORK_PHONE], at(21, 30), RULES) == at(8, day=7)
    # With someone in Honolulu too: 08:00 there is 13:00 in New York (inside for both).
    both = next_allowed([NEW_YORK_PHONE, HONOLULU_PHONE], at(21, 30), RULES)
    assert both == datetime(2026, 1, 7, 8, 0, tzinfo=HONOLULU)
    assert both is not None
    assert both.tzinfo == NY  # given back in the zone it was asked in
    # Early morning in Dallas, already allowed in New York: 08:00 in Dallas.
    assert next_allowed([NEW_YORK_PHONE, DALLAS_PHONE], at(8, 15), RULES) == datetime(
        2026, 1, 6, 8, 0, tzinfo=CHICAGO)
    # Unknown numbers do not hold anyone back.
    assert next_allowed(["+999"], at(23), RULES) == at(23)


def test_windows_that_never_meet_have_no_next_time() -> None:
    # 08:00-09:00 in New York and in Honolulu never overlap (5 hours apart).
    narrow = QuietHoursRules(default=Window(time(8), time(9)))
    assert next_allowed([NEW_YORK_PHONE, HONOLULU_PHONE], at(10), narrow) is None


def test_the_servers_rules_reach_the_console_through_the_feed_and_a_resync(
    tmp_path: Path,
) -> None:
    cache = Cache.open(tmp_path / "cache.db")
    service = QuietHoursService(cache)
    try:
        assert service.rules() == QuietHoursRules()  # before any: the default
        florida = {"default": {"start": "08:00", "end": "21:00"},
                   "states": [{"state": "FL", "start": "08:00", "end": "20:00"}]}
        apply_sync_page(cache, page(event("quiet_hours.updated", florida)))
        assert service.rules().window_for(TAMPA_PHONE) == Window(time(8), time(20))
        # A full resync brings the rules the new generation read.
        generation = open_new_generation(cache)
        apply_sync_page(generation, page(event("quiet_hours.updated", {
            "default": {"start": "08:00", "end": "21:00"}, "states": []})))
        generation.close()
        swap_in(cache, generation.path, now=datetime(2026, 1, 6, tzinfo=UTC))
        assert service.rules() == QuietHoursRules()
    finally:
        cache.close()


def test_unreadable_or_wider_rules_fall_back_to_the_default() -> None:
    assert parse_rules("not json") == QuietHoursRules()
    assert parse_rules('{"default": {"start": "8"}}') == QuietHoursRules()
    wide = parse_rules('{"default": {"start": "06:00", "end": "23:00"}, "states": []}')
    assert wide.default == Window()  # never wider than 08:00-21:00
