"""Check-ins, /reminders, /calendar and the reminders' buttons through the real dispatcher."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import SendDocument, SendPhoto
from aiogram.types import BufferedInputFile
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import ShiftedClock
from bot.db.models import CheckIn, Reminder, ReminderStatus
from bot.reminders.messages import render_reminder
from bot.reminders.planner import ReminderKind
from bot.reminders.planning import replan_project
from tests.dispatcher.harness import ChatUser
from tests.reminders.signed import GoalSpec, person, signed_project

Factory = async_sessionmaker[AsyncSession]
SIGNED = datetime(2026, 4, 1, 7, 0, tzinfo=UTC)
NOW = datetime(2026, 4, 16, 9, 0, tzinfo=UTC)  # halfway: the line expects 1 500 of 1 000 → 2 000
DEADLINE = date(2026, 5, 1)
GOALS = [
    GoalSpec("Отстающая цель", DEADLINE, 2000, baseline=1000),
    GoalSpec("Цель впереди графика", DEADLINE, 2000, baseline=1000),
    GoalSpec("Цель точно по линии", DEADLINE, 2000, baseline=1000),
]


@pytest.fixture
def boris(dispatcher: Dispatcher, bot: Bot) -> ChatUser:
    return ChatUser(dispatcher, bot, 1002, name="Борис", language="ru")


async def make_project(factory: Factory, clock: ShiftedClock, goals: list[GoalSpec] = GOALS) -> int:
    clock.offset = timedelta(0)
    clock.offset = NOW - clock.now()
    async with factory() as session:
        anna = person(1001, zone="Europe/Berlin", name="Анна", hours=(time(9), time(21)))
        boris = person(1002, name="Борис")
        project, _ = await signed_project(session, anna, boris, goals, SIGNED, brand="Зерно & Co")
        await replan_project(session, project.id, NOW)
        await session.commit()
        return project.id


def texts(person: ChatUser) -> list[str]:
    return [message.text or "" for message in person.messages]


async def test_a_checkin_stores_values_shows_pace_with_charts_and_tells_the_client(
    anna: ChatUser, boris: ChatUser, session_factory: Factory, clock: ShiftedClock
) -> None:
    await make_project(session_factory, clock)
    await anna.send("/checkin")
    assert "Отстающая цель" in anna.last.text and "цель 1 из 3" in anna.last.text  # type: ignore[operator]

    await anna.send("много")
    assert "нужно число" in anna.last.text  # type: ignore[operator]
    await anna.send("1,2к")
    await anna.send("1800")
    await anna.send("1500")

    async with session_factory() as session:
        values = list(await session.scalars(select(CheckIn.value).order_by(CheckIn.id)))
    assert values == [1200, 1800, 1500]
    photos = anna.session.sent(SendPhoto)
    assert len(photos) == 3
    for photo in photos:
        assert isinstance(photo.photo, BufferedInputFile)
        assert photo.photo.data.startswith(b"\x89PNG")
    captions = [photo.caption or "" for photo in photos]
    assert "Отстаём от плана" in captions[0] and "пройдено 20% пути" in captions[0]
    assert "Идём по плану" in captions[1] and "пройдено 80% пути" in captions[1]
    assert "Идём по плану" in captions[2] and "ожидалось 50%" in captions[2]
    assert "Борис получил(а) короткую сводку" in anna.last.text  # type: ignore[operator]
    summary = boris.session.chats[1002][-1].text or ""
    assert "Зерно &amp; Co" in summary and "Анна внес(ла) свежие цифры" in summary
    assert summary.count("📊") == 3 and "Отстаём от плана" in summary


async def test_the_checkin_reminder_button_opens_the_checkin(
    anna: ChatUser, bot: Bot, session_factory: Factory, clock: ShiftedClock
) -> None:
    project_id = await make_project(session_factory, clock)
    await anna.send("/help")
    async with session_factory() as session:
        row = await session.scalar(
            select(Reminder).where(
                Reminder.project_id == project_id, Reminder.kind == ReminderKind.CHECKIN
            )
        )
        assert row is not None
        message = await render_reminder(session, row, row.recipient if False else await _anna(session))
    assert message is not None
    await bot.send_message(1001, message.text, reply_markup=message.reply_markup)
    await anna.click("Внести цифры")
    assert "цель 1 из 3" in anna.last.text  # type: ignore[operator]


async def _anna(session: AsyncSession):  # type: ignore[no-untyped-def]
    from bot.db.models import User

    return await session.scalar(select(User).where(User.telegram_id == 1001))
