from datetime import date

import pytest

from bot.reminders.pace import Outcome, PaceStatus, assess_pace, outcome, progress_share

START = date(2026, 1, 1)
DEADLINE = date(2026, 1, 11)  # ten days
DAY_5 = date(2026, 1, 6)  # half-way


def test_increasing_goal_on_the_line_is_on_track() -> None:
    pace = assess_pace(1000, 1500, START, DEADLINE, DAY_5, 1250)
    assert pace.status is PaceStatus.ON_TRACK
    assert pace.percent_done == pytest.approx(50)
    assert pace.expected_percent == pytest.approx(50)
    assert pace.expected_value == pytest.approx(1250)
    assert pace.projected == pytest.approx(1500)


@pytest.mark.parametrize(
    ("current", "status"),
    [
        (1300, PaceStatus.ON_TRACK),  # ahead of the line
        (1200, PaceStatus.AT_RISK),  # 80 % of the expected progress, the boundary
        (1210, PaceStatus.AT_RISK),
        (1199, PaceStatus.BEHIND),
        (900, PaceStatus.BEHIND),  # went the wrong way
    ],
)
def test_increasing_goal_thresholds(current: float, status: PaceStatus) -> None:
    assert assess_pace(1000, 1500, START, DEADLINE, DAY_5, current).status is status


def test_decreasing_goal_uses_the_same_shares() -> None:
    # Cost per lead from 300 down to 200: half-way in time, 250 is exactly on the line.
    on_line = assess_pace(300, 200, START, DEADLINE, DAY_5, 250)
    assert on_line.status is PaceStatus.ON_TRACK
    assert on_line.percent_done == pytest.approx(50)
    assert on_line.expected_value == pytest.approx(250)
    assert on_line.projected == pytest.approx(200)
    assert assess_pace(300, 200, START, DEADLINE, DAY_5, 260).status is PaceStatus.AT_RISK
    assert assess_pace(300, 200, START, DEADLINE, DAY_5, 280).status is PaceStatus.BEHIND
    assert assess_pace(300, 200, START, DEADLINE, DAY_5, 310).status is PaceStatus.BEHIND


def test_float_noise_on_the_line_stays_on_track() -> None:
    pace = assess_pace(0.1, 0.4, START, DEADLINE, date(2026, 1, 4), 0.19)
    assert pace.status is PaceStatus.ON_TRACK  # 0.09 / 0.3 is 0.3 give or take rounding


def test_before_start_nothing_is_expected() -> None:
    pace = assess_pace(1000, 1500, START, DEADLINE, date(2025, 12, 20), 990)
    assert pace.status is PaceStatus.ON_TRACK
    assert pace.expected_percent == 0
    assert pace.expected_value == 1000
    assert pace.projected is None


def test_after_the_deadline_the_whole_distance_is_expected() -> None:
    pace = assess_pace(1000, 1500, START, DEADLINE, date(2026, 2, 1), 1450)
    assert pace.expected_percent == 100
    assert pace.expected_value == 1500
    assert pace.projected == 1450
    assert pace.status is PaceStatus.AT_RISK


def test_overshoot_is_reported_beyond_100_percent() -> None:
    pace = assess_pace(1000, 1500, START, DEADLINE, DAY_5, 1600)
    assert pace.percent_done == pytest.approx(120)
    assert pace.status is PaceStatus.ON_TRACK


def test_deadline_must_follow_start() -> None:
    with pytest.raises(ValueError, match="deadline"):
        assess_pace(1000, 1500, START, START, START, 1000)


def test_target_must_differ_from_baseline() -> None:
    with pytest.raises(ValueError, match="target"):
        assess_pace(1000, 1000, START, DEADLINE, DAY_5, 1000)


def test_progress_share() -> None:
    assert progress_share(10, 20, 15) == 0.5
    assert progress_share(20, 10, 12) == 0.8


@pytest.mark.parametrize(
    ("baseline", "target", "final", "result"),
    [
        (1000, 1500, 1500, Outcome.ACHIEVED),
        (1000, 1500, 1700, Outcome.ACHIEVED),
        (1000, 1500, 1250, Outcome.PARTLY),  # half-way is the PARTLY boundary
        (1000, 1500, 1249, Outcome.MISSED),
        (1000, 1500, 800, Outcome.MISSED),
        (300, 200, 200, Outcome.ACHIEVED),  # decreasing target reached
        (300, 200, 240, Outcome.PARTLY),
        (300, 200, 290, Outcome.MISSED),
        (0.7, 4.2, 4.199999999999999, Outcome.ACHIEVED),  # float noise below the target
    ],
)
def test_outcome(baseline: float, target: float, final: float, result: Outcome) -> None:
    assert outcome(baseline, target, final) is result


def test_outcome_needs_a_real_goal() -> None:
    with pytest.raises(ValueError, match="target"):
        outcome(5, 5, 5)
