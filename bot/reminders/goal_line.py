"""A signed goal as a straight line from where it started to where it should end, and what a
measured value means against that line (pace before the deadline, outcome from it on).

The line runs from the baseline on the day the brief was signed to the final value on the
deadline. The final value follows the goal's wording: a level («до 2 300») is the target itself,
a gain («+300») is added to the baseline, a percent gain («+20 %») is relative to the baseline,
and for cost per lead a gain is a cut. A goal signed without a baseline starts from its first
check-in instead, so it gets a line from the second check-in on.

The kind of quantity decides what a check-in value means (``bot.goals.kinds``): for a total
(«продать 350 вещей до 1 марта») each value is what was added since the last check-in, so the
values add up and the line runs from zero on the signing day; a level, a gain and an average
compare the latest value; a rate is the latest period's figure, compared with the line from
today's rate to the target rate.

This module only computes: it never reads the clock, stores values or words a verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.reminders.pace import Outcome, Pace, assess_pace, outcome

# A goal on these metrics gets better as its number goes down, so a "gain" is a cut.
LOWER_IS_BETTER = frozenset({"cpl"})
PERCENT = "percent"
TOTAL = "total"


@dataclass(frozen=True, slots=True)
class SignedGoal:
    """One goal as a signed brief version holds it (``bot.briefs.snapshot`` goal items)."""

    goal_id: int
    text: str
    metric: str
    target: float
    unit: str | None
    deadline: date
    baseline: float | None
    target_is_gain: bool
    kind: str | None = None
    period: str | None = None

    @property
    def cumulative(self) -> bool:
        """A total over the period: check-in values are additions and add up."""
        return self.kind == TOTAL

    @classmethod
    def from_snapshot(cls, item: Mapping[str, Any]) -> SignedGoal:
        baseline = item.get("baseline")
        return cls(
            goal_id=int(item["id"]),
            text=str(item["text"]),
            metric=str(item["metric"]),
            target=float(item["target"]),
            unit=None if item.get("unit") is None else str(item["unit"]),
            deadline=date.fromisoformat(str(item["deadline"])),
            baseline=None if baseline is None else float(baseline),
            target_is_gain=bool(item.get("target_is_gain")),
            kind=None if item.get("kind") is None else str(item["kind"]),
            period=None if item.get("period") is None else str(item["period"]),
        )


@dataclass(frozen=True, slots=True)
class Line:
    start: date
    baseline: float
    deadline: date
    target: float

    def value_on(self, day: date) -> float:
        """Where the line is on ``day``, held at its ends outside the start..deadline span."""
        span = (self.deadline - self.start).days
        elapsed = min(max((day - self.start).days / span, 0.0), 1.0)
        return self.baseline + (self.target - self.baseline) * elapsed


@dataclass(frozen=True, slots=True)
class Reading:
    """Exactly one of the two: the pace before the deadline, the outcome from the deadline on."""

    value: float
    pace: Pace | None = None
    outcome: Outcome | None = None


def final_value(goal: SignedGoal, start: float) -> float:
    sign = -1.0 if goal.metric in LOWER_IS_BETTER else 1.0
    if goal.cumulative:
        return goal.target  # a total counted from zero on the signing day
    if not goal.target_is_gain:
        return goal.target
    if goal.unit == PERCENT:
        return start * (1 + sign * goal.target / 100)
    return start + sign * goal.target


def line_of(goal: SignedGoal, signed_on: date, first: tuple[date, float] | None) -> Line | None:
    """The goal's line, or None while it has none (no baseline and no check-in yet, a target
    equal to the start, or a start on or after the deadline)."""
    if goal.cumulative:
        start_day, start = signed_on, 0.0
    elif goal.baseline is not None:
        start_day, start = signed_on, goal.baseline
    elif first is not None:
        start_day, start = first
    else:
        return None
    target = final_value(goal, start)
    if target == start or start_day >= goal.deadline:
        return None
    return Line(start_day, start, goal.deadline, target)


def measured(
    goal: SignedGoal, points: tuple[tuple[date, float], ...]
) -> tuple[tuple[date, float], ...]:
    """The values to hold against the line: running sums for a total, as typed otherwise."""
    if not goal.cumulative:
        return points
    total, summed = 0.0, []
    for day, value in points:
        total += value
        summed.append((day, total))
    return tuple(summed)


def read_value(line: Line, today: date, value: float) -> Reading:
    if today >= line.deadline:
        return Reading(value, outcome=outcome(line.baseline, line.target, value))
    pace = assess_pace(line.baseline, line.target, line.start, line.deadline, today, value)
    return Reading(value, pace=pace)
