from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from bot.reminders.windows import (
    DEFAULT_DAYS,
    LATE_GRACE,
    Availability,
    catch_up_time,
    first_instant_at,
    next_delivery_time,
    window_length,
)
from bot.timezones import zone_from_setting

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
MOSCOW = ZoneInfo("Europe/Moscow")
WEEKDAYS = frozenset({1, 2, 3, 4, 5})


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


def deliver(
    due: datetime,
    zone: tzinfo = MOSCOW,
    days: frozenset[int] = DEFAULT_DAYS,
    start: time = time(10),
    end: time = time(20),
) -> datetime:
    return next_delivery_time(due, zone, days, start, end)


# --- ordinary windows -------------------------------------------------------------------------


def test_due_inside_window_is_delivered_at_once() -> None:
    due = utc(2026, 3, 4, 9, 17, 5, 123)  # 12:17 in Moscow
    assert deliver(due) == due


def test_due_before_window_waits_for_opening() -> None:
    assert deliver(utc(2026, 3, 4, 4, 0)) == utc(2026, 3, 4, 7, 0)  # 07:00 → 10:00 MSK


def test_window_end_is_exclusive_and_moves_to_next_day() -> None:
    assert deliver(utc(2026, 3, 4, 17, 0)) == utc(2026, 3, 5, 7, 0)  # 20:00 MSK sharp
    assert deliver(utc(2026, 3, 4, 16, 59)) == utc(2026, 3, 4, 16, 59)


def test_non_working_days_are_skipped() -> None:
    friday_evening = utc(2026, 3, 6, 18, 0)
    assert deliver(friday_evening, days=WEEKDAYS) == utc(2026, 3, 9, 7, 0)  # Monday 10:00 MSK


def test_result_is_utc_even_when_due_is_given_in_another_zone() -> None:
    due = datetime(2026, 3, 4, 8, 0, tzinfo=MOSCOW)
    result = deliver(due)
    assert result == utc(2026, 3, 4, 7, 0)
    assert result.tzinfo is UTC


def test_naive_due_is_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        deliver(datetime(2026, 3, 4, 8, 0))


@pytest.mark.parametrize("days", [frozenset(), frozenset({0, 1}), frozenset({8})])
def test_bad_weekdays_are_rejected(days: frozenset[int]) -> None:
    with pytest.raises(ValueError, match="day"):
        deliver(utc(2026, 3, 4), days=days)


def test_hours_with_a_zone_are_rejected() -> None:
    with pytest.raises(ValueError, match="wall-clock"):
        deliver(utc(2026, 3, 4), start=time(10, tzinfo=UTC))


# --- fixed offsets and far-east zones ---------------------------------------------------------


def test_utc_plus_5_fixed_offset_matches_yekaterinburg() -> None:
    due = utc(2026, 1, 5, 3, 0)  # 08:00 at UTC+5
    expected = utc(2026, 1, 5, 5, 0)  # 10:00 at UTC+5
    assert deliver(due, zone=zone_from_setting("UTC+05:00")) == expected
    assert deliver(due, zone=ZoneInfo("Asia/Yekaterinburg")) == expected
    assert deliver(due, zone=ZoneInfo("Etc/GMT-5")) == expected


def test_utc_plus_10_window_opens_on_the_previous_utc_day() -> None:
    due = utc(2026, 1, 5, 12, 0)  # Monday 22:00 in Vladivostok
    assert deliver(due, zone=ZoneInfo("Asia/Vladivostok")) == utc(2026, 1, 6, 0, 0)
    assert deliver(due, zone=timezone(timedelta(hours=10))) == utc(2026, 1, 6, 0, 0)


def test_utc_plus_10_working_day_is_the_local_one() -> None:
    # Sunday 20:00 UTC is already Monday 06:00 in Vladivostok: Monday's window counts.
    due = utc(2026, 1, 4, 20, 0)
    assert deliver(due, zone=ZoneInfo("Asia/Vladivostok"), days=frozenset({1})) == utc(
        2026, 1, 5, 0, 0
    )


# --- windows crossing midnight ----------------------------------------------------------------


def test_window_crossing_midnight_belongs_to_the_day_it_opens() -> None:
    def night(due: datetime) -> datetime:
        return deliver(due, days=frozenset({5}), start=time(22), end=time(2))  # Fridays only

    saturday_1am = utc(2026, 3, 6, 22, 0)  # Sat 01:00 MSK, inside Friday's window
    assert night(saturday_1am) == saturday_1am
    saturday_2am = utc(2026, 3, 6, 23, 0)  # Sat 02:00 MSK: Friday's window just closed
    assert night(saturday_2am) == utc(2026, 3, 13, 19, 0)  # next Friday 22:00
    friday_noon = utc(2026, 3, 6, 9, 0)
    assert night(friday_noon) == utc(2026, 3, 6, 19, 0)


def test_window_ending_at_midnight_runs_to_end_of_day() -> None:
    late = utc(2026, 3, 4, 20, 59)  # 23:59 MSK
    assert deliver(late, start=time(10), end=time(0)) == late
    assert deliver(utc(2026, 3, 4, 21, 0), start=time(10), end=time(0)) == utc(2026, 3, 5, 7, 0)


def test_equal_start_and_end_is_the_whole_day() -> None:
    due = utc(2026, 3, 4, 0, 30)
    assert deliver(due, start=time(0), end=time(0)) == due
    assert deliver(due, days=frozenset({4}), start=time(0), end=time(0)) == utc(2026, 3, 4, 21, 0)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (time(10), time(20), 10),
        (time(22), time(2), 4),
        (time(10), time(0), 14),
        (time(9), time(9), 24),
    ],
)
def test_window_length(start: time, end: time, hours: int) -> None:
    assert window_length(start, end) == timedelta(hours=hours)


# --- daylight saving time ---------------------------------------------------------------------


def test_spring_forward_ordinary_window_follows_the_new_offset() -> None:
    saturday_night = utc(2024, 3, 30, 20, 0)  # 21:00 CET, clocks go forward at 02:00 Sunday
    assert deliver(saturday_night, zone=BERLIN) == utc(2024, 3, 31, 8, 0)  # 10:00 CEST


def test_spring_forward_nonexistent_opening_opens_when_clocks_jump() -> None:
    # 02:30 does not exist on 31 March in Berlin; the first existing moment after it is 03:00 CEST.
    due = utc(2024, 3, 31, 0, 0)
    assert deliver(due, zone=BERLIN, start=time(2, 30), end=time(20)) == utc(2024, 3, 31, 1, 0)


def test_spring_forward_in_new_york() -> None:
    due = utc(2024, 3, 10, 6, 0)  # 01:00 EST, clocks jump from 02:00 to 03:00
    assert deliver(due, zone=NEW_YORK, start=time(2, 15), end=time(4)) == utc(2024, 3, 10, 7, 0)


def test_fall_back_ambiguous_opening_is_its_first_occurrence() -> None:
    due = utc(2024, 10, 27, 0, 0)  # 02:00 CEST; 02:00–03:00 happens twice this night
    assert deliver(due, zone=BERLIN, start=time(2, 30), end=time(20)) == utc(2024, 10, 27, 0, 30)


def test_fall_back_repeated_hour_is_inside_both_times() -> None:
    def night(due: datetime) -> datetime:
        return deliver(due, zone=BERLIN, start=time(22), end=time(2, 30))

    first_pass = utc(2024, 10, 27, 0, 15)  # 02:15 CEST
    assert night(first_pass) == first_pass
    # 02:45 CEST is outside; the clock returns to 02:00 (CET) at 01:00 UTC, back inside.
    assert night(utc(2024, 10, 27, 0, 45)) == utc(2024, 10, 27, 1, 0)
    second_pass = utc(2024, 10, 27, 1, 20)  # 02:20 CET
    assert night(second_pass) == second_pass
    # 02:30 CET closes it for good; the next window opens at 22:00 CET.
    assert night(utc(2024, 10, 27, 1, 30)) == utc(2024, 10, 27, 21, 0)


def test_fall_back_in_new_york_keeps_local_opening_hour() -> None:
    saturday_late = utc(2024, 11, 3, 3, 0)  # Sat 23:00 EDT; Sunday is back on EST
    assert deliver(saturday_late, zone=NEW_YORK) == utc(2024, 11, 3, 15, 0)  # 10:00 EST


def test_change_in_the_middle_of_an_hour_is_found_to_the_second() -> None:
    # Lord Howe moves its clocks by half an hour: 02:00 (+10:30) → 02:30 (+11) at 15:30 UTC on
    # 5 October 2024, between two points of the six-hour grid.
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    due = utc(2024, 10, 5, 14, 0)
    assert deliver(due, zone=lord_howe, start=time(2, 15), end=time(5)) == utc(2024, 10, 5, 15, 30)
    assert deliver(due, zone=lord_howe, start=time(2, 45), end=time(5)) == utc(2024, 10, 5, 15, 45)
    assert deliver(due, zone=lord_howe, start=time(1, 50), end=time(5)) == utc(2024, 10, 5, 15, 20)


# --- wall times to instants -------------------------------------------------------------------


def test_first_instant_at_ordinary_time() -> None:
    assert first_instant_at(datetime(2026, 3, 4, 10, 0), MOSCOW) == utc(2026, 3, 4, 7, 0)


def test_first_instant_at_nonexistent_time_is_the_jump() -> None:
    assert first_instant_at(datetime(2024, 3, 31, 2, 30), BERLIN) == utc(2024, 3, 31, 1, 0)


def test_first_instant_at_ambiguous_time_is_the_first_occurrence() -> None:
    assert first_instant_at(datetime(2024, 10, 27, 2, 30), BERLIN) == utc(2024, 10, 27, 0, 30)


def test_first_instant_at_needs_a_naive_wall_time() -> None:
    with pytest.raises(ValueError, match="naive"):
        first_instant_at(datetime(2026, 3, 4, tzinfo=UTC), MOSCOW)


# --- availability -----------------------------------------------------------------------------


def test_availability_defaults_to_ten_to_eight_every_day() -> None:
    person = Availability(MOSCOW)
    assert (person.days, person.start, person.end) == (DEFAULT_DAYS, time(10), time(20))
    assert person.next_delivery(utc(2026, 3, 8, 18, 0)) == utc(2026, 3, 9, 7, 0)


def test_availability_opening_on_ignores_working_days() -> None:
    person = Availability(BERLIN, days=frozenset({1}), start=time(9))
    assert person.opening_on(date(2024, 3, 31)) == utc(2024, 3, 31, 7, 0)  # Sunday, CEST


def test_availability_validates_its_days() -> None:
    with pytest.raises(ValueError, match="working day"):
        Availability(MOSCOW, days=frozenset())


# --- reminders noticed late -------------------------------------------------------------------

MOSCOW_OFFICE = Availability(MOSCOW, WEEKDAYS, time(10), time(19))


def test_an_overdue_reminder_noticed_on_saturday_evening_waits_for_monday_morning() -> None:
    due = utc(2026, 3, 13, 7, 0)  # Friday 10:00 in Moscow
    saturday_evening = utc(2026, 3, 14, 17, 21)  # 20:21 in Moscow
    assert catch_up_time(MOSCOW_OFFICE, due, saturday_evening) == utc(2026, 3, 16, 7, 0)


def test_an_overdue_reminder_noticed_inside_the_window_goes_at_once() -> None:
    due = utc(2026, 3, 13, 7, 0)
    monday_noon = utc(2026, 3, 16, 9, 0)
    assert catch_up_time(MOSCOW_OFFICE, due, monday_noon) == monday_noon


def test_a_reminder_a_little_late_keeps_its_time_even_past_the_window() -> None:
    due = utc(2026, 3, 13, 15, 59)  # 18:59 in Moscow, the window closes at 19:00
    assert catch_up_time(MOSCOW_OFFICE, due, due + timedelta(minutes=14)) == due
    late = due + LATE_GRACE + timedelta(seconds=1)
    assert catch_up_time(MOSCOW_OFFICE, due, late) == utc(2026, 3, 16, 7, 0)


def test_a_reminder_not_yet_due_keeps_its_time() -> None:
    due = utc(2026, 3, 14, 12, 0)  # Saturday: planned outside hours by hand, not our business
    assert catch_up_time(MOSCOW_OFFICE, due, due - timedelta(hours=1)) == due
