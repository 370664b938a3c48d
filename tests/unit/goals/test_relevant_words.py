"""Relevance against the aim as the client typed it, and the success answer (issue #14, item 4)."""

from __future__ import annotations

import pytest

from bot.goals.aims import read_aim
from bot.goals.relevant import check_relevance

VANITY = ("followers", "reach", "views", "engagement", "subscribers")


@pytest.mark.parametrize(
    "words",
    [
        "закрыть склад до переезда",
        "набрать группу на весенний курс",
        "чтобы больше записывались на стрижку",
        "продать квартиры в новом ЖК",
        "найти сотрудников в новую кофейню",
        "get more bookings for the salon",
        "sell the remaining jackets",
        "we are hiring baristas",
        "more sign-ups for the trial",
    ],
)
@pytest.mark.parametrize("metric", VANITY)
def test_a_vanity_metric_against_typed_selling_words_warns(words: str, metric: str) -> None:
    # The words map to a category; kept as typed and filed as "other" they still warn.
    for aim in (read_aim(words).aim, "other"):
        result = check_relevance(aim, metric, words=words)

        assert not result.serves, aim
        assert result.seed_warning, aim


@pytest.mark.parametrize(
    ("words", "metric"),
    [
        ("закрыть склад до переезда", "units_sold"),
        ("закрыть склад до переезда", "revenue"),
        ("набрать группу на весенний курс", "leads"),
        ("набрать группу на весенний курс", "sales"),
        ("get more bookings for the salon", "leads"),
        ("get more bookings for the salon", "cpl"),
        ("we are hiring baristas", "leads"),
        ("чтобы о нас узнали в районе", "reach"),
        ("чтобы о нас узнали в районе", "followers"),
        ("make customers come back", "engagement"),
        ("привести людей на сайт", "traffic"),
    ],
)
def test_a_matching_metric_passes_without_a_warning(words: str, metric: str) -> None:
    for aim in (read_aim(words).aim, "other"):
        result = check_relevance(aim, metric, words=words)

        assert result.serves, aim
        assert not result.seed_warning, aim


@pytest.mark.parametrize("metric", VANITY)
def test_other_with_words_that_name_nothing_accepts_everything(metric: str) -> None:
    result = check_relevance("other", metric, words="просто чтобы было красиво")

    assert result.serves
    assert not result.seed_warning


def test_content_against_a_sales_aim_does_not_serve_but_is_no_seed_story() -> None:
    result = check_relevance("other", "content", words="больше продаж тортов")

    assert not result.serves
    assert not result.seed_warning


def test_the_success_answer_puts_its_metrics_first() -> None:
    result = check_relevance(
        "sell_stock",
        "followers",
        success="в директ каждую неделю пишут новые покупатели, на складе пусто",
    )

    assert result.suggested_metrics[0] == "leads"
    assert "units_sold" in result.suggested_metrics[:3]


def test_success_metrics_that_do_not_serve_the_aim_are_not_suggested() -> None:
    result = check_relevance("sales", "revenue", success="охват вырос в два раза")

    assert "reach" not in result.suggested_metrics
    assert result.suggested_metrics[0] == "sales"


def test_a_success_answer_alone_gives_other_its_aim() -> None:
    result = check_relevance("other", "followers", success="заявок стало вдвое больше")

    assert not result.serves
    assert result.seed_warning
    assert result.suggested_metrics[0] == "leads"


@pytest.mark.parametrize(
    ("aim", "metric", "serves"),
    [
        ("sell_stock", "units_sold", True),
        ("sell_stock", "revenue", True),
        ("sell_stock", "sales", True),
        ("sell_stock", "traffic", True),
        ("sell_stock", "followers", False),
        ("sell_stock", "content", False),
        ("leads", "leads", True),
        ("leads", "cpl", True),
        ("leads", "sales", True),
        ("leads", "subscribers", False),
        ("leads", "reach", False),
        ("sales", "units_sold", True),
        ("sales", "views", False),
        ("awareness", "reach", True),
        ("awareness", "views", True),
        ("awareness", "followers", True),
        ("awareness", "cpl", False),
        ("awareness", "sales", True),
        ("traffic", "traffic", True),
        ("traffic", "ctr", True),
        ("traffic", "sales", True),
        ("traffic", "followers", False),
        ("loyalty", "engagement", True),
        ("loyalty", "sales", True),
        ("loyalty", "cpl", False),
        ("hiring", "leads", True),
        ("hiring", "cpl", True),
        ("hiring", "followers", False),
        ("hiring", "reach", False),
    ],
)
def test_the_aim_metric_table(aim: str, metric: str, serves: bool) -> None:
    assert check_relevance(aim, metric).serves is serves
