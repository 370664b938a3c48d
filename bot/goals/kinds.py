"""What kind of quantity a goal's number is (docs/goal-spec.md §11).

The same «600» means different work depending on what it counts: a level the audience must reach
by the deadline («довести группу до 2 400»), a gain on top of today («600 новых подписчиков»), a
total summed over the period («продать 350 вещей до 1 марта»), a rate per period («12 публикаций в
неделю», «30 заявок в месяц») or an average («средний охват поста 3 000», ER, CTR, CPL). The check,
its arithmetic, the counter-proposal and the check-ins all read the kind, so it is decided once,
here, from the words of the goal and its metric. No prose, only vocabulary values.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from enum import StrEnum
from typing import Final

__all__ = [
    "PERIOD_DAYS",
    "Kind",
    "Period",
    "calendar_window",
    "classify",
    "default_kind",
    "period_of",
]


class Kind(StrEnum):
    LEVEL = "level"  # the value at the deadline: followers, list size
    GAIN = "gain"  # a change on top of today: +N, «ещё N», «N новых», «на 20 %»
    TOTAL = "total"  # summed over the period: units sold, revenue of a campaign, sign-ups
    RATE = "rate"  # per period: leads a month, posts a week, orders a week
    AVERAGE = "average"  # per item or a ratio: reach per post, ER, CTR, CPL, average check


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


#: Days in one period, for turning any rate into a per-week or per-month pace.
PERIOD_DAYS: Final = {
    Period.DAY: 1.0,
    Period.WEEK: 7.0,
    Period.MONTH: 365.25 / 12,
    Period.QUARTER: 365.25 / 4,
    Period.YEAR: 365.25,
}

# Metrics whose number is a ratio or a per-item figure whatever the words say.
_AVERAGE_METRICS: Final = frozenset({"ctr", "conversion", "cpl"})
# Stocks: what is counted at a moment (an account's audience, a list).
_STOCK_METRICS: Final = frozenset({"followers", "subscribers"})
# Flows: what is counted as it happens, so a number for a period adds up over it.
_FLOW_METRICS: Final = frozenset(
    {"units_sold", "sales", "revenue", "leads", "traffic", "content", "views", "engagement"}
)

_PERIOD_WORDS: Final = (
    (Period.DAY, r"д(?:ень|ня|ней|н)\b|сутки|day|daily|ежедневн"),
    (Period.WEEK, r"недел|нед\b|week|ежене"),
    (Period.MONTH, r"месяц|мес\b|month|ежемес|mo\b"),
    (Period.QUARTER, r"квартал|quarter|ежекв"),
    (Period.YEAR, r"год|year|annual|ежег"),
)
_RATE_RE: Final = re.compile(
    r"(?<![\w-])(?:(?:в|per|an?|each|every|в каждый|в каждую|каждый|каждую|каждые|за)\s*"
    r"(?P<unit>день|сутки|неделю|нед\.?|месяц|мес\.?|квартал|год|day|week|month|quarter|year)"
    r"(?![a-zа-я])"
    r"|/\s?(?P<slash>день|д|нед|неделю|мес|месяц|квартал|год|day|d|wk|week|mo|month|yr|year)"
    r"(?![a-zа-я])"
    r"|(?P<adverb>ежедневно|еженедельно|ежемесячно|ежеквартально|ежегодно|daily|weekly|monthly"
    r"|quarterly|yearly|annually))"
)
# «за месяц» is a deadline («+15 % за месяц»), not a rate, unless a rate verb says otherwise.
_ZA_RE: Final = re.compile(r"^за\b")
_RATE_VERB_RE: Final = re.compile(
    r"(?<![\w-])(?:стабильно|регулярно|постоянно|выйти на|выходить на|держать|поддерживать"
    r"|получать|приводить|делать|публиковать|выпускать|steady|consistently|regularly|keep)"
    r"(?![a-zа-я])"
)
_AVERAGE_RE: Final = re.compile(
    r"(?<![\w-])(?:средн[а-я]*|в среднем|average|avg|на (?:один |каждый )?пост|на публикацию"
    r"|на ролик|на видео|на сторис|за пост|с поста|с публикации|одного поста|каждого поста"
    r"|(?:per|a) (?:post|video|reel|story|clip|publication)|er|err|ctr|cpc|cpm|cpa|cpl)"
    r"(?![a-zа-я])"
)
_GAIN_RE: Final = re.compile(
    r"(?:^|[\s(])\+\s?\d"
    r"|(?<![\w-])(?:ещ[её]|дополнительн[а-я]*|нов(?:ых|ые|ый|ая|ую)|прирост[а-я]*|приро[сщ][а-я]*"
    r"|привлечь|привести|прибавить|добавить|набрать|плюс|больше|new|more|additional|extra|gain(?:ed|ing)?"
    r"|net|increase|grow|boost|raise|поднять|увеличить|вырастить|нарастить|рост[а-я]*)"
    r"(?![a-zа-я])"
)
_BY_NUMBER_RE: Final = re.compile(r"(?<![\w-])(?:на|by)\s+\+?\d")
_LEVEL_RE: Final = re.compile(
    r"(?<![\w-])(?:до|довести|дорастить|выйти на|достичь|достигнуть|to|reach|hit|up to|size of"
    r"|было|стало|чтобы было|итого|в сумме|всего)\s+(?:[a-zа-я.]+\s+){0,2}\d"
    r"|(?<![\w-])(?:to|reach|hit)\s+\d|\d+\s*(?:->|→|=>)"
)

_AVERAGE_CHECK_RE: Final = re.compile(r"(?<![\w-])(?:средн[а-я]* чек|average (?:check|order))")


def period_of(text: str) -> Period | None:
    """The period of the first per-period rate written («в неделю» → week), if any."""
    for m in _RATE_RE.finditer(text):
        if m.group("unit") and _ZA_RE.match(m.group()) and not _RATE_VERB_RE.search(text):
            continue
        word = m.group("unit") or m.group("slash") or m.group("adverb") or ""
        for period, pattern in _PERIOD_WORDS:
            if re.match(pattern, word):
                return period
    return None


def default_kind(metric: str, *, percent: bool = False) -> Kind:
    """The kind a metric's number has when the words say nothing more (the dialog's default)."""
    if metric in _AVERAGE_METRICS or (metric == "engagement" and percent):
        return Kind.AVERAGE
    if percent:
        return Kind.GAIN
    if metric in _STOCK_METRICS:
        return Kind.LEVEL
    if metric == "reach":
        return Kind.RATE
    return Kind.TOTAL


def classify(
    norm: str,
    metric: str | None,
    *,
    percent: bool,
    has_range: bool,
    has_baseline: bool,
) -> tuple[Kind | None, Period | None]:
    """The kind of the goal's number and the period of a rate, from normalized text.

    ``percent``: the target is written as a percent; ``has_range``: «с A до B» was read;
    ``has_baseline``: a current value was stated. A percent on a count is a relative gain;
    a percent on a ratio (ER 5 %, CTR 1,2 %) is the ratio's level, an average.
    """
    if metric is None:
        return None, None
    period = period_of(norm)
    if metric in _AVERAGE_METRICS or (metric == "engagement" and percent and not _gain(norm)):
        return Kind.AVERAGE, period
    if metric in ("reach", "views", "engagement") and _AVERAGE_RE.search(norm) and not percent:
        return Kind.AVERAGE, period
    if metric == "revenue" and _AVERAGE_CHECK_RE.search(norm):
        return Kind.AVERAGE, period
    if percent:
        return Kind.GAIN, period
    if period is not None and metric != "followers" and metric != "subscribers":
        return Kind.RATE, period
    if has_range:
        return (Kind.RATE if metric in ("reach", "views") and period else Kind.LEVEL), period
    if metric in _STOCK_METRICS:
        if _gain(norm) and not _LEVEL_RE.search(norm):
            return Kind.GAIN, period
        return Kind.LEVEL, period
    if metric == "reach":
        if _gain(norm) and not _LEVEL_RE.search(norm):
            return Kind.GAIN, period
        return (Kind.LEVEL if has_baseline else Kind.RATE), period or Period.MONTH
    if metric in _FLOW_METRICS:
        if has_baseline and _gain(norm) and not _LEVEL_RE.search(norm):
            return Kind.GAIN, period
        return Kind.TOTAL, period
    return Kind.LEVEL, period


def _gain(norm: str) -> bool:
    return bool(_GAIN_RE.search(norm) or _BY_NUMBER_RE.search(norm))


_MONTH_WINDOW_RE: Final = re.compile(
    r"(?<![\w-])(?:в|во|за|in|during|for|over)\s+(?:течение\s+)?(?:январ|феврал|март|апрел|ма[йе]"
    r"|июн|июл|август|сентябр|октябр|ноябр|декабр|january|february|march|april|may|june|july"
    r"|august|september|october|november|december)[a-zа-я]*(?![a-zа-я])"
)


def calendar_window(norm: str, deadline: date) -> int | None:
    """Days of the calendar month a total is counted in («выручка 400 тыс. в январе»).

    Only when the deadline is that month's last day; «к январю» or «до конца января» count from
    today instead, and then ``None``.
    """
    if deadline.day != calendar.monthrange(deadline.year, deadline.month)[1]:
        return None
    return deadline.day if _MONTH_WINDOW_RE.search(norm) else None
