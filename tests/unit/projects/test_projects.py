from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Project, ProjectStatus
from bot.projects.projects import (
    BRAND_MAX_LENGTH,
    NICHE_MAX_LENGTH,
    ProjectInputCode,
    ProjectInputError,
    create_project,
    list_projects,
)
from bot.roles import Role
from tests.unit.projects.conftest import MakeProject, MakeUser


async def test_create_project_trims_and_persists(
    session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    make_user: MakeUser,
) -> None:
    anna = await make_user("Анна")

    project = await create_project(session, anna, brand="  Кофейня «Зерно» ", niche="\n кофе \n")

    assert (project.brand, project.niche) == ("Кофейня «Зерно»", "кофе")
    assert project.specialist is anna
    assert project.client_id is None
    assert project.status is ProjectStatus.QUESTIONNAIRE
    async with session_factory() as other:  # committed, visible to the next update's session
        stored = await other.get(Project, project.id)
        assert stored is not None and stored.specialist_id == anna.id


async def test_create_project_accepts_limits_and_empty_niche(
    session: AsyncSession, make_user: MakeUser
) -> None:
    anna = await make_user("Анна")

    project = await create_project(
        session, anna, brand="б" * BRAND_MAX_LENGTH, niche="н" * NICHE_MAX_LENGTH
    )
    bare = await create_project(session, anna, brand="x", niche="   ")

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
) -> None:
    anna = await make_user("Анна")

    with pytest.raises(ProjectInputError) as caught:
        await create_project(session, anna, brand=brand, niche=niche)

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
