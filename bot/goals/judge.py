"""The "A" of SMART per kind of quantity: is the goal attainable, with the numbers that decide it.

Each kind (``bot.goals.kinds``) has its own model; organic growth and the ad budget are counted
together, and the same numbers that decide the verdict are the ones returned for display:

* ``level`` / ``gain`` of a count (followers, list size, monthly reach): the change needed by the
  deadline against what the audience grows by itself at the usual monthly rate of its channel
  (``data/growth_ranges.csv``, with the absolute weekly floor of small accounts) plus what the
  monthly budget buys at the channel's cost per unit. A level at or below today's value is read as a
  gain («600 новых подписчиков» with 1 800 now is +600, never «1 800 → 600»).
* ``total`` over the period (units sold, revenue of a campaign, sign-ups): the sum that today's
  pace yields by the deadline, the pace growing at the metric's usual monthly rate, plus what the
  budget buys. A sell-off can never exceed the stock. Content is output the team controls: posts a
  week against what one specialist sustains.
* ``rate`` per period (leads a month, posts a week): the rate reached at the deadline, today's rate
  grown at the usual monthly rate plus what one month's budget buys — a monthly budget adds to a
  monthly flow once, never times the number of months.
* ``average`` (ER, CTR, conversion, CPL, reach per post, average check): percentage points or a
  relative change a month, organic only — ads do not raise a per-post average.

Verdict: REALISTIC when the need fits the capacity at the range's high end and the pessimistic
cost; AMBITIOUS when it fits at ``STRETCH`` times the high end (top performers in benchmark reports
run at about twice the median — a rule of thumb) and the optimistic cost; UNREALISTIC beyond.
Counter-proposals are searched with this same function, so each of them assesses REALISTIC.

Costs are in roubles in the table; a budget in another currency is converted with the dated rates
of ``data/fx_rates.csv`` and costs are returned in the budget's own currency.
This module never imports aiogram or SQLAlchemy and never returns prose.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Final

from bot.goals.attainable import (
    MAX_DEADLINE_DAYS,
    MONTH_DAYS,
    OUTPUT_STRETCH,
    STRETCH,
    Mode,
    RangeRow,
    find_row,
)
from bot.goals.kinds import PERIOD_DAYS, Kind, Period
from bot.numbers import Money

__all__ = [
    "Context",
    "Counter",
    "GoalSpec",
    "Judgement",
    "Model",
    "fx_rate",
    "judge",
]

_FX_PATH: Final = Path(__file__).resolve().parent / "data" / "fx_rates.csv"
_PP_METRICS: Final = frozenset({"ctr", "conversion"})
_SELL_OFF_METRICS: Final = frozenset({"units_sold"})
#: Flows counted per period: a gain on them is a higher rate, not a bigger stock.
_FLOWS: Final = frozenset({"leads", "sales", "units_sold", "revenue", "traffic"})
_TOLERANCE: Final = 1e-9
#: Rounding of what is shown and compared: whole units, tenths of a percent, hundredths of a pp.
WHOLE: Final = 1.0
PERCENT_STEP: Final = 0.1
PP_STEP: Final = 0.01
#: Budgets are proposed in round steps of the budget's currency, rounded up.
_BUDGET_STEPS: Final = {"RUB": 1000.0, "KZT": 5000.0, "UAH": 500.0, "BYN": 50.0}
_DEFAULT_BUDGET_STEP: Final = 50.0
FLOW_LIFT: Final = 0.3
"""A promotion, a strong offer or a sale lifts a flow (orders, leads) by about a third at once —
a rule of thumb from practice; only the ambitious ceiling counts on it, never the realistic one."""
RATIO_RELATIVE: Final = 5.0
"""Percent of its own level a ratio may gain a month: the pp ranges are calibrated on low rates
(site CR 1-3 %, ER under 1 %); a 30 % lead-to-sale conversion moves in bigger steps."""
_MAX_BUDGET_FACTOR: Final = 20.0
"""A proposed budget more than twenty times the current one is not a proposal, it is a new job."""


class Model:
    """Which arithmetic judged the goal (the renderer words each differently)."""

    GROWTH = "growth"  # a change of a count: organic % a month + floor + budget
    RELATIVE = "relative"  # a change written as a percent, organic only
    TOTAL = "total"  # a sum over the period from today's pace + budget
    RATE = "rate"  # a per-period flow at the deadline
    OUTPUT = "output"  # posts a week the team publishes
    PP = "pp"  # percentage points of a ratio
    REDUCTION = "reduction"  # a cost that should go down
    AVERAGE = "average"  # a per-item average that should go up


@dataclass(frozen=True, slots=True)
class GoalSpec:
    """What the judgement needs of a goal; ``target`` is in the goal's unit and kind."""

    metric: str
    kind: Kind
    target: float
    unit: str | None
    channel: str | None
    deadline: date
    baseline: float | None = None
    period: Period | None = None
    window_days: int | None = None
    """A total counted over a calendar window («в январе») rather than from today."""


@dataclass(frozen=True, slots=True)
class Context:
    """What the project says: cadence, monthly ad budget, today's pace and stock."""

    posts_per_week: float | None = None
    budget: Money | None = None
    pace_per_month: float | None = None
    stock: float | None = None
    sell_off: bool = False
    """The aim or the goal is to clear stock: the stock is asked for when unknown."""
    currency: str = "RUB"
    """The currency a budget is proposed in when the project has none (the person's)."""


@dataclass(frozen=True, slots=True)
class Counter:
    """A realistic alternative: a smaller target, a later deadline or a bigger monthly budget."""

    target: float | None = None
    deadline: date | None = None
    budget: Money | None = None


@dataclass(frozen=True, slots=True)
class Judgement:
    """The verdict and every number behind it, in the goal's unit (per week, month or horizon).

    ``need`` and ``capacity``/``stretch`` are on the same scale for each model: the change or sum
    over the horizon (GROWTH, TOTAL), the rate per month at the deadline (RATE), posts a week
    (OUTPUT), points (PP), percent a month (RELATIVE, REDUCTION, AVERAGE).
    """

    verdict: str
    model: str
    kind: Kind
    asks: tuple[str, ...]
    days: int
    start: float | None = None
    final: float | None = None
    need: float | None = None
    capacity: float | None = None
    stretch: float | None = None
    organic: float | None = None
    paid_low: float | None = None
    paid_high: float | None = None
    range_low: float | None = None
    range_high: float | None = None
    monthly_pct: float | None = None
    cost_low: float | None = None
    cost_high: float | None = None
    budget: Money | None = None
    stock: float | None = None
    over_stock: bool = False
    source: str = ""
    counters: tuple[Counter, ...] = ()

    @property
    def weeks(self) -> float:
        return max(self.days, 0) / 7

    @property
    def months(self) -> float:
        return max(self.days, 0) / MONTH_DAYS


@cache
def _fx() -> dict[str, float]:
    with _FX_PATH.open(encoding="utf-8", newline="") as handle:
        return {row["currency"]: float(row["rub_per_unit"]) for row in csv.DictReader(handle)}


def fx_rate(currency: str) -> float:
    """Roubles per one unit of ``currency`` (data/fx_rates.csv); KeyError for unknown codes."""
    return _fx()[currency]


def _budget_rub(budget: Money | None) -> float:
    if budget is None or budget.amount <= 0:
        return 0.0
    return budget.amount * fx_rate(budget.currency or "RUB")


def _budget_in_units(goal: GoalSpec, ctx: Context) -> float:
    """The monthly budget in the scale the cost rows divide: roubles, or for revenue (whose
    "cost" is spend per unit of revenue, 1/ROAS) the goal's own currency."""
    rub = _budget_rub(ctx.budget)
    if goal.metric == "revenue" and goal.unit and goal.unit.upper() in _fx():
        return rub / fx_rate(goal.unit.upper())
    return rub


def _cum(monthly_pct: float, months: float) -> float:
    """Months of today's pace summed over ``months`` while the pace grows by ``monthly_pct``."""
    if months <= 0:
        return 0.0
    g = math.log(1 + monthly_pct / 100)
    return months if g == 0 else (math.exp(g * months) - 1) / g


def _grow(monthly_pct: float, months: float) -> float:
    return math.pow(1 + monthly_pct / 100, months)


def _cadence(row: RangeRow, posts_per_week: float | None) -> float:
    """Below the row's reference cadence the organic ceiling shrinks by the square root."""
    ref = row.ref_posts_per_week
    if posts_per_week is None or not ref:
        return 1.0
    return math.sqrt(min(1.0, max(posts_per_week, 0.0) / ref))


def up(value: float, step: float) -> float:
    """``value`` rounded up to ``step``: a need is never shown smaller than it is."""
    return round(math.ceil(value / step - _TOLERANCE) * step, 6)


def down(value: float, step: float) -> float:
    """``value`` rounded down to ``step``: a capacity is never shown bigger than it is."""
    return round(math.floor(value / step + _TOLERANCE) * step, 6)


def _verdict(need: float, capacity: float, stretch: float, step: float = 1.0) -> str:
    """Compared as shown: the need rounded up, the capacities rounded down to ``step``, so the
    verdict never contradicts the numbers printed beside it."""
    shown = up(need, step)
    if shown <= down(capacity, step):
        return "realistic"
    if shown <= down(stretch, step):
        return "ambitious"
    return "unrealistic"


def _paid(goal: GoalSpec, ctx: Context) -> RangeRow | None:
    if _budget_rub(ctx.budget) <= 0:
        return None
    return find_row(goal.metric, goal.channel, Mode.PAID, "rub_per_unit")


def _costs(
    row: RangeRow | None, budget: Money | None, metric: str = ""
) -> tuple[float | None, float | None]:
    if row is None or budget is None:
        return None, None
    if metric == "revenue":
        return row.low, row.high  # a share of revenue, the same in every currency
    rate = fx_rate(budget.currency or "RUB")
    return row.low / rate, row.high / rate


def _organic(goal: GoalSpec, measure: str) -> RangeRow | None:
    return find_row(goal.metric, goal.channel, Mode.ORGANIC, measure)


def judge(goal: GoalSpec, ctx: Context, today: date, *, counters: bool = True) -> Judgement:
    """Judge ``goal`` by its kind; see the module docstring. Never raises on missing facts:
    what is missing is listed in ``asks`` and the verdict is ``needs_input``."""
    days = (goal.deadline - today).days
    base = Judgement(verdict="needs_input", model=Model.GROWTH, kind=goal.kind, asks=(), days=days)
    result = _judge(goal, ctx, days, base)
    if days <= 0:
        result = replace(result, verdict="deadline_passed")
        if counters and result.need is not None:
            later = _later_deadline(goal, ctx, today, 0)
            result = replace(result, counters=(Counter(deadline=later),) if later else ())
        return result
    if counters and result.verdict in ("ambitious", "unrealistic"):
        result = replace(result, counters=_counters(goal, ctx, today, result))
    return result


def _judge(goal: GoalSpec, ctx: Context, days: int, base: Judgement) -> Judgement:
    horizon = max(days, 1)
    if goal.kind is Kind.GAIN and goal.unit != "percent" and goal.metric in _FLOWS:
        # «на 20 заявок больше»: a flow gains per period, so it is the rate it must reach.
        if goal.baseline is None:
            return replace(base, model=Model.RATE, asks=("baseline",))
        rate = replace(goal, kind=Kind.RATE, target=goal.baseline + goal.target)
        return replace(_rate(rate, ctx, horizon, base), kind=Kind.GAIN)
    if goal.metric == "content":
        return _output(goal, ctx, horizon, base)
    if goal.metric == "cpl":
        return _reduction(goal, horizon, base)
    if goal.metric in _PP_METRICS or (goal.metric == "engagement" and goal.unit == "percent"):
        return _pp(goal, horizon, base)
    if goal.kind is Kind.AVERAGE:
        return _average(goal, horizon, base)
    if goal.unit == "percent":
        return _relative(goal, ctx, horizon, base)
    if goal.kind is Kind.TOTAL:
        return _total(goal, ctx, horizon, base)
    if goal.kind is Kind.RATE:
        return _rate(goal, ctx, horizon, base)
    return _growth(goal, ctx, horizon, base)


# --- counts: level and gain -----------------------------------------------------------------


def _growth(goal: GoalSpec, ctx: Context, days: int, base: Judgement) -> Judgement:
    row = _organic(goal, "growth_pct")
    if row is None:
        return replace(base, asks=("metric",))
    cadence = _cadence(row, ctx.posts_per_week)
    high = row.high * cadence
    floor = row.floor_per_week or 0.0  # invitations and contests do not depend on cadence
    start = goal.baseline
    final: float | None
    if goal.kind is Kind.LEVEL:
        if start is None:
            return replace(base, model=Model.GROWTH, asks=("baseline",), source=row.source)
        need = goal.target - start
        final = goal.target
    else:
        need = goal.target
        final = None if start is None else start + goal.target
    months, weeks = days / MONTH_DAYS, days / 7
    organic = max((start or 0.0) * (_grow(high, months) - 1), floor * weeks)
    organic_stretch = max(
        (start or 0.0) * (_grow(high * STRETCH, months) - 1), floor * STRETCH * weeks
    )
    paid = _paid(goal, ctx)
    budget_rub = _budget_rub(ctx.budget)
    paid_low = budget_rub * months / paid.high if paid else None
    paid_high = budget_rub * months / paid.low if paid else None
    cost_low, cost_high = _costs(paid, ctx.budget)
    capacity = organic + (paid_low or 0.0)
    stretch = organic_stretch + (paid_high or 0.0)
    verdict = _verdict(need, capacity, stretch)
    asks: tuple[str, ...] = ()
    if start is None and verdict != "realistic":
        verdict, asks = "needs_input", ("baseline",)
    monthly = (
        (math.pow(final / start, 1 / months) - 1) * 100
        if start and final and final > 0 and months > 0
        else None
    )
    return replace(
        base,
        verdict=verdict,
        model=Model.GROWTH,
        asks=asks,
        start=start,
        final=final,
        need=need,
        capacity=capacity,
        stretch=stretch,
        organic=organic,
        paid_low=paid_low,
        paid_high=paid_high,
        range_low=row.low * cadence,
        range_high=high,
        monthly_pct=monthly,
        cost_low=cost_low,
        cost_high=cost_high,
        budget=ctx.budget if paid else None,
        source=row.source,
    )


def _relative(goal: GoalSpec, ctx: Context, days: int, base: Judgement) -> Judgement:
    """«+20 %», «удвоить»: a relative change; counted in people when the size is known."""
    countable = goal.metric in ("followers", "subscribers", "reach")
    if countable and goal.baseline and goal.baseline > 0 and goal.kind is not Kind.RATE:
        absolute = replace(
            goal, kind=Kind.GAIN, unit=None, target=goal.baseline * goal.target / 100
        )
        return replace(_growth(absolute, ctx, days, base), kind=goal.kind)
    row = _organic(goal, "growth_pct")
    if row is None:
        return replace(base, asks=("metric",))
    cadence = _cadence(row, ctx.posts_per_week)
    months = days / MONTH_DAYS
    need = (math.pow(1 + goal.target / 100, 1 / months) - 1) * 100
    high = row.high * cadence
    return replace(
        base,
        verdict=_verdict(need, high, high * STRETCH, PERCENT_STEP),
        model=Model.RELATIVE,
        need=need,
        capacity=high,
        stretch=high * STRETCH,
        range_low=row.low * cadence,
        range_high=high,
        monthly_pct=need,
        source=row.source,
    )


# --- flows: total and rate ------------------------------------------------------------------


def _total(goal: GoalSpec, ctx: Context, days: int, base: Judgement) -> Judgement:
    row = _organic(goal, "growth_pct")
    if row is None:
        return replace(base, asks=("metric",))
    months = days / MONTH_DAYS
    window = min(days, goal.window_days) / MONTH_DAYS if goal.window_days else months
    before = months - window
    high = row.high
    paid = _paid(goal, ctx)
    budget_rub = _budget_in_units(goal, ctx)
    paid_low = budget_rub * window / paid.high if paid else None
    paid_high = budget_rub * window / paid.low if paid else None
    cost_low, cost_high = _costs(paid, ctx.budget, goal.metric)
    pace = ctx.pace_per_month
    organic = pace * _grow(high, before) * _cum(high, window) if pace is not None else 0.0
    organic_stretch = (
        pace * (1 + FLOW_LIFT) * _grow(high * STRETCH, before) * _cum(high * STRETCH, window)
        if pace is not None
        else 0.0
    )
    capacity = organic + (paid_low or 0.0)
    stretch = organic_stretch + (paid_high or 0.0)
    items = goal.metric in _SELL_OFF_METRICS
    stock = ctx.stock if items else None
    over_stock = stock is not None and goal.target > stock
    if stock is not None:
        capacity, stretch = min(capacity, stock), min(stretch, stock)
    asks: list[str] = []
    if ctx.sell_off and stock is None and items:
        asks.append("stock")
    verdict = "unrealistic" if over_stock else _verdict(goal.target, capacity, stretch)
    if pace is None and verdict != "realistic" and not over_stock:
        verdict = "needs_input"
        asks.insert(0, "pace")
    return replace(
        base,
        verdict=verdict,
        model=Model.TOTAL,
        asks=tuple(asks),
        start=pace,
        need=goal.target,
        capacity=capacity,
        stretch=stretch,
        organic=organic if pace is not None else None,
        paid_low=paid_low,
        paid_high=paid_high,
        range_low=row.low,
        range_high=high,
        cost_low=cost_low,
        cost_high=cost_high,
        budget=ctx.budget if paid else None,
        stock=stock,
        over_stock=over_stock,
        source=row.source,
    )


def _rate(goal: GoalSpec, ctx: Context, days: int, base: Judgement) -> Judgement:
    row = _organic(goal, "growth_pct")
    if row is None:
        return replace(base, asks=("metric",))
    months = days / MONTH_DAYS
    cadence = _cadence(row, ctx.posts_per_week) if goal.metric in ("reach", "views") else 1.0
    high = row.high * cadence
    share = PERIOD_DAYS[goal.period or Period.MONTH] / MONTH_DAYS  # of a month, per period
    need = goal.target
    current = goal.baseline
    if current is None and ctx.pace_per_month is not None:
        current = ctx.pace_per_month * share
    paid = _paid(goal, ctx)
    budget_rub = _budget_in_units(goal, ctx)
    paid_low = budget_rub * share / paid.high if paid else None
    paid_high = budget_rub * share / paid.low if paid else None
    cost_low, cost_high = _costs(paid, ctx.budget, goal.metric)
    organic = current * _grow(high, months) if current is not None else 0.0
    organic_stretch = (
        current * (1 + FLOW_LIFT) * _grow(high * STRETCH, months) if current is not None else 0.0
    )
    capacity = organic + (paid_low or 0.0)
    stretch = organic_stretch + (paid_high or 0.0)
    verdict = _verdict(need, capacity, stretch)
    asks: tuple[str, ...] = ()
    if current is None and verdict != "realistic":
        verdict, asks = "needs_input", ("baseline",)
    monthly = (
        (math.pow(need / current, 1 / months) - 1) * 100
        if current and need > current and months > 0
        else None
    )
    return replace(
        base,
        verdict=verdict,
        model=Model.RATE,
        asks=asks,
        start=current,
        final=need,
        need=need,
        capacity=capacity,
        stretch=stretch,
        organic=organic if current is not None else None,
        paid_low=paid_low,
        paid_high=paid_high,
        range_low=row.low * cadence,
        range_high=high,
        monthly_pct=monthly,
        cost_low=cost_low,
        cost_high=cost_high,
        budget=ctx.budget if paid else None,
        source=row.source,
    )


def _output(goal: GoalSpec, ctx: Context, days: int, base: Judgement) -> Judgement:
    """Content the team publishes: posts a week, against what one specialist sustains."""
    row = _organic(goal, "posts_per_week")
    if row is None:
        return replace(base, asks=("metric",))
    if goal.kind is Kind.TOTAL or goal.kind is Kind.GAIN:
        need = goal.target / (days / 7)
    else:
        need = goal.target * 7 / PERIOD_DAYS[goal.period or Period.WEEK]
    return replace(
        base,
        verdict=_verdict(need, row.high, row.high * OUTPUT_STRETCH, PERCENT_STEP),
        model=Model.OUTPUT,
        start=ctx.posts_per_week,
        need=need,
        capacity=row.high,
        stretch=row.high * OUTPUT_STRETCH,
        range_low=row.low,
        range_high=row.high,
        source=row.source,
    )


# --- averages -------------------------------------------------------------------------------


def _pp(goal: GoalSpec, days: int, base: Judgement) -> Judgement:
    row = _organic(goal, "pp")
    if row is None:
        return replace(base, asks=("metric",))
    if goal.baseline is None:
        return replace(base, model=Model.PP, asks=("baseline",), source=row.source)
    final = goal.baseline * (1 + goal.target / 100) if goal.kind is Kind.GAIN else goal.target
    months = days / MONTH_DAYS
    need = max(final - goal.baseline, 0.0) / months
    high = max(row.high, goal.baseline * RATIO_RELATIVE / 100)
    low = min(row.low, high)
    return replace(
        base,
        verdict=_verdict(need, high, high * STRETCH, PP_STEP),
        model=Model.PP,
        start=goal.baseline,
        final=final,
        need=need,
        capacity=high,
        stretch=high * STRETCH,
        range_low=low,
        range_high=high,
        monthly_pct=need,
        source=row.source,
    )


def _reduction(goal: GoalSpec, days: int, base: Judgement) -> Judgement:
    row = _organic(goal, "reduction_pct")
    if row is None:
        return replace(base, asks=("metric",))
    if goal.baseline is None:
        return replace(base, model=Model.REDUCTION, asks=("baseline",), source=row.source)
    final = goal.baseline * (1 - goal.target / 100) if goal.unit == "percent" else goal.target
    months = days / MONTH_DAYS
    need = (
        (1 - math.pow(final / goal.baseline, 1 / months)) * 100
        if 0 < final < goal.baseline
        else (0.0 if final >= goal.baseline else 100.0)
    )
    return _monthly_percent(base, Model.REDUCTION, row, goal.baseline, final, need)


def _average(goal: GoalSpec, days: int, base: Judgement) -> Judgement:
    """Reach per post, views per video, average check: relative growth a month, no budget."""
    row = _organic(goal, "growth_pct")
    if row is None:
        return replace(base, asks=("metric",))
    if goal.baseline is None or goal.baseline <= 0:
        return replace(base, model=Model.AVERAGE, asks=("baseline",), source=row.source)
    months = days / MONTH_DAYS
    final = goal.target
    need = (math.pow(final / goal.baseline, 1 / months) - 1) * 100 if final > goal.baseline else 0.0
    return _monthly_percent(base, Model.AVERAGE, row, goal.baseline, final, need)


def _monthly_percent(
    base: Judgement, model: str, row: RangeRow, start: float, final: float, need: float
) -> Judgement:
    """A judgement on a relative change a month (a reduction, an average's growth): the need is
    the percent itself, compared with the channel's usual range."""
    return replace(
        base,
        verdict=_verdict(need, row.high, row.high * STRETCH, PERCENT_STEP),
        model=model,
        start=start,
        final=final,
        need=need,
        capacity=row.high,
        stretch=row.high * STRETCH,
        range_low=row.low,
        range_high=row.high,
        monthly_pct=need,
        source=row.source,
    )


# --- counter-proposals ----------------------------------------------------------------------


def _realistic(goal: GoalSpec, ctx: Context, today: date) -> bool:
    return judge(goal, ctx, today, counters=False).verdict == "realistic"


def _counters(goal: GoalSpec, ctx: Context, today: date, j: Judgement) -> tuple[Counter, ...]:
    found: list[Counter] = []
    target = _smaller_target(goal, ctx, today)
    if target is not None:
        found.append(Counter(target=target))
    if not j.over_stock:
        later = _later_deadline(goal, ctx, today, j.days)
        if later is not None:
            found.append(Counter(deadline=later))
        budget = _bigger_budget(goal, ctx, today, j)
        if budget is not None:
            found.append(Counter(budget=budget))
    return tuple(found)


def _step(value: float, decimals: bool) -> float:
    """The rounding step of a proposed target: whole units, or round hundreds for big ones."""
    if decimals:
        return 0.1
    if value >= 100_000:
        return 1000.0
    if value >= 10_000:
        return 100.0
    if value >= 1000:
        return 10.0
    return 1.0


def _smaller_target(goal: GoalSpec, ctx: Context, today: date) -> float | None:
    """The most demanding target that is realistic by the same deadline (less for a cost)."""
    lower_is_harder = goal.metric == "cpl"
    decimals = goal.unit == "percent" or goal.metric in _PP_METRICS
    floor_value = goal.baseline if goal.kind in (Kind.LEVEL, Kind.AVERAGE) else 0.0
    low = floor_value or 0.0
    high = goal.target
    if lower_is_harder:
        low, high = goal.target, goal.baseline or goal.target
        if high <= low:
            return None
    for _ in range(40):
        middle = (low + high) / 2
        ok = _realistic(replace(goal, target=middle), ctx, today)
        if lower_is_harder:
            high, low = (middle, low) if ok else (high, middle)
        else:
            low, high = (middle, high) if ok else (low, middle)
    step = _step(abs(low), decimals)
    value = math.ceil(high / step) * step if lower_is_harder else math.floor(low / step) * step
    value = round(value, 1 if decimals else 0)
    if value <= 0 or value == goal.target:
        return None
    if floor_value and not lower_is_harder and value <= floor_value:
        return None  # a level at or below today is no proposal
    if not _realistic(replace(goal, target=value), ctx, today):
        return None
    return value


def _later_deadline(goal: GoalSpec, ctx: Context, today: date, after: int) -> date | None:
    if goal.metric == "content" and goal.kind is Kind.RATE:
        return None
    low, high = max(1, after + 1), MAX_DEADLINE_DAYS

    def ok(days: int) -> bool:
        return _realistic(replace(goal, deadline=today + timedelta(days=days)), ctx, today)

    if not ok(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if ok(middle):
            high = middle
        else:
            low = middle + 1
    return today + timedelta(days=low)


def _bigger_budget(goal: GoalSpec, ctx: Context, today: date, j: Judgement) -> Money | None:
    if j.model not in (Model.GROWTH, Model.TOTAL, Model.RATE):
        return None
    currency = ctx.budget.currency if ctx.budget and ctx.budget.currency else ctx.currency
    if find_row(goal.metric, goal.channel, Mode.PAID, "rub_per_unit") is None:
        return None
    step = _BUDGET_STEPS.get(currency, _DEFAULT_BUDGET_STEP)
    current = ctx.budget.amount if ctx.budget else 0.0
    limit = max(current * _MAX_BUDGET_FACTOR, 1_000_000 / fx_rate(currency))

    def ok(amount: float) -> bool:
        return _realistic(goal, replace(ctx, budget=Money(amount, currency)), today)

    if not ok(limit):
        return None
    low, high = current, limit
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (low, middle) if ok(middle) else (middle, high)
    amount = math.ceil(high / step) * step
    if amount <= current or not ok(amount):
        return None
    return Money(amount, currency)
