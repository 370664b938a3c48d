import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from bot.briefs.snapshot import (
    GoalInfo,
    PersonInfo,
    ProjectInfo,
    brief_changes,
    brief_content,
    brief_hash,
    build_snapshot,
)
from bot.briefs.versioning import ChangeKind
from testkit import brief_sample as sample


def _build(**overrides: object) -> dict[str, object]:
    arguments: dict[str, object] = {
        "project": ProjectInfo("Уютный свитер", "вязание"),
        "specialist": sample.SPECIALIST,
        "client": sample.CLIENT,
        "answers": sample.answers(2),
        "goals": sample.goals(3),
        "version": 1,
        "created_at": sample.CREATED_AT,
    }
    arguments.update(overrides)
    return build_snapshot(**arguments)  # type: ignore[arg-type]


def test_snapshot_is_plain_json_with_iso_dates() -> None:
    snapshot = _build()
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["created_at"] == "2026-08-01T09:05:00+00:00"
    goal = snapshot["goals"][0]  # type: ignore[index]
    assert goal["deadline"] == "2026-09-30"
    assert goal["target"] == 40 and isinstance(goal["target"], int)


def test_created_at_is_stored_in_utc_and_must_be_aware() -> None:
    moscow = datetime(2026, 8, 1, 12, 5, tzinfo=timezone(timedelta(hours=3)))
    assert _build(created_at=moscow)["created_at"] == "2026-08-01T09:05:00+00:00"
    with pytest.raises(ValueError, match="timezone-aware"):
        _build(created_at=datetime(2026, 8, 1, 9, 5))


def test_same_answers_give_the_same_hash_whatever_the_version_and_date() -> None:
    first = _build()
    again = _build(version=7, created_at=datetime(2027, 1, 1, tzinfo=UTC))
    assert brief_hash(first) == brief_hash(again)
    assert brief_changes(first, again) == []
    assert "version" not in brief_content(again) and "created_at" not in brief_content(again)


def test_goal_order_does_not_change_the_hash_and_ids_sort_numerically() -> None:
    goals = [
        replace(goal, id=goal_id) for goal, goal_id in zip(sample.goals(3), (10, 2, 1), strict=True)
    ]
    snapshot = _build(goals=goals)
    assert [goal["id"] for goal in snapshot["goals"]] == [1, 2, 10]  # type: ignore[attr-defined]
    assert brief_hash(_build(goals=list(reversed(goals)))) == brief_hash(snapshot)


def test_answers_no_longer_asked_do_not_count() -> None:
    stale = {**sample.answers(2), "channel.ok.audience": 5000, "retired_question": "x"}
    snapshot = _build(answers=stale)
    assert "channel.ok.audience" not in snapshot["answers"]  # type: ignore[operator]
    assert "retired_question" not in snapshot["answers"]  # type: ignore[operator]
    assert brief_hash(snapshot) == brief_hash(_build())


def test_a_changed_answer_changes_the_hash_and_shows_in_the_diff() -> None:
    before = _build()
    after = _build(answers={**sample.answers(2), "channel.vk.audience": 1500}, version=2)
    assert brief_hash(before) != brief_hash(after)
    [change] = brief_changes(before, after)
    assert change.path == ("answers", "channel.vk.audience")
    assert (change.old, change.new, change.kind) == (1000, 1500, ChangeKind.CHANGED)


def test_goals_are_diffed_by_id() -> None:
    before = _build(goals=sample.goals(2))
    moved = replace(sample.goals(2)[1], deadline=date(2026, 12, 31))
    after = _build(goals=[sample.goals(1)[0], moved])
    [change] = brief_changes(before, after)
    assert change.path == ("goals", 2, "deadline")
    assert (change.old, change.new) == ("2026-10-30", "2026-12-31")


def test_participants_keep_contacts_and_availability() -> None:
    specialist = PersonInfo(
        "Анна", "anna", "Asia/Yekaterinburg", (4, 0, 0, 2), time(9, 30), time(18)
    )
    snapshot = _build(specialist=specialist, client=None)
    assert snapshot["participants"] == {
        "specialist": {
            "name": "Анна",
            "username": "anna",
            "timezone": "Asia/Yekaterinburg",
            "work_days": [0, 2, 4],
            "work_hours": {"start": "09:30", "end": "18:00"},
        },
        "client": None,
    }
    bare = _build(specialist=PersonInfo("Анна"))["participants"]["specialist"]  # type: ignore[index]
    assert bare["work_days"] is None and bare["work_hours"] is None


def test_relevance_is_recorded_against_the_aim() -> None:
    goals = [
        GoalInfo(1, "Продать 40 курток", "units_sold", 40, date(2026, 9, 30)),
        GoalInfo(2, "+500 подписчиков", "followers", 500, date(2026, 9, 30)),
        GoalInfo(3, "Что-то новое", "not_a_metric", 1, date(2026, 9, 30)),
    ]
    served = [goal["serves_aim"] for goal in _build(goals=goals)["goals"]]  # type: ignore[attr-defined]
    assert served == [True, False, None]
    no_aim = {key: value for key, value in sample.answers(2).items() if key != "aim"}
    assert {goal["serves_aim"] for goal in _build(goals=goals, answers=no_aim)["goals"]} == {None}  # type: ignore[attr-defined]


def test_unknown_verdicts_are_refused() -> None:
    with pytest.raises(ValueError, match="verdict"):
        _build(goals=[replace(sample.goals(1)[0], verdict="maybe")])
