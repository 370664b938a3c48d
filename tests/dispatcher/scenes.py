"""Scenes several dispatcher tests start from."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import BriefVersion, User
from bot.goals.check import Draft
from bot.projects import create_project, save_answer
from bot.projects.goals import add_goal
from testkit import brief_sample as sample
from tests.dispatcher.harness import ChatUser

Factory = async_sessionmaker[AsyncSession]


async def stored_user(session: AsyncSession, person: ChatUser) -> User:
    """The person's row, which the bot wrote on their first message."""
    found = await session.scalar(select(User).where(User.telegram_id == person.user.id))
    assert found is not None
    return found


async def complete_project(
    factory: Factory, anna: ChatUser, boris: ChatUser, *, deadline: date | None = None
) -> int:
    """Anna's project «Зерно» with Boris as its client, every answer and one goal due on
    ``deadline`` (today unless given); returns the project's id."""
    await anna.send("/help")
    await boris.send("/help")
    async with factory() as session:
        specialist = await stored_user(session, anna)
        project = await create_project(
            session, specialist, brand="Зерно", niche="кофе", now=datetime.now(UTC)
        )
        project.client_id = (await stored_user(session, boris)).id
        await session.commit()
        now = datetime.now(UTC)
        for key, value in sample.answers(1).items():
            await save_answer(session, project, specialist, key, value, now)
        due = deadline or now.date()
        draft = Draft("Продать 40 курток", "units_sold", 40, "units", "vk", due, 0, False)
        await add_goal(
            session,
            project_id=project.id,
            owner=specialist,
            draft=draft,
            verdict="realistic",
            relevance_reason=None,
            now=datetime.now(UTC),
        )
        await session.commit()
        return project.id


async def signed_off_project(factory: Factory, anna: ChatUser, boris: ChatUser) -> dict[str, int]:
    """Anna's complete project with Boris as its client, its brief sent for sign-off."""
    project_id = await complete_project(factory, anna, boris)
    await anna.send("/brief")
    await anna.click("Отправить")
    async with factory() as session:
        version = await session.scalar(select(BriefVersion.id))
    assert version is not None
    return {"p": project_id, "v": version}
