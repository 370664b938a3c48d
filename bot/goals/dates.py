"""Resolving the time part of a goal («к концу квартала», "by April 15th", «за 3 недели»).

This is the project's one date resolver (docs/goal-spec.md §5): the goal extractor uses it on
the whole goal text and the dialog uses :func:`resolve_deadline` on a typed deadline. It also
reports where every time expression sits, so the extractor never mistakes «15» in «к 15 марта»
or «3» in «за 3 недели» for a target, and which expressions point to the past («в прошлом году»)
or are only a rate («в месяц»), since neither is a deadline.

Dates are resolved against ``today``, the user's local calendar date. The module never reads the
clock itself: :func:`local_today` converts an explicit UTC instant for callers that start from one.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Final
from zoneinfo import ZoneInfo

from bot.goals.scanning import WordPatterns, word_starts
from bot.numbers import normalize_text, parse_number

__all__ = ["TimeKind", "TimeMention", "TimeScan", "local_today", "resolve_deadline", "scan_time"]


class TimeKind(Enum):
    """What a time expression says about the goal."""

    DEADLINE = "deadline"  # when the goal must be met
    RATE = "rate"  # «в месяц», "per week": a per-period rate, not a date
    PAST = "past"  # «в прошлом году», «с весны»: elapsed time
    START = "start"  # «с 1 декабря»: when work starts, not when it must be done


@dataclass(frozen=True, slots=True)
class TimeMention:
    start: int
    end: int
    kind: TimeKind
    when: date | None
    strength: int  # explicit «к/до/by» dates beat loose ones such as «в апреле»


@dataclass(frozen=True, slots=True)
class TimeScan:
    deadline: date | None
    mentions: tuple[TimeMention, ...]


def local_today(tz: str, now_utc: datetime | None = None) -> date:
    """The user's calendar date: the UTC instant converted to ``tz`` first (spec §5)."""
    instant = now_utc if now_utc is not None else datetime.now(UTC)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(ZoneInfo(tz)).date()


# --- calendar arithmetic --------------------------------------------------------------------


_MONTH_DAYS: Final = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    """``calendar.monthrange(year, month)[1]`` without the weekday it also works out."""
    return _MONTH_DAYS[month] + (month == 2 and calendar.isleap(year))


def _last_day(year: int, month: int) -> date:
    return date(year, month, _days_in_month(year, month))


def add_months(day: date, months: int) -> date:
    """Same day-of-month ``months`` later, clamped to the month's last day (31 Jan + 1 = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _days_in_month(year, month + 1)
    return date(year, month + 1, min(day.day, last))


def _quarter_end(day: date) -> date:
    return _last_day(day.year, ((day.month - 1) // 3 + 1) * 3)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _this_or_next_year(today: date, month: int, day: int) -> date | None:
    """A day written without a year: this year if not already past, else next year."""
    this_year = _safe_date(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    return _safe_date(today.year + 1, month, day)


def _month_end_from(today: date, month: int, year: int | None) -> date:
    """«в апреле» / «до конца апреля»: this year if the month is not before the current one."""
    if year is None:
        year = today.year if month >= today.month else today.year + 1
    return _last_day(year, month)


def _month_start_after(today: date, month: int, year: int | None) -> date:
    """«к марту»: the 1st of that month, the next one strictly after today."""
    if year is not None:
        return date(year, month, 1)
    first = date(today.year, month, 1)
    return first if first > today else date(today.year + 1, month, 1)


# --- vocabulary -----------------------------------------------------------------------------

_MONTHS: Final[tuple[tuple[int, str, str], ...]] = (
    (1, r"январ[а-я]*|янв\b\.?", r"january|jan\b\.?"),
    (2, r"феврал[а-я]*|фев\b\.?", r"february|feb\b\.?"),
    (3, r"март[а-я]*|мар\b\.?", r"march|mar\b\.?"),
    (4, r"апрел[а-я]*|апр\b\.?", r"april|apr\b\.?"),
    (5, r"ма[йяею]\b|маем\b", r"may\b"),
    (6, r"июн[а-я]*", r"june?\b"),
    (7, r"июл[а-я]*", r"july?\b"),
    (8, r"август[а-я]*|авг\b\.?", r"august|aug\b\.?"),
    (9, r"сентябр[а-я]*|сент?\b\.?", r"september|sept?\b\.?"),
    (10, r"октябр[а-я]*|окт\b\.?", r"october|oct\b\.?"),
    (11, r"ноябр[а-я]*|нояб?\b\.?", r"november|nov\b\.?"),
    (12, r"декабр[а-я]*|дек\b\.?", r"december|dec\b\.?"),
)
_MONTH_RES: Final = tuple((month, re.compile(f"{ru}|{en}")) for month, ru, en in _MONTHS)
MONTH: Final = r"(?:" + "|".join(f"{ru}|{en}" for _, ru, en in _MONTHS) + r")"
MONTH_EN: Final = r"(?:" + "|".join(en for _, _ru, en in _MONTHS) + r")"

_SEASONS: Final[tuple[tuple[str, str], ...]] = (
    ("spring", r"весн[а-я]*|spring"),
    ("summer", r"лет[оау]\b|летом|summer"),
    ("autumn", r"осен[а-я]*|fall|autumn"),
    ("winter", r"зим[а-я]*|winter"),
)
_SEASON_RES: Final = tuple((name, re.compile(pattern)) for name, pattern in _SEASONS)
SEASON: Final = r"(?:" + "|".join(pattern for _, pattern in _SEASONS) + r")"
_SEASON_START: Final = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
_SEASON_LAST_MONTH: Final = {"spring": 5, "summer": 8, "autumn": 11, "winter": 2}

_WEEKDAYS: Final = (
    r"понедельник[а-я]*|monday",
    r"вторник[а-я]*|tuesday",
    r"сред[уыа]\b|(?<=к )среде\b|wednesday",
    r"четверг[а-я]*|thursday",
    r"пятниц[а-я]*|friday",
    r"суббот[а-я]*|saturday",
    r"воскресень[а-я]*|sunday",
)
_WEEKDAY_PREFIXES: Final = (
    ("пон", "mon"),
    ("вт", "tue"),
    ("ср", "wed"),
    ("чет", "thu"),
    ("пят", "fri"),
    ("суб", "sat"),
    ("вос", "sun"),
)
WEEKDAY: Final = r"(?:" + "|".join(_WEEKDAYS) + r")"

_QUARTER_WORDS: Final = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4}
_QUARTER_WORDS_EN: Final = {"first": 1, "second": 2, "third": 3, "fourth": 4}

# Small number words that can count days, weeks and months («за две недели», "in two weeks").
_COUNT_WORDS: Final = (
    r"одн[аоуйиг][а-я]*|один|два|две|двух|три|трех|четыре|четырех|пять|пяти|шесть|шести|семь|семи"
    r"|восемь|восьми|девять|девяти|десять|десяти|одиннадцать|двенадцать|двенадцати|пятнадцать"
    r"|двадцать|тридцать|сорок|шестьдесят|девяносто|полтора|полторы|полутора|пару|пары|пара"
    r"|a couple of|couple of|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|fifteen|twenty|thirty|sixty|ninety"
)
_COUNT: Final = (
    r"(?P<n>\d{1,3}(?:[.,]\d+)?(?:\s?-\s?(?P<n2>\d{1,3}))?(?:-?(?:х|и|ти|ми|ух|ех|ох|ого|ой))?"
    r"|(?:" + _COUNT_WORDS + r")\b)"
)

# The words of _START_BEFORE_RE, to skip it cheaply when the text before a date ends otherwise.
_START_WORDS: Final = (
    *("с", "со", "от", "from", "since", "starting", "starting from", "starting on"),
    *("starting in", "начиная с", "после", "after"),
)
_START_BEFORE_RE: Final = re.compile(
    r"(?:\bс|\bсо|\bот|\bfrom|\bsince|\bstarting(?: from| on| in)?|\bначиная с|\bпосле|\bafter)"
    r"\s*$"
)
_PAST_AFTER_RE: Final = re.compile(r"^[^.;!?]{0,20}?\b(?:было|был[аои]?|had|was|were)\b")


def _month_of(text: str) -> int:
    return next(month for month, pattern in _MONTH_RES if pattern.match(text))


def _season_of(text: str) -> str:
    return next(name for name, pattern in _SEASON_RES if pattern.match(text))


def _weekday_of(text: str) -> int:
    return next(i for i, prefixes in enumerate(_WEEKDAY_PREFIXES) if text.startswith(prefixes))


def _year_of(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


# --- rules ----------------------------------------------------------------------------------

_Hit = tuple[TimeKind, date | None, int]
_Resolver = Callable[[re.Match[str], date], _Hit | None]

_STRONG, _LOOSE = 3, 2


def _deadline(when: date | None, strength: int = _STRONG) -> _Hit | None:
    return None if when is None else (TimeKind.DEADLINE, when, strength)


def _day_month(m: re.Match[str], today: date) -> _Hit | None:
    day = int(m.group("day"))
    month = _month_of(m.group("mon"))
    year = _year_of(m.group("year"))
    when = _safe_date(year, month, day) if year else _this_or_next_year(today, month, day)
    return _deadline(when)


def _numeric_date(m: re.Match[str], today: date) -> _Hit | None:
    first, second = int(m.group("day")), int(m.group("mon"))
    day, month = first, second
    if m.group("sep") == "/" and second > 12 >= first:
        day, month = second, first
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    year = _year_of(m.group("year"))
    when = _safe_date(year, month, day) if year else _this_or_next_year(today, month, day)
    return _deadline(when)


def _iso_date(m: re.Match[str], today: date) -> _Hit | None:
    return _deadline(_safe_date(int(m.group("year")), int(m.group("mon")), int(m.group("day"))))


def _mid_month(m: re.Match[str], today: date) -> _Hit | None:
    if m.group("mon"):
        year = _year_of(m.group("year"))
        month = _month_of(m.group("mon"))
        return _deadline(date(year, month, 15) if year else _this_or_next_year(today, month, 15))
    mid = date(today.year, today.month, 15)
    return _deadline(mid if mid >= today else add_months(mid, 1))


def _day_of_month(m: re.Match[str], today: date) -> _Hit | None:
    """«к первому числу» is the 1st of next month; «к 10 числу» the next 10th from today."""
    raw = m.group("dom")
    day = 1 if raw in {"первому", "первого", "first"} else int(re.sub(r"\D", "", raw))
    following = add_months(today.replace(day=1), 1)
    if day == 1 or m.group("next"):
        return _deadline(_safe_date(following.year, following.month, day))
    this_month = _safe_date(today.year, today.month, day)
    if this_month is not None and this_month >= today:
        return _deadline(this_month)
    return _deadline(_safe_date(following.year, following.month, day))


def _period_end(period: str, today: date, shift: int) -> date:
    """End of the week / month / quarter / half / year containing today, ``shift`` periods on."""
    if period.startswith(("нед", "week")):
        return today + timedelta(days=6 - today.weekday() + 7 * shift)
    if period.startswith(("мес", "month")):
        ahead = add_months(today.replace(day=1), shift)
        return _last_day(ahead.year, ahead.month)
    if period.startswith(("квартал", "quarter")):
        return _quarter_end(add_months(today.replace(day=1), 3 * shift))
    if period.startswith(("полугод", "half")):
        ahead = add_months(today.replace(day=1), 6 * shift)
        return _last_day(ahead.year, 6 if ahead.month <= 6 else 12)
    return date(today.year + shift, 12, 31)


_SHORT_PERIODS: Final = {"w": "week", "m": "month", "q": "quarter", "y": "year"}


def _shift_of(modifier: str | None) -> int:
    next_words = ("след", "будущ", "next", "the next", "the following")
    return 1 if modifier and modifier.startswith(next_words) else 0


def _end_of(m: re.Match[str], today: date) -> _Hit | None:
    """«до конца апреля / лета / 2027 года / следующего месяца», "by the end of the quarter"."""
    groups = m.groupdict()
    if groups.get("mon"):
        return _deadline(_month_end_from(today, _month_of(groups["mon"]), _year_of(groups["y"])))
    if groups.get("season"):
        last_month = _SEASON_LAST_MONTH[_season_of(groups["season"])]
        end = _last_day(today.year, last_month)
        return _deadline(end if end >= today else _last_day(today.year + 1, last_month))
    if groups.get("year"):
        return _deadline(date(int(groups["year"]), 12, 31))
    what = _SHORT_PERIODS.get(groups["what"], groups["what"])
    return _deadline(_period_end(what, today, _shift_of(groups.get("mod"))))


def _this_period(m: re.Match[str], today: date) -> _Hit | None:
    return _deadline(_period_end(m.group("period"), today, _shift_of(m.group("mod"))), _LOOSE)


def _quarter(m: re.Match[str], today: date) -> _Hit | None:
    if m.group("q"):
        number = int(m.group("q"))
    elif m.group("qd"):
        number = int(m.group("qd"))
    elif m.group("qw"):
        number = next(v for k, v in _QUARTER_WORDS.items() if m.group("qw").startswith(k))
    else:
        number = _QUARTER_WORDS_EN[m.group("qe")]
    year = _year_of(m.group("year"))
    end = _last_day(year or today.year, number * 3)
    if year is None and end < today:
        end = _last_day(today.year + 1, number * 3)
    return _deadline(end)


def _half_year(m: re.Match[str], today: date) -> _Hit | None:
    key = m.group("h") or m.group("h_ru") or m.group("h_en")
    first = key in {"1", "перв", "first"}
    end = date(today.year, 6, 30) if first else date(today.year, 12, 31)
    if end < today:
        end = end.replace(year=today.year + 1)
    return _deadline(end)


def _by_month(m: re.Match[str], today: date) -> _Hit | None:
    return _deadline(_month_start_after(today, _month_of(m.group("mon")), _year_of(m.group("y"))))


def _in_month(m: re.Match[str], today: date) -> _Hit | None:
    month = _month_of(m.group("mon"))
    return _deadline(_month_end_from(today, month, _year_of(m.group("y"))), _LOOSE)


def _by_season(m: re.Match[str], today: date) -> _Hit | None:
    month = _SEASON_START[_season_of(m.group("season"))]
    return _deadline(_month_start_after(today, month, None))


def _in_season(m: re.Match[str], today: date) -> _Hit | None:
    last_month = _SEASON_LAST_MONTH[_season_of(m.group("season"))]
    end = _last_day(today.year, last_month)
    return _deadline(end if end >= today else _last_day(today.year + 1, last_month), _LOOSE)


def _weekday(m: re.Match[str], today: date) -> _Hit | None:
    ahead = (_weekday_of(m.group("wd")) - today.weekday()) % 7 or 7
    return _deadline(today + timedelta(days=ahead))


def _new_year(m: re.Match[str], today: date) -> _Hit | None:
    return _deadline(date(today.year, 12, 31))


def _christmas(m: re.Match[str], today: date) -> _Hit | None:
    return _deadline(_this_or_next_year(today, 12, 25))


def _by_year(m: re.Match[str], today: date) -> _Hit | None:
    year = int(m.group("year"))
    # «до 2000 подписчиков»: a year already gone by is a count, not a deadline.
    return _deadline(date(year, 1, 1)) if year >= today.year else None


def _in_year(m: re.Match[str], today: date) -> _Hit | None:
    return _deadline(date(int(m.group("year")), 12, 31), _LOOSE)


def _relative_day(m: re.Match[str], today: date) -> _Hit | None:
    word = m.group("rel")
    days = (
        2
        if word.startswith("послезавтра")
        else 0
        if word.startswith(("конц", "end", "eod", "toni"))
        else 1
    )
    return _deadline(today + timedelta(days=days))


def _count_of(m: re.Match[str]) -> float:
    if m.group("n2"):
        return float(m.group("n2"))
    raw = m.group("n")
    if raw is None:
        return 1.0
    if raw.isdecimal():  # plain digits, as parse_number would read them
        return float(raw)
    if "couple" in raw:
        return 2.0
    value = parse_number(raw)
    if value is None:  # "a", "an", "one"
        return 1.0
    return value


def _duration(m: re.Match[str], today: date) -> _Hit | None:
    unit = m.group("unit")
    count = _count_of(m)
    if unit.startswith(("дн", "ден", "сут", "day")):
        return _deadline(today + timedelta(days=round(count)))
    if unit.startswith(("нед", "week", "wk")):
        return _deadline(today + timedelta(days=round(7 * count)))
    if unit.startswith(("полгод", "полугод", "half", "six")):
        months = 6.0 * (count if m.group("n") else 1.0)
    elif unit.startswith(("квартал", "quarter")):
        months = 3.0 * count
    elif unit.startswith(("год", "лет", "year", "yr")):
        months = 12.0 * count
    else:
        months = count
    whole = int(months)
    return _deadline(add_months(today, whole) + timedelta(days=round((months - whole) * 30)))


def _constant(kind: TimeKind) -> _Resolver:
    def resolve(m: re.Match[str], today: date) -> _Hit | None:
        return (kind, None, 0)

    return resolve


_YEAR_TAIL: Final = r"(?:\s*,?\s*(?P<y>20\d{2})(?!\d)(?:\s*(?:г\.|года?|году|г\b))?)?"
_DAY_SUFFIX: Final = r"(?:-?(?:го|е|ое|ого|му|ому|st|nd|rd|th))?"
# "by March 15" is a day, «к марту 15 заявок» is not: only an English month takes a day after it.
_NO_DAY_AFTER: Final = r"\b(?!(?<=[a-z.])\s*\d{1,2}(?:st|nd|rd|th)?\b(?!\d))"
_NEXT_MOD: Final = (
    r"(?:(?P<mod>этой|этого|текущей|текущего|следующей|следующего|будущего|будущей|this"
    r"|the next|next|the current|current|the)\s+)?"
)
_PERIODS: Final = (
    r"(?:недел[а-я]*|месяц[а-я]*|мес\b\.?|квартал[а-я]*|полугоди[а-я]*|год[а-я]*"
    r"|week|month|quarter|half|year)"
)
_DURATION_UNITS: Final = (
    r"(?P<unit>дн(?:я|ей|ь)\b|день|сут(?:ок|ки)\b|недел[а-я]*|нед\b\.?|месяц[а-я]*|мес\b\.?"
    r"|квартал[а-я]*|полгода|полугода|полугоди[а-я]*|год(?:а|у)?\b|лет\b|days?\b|weeks?\b"
    r"|wks?\b|months?\b|mos?\b|quarters?\b|years?\b|yrs?\b|half a year|half-year|six months)"
)
_RATE_UNITS: Final = (
    r"(?:день|сутки|неделю|нед\b\.?|месяц|мес\b\.?|квартал|год|day|week|wk|month|mo|quarter"
    r"|year)\b"
)

# Where a match may begin, for the word index (see bot/goals/scanning.py).
_DIGITS: Final = tuple("0123456789")
_MONTH_STARTS: Final = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_SEASON_STARTS: Final = (
    "весн",
    "лет",
    "осен",
    "зим",
    "spring",
    "summer",
    "fall",
    "autumn",
    "winter",
)
_BY_STARTS: Final = ("к", "до", "by", "before", "until", "till")
_COUNT_STARTS: Final = (*_DIGITS, *(w.split("[")[0] for w in _COUNT_WORDS.split("|")))
_RATE_STARTS: Final = (
    "день",
    "сутки",
    "недел",
    "нед",
    "мес",
    "квартал",
    "год",
    "day",
    "week",
    "wk",
    "mo",
    "quarter",
    "year",
)

_RULES: Final[tuple[tuple[str, _Resolver, tuple[str, ...]], ...]] = (
    # 2026-12-05
    (r"(?P<year>20\d{2})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})\b", _iso_date, ("20",)),
    # 05.12, 5.12.2026, 12/15 (a one-digit month only with a year, so «1.5k» stays a number)
    (
        r"(?<![\d.,])(?P<day>\d{1,2})(?P<sep>[./])(?P<mon>\d{2}|\d(?=[./]\d))"
        r"(?:[./](?P<year>20\d{2}|\d{2})\b)?"
        r"(?![\d%]|[.,]\d|\s?(?:%|k\b|к\b|m\b|тыс|млн|процент|percent|₽|руб|\$))",
        _numeric_date,
        _DIGITS,
    ),
    # к 23 февраля, 1-го марта 2027 г., the 15th of April
    (
        r"(?P<day>\d{1,2})" + _DAY_SUFFIX + r"\s+(?:of\s+)?(?P<mon>" + MONTH + r")"
        r"(?:\s*,?\s*(?P<year>20\d{2}))?(?:\s*(?:г\.|года?|г\b))?",
        _day_month,
        _DIGITS,
    ),
    # April 15th, Jul 31, 2027
    (
        r"(?P<mon>" + MONTH_EN + r")\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b"
        r"(?:,?\s+(?P<year>20\d{2}))?",
        _day_month,
        _MONTH_STARTS,
    ),
    # к середине февраля, by mid-March, к середине месяца
    (
        r"(?:середин[а-я]*|mid-?|the middle of|middle of)\s*(?:(?P<mon>" + MONTH + r")"
        r"(?:\s+(?P<year>20\d{2}))?|(?:этого\s+|текущего\s+)?месяца|(?:the\s+)?month)",
        _mid_month,
        ("середин", "mid", "the middle"),
    ),
    # к первому числу, к 10-му числу, by the 1st of next month, by the 15th
    (
        r"(?:к|до|by|before|until)\s+(?:the\s+)?(?P<dom>первому|первого|first|\d{1,2}"
        r"(?:-?(?:му|го|ое|st|nd|rd|th))?)\s*(?:числу|числа|(?:day\s+)?of\s+(?:the\s+)?"
        r"(?:(?P<next>next|following)\s+)?month|(?<=st|nd|rd|th)(?!\s*(?:of\s+)?" + MONTH + r"))",
        _day_of_month,
        ("к", "до", "by", "before", "until"),
    ),
    # к концу года, до конца следующего месяца, до конца апреля / лета / 2027 года
    (
        r"(?:(?:к|до|в|на|по)\s+)?(?:концу|конца|конце|окончанию|окончания|исходу|финалу)\s+"
        r"(?:(?P<mon>" + MONTH + r")" + _YEAR_TAIL + r"|(?P<season>" + SEASON + r")"
        r"|(?P<year>20\d{2})(?:\s*(?:года|г\.?))?|" + _NEXT_MOD + r"(?P<what>" + _PERIODS + r"))",
        _end_of,
        ("к", "до", "в", "на", "по", "конц", "конце", "оконч", "исход", "финал"),
    ),
    # by the end of the quarter, end of April
    (
        r"(?:(?:by|until|till|before|at|to|in|through|for)\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?"
        r"(?:(?P<mon>" + MONTH + r")" + _YEAR_TAIL + r"|(?P<season>" + SEASON + r")"
        r"|(?P<year>20\d{2})|" + _NEXT_MOD + r"(?P<what>" + _PERIODS + r"))",
        _end_of,
        ("by", "until", "till", "before", "at", "to", "in", "through", "for", "the", "end"),
    ),
    # by year-end, month end
    (
        r"(?:(?:by|until|till|before|at)\s+)?(?:the\s+)?(?P<what>week|month|quarter|year)[- ]end\b",
        _end_of,
        ("by", "until", "till", "before", "at", "the", "week", "month", "quarter", "year"),
    ),
    (r"(?:by\s+)?eo(?P<what>w|m|q|y)\b", _end_of, ("by", "eo")),
    # на этой неделе, в этом месяце, в следующем квартале
    (
        r"(?:(?:на|в|во|за|в течение|на протяжении)\s+)?(?P<mod>этой|этом|этот|этого|текущей"
        r"|текущем|текущий|текущего|следующей|следующем|следующий|следующего|будущем|будущей)\s+"
        r"(?P<period>недел[а-я]*|месяц[а-я]*|квартал[а-я]*|полугоди[а-я]*|году|год|года)",
        _this_period,
        ("на", "в", "за", "эт", "текущ", "следующ", "будущ"),
    ),
    # this month, next quarter
    (
        r"(?:(?:in|during|within|for|throughout)\s+)?(?P<mod>this|the current|current|next"
        r"|the next|the following)\s+(?P<period>week|month|quarter|half|year)\b",
        _this_period,
        ("in", "during", "within", "for", "throughout", "this", "the", "current", "next"),
    ),
    # Q3, 3 квартал, в третьем квартале, third quarter 2027
    (
        r"(?:за\s+)?(?:q(?P<q>[1-4])\b|(?P<qd>[1-4])(?:-?(?:й|м|го|ом|ому|ий))?\s*"
        r"(?:кв\b\.?|квартал[а-я]*)|(?P<qw>перв|втор|трет|четверт)[а-я]*\s+квартал[а-я]*"
        r"|(?P<qe>first|second|third|fourth)\s+quarter)(?:\s*(?:of\s+)?(?P<year>20\d{2}))?",
        _quarter,
        (
            "за",
            "q",
            "1",
            "2",
            "3",
            "4",
            "перв",
            "втор",
            "трет",
            "четверт",
            "first",
            "second",
            "third",
            "fourth",
        ),
    ),
    # H1, первое полугодие, second half of the year
    (
        r"h(?P<h>[12])\b|(?P<h_ru>перв|втор)[а-я]*\s+полугоди[а-я]*"
        r"|(?P<h_en>first|second)\s+half(?: of the year)?",
        _half_year,
        ("h", "перв", "втор", "first", "second"),
    ),
    # к марту, до марта, by March, к началу марта
    (
        r"(?:к|до|by|before|until|till)\s+(?:(?:началу|начала|the start of|the beginning of"
        r"|start of|beginning of)\s+)?(?:next\s+|следующ[а-я]*\s+)?(?P<mon>"
        + MONTH
        + r")"
        + _NO_DAY_AFTER
        + _YEAR_TAIL,
        _by_month,
        _BY_STARTS,
    ),
    # в апреле, за октябрь, in April, during May
    (
        r"(?:в|во|за|на|in|during|for|over|throughout)\s+(?:the month of\s+|next\s+"
        r"|следующ[а-я]*\s+)?(?P<mon>" + MONTH + r")" + _NO_DAY_AFTER + _YEAR_TAIL,
        _in_month,
        ("в", "за", "на", "in", "during", "for", "over", "throughout"),
    ),
    # к лету, до весны, by summer
    (
        r"(?:к|до|by|before|until|till)\s+(?:(?:началу|начала|the start of|the beginning of"
        r"|start of)\s+)?(?:the\s+)?(?:next\s+|следующ[а-я]*\s+)?(?P<season>" + SEASON + r")",
        _by_season,
        _BY_STARTS,
    ),
    # летом, этой осенью, this summer, in the fall
    (
        r"(?:(?:этой|этим|this|in the|in|during the|during|over the)\s+)?"
        r"(?P<season>летом|весной|осенью|зимой|summer|spring|fall|autumn|winter)\b",
        _in_season,
        ("эт", "this", "in", "during", "over", *_SEASON_STARTS),
    ),
    # к среде, by Friday
    (
        r"(?:к|до|by|before|until|till|on|в|во)\s+(?:(?:следующ[а-я]*|эт[а-я]+|next|this)\s+)?"
        r"(?P<wd>" + WEEKDAY + r")",
        _weekday,
        (*_BY_STARTS, "on", "в"),
    ),
    # к Новому году, к НГ, by New Year's
    (
        r"(?:к|до|перед|by|before|until|till)\s+(?:the\s+)?(?:нов(?:ому|ого|ый)\s+год[а-я]*"
        r"|нг\b|новогодн[а-я]+\s+праздник[а-я]*|new\s?year'?s?(?:'? eve| day)?)",
        _new_year,
        (*_BY_STARTS, "перед"),
    ),
    (
        r"(?:by|before|until|till|for)\s+(?:christmas|xmas|x-mas)\b",
        _christmas,
        (*_BY_STARTS[2:], "for"),
    ),
    # к 2027 году; в 2027 году
    (
        r"(?:к|до|by|before|until)\s+(?P<year>20\d{2})(?![\d.,])(?:\s*(?:году|года|г\b\.?))?",
        _by_year,
        _BY_STARTS,
    ),
    (
        r"(?:в|in|during)\s+(?P<year>20\d{2})(?![\d.,])(?:\s*(?:году|г\b\.?))?",
        _in_year,
        ("в", "in", "during"),
    ),
    # завтра, tomorrow, к концу дня
    (
        r"(?P<rel>послезавтра|завтра|tomorrow|(?:концу|конца) (?:дня|сегодняшнего дня)"
        r"|end of (?:the )?day|eod|tonight)\b",
        _relative_day,
        ("послезавтра", "завтра", "tomorrow", "конц", "end", "eod", "tonight"),
    ),
    # за 3 недели, в течение месяца, через полгода, within two weeks, over the next 3 months
    (
        r"(?:за|в течение|в течении|через|в ближайшие|в ближайший|в ближайшую|на протяжении|на"
        r"|within|in|over|during|for|after|срок(?:ом)?\s*(?:-|:)?|deadline\s*(?:-|:)?"
        r"|timeline\s*(?:-|:)?)\s+(?:the\s+)?(?:(?:next|following|coming|ближайш[а-я]*"
        r"|следующ[а-я]*)\s+)?" + _COUNT + r"?\s*" + _DURATION_UNITS,
        _duration,
        (
            "за",
            "в",
            "через",
            "на",
            "within",
            "in",
            "over",
            "during",
            "for",
            "after",
            "срок",
            "deadline",
            "timeline",
        ),
    ),
    (_COUNT + r"\s*" + _DURATION_UNITS + r"\s+(?:from now|from today)", _duration, _COUNT_STARTS),
    # the past: «в прошлом году», «за последние 3 месяца», "last year", «с весны»
    (
        r"(?:(?:в|за|на)\s+)?(?:прошл|позапрошл)[а-я]*\s+(?:год[а-я]*|месяц[а-я]*|недел[а-я]*"
        r"|квартал[а-я]*|сезон[а-я]*|раз)|(?:в|за|на)\s+прошлом\b",
        _constant(TimeKind.PAST),
        ("в", "за", "на", "прошл", "позапрошл"),
    ),
    (
        r"(?:за|в)\s+(?:последн|прошедш)[а-я]*\s+" + _COUNT + r"?\s*" + _DURATION_UNITS,
        _constant(TimeKind.PAST),
        ("за", "в"),
    ),
    (
        r"(?:(?:in|over|during|for)\s+)?(?:the\s+)?(?:last|past|previous)\s+(?:\d+\s+|few\s+|(?:"
        + _COUNT_WORDS
        + r")\s+)?(?:years?|months?|weeks?|quarters?|days?|season)\b",
        _constant(TimeKind.PAST),
        ("in", "over", "during", "for", "the", "last", "past", "previous"),
    ),
    (
        r"\d+\s+(?:days?|weeks?|months?|years?)\s+ago\b|(?:год|месяц|неделю)\s+назад\b",
        _constant(TimeKind.PAST),
        (*_DIGITS, "год", "месяц", "неделю"),
    ),
    (
        r"(?:с|since)\s+(?:прошл[а-я]+\s+)?(?:" + SEASON + r"|" + MONTH + r")",
        _constant(TimeKind.PAST),
        ("с", "since"),
    ),
    # per-period rates: «в месяц», «ежемесячно», "a week", "per month", «/мес»
    (
        r"(?:в|per|an?|each|every|в каждый|в каждую|каждый|каждую|каждые)\s*" + _RATE_UNITS,
        _constant(TimeKind.RATE),
        ("в", "per", "a", "each", "every", "кажд"),
    ),
    (r"(?<=/)\s?" + _RATE_UNITS, _constant(TimeKind.RATE), _RATE_STARTS),
    (
        r"(?:ежедневно|еженедельно|ежемесячно|ежеквартально|ежегодно|daily|weekly|monthly"
        r"|quarterly|yearly|annually)\b",
        _constant(TimeKind.RATE),
        (
            "ежед",
            "ежен",
            "ежем",
            "ежек",
            "ежег",
            "daily",
            "weekly",
            "monthly",
            "quarterly",
            "yearly",
            "annually",
        ),
    ),
)

_MONTH_WORDS: Final = (
    *_MONTH_STARTS,
    "янв",
    "фев",
    "мар",
    "апр",
    "ма",
    "июн",
    "июл",
    "авг",
    "сен",
    "окт",
    "ноя",
    "дек",
)
_UNIT_WORDS: Final = (
    "дн",
    "ден",
    "сут",
    "нед",
    "мес",
    "квартал",
    "полгод",
    "полугод",
    "год",
    "лет",
    "day",
    "week",
    "wk",
    "mo",
    "quarter",
    "year",
    "yr",
    "half",
    "six",
)
_WEEKDAY_WORDS: Final = (
    "понедельник",
    "вторник",
    "сред",
    "четверг",
    "пятниц",
    "суббот",
    "воскресен",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
# Rules that start with a common preposition are tried only when their key word is in the text.
_RULE_NEEDS: Final[dict[int, tuple[str, ...]]] = {
    # Every number starts rules 1 and 2: only «5.12» / «12/15» or a month can make them a date.
    1: (".", "/"),
    2: _MONTH_WORDS,
    5: ("числ", "first", "st", "nd", "rd", "th", "month"),
    6: ("конц", "конце", "оконч", "исход", "финал"),
    7: ("end",),
    10: ("эт", "текущ", "следующ", "будущ"),
    11: ("this", "current", "next", "following"),
    14: _MONTH_WORDS,
    15: _MONTH_WORDS,
    16: _SEASON_STARTS,
    17: _SEASON_STARTS,
    18: _WEEKDAY_WORDS,
    19: ("нов", "нг", "new"),
    20: ("christmas", "xmas"),
    21: ("20",),
    22: ("20",),
    24: _UNIT_WORDS,
    25: _UNIT_WORDS,
    26: ("прошл",),
    27: ("последн", "прошедш"),
    28: ("last", "past", "previous"),
    30: (*_SEASON_STARTS, *_MONTH_WORDS),
    29: _UNIT_WORDS,
    31: _UNIT_WORDS,
    32: ("/",),
}
_RULE_INDEX: Final = WordPatterns(
    ((index, pattern, prefixes) for index, (pattern, _resolve, prefixes) in enumerate(_RULES)),
    needs=_RULE_NEEDS,
)


def _kind_in_context(norm: str, start: int, end: int, hit: _Hit) -> _Hit:
    """A date after «с» / "from" is when work starts; «в октябре было 200» is the past."""
    kind, when, strength = hit
    if kind is not TimeKind.DEADLINE:
        return hit
    before = norm[max(0, start - 15) : start]
    if before.rstrip().endswith(_START_WORDS) and _START_BEFORE_RE.search(before):
        return (TimeKind.START, when, strength)
    if strength == _LOOSE and _PAST_AFTER_RE.search(norm[end : end + 25]):
        return (TimeKind.PAST, when, strength)
    return hit


def scan_time(norm: str, today: date, starts: list[int] | None = None) -> TimeScan:
    """All time expressions in normalized text and the deadline they set (spec §5).

    Overlapping matches keep the longest; the deadline is the strongest deadline expression,
    the first one in the text among equals. Rates and past time are kept as mentions so their
    numbers are not read as targets, but never become the deadline. ``starts`` are the word
    starts of ``norm`` when the caller already has them.
    """
    kept: list[TimeMention] = []
    for found in _RULE_INDEX.longest(norm, word_starts(norm) if starts is None else starts):
        hit = _RULES[found.key][1](found.match, today)
        if hit is not None:
            kind, when, strength = _kind_in_context(norm, found.start, found.end, hit)
            kept.append(TimeMention(found.start, found.end, kind, when, strength))
    deadlines = [k for k in kept if k.kind is TimeKind.DEADLINE]
    best = max(deadlines, key=lambda k: (k.strength, -k.start), default=None)
    return TimeScan(best.when if best else None, tuple(kept))


def resolve_deadline(text: str, today: date) -> date | None:
    """The deadline a typed phrase names («до конца квартала», "by April 15th"), or ``None``."""
    return scan_time(normalize_text(text), today).deadline
