"""Goal extraction against the spec (docs/goal-spec.md): our own set plus the §8 examples."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.goals import GoalDraft, extract_goal

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


@pytest.mark.parametrize("example", WORKED_EXAMPLES, ids=[e[0][:30] for e in WORKED_EXAMPLES])
def test_worked_examples(example: tuple[Any, ...]) -> None:
    text, metric, target, unit, channel, deadline, missing, baseline = example
    assert extract_goal(text, SUNDAY, "Europe/Moscow").to_json() == {
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
