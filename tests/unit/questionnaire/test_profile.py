from datetime import time

from bot.questionnaire.flow import Flow
from bot.questionnaire.hours import Hours
from bot.questionnaire.profile import ProfileChange, profile_answers, profile_change
from bot.roles import Role


def test_profile_fills_the_persons_own_availability() -> None:
    answers = profile_answers(
        Role.CLIENT,
        timezone="Asia/Yekaterinburg",
        work_days=[4, 0, 0],
        work_start=time(9),
        work_end=time(18),
    )
    assert answers == {
        "timezone.client": "Asia/Yekaterinburg",
        "work_days.client": [0, 4],
        "work_hours.client": {"start": "09:00", "end": "18:00"},
    }
    flow = Flow(Role.CLIENT, answers)
    assert all(flow.is_done(flow.step(key)) for key in answers)  # type: ignore[arg-type]


def test_nothing_known_nothing_filled() -> None:
    assert (
        profile_answers(
            Role.SPECIALIST, timezone=None, work_days=None, work_start=None, work_end=None
        )
        == {}
    )


def test_an_answer_to_ones_own_availability_changes_the_profile() -> None:
    assert profile_change(Role.CLIENT, "timezone.client", "Asia/Novosibirsk") == ProfileChange(
        timezone="Asia/Novosibirsk"
    )
    assert profile_change(Role.CLIENT, "work_days.client", [5, 0, 1]) == ProfileChange(
        work_days=(0, 1, 5)
    )
    assert profile_change(
        Role.SPECIALIST, "work_hours.specialist", {"start": "09:00", "end": "18:00"}
    ) == ProfileChange(hours=Hours(time(9), time(18)))


def test_other_answers_and_junk_leave_the_profile_alone() -> None:
    assert profile_change(Role.CLIENT, "timezone.specialist", "Asia/Novosibirsk") is None
    assert profile_change(Role.CLIENT, "aim", "sales") is None
    assert profile_change(Role.CLIENT, "timezone.client", {"skipped": True}) is None
    assert profile_change(Role.CLIENT, "timezone.client", "Mars/Olympus") is None
    assert profile_change(Role.CLIENT, "work_days.client", []) is None
    assert profile_change(Role.CLIENT, "work_hours.client", {"start": "late"}) is None
