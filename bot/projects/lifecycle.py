"""Archiving and restoring a project: the specialist's to decide, the client's to be told.

Archiving hides a finished or paused project from every list and picker and cancels its pending
reminders; restoring puts it back where it stood and plans its reminders again. Only the
specialist may do either: the project is their work for the client, and the client's own way
out is leaving the bot with their data (see the README's roles paragraph).

Like the other services here these write and re-plan but never commit: the update's
transaction (bot/db/middleware.py) commits them, and the notice to the other side goes out
after that (bot/notify.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Project, ProjectStatus, User
from bot.projects.access import load_project_for
from bot.reminders.planning import replan_project
from bot.roles import Role


@dataclass(frozen=True, slots=True)
class LifecycleOutcome:
    """What the UI shows the specialist (``changed`` false: it already was so, a repeated tap)
    and whom it tells: the client, if the project has one."""

    project: Project
    changed: bool
    notify: User | None


async def archive_project(
    session: AsyncSession, user: User, project_id: int, now: datetime
) -> LifecycleOutcome:
    """Raises `AccessDenied` for anyone but the project's specialist."""
    project, _role = await load_project_for(session, user, project_id, role=Role.SPECIALIST)
    if project.status is ProjectStatus.ARCHIVED:
        return LifecycleOutcome(project, False, None)
    project.archived_from = project.status.value
    project.archived_at = now
    project.status = ProjectStatus.ARCHIVED
    await session.flush()
    await replan_project(session, project.id, now)  # an archived project plans nothing
    return LifecycleOutcome(project, True, project.client)


async def restore_project(
    session: AsyncSession, user: User, project_id: int, now: datetime
) -> LifecycleOutcome:
    """Back to the status it was archived from; raises `AccessDenied` like `archive_project`."""
    project, _role = await load_project_for(session, user, project_id, role=Role.SPECIALIST)
    if project.status is not ProjectStatus.ARCHIVED:
        return LifecycleOutcome(project, False, None)
    project.status = ProjectStatus(project.archived_from or ProjectStatus.QUESTIONNAIRE.value)
    project.archived_from = None
    project.archived_at = None
    await session.flush()
    await replan_project(session, project.id, now)
    return LifecycleOutcome(project, True, project.client)
