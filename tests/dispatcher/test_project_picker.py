"""/brief and /goals with several projects ask which one (the /checkin picker), with one go
straight in; archived projects are never offered."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import User
from bot.projects import create_project
from bot.projects.lifecycle import archive_project
from tests.dispatcher.harness import ChatUser

Factory = async_sessionmaker[AsyncSession]


async def _two_projects(factory: Factory, anna: ChatUser) -> dict[str, int]:
    """Anna's «Зерно», then a newer «Лён»."""
    await anna.send("/help")
    ids: dict[str, int] = {}
    async with factory() as session:
        specialist = await session.scalar(select(User).where(User.telegram_id == anna.user.id))
        assert specialist is not None
        for brand in ("Зерно", "Лён"):
            ids[brand] = (
                await create_project(
                    session, specialist, brand=brand, niche="кофе", now=datetime.now(UTC)
                )
            ).id
        await session.commit()
    return ids


async def _archive(factory: Factory, anna: ChatUser, project_id: int) -> None:
    async with factory() as session:
        specialist = await session.scalar(select(User).where(User.telegram_id == anna.user.id))
        assert specialist is not None
        await archive_project(session, specialist, project_id, datetime.now(UTC))
        await session.commit()


async def test_brief_asks_which_project_and_shows_the_one_pressed(
    anna: ChatUser, session_factory: Factory
) -> None:
    await _two_projects(session_factory, anna)

    await anna.send("/brief")
    assert anna.last.text == "Бриф какого проекта показать?"
    assert anna.buttons() == ["Лён", "Зерно"]  # newest first

    await anna.click("Зерно")
    assert "Бриф «Зерно»" in (anna.last.text or "")


async def test_goals_asks_which_project_and_opens_the_one_pressed(
    anna: ChatUser, session_factory: Factory
) -> None:
    await _two_projects(session_factory, anna)

    await anna.send("/goals")
    assert anna.last.text == "Цели какого проекта открыть?"
    assert anna.buttons() == ["Лён", "Зерно"]

    await anna.click("Зерно")
    assert "Цели проекта «Зерно»" in (anna.last.text or "")


async def test_an_archived_project_is_not_offered_and_one_left_opens_at_once(
    anna: ChatUser, session_factory: Factory
) -> None:
    ids = await _two_projects(session_factory, anna)
    await _archive(session_factory, anna, ids["Лён"])

    await anna.send("/brief")
    assert "Бриф «Зерно»" in (anna.last.text or "")
    await anna.send("/goals")
    assert "Цели проекта «Зерно»" in (anna.last.text or "")


async def test_the_pickers_are_one_widget(anna: ChatUser, session_factory: Factory) -> None:
    """A long brand is cut the same way in every picker, so the keyboards look alike."""
    await anna.send("/help")
    async with session_factory() as session:
        specialist = await session.scalar(select(User).where(User.telegram_id == anna.user.id))
        assert specialist is not None
        await create_project(
            session, specialist, brand="Зерно", niche="кофе", now=datetime.now(UTC)
        )
        long_brand = "Мастерская вязаных игрушек ручной работы"
        await create_project(
            session, specialist, brand=long_brand, niche="игрушки", now=datetime.now(UTC)
        )
        await session.commit()

    await anna.send("/brief")
    brief_buttons = anna.buttons()
    await anna.send("/goals")
    assert anna.buttons() == brief_buttons == ["Мастерская вязаных игрушек ручн…", "Зерно"]
