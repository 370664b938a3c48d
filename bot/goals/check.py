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

from bot.goals.attainable import Assessment, assess
from bot.goals.relevant import Relevance, check_relevance

MAX_GOALS_PER_PROJECT = 5
#: A target beyond this is a typo, not an ambition (more people than live on Earth).
ABSURD_TARGET = 10_000_000_000
#: Channel-less metrics: asking "on which channel" makes no sense for them.
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
    monthly_budget_rub: float | None = None


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


@dataclass(frozen=True, slots=True)
class GoalCheck:
    missing: tuple[str, ...]
    """Fields to ask for, in the order to ask: metric, target, channel, deadline, baseline."""
    problems: tuple[str, ...]
    """Values to ask about again: deadline_past, target_zero, target_absurd, channel_unused."""
    relevance: Relevance | None
    assessment: Assessment | None


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
    if draft.baseline is None and draft.metric == "followers" and audience is not None:
        draft = replace(draft, baseline=audience)
    return draft


def check_goal(draft: Draft, facts: ProjectFacts, today: date) -> GoalCheck:
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
    assessment = None
    if not missing and not problems:
        assert draft.metric is not None and draft.target is not None and draft.deadline is not None
        channel = None if draft.channel == "multi" else draft.channel
        assessment = assess(
            metric=draft.metric,
            channel=channel,
            baseline=draft.baseline,
            target=draft.target,
            today=today,
            deadline=draft.deadline,
            posts_per_week=facts.posts_per_week.get(channel) if channel else None,
            monthly_budget_rub=facts.monthly_budget_rub,
            unit=draft.unit,
            target_is_gain=draft.target_is_gain,
        )
        if assessment.baseline_reason is not None and draft.baseline is None:
            missing.append("baseline")
    return GoalCheck(tuple(missing), problems, relevance, assessment)


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
        and facts.channels
        and draft.channel not in facts.channels
    ):
        problems.append("channel_unused")
    return tuple(problems)
