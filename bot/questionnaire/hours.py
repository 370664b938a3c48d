"""Working hours as people type them («10-19», «с 9:30 до 18», "9am-6pm", «круглосуточно»).

One parser for every place that asks for hours (onboarding and the questionnaire), so "when may
the bot write to this person" means the same thing everywhere. It returns an `Hours` value or an
`AnswerError`; it never produces text for a person.

Conventions (also the stored shape, see `answers.py`): end before start runs past midnight
(«22-6»); start equal to end means round the clock — typed equal times are an error, only the
round-the-clock words and «0-24» produce it. A day-time reading wins where people mean one:
«с 9 до 6» is 9:00–18:00, "9-6pm" is 9am–6pm.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time

from bot.questionnaire.answers import AnswerError, ErrorCode

_ALL_DAY = re.compile(
    r"^(?:круглосуточно|круглые сутки|все время|всегда|в любое время|24 часа"
    r"|24 ?(?:/|x|х|на) ?7|round the clock|around the clock|24 hours|any ?time|always)$"
)
_MERIDIEM = r"a\.?m\.?|p\.?m\.?|утра|дня|вечера|ночи"
_TIME = rf"(\d{{1,2}})(?:[:.](\d{{2}}))?\s*(?:ч\.?|часов|часа|час|hrs|hr|h)?\s*({_MERIDIEM})?"
_RANGE = re.compile(
    rf"^(?:с|from)?\s*{_TIME}\s*(?:-|до|по|to|till|until|through)\s*{_TIME}\s*[.!]*$"
)


@dataclass(frozen=True, slots=True)
class Hours:
    start: time
    end: time

    @property
    def all_day(self) -> bool:
        return self.start == self.end

    @property
    def overnight(self) -> bool:
        return self.end < self.start

    def contains(self, moment: time) -> bool:
        """Whether a local wall-clock time falls inside; the end itself is outside."""
        if self.all_day:
            return True
        if self.overnight:
            return moment >= self.start or moment < self.end
        return self.start <= moment < self.end

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.strftime("%H:%M"), "end": self.end.strftime("%H:%M")}

    @classmethod
    def from_json(cls, value: Mapping[str, str]) -> Hours:
        return cls(time.fromisoformat(value["start"]), time.fromisoformat(value["end"]))


ROUND_THE_CLOCK = Hours(time(0), time(0))


@dataclass(frozen=True, slots=True)
class _Typed:
    hour: int
    minute: int
    meridiem: str | None
    text: str


def parse_hours(raw: str) -> Hours | AnswerError:
    text = _normalise(raw)
    if not text:
        return AnswerError(ErrorCode.EMPTY)
    if _ALL_DAY.match(text):
        return ROUND_THE_CLOCK
    match = _RANGE.match(text)
    if match is None:
        return AnswerError(ErrorCode.BAD_HOURS)
    first = _typed(match.group(1), match.group(2), match.group(3))
    last = _typed(match.group(4), match.group(5), match.group(6))
    for typed in (first, last):
        if typed.hour > 24 or typed.minute > 59 or (typed.hour == 24 and typed.minute):
            return AnswerError(ErrorCode.BAD_TIME, {"value": typed.text})
    if first.hour == 24:
        return AnswerError(ErrorCode.BAD_TIME, {"value": first.text})
    if (first.hour, first.minute, first.meridiem) == (0, 0, None) and last.text in ("24", "24:00"):
        return ROUND_THE_CLOCK
    return _resolve(first, last)


def _resolve(first: _Typed, last: _Typed) -> Hours | AnswerError:
    start_hour = _to_24h(first.hour, first.meridiem)
    if start_hour is None:
        return AnswerError(ErrorCode.BAD_TIME, {"value": first.text})
    end_hour = _to_24h(last.hour, last.meridiem)
    if end_hour is None:
        return AnswerError(ErrorCode.BAD_TIME, {"value": last.text})
    if first.meridiem is None and last.meridiem is not None:
        # "1-5pm": the start shares the end's half of the day when that keeps the range forward.
        shared = _to_24h(first.hour, last.meridiem)
        if shared is not None and (shared, first.minute) < (end_hour, last.minute):
            start_hour = shared
    elif (
        first.meridiem is None
        and last.meridiem is None
        and start_hour < 12
        and end_hour < 12
        and (end_hour, last.minute) < (start_hour, first.minute)
    ):
        end_hour += 12  # «с 9 до 6»: people mean the working day, not a 21-hour night shift
    start, end = time(start_hour % 24, first.minute), time(end_hour % 24, last.minute)
    if start == end:
        return AnswerError(ErrorCode.SAME_START_END)
    return Hours(start, end)


def _typed(hour: str, minute: str | None, meridiem: str | None) -> _Typed:
    text = f"{hour}:{minute}" if minute else hour
    marker = meridiem.replace(".", "") if meridiem else None
    return _Typed(int(hour), int(minute or 0), marker, text)


def _to_24h(hour: int, meridiem: str | None) -> int | None:
    """A 12-hour reading to 0..24; None when the hour cannot carry that marker ("13pm")."""
    if meridiem is None:
        return hour
    if meridiem in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None
        return (hour % 12) + (12 if meridiem == "pm" else 0)
    if hour > 12:
        return hour if hour < 24 else None  # «18 вечера» is redundant, not wrong
    if meridiem == "утра":
        return hour
    if meridiem == "дня":
        return hour + 12 if hour < 7 else hour
    if meridiem == "вечера":
        return (hour + 12) % 24
    return 0 if hour == 12 else (hour + 12 if hour >= 6 else hour)  # ночи


def _normalise(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip().lower().replace("ё", "е")
    text = re.sub(r"[‐-―−]", "-", text)
    text = re.sub(r"\s+", " ", text)
    return text
