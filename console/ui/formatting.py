"""Text the views show: times, statuses, the compose counter. Pure functions (Qt only to
translate)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from console.domain.sms import MAX_BODY_CHARS, segment_info

# Message status words live in the views' one label table; re-exported for the callers here.
from console.ui.i18n import in_source_language, translate
from console.ui.labels import FAILED_STATUSES as FAILED_STATUSES
from console.ui.labels import status_label as status_label
from console.ui.qt import QLocale


def local(moment: datetime) -> datetime:
    """`moment` in the local time zone (a naive value is taken to be UTC, as the cache stores)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def now_local() -> datetime:
    return datetime.now().astimezone()


def list_time(moment: datetime | None, now: datetime | None = None) -> str:
    """List time: "14:05" today, "Yesterday", "Mon" this week, "12 Nov", "12 Nov 2023"."""
    if moment is None:
        return ""
    when = local(moment)
    today = (now or now_local()).date()
    day = when.date()
    if day == today:
        return when.strftime("%H:%M")
    if day == today - timedelta(days=1):
        return translate("Formatting", "Yesterday")
    if today - timedelta(days=6) <= day < today:
        return _weekday(day, short=True)
    return short_date(day, with_year=day.year != today.year)


def short_date(day: date, *, with_year: bool = False) -> str:
    """ "12 Nov", or "12 Nov 2023" `with_year` (the month in the user's language)."""
    if not with_year:
        return translate("Formatting", "{day} {month}").format(
            day=day.day, month=_month(day, short=True)
        )
    return translate("Formatting", "{day} {month} {year}").format(
        day=day.day, month=_month(day, short=True), year=day.year
    )


def _weekday(day: date, *, short: bool = False) -> str:
    """The day's name: English as strftime gives it, else in the user's language."""
    if in_source_language():
        return day.strftime("%a" if short else "%A")
    form = QLocale.FormatType.ShortFormat if short else QLocale.FormatType.LongFormat
    return QLocale().standaloneDayName(day.isoweekday(), form)


def _month(day: date, *, short: bool = False) -> str:
    if in_source_language():
        return day.strftime("%b" if short else "%B")
    form = QLocale.FormatType.ShortFormat if short else QLocale.FormatType.LongFormat
    return QLocale().monthName(day.month, form)


def clock_time(moment: datetime) -> str:
    return local(moment).strftime("%H:%M")


def day_label(day: date, today: date | None = None) -> str:
    """Separator between days in a conversation: "Today", "Yesterday", "Monday 12 November"."""
    current = today or now_local().date()
    if day == current:
        return translate("Formatting", "Today")
    if day == current - timedelta(days=1):
        return translate("Formatting", "Yesterday")
    if day.year == current.year:
        return translate("Formatting", "{weekday} {day} {month}").format(
            weekday=_weekday(day), day=day.day, month=_month(day)
        )
    return translate("Formatting", "{weekday} {day} {month} {year}").format(
        weekday=_weekday(day), day=day.day, month=_month(day), year=day.year
    )


def compose_counter(text: str) -> str:
    """ "42 chars - 1 SMS segment (GSM-7)" for what would be sent (outer whitespace stripped)."""
    body = text.strip()
    info = segment_info(body)
    chars = len(body)
    chars_text = translate("Formatting", "%n char(s)", None, chars)
    segments_text = translate("Formatting", "%n SMS segment(s)", None, info.segments)
    counter = translate("Formatting", "{chars} - {segments} ({encoding})").format(
        chars=chars_text, segments=segments_text, encoding=info.encoding
    )
    if chars > MAX_BODY_CHARS:
        counter = translate("Formatting", "{counter} - over the {limit}-character limit").format(
            counter=counter, limit=MAX_BODY_CHARS
        )
    return counter


def initials(name: str) -> str:
    """Two letters for an avatar: "Ava Admin" -> "AA", "+1 415…" -> "#"."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "#"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()
