from datetime import time

from bot.questionnaire.flow import Flow
from bot.questionnaire.profile import profile_answers
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
