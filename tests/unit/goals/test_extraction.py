"""Goal extraction against the spec (docs/goal-spec.md): our own set plus the §8 examples."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.goals import GoalDraft, extract_goal
from bot.goals.kinds import Kind, Period

DATA = Path(__file__).resolve().parents[2] / "data" / "goals.jsonl"
FIELDS = ("metric", "target", "unit", "channel", "deadline")


def _cases() -> list[dict[str, Any]]:
    with DATA.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


CASES = _cases()


def _same_number(got: object, want: object) -> bool:
    if want is None or got is None:
        return got is None and want is None
    assert isinstance(got, int | float) and isinstance(want, int | float)
    return abs(got - want) <= 1e-6 * max(1.0, abs(want))


def test_the_set_is_big_and_bilingual() -> None:
    assert len(CASES) >= 200
    texts = [case["text"] for case in CASES]
    assert sum(any("а" <= ch <= "я" for ch in text.lower()) for text in texts) >= 100
    assert sum(text.isascii() for text in texts) >= 50


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_goal(case: dict[str, Any]) -> None:
    got = extract_goal(case["text"], date.fromisoformat(case["today"]), case["tz"]).to_json()
    want = case["expected"]
    for field in FIELDS:
        if field == "target":
            assert _same_number(got[field], want[field]), (field, got[field], want[field])
        else:
            assert got[field] == want[field], (field, got[field], want[field])
    assert isinstance(got["missing"], list)
    assert set(got["missing"]) == set(want["missing"])
    assert _same_number(got["baseline"], want.get("baseline"))


SUNDAY = date(2026, 11, 22)  # the §8 "today"

# docs/goal-spec.md §8, verbatim.
WORKED_EXAMPLES = [
    (
        "+700 подписчиков в ТГ-канал до конца года",
        "followers",
        700,
        "people",
        "telegram",
        "2026-12-31",
        [],
        None,
    ),
    ("поднять охват в ВК на 15% за 3 недели", "reach", 15, "percent", "vk", "2026-12-13", [], None),
    (
        "распродать 90 шт. осенней коллекции на Озоне к середине января",
        "units_sold",
        90,
        "units",
        "ozon",
        "2027-01-15",
        [],
        None,
    ),
    (
        "ER с 1,5% до 3% в инсте к 1 февраля",
        "engagement",
        3,
        "percent",
        "instagram",
        "2027-02-01",
        [],
        1.5,
    ),
    ("больше заявок хочу", "leads", None, None, None, None, ["M", "T"], None),
    ("хотим стать известнее к лету", None, None, None, None, "2027-06-01", ["S", "M"], None),
    (
        "Get 40 demo requests from Facebook by end of Q3",
        "leads",
        40,
        "leads",
        "facebook",
        "2027-09-30",
        [],
        None,
    ),
    (
        "Make $5k from our Shopify site in January",
        "revenue",
        5000,
        "usd",
        "website",
        "2027-01-31",
        [],
        None,
    ),
]


SPEC_FIELDS = ("metric", "target", "unit", "channel", "deadline", "missing", "baseline")


@pytest.mark.parametrize("example", WORKED_EXAMPLES, ids=[e[0][:30] for e in WORKED_EXAMPLES])
def test_worked_examples(example: tuple[Any, ...]) -> None:
    text, metric, target, unit, channel, deadline, missing, baseline = example
    got = extract_goal(text, SUNDAY, "Europe/Moscow").to_json()
    assert {key: got[key] for key in SPEC_FIELDS} == {
        "metric": metric,
        "target": target,
        "unit": unit,
        "channel": channel,
        "deadline": deadline,
        "missing": missing,
        "baseline": baseline,
    }


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("хочу больше просмотров", ["M", "T"]),
        ("слить остатки прошлогодней коллекции", ["M", "T"]),
        ("хотим стать известнее к лету", ["S", "M"]),
        ("раскрутка", ["S", "M", "T"]),
    ],
)
def test_missing_examples_of_section_6(text: str, missing: list[str]) -> None:
    assert extract_goal(text, SUNDAY, "Europe/Moscow").to_json()["missing"] == missing


def test_to_json_writes_ints_when_integral_and_floats_otherwise() -> None:
    draft = extract_goal("ER с 1,5% до 3% в инсте к 1 февраля", SUNDAY, "UTC")
    payload = draft.to_json()
    assert type(payload["target"]) is int
    assert type(payload["baseline"]) is float
    assert payload["deadline"] == "2027-02-01"
    assert json.loads(json.dumps(payload)) == payload


def test_draft_is_frozen_and_holds_plain_values() -> None:
    draft = extract_goal("+700 подписчиков в ТГ-канал до конца года", SUNDAY, "UTC")
    assert draft == GoalDraft(
        metric="followers",
        target=700.0,
        unit="people",
        channel="telegram",
        deadline=date(2026, 12, 31),
        baseline=None,
        missing=frozenset(),
        kind=Kind.GAIN,
        period=None,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        draft.metric = "reach"  # type: ignore[misc]


def test_tie_break_means_and_outcome() -> None:
    draft = extract_goal("3 поста в неделю, чтобы набрать 600 подписчиков", SUNDAY, "UTC")
    assert (draft.metric, draft.target) == ("followers", 600.0)


def test_budget_price_stock_and_cap_are_never_targets() -> None:
    assert extract_goal("50 заявок в месяц при CPL не выше 400 ₽", SUNDAY, "UTC").target == 50.0
    assert extract_goal("при бюджете 30к набрать 1000 подписчиков", SUNDAY, "UTC").target == 1000.0
    assert extract_goal("продать 40 чайников по 2 500 ₽", SUNDAY, "UTC").target == 40.0
    stock = extract_goal("распродать остатки, на складе 1 000 шт.", SUNDAY, "UTC")
    assert (stock.metric, stock.target) == ("units_sold", None)


def test_currency_defaults_to_the_language_of_the_text() -> None:
    assert extract_goal("выручка 2 млн к концу года", SUNDAY, "UTC").unit == "rub"
    assert extract_goal("revenue of 2M by year end", SUNDAY, "UTC").unit == "usd"


# The quantity model (docs/goal-spec.md §11): expected kinds written from SMM practice.
@pytest.mark.parametrize(
    ("text", "kind", "period"),
    [
        ("600 новых подписчиков во ВКонтакте к концу января", Kind.GAIN, None),
        ("+400 подписчиков в ТГ к весне", Kind.GAIN, None),
        ("ещё 300 участников в группу ВК до конца квартала", Kind.GAIN, None),
        ("Get 200 new followers on Instagram by end of February", Kind.GAIN, None),
        ("довести канал до 5 000 подписчиков к лету", Kind.LEVEL, None),
        ("с 1 200 до 2 000 подписчиков в инсте к марту", Kind.LEVEL, None),
        ("Продать 350 вещей старой коллекции до 1 марта", Kind.TOTAL, None),
        ("Распродать 120 пальто прошлого сезона до конца февраля", Kind.TOTAL, None),
        ("выручка 500 тыс. руб. с распродажи в январе", Kind.TOTAL, None),
        ("12 публикаций в неделю в Telegram к январю", Kind.RATE, Period.WEEK),
        ("30 заявок в месяц с сайта к марту", Kind.RATE, Period.MONTH),
        ("25 leads a week from Facebook by April", Kind.RATE, Period.WEEK),
        ("средний охват поста в ТГ 3000 к марту", Kind.AVERAGE, None),
        ("ER с 1,5% до 3% в инсте к 1 февраля", Kind.AVERAGE, None),
        ("CPL не выше 400 ₽ к концу квартала", Kind.AVERAGE, None),
        ("поднять охват в ВК на 15% за 3 недели", Kind.GAIN, None),
    ],
)
def test_kind_and_period(text: str, kind: Kind, period: Period | None) -> None:
    draft = extract_goal(text, SUNDAY, "Europe/Moscow")
    assert (draft.kind, draft.period) == (kind, period)
    assert draft.to_json()["kind"] == kind.value


def test_goods_of_last_season_are_not_a_baseline() -> None:
    draft = extract_goal("Распродать 120 пальто прошлого сезона до конца февраля", SUNDAY, "UTC")
    assert (draft.metric, draft.target, draft.baseline) == ("units_sold", 120.0, None)
