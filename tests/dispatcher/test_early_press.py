"""A press that arrives before the update which drew its screen has committed is not lost."""

from __future__ import annotations

import asyncio

from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import FSMRecord
from tests.dispatcher.harness import ChatUser


async def test_a_press_that_finds_no_dialog_yet_is_tried_again(
    anna: ChatUser, bot: Bot, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await anna.send("/start")
    async with session_factory() as session:
        rows = [dict(r._mapping) for r in await session.execute(select(FSMRecord.__table__))]
        await session.execute(delete(FSMRecord))  # as if /start had not committed yet
        await session.commit()

    press = asyncio.create_task(anna.click("SMM-специалист"))
    await asyncio.sleep(0.1)
    async with session_factory() as session:  # ...and now it has
        await session.execute(insert(FSMRecord.__table__), rows)
        await session.commit()
    await press

    assert "часовом поясе" in (anna.last.text or "")


async def test_a_really_stale_press_is_called_stale(anna: ChatUser, bot: Bot) -> None:
    await anna.send("/start")
    greeting = anna.last
    await anna.send("/cancel")
    await anna.click("SMM-специалист", message=greeting)

    answered = [c for c in bot.session.sent(AnswerCallbackQuery) if c.text]  # type: ignore[attr-defined]
    assert answered and "не работает" in (answered[-1].text or "")
