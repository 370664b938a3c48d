"""The goal dialog's use cases: saving a new goal and removing one, with whom the change concerns.

A project's goals are part of its brief, so a goal added or removed after a version went out
changes what the client signed or is signing: the outcome names that version, and the UI tells
the client after the update's commit. The writes and the re-planning of the reminders happen in
the update's transaction (`add_goal`, `delete_goal`); nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Goal, Project, User
from bot.goals.check import Draft
from bot.projects.briefs import goal_standing, latest_version
from bot.projects.goals import add_goal, delete_goal


@dataclass(frozen=True, slots=True)
class GoalChange:
    """The goal's text, and the brief version sent before the change (None: none went out with
    it, nobody is told)."""

    text: str
    version: int | None


async def save_goal(
    session: AsyncSession,
    project: Project | None,
    owner: User,
    draft: Draft,
    *,
    verdict: str | None,
    relevance_reason: str | None,
    now: datetime,
) -> GoalChange:
    """A project's goal (or, without a project, a personal one); raises `TooManyGoals`."""
    await add_goal(
        session,
        project_id=project.id if project else None,
        owner=owner,
        draft=draft,
        verdict=verdict,
        relevance_reason=relevance_reason,
        now=now,
    )
    sent = await latest_version(session, project.id) if project is not None else None
    return GoalChange(draft.text, sent.number if sent is not None else None)


async def remove_goal(
    session: AsyncSession, project: Project | None, goal: Goal, now: datetime
) -> GoalChange:
    """The version the goal was last sent in is read before the goal goes."""
    standing = await goal_standing(session, project, goal.id) if project is not None else None
    text = goal.text
    await delete_goal(session, goal, now)
    return GoalChange(text, standing.version if standing is not None else None)
