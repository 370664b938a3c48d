"""A profile row no code expects — written by hand or by an older bug — neither stops the start-up
nor anyone else's bot; its owner is served with the defaults and the row is repaired."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import ShiftedClock
from bot.db.models import Reminder, ReminderStatus, User
from bot.timezones import zone_from_setting
from tests.dispatcher.harness import ChatUser
from tests.reminders.signed import GoalSpec, person, signed_project

Factory = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
GOAL = GoalSpec("Подписчики", date(2027, 1, 29), 2000, baseline=1000)
BAD_ZONE, BROKEN_ZONE, GOOD = 4001, 4002, 4003
ZONES = {"UTC+03:00": zone_from_setting("UTC+03:00"), "Europe/Moscow": ZoneInfo("Europe/Moscow")}


async def _people_and_projects(factory: Factory) -> None:
    """Two signed projects: one between two people whose rows go bad, one between good people."""
    signed_at = NOW - timedelta(days=2)
    async with factory() as session:
        bad = person(BAD_ZONE, zone="Europe/Moscow", days=[0, 1], hours=(time(9), time(18)))
        broken = person(BROKEN_ZONE, zone="Asia/Omsk")
        await signed_project(session, bad, broken, [GOAL], signed_at, brand="Плохой")
        good = person(GOOD, zone="Asia/Yekaterinburg", name="Галя")
        await signed_project(session, good, person(4004), [GOAL], signed_at, brand="Хороший")
        odd, _ = await signed_project(session, person(4005), person(4006), [GOAL], signed_at)
        await session.commit()
    async with factory() as session:  # a signed version whose goals are not a list of goals
        await session.execute(
            text("UPDATE brief_versions SET snapshot = '{\"goals\": 7}' WHERE project_id = :id"),
            {"id": odd.id},
        )
        await session.commit()
    async with factory() as session:  # what the issue found stored, and worse
        await session.execute(
            text(
                "UPDATE users SET work_days = '[0, 1, 2, 3, 4, 7, 99999999999999999999]',"
                " timezone = 'UTC+03:00', work_start = '25:00:00', work_end = '19:00:00'"
                " WHERE telegram_id = :id"
            ),
            {"id": BAD_ZONE},
        )
        await session.execute(
            text(
                "UPDATE users SET timezone = 'Mars/Olympus', work_days = '[-1]' WHERE telegram_id = :id"
            ),
            {"id": BROKEN_ZONE},
        )
        await session.commit()


async def _user(factory: Factory, telegram_id: int) -> User:
    async with factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        return user


async def _planned(factory: Factory, telegram_id: int) -> list[Reminder]:
    async with factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        rows = await session.scalars(
            select(Reminder).where(
                Reminder.recipient_id == user.id, Reminder.status == ReminderStatus.PLANNED
            )
        )
        return list(rows)


async def test_start_up_survives_bad_rows_and_everyone_is_served(
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: Factory,
    clock: ShiftedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock.offset = NOW - clock.now()
    await _people_and_projects(session_factory)
    bad_id = (await _user(session_factory, BAD_ZONE)).id
    broken_id = (await _user(session_factory, BROKEN_ZONE)).id

    with caplog.at_level(logging.WARNING):
        await dispatcher.emit_startup(bot=bot)  # the re-plan of every project, then the sender
    try:
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert any(f"user {bad_id}: ignoring working days" in w for w in warnings), warnings
        assert any(f"user {broken_id}: unreadable time zone" in w for w in warnings), warnings
        assert any("not re-planned" in w for w in warnings), warnings
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

        # Everyone's reminders are planned, the bad rows' owners inside the default window:
        # 10:00–20:00 every day, in Moscow for the unreadable zone.
        assert await _planned(session_factory, GOOD)
        for telegram_id, zone in ((BAD_ZONE, "UTC+03:00"), (BROKEN_ZONE, "Europe/Moscow")):
            planned = await _planned(session_factory, telegram_id)
            assert planned, telegram_id
            for reminder in planned:
                local = reminder.due_at.astimezone(ZONES[zone])
                assert time(10) <= local.time() < time(20), (telegram_id, local)

        galya = ChatUser(dispatcher, bot, GOOD, name="Галя")
        await galya.send("/reminders")
        assert "Екатеринбург (UTC+5)" in (galya.last.text or "")

        for telegram_id in (BAD_ZONE, BROKEN_ZONE):
            owner = ChatUser(dispatcher, bot, telegram_id)
            await owner.send("/reminders")
            listing = owner.last.text or ""
            assert "Ближайшие напоминания" in listing and "Москва (UTC+3)" in listing, listing
        bad, broken = (
            await _user(session_factory, BAD_ZONE),
            await _user(session_factory, BROKEN_ZONE),
        )
        assert (bad.timezone, bad.work_days, bad.work_start, bad.work_end) == (
            "Europe/Moscow",
            [0, 1, 2, 3, 4],
            None,
            None,
        )
        assert (broken.timezone, broken.work_days) == (None, None)
    finally:
        await dispatcher.emit_shutdown()
