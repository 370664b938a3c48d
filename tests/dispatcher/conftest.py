"""Fixtures: the real dispatcher on a fresh SQLite file, with a recording bot."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import build_bot, build_dispatcher
from bot.clock import ShiftedClock
from bot.config import Settings
from bot.db.engine import create_engine, create_session_factory
from bot.db.models import Base
from bot.db.storage import SQLStorage
from tests.dispatcher.harness import ChatUser, RecordingSession

TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(bot_token=TOKEN, database_url=f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")  # type: ignore[arg-type]


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings.database_url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture
def make_dispatcher(
    settings: Settings,
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    clock: ShiftedClock,
) -> Callable[[], Dispatcher]:
    """A fresh Dispatcher on the same database: calling it again is a bot restart."""
    return lambda: build_dispatcher(settings, session_factory, SQLStorage(engine), clock)


@pytest.fixture
def dispatcher(make_dispatcher: Callable[[], Dispatcher]) -> Dispatcher:
    return make_dispatcher()


@pytest.fixture
def bot(settings: Settings) -> Bot:
    return build_bot(settings, session=RecordingSession())  # type: ignore[arg-type]


@pytest.fixture
def anna(dispatcher: Dispatcher, bot: Bot) -> ChatUser:
    return ChatUser(dispatcher, bot, 1001, name="Анна", language="ru")
