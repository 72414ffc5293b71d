"""Quiet hours: the local times a number may be texted at (US and Canadian rules).

By default 08:00 to 21:00 where the person is (21:00 itself is outside), judged by the
number's time zone(s) from phonenumbers; a number whose area code spans several zones must
be inside in every one of them (the strictest). A state or province may have a stricter
window (`QuietHoursRules.states`, by two-letter code), applied where the number's area code
lies in it; a window never widens the default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import geocoder

from console.domain.local_time import local_times, zones_for

DEFAULT_START = time(8, 0)
DEFAULT_END = time(21, 0)
LOOK_AHEAD_DAYS = 8  # next_allowed searches this far (every window opens once a day)


@dataclass(frozen=True, slots=True)
class Window:
    start: time = DEFAULT_START
    end: time = DEFAULT_END  # exclusive

    def holds(self, local: datetime) -> bool:
        return self.start <= local.time().replace(tzinfo=None) < self.end

    def within(self, other: Window) -> Window:
        """The stricter of both: the later start and the earlier end."""
        return Window(max(self.start, other.start), min(self.end, other.end))


@dataclass(frozen=True, slots=True)
class QuietHoursRules:
    default: Window = Window()
    states: Mapping[str, Window] = field(default_factory=dict)  # "FL" -> Window

    def window_for(self, phone: str) -> Window:
        state = state_of(phone)
        extra = self.states.get(state) if state is not None else None
        return self.default.within(extra) if extra is not None else self.default


@dataclass(frozen=True, slots=True)
class OutsideHours:
    """A recipient `moment` would reach outside their window: their local time then."""

    name: str
    phone: str
    local: datetime  # the first of their zones where it is outside
    window: Window


def outside_hours(
    recipients: Iterable[tuple[str, str | None]], moment: datetime, rules: QuietHoursRules
) -> list[OutsideHours]:
    """Who (name, phone) `moment` reaches outside their window; numbers without a known
    zone (and in-app people, phone None) are not judged."""
    found = []
    for name, phone in recipients:
        if not phone:
            continue
        window = rules.window_for(phone)
        late = [t for t in local_times(phone, moment) if not window.holds(t)]
        if late:
            found.append(OutsideHours(name, phone, late[0], window))
    return found


def next_allowed(
    phones: Sequence[str], moment: datetime, rules: QuietHoursRules
) -> datetime | None:
    """The earliest time from `moment` on when every number is inside its window (moment
    itself if it is); None if there is none within LOOK_AHEAD_DAYS (windows that never meet)."""
    judged = [p for p in phones if zones_for(p)]
    if all(not outside_hours([("", p)], moment, rules) for p in judged):
        return moment
    # The allowed times are the intersection of daily windows: the earliest one at or after
    # `moment` is a moment some window opens.
    candidates = sorted({
        opening
        for phone in judged
        for opening in _openings(phone, moment, rules.window_for(phone))
    })
    for candidate in candidates:
        if all(not outside_hours([("", p)], candidate, rules) for p in judged):
            return candidate
    return None


def _openings(phone: str, moment: datetime, window: Window) -> list[datetime]:
    openings = []
    for zone in zones_for(phone):
        local = moment.astimezone(ZoneInfo(zone))
        for days in range(LOOK_AHEAD_DAYS + 1):
            day = local.date() + timedelta(days=days)
            opening = datetime.combine(day, window.start, tzinfo=ZoneInfo(zone))
            if opening > moment:
                openings.append(opening.astimezone(moment.tzinfo))
    return openings


# -- states and provinces -----------------------------------------------------------------

_STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC",
    "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL",
    "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
    "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI",
    "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT",
    "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ",
    "New Mexico": "NM", "New York": "NY", "North Carolina": "NC", "North Dakota": "ND",
    "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA",
    "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN",
    "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA",
    "Washington D.C.": "DC", "Washington DC": "DC", "West Virginia": "WV",
    "Wisconsin": "WI", "Wyoming": "WY",
    # Canada
    "Alberta": "AB", "British Columbia": "BC", "Manitoba": "MB", "New Brunswick": "NB",
    "Newfoundland and Labrador": "NL", "Nova Scotia": "NS", "Ontario": "ON",
    "Prince Edward Island": "PE", "Quebec": "QC", "Saskatchewan": "SK",
    "Northwest Territories": "NT", "Nunavut": "NU", "Yukon": "YT",
}
STATE_CODES = frozenset(_STATES.values())


@cache
def state_of(phone: str) -> str | None:
    """The two-letter state or province of a North American number's area code, or None."""
    try:
        parsed = phonenumbers.parse(phone, "US")
    except phonenumbers.NumberParseException:
        return None
    if parsed.country_code != 1:
        return None
    place = geocoder.description_for_number(parsed, "en")
    _, comma, code = place.rpartition(", ")
    if comma and code in STATE_CODES:
        return code  # "San Antonio, TX"
    return _STATES.get(place)  # "Texas"
