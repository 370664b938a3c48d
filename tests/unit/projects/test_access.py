from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.projects.access import AccessDenied, load_project_for, role_in
from bot.roles import Role
from tests.unit.projects.conftest import MakeProject, MakeUser


async def test_role_in(make_user: MakeUser, make_project: MakeProject) -> None:
    anna, boris, stranger = await make_user("Анна"), await make_user("Борис"), await make_user("?")
    project = await make_project(anna, client=boris)

    assert role_in(project, anna) is Role.SPECIALIST
    assert role_in(project, boris) is Role.CLIENT
    assert role_in(project, stranger) is None


@pytest.mark.parametrize("required", [None, Role.SPECIALIST])
async def test_specialist_may_act(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject, required: Role | None
) -> None:
    anna, boris = await make_user("Анна"), await make_user("Борис")
    project = await make_project(anna, client=boris)

    assert await load_project_for(session, anna, project.id, role=required) == (
        project,
        Role.SPECIALIST,
    )


@pytest.mark.parametrize("required", [None, Role.CLIENT])
async def test_client_may_act(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject, required: Role | None
) -> None:
    anna, boris = await make_user("Анна"), await make_user("Борис")
    project = await make_project(anna, client=boris)

    assert await load_project_for(session, boris, project.id, role=required) == (
        project,
        Role.CLIENT,
    )


@pytest.mark.parametrize(("who", "required"), [("anna", Role.CLIENT), ("boris", Role.SPECIALIST)])
async def test_wrong_role_is_denied(
    session: AsyncSession,
    make_user: MakeUser,
    make_project: MakeProject,
    who: str,
    required: Role,
) -> None:
    people = {"anna": await make_user("Анна"), "boris": await make_user("Борис")}
    project = await make_project(people["anna"], client=people["boris"])

    with pytest.raises(AccessDenied):
        await load_project_for(session, people[who], project.id, role=required)


@pytest.mark.parametrize("required", [None, Role.SPECIALIST, Role.CLIENT])
async def test_stranger_and_unknown_project_get_the_same_refusal(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject, required: Role | None
) -> None:
    anna, stranger = await make_user("Анна"), await make_user("Чужой")
    project = await make_project(anna)

    with pytest.raises(AccessDenied) as foreign:
        await load_project_for(session, stranger, project.id, role=required)
    with pytest.raises(AccessDenied) as unknown:
        await load_project_for(session, stranger, project.id + 1000, role=required)

    assert type(foreign.value) is type(unknown.value)
    assert foreign.value.args == unknown.value.args == ()
