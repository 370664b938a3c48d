"""What parsing an answer gives back: a JSON-able value, or an error code with parameters.

Stored answer shapes, by question type (this is the contract for everyone who reads answers):

- text            `str`, trimmed
- number          `int` when whole, else `float` (`1200`, `0.5`)
- money           `{"amount": int | float, "currency": ISO code}` (`bot.numbers.CURRENCIES`: RUB,
                  USD, EUR, KZT, BYN, UAH); the question's default currency when none was written
- single_choice   the option key, `"sell_stock"`; a `free_text` choice typed in words also keeps
                  them, trimmed, under `<key>.words` (`"aim.words"`: «закрыть склад до переезда»)
- multi_choice    option keys in catalogue order, `["vk", "telegram"]`
- days            weekday numbers as `date.weekday()` counts them (0 = Monday), sorted, `[0, 1, 2]`
- hours           `{"start": "HH:MM", "end": "HH:MM"}`; end before start runs past midnight,
                  start equal to end means round the clock (see `hours.Hours`)
- timezone        the `bot.timezones` setting string, an IANA name: `"Europe/Moscow"`, `"Etc/GMT-13"`
- any skipped optional question: the skip marker `{"skipped": true}` (see `is_skipped`)

An `AnswerError` carries no prose: the UI looks up `questionnaire.error.<code>` in the i18n
catalog and formats it with the error's params plus the question's `example`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TypeAlias

JsonValue: TypeAlias = str | int | float | bool | list["JsonValue"] | dict[str, "JsonValue"] | None
ErrorParam: TypeAlias = str | int | float

_SKIP_KEY = "skipped"


class ErrorCode(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    NOT_WHOLE = "not_whole"
    TOO_SMALL = "too_small"
    TOO_LARGE = "too_large"
    UNKNOWN_OPTION = "unknown_option"
    ONE_OPTION_ONLY = "one_option_only"
    BAD_HOURS = "bad_hours"
    BAD_TIME = "bad_time"
    SAME_START_END = "same_start_end"
    BAD_DAYS = "bad_days"
    BAD_TIMEZONE = "bad_timezone"
    REQUIRED = "required"
    NOTHING_TICKED = "nothing_ticked"  # «Done» on a tap question with no button ticked
    NOTHING_TICKED_OPTIONAL = "nothing_ticked_optional"


@dataclass(frozen=True, slots=True)
class ParsedAnswer:
    """``confirm``: the reading is not what was literally typed (an amount in words or with a
    suffix, an aim mapped from the person's words), so it is shown back before it is stored.
    ``words``: a free-text choice's own words, stored next to the option key."""

    value: JsonValue
    confirm: bool = False
    words: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerError:
    code: ErrorCode
    params: Mapping[str, ErrorParam] = field(default_factory=lambda: MappingProxyType({}))


def skip_marker() -> dict[str, JsonValue]:
    """A fresh marker each time, so no caller can mutate a shared one."""
    return {_SKIP_KEY: True}


def is_skipped(value: object) -> bool:
    return isinstance(value, dict) and value == {_SKIP_KEY: True}
