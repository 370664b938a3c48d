"""Delivery windows: the hours in which a person may be messaged, and the next moment inside them.

A person is reachable on some ISO weekdays (1 = Monday … 7 = Sunday) between two wall-clock times
in their own zone. The zone is a ``tzinfo``; the stored setting string is turned into one by
``bot.timezones.zone_from_setting`` (IANA names and fixed "UTC+05:00" offsets alike).

How hours are read:

* ``end`` after ``start`` is an ordinary window (10:00–20:00).
* ``end`` at or before ``start`` crosses midnight (22:00–02:00). The window belongs to the day it
  opens on: with Friday as the only working day, Saturday 01:00 is inside and Saturday 22:00 is not.
* "24:00" has no ``time`` value; pass ``time(0, 0)`` (10:00–00:00 runs to the end of the day).
  ``start == end`` means the whole day.

What counts as inside is decided by the recipient's wall clock, so daylight saving time is exact:
an hour that does not exist (the spring gap) holds no instant, and an hour that happens twice (the
autumn overlap) is inside both times it happens.

This module never sends anything, never reads the clock and never produces text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import islice

DEFAULT_DAYS: frozenset[int] = frozenset(range(1, 8))
DEFAULT_START = time(10, 0)
DEFAULT_END = time(20, 0)
#: How late a reminder may still go out as planned (see ``catch_up_time``).
LATE_GRACE = timedelta(minutes=15)

_DAY = timedelta(days=1)
# Zone rules never change twice within six hours, so a change is looked for between grid points.
_GRID = timedelta(hours=6)
# No zone is more than 14 hours away from UTC; a little more keeps the arithmetic on the safe side.
_MAX_OFFSET = timedelta(hours=15)
# A window opens at least weekly; a DST gap can swallow one opening, so two weeks of spans
# always reach the next one.
_MAX_SPANS = 16 * 4 * 2


@dataclass(frozen=True, slots=True)
class Availability:
    """When one person may be messaged; people who set no hours get 10:00–20:00 every day."""

    zone: tzinfo
    days: frozenset[int] = field(default=DEFAULT_DAYS)
    start: time = DEFAULT_START
    end: time = DEFAULT_END

    def __post_init__(self) -> None:
        _check_days(self.days)
        _check_clock(self.start, self.end)

    def next_delivery(self, due_utc: datetime) -> datetime:
        return next_delivery_time(due_utc, self.zone, self.days, self.start, self.end)

    def opening_on(self, day: date) -> datetime:
        """The instant the window of local date ``day`` opens, working day or not."""
        return first_instant_at(datetime.combine(day, self.start), self.zone)


def catch_up_time(
    availability: Availability, due_utc: datetime, now_utc: datetime, grace: timedelta = LATE_GRACE
) -> datetime:
    """When a reminder that fell due at ``due_utc`` may go, seen at ``now_utc``.

    Reminders are planned inside their recipient's window, so one that is on time, or late by no
    more than ``grace`` (a poll interval, a busy queue), keeps its time. One that is later — the
    bot was down, or the clock jumped ahead — would otherwise arrive whenever the bot noticed it
    (a Saturday evening): it is held to the first instant from ``now_utc`` inside the window,
    which is ``now_utc`` itself when the window is open.
    """
    if now_utc - due_utc <= grace:
        return due_utc
    return availability.next_delivery(now_utc)


def window_length(start: time, end: time) -> timedelta:
    """Wall-clock length of a window; ``end`` at or before ``start`` wraps past midnight."""
    _check_clock(start, end)
    length = _since_midnight(end) - _since_midnight(start)
    if length <= timedelta(0):
        length += _DAY
    return length


def next_delivery_time(
    due_utc: datetime, zone: tzinfo, days: frozenset[int], start: time, end: time
) -> datetime:
    """The earliest UTC instant at or after ``due_utc`` that falls inside a window."""
    due = _naive_utc(due_utc)
    _check_days(days)
    length = window_length(start, end)
    for span_start, span_end, offset in islice(_spans(zone, due), _MAX_SPANS):
        # Inside one span the wall clock is UTC plus a constant, so the arithmetic is linear.
        wall_from, wall_to = span_start + offset, span_end + offset
        day = wall_from.date() - _DAY  # yesterday's window may still be open after midnight
        while day <= wall_to.date():
            if day.isoweekday() in days:
                opens = datetime.combine(day, start)
                inside_from = max(opens, wall_from)
                if inside_from < min(opens + length, wall_to):
                    return (inside_from - offset).replace(tzinfo=UTC)
            day += _DAY
    raise AssertionError("a non-empty set of weekdays always yields a window within two weeks")


def first_instant_at(wall: datetime, zone: tzinfo) -> datetime:
    """The earliest UTC instant at which the clock in ``zone`` shows ``wall`` or later.

    An ambiguous wall time gives its first occurrence; a nonexistent one gives the instant the
    clock jumps over it.
    """
    if wall.tzinfo is not None:
        raise ValueError("wall time must be naive local time")
    spans = _spans(zone, wall - _MAX_OFFSET)
    return next(
        max(span_start, wall - offset).replace(tzinfo=UTC)
        for span_start, span_end, offset in spans
        if span_end + offset > wall
    )


def _spans(zone: tzinfo, since: datetime) -> Iterator[tuple[datetime, datetime, timedelta]]:
    """Consecutive (start, end, offset) stretches of naive UTC time with one UTC offset each.

    The grid is whole UTC hours six hours apart, and a change between two points is found to the
    second by bisection (zone rules change on whole seconds).
    """
    grid = since.replace(hour=since.hour - since.hour % 6, minute=0, second=0, microsecond=0)
    while True:
        following = grid + _GRID
        before, after = _offset(zone, grid), _offset(zone, following)
        change = following if before == after else _change_instant(zone, grid, before)
        for lo, hi, offset in ((grid, change, before), (change, following, after)):
            lo = max(lo, since)
            if lo < hi:
                yield lo, hi, offset
        grid = following


def _change_instant(zone: tzinfo, grid: datetime, before: timedelta) -> datetime:
    low, high = 0, int(_GRID.total_seconds())  # ``before`` holds at ``low``, not at ``high``
    while high - low > 1:
        middle = (low + high) // 2
        if _offset(zone, grid + timedelta(seconds=middle)) == before:
            low = middle
        else:
            high = middle
    return grid + timedelta(seconds=high)


def _offset(zone: tzinfo, naive_utc: datetime) -> timedelta:
    offset = naive_utc.replace(tzinfo=UTC).astimezone(zone).utcoffset()
    if offset is None:
        raise ValueError(f"zone {zone!r} has no UTC offset")
    return offset


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(UTC).replace(tzinfo=None)


def _since_midnight(clock: time) -> timedelta:
    return timedelta(
        hours=clock.hour, minutes=clock.minute, seconds=clock.second, microseconds=clock.microsecond
    )


def _check_days(days: frozenset[int]) -> None:
    if not days:
        raise ValueError("at least one working day is needed")
    if not days <= DEFAULT_DAYS:
        raise ValueError(f"weekdays are ISO numbers 1..7, got {sorted(days)}")


def _check_clock(start: time, end: time) -> None:
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError("window hours are wall-clock times without a zone")
