"""Attainability: verdicts, the numbers behind them and counter-proposals that hold up."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.goals.attainable import (
    MONTH_DAYS,
    Assessment,
    BaselineReason,
    Measure,
    Mode,
    Verdict,
    assess,
    find_row,
    load_growth_ranges,
)

GOALS_DIR = Path(__file__).resolve().parents[3] / "bot" / "goals"
TODAY = date(2026, 11, 22)


def _assess(**overrides: Any) -> Assessment:
    goal: dict[str, Any] = {
        "metric": "followers",
        "channel": "vk",
        "baseline": 2000,
        "target": 300,
        "today": TODAY,
        "deadline": date(2027, 2, 22),
        "posts_per_week": None,
        "monthly_budget_rub": None,
        "unit": "people",
        "target_is_gain": True,
    }
    goal.update(overrides)
    return assess(**goal)


# --- the two examples from the brief -------------------------------------------------------------


def test_five_thousand_followers_in_a_week_from_800_is_unrealistic_with_numbers() -> None:
    result = _assess(baseline=800, target=5000, deadline=TODAY + timedelta(days=7))

    assert result.verdict is Verdict.UNREALISTIC
    assert result.weeks == 1
    assert result.final == 5800
    assert result.required_change == 5000
    assert result.required_per_week == 5000
    assert result.required_monthly is not None and result.required_monthly > 1000
    assert (result.range_low, result.range_high) == (1.0, 5.0)
    assert result.stretch_change is not None and result.stretch_change < 100
    assert result.required_change > result.stretch_change


def test_300_followers_in_three_months_at_3_posts_a_week_is_ambitious() -> None:
    # 2 000 -> 2 300 in 92 days needs 4.7 %/month. The VK range tops out at 5 %/month at the
    # reference 5 posts a week; 3 posts a week narrows it by sqrt(3/5) to 3.9 %/month, so the goal
    # sits above the typical ceiling but below twice it: ambitious.
    result = _assess(posts_per_week=3)

    assert result.verdict is Verdict.AMBITIOUS
    assert result.required_monthly == pytest.approx(4.73, abs=0.01)
    assert result.cadence_factor == pytest.approx(math.sqrt(3 / 5))
    assert result.range_high == pytest.approx(5 * math.sqrt(3 / 5))
    assert result.realistic_monthly == pytest.approx(result.range_high)


def test_the_same_goal_at_the_reference_cadence_is_realistic() -> None:
    assert _assess(posts_per_week=5).verdict is Verdict.REALISTIC


def test_a_level_target_and_the_equivalent_gain_give_the_same_assessment() -> None:
    as_gain = _assess(posts_per_week=3)
    as_level = _assess(posts_per_week=3, target=2300, target_is_gain=False)

    assert as_level.verdict is as_gain.verdict
    assert as_level.required_change == as_gain.required_change
    assert as_level.final == as_gain.final


# --- verdicts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "verdict"),
    [(150, Verdict.REALISTIC), (400, Verdict.AMBITIOUS), (900, Verdict.UNREALISTIC)],
)
def test_verdict_follows_the_ceilings(target: int, verdict: Verdict) -> None:
    result = _assess(target=target)

    assert result.verdict is verdict
    assert result.realistic_change is not None and result.stretch_change is not None
    assert (target <= result.realistic_change) is (verdict is Verdict.REALISTIC)
    assert (target <= result.stretch_change) is (verdict is not Verdict.UNREALISTIC)


def test_a_realistic_goal_has_no_counter_proposal() -> None:
    assert _assess(target=100).counter is None


def test_a_target_below_the_baseline_needs_no_growth() -> None:
    result = _assess(target=1900, target_is_gain=False)

    assert result.verdict is Verdict.REALISTIC
    assert result.required_change == -100


def test_higher_cadence_than_the_reference_does_not_widen_the_range() -> None:
    assert _assess(posts_per_week=20).cadence_factor == 1.0


def test_no_posts_leaves_no_organic_growth() -> None:
    result = _assess(target=1, posts_per_week=0)

    assert result.realistic_change == 0
    assert result.verdict is Verdict.UNREALISTIC


def test_small_accounts_are_judged_by_the_absolute_floor_not_by_percent() -> None:
    # 50 -> 300 in 13 weeks is +500 % (brutal as a rate) but only 19 people a week.
    result = _assess(baseline=50, target=250)

    assert result.required_monthly is not None and result.required_monthly > 50
    assert result.floor_per_week == 10
    assert result.verdict is Verdict.AMBITIOUS
    assert _assess(baseline=50, target=120).verdict is Verdict.REALISTIC


# --- deadline ------------------------------------------------------------------------------------


@pytest.mark.parametrize("deadline", [TODAY, TODAY - timedelta(days=3)])
def test_a_deadline_today_or_past_gets_its_own_verdict_and_a_realistic_date(
    deadline: date,
) -> None:
    result = _assess(deadline=deadline)

    assert result.verdict is Verdict.DEADLINE_PASSED
    assert result.required_per_week is None
    assert result.counter is not None and result.counter.deadline is not None
    assert _assess(deadline=result.counter.deadline).verdict is Verdict.REALISTIC


def test_a_passed_deadline_without_a_baseline_still_says_deadline_passed() -> None:
    result = _assess(deadline=TODAY, baseline=None, target=2300, target_is_gain=False)

    assert result.verdict is Verdict.DEADLINE_PASSED
    assert result.baseline_reason is BaselineReason.LEVEL_TARGET
    assert result.counter is None


# --- counter-proposals ---------------------------------------------------------------------------

COUNTER_CASES: list[dict[str, Any]] = [
    {"posts_per_week": 3},
    {"baseline": 800, "target": 5000, "deadline": TODAY + timedelta(days=7)},
    {"baseline": 2000, "target": 2900, "target_is_gain": False},
    {"metric": "leads", "channel": None, "unit": "leads", "baseline": 40, "target": 80},
    {"metric": "reach", "unit": "percent", "baseline": 10_000, "target": 60},
    {"metric": "reach", "unit": "percent", "baseline": None, "target": 60},
    {
        "metric": "engagement",
        "channel": "instagram",
        "unit": "percent",
        "baseline": 1.5,
        "target": 3,
        "target_is_gain": False,
        "deadline": date(2027, 2, 1),
    },
    {"metric": "conversion", "channel": "website", "unit": "percent", "baseline": 2, "target": 100},
    {
        "metric": "cpl",
        "channel": "vk",
        "unit": "rub",
        "baseline": 600,
        "target": 200,
        "target_is_gain": False,
    },
    {"metric": "cpl", "channel": "vk", "unit": "rub", "baseline": 600, "target": 300},
    {"metric": "cpl", "channel": "vk", "unit": "percent", "baseline": None, "target": 60},
    {
        "metric": "content",
        "channel": "vk",
        "unit": "posts",
        "baseline": None,
        "target": 120,
        "posts_per_week": 3,
        "deadline": date(2026, 12, 31),
    },
    {
        "metric": "units_sold",
        "channel": "ozon",
        "unit": "units",
        "baseline": 30,
        "target": 90,
        "target_is_gain": False,
        "deadline": date(2027, 1, 15),
        "monthly_budget_rub": 5000,
    },
]


@pytest.mark.parametrize("case", COUNTER_CASES)
def test_the_counter_target_itself_assesses_as_realistic(case: dict[str, Any]) -> None:
    result = _assess(**case)
    assert result.verdict in (Verdict.AMBITIOUS, Verdict.UNREALISTIC)
    assert result.counter is not None and result.counter.target is not None

    again = _assess(**{**case, "target": result.counter.target})

    assert again.verdict is Verdict.REALISTIC
    assert again.final == pytest.approx(result.counter.final)


@pytest.mark.parametrize("case", COUNTER_CASES)
def test_the_counter_deadline_is_the_first_realistic_day(case: dict[str, Any]) -> None:
    result = _assess(**case)
    assert result.counter is not None and result.counter.deadline is not None
    proposed = result.counter.deadline

    assert _assess(**{**case, "deadline": proposed}).verdict is Verdict.REALISTIC
    day_before = _assess(**{**case, "deadline": proposed - timedelta(days=1)})
    assert day_before.verdict is not Verdict.REALISTIC


def test_the_counter_budget_makes_the_same_goal_realistic_by_the_same_deadline() -> None:
    result = _assess(target=900)
    assert result.counter is not None and result.counter.monthly_budget_rub is not None
    budget = result.counter.monthly_budget_rub
    assert budget % 1000 == 0

    assert _assess(target=900, monthly_budget_rub=budget).verdict is Verdict.REALISTIC
    assert _assess(target=900, monthly_budget_rub=budget - 1000).verdict is not Verdict.REALISTIC


def test_no_budget_is_proposed_where_money_cannot_buy_the_metric() -> None:
    result = _assess(**COUNTER_CASES[7])  # conversion: a rate, not bought with money

    assert result.counter is not None
    assert result.counter.monthly_budget_rub is None


def test_a_goal_no_one_reaches_in_five_years_has_no_counter_deadline() -> None:
    result = _assess(target=1, posts_per_week=0)

    assert result.counter is not None and result.counter.deadline is None


# --- paid vs organic -----------------------------------------------------------------------------


def test_a_budget_buys_units_at_the_paid_cost_per_unit() -> None:
    organic = _assess(target=900)
    paid = _assess(target=900, monthly_budget_rub=30_000)

    assert organic.mode is Mode.ORGANIC and organic.paid_change_low is None
    assert paid.mode is Mode.PAID
    row = find_row("followers", "vk", Mode.PAID, "rub_per_unit")
    assert row is not None
    assert (paid.cost_per_unit_low, paid.cost_per_unit_high) == (row.low, row.high)
    assert paid.paid_change_low == pytest.approx(30_000 * paid.months / row.high)
    assert paid.paid_change_high == pytest.approx(30_000 * paid.months / row.low)
    assert organic.realistic_change is not None and paid.paid_change_low is not None
    assert paid.realistic_change == pytest.approx(organic.realistic_change + paid.paid_change_low)
    assert organic.verdict is Verdict.UNREALISTIC
    assert paid.verdict is Verdict.REALISTIC


def test_the_optimistic_cost_only_counts_towards_ambitious() -> None:
    organic = _assess(target=900)
    assert organic.realistic_change is not None
    # Enough budget at the low cost, not at the high one.
    row = find_row("followers", "vk", Mode.PAID, "rub_per_unit")
    assert row is not None
    missing = 900 - organic.realistic_change
    budget = missing * (row.low + row.high) / 2 / organic.months

    assert _assess(target=900, monthly_budget_rub=budget).verdict is Verdict.AMBITIOUS


def test_a_budget_does_not_change_a_rate_metric() -> None:
    organic = _assess(**COUNTER_CASES[7])
    paid = _assess(**COUNTER_CASES[7], monthly_budget_rub=100_000)

    assert paid.mode is Mode.ORGANIC
    assert paid.verdict is organic.verdict
    assert paid.realistic_change == organic.realistic_change


def test_a_percent_target_without_baseline_cannot_count_a_budget() -> None:
    result = _assess(
        metric="reach", unit="percent", baseline=None, target=15, monthly_budget_rub=50_000
    )

    assert result.mode is Mode.ORGANIC
    assert result.floor_per_week is None


# --- missing or zero baseline --------------------------------------------------------------------


def test_a_level_target_without_baseline_needs_it() -> None:
    result = _assess(baseline=None, target=2300, target_is_gain=False)

    assert result.verdict is Verdict.NEEDS_BASELINE
    assert result.baseline_reason is BaselineReason.LEVEL_TARGET
    assert result.required_change is None
    assert result.counter is None


def test_a_small_gain_is_realistic_on_the_floor_alone_without_baseline() -> None:
    # +50 in 13 weeks is under the 10-a-week floor whatever the size of the group.
    result = _assess(baseline=None, target=50)

    assert result.verdict is Verdict.REALISTIC
    assert result.start is None
    assert result.required_per_week == pytest.approx(50 / result.weeks)
    assert result.required_monthly is None


def test_a_large_gain_without_baseline_needs_the_size_to_judge() -> None:
    result = _assess(baseline=None, target=300)

    assert result.verdict is Verdict.NEEDS_BASELINE
    assert result.baseline_reason is BaselineReason.GAIN_NEEDS_SIZE
    assert result.counter is None


def test_a_flow_metric_from_zero_cannot_be_judged_by_growth_rates() -> None:
    result = _assess(metric="leads", unit="leads", baseline=0, target=20)

    assert result.verdict is Verdict.NEEDS_BASELINE
    assert result.baseline_reason is BaselineReason.ZERO_START


def test_a_budget_makes_a_flow_metric_from_zero_judgeable() -> None:
    # 20 leads in three months at 250-1 200 RUB each: 10 000 RUB/month buys 25-121 leads.
    result = _assess(metric="leads", unit="leads", baseline=0, target=20, monthly_budget_rub=10_000)

    assert result.verdict is Verdict.REALISTIC
    assert result.mode is Mode.PAID


def test_a_percent_target_on_a_count_needs_no_baseline() -> None:
    # «поднять охват в ВК на 15% за 3 недели»
    result = _assess(
        metric="reach",
        unit="percent",
        baseline=None,
        target=15,
        deadline=TODAY + timedelta(weeks=3),
    )

    assert result.verdict is Verdict.UNREALISTIC
    assert result.start == 100
    assert result.final == pytest.approx(115)
    assert result.required_monthly is not None and result.required_monthly > 20


def test_a_percent_target_from_zero_needs_a_baseline() -> None:
    result = _assess(metric="reach", unit="percent", baseline=0, target=15)

    assert result.verdict is Verdict.NEEDS_BASELINE
    assert result.baseline_reason is BaselineReason.ZERO_START


# --- percent metrics -----------------------------------------------------------------------------


def test_er_is_compared_in_percentage_points() -> None:
    # «ER с 1,5% до 3% в инсте к 1 февраля»: +1.5 pp in ~2.3 months, typical is up to 0.3 pp/month.
    result = _assess(**COUNTER_CASES[6])

    assert result.measure is Measure.PP
    assert result.required_change == pytest.approx(1.5)
    assert result.required_monthly == pytest.approx(1.5 / result.months)
    assert result.range_high == 0.3
    assert result.verdict is Verdict.UNREALISTIC


def test_a_modest_er_gain_is_realistic() -> None:
    result = _assess(
        metric="engagement", unit="percent", baseline=2, target=2.5, target_is_gain=False
    )

    assert result.verdict is Verdict.REALISTIC


def test_a_percent_gain_on_a_rate_is_relative_to_the_rate() -> None:
    result = _assess(metric="engagement", unit="percent", baseline=2, target=20)

    assert result.final == pytest.approx(2.4)
    assert result.required_change == pytest.approx(0.4)


def test_engagement_counts_grow_like_other_counts() -> None:
    assert _assess(metric="engagement", unit="units").measure is Measure.GROWTH_PCT


def test_a_rate_gain_without_baseline_needs_it() -> None:
    result = _assess(metric="ctr", unit="percent", baseline=None, target=20)

    assert result.verdict is Verdict.NEEDS_BASELINE
    assert result.baseline_reason is BaselineReason.GAIN_NEEDS_SIZE


def test_ctr_defaults_to_percent_when_unit_is_missing() -> None:
    result = _assess(metric="ctr", unit=None, baseline=1.0, target=1.2, target_is_gain=False)

    assert result.measure is Measure.PP
    assert result.verdict is Verdict.REALISTIC


# --- cost per lead and content -------------------------------------------------------------------


def test_cpl_must_go_down_and_is_compared_as_monthly_reduction() -> None:
    modest = _assess(metric="cpl", unit="rub", baseline=600, target=500, target_is_gain=False)
    steep = _assess(**COUNTER_CASES[8])

    assert modest.measure is Measure.REDUCTION_PCT
    assert modest.required_change == 100
    assert modest.verdict is Verdict.REALISTIC
    assert steep.verdict is Verdict.UNREALISTIC
    assert steep.required_monthly is not None and steep.required_monthly > 20
    assert steep.counter is not None and steep.counter.final is not None
    assert steep.counter.final > 200


def test_content_is_compared_with_the_agreed_cadence() -> None:
    goal: dict[str, Any] = {
        "metric": "content",
        "unit": "posts",
        "baseline": None,
        "deadline": TODAY + timedelta(weeks=4),
        "posts_per_week": 3,
    }

    assert _assess(**goal, target=12).verdict is Verdict.REALISTIC
    assert _assess(**goal, target=16).verdict is Verdict.AMBITIOUS
    assert _assess(**goal, target=19).verdict is Verdict.UNREALISTIC  # 4.75 a week > 1.5 x 3
    assert _assess(**goal, target=40).verdict is Verdict.UNREALISTIC
    result = _assess(**goal, target=16)
    assert result.required_per_week == 4
    assert result.range_high == 3


def test_content_without_cadence_uses_the_sustainable_range() -> None:
    result = _assess(
        metric="content",
        unit="posts",
        baseline=None,
        target=40,
        deadline=TODAY + timedelta(weeks=4),
    )

    assert result.range_high == 14
    assert result.verdict is Verdict.REALISTIC


# --- table lookup and validation -----------------------------------------------------------------


@pytest.mark.parametrize("channel", [None, "multi", "avito"])
def test_channels_without_their_own_row_use_the_generic_row(channel: str | None) -> None:
    assert _assess(channel=channel).row_channel == "*"


@pytest.mark.parametrize(
    "overrides",
    [
        {"metric": "likes"},
        {"channel": "myspace"},
        {"unit": "kg"},
        {"target": -5},
        {"baseline": float("nan")},
        {"monthly_budget_rub": -1},
        {"metric": "ctr", "unit": "rub"},
    ],
)
def test_values_outside_the_vocabulary_are_rejected(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"."):
        _assess(**overrides)


def test_months_and_weeks_are_reported_from_days() -> None:
    result = _assess()

    assert result.days == 92
    assert result.weeks == pytest.approx(92 / 7)
    assert result.months == pytest.approx(92 / MONTH_DAYS)


def test_assessment_is_immutable() -> None:
    result = _assess()
    with pytest.raises(AttributeError):
        result.verdict = Verdict.REALISTIC  # type: ignore[misc]
    assert replace(result, days=1).days == 1


# --- the data table ------------------------------------------------------------------------------


def _vocab() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOALS_DIR / "vocab.json").read_text(encoding="utf-8"))
    return data


def test_every_row_uses_vocabulary_values_and_cites_a_source() -> None:
    vocab = _vocab()
    with (GOALS_DIR / "data" / "growth_ranges.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))

    assert rows
    for row in rows:
        assert row["metric"] in vocab["metric"], row
        assert row["channel"] == "*" or row["channel"] in vocab["channel"], row
        assert row["channel"] != "multi", row
        assert row["mode"] in ("organic", "paid"), row
        assert row["source"].strip(), row
        assert 0 < float(row["low"]) <= float(row["high"]), row
        expected = "rub_per_unit" if row["mode"] == "paid" else row["measure"]
        assert row["measure"] == expected, row
    keys = [(r["metric"], r["channel"], r["mode"], r["measure"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_every_metric_has_a_generic_organic_row() -> None:
    generic = {
        r.metric for r in load_growth_ranges() if r.channel == "*" and r.mode is Mode.ORGANIC
    }

    assert generic == set(_vocab()["metric"])
    assert find_row("engagement", "*", Mode.ORGANIC, "pp") is not None
    assert find_row("engagement", "*", Mode.ORGANIC, "growth_pct") is not None


def test_a_cpl_cut_in_roubles_without_baseline_needs_it() -> None:
    result = _assess(metric="cpl", unit="rub", baseline=None, target=100)

    assert result.verdict is Verdict.NEEDS_BASELINE
    assert result.baseline_reason is BaselineReason.GAIN_NEEDS_SIZE


def test_a_table_without_a_row_for_the_metric_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.goals.attainable._rows_by_key", dict)

    with pytest.raises(ValueError, match="no growth range"):
        _assess()
