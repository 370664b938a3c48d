"""Attainability per kind of quantity (bot/goals/judge.py). Expected values come from SMM practice
and the ranges in data/growth_ranges.csv, worked out by hand before the code ran."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot.goals.judge import (
    PERCENT_STEP,
    WHOLE,
    Context,
    GoalSpec,
    Model,
    down,
    fx_rate,
    judge,
    up,
)
from bot.goals.kinds import Kind, Period
from bot.numbers import CURRENCIES, Money

TODAY = date(2026, 12, 3)
RUB = Money(20_000, "RUB")


def spec(**changes: object) -> GoalSpec:
    values: dict[str, object] = {
        "metric": "followers",
        "kind": Kind.GAIN,
        "target": 600.0,
        "unit": "people",
        "channel": "vk",
        "deadline": date(2027, 1, 31),
        "baseline": 1800.0,
    }
    values.update(changes)
    return GoalSpec(**values)  # type: ignore[arg-type]


def test_a_gain_counts_from_today_and_never_shows_a_drop() -> None:
    j = judge(spec(), Context(posts_per_week=3, budget=RUB), TODAY)
    assert (j.model, j.start, j.final, j.need) == (Model.GROWTH, 1800, 2400, 600)
    # VK 1-5 %/month scaled by sqrt(3/5) for 3 posts a week; 20 000 ₽ at 40-120 ₽ a member
    # for 59 days buys 323-969: about 460 realistic, about 1 250 at best -> ambitious.
    assert j.verdict == "ambitious"
    assert 440 < j.capacity < 480  # type: ignore[operator]
    assert 1200 < j.stretch < 1300  # type: ignore[operator]


def test_a_small_gain_on_a_small_group_is_realistic_on_the_weekly_floor() -> None:
    # 600 members, no ads: +100 in twelve weeks is eight a week — invitations alone do that.
    j = judge(spec(target=100.0, baseline=600.0, deadline=date(2027, 2, 28)), Context(3), TODAY)
    assert j.verdict == "realistic"


def test_sell_off_is_judged_on_pace_and_stock_never_on_how_many_now() -> None:
    goal = spec(
        metric="units_sold",
        kind=Kind.TOTAL,
        target=350.0,
        unit="units",
        channel=None,
        baseline=None,
        deadline=date(2027, 3, 1),
    )
    unknown = judge(goal, Context(budget=RUB, stock=400, sell_off=True), TODAY)
    assert unknown.verdict == "needs_input" and unknown.asks == ("pace",)
    pace = 20 * 30.4375 / 7  # 20 a week
    known = judge(goal, Context(budget=RUB, stock=400, pace_per_month=pace, sell_off=True), TODAY)
    # 20 a week for 12.6 weeks is 250; growing 3-10 %/month and 20 000 ₽ of ads at 300-1 500 ₽
    # per unit lift it near 330 — 350 of 400 is within reach only with a strong push.
    assert known.verdict == "ambitious" and known.model == Model.TOTAL
    over = judge(replace(goal, target=500.0), replace_ctx(known_ctx(pace), stock=400), TODAY)
    assert over.verdict == "unrealistic" and over.over_stock
    assert all(c.target is None or c.target <= 400 for c in over.counters)
    assert all(c.deadline is None and c.budget is None for c in over.counters)


def known_ctx(pace: float) -> Context:
    return Context(budget=RUB, stock=400, pace_per_month=pace, sell_off=True)


def replace_ctx(ctx: Context, **changes: object) -> Context:
    return replace(ctx, **changes)  # type: ignore[arg-type]


def test_stock_is_asked_for_a_sell_off_only() -> None:
    goal = spec(
        metric="units_sold",
        kind=Kind.TOTAL,
        target=300.0,
        unit="units",
        channel=None,
        baseline=None,
    )
    assert "stock" in judge(goal, Context(pace_per_month=200, sell_off=True), TODAY).asks
    assert "stock" not in judge(goal, Context(pace_per_month=200), TODAY).asks


def test_posts_a_week_are_a_rate_not_a_total_over_the_weeks() -> None:
    goal = spec(
        metric="content",
        kind=Kind.RATE,
        target=12.0,
        unit="posts",
        channel="telegram",
        baseline=None,
        period=Period.WEEK,
        deadline=date(2027, 1, 1),
    )
    j = judge(goal, Context(posts_per_week=5), TODAY)
    assert j.need == 12 and j.verdict == "realistic"  # Telegram: 3-14 posts a week sustainable
    total = judge(replace(goal, kind=Kind.TOTAL, target=30.0), Context(), TODAY)
    assert total.need == pytest.approx(30 / (29 / 7))  # 30 posts in 29 days: 7.2 a week


def test_a_monthly_budget_adds_to_a_monthly_rate_once_whatever_the_horizon() -> None:
    goal = spec(
        metric="leads",
        kind=Kind.RATE,
        target=30.0,
        unit="leads",
        channel=None,
        baseline=10.0,
        period=Period.MONTH,
    )
    short = judge(replace(goal, deadline=TODAY + timedelta(days=30)), Context(budget=RUB), TODAY)
    long = judge(replace(goal, deadline=TODAY + timedelta(days=180)), Context(budget=RUB), TODAY)
    # 20 000 ₽ at 300-1 500 ₽ a lead buys 13-66 leads a month, for one month or for six.
    assert short.paid_low == pytest.approx(long.paid_low) == pytest.approx(20_000 / 1500)


def test_ads_do_not_raise_a_per_post_average() -> None:
    goal = spec(
        metric="reach",
        kind=Kind.AVERAGE,
        target=2000.0,
        channel="telegram",
        baseline=1100.0,
        deadline=date(2027, 3, 1),
    )
    without = judge(goal, Context(), TODAY)
    with_budget = judge(goal, Context(budget=Money(1_000_000, "RUB")), TODAY)
    assert without.verdict == with_budget.verdict == "unrealistic"  # +22 %/month vs up to 10 %
    assert with_budget.paid_low is None


def test_a_dollar_budget_is_converted_and_its_costs_shown_in_dollars() -> None:
    usd = judge(spec(), Context(posts_per_week=3, budget=Money(600, "USD")), TODAY)
    months = 59 / (365.25 / 12)
    assert usd.paid_low == pytest.approx(600 * fx_rate("USD") * months / 120)
    assert usd.cost_low == pytest.approx(40 / fx_rate("USD"))
    assert usd.budget == Money(600, "USD")
    for c in usd.counters:
        assert c.budget is None or c.budget.currency == "USD"


@pytest.mark.parametrize("currency", CURRENCIES)
def test_every_currency_has_a_dated_rate(currency: str) -> None:
    assert fx_rate(currency) > 0


def test_counter_proposals_differ_and_are_realistic_themselves() -> None:
    cases = [
        (spec(), Context(posts_per_week=3, budget=RUB)),
        (spec(target=3000.0), Context(posts_per_week=3)),
        (
            spec(
                metric="cpl",
                kind=Kind.AVERAGE,
                target=300.0,
                unit="rub",
                channel=None,
                baseline=450.0,
                deadline=date(2027, 2, 28),
            ),
            Context(),
        ),
        (
            spec(
                metric="sales",
                kind=Kind.RATE,
                target=20.0,
                unit="units",
                channel=None,
                baseline=10.0,
                period=Period.WEEK,
                deadline=date(2027, 2, 1),
            ),
            Context(budget=RUB),
        ),
    ]
    for goal, ctx in cases:
        j = judge(goal, ctx, TODAY)
        assert j.verdict in ("ambitious", "unrealistic") and j.counters
        for c in j.counters:
            proposal, proposed_ctx = goal, ctx
            if c.target is not None:
                assert c.target != goal.target and c.target > 0
                proposal = replace(goal, target=c.target)
            if c.deadline is not None:
                assert c.deadline > goal.deadline
                proposal = replace(goal, deadline=c.deadline)
            if c.budget is not None:
                assert ctx.budget is None or c.budget.amount > ctx.budget.amount
                proposed_ctx = replace(ctx, budget=c.budget)
            assert judge(proposal, proposed_ctx, TODAY).verdict == "realistic"


def test_the_verdict_agrees_with_the_numbers_as_shown() -> None:
    for target, budget, days in itertools.product(
        (50, 137, 300, 460, 461, 900), (0, 20_000), (7, 59, 200)
    ):
        goal = spec(target=float(target), deadline=TODAY + timedelta(days=days))
        j = judge(goal, Context(posts_per_week=3, budget=Money(budget, "RUB")), TODAY)
        assert j.need is not None and j.capacity is not None and j.stretch is not None
        realistic = up(j.need, WHOLE) <= down(j.capacity, WHOLE)
        ambitious = up(j.need, WHOLE) <= down(j.stretch, WHOLE)
        expected = "realistic" if realistic else "ambitious" if ambitious else "unrealistic"
        assert j.verdict == expected


def test_percent_models_compare_tenths_as_shown() -> None:
    goal = spec(
        metric="reach",
        kind=Kind.GAIN,
        target=20.0,
        unit="percent",
        baseline=None,
        deadline=date(2027, 2, 28),
    )
    j = judge(goal, Context(), TODAY)
    assert j.model == Model.RELATIVE
    assert (up(j.need, PERCENT_STEP) <= down(j.capacity, PERCENT_STEP)) == (
        j.verdict == "realistic"
    )  # type: ignore[arg-type]


def test_a_deadline_passed_offers_a_later_date() -> None:
    j = judge(spec(deadline=TODAY - timedelta(days=3)), Context(posts_per_week=3), TODAY)
    assert j.verdict == "deadline_passed"
    assert j.counters and j.counters[0].deadline is not None and j.counters[0].deadline > TODAY


def test_a_higher_cadence_than_the_reference_does_not_widen_the_range() -> None:
    reference = judge(spec(), Context(posts_per_week=5), TODAY)
    daily = judge(spec(), Context(posts_per_week=14), TODAY)
    fewer = judge(spec(), Context(posts_per_week=2), TODAY)
    assert reference.range_high == daily.range_high == 5.0  # VK: up to 5 %/month
    assert fewer.range_high is not None and fewer.range_high < 5.0


def test_er_is_judged_in_percentage_points_a_month() -> None:
    er = spec(
        metric="engagement",
        kind=Kind.AVERAGE,
        unit="percent",
        channel="instagram",
        baseline=2.2,
        target=3.0,
        deadline=date(2027, 3, 1),
    )
    # +0.8 pp in 2.9 months is 0.28 pp a month: within Instagram's 0.05-0.3 pp.
    assert judge(er, Context(), TODAY).verdict == "realistic"
    assert judge(replace(er, target=8.0), Context(), TODAY).verdict == "unrealistic"


def test_cpl_is_a_monthly_reduction_and_a_cap_already_met_is_realistic() -> None:
    cpl = spec(
        metric="cpl",
        kind=Kind.AVERAGE,
        unit="rub",
        channel=None,
        baseline=800.0,
        target=100.0,
        deadline=date(2026, 12, 31),
    )
    assert judge(cpl, Context(), TODAY).verdict == "unrealistic"  # -87 % in four weeks
    met = judge(replace(cpl, target=900.0), Context(), TODAY)
    assert met.verdict == "realistic" and met.need == 0


def test_an_average_without_its_current_value_asks_for_it() -> None:
    goal = spec(metric="reach", kind=Kind.AVERAGE, baseline=None, target=2000.0)
    j = judge(goal, Context(), TODAY)
    assert (j.verdict, j.asks) == ("needs_input", ("baseline",))


def test_a_gain_on_a_flow_is_the_higher_rate_it_must_reach() -> None:
    # «на 20 заявок в месяц больше» from 30 a month: 50 a month by the deadline; the monthly
    # budget counts once, however many months there are.
    goal = spec(
        metric="leads",
        kind=Kind.GAIN,
        target=20.0,
        unit="leads",
        channel=None,
        baseline=30.0,
        period=Period.MONTH,
        deadline=date(2027, 6, 3),
    )
    j = judge(goal, Context(budget=RUB), TODAY)
    assert (j.model, j.final, j.start) == (Model.RATE, 50.0, 30.0)
    assert j.paid_low == pytest.approx(20_000 / 1500)
    assert judge(replace(goal, baseline=None), Context(), TODAY).asks == ("baseline",)
