"""Fixtures for the reminder queue and sender: a fresh database (`database_url`), a moved clock, a real aiogram
Bot talking to the fake Bot API, and helpers that put people and due reminders in place."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime, timedelta

import pytest
from aiogram import Bot
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import ShiftedClock
from bot.db.engine import create_session_factory
from bot.db.models import Project, Reminder, User
from bot.reminders import queue
from bot.reminders.rules import PlannedReminder, ReminderKind
from bot.reminders.sender import OutgoingMessage
from testkit import FakeBotAPI, FakeBotAPIClient, SimUser
from testkit.aiogram_bot import make_bot

TOKEN = "4242:test-token"
Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
def sessions(engine: AsyncEngine) -> Sessions:
    return create_session_factory(engine)


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture
async def bot(fake_api: FakeBotAPI) -> AsyncIterator[Bot]:
    bot = make_bot(fake_api.url, TOKEN)
    yield bot
    await bot.session.close()


@pytest.fixture
async def client(fake_api: FakeBotAPI) -> AsyncIterator[FakeBotAPIClient]:
    async with fake_api.client(TOKEN) as client:
        yield client


async def render(reminder: Reminder, user: User) -> OutgoingMessage:
    """The text names the row, so a chat's messages show what was delivered and how often."""
    return OutgoingMessage(f"{reminder.kind.value} #{reminder.id}")


async def add_people(
    sessions: Sessions, client: FakeBotAPIClient | None, chat_ids: Sequence[int]
) -> dict[int, int]:
    """Users (and a project of the first one) whose chats exist: telegram id -> user id."""
    async with sessions() as session, session.begin():
        users = [User(telegram_id=chat, first_name=f"u{chat}") for chat in chat_ids]
        session.add_all(users)
        await session.flush()
        session.add(Project(id=1, specialist_id=users[0].id, brand="Лавка"))
    if client is not None:
        await client.send_texts([(SimUser(id=chat), "/start") for chat in chat_ids])
    return {user.telegram_id: user.id for user in users}


async def add_reminders(
    sessions: Sessions,
    due: Sequence[tuple[int, datetime]],
    now: datetime,
    kind: ReminderKind = ReminderKind.CHECKIN,
) -> None:
    """One reminder per (user id, due) pair, keyed by position."""
    planned = [
        PlannedReminder(f"p1:test:{n}:u{user}", user, kind, 1, None, at)
        for n, (user, at) in enumerate(due)
    ]
    async with sessions() as session, session.begin():
        await queue.upsert_planned(session, planned, now)


async def reminders(sessions: Sessions) -> list[Reminder]:
    async with sessions() as session:
        return list((await session.execute(select(Reminder).order_by(Reminder.id))).scalars())


async def eventually(
    check: Callable[[], Awaitable[bool]], within: float = 10.0, step: float = 0.02
) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(step)


def ago(clock: ShiftedClock, seconds: float) -> datetime:
    return clock.now() - timedelta(seconds=seconds)
