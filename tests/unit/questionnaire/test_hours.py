"""Working hours in the forms people actually type, and the errors for impossible ones."""

from __future__ import annotations

from datetime import time

import pytest

from bot.questionnaire.answers import AnswerError, ErrorCode
from bot.questionnaire.hours import ROUND_THE_CLOCK, Hours, parse_hours


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        ("10-19", time(10), time(19)),
        ("10 – 19", time(10), time(19)),
        ("с 10 до 19", time(10), time(19)),
        ("С 10 ДО 19.", time(10), time(19)),
        ("10:00–19:00", time(10), time(19)),
        ("10.00-19.00", time(10), time(19)),
        ("9.30–18", time(9, 30), time(18)),
        ("с 9:30 до 18:45", time(9, 30), time(18, 45)),
        ("10ч-19ч", time(10), time(19)),
        ("9am-6pm", time(9), time(18)),
        ("9 a.m. – 6 p.m.", time(9), time(18)),
        ("from 9:30am to 5:30pm", time(9, 30), time(17, 30)),
        ("12pm-8pm", time(12), time(20)),
        ("1-5pm", time(13), time(17)),
        ("9-6pm", time(9), time(18)),
        ("с 9 утра до 9 вечера", time(9), time(21)),
        ("с 2 до 6 дня", time(14), time(18)),
        ("с 9 до 6", time(9), time(18)),
        ("22-6", time(22), time(6)),
        ("с 8 вечера до 2 ночи", time(20), time(2)),
        ("с 15 дня до 18 вечера", time(15), time(18)),
        ("с 11 ночи до 7 утра", time(23), time(7)),
        ("с 12 дня до 12 ночи", time(12), time(0)),
        ("10-24", time(10), time(0)),
    ],
)
def test_ranges(raw: str, start: time, end: time) -> None:
    assert parse_hours(raw) == Hours(start, end)


@pytest.mark.parametrize(
    "raw",
    ["круглосуточно", "Круглые сутки", "24/7", "24 на 7", "в любое время", "0-24", "00:00–24:00"],
)
def test_round_the_clock(raw: str) -> None:
    hours = parse_hours(raw)
    assert hours == ROUND_THE_CLOCK
    assert isinstance(hours, Hours) and hours.all_day


@pytest.mark.parametrize(
    ("raw", "code", "value"),
    [
        ("25-30", ErrorCode.BAD_TIME, "25"),
        ("10-25", ErrorCode.BAD_TIME, "25"),
        ("10:75-19", ErrorCode.BAD_TIME, "10:75"),
        ("24-10", ErrorCode.BAD_TIME, "24"),
        ("10-24:30", ErrorCode.BAD_TIME, "24:30"),
        ("13pm-15pm", ErrorCode.BAD_TIME, "13"),
        ("9am-13pm", ErrorCode.BAD_TIME, "13"),
        ("10-24 вечера", ErrorCode.BAD_TIME, "24"),
        ("10-10", ErrorCode.SAME_START_END, None),
        ("с 9 до 9:00", ErrorCode.SAME_START_END, None),
        ("10", ErrorCode.BAD_HOURS, None),
        ("днём", ErrorCode.BAD_HOURS, None),
        ("10-19, 20-22", ErrorCode.BAD_HOURS, None),
        ("", ErrorCode.EMPTY, None),
    ],
)
def test_errors(raw: str, code: ErrorCode, value: str | None) -> None:
    result = parse_hours(raw)
    assert isinstance(result, AnswerError)
    assert result.code is code
    assert result.params.get("value") == value


def test_contains() -> None:
    day = Hours(time(10), time(19))
    assert day.contains(time(10)) and day.contains(time(18, 59))
    assert not day.contains(time(19)) and not day.contains(time(9, 59))
    night = Hours(time(22), time(6))
    assert night.overnight and not day.overnight
    assert night.contains(time(23)) and night.contains(time(2)) and not night.contains(time(12))
    assert ROUND_THE_CLOCK.contains(time(3, 33))


@pytest.mark.parametrize(
    "hours", [Hours(time(9, 30), time(18)), Hours(time(22), time(6)), ROUND_THE_CLOCK]
)
def test_json_round_trip(hours: Hours) -> None:
    stored = hours.to_json()
    assert set(stored) == {"start", "end"}
    assert Hours.from_json(stored) == hours
