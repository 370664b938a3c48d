"""Creating projects and listing the ones a person belongs to.

Never checks whether someone may act on an existing project: that is `access.load_project_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Project, ProjectStatus, User
from bot.reminders import planning
from bot.roles import Role

BRAND_MAX_LENGTH = 200
NICHE_MAX_LENGTH = 2000


class ProjectInputCode(StrEnum):
    BRAND_EMPTY = "brand_empty"
    BRAND_TOO_LONG = "brand_too_long"
    NICHE_TOO_LONG = "niche_too_long"


class ProjectInputError(ValueError):
    """Bad brand or niche; the UI words it from `code` and, for the length errors, `limit`."""

    def __init__(self, code: ProjectInputCode, *, limit: int | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.limit = limit


@dataclass(frozen=True, slots=True)
class ProjectMembership:
    project: Project
    role: Role


async def create_project(
    session: AsyncSession, specialist: User, *, brand: str, niche: str, now: datetime
) -> Project:
    """Validate before touching the database, so a rejected input leaves nothing half-made.
    Nudges about the questionnaire count from now, even if not one question is answered."""
    brand, niche = brand.strip(), niche.strip()
    if not brand:
        raise ProjectInputError(ProjectInputCode.BRAND_EMPTY)
    if len(brand) > BRAND_MAX_LENGTH:
        raise ProjectInputError(ProjectInputCode.BRAND_TOO_LONG, limit=BRAND_MAX_LENGTH)
    if len(niche) > NICHE_MAX_LENGTH:
        raise ProjectInputError(ProjectInputCode.NICHE_TOO_LONG, limit=NICHE_MAX_LENGTH)
    project = Project(specialist_id=specialist.id, brand=brand, niche=niche)
    project.specialist = specialist
    session.add(project)
    await session.flush()
    await planning.replan_project(session, project.id, now)
    return project


async def list_projects(
    session: AsyncSession, user: User, *, archived: bool = False
) -> list[ProjectMembership]:
    """Both sides at once, because one person can run one project and be the client of another.

    Archived projects are left out of every list and picker; ``archived=True`` lists only them
    (the «Архив» of /projects, where they are restored)."""
    in_archive = Project.status == ProjectStatus.ARCHIVED
    projects = await session.scalars(
        select(Project)
        .where(or_(Project.specialist_id == user.id, Project.client_id == user.id))
        .where(in_archive if archived else ~in_archive)
        .order_by(Project.created_at.desc(), Project.id.desc())
    )
    return [
        ProjectMembership(
            project, Role.SPECIALIST if project.specialist_id == user.id else Role.CLIENT
        )
        for project in projects
    ]
