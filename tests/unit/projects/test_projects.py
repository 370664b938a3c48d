from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Project, ProjectStatus, Reminder
from bot.projects.projects import (
    BRAND_MAX_LENGTH,
    NICHE_MAX_LENGTH,
    ProjectInputCode,
    ProjectInputError,
    create_project,
    list_projects,
)
from bot.reminders.rules import ReminderKind
from bot.roles import Role
from tests.unit.projects.conftest import MakeProject, MakeUser


async def test_create_project_trims_and_plans_the_nudges_in_the_callers_transaction(
    session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    make_user: MakeUser,
    now: datetime,
) -> None:
    anna = await make_user("Анна")
    await session.commit()

    project = await create_project(
        session, anna, brand="  Кофейня «Зерно» ", niche="\n кофе \n", now=now
    )

    assert (project.brand, project.niche) == ("Кофейня «Зерно»", "кофе")
    assert project.specialist is anna
    assert project.client_id is None
    assert project.status is ProjectStatus.QUESTIONNAIRE
    kinds = await session.scalars(select(Reminder.kind).where(Reminder.project_id == project.id))
    assert ReminderKind.QUESTIONS_PENDING in set(kinds)  # planned with the project, not later
    async with session_factory() as other:  # not committed: the update commits, not the service
        assert await other.scalar(select(func.count()).select_from(Project)) == 0
    await session.rollback()
    assert await session.scalar(select(func.count()).select_from(Reminder)) == 0


async def test_create_project_accepts_limits_and_empty_niche(
    session: AsyncSession, make_user: MakeUser, now: datetime
) -> None:
    anna = await make_user("Анна")

    project = await create_project(
        session,
        anna,
        brand="б" * BRAND_MAX_LENGTH,
        niche="н" * NICHE_MAX_LENGTH,
        now=now,
    )
    bare = await create_project(session, anna, brand="x", niche="   ", now=now)

    assert len(project.brand) == BRAND_MAX_LENGTH and len(project.niche) == NICHE_MAX_LENGTH
    assert bare.niche == ""


@pytest.mark.parametrize(
    ("brand", "niche", "code", "limit"),
    [
        ("", "кофе", ProjectInputCode.BRAND_EMPTY, None),
        ("  \t\n", "кофе", ProjectInputCode.BRAND_EMPTY, None),
        ("б" * (BRAND_MAX_LENGTH + 1), "", ProjectInputCode.BRAND_TOO_LONG, BRAND_MAX_LENGTH),
        (
            "Кофейня",
            "н" * (NICHE_MAX_LENGTH + 1),
            ProjectInputCode.NICHE_TOO_LONG,
            NICHE_MAX_LENGTH,
        ),
    ],
)
async def test_create_project_rejects_bad_input_with_a_code(
    session: AsyncSession,
    make_user: MakeUser,
    brand: str,
    niche: str,
    code: ProjectInputCode,
    limit: int | None,
    now: datetime,
) -> None:
    anna = await make_user("Анна")

    with pytest.raises(ProjectInputError) as caught:
        await create_project(session, anna, brand=brand, niche=niche, now=now)

    assert isinstance(caught.value, ValueError)
    assert (caught.value.code, caught.value.limit) == (code, limit)
    assert await session.scalar(select(func.count()).select_from(Project)) == 0


async def test_list_projects_gives_both_roles_newest_first(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject
) -> None:
    anna, boris, vera = await make_user("Анна"), await make_user("Борис"), await make_user("Вера")
    oldest = await make_project(anna, brand="oldest")  # Anna runs it, no client yet
    middle = await make_project(boris, client=anna, brand="middle")  # Anna is the client
    newest = await make_project(anna, client=boris, brand="newest")
    await make_project(boris, client=vera, brand="not Anna's")
    for age, project in enumerate([newest, middle, oldest]):
        project.created_at -= timedelta(days=age)
    await session.commit()

    memberships = await list_projects(session, anna)

    assert [(m.project.brand, m.role) for m in memberships] == [
        ("newest", Role.SPECIALIST),
        ("middle", Role.CLIENT),
        ("oldest", Role.SPECIALIST),
    ]
    assert [(m.project.brand, m.role) for m in await list_projects(session, vera)] == [
        ("not Anna's", Role.CLIENT)
    ]


async def test_list_projects_breaks_ties_by_newest_id(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject
) -> None:
    anna = await make_user("Анна")
    first, second = (
        await make_project(anna, brand="first"),
        await make_project(anna, brand="second"),
    )
    second.created_at = first.created_at
    await session.commit()

    assert [m.project.brand for m in await list_projects(session, anna)] == ["second", "first"]


async def test_list_projects_is_empty_for_a_stranger(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject
) -> None:
    anna, stranger = await make_user("Анна"), await make_user("Чужой")
    await make_project(anna)

    assert await list_projects(session, stranger) == []
