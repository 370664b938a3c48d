"""/settings turns the specialist's Monday summary off and on: stored on the person, the planned
digest cancelled and planned again; someone who is not a specialist is not offered it."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Bot, Dispatcher
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Reminder, ReminderStatus, User
from bot.projects import create_project
from bot.reminders.rules import ReminderKind
from tests.dispatcher.harness import ChatUser

Factory = async_sessionmaker[AsyncSession]


async def _user(factory: Factory, person: ChatUser) -> User:
    async with factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == person.user.id))
        assert user is not None
        return user


async def _digests(factory: Factory) -> list[ReminderStatus]:
    async with factory() as session:
        rows = await session.scalars(
            select(Reminder.status).where(Reminder.kind == ReminderKind.WEEKLY_DIGEST)
        )
        return list(rows)


async def test_the_monday_summary_is_turned_off_and_on_in_settings(
    anna: ChatUser, dispatcher: Dispatcher, bot: Bot, session_factory: Factory
) -> None:
    boris = ChatUser(dispatcher, bot, 1002, name="Борис")
    await anna.send("/help")  # first contact creates the user rows
    await boris.send("/help")
    async with session_factory() as session:
        specialist = await session.scalar(select(User).where(User.telegram_id == anna.user.id))
        assert specialist is not None
        specialist.is_specialist = True
        await create_project(
            session, specialist, brand="Зерно", niche="кофе", now=datetime.now(UTC)
        )  # plans the project's reminders and the specialist's digest
        await session.commit()
    assert await _digests(session_factory) == [ReminderStatus.PLANNED]

    await anna.send("/settings")
    assert "🗓 Сводка по понедельникам: вкл." in anna.buttons()
    await anna.click("Сводка по понедельникам")
    assert not (await _user(session_factory, anna)).weekly_digest
    assert await _digests(session_factory) == [ReminderStatus.CANCELLED]
    assert "🗓 Сводка по понедельникам: выкл." in anna.buttons()

    await anna.click("Сводка по понедельникам")
    assert (await _user(session_factory, anna)).weekly_digest
    assert await _digests(session_factory) == [ReminderStatus.PLANNED]

    await boris.send("/settings")
    assert not any("Сводка" in label for label in boris.buttons())
