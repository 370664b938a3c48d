"""Turning what a person sends for a question into a stored answer, or saying what is wrong.

`parse_answer` reads typed text, `parse_selection` reads the option keys a keyboard sends, and
`skip` records an explicit skip. All of them return a JSON-able `ParsedAnswer` (shapes are listed
in `answers.py`) or an `AnswerError` code with parameters for the i18n catalog.

Numbers go through the project's one number parser (`bot.numbers`) and time zones through
`bot.timezones`; this module must not grow its own. It never produces text for a person.

An amount that was not typed as plain digits («тысяч двадцать», «20к», "two thousand") and an aim
typed in the person's own words come back with `confirm` set: the dialog shows the reading
(«20 000 ₽ — верно?») and stores it only after a tap.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from bot.goals.aims import read_aim
from bot.numbers import parse_money, read_number
from bot.questionnaire.answers import (
    AnswerError,
    ErrorCode,
    ErrorParam,
    JsonValue,
    ParsedAnswer,
    skip_marker,
)
from bot.questionnaire.catalogue import FREE_TEXT_FALLBACK, AnswerType, Option, Question
from bot.questionnaire.days import parse_day_keys, parse_days
from bot.questionnaire.hours import parse_hours
from bot.timezones import OffsetOutOfRange, parse_zone

#: What people put between several choices when they type them instead of pressing buttons.
_CHOICE_SEPARATORS = re.compile(r"\s*(?:[,;+\n]|\s(?:и|and|&)\s)\s*")
#: How long a piece of the user's own text may be when it is echoed back in an error.
_ECHO_LENGTH = 40


def parse_answer(question: Question, raw: str) -> ParsedAnswer | AnswerError:
    text = raw.strip()
    if not text:
        return AnswerError(ErrorCode.EMPTY)
    match question.type:
        case AnswerType.TEXT:
            return _text(question, text)
        case AnswerType.NUMBER:
            return _number(question, text)
        case AnswerType.MONEY:
            return _money(question, text)
        case AnswerType.SINGLE_CHOICE | AnswerType.MULTI_CHOICE:
            return _typed_choice(question, text)
        case AnswerType.DAYS:
            return _wrap(parse_days(text))
        case AnswerType.HOURS:
            hours = parse_hours(text)
            if isinstance(hours, AnswerError):
                return hours
            stored: dict[str, JsonValue] = {**hours.to_json()}
            return ParsedAnswer(stored)
        case AnswerType.TIMEZONE:
            return _timezone(text)


def parse_selection(question: Question, keys: Iterable[str]) -> ParsedAnswer | AnswerError:
    """Keys from buttons. Never trusted: callback data can be forged or outlive a catalogue edit."""
    chosen = list(dict.fromkeys(keys))
    if not chosen:  # a tap question: the way out is a tick (or Skip), not typing
        code = ErrorCode.NOTHING_TICKED_OPTIONAL if question.optional else ErrorCode.NOTHING_TICKED
        return AnswerError(code)
    if question.type is AnswerType.DAYS:
        return _wrap(parse_day_keys(chosen))
    if not question.type.is_choice:
        raise ValueError(f"question {question.key!r} is answered by typing, not by buttons")
    options = []
    for key in chosen:
        option = question.option(key)
        if option is None:
            return AnswerError(ErrorCode.UNKNOWN_OPTION, {"value": _echo(key)})
        options.append(option)
    return _choice_value(question, options)


def skip(question: Question) -> ParsedAnswer | AnswerError:
    if not question.optional:
        return AnswerError(ErrorCode.REQUIRED)
    return ParsedAnswer(skip_marker())


def _text(question: Question, text: str) -> ParsedAnswer | AnswerError:
    if len(text) > question.max_length:
        return AnswerError(
            ErrorCode.TOO_LONG, {"max_length": question.max_length, "length": len(text)}
        )
    return ParsedAnswer(text)


def _number(question: Question, text: str) -> ParsedAnswer | AnswerError:
    reading = read_number(text)
    if reading is None or not math.isfinite(reading.value):
        return AnswerError(ErrorCode.NOT_A_NUMBER)
    bounded = _bounded(question, reading.value)
    if isinstance(bounded, AnswerError) or reading.literal:
        return bounded
    return ParsedAnswer(bounded.value, confirm=True)


def _money(question: Question, text: str) -> ParsedAnswer | AnswerError:
    checked = _number(question, text)
    if isinstance(checked, AnswerError):
        return checked
    money = parse_money(text)
    currency = (money.currency if money else None) or question.currency
    return ParsedAnswer({"amount": checked.value, "currency": currency}, confirm=checked.confirm)


def _bounded(question: Question, value: float) -> ParsedAnswer | AnswerError:
    low, high = question.min, question.max
    if value < 0 and (low is None or low >= 0):
        return AnswerError(ErrorCode.NEGATIVE)
    if question.integer and not value.is_integer():
        return AnswerError(ErrorCode.NOT_WHOLE)
    if low is not None and value < low:
        return AnswerError(ErrorCode.TOO_SMALL, {"min": _plain(low)})
    if high is not None and value > high:
        return AnswerError(ErrorCode.TOO_LARGE, {"max": _plain(high)})
    return ParsedAnswer(_plain(value))


def _typed_choice(question: Question, text: str) -> ParsedAnswer | AnswerError:
    """Typed instead of pressed: accept an option's key or label, nothing fuzzier — except for a
    free-text choice, where anything else is the person's own words, mapped to an option."""
    whole = _find_option(question, text)
    if whole is not None:
        return _choice_value(question, [whole])
    if question.free_text:
        return _own_words(question, text)
    pieces = [piece for piece in _CHOICE_SEPARATORS.split(text) if piece]
    if len(pieces) > 1 and question.type is AnswerType.SINGLE_CHOICE:
        return AnswerError(ErrorCode.ONE_OPTION_ONLY)
    options = []
    for piece in pieces:
        option = _find_option(question, piece)
        if option is None:
            return AnswerError(ErrorCode.UNKNOWN_OPTION, {"value": _echo(piece)})
        options.append(option)
    return _choice_value(question, options)


def _own_words(question: Question, text: str) -> ParsedAnswer | AnswerError:
    """«закрыть склад до переезда» → sell_stock, proposed back; words naming nothing → other."""
    if len(text) > question.max_length:
        return AnswerError(
            ErrorCode.TOO_LONG, {"max_length": question.max_length, "length": len(text)}
        )
    words = " ".join(text.split())
    if not any(char.isalpha() for char in words):  # «123», «🙂»: no words to keep
        return AnswerError(ErrorCode.UNKNOWN_OPTION, {"value": _echo(words)})
    mapped = read_aim(words).aim
    key = mapped if question.option(mapped) is not None else FREE_TEXT_FALLBACK
    return ParsedAnswer(key, confirm=True, words=words)


def _choice_value(question: Question, options: list[Option]) -> ParsedAnswer | AnswerError:
    if question.type is AnswerType.SINGLE_CHOICE:
        if len(options) > 1:
            return AnswerError(ErrorCode.ONE_OPTION_ONLY)
        return ParsedAnswer(options[0].key)
    chosen = {option.key for option in options}
    ordered: list[JsonValue] = [key for key in question.option_keys if key in chosen]
    return ParsedAnswer(ordered)


def _find_option(question: Question, text: str) -> Option | None:
    wanted = _fold(text)
    for option in question.options:
        if wanted in (option.key, _fold(option.label.ru), _fold(option.label.en)):
            return option
    return None


def _timezone(text: str) -> ParsedAnswer | AnswerError:
    try:
        zone = parse_zone(text)
    except OffsetOutOfRange:
        return AnswerError(ErrorCode.BAD_TIMEZONE)
    if zone is None:
        return AnswerError(ErrorCode.BAD_TIMEZONE)
    return ParsedAnswer(zone)


def _wrap(days: list[int] | AnswerError) -> ParsedAnswer | AnswerError:
    if isinstance(days, AnswerError):
        return days
    stored: list[JsonValue] = list(days)
    return ParsedAnswer(stored)


def _plain(value: float) -> int | float:
    """Whole numbers are stored and shown as integers: 1200, not 1200.0."""
    return int(value) if value.is_integer() else value


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def _echo(text: str) -> ErrorParam:
    return text if len(text) <= _ECHO_LENGTH else text[: _ECHO_LENGTH - 1] + "…"
