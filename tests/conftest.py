"""Shared pytest fixtures; each section belongs to the module named in its heading."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_engine
from bot.db.models import Base
from testkit import FakeBotAPI


# --- built-in Bot API and its driver (testkit) ----------------------------------------------
@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    """A fake Bot API running in-process on an ephemeral loopback port.

    Point aiogram at ``fake_api.url`` and drive users with ``fake_api.client(token)``.
    """
    async with FakeBotAPI(kill_hooks=True) as api:  # crash tests kill the bot at chosen calls
        yield api


# --- throwaway PostgreSQL and Redis (tests/servers.py) -------------------------------------
pytest_plugins = ["tests.servers"]


# --- the database (bot/db), with every table, on the backend under test --------------------
@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on ``database_url`` (SQLite unless the test is marked ``both_databases``)."""
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    yield engine
    await engine.dispose()
