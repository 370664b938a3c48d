"""Progress and pace of one goal, measured against a straight line from baseline to target.

The line runs from the baseline on the start date to the target on the deadline. Everything is a
share of the distance between them, so a goal whose number should go down (cost per lead from 300
to 200) works the same way as one that should go up (followers from 1 000 to 1 500).

Thresholds (shares of the progress the line expects by today):

* ON_TRACK — at least 100 %;
* AT_RISK  — at least 80 %;
* BEHIND   — less than that, including moving away from the target.

Before the start date nothing is expected yet, so any value is on track.

Outcome at the deadline (shares of the whole distance): ACHIEVED at 100 % or more, PARTLY at 50 %
or more, MISSED below.

This module only computes; it never reads the clock, stores values or words a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

ON_TRACK_SHARE = 1.0
AT_RISK_SHARE = 0.8
PARTLY_SHARE = 0.5
# Floating-point noise must not turn "exactly on the line" into "at risk".
_TOLERANCE = 1e-9


class PaceStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"


class Outcome(StrEnum):
    ACHIEVED = "achieved"
    PARTLY = "partly"
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class Pace:
    """Where a goal stands today.

    ``percent_done`` and ``expected_percent`` are shares of the baseline→target distance (may
    leave 0..100 when the value overshoots or goes the wrong way). ``projected`` is the value on
    the deadline if the pace so far holds; None before the start date.
    """

    percent_done: float
    expected_percent: float
    expected_value: float
    projected: float | None
    status: PaceStatus


def progress_share(baseline: float, target: float, value: float) -> float:
    """How far ``value`` has gone from baseline to target: 0 at the baseline, 1 at the target."""
    if target == baseline:
        raise ValueError("a goal needs a target different from its baseline")
    return (value - baseline) / (target - baseline)


def assess_pace(
    baseline: float, target: float, start: date, deadline: date, today: date, current: float
) -> Pace:
    if deadline <= start:
        raise ValueError("the deadline must come after the start date")
    done = progress_share(baseline, target, current)
    elapsed = min(max((today - start).days / (deadline - start).days, 0.0), 1.0)
    if elapsed == 0:
        status, projected = PaceStatus.ON_TRACK, None
    else:
        status = _status(done / elapsed)
        projected = baseline + (current - baseline) / elapsed
    return Pace(
        percent_done=done * 100,
        expected_percent=elapsed * 100,
        expected_value=baseline + (target - baseline) * elapsed,
        projected=projected,
        status=status,
    )


def outcome(baseline: float, target: float, final: float) -> Outcome:
    done = progress_share(baseline, target, final)
    if done >= 1 - _TOLERANCE:
        return Outcome.ACHIEVED
    if done >= PARTLY_SHARE - _TOLERANCE:
        return Outcome.PARTLY
    return Outcome.MISSED


def _status(share_of_expected: float) -> PaceStatus:
    if share_of_expected >= ON_TRACK_SHARE - _TOLERANCE:
        return PaceStatus.ON_TRACK
    if share_of_expected >= AT_RISK_SHARE - _TOLERANCE:
        return PaceStatus.AT_RISK
    return PaceStatus.BEHIND
