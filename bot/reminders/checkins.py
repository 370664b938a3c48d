"""Check-ins as the database holds them: the values typed for each goal of a signed brief, and
where each goal stands against its line.

Services: an ``AsyncSession`` first, never a commit (the update's), dataclasses out. They
never talk to Telegram and never word anything; the line, pace and outcome arithmetic is the
pure ``bot.reminders.goal_line``. Dates of check-ins are the local dates of the zone passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import CheckIn, User
from bot.reminders.goal_line import Line, Reading, SignedGoal, line_of, measured, read_value
from bot.reminders.planning import SignedVersion


@dataclass(frozen=True, slots=True)
class GoalProgress:
    """One goal: its line (None while it has none), the values so far by local date, and what
    the latest value means (None without a value or a line)."""

    goal: SignedGoal
    line: Line | None
    points: tuple[tuple[date, float], ...]
    reading: Reading | None

    @property
    def latest(self) -> float | None:
        return self.points[-1][1] if self.points else None


async def record_checkin(
    session: AsyncSession, project_id: int, goal_id: int, value: float, by: User, at: datetime
) -> CheckIn:
    checkin = CheckIn(project_id=project_id, goal_id=goal_id, value=value, at=at, by=by.id)
    session.add(checkin)
    return checkin


async def checkin_history(session: AsyncSession, project_id: int, goal_id: int) -> list[CheckIn]:
    rows = await session.scalars(
        select(CheckIn)
        .where(CheckIn.project_id == project_id, CheckIn.goal_id == goal_id)
        .order_by(CheckIn.at, CheckIn.id)
    )
    return list(rows)


async def goal_progress(
    session: AsyncSession,
    project_id: int,
    signed: SignedVersion,
    goal: SignedGoal,
    zone: tzinfo,
    today: date,
) -> GoalProgress:
    history = await checkin_history(session, project_id, goal.goal_id)
    typed = tuple((row.at.astimezone(zone).date(), row.value) for row in history)
    points = measured(goal, typed)
    signed_on = signed.signed_at.astimezone(zone).date()
    line = line_of(goal, signed_on, points[0] if points else None)
    reading = None
    # Without a baseline the first value is the line's start, so it says nothing about pace;
    # a total starts from zero, so its very first addition already does.
    starts_known = goal.baseline is not None or goal.cumulative
    if line is not None and points and (starts_known or len(points) > 1):
        reading = read_value(line, today, points[-1][1])
    return GoalProgress(goal, line, points, reading)
