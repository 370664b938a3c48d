"""The one place that decides whether a person may act on a project, and in which role.

Handlers and dialogs must load a project through `load_project_for` rather than by id, because
callback data and deep links come from the client and are never trusted. Unknown and foreign
projects raise the same error, so nobody can probe which ids exist.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

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
    project = await session.get(Project, project_id)
    actual = None if project is None else role_in(project, user)
    if project is None or actual is None or (role is not None and actual is not role):
        raise AccessDenied
    return project, actual
