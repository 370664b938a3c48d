"""The ``.ics`` export: goal deadlines as all-day events, check-ins at their planned times.

Built for Google Calendar and Apple Calendar imports: every event has a stable UID (importing a
fresh file again updates the events instead of doubling them), a DTSTAMP, and timed events carry
the person's zone as TZID with a matching VTIMEZONE. A zone given as a fixed offset ("UTC+05:00")
has no TZID a calendar knows, so those events are written in UTC, which every calendar shows at
the right local time anyway.

Summaries come from the caller's catalogs; this module never words anything, never reads the
clock (``stamp`` is passed in) and never touches the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PRODUCT_ID = "-//smartbrief//reminders//EN"
CHECKIN_LENGTH = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class DayEvent:
    """An all-day event (a deadline): the date is the same wherever the reader is."""

    uid: str
    summary: str
    day: date


@dataclass(frozen=True, slots=True)
class TimedEvent:
    uid: str
    summary: str
    start: datetime  # timezone-aware
    length: timedelta = CHECKIN_LENGTH


def calendar_zone(setting: str) -> ZoneInfo | None:
    """The IANA zone for a ``bot.timezones`` setting; None for fixed offsets."""
    try:
        return ZoneInfo(setting)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def build_ics(
    events: Sequence[DayEvent | TimedEvent], zone_setting: str, name: str, stamp: datetime
) -> bytes:
    # Imported when a calendar is asked for: some 2 MB and 39 modules every bot process would
    # otherwise carry for a file few people download.
    from icalendar import Calendar, Event

    if stamp.utcoffset() is None:
        raise ValueError("stamp must be timezone-aware")
    zone = calendar_zone(zone_setting)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if zone is not None:
        calendar.add("x-wr-timezone", zone.key)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("summary", item.summary)
        if isinstance(item, DayEvent):
            event.add("dtstart", item.day)
            event.add("dtend", item.day + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        else:
            if item.start.utcoffset() is None:
                raise ValueError("timed events need timezone-aware starts")
            start = item.start.astimezone(zone if zone is not None else UTC)
            event.add("dtstart", start)
            event.add("dtend", start + item.length)
        calendar.add_component(event)
    if zone is not None:
        calendar.add_missing_timezones()
    ics: bytes = calendar.to_ical()
    return ics
