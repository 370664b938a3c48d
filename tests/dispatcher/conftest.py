"""Fixtures: the real dispatcher on a fresh SQLite file (dialog state there or in Redis), with a
recording bot."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseStorage
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import build_bot, build_dispatcher, build_storage
from bot.clock import ShiftedClock
from bot.config import Settings
from bot.db.engine import create_session_factory
from tests.dispatcher.harness import ChatUser, RecordingSession

TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(bot_token=TOKEN, database_url=database_url)  # type: ignore[arg-type]


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture
def fsm_storage(request: pytest.FixtureRequest) -> str:
    """Where dialog state lives: "sql" (the database) unless a test asks for "redis" indirectly."""
    where: str = getattr(request, "param", "sql")
    return where


@pytest.fixture
async def make_storage(
    request: pytest.FixtureRequest, fsm_storage: str, settings: Settings, engine: AsyncEngine
) -> AsyncIterator[Callable[[], BaseStorage]]:
    """A new storage object per call, built the way the application builds it."""
    if fsm_storage == "redis":
        settings = settings.model_copy(update={"redis_url": request.getfixturevalue("redis_url")})
    made: list[BaseStorage] = []

    def make() -> BaseStorage:
        made.append(build_storage(settings, engine))
        return made[-1]

    yield make
    for storage in made:
        await storage.close()


@pytest.fixture
def make_dispatcher(
    settings: Settings,
    make_storage: Callable[[], BaseStorage],
    session_factory: async_sessionmaker[AsyncSession],
    clock: ShiftedClock,
) -> Callable[[], Dispatcher]:
    """A fresh Dispatcher (and storage connection) on the same data: calling it again is a bot
    restart."""
    return lambda: build_dispatcher(settings, session_factory, make_storage(), clock)


@pytest.fixture
def dispatcher(make_dispatcher: Callable[[], Dispatcher]) -> Dispatcher:
    return make_dispatcher()


@pytest.fixture
def bot(settings: Settings) -> Bot:
    return build_bot(settings, session=RecordingSession())  # type: ignore[arg-type]


@pytest.fixture
def anna(dispatcher: Dispatcher, bot: Bot) -> ChatUser:
    return ChatUser(dispatcher, bot, 1001, name="Анна", language="ru")
