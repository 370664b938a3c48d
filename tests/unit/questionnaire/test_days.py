"""Working days typed in Russian or English, and the keys a day picker sends."""

from __future__ import annotations

import pytest

from bot.questionnaire.answers import AnswerError, ErrorCode
from bot.questionnaire.days import DAY_KEYS, parse_day_keys, parse_days

WEEKDAYS = [0, 1, 2, 3, 4]
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("пн-пт", WEEKDAYS),
        ("Пн – Пт", WEEKDAYS),
        ("пн.-пт.", WEEKDAYS),
        ("с понедельника по пятницу", WEEKDAYS),
        ("будни", WEEKDAYS),
        ("по будням", WEEKDAYS),
        ("рабочие дни", WEEKDAYS),
        ("Mon-Fri", WEEKDAYS),
        ("monday to friday", WEEKDAYS),
        ("weekdays", WEEKDAYS),
        ("будни и суббота", [0, 1, 2, 3, 4, 5]),
        ("в будни и по субботам", [0, 1, 2, 3, 4, 5]),
        ("пн, ср, пт", [0, 2, 4]),
        ("Mon, Wed, Fri", [0, 2, 4]),
        ("вторник и четверг", [1, 3]),
        ("по понедельникам и средам", [0, 2]),
        ("по выходным", [5, 6]),
        ("weekends", [5, 6]),
        ("пт-пн", [0, 4, 5, 6]),
        ("каждый день", EVERY_DAY),
        ("ежедневно", EVERY_DAY),
        ("без выходных", EVERY_DAY),
        ("7/7", EVERY_DAY),
        ("every day", EVERY_DAY),
        ("пн, вт, ср, чт, пт, сб, вс", EVERY_DAY),
        ("все дни кроме воскресенья", [0, 1, 2, 3, 4, 5]),
        ("every day except sunday", [0, 1, 2, 3, 4, 5]),
        ("кроме воскресенья", [0, 1, 2, 3, 4, 5]),
        ("будни, кроме среды", [0, 1, 3, 4]),
    ],
)
def test_typed_days(raw: str, expected: list[int]) -> None:
    assert parse_days(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", ErrorCode.EMPTY),
        ("когда как", ErrorCode.BAD_DAYS),
        ("пн-xx", ErrorCode.BAD_DAYS),
        ("будни кроме пн-пт", ErrorCode.BAD_DAYS),
        ("будни кроме когда устал", ErrorCode.BAD_DAYS),
        ("10-19", ErrorCode.BAD_DAYS),
    ],
)
def test_bad_days(raw: str, code: ErrorCode) -> None:
    result = parse_days(raw)
    assert isinstance(result, AnswerError) and result.code is code


def test_day_keys_from_buttons() -> None:
    assert DAY_KEYS[0] == "mon" and len(DAY_KEYS) == 7
    assert parse_day_keys(["sun", "mon", "mon"]) == [0, 6]
    empty = parse_day_keys([])
    assert isinstance(empty, AnswerError) and empty.code is ErrorCode.EMPTY
    forged = parse_day_keys(["пн"])
    assert isinstance(forged, AnswerError) and forged.code is ErrorCode.UNKNOWN_OPTION
