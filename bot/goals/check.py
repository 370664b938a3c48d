"""One goal draft checked against the project: what is still missing, relevance, attainability.

The goal dialog calls this after every correction, so "what to ask next" and "is it realistic" are
decided in one pure place, from plain values: the draft, the project's aim, channels and budget
(taken from the questionnaire answers by the caller), and the person's local date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Final

from bot.goals.extraction import extract_goal
from bot.goals.judge import Context, GoalSpec, Judgement, judge
from bot.goals.kinds import PERIOD_DAYS, Kind, Period, calendar_window, default_kind, period_of
from bot.goals.relevant import Relevance, check_relevance
from bot.numbers import Money, find_numbers, normalize_text, parse_number

MAX_GOALS_PER_PROJECT = 5
#: A target beyond this is a typo, not an ambition (more people than live on Earth).
ABSURD_TARGET = 10_000_000_000
#: Channel-less metrics: asking "on which channel" makes no sense for them.
#: Metrics whose channel may be a destination the project does not run («переходы на сайт»).
DESTINATION_METRICS = frozenset(
    {"traffic", "conversion", "sales", "revenue", "units_sold", "leads"}
)
CHANNEL_FREE_METRICS = frozenset({"sales", "revenue", "units_sold", "cpl", "conversion", "leads"})

_GAIN = re.compile(
    r"(?:^|\s)\+\s?\d|(?:^|\s)(?:на|by|ещё|еще|more|прирост\w*|плюс)\s+\+?\d", re.IGNORECASE
)
_LEVEL = re.compile(r"(?:^|\s)(?:до|to|выйти на|reach)\s+\d", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    """What the questionnaire says about the project, as far as goals are concerned."""

    aim: str | None = None
    aim_words: str | None = None
    """The aim as the client typed it, and their "how will you know it worked" (`success`):
    the relevance check reads both (an "other" aim that mentions selling still warns)."""
    success: str | None = None
    channels: tuple[str, ...] = ()
    audience: Mapping[str, float] = field(default_factory=dict)
    posts_per_week: Mapping[str, float] = field(default_factory=dict)
    budget: Money | None = None
    """The monthly ad budget in the currency it was given in."""
    stock: float | None = None
    """Items on hand, when the questionnaire says (see ``stock_from_notes``)."""
    currency: str = "RUB"
    """The currency to propose a budget in when there is none: the person's (USD in English)."""
    sales_pace: float | None = None
    """Items or orders sold a month, when the questionnaire's notes say (``pace_from_notes``)."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A goal being agreed: extraction's fields, then whatever the person corrected."""

    text: str
    metric: str | None
    target: float | None
    unit: str | None
    channel: str | None
    deadline: date | None
    baseline: float | None
    target_is_gain: bool
    kind: Kind | None = None
    """The kind of quantity; ``None`` means the metric's default (or a gain when marked one)."""
    period: Period | None = None
    pace: float | None = None
    """Today's pace of a flow per month (sold, leads, revenue), as the person answered it."""
    stock: float | None = None
    """Items on hand for a sell-off, as the person answered it (beats the questionnaire's)."""

    @property
    def quantity(self) -> Kind | None:
        """The kind the check uses: the one set, else a gain when marked, else the default."""
        if self.kind is not None:
            return self.kind
        if self.metric is None:
            return None
        if self.target_is_gain:
            return Kind.GAIN
        return default_kind(self.metric, percent=self.unit == "percent")


@dataclass(frozen=True, slots=True)
class GoalCheck:
    missing: tuple[str, ...]
    """Fields to ask for, in the order to ask: metric, target, channel, deadline, baseline."""
    problems: tuple[str, ...]
    """Values to ask about again: deadline_past, target_zero, target_absurd, channel_unused."""
    relevance: Relevance | None
    judgement: Judgement | None


def draft_from_goal(text: str, today: date, tz: str) -> Draft:
    """The draft of a typed goal: the extraction's fields with its kind and period."""
    found = extract_goal(text, today, tz)
    kind = found.kind
    if kind is None and reads_as_gain(text):
        kind = Kind.GAIN
    return Draft(
        text=text,
        metric=found.metric,
        target=found.target,
        unit=found.unit,
        channel=found.channel,
        deadline=found.deadline,
        baseline=found.baseline,
        target_is_gain=kind is Kind.GAIN if kind is not None else reads_as_gain(text),
        kind=kind,
        period=found.period,
    )


def with_kind(draft: Draft, kind: Kind) -> Draft:
    """The person's one-tap correction of the kind; ``target_is_gain`` follows it."""
    period = draft.period
    if kind is Kind.RATE and period is None:
        period = Period.WEEK if draft.metric == "content" else Period.MONTH
    return replace(draft, kind=kind, target_is_gain=kind is Kind.GAIN, period=period)


def per_month(text: str, default: Period = Period.MONTH) -> float | None:
    """A pace typed as an answer («20 в неделю», "10 a month", «80 тыс.») as a number a month."""
    value = parse_number(text)
    if value is None or value < 0:
        return None
    period = period_of(normalize_text(text)) or default
    return value * PERIOD_DAYS[Period.MONTH] / PERIOD_DAYS[period]


def per_period(text: str, period: Period | None) -> float | None:
    """A current rate typed as an answer, in the goal's own period («3 a week» for a week goal)."""
    monthly = per_month(text, period or Period.MONTH)
    if monthly is None:
        return None
    return monthly * PERIOD_DAYS[period or Period.MONTH] / PERIOD_DAYS[Period.MONTH]


_SELL_OFF_RE: Final = re.compile(
    r"(?<![\w-])(?:распрод[а-я]*|слить|остат(?:ок|ки|ков)|сток[а-я]*|стар(?:ой|ую|ая|ые|ых) "
    r"(?:коллекци|парти)[а-я]*|прошл(?:ого|ой|ых) сезона|прошлогодн[а-я]*|clear(?:ing|ance)?"
    r"|sell[- ]?off|old stock|last season|leftover[a-z]*|overstock)(?![a-zа-я])"
)
_STOCK_RE: Final = re.compile(
    r"(?:на склад[а-я]*|в наличии|в остатке|остал[а-я]*|лежит|лежат|in stock|on hand|left|stock of"
    r"|inventory of)"
)


def stock_from_notes(text: str | None) -> float | None:
    """Items on hand as the questionnaire's notes state them: «на складе 40 курток»,
    "about 500 units of last season in stock". The number nearest to a stock word wins."""
    if not text:
        return None
    norm = normalize_text(text)
    words = list(_STOCK_RE.finditer(norm))
    if not words:
        return None
    best: tuple[int, float] | None = None
    for number in find_numbers(norm):
        if number.currency or number.percent:
            continue
        distance = min(max(w.start() - number.end, number.start - w.end(), 0) for w in words)
        if distance <= 40 and (best is None or distance < best[0]):
            best = (distance, number.value)
    return best[1] if best else None


_PACE_RE: Final = re.compile(
    r"(?P<n>\d[\d\s.,]*(?:к|k|тыс\.?)?)\s*(?:[a-zа-я.]+\s+){0,2}?"
    r"(?:в|a|per|an|each)\s*(?:неделю|нед\.?|месяц|мес\.?|день|week|month|day)(?![a-zа-я])"
)
_SELLING_RE: Final = re.compile(
    r"(?<![\w-])(?:прода[её]|продаж|уход|sell|sold|sales|orders?|заказ)"
)


def pace_from_notes(text: str | None) -> float | None:
    """Today's sales a month as the notes state them: «продаём примерно 20 вещей в неделю»,
    "we sell about 30 a week". Only a rate next to a selling word counts."""
    if not text:
        return None
    norm = normalize_text(text)
    for found in _PACE_RE.finditer(norm):
        if _SELLING_RE.search(norm, max(0, found.start() - 40), found.end()):
            return per_month(found.group())
    return None


def reads_as_gain(text: str) -> bool:
    """«+300», «на 300», "by 300" is a change; «до 2 300», "to 2,300" is a level."""
    return bool(_GAIN.search(text)) and not _LEVEL.search(text)


def fill_from_project(draft: Draft, facts: ProjectFacts) -> Draft:
    """Take what the questionnaire already knows instead of asking again: the only channel a
    project uses, and an audience goal's baseline from the audience the specialist reported."""
    if (
        draft.channel is None
        and len(facts.channels) == 1
        and draft.metric not in CHANNEL_FREE_METRICS
    ):
        draft = replace(draft, channel=facts.channels[0])
    audience = facts.audience.get(draft.channel) if draft.channel else None
    sized = draft.metric == "followers" or (
        draft.metric == "subscribers" and draft.channel == "email"
    )
    if draft.baseline is None and sized and audience is not None:
        draft = replace(draft, baseline=audience)
    return draft


def check_goal(draft: Draft, facts: ProjectFacts, today: date) -> GoalCheck:
    """What to ask next, whether the goal serves the aim and whether it is attainable."""
    missing = [name for name in ("metric", "target") if getattr(draft, name) is None]
    asks_channel = draft.metric is not None and draft.metric not in CHANNEL_FREE_METRICS
    if draft.channel is None and asks_channel and facts.channels:
        missing.append("channel")
    if draft.deadline is None:
        missing.append("deadline")
    problems = _problems(draft, facts, today)
    relevance = (
        check_relevance(facts.aim, draft.metric, words=facts.aim_words, success=facts.success)
        if facts.aim and draft.metric is not None
        else None
    )
    judgement = None
    kind = draft.quantity
    if not missing and not problems and kind is not None:
        assert draft.metric is not None and draft.target is not None and draft.deadline is not None
        channel = None if draft.channel == "multi" else draft.channel
        spec = GoalSpec(
            metric=draft.metric,
            kind=kind,
            target=draft.target,
            unit=draft.unit,
            channel=channel,
            deadline=draft.deadline,
            baseline=draft.baseline,
            period=draft.period,
            window_days=calendar_window(normalize_text(draft.text), draft.deadline)
            if kind is Kind.TOTAL
            else None,
        )
        if spec.kind is Kind.LEVEL and spec.baseline is not None and spec.target <= spec.baseline:
            spec = replace(spec, kind=Kind.GAIN)  # «600» with 1 800 now: a gain, not a drop
        context = Context(
            posts_per_week=facts.posts_per_week.get(channel) if channel else None,
            budget=facts.budget,
            pace_per_month=draft.pace
            if draft.pace is not None or draft.metric not in ("units_sold", "sales")
            else facts.sales_pace,
            stock=draft.stock if draft.stock is not None else facts.stock,
            currency=facts.currency,
            sell_off=facts.aim == "sell_stock"
            or bool(_SELL_OFF_RE.search(normalize_text(draft.text))),
        )
        judgement = judge(spec, context, today)
        missing.extend(ask for ask in judgement.asks if ask not in missing)
    return GoalCheck(tuple(missing), problems, relevance, judgement)


def _problems(draft: Draft, facts: ProjectFacts, today: date) -> tuple[str, ...]:
    problems = []
    if draft.deadline is not None and draft.deadline <= today:
        problems.append("deadline_past")
    if draft.target is not None and draft.target <= 0:
        problems.append("target_zero")
    if draft.target is not None and draft.target > ABSURD_TARGET:
        problems.append("target_absurd")
    if (
        draft.channel not in (None, "multi")
        and draft.metric not in DESTINATION_METRICS
        and facts.channels
        and draft.channel not in facts.channels
    ):
        problems.append("channel_unused")
    return tuple(problems)
