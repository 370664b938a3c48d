"""One source of truth for a person's zone, working days and hours.

The profile (`User.timezone`, `work_days`, `work_start`/`work_end`) is what every reminder reads;
each project's questionnaire asks the same three things for the brief. These use cases keep the
two the same whichever side changes: an answer in the questionnaire is written to the profile and
to the person's copy in their other projects, and a change in /settings is written to every
project's answers. Either way the person's reminders are re-planned in the new windows, in the
update's transaction (nothing here commits: see the policy in `bot/db/middleware.py`).
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Project, User
from bot.projects.answers import load_answers, save_answer
from bot.projects.projects import list_projects
from bot.questionnaire.answers import JsonValue
from bot.questionnaire.profile import ProfileChange, profile_answers, profile_change
from bot.reminders.planning import replan_user
from bot.roles import Role
from bot.users import set_timezone, set_work_days, set_work_hours


async def save_person_answer(
    session: AsyncSession,
    project: Project,
    user: User,
    role: Role,
    key: str,
    value: JsonValue,
    now: datetime,
) -> bool:
    """Save a questionnaire answer; True when it was a profile field and the profile moved with it
    (the person's reminders are then already re-planned)."""
    await save_answer(session, project, user, key, value, now)
    change = profile_change(role, key, value)
    if change is None or not _apply(user, change):
        return False
    await profile_changed(session, user, now)
    return True


async def change_zone(session: AsyncSession, user: User, zone: str, now: datetime) -> None:
    """/settings or onboarding: a new time zone; raises `ValueError` for a name that is none."""
    await set_timezone(session, user, zone)
    await profile_changed(session, user, now)


async def change_work_days(
    session: AsyncSession, user: User, days: list[int], now: datetime
) -> None:
    """New working days; raises `ValueError` for anything but distinct weekday numbers."""
    await set_work_days(session, user, days)
    await profile_changed(session, user, now)


async def change_work_hours(
    session: AsyncSession, user: User, start: time, end: time, now: datetime
) -> None:
    """New working hours."""
    await set_work_hours(session, user, start, end)
    await profile_changed(session, user, now)


async def profile_changed(session: AsyncSession, user: User, now: datetime) -> None:
    """After the profile moved (in /settings or through an answer): every project's copy of the
    person's availability answers follows, then their reminders are re-planned."""
    for membership in await list_projects(session, user):
        await _sync_answers(session, membership.project, user, membership.role, now)
    await replan_user(session, user, now)  # committed with the update (bot/db/middleware.py)


async def _sync_answers(
    session: AsyncSession, project: Project, user: User, role: Role, now: datetime
) -> None:
    known = profile_answers(
        role,
        timezone=user.timezone,
        work_days=user.work_days,
        work_start=user.work_start,
        work_end=user.work_end,
    )
    answers = await load_answers(session, project.id)
    for key, value in known.items():
        if answers.get(key) != value:
            await save_answer(session, project, user, key, value, now)


def _apply(user: User, change: ProfileChange) -> bool:
    """Write the change into the profile; False when it says what the profile already says."""
    before = (user.timezone, user.work_days, user.work_start, user.work_end)
    if change.timezone is not None:
        user.timezone = change.timezone
    if change.work_days is not None:
        user.work_days = list(change.work_days)
    if change.hours is not None:
        user.work_start, user.work_end = change.hours.start, change.hours.end
    return before != (user.timezone, user.work_days, user.work_start, user.work_end)
