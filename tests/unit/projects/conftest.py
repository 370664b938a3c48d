"""A real database per test (a SQLite file unless the test runs on `both_databases`), built from
the models, with the production engine's settings."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.engine import create_session_factory
from bot.db.models import Project, User

MakeUser = Callable[[str], Awaitable[User]]
MakeProject = Callable[..., Awaitable[Project]]


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture
async def session(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    async with session_factory() as session:
        yield session


@pytest.fixture
def make_user(session: AsyncSession) -> MakeUser:
    counter = iter(range(1000, 2000))

    async def make(name: str) -> User:
        user = User(telegram_id=next(counter), first_name=name)
        session.add(user)
        await session.commit()
        return user

    return make


@pytest.fixture
def make_project(session: AsyncSession) -> MakeProject:
    async def make(
        specialist: User, *, client: User | None = None, brand: str = "Кофейня"
    ) -> Project:
        project = Project(specialist_id=specialist.id, client_id=client and client.id, brand=brand)
        session.add(project)
        await session.commit()
        return project

    return make
