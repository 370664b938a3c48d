"""Two first updates of a new person at the same moment must not collide on the users table."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import User
from tests.dispatcher.harness import ChatUser


async def test_concurrent_first_updates_create_one_user(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await asyncio.gather(anna.send("/help"), anna.send("/help"), anna.send("/help"))
    async with session_factory() as session:
        assert await session.scalar(select(func.count(User.id))) == 1
    assert sum("/new" in (m.text or "") for m in anna.messages) == 3  # every update answered
