"""Relevance: the seed story (followers for a stock sale) is caught, serving metrics pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.goals.relevant import aims, check_relevance, metrics_for_aim

GOALS_DIR = Path(__file__).resolve().parents[3] / "bot" / "goals"
QUESTIONNAIRE_AIMS = (
    "sell_stock",
    "leads",
    "sales",
    "awareness",
    "traffic",
    "loyalty",
    "hiring",
    "other",
)


def _vocab_metrics() -> list[str]:
    data: dict[str, Any] = json.loads((GOALS_DIR / "vocab.json").read_text(encoding="utf-8"))
    return list(data["metric"])


def test_the_seed_story_gets_the_warning_and_better_metrics() -> None:
    result = check_relevance("sell_stock", "followers")

    assert not result.serves
    assert result.seed_warning
    assert result.suggested_metrics[:3] == ("units_sold", "revenue", "sales")
    assert "leads" in result.suggested_metrics
    assert "traffic" in result.suggested_metrics


@pytest.mark.parametrize("aim", ["sell_stock", "sales", "leads"])
@pytest.mark.parametrize("metric", ["followers", "reach", "views", "engagement"])
def test_vanity_metrics_for_sales_type_aims_warn(aim: str, metric: str) -> None:
    result = check_relevance(aim, metric)

    assert result.seed_warning
    assert not result.serves


@pytest.mark.parametrize(
    ("aim", "metric"),
    [
        ("sell_stock", "units_sold"),
        ("sell_stock", "traffic"),
        ("leads", "cpl"),
        ("sales", "revenue"),
        ("awareness", "reach"),
        ("awareness", "followers"),
        ("traffic", "ctr"),
        ("loyalty", "engagement"),
        ("hiring", "leads"),
    ],
)
def test_serving_metrics_pass_without_warning(aim: str, metric: str) -> None:
    result = check_relevance(aim, metric)

    assert result.serves
    assert not result.seed_warning
    assert metric not in result.suggested_metrics


def test_a_non_vanity_mismatch_does_not_serve_but_does_not_warn() -> None:
    result = check_relevance("awareness", "cpl")

    assert not result.serves
    assert not result.seed_warning
    assert result.suggested_metrics[0] == "reach"


def test_followers_serve_awareness_without_warning() -> None:
    assert not check_relevance("awareness", "followers").seed_warning


@pytest.mark.parametrize("metric", _vocab_metrics())
def test_other_accepts_every_metric(metric: str) -> None:
    result = check_relevance("other", metric)

    assert result.serves
    assert not result.seed_warning
    assert result.suggested_metrics == ()


@pytest.mark.parametrize(("aim", "metric"), [("fame", "reach"), ("sales", "likes")])
def test_unknown_values_are_rejected(aim: str, metric: str) -> None:
    with pytest.raises(ValueError, match=r"unknown"):
        check_relevance(aim, metric)


def test_the_data_covers_exactly_the_questionnaire_aims_with_vocabulary_metrics() -> None:
    data = json.loads((GOALS_DIR / "data" / "aim_metrics.json").read_text(encoding="utf-8"))
    vocab = set(_vocab_metrics())

    assert aims() == QUESTIONNAIRE_AIMS
    for aim in aims():
        listed = metrics_for_aim(aim)
        assert set(listed) <= vocab, aim
        assert len(listed) == len(set(listed)), aim
        assert aim == "other" or listed, aim
    assert set(data["vanity_metrics"]) <= vocab
    assert set(data["seed_warning_aims"]) | set(data["accepts_all"]) <= set(QUESTIONNAIRE_AIMS)
