"""The goal check reads the aim in the client's words and their success answer (issue #14)."""

from __future__ import annotations

from datetime import date

from bot.goals.check import Draft, ProjectFacts, check_goal
from bot.projects.goals import facts_from_answers

TODAY = date(2026, 11, 23)


def _followers() -> Draft:
    return Draft(
        text="+300 подписчиков в ВК",
        metric="followers",
        target=300.0,
        unit="people",
        channel="vk",
        deadline=date(2027, 2, 1),
        baseline=800.0,
        target_is_gain=True,
    )


def test_an_other_aim_in_words_about_sign_ups_warns_on_followers() -> None:
    facts = ProjectFacts(aim="other", aim_words="набрать группу на весенний курс", channels=("vk",))

    relevance = check_goal(_followers(), facts, TODAY).relevance

    assert relevance is not None and not relevance.serves and relevance.seed_warning
    assert relevance.suggested_metrics[0] == "leads"


def test_an_other_aim_without_words_still_accepts_followers() -> None:
    relevance = check_goal(
        _followers(), ProjectFacts(aim="other", channels=("vk",)), TODAY
    ).relevance

    assert relevance is not None and relevance.serves


def test_facts_carry_the_words_and_the_success_answer() -> None:
    facts = facts_from_answers(
        {
            "aim": "other",
            "aim.words": "закрыть склад до переезда",
            "aim_success": "на складе пусто",
            "channels": ["vk"],
        }
    )

    assert (facts.aim, facts.aim_words, facts.success) == (
        "other",
        "закрыть склад до переезда",
        "на складе пусто",
    )
    relevance = check_goal(_followers(), facts, TODAY).relevance
    assert relevance is not None and relevance.seed_warning
    assert relevance.suggested_metrics[0] == "units_sold"
