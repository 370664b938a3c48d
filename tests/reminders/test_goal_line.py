"""The goal's line and what a value means against it; the chart and the calendar file."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from bot.reminders.calendar import DayEvent, TimedEvent, build_ics
from bot.reminders.chart import ChartLabels, progress_chart
from bot.reminders.goal_line import Line, SignedGoal, line_of, measured, read_value
from bot.reminders.pace import Outcome, PaceStatus

START, DEADLINE = date(2026, 4, 1), date(2026, 5, 1)  # 30 days; on 16 April the line expects 50 %
MIDWAY = date(2026, 4, 16)


def goal(**changes: object) -> SignedGoal:
    fields: dict[str, object] = {
        "goal_id": 1, "text": "2000 подписчиков", "metric": "followers", "target": 2000.0,
        "unit": "people", "deadline": DEADLINE, "baseline": 1000.0, "target_is_gain": False,
    }  # fmt: skip
    fields.update(changes)
    return SignedGoal(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (1800, PaceStatus.ON_TRACK),  # ahead of the line
        (1500, PaceStatus.ON_TRACK),  # exactly on it
        (1450, PaceStatus.AT_RISK),  # 90 % of what the line expects
        (1200, PaceStatus.BEHIND),
    ],
)
def test_pace_against_the_line(value: float, status: PaceStatus) -> None:
    line = line_of(goal(), START, None)
    assert line == Line(START, 1000, DEADLINE, 2000)
    reading = read_value(line, MIDWAY, value)
    assert reading.pace is not None and reading.pace.status is status and reading.outcome is None


def test_from_the_deadline_on_a_value_is_an_outcome() -> None:
    line = line_of(goal(), START, None)
    assert line is not None
    assert read_value(line, DEADLINE, 2000).outcome is Outcome.ACHIEVED
    assert read_value(line, DEADLINE, 1600).outcome is Outcome.PARTLY
    assert read_value(line, date(2026, 5, 9), 1100).outcome is Outcome.MISSED


def test_gains_cuts_and_percent_gains_end_where_the_goal_says() -> None:
    assert line_of(goal(target=300, target_is_gain=True), START, None) == Line(
        START, 1000, DEADLINE, 1300
    )
    percent = goal(target=20, unit="percent", target_is_gain=True)
    assert line_of(percent, START, None) == Line(START, 1000, DEADLINE, 1200)
    cut = goal(metric="cpl", baseline=300, target=20, unit="percent", target_is_gain=True)
    assert line_of(cut, START, None) == Line(START, 300, DEADLINE, 240)


def test_without_a_baseline_the_first_checkin_starts_the_line() -> None:
    no_base = goal(baseline=None, target=500, target_is_gain=True)
    assert line_of(no_base, START, None) is None
    assert line_of(no_base, START, (date(2026, 4, 5), 800)) == Line(
        date(2026, 4, 5), 800, DEADLINE, 1300
    )
    assert line_of(goal(target=1000), START, None) is None  # nowhere to go


def test_the_chart_is_a_png() -> None:
    line = Line(START, 1000, DEADLINE, 2000)
    png = progress_chart(
        line, [(MIDWAY, 1200), (date(2026, 4, 8), 1100)], ChartLabels("$5", "a", "b")
    )
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_the_calendar_parses_back_with_zone_uid_and_summary() -> None:
    checkin = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # 10:00 in Berlin, summer time
    ics = build_ics(
        [
            DayEvent("d1@smartbrief", "🎯 Срок: 2000 подписчиков (Зерно)", DEADLINE),
            TimedEvent("c1@smartbrief", "📈 Внести цифры: Зерно", checkin),
        ],
        "Europe/Berlin",
        "smartbrief: Зерно",
        datetime(2026, 3, 1, tzinfo=UTC),
    )
    calendar = Calendar.from_ical(ics)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    deadline, timed = events["d1@smartbrief"], events["c1@smartbrief"]
    assert deadline.decoded("DTSTART") == DEADLINE and str(deadline["SUMMARY"]).startswith("🎯")
    assert timed["DTSTART"].params["TZID"] == "Europe/Berlin"
    start = timed.decoded("DTSTART")
    assert (start.hour, start.minute) == (10, 0) and start == checkin
    assert str(timed["SUMMARY"]) == "📈 Внести цифры: Зерно"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_a_fixed_offset_zone_writes_utc_times() -> None:
    start = datetime(2026, 3, 30, 5, 0, tzinfo=UTC)
    ics = build_ics([TimedEvent("c@x", "x", start)], "UTC+05:00", "x", start)
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == start and b"DTSTART:20260330T050000Z" in ics
    assert not calendar.walk("VTIMEZONE")


def test_a_total_adds_up_its_check_ins_from_zero() -> None:
    # «Продать 350 вещей к 1 мая»: 100 sold in the first half, 80 in the next fortnight.
    total = goal(metric="units_sold", target=350.0, unit="units", baseline=400.0, kind="total")
    line = line_of(total, START, None)
    assert line == Line(START, 0, DEADLINE, 350)  # the stock on hand is no start
    points = measured(total, ((date(2026, 4, 8), 100.0), (MIDWAY, 80.0)))
    assert points == ((date(2026, 4, 8), 100.0), (MIDWAY, 180.0))
    reading = read_value(line, MIDWAY, points[-1][1])
    assert reading.pace is not None and reading.pace.status is PaceStatus.ON_TRACK  # 180 ≥ 175


def test_a_level_and_a_rate_compare_the_latest_value() -> None:
    rate = goal(metric="leads", target=30.0, unit="leads", baseline=10.0, kind="rate")
    points = ((date(2026, 4, 8), 14.0), (MIDWAY, 18.0))
    assert measured(rate, points) == points  # this period's figure, not a sum
    line = line_of(rate, START, None)
    assert line == Line(START, 10, DEADLINE, 30)
    reading = read_value(line, MIDWAY, 18.0)
    assert reading.pace is not None and reading.pace.status is PaceStatus.AT_RISK  # 18 of 20
    assert measured(goal(kind="level"), points) == points
