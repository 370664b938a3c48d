from datetime import date

import pytest

from bot.goals.check import (
    Draft,
    ProjectFacts,
    check_goal,
    fill_from_project,
    pace_from_notes,
    reads_as_gain,
    stock_from_notes,
)
from bot.goals.kinds import Kind
from bot.goals.periods import end_of_month, end_of_quarter
from bot.goals.units import unit_for

TODAY = date(2026, 11, 23)
FACTS = ProjectFacts(aim="sell_stock", channels=("vk", "telegram"), audience={"vk": 800.0})


def draft(**changes: object) -> Draft:
    values: dict[str, object] = {
        "text": "",
        "metric": "followers",
        "target": 300.0,
        "unit": "people",
        "channel": "vk",
        "deadline": date(2027, 2, 1),
        "baseline": 800.0,
        "target_is_gain": True,
    }
    values.update(changes)
    return Draft(**values)  # type: ignore[arg-type]


def test_missing_fields_in_asking_order() -> None:
    check = check_goal(draft(metric=None, target=None, channel=None, deadline=None), FACTS, TODAY)
    assert check.missing == ("metric", "target", "deadline")  # no channel question without a metric
    check = check_goal(draft(channel=None, deadline=None), FACTS, TODAY)
    assert check.missing == ("channel", "deadline")


def test_problems_are_reported_not_accepted() -> None:
    assert check_goal(draft(deadline=TODAY), FACTS, TODAY).problems == ("deadline_past",)
    assert check_goal(draft(target=0.0), FACTS, TODAY).problems == ("target_zero",)
    assert check_goal(draft(target=1e12), FACTS, TODAY).problems == ("target_absurd",)
    assert check_goal(draft(channel="tiktok"), FACTS, TODAY).problems == ("channel_unused",)
    assert check_goal(draft(channel="tiktok"), FACTS, TODAY).judgement is None


def test_relevance_and_attainability_together() -> None:
    check = check_goal(draft(), FACTS, TODAY)
    assert check.relevance is not None and check.relevance.seed_warning
    assert check.judgement is not None and check.judgement.verdict != "needs_input"
    week = check_goal(draft(target=5000.0, deadline=date(2026, 11, 30)), FACTS, TODAY)
    assert week.judgement is not None and week.judgement.verdict == "unrealistic"


def test_baseline_is_asked_when_the_assessment_needs_it() -> None:
    check = check_goal(draft(target=5000.0, baseline=None, target_is_gain=False), FACTS, TODAY)
    assert check.missing == ("baseline",)


def test_fill_from_project() -> None:
    single = ProjectFacts(channels=("vk",), audience={"vk": 800.0})
    filled = fill_from_project(draft(channel=None, baseline=None), single)
    assert (filled.channel, filled.baseline) == ("vk", 800.0)
    assert fill_from_project(draft(channel=None, baseline=None), FACTS).channel is None  # two: ask
    assert fill_from_project(draft(metric="sales", channel=None), single).channel is None


def test_gain_or_level() -> None:
    assert reads_as_gain("+300 подписчиков")
    assert reads_as_gain("вырасти на 300 человек")
    assert reads_as_gain("grow by 300 followers")
    assert not reads_as_gain("до 2 300 подписчиков к марту")
    assert not reads_as_gain("reach 2,300 followers")


def test_periods_and_units() -> None:
    assert end_of_month(date(2028, 2, 10)) == date(2028, 2, 29)
    assert end_of_quarter(date(2026, 11, 23)) == date(2026, 12, 31)
    assert end_of_quarter(date(2027, 4, 1)) == date(2027, 6, 30)
    assert unit_for("followers", percent=False) == "people"
    assert unit_for("reach", percent=True) == "percent"
    assert unit_for("revenue", percent=False) == "rub"


def test_stock_and_pace_are_read_from_the_questionnaire_notes() -> None:
    notes = "Распродажа до 31 августа, на складе 40 курток, продаём примерно 5 в неделю"
    assert stock_from_notes(notes) == 40
    assert pace_from_notes(notes) == pytest.approx(5 * 30.4375 / 7)
    assert stock_from_notes("About 500 units of last season in stock") == 500
    assert pace_from_notes("we sell about 30 units a week") == pytest.approx(30 * 30.4375 / 7)
    assert pace_from_notes("3 поста в неделю") is None  # a rate of posts is not a sales pace
    assert stock_from_notes("открываем второй магазин 12 сентября") is None


def test_a_sell_off_uses_the_notes_and_asks_only_what_they_lack() -> None:
    sell = draft(
        text="распродать 30 курток до конца февраля",
        metric="units_sold",
        target=30.0,
        unit="units",
        channel=None,
        baseline=None,
        target_is_gain=False,
        kind=Kind.TOTAL,
        deadline=date(2027, 2, 28),
    )
    told = ProjectFacts(aim="sell_stock", stock=40, sales_pace=20)
    check = check_goal(sell, told, TODAY)
    assert check.missing == () and check.judgement is not None
    assert check.judgement.stock == 40 and check.judgement.start == 20
    silent = check_goal(sell, ProjectFacts(aim="sell_stock"), TODAY)
    assert set(silent.missing) == {"pace", "stock"}  # never "how many now"


def test_a_level_below_today_is_judged_as_a_gain() -> None:
    check = check_goal(
        draft(target=600.0, baseline=1800.0, target_is_gain=False, kind=Kind.LEVEL), FACTS, TODAY
    )
    assert check.judgement is not None and check.judgement.final == 2400
