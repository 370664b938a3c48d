"""Working days as people type them («пн-пт», «будни и суббота», "Mon, Wed, Fri", «каждый день»).

Returns weekday numbers as `date.weekday()` counts them (0 = Monday), sorted and unique — the
same list the user profile stores — or an `AnswerError`. It never produces text for a person.
Buttons send the keys in `DAY_KEYS` ("mon" … "sun"), which this parser reads like typed names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.questionnaire.answers import AnswerError, ErrorCode

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_DAY_PATTERNS = (
    r"пн|пон|понед\w*|mo|mon|mondays?",
    r"вт|втор\w*|tu|tue|tues|tuesdays?",
    r"ср|сред\w*|we|wed|wednesdays?",
    r"чт|чет|четв\w*|th|thu|thur|thurs|thursdays?",
    r"пт|пят\w*|fr|fri|fridays?",
    r"сб|суб\w*|sa|sat|saturdays?",
    r"вс|вск|воскр\w*|su|sun|sundays?",
)
_DAYS = tuple(re.compile(rf"^(?:{pattern})$") for pattern in _DAY_PATTERNS)
_WEEKDAYS = frozenset({0, 1, 2, 3, 4})
_WEEKEND = frozenset({5, 6})
_ALL = frozenset(range(7))
#: Phrases read as one word before the text is split, longest first.
_PHRASES = (
    ("7 дней в неделю", "ежедневно"),
    ("без выходных", "ежедневно"),
    ("каждый день", "ежедневно"),
    ("все дни", "ежедневно"),
    ("7/7", "ежедневно"),
    ("every day", "ежедневно"),
    ("all week", "ежедневно"),
    ("рабочие дни", "будни"),
)
_GROUP_WORDS: dict[str, frozenset[int]] = {
    "ежедневно": _ALL,
    "daily": _ALL,
    "everyday": _ALL,
    "будни": _WEEKDAYS,
    "будням": _WEEKDAYS,
    "будние": _WEEKDAYS,
    "weekdays": _WEEKDAYS,
    "выходные": _WEEKEND,
    "выходным": _WEEKEND,
    "weekends": _WEEKEND,
    "weekend": _WEEKEND,
}
_FILLER = frozenset(
    {"и", "а", "также", "and", "в", "во", "on", "по", "only", "только", "дни", "days"}
)
_EXCEPT = re.compile(r"(?:^|,?\s+)(?:кроме|except|but not)\s+")
_WORDY_RANGE = re.compile(r"(?:(?:с|со|from)\s+)?(\w+)\s+(?:по|до|to|till|until|through)\s+(\w+)")


def parse_days(raw: str) -> list[int] | AnswerError:
    text = _normalise(raw)
    if not text:
        return AnswerError(ErrorCode.EMPTY)
    included, excluded = _split_except(text)
    days = _read(included) if included else _ALL  # «кроме воскресенья» = every other day
    if not days:
        return AnswerError(ErrorCode.BAD_DAYS)
    if excluded is not None:
        removed = _read(excluded)
        if not removed or not days - removed:
            return AnswerError(ErrorCode.BAD_DAYS)
        days -= removed
    return sorted(days)


def parse_day_keys(keys: Iterable[str]) -> list[int] | AnswerError:
    """The keys a day-picker keyboard sends; anything else is an error, not a guess."""
    days = set()
    for key in keys:
        if key not in DAY_KEYS:
            return AnswerError(ErrorCode.UNKNOWN_OPTION, {"value": key})
        days.add(DAY_KEYS.index(key))
    if not days:
        return AnswerError(ErrorCode.EMPTY)
    return sorted(days)


def _split_except(text: str) -> tuple[str, str | None]:
    parts = _EXCEPT.split(text, maxsplit=1)
    if len(parts) == 1:
        return text, None
    return parts[0].strip(), parts[1].strip()


def _read(text: str) -> frozenset[int]:
    """Every day the text names; empty when any word is not a day, a group or filler."""
    for phrase, word in _PHRASES:
        text = text.replace(phrase, word)
    text = _WORDY_RANGE.sub(_wordy_range, text)
    text = re.sub(r"\s*-\s*", "-", text)
    days: set[int] = set()
    for token in re.split(r"[\s,;+&/]+", text):
        if not token or token in _FILLER:
            continue
        found = _token(token)
        if found is None:
            return frozenset()
        days |= found
    return frozenset(days)


def _wordy_range(match: re.Match[str]) -> str:
    """«с понедельника по пятницу» → «понедельника-пятницу», only when both ends are days."""
    first, last = match.group(1), match.group(2)
    if _day(first) is None or _day(last) is None:
        return match.group(0)
    return f"{first}-{last}"


def _token(token: str) -> frozenset[int] | None:
    if token in _GROUP_WORDS:
        return _GROUP_WORDS[token]
    if "-" in token:
        first, _, last = token.partition("-")
        start, end = _day(first), _day(last)
        if start is None or end is None:
            return None
        length = (end - start) % 7 + 1  # «пт-пн» wraps over the weekend
        return frozenset((start + step) % 7 for step in range(length))
    day = _day(token)
    return None if day is None else frozenset({day})


def _day(word: str) -> int | None:
    word = word.rstrip(".")
    return next((index for index, pattern in enumerate(_DAYS) if pattern.match(word)), None)


def _normalise(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip().lower().replace("ё", "е")
    text = re.sub(r"[‐-―−]", "-", text)
    return re.sub(r"\s+", " ", text).strip(" .!")
