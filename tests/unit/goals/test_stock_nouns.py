"""Counted nouns for stock read as units sold, even without a selling verb (issue #14)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.goals import extract_goal

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("50 комплектов в месяц через ВК", 50),
        ("120 позиций со склада к маю", 120),
        ("300 товаров в неделю на Ozon", 300),
        ("Уйти 80 комплектов до 1 марта", 80),
        ("Отгрузить 60 изделий до 1 апреля", 60),
        ("150 SKUs cleared by March 1", 150),
        ("200 items a month on Wildberries", 200),
        ("40 pieces a week via Instagram", 40),
    ],
)
def test_stock_nouns_are_units_sold(text: str, target: float) -> None:
    goal = extract_goal(text, TODAY, "Europe/Moscow")

    assert (goal.metric, goal.target, goal.unit) == ("units_sold", target, "units")
