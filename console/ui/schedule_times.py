"""The words and presets of a scheduled send's time: quick picks ("Tomorrow 09:00"), the time
in the agent's zone, and each recipient's local time at that moment (from their number)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from console.domain.local_time import local_times
from console.ui.formatting import short_date
from console.ui.i18n import in_source_language, translate
from console.ui.qt import QLocale, QTimeZone

MORNING = time(9, 0)  # the quick picks' hour: the start of a working day


@dataclass(frozen=True, slots=True)
class Recipient:
    name: str
    phone: str | None  # None: an in-app person (no number, no zone)


def local_zone() -> tzinfo:
    """This machine's time zone with its rules (daylight saving included), as an IANA zone;
    its current offset alone only where the zone has no IANA name."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode(errors="replace")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fixed = datetime.now().astimezone().tzinfo
        assert fixed is not None
        return fixed


def now_here() -> datetime:
    """Now, in this machine's zone (local_zone): a time picked for another day gets that
    day's offset, not today's."""
    return datetime.now(local_zone())


QUIET_HOURS_AT_ENV = "CONSOLE_QUIET_HOURS_AT_UTC"


def quiet_hours_now() -> datetime:
    """The moment quiet hours are judged at before a send: now, or today at the UTC time of
    day CONSOLE_QUIET_HOURS_AT_UTC ("18:00") says. Tests and the screenshot script set it so
    a send made at any hour of their run goes out unwarned (18:00 UTC is day everywhere in
    the US); the quiet-hours tests give their own clocks."""
    now = now_here()
    fixed = os.environ.get(QUIET_HOURS_AT_ENV)
    if not fixed:
        return now
    try:
        at = time.fromisoformat(fixed)
    except ValueError:
        return now
    today = now.astimezone(UTC).date()
    return datetime.combine(today, at, tzinfo=UTC).astimezone(now.tzinfo)


def quick_picks(now: datetime) -> list[tuple[str, datetime]]:
    """(label, moment) in `now`'s zone: in an hour, tomorrow morning, next Monday morning."""
    zone = now.tzinfo
    in_an_hour = (now + timedelta(hours=1)).replace(second=0, microsecond=0)
    in_an_hour += timedelta(minutes=(5 - in_an_hour.minute % 5) % 5)  # on a 5-minute mark
    tomorrow = _at(now.date() + timedelta(days=1), MORNING, zone)
    monday = _at(now.date() + timedelta(days=7 - now.weekday()), MORNING, zone)
    picks = [
        (translate("ScheduleTimes", "In 1 hour"), in_an_hour),
        (translate("ScheduleTimes", "Tomorrow {time}").format(time=clock(tomorrow)), tomorrow),
    ]
    if monday.date() != tomorrow.date():
        picks.append((
            translate("ScheduleTimes", "Monday {time}").format(time=clock(monday)), monday
        ))
    return picks


def default_time(now: datetime) -> datetime:
    """What the dialog starts at: tomorrow at 09:00."""
    return _at(now.date() + timedelta(days=1), MORNING, now.tzinfo)


def _at(day: date, at: time, zone: tzinfo | None) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)


def clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def weekday_short(day: date) -> str:
    if in_source_language():
        return day.strftime("%a")
    return QLocale().standaloneDayName(day.isoweekday(), QLocale.FormatType.ShortFormat)


def when_text(moment: datetime, now: datetime) -> str:
    """ "Today 14:05", "Tomorrow 09:00", "Tue 8 Dec 09:00", with the year when not this one:
    `moment`'s wall clock in its own zone, its day named from the agent's today (`now`, in
    the agent's zone), so "Tomorrow" means the same day to the agent for every recipient."""
    day, today = moment.date(), now.date()
    if day == today:
        return translate("ScheduleTimes", "Today {time}").format(time=clock(moment))
    if day == today + timedelta(days=1):
        return translate("ScheduleTimes", "Tomorrow {time}").format(time=clock(moment))
    return translate("ScheduleTimes", "{weekday} {date} {time}").format(
        weekday=weekday_short(day), date=short_date(day, with_year=day.year != today.year),
        time=clock(moment),
    )


def zone_name(moment: datetime) -> str:
    """ "EST", or the offset ("+0530") where the zone has no abbreviation."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    return moment.strftime("UTC%z")


def recipient_time_text(recipient: Recipient, moment: datetime, now: datetime) -> str:
    """ "Tue 8 Dec 08:00 CST" at `moment` where they are; both where their number's area spans
    two zones; why not where it cannot be told."""
    if recipient.phone is None:
        return translate("ScheduleTimes", "In-app: they read it when they open the app")
    times = local_times(recipient.phone, moment)
    if not times:
        return translate("ScheduleTimes", "Local time unknown for {phone}").format(
            phone=recipient.phone
        )
    shown = [f"{when_text(t, now)} {zone_name(t)}" for t in times]
    return translate("ScheduleTimes", " or ").join(shown)
