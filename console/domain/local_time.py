"""A phone number's local time, from phonenumbers' time-zone data (North American numbers)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as number_zones

UNKNOWN_ZONE = "Etc/Unknown"  # phonenumbers' answer when it cannot tell


@cache
def zones_for(phone: str) -> tuple[str, ...]:
    """The IANA zones a number may be in (an area code can span several); () if unknown."""
    try:
        parsed = phonenumbers.parse(phone, "US")
    except phonenumbers.NumberParseException:
        return ()
    found = tuple(z for z in number_zones.time_zones_for_number(parsed) if z != UNKNOWN_ZONE)
    return tuple(z for z in found if _known(z))


def _known(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_times(phone: str, moment: datetime) -> tuple[datetime, ...]:
    """`moment` (aware) in each zone the number may be in, earliest wall clock first."""
    # By wall clock and zone name: aware datetimes of one instant compare equal in any zone.
    times: dict[tuple[datetime, str | None], datetime] = {}
    for zone in zones_for(phone):
        local = moment.astimezone(ZoneInfo(zone))
        times.setdefault((local.replace(tzinfo=None), local.tzname()), local)
    return tuple(times[key] for key in sorted(times, key=lambda k: (k[0], k[1] or "")))
