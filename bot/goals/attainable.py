"""The "A" of SMART: is a goal attainable by its deadline, by arithmetic rather than by feel.

The goal is turned into a required change (from the baseline to the target) and compared with
what is typically achievable over the same horizon, read from ``data/growth_ranges.csv`` (one row
per metric x channel x mode, each with its source; channel ``*`` is the generic fallback).

How a metric is measured (``Measure``):

* ``GROWTH_PCT`` - followers, subscribers, reach, views, engagement counts, traffic, leads, sales,
  units_sold, revenue. The level grows by compound monthly growth from the baseline. For flow
  metrics (leads, sales ...) baseline and target must describe the same period (e.g. per month).
  Audience rows also carry an absolute weekly floor, so that a small account is not judged by
  percentages alone (+10 people a week is normal for a 50-member group, yet 80 %/month). A gain
  with no baseline is judged on that floor and the budget alone: enough to prove it realistic,
  otherwise the verdict is NEEDS_BASELINE.
* ``PP`` - ctr, conversion, and engagement given in percent (ER): percentage points per month,
  linear. A percent target with ``target_is_gain`` is a relative change of the rate
  ("ER +20 %" from 2 % means 2.4 %), matching goal-spec §3 where «на N%» is growth by N percent.
* ``REDUCTION_PCT`` - cpl: lower is better, compound monthly reduction.
* ``POSTS_PER_WEEK`` - content: output the team controls, compared with the agreed cadence
  (or the table's sustainable posts per week when no cadence is agreed).

A percent target on a count metric («охват +15 %») is always a relative change; it needs no
baseline (the check runs on an index of 100), but then neither the absolute floor nor a budget
can be counted, so the check is conservative.

The range is adjusted in two documented ways:

* Cadence: the organic ranges assume the row's reference cadence (``ref_posts_per_week``, near the
  Rival IQ median of ~5 brand posts a week). Below it the ceiling shrinks by
  ``sqrt(posts_per_week / ref)``: fewer posts mean fewer impressions, but not proportionally.
  A higher cadence never widens it.
* Budget (paid mode): a monthly budget buys extra units at the paid row's cost per unit
  (``rub_per_unit``); the pessimistic (high) cost is used for "realistic", the optimistic (low)
  cost for "ambitious". Rates (pp) and cost reduction are not bought with money.

Verdict: the required change is REALISTIC up to the ceiling at the range's high end, AMBITIOUS up
to the ceiling at ``STRETCH`` times the high end (top performers in benchmark reports run at
roughly twice the median - a rule of thumb), UNREALISTIC beyond. A deadline of today or earlier is
``DEADLINE_PASSED`` (not an exception): the chat flow can then offer the realistic deadline.

Counter-proposal (for AMBITIOUS and UNREALISTIC): the realistic target by the same deadline
(rounded towards less demanding, so it assesses as REALISTIC itself), the first day on which the
same target is realistic (within five years), and for metrics a budget can buy, the monthly
budget in round thousands of roubles that makes the same target realistic by the same deadline.

This module must never import aiogram or SQLAlchemy and never return prose: enums and numbers only.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_RANGES_PATH = _HERE / "data" / "growth_ranges.csv"
_VOCAB_PATH = _HERE / "vocab.json"

MONTH_DAYS = 365.25 / 12
STRETCH = 2.0
"""How far past the typical high end an ambitious (but possible) goal may go."""
OUTPUT_STRETCH = 1.5
"""Publishing 50 % over the agreed cadence is a crunch; beyond that the agreement itself breaks."""
MAX_DEADLINE_DAYS = 5 * 365
"""A realistic deadline further than five years away is not a proposal anyone would sign."""
BUDGET_STEP_RUB = 1000
"""Budgets are proposed in round thousands, rounded up so that the proposal stays realistic."""
_GENERIC = "*"
_TOLERANCE = 1e-9


class Verdict(StrEnum):
    REALISTIC = "realistic"
    AMBITIOUS = "ambitious"
    UNREALISTIC = "unrealistic"
    NEEDS_BASELINE = "needs_baseline"
    DEADLINE_PASSED = "deadline_passed"


class Mode(StrEnum):
    ORGANIC = "organic"
    PAID = "paid"


class Measure(StrEnum):
    GROWTH_PCT = "growth_pct"
    PP = "pp"
    REDUCTION_PCT = "reduction_pct"
    POSTS_PER_WEEK = "posts_per_week"


class BaselineReason(StrEnum):
    """Why a baseline is needed, so the UI can ask for it with the right explanation."""

    LEVEL_TARGET = "level_target"
    """The target is a final level: how much must change depends on where it starts."""
    GAIN_NEEDS_SIZE = "gain_needs_size"
    """The gain exceeds what the floor alone allows; whether it is a lot depends on size."""
    ZERO_START = "zero_start"
    """Growth ranges are relative; from zero no rate applies and no floor or budget is known."""


_PAID_MEASURE = "rub_per_unit"
_RATE_METRICS = frozenset({"ctr", "conversion"})


@dataclass(frozen=True, slots=True)
class RangeRow:
    """One row of the growth-range table; ``low``/``high`` are in the units of ``measure``."""

    metric: str
    channel: str
    mode: Mode
    measure: str
    low: float
    high: float
    floor_per_week: float | None
    ref_posts_per_week: float | None
    source: str


@dataclass(frozen=True, slots=True)
class CounterProposal:
    """A realistic alternative; ``target`` is in the caller's form (gain, level or percent)."""

    target: float | None
    final: float | None
    deadline: date | None
    monthly_budget_rub: float | None


@dataclass(frozen=True, slots=True)
class Assessment:
    """Verdict plus every number behind it, so the UI can show "why".

    Changes are in the metric's units (pp for ``PP``, posts for content); ``*_monthly`` values are
    in the measure's units per month (posts per week for content). ``start``/``final`` are on an
    index of 100 when a percent target came without a baseline.
    """

    verdict: Verdict
    measure: Measure
    mode: Mode
    row_channel: str
    baseline_reason: BaselineReason | None
    days: int
    weeks: float
    months: float
    start: float | None
    final: float | None
    required_change: float | None
    required_per_week: float | None
    required_monthly: float | None
    range_low: float
    range_high: float
    stretch_high: float
    cadence_factor: float
    floor_per_week: float | None
    cost_per_unit_low: float | None
    cost_per_unit_high: float | None
    paid_change_low: float | None
    paid_change_high: float | None
    realistic_change: float | None
    stretch_change: float | None
    realistic_monthly: float | None
    stretch_monthly: float | None
    counter: CounterProposal | None


@dataclass(frozen=True, slots=True)
class _Problem:
    measure: Measure
    start: float | None
    required: float
    high: float
    floor_per_week: float
    cost_low: float | None
    cost_high: float | None
    budget: float
    index_scale: bool


@dataclass(frozen=True, slots=True)
class _Ceilings:
    realistic: float
    stretch: float
    organic_realistic: float
    paid_low: float | None
    paid_high: float | None


def _optional_float(text: str) -> float | None:
    return float(text) if text.strip() else None


@cache
def load_growth_ranges() -> tuple[RangeRow, ...]:
    """Read the range table once; the UI may show a row's ``source`` next to the verdict."""
    with _RANGES_PATH.open(encoding="utf-8", newline="") as handle:
        return tuple(
            RangeRow(
                metric=row["metric"],
                channel=row["channel"],
                mode=Mode(row["mode"]),
                measure=row["measure"],
                low=float(row["low"]),
                high=float(row["high"]),
                floor_per_week=_optional_float(row["floor_per_week"]),
                ref_posts_per_week=_optional_float(row["ref_posts_per_week"]),
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        )


@cache
def _vocab() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = json.loads(_VOCAB_PATH.read_text(encoding="utf-8"))
    return frozenset(data["metric"]), frozenset(data["channel"]), frozenset(data["unit"])


@cache
def _rows_by_key() -> dict[tuple[str, str, Mode, str], RangeRow]:
    return {(r.metric, r.channel, r.mode, r.measure): r for r in load_growth_ranges()}


def find_row(metric: str, channel: str | None, mode: Mode, measure: str) -> RangeRow | None:
    """The channel's own row, else the generic ``*`` row (``multi`` and unknown use ``*``)."""
    rows = _rows_by_key()
    if channel is not None and (own := rows.get((metric, channel, mode, measure))) is not None:
        return own
    return rows.get((metric, _GENERIC, mode, measure))


def _measure_for(metric: str, unit: str | None) -> Measure:
    if metric == "content":
        return Measure.POSTS_PER_WEEK
    if metric == "cpl":
        return Measure.REDUCTION_PCT
    if metric in _RATE_METRICS or (metric == "engagement" and unit == "percent"):
        return Measure.PP
    return Measure.GROWTH_PCT


def _validate(
    metric: str,
    channel: str | None,
    unit: str | None,
    numbers: dict[str, float | None],
) -> None:
    metrics, channels, units = _vocab()
    if metric not in metrics:
        raise ValueError(f"unknown metric {metric!r}")
    if channel is not None and channel not in channels:
        raise ValueError(f"unknown channel {channel!r}")
    if unit is not None and unit not in units:
        raise ValueError(f"unknown unit {unit!r}")
    if metric in _RATE_METRICS and unit not in (None, "percent"):
        raise ValueError(f"{metric} is a rate and is measured in percent, not {unit!r}")
    for name, value in numbers.items():
        if value is not None and (not math.isfinite(value) or value < 0):
            raise ValueError(f"{name} must be a finite non-negative number, got {value!r}")


def _growth(start: float, monthly_pct: float, months: float) -> float:
    return start * (math.pow(1 + monthly_pct / 100, months) - 1)


def _reduction(start: float, monthly_pct: float, months: float) -> float:
    return start * (1 - math.pow(1 - min(monthly_pct, 100.0) / 100, months))


def _ceilings(problem: _Problem, days: int) -> _Ceilings:
    weeks, months = days / 7, days / MONTH_DAYS
    high = problem.high
    if problem.measure is Measure.PP:
        return _Ceilings(high * months, high * STRETCH * months, high * months, None, None)
    if problem.measure is Measure.POSTS_PER_WEEK:
        realistic = high * weeks
        return _Ceilings(realistic, realistic * OUTPUT_STRETCH, realistic, None, None)
    start = problem.start or 0.0
    if problem.measure is Measure.REDUCTION_PCT:
        realistic = _reduction(start, high, months)
        return _Ceilings(
            realistic, _reduction(start, high * STRETCH, months), realistic, None, None
        )
    floor = problem.floor_per_week
    organic = max(_growth(start, high, months), floor * weeks)
    organic_stretch = max(_growth(start, high * STRETCH, months), floor * STRETCH * weeks)
    if problem.cost_low is None or problem.cost_high is None or problem.budget <= 0:
        return _Ceilings(organic, organic_stretch, organic, None, None)
    paid_low = problem.budget * months / problem.cost_high
    paid_high = problem.budget * months / problem.cost_low
    return _Ceilings(organic + paid_low, organic_stretch + paid_high, organic, paid_low, paid_high)


def _within(required: float, ceiling: float) -> bool:
    return required <= ceiling + _TOLERANCE * max(1.0, abs(ceiling))


def _verdict(problem: _Problem, days: int) -> Verdict:
    ceilings = _ceilings(problem, days)
    if _within(problem.required, ceilings.realistic):
        return Verdict.REALISTIC
    if _within(problem.required, ceilings.stretch):
        return Verdict.AMBITIOUS
    return Verdict.UNREALISTIC


def _monthly(measure: Measure, start: float | None, change: float, days: int) -> float | None:
    """Express a change over the horizon in the measure's per-month (or per-week) terms."""
    months = days / MONTH_DAYS
    if measure is Measure.PP:
        return change / months
    if measure is Measure.POSTS_PER_WEEK:
        return change / (days / 7)
    if start is None or start <= 0:
        return None
    if measure is Measure.REDUCTION_PCT:
        end = start - change
        return (1 - math.pow(end / start, 1 / months)) * 100 if end > 0 else None
    end = start + change
    return (math.pow(end / start, 1 / months) - 1) * 100 if end > 0 else None


def _floor_to(value: float, digits: int) -> float:
    scale = 10.0**digits
    return math.floor(value * scale) / scale


def _realistic_deadline(problem: _Problem, today: date, after_days: int) -> date | None:
    low, high = max(1, after_days + 1), MAX_DEADLINE_DAYS
    if _verdict(problem, high) is not Verdict.REALISTIC:
        return None
    while low < high:
        middle = (low + high) // 2
        if _verdict(problem, middle) is Verdict.REALISTIC:
            high = middle
        else:
            low = middle + 1
    return today + timedelta(days=low)


def _realistic_budget(
    problem: _Problem, organic_realistic: float, days: int, paid: RangeRow | None
) -> float | None:
    if problem.measure is not Measure.GROWTH_PCT or problem.index_scale or paid is None:
        return None
    missing = problem.required - organic_realistic
    monthly = missing * paid.high / (days / MONTH_DAYS)
    return float(math.ceil(monthly / BUDGET_STEP_RUB) * BUDGET_STEP_RUB)


def _realistic_target(
    problem: _Problem, realistic: float, *, relative: bool, target_is_gain: bool
) -> tuple[float, float]:
    """Round the ceiling towards "less demanding" so the proposal itself assesses as realistic."""
    start = problem.start or 0.0
    if relative and start > 0:
        pct = _floor_to(realistic / start * 100, 1)
        sign = -1 if problem.measure is Measure.REDUCTION_PCT else 1
        return pct, start * (1 + sign * pct / 100)
    if problem.measure is Measure.PP:
        final = _floor_to(start + realistic, 2)
    elif problem.measure is Measure.REDUCTION_PCT:
        final = float(math.ceil(start - realistic))
        return (start - final if target_is_gain else final), final
    else:
        final = start + math.floor(realistic)
    return (final - start if target_is_gain else final), final


def assess(
    *,
    metric: str,
    channel: str | None,
    baseline: float | None,
    target: float,
    today: date,
    deadline: date,
    posts_per_week: float | None,
    monthly_budget_rub: float | None,
    unit: str | None,
    target_is_gain: bool = False,
) -> Assessment:
    """Judge whether ``target`` is attainable by ``deadline``; see the module docstring.

    ``target_is_gain`` marks «+300 подписчиков» (a change) as opposed to «до 2 300» (a level).
    Raises ValueError for values outside the vocabularies and for negative numbers.
    """
    _validate(
        metric,
        channel,
        unit,
        {
            "baseline": baseline,
            "target": target,
            "posts_per_week": posts_per_week,
            "monthly_budget_rub": monthly_budget_rub,
        },
    )
    baseline = None if baseline is None else float(baseline)
    target = float(target)
    measure = _measure_for(metric, unit)
    relative = unit == "percent" and measure in (Measure.GROWTH_PCT, Measure.REDUCTION_PCT)
    organic = find_row(metric, channel, Mode.ORGANIC, measure.value)
    if organic is None:
        raise ValueError(f"no growth range for {metric} measured as {measure}")
    start, final, required, reason, index_scale = _resolve(
        measure, baseline, target, relative=relative, target_is_gain=target_is_gain
    )
    # A budget buys absolute units, which cannot be added to an index of 100.
    paid = (
        find_row(metric, channel, Mode.PAID, _PAID_MEASURE)
        if measure is Measure.GROWTH_PCT and not index_scale
        else None
    )
    budget = monthly_budget_rub or 0.0
    counted_paid = paid if budget > 0 else None

    cadence = _cadence_factor(measure, organic, posts_per_week)
    if measure is Measure.POSTS_PER_WEEK:
        low = organic.low
        high = posts_per_week if posts_per_week is not None else organic.high
        stretch_high = high * OUTPUT_STRETCH
    else:
        low, high = organic.low * cadence, organic.high * cadence
        stretch_high = high * STRETCH
    has_floor = organic.floor_per_week is not None and not index_scale
    floor = (organic.floor_per_week or 0.0) * cadence if has_floor else 0.0
    if (
        reason is None
        and measure is Measure.GROWTH_PCT
        and start == 0
        and floor == 0
        and counted_paid is None
    ):
        reason = BaselineReason.ZERO_START

    days = (deadline - today).days
    weeks, months = max(days, 0) / 7, max(days, 0) / MONTH_DAYS
    result = Assessment(
        verdict=Verdict.NEEDS_BASELINE,
        measure=measure,
        mode=Mode.PAID if counted_paid is not None else Mode.ORGANIC,
        row_channel=organic.channel,
        baseline_reason=reason,
        days=days,
        weeks=weeks,
        months=months,
        start=start,
        final=final,
        required_change=required,
        required_per_week=required / weeks if required is not None and days > 0 else None,
        required_monthly=(
            _monthly(measure, start, required, days) if required is not None and days > 0 else None
        ),
        range_low=low,
        range_high=high,
        stretch_high=stretch_high,
        cadence_factor=cadence,
        floor_per_week=floor if has_floor else None,
        cost_per_unit_low=counted_paid.low if counted_paid else None,
        cost_per_unit_high=counted_paid.high if counted_paid else None,
        paid_change_low=None,
        paid_change_high=None,
        realistic_change=None,
        stretch_change=None,
        realistic_monthly=None,
        stretch_monthly=None,
        counter=None,
    )
    if required is None or reason is not None:
        if days <= 0:
            return replace(result, verdict=Verdict.DEADLINE_PASSED)
        return result
    problem = _Problem(
        measure=measure,
        start=start,
        required=required,
        high=high,
        floor_per_week=floor,
        cost_low=counted_paid.low if counted_paid else None,
        cost_high=counted_paid.high if counted_paid else None,
        budget=budget,
        index_scale=index_scale,
    )
    if days <= 0:
        counter = CounterProposal(None, None, _realistic_deadline(problem, today, 0), None)
        return replace(result, verdict=Verdict.DEADLINE_PASSED, counter=counter)

    ceilings = _ceilings(problem, days)
    verdict = _verdict(problem, days)
    result = replace(
        result,
        verdict=verdict,
        paid_change_low=ceilings.paid_low,
        paid_change_high=ceilings.paid_high,
        realistic_change=ceilings.realistic,
        stretch_change=ceilings.stretch,
        realistic_monthly=_monthly(measure, start, ceilings.realistic, days),
        stretch_monthly=_monthly(measure, start, ceilings.stretch, days),
    )
    if start is None and verdict is not Verdict.REALISTIC:
        # Only the absolute floor and the budget were counted; a baseline may add the % part.
        return replace(
            result,
            verdict=Verdict.NEEDS_BASELINE,
            baseline_reason=BaselineReason.GAIN_NEEDS_SIZE,
        )
    if verdict is Verdict.REALISTIC:
        return result
    counter_target, counter_final = _realistic_target(
        problem,
        ceilings.realistic,
        # A percent gain on a rate is relative too, so the proposal keeps that form.
        relative=relative or (measure is Measure.PP and target_is_gain),
        target_is_gain=target_is_gain,
    )
    return replace(
        result,
        counter=CounterProposal(
            target=counter_target,
            final=counter_final,
            deadline=_realistic_deadline(problem, today, days),
            monthly_budget_rub=_realistic_budget(problem, ceilings.organic_realistic, days, paid),
        ),
    )


def _cadence_factor(measure: Measure, organic: RangeRow, posts_per_week: float | None) -> float:
    """Below the reference cadence the organic ceiling shrinks by the square root of the ratio."""
    ref = organic.ref_posts_per_week
    if measure is Measure.POSTS_PER_WEEK or posts_per_week is None or not ref:
        return 1.0
    return math.sqrt(min(1.0, posts_per_week / ref))


def _resolve(
    measure: Measure,
    baseline: float | None,
    target: float,
    *,
    relative: bool,
    target_is_gain: bool,
) -> tuple[float | None, float | None, float | None, BaselineReason | None, bool]:
    """Turn the goal into (start, final, required change, missing-baseline reason, index scale).

    The required change is positive when work is needed: growth for most measures, a cut for cpl.
    A growth gain without a baseline keeps ``start = None``: it is judged on the absolute floor
    and the budget alone, which can only prove it realistic, never the opposite.
    """
    if measure is Measure.POSTS_PER_WEEK:
        start = baseline or 0.0
        final = start + target if target_is_gain or baseline is None else target
        return start, final, final - start, None, False
    sign = -1.0 if measure is Measure.REDUCTION_PCT else 1.0
    if relative:
        if baseline is None:
            return 100.0, 100.0 * (1 + sign * target / 100), target, None, True
        if baseline == 0:
            return 0.0, None, None, BaselineReason.ZERO_START, False
        final = baseline * (1 + sign * target / 100)
        return baseline, final, sign * (final - baseline), None, False
    if measure is Measure.PP and target_is_gain:
        if baseline is None:
            return None, None, None, BaselineReason.GAIN_NEEDS_SIZE, False
        final = baseline * (1 + target / 100)
        return baseline, final, final - baseline, None, False
    if target_is_gain:
        if baseline is not None:
            return baseline, baseline + sign * target, target, None, False
        if measure is Measure.GROWTH_PCT:
            return None, None, target, None, False
        return None, None, None, BaselineReason.GAIN_NEEDS_SIZE, False
    if baseline is None:
        return None, None, None, BaselineReason.LEVEL_TARGET, False
    return baseline, target, sign * (target - baseline), None, False
