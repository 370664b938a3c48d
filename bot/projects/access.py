"""The one place that decides whether a person may act on a project, and in which role.

Handlers and dialogs must load a project through `load_project_for` rather than by id, because
callback data and deep links come from the client and are never trusted. Unknown and foreign
projects raise the same error, so nobody can probe which ids exist.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.db.models import Project, User
from bot.roles import Role


class AccessDenied(Exception):
    """Deliberately without detail: the UI shows one neutral message for every refusal."""


def role_in(project: Project, user: User) -> Role | None:
    if project.specialist_id == user.id:
        return Role.SPECIALIST
    if project.client_id == user.id:
        return Role.CLIENT
    return None


async def load_project_for(
    session: AsyncSession, user: User, project_id: int, *, role: Role | None = None
) -> tuple[Project, Role]:
    """The project and the user's role in it; with `role`, only if they hold exactly that role."""
    project = await _get(session, project_id)
    actual = None if project is None else role_in(project, user)
    if project is None or actual is None or (role is not None and actual is not role):
        raise AccessDenied
    return project, actual


#: The project with both its people (the relationships load joined), built once: `session.get`
#: builds this select anew each time the project is not in the session yet — a sixth of the load
#: on every update.
_BY_ID = select(Project).where(Project.id == bindparam("project_id"))


async def _get(session: AsyncSession, project_id: int) -> Project | None:
    """`session.get(Project, project_id)` with the statement above."""
    if Session.identity_key(Project, project_id) in session.identity_map:
        return await session.get(Project, project_id)  # no statement; refreshed if expired
    result = await session.execute(_BY_ID, {"project_id": project_id})
    return result.scalar_one_or_none()
