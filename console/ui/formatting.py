"""Text the views show: times, statuses, the compose counter. Pure functions, no Qt."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from console.domain.sms import MAX_BODY_CHARS, segment_info

# Message status words live in the views' one label table; re-exported for the callers here.
from console.ui.labels import FAILED_STATUSES as FAILED_STATUSES
from console.ui.labels import status_label as status_label


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
        return "Yesterday"
    if today - timedelta(days=6) <= day < today:
        return when.strftime("%a")
    if day.year == today.year:
        return f"{day.day} {when.strftime('%b')}"
    return f"{day.day} {when.strftime('%b %Y')}"


def clock_time(moment: datetime) -> str:
    return local(moment).strftime("%H:%M")


def day_label(day: date, today: date | None = None) -> str:
    """Separator between days in a conversation: "Today", "Yesterday", "Monday 12 November"."""
    current = today or now_local().date()
    if day == current:
        return "Today"
    if day == current - timedelta(days=1):
        return "Yesterday"
    label = f"{day.strftime('%A')} {day.day} {day.strftime('%B')}"
    return label if day.year == current.year else f"{label} {day.year}"


def compose_counter(text: str) -> str:
    """ "42 chars - 1 SMS segment (GSM-7)" for what would be sent (outer whitespace stripped)."""
    body = text.strip()
    info = segment_info(body)
    chars = len(body)
    chars_text = f"{chars} char" if chars == 1 else f"{chars} chars"
    segments_text = "1 SMS segment" if info.segments == 1 else f"{info.segments} SMS segments"
    counter = f"{chars_text} - {segments_text} ({info.encoding})"
    if chars > MAX_BODY_CHARS:
        counter += f" - over the {MAX_BODY_CHARS}-character limit"
    return counter


def initials(name: str) -> str:
    """Two letters for an avatar: "Ava Admin" -> "AA", "+1 415…" -> "#"."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "#"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()
