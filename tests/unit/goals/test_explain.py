"""The goal check's words (bot/goals/explain.py): counts agree with their nouns, subjects with
their verbs, whole people and orders only, money with its sign."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from bot.goals.check import Draft, ProjectFacts, check_goal
from bot.goals.explain import amount, explain
from bot.goals.kinds import Kind, Period
from bot.i18n import Translator
from bot.numbers import Money

TODAY = date(2026, 12, 3)
RU, EN = Translator("ru"), Translator("en")


def draft(**changes: object) -> Draft:
    values: dict[str, object] = {
        "text": "",
        "metric": "followers",
        "target": 600.0,
        "unit": "people",
        "channel": "vk",
        "deadline": date(2027, 1, 31),
        "baseline": 1800.0,
        "target_is_gain": True,
        "kind": Kind.GAIN,
    }
    values.update(changes)
    return Draft(**values)  # type: ignore[arg-type]


def text_of(d: Draft, facts: ProjectFacts, i18n: Translator = RU) -> str:
    check = check_goal(d, facts, TODAY)
    assert check.judgement is not None
    return explain(i18n, d, check.judgement).replace("\xa0", " ")


VK = ProjectFacts(channels=("vk",), audience={"vk": 1800}, posts_per_week={"vk": 3})


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (1, "1 подписчик"),
        (2, "2 подписчика"),
        (5, "5 подписчиков"),
        (21, "21 подписчик"),
        (22, "22 подписчика"),
        (111, "111 подписчиков"),
    ],
)
def test_counted_nouns_agree_with_the_number(value: int, words: str) -> None:
    assert amount(RU, draft(kind=Kind.LEVEL, target_is_gain=False), float(value)) == words


def test_a_gain_reads_as_a_gain_and_the_path_runs_upwards() -> None:
    text = text_of(draft(), replace_facts(budget=Money(20_000, "RUB")))
    assert "1 800 → 2 400 подписчиков" in text
    assert "1 800 → 600" not in text
    assert "аудитория растёт" in text
    assert "40–120 ₽ за подписчика" in text


def replace_facts(**changes: object) -> ProjectFacts:
    return dataclasses.replace(VK, **changes)  # type: ignore[arg-type]


def test_reach_grows_in_the_singular_in_both_languages() -> None:
    d = draft(metric="reach", target=15.0, unit="percent", baseline=None)
    ru, en = text_of(d, VK), text_of(d, VK, EN)
    assert "охват растёт" in ru and "охват растут" not in ru
    assert "reach grows" in en and "reach grow " not in en


def test_paces_are_whole_orders_with_their_noun_never_a_bare_fraction() -> None:
    d = draft(
        metric="sales",
        kind=Kind.TOTAL,
        target=100.0,
        unit="units",
        channel=None,
        baseline=None,
        target_is_gain=False,
        pace=60.0,
    )
    text = text_of(d, ProjectFacts())
    assert "— 12 продаж в неделю" in text or "это 12 продаж в неделю" in text  # 100 in 8.4 weeks
    assert "," not in text.split("\n")[1].split("—")[-1]  # no «19,9» of an order
    assert "-" not in text  # never a negative pace


def test_money_keeps_its_currency_sign() -> None:
    d = draft(
        metric="revenue",
        kind=Kind.TOTAL,
        target=30_000.0,
        unit="usd",
        channel=None,
        baseline=None,
        target_is_gain=False,
        pace=22_000.0,
    )
    text = text_of(d, ProjectFacts(budget=Money(1000, "USD")), EN)
    assert "$30,000" in text and "$1,000" in text and "₽" not in text


def test_a_rate_keeps_its_period() -> None:
    d = draft(
        metric="leads",
        kind=Kind.RATE,
        target=30.0,
        unit="leads",
        channel=None,
        baseline=20.0,
        period=Period.MONTH,
        target_is_gain=False,
    )
    text = text_of(d, ProjectFacts())
    assert "30 заявок в месяц" in text and "сейчас 20 заявок" in text
