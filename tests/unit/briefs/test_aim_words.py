"""The aim in the client's own words reaches the brief and its relevance (issue #14, item 4)."""

from __future__ import annotations

from datetime import date

from bot.briefs.render import render_chat, render_diff
from bot.briefs.snapshot import GoalInfo, ProjectInfo, brief_changes, brief_hash, build_snapshot
from bot.questionnaire.catalogue import load_catalogue
from testkit import brief_sample as sample

WORDS = "набрать группу на весенний <курс>"


def _snapshot(answers: dict[str, object]) -> dict[str, object]:
    return build_snapshot(
        project=ProjectInfo("Уютный свитер", "вязание"),
        specialist=sample.SPECIALIST,
        client=sample.CLIENT,
        answers=answers,
        goals=[
            GoalInfo(1, "+500 подписчиков", "followers", 500, date(2026, 9, 30)),
            GoalInfo(2, "60 заявок на курс", "leads", 60, date(2026, 9, 30)),
        ],
        version=1,
        created_at=sample.CREATED_AT,
    )


def _other_in_words() -> dict[str, object]:
    answers = sample.answers(2)
    answers.update({"aim": "other", "aim.words": WORDS, "aim_success": "группа набрана"})
    return answers


def test_the_words_are_kept_and_judge_the_goals() -> None:
    snapshot = _snapshot(_other_in_words())

    assert snapshot["answers"]["aim.words"] == WORDS  # type: ignore[index]
    served = [goal["serves_aim"] for goal in snapshot["goals"]]  # type: ignore[attr-defined]
    assert served == [False, True]


def test_other_accepts_every_goal_unless_the_client_words_say_otherwise() -> None:
    answers = sample.answers(2)
    answers["aim"] = "other"
    answers["aim_success"] = "будем довольны"  # names no aim
    served = [goal["serves_aim"] for goal in _snapshot(answers)["goals"]]  # type: ignore[attr-defined]
    assert served == [True, True]
    answers["aim_success"] = "К сентябрю на складе не осталось летней коллекции"
    served = [goal["serves_aim"] for goal in _snapshot(answers)["goals"]]  # type: ignore[attr-defined]
    assert served == [False, True]


def test_the_brief_shows_the_option_with_the_words_escaped() -> None:
    snapshot = _snapshot(_other_in_words())

    text = "\n".join(render_chat(snapshot, "ru", content_hash=brief_hash(snapshot)))

    assert "Другое — «набрать группу на весенний &lt;курс&gt;»" in text


def test_a_change_of_the_words_is_named_as_the_aim_in_the_diff() -> None:
    before = _snapshot(_other_in_words())
    answers = _other_in_words()
    answers["aim.words"] = "закрыть склад до переезда"
    after = _snapshot(answers)

    message = render_diff(brief_changes(before, after), "ru", load_catalogue(), snapshot=after)

    assert "aim.words" not in message
    assert "набрать группу на весенний &lt;курс&gt; → закрыть склад до переезда" in message
