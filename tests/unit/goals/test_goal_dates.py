"""The date resolver (docs/goal-spec.md §5): phrases, clamping, time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.goals import local_today, resolve_deadline
from bot.goals.dates import TimeKind, add_months, scan_time

SUNDAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("phrase", "today", "deadline"),
    [
        ("к концу недели", SUNDAY, date(2026, 11, 22)),
        ("до конца недели", date(2026, 11, 23), date(2026, 11, 29)),
        ("by the end of the week", date(2026, 11, 25), date(2026, 11, 29)),
        ("в этом месяце", SUNDAY, date(2026, 11, 30)),
        ("в следующем месяце", SUNDAY, date(2026, 12, 31)),
        ("до конца квартала", date(2026, 7, 1), date(2026, 9, 30)),
        ("в следующем квартале", SUNDAY, date(2027, 3, 31)),
        ("by end of Q3", SUNDAY, date(2027, 9, 30)),
        ("в 4 квартале", SUNDAY, date(2026, 12, 31)),
        ("до конца года", SUNDAY, date(2026, 12, 31)),
        ("к НГ", SUNDAY, date(2026, 12, 31)),
        ("by Christmas", date(2026, 12, 26), date(2027, 12, 25)),
        ("к 23 февраля", SUNDAY, date(2027, 2, 23)),
        ("до 05.12", SUNDAY, date(2026, 12, 5)),
        ("by April 15th", SUNDAY, date(2027, 4, 15)),
        ("к 1 марта 2028", SUNDAY, date(2028, 3, 1)),
        ("к середине февраля", SUNDAY, date(2027, 2, 15)),
        ("к первому числу", SUNDAY, date(2026, 12, 1)),
        ("в апреле", SUNDAY, date(2027, 4, 30)),
        ("за ноябрь", SUNDAY, date(2026, 11, 30)),
        ("к марту", SUNDAY, date(2027, 3, 1)),
        ("by March", date(2027, 3, 1), date(2028, 3, 1)),
        ("к лету", SUNDAY, date(2027, 6, 1)),
        ("к зиме", SUNDAY, date(2026, 12, 1)),
        ("до конца осени", SUNDAY, date(2026, 11, 30)),
        ("до конца лета", SUNDAY, date(2027, 8, 31)),
        ("к среде", SUNDAY, date(2026, 11, 25)),
        ("by Sunday", SUNDAY, date(2026, 11, 29)),
        ("за 2 недели", date(2026, 11, 1), date(2026, 11, 15)),
        ("за две недели", date(2026, 11, 1), date(2026, 11, 15)),
        ("within 10 days", SUNDAY, date(2026, 12, 2)),
        ("за полгода", SUNDAY, date(2027, 5, 22)),
        ("за квартал", SUNDAY, date(2027, 2, 22)),
        ("за год", SUNDAY, date(2027, 11, 22)),
        ("в течение месяца", date(2027, 1, 31), date(2027, 2, 28)),
        ("за месяц", date(2028, 1, 31), date(2028, 2, 29)),
        ("завтра", SUNDAY, date(2026, 11, 23)),
        ("tomorrow", SUNDAY, date(2026, 11, 23)),
        ("выйти на 50 заявок в месяц к марту", SUNDAY, date(2027, 3, 1)),
    ],
)
def test_phrases(phrase: str, today: date, deadline: date) -> None:
    assert resolve_deadline(phrase, today) == deadline


@pytest.mark.parametrize(
    "phrase",
    ["в месяц", "ежемесячно", "25 leads a week", "товар висит с весны", "в прошлом году", "хочу"],
)
def test_rates_and_the_past_are_not_deadlines(phrase: str) -> None:
    assert resolve_deadline(phrase, SUNDAY) is None


def test_the_past_and_rates_are_reported_as_such() -> None:
    kinds = {m.kind for m in scan_time("в прошлом году было 90, хотим 30 в месяц", SUNDAY).mentions}
    assert kinds == {TimeKind.PAST, TimeKind.RATE}


def test_a_start_date_is_not_the_deadline() -> None:
    assert resolve_deadline("с 1 декабря до 31 декабря", SUNDAY) == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 11, 22), 12, date(2027, 11, 22)),
    ],
)
def test_add_months_clamps_to_the_last_day(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_local_today_converts_the_clock_to_the_zone_first() -> None:
    instant = datetime(2026, 6, 30, 21, 10, tzinfo=UTC)
    today = local_today("Asia/Novosibirsk", instant)
    assert today == date(2026, 7, 1)
    assert resolve_deadline("до конца квартала", today) == date(2026, 9, 30)
    assert local_today("UTC", instant) == date(2026, 6, 30)
