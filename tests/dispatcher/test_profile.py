"""One source of truth per person: the questionnaire's zone, days and hours are the profile."""

from __future__ import annotations

from datetime import time

from aiogram import Bot, Dispatcher
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import User
from bot.roles import Role
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.test_questionnaire import project_with_invite
from tests.dispatcher.walk import stored_answers, walk


async def _user(factory: async_sessionmaker[AsyncSession], telegram_id: int) -> User:
    async with factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        return user


async def test_client_answers_become_the_profile_and_settings_edit_the_answers(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    token = await project_with_invite(anna)
    boris = ChatUser(dispatcher, bot, 2002, name="Борис")
    await boris.send(f"/start {token}")  # a client by invite: no onboarding, no zone yet
    await walk(boris, Role.CLIENT, session_factory)

    # The walk answers with the catalogue's examples: «Екатеринбург», «с 10 до 19», Monday.
    client = await _user(session_factory, 2002)
    assert client.timezone == "Asia/Yekaterinburg"
    assert (client.work_start, client.work_end) == (time(10), time(19))
    assert client.work_days == [0]

    await boris.send("/settings")
    shown = boris.last.text or ""
    assert "Екатеринбург" in shown
    assert "Рабочие дни: пн" in shown
    assert "10:00–19:00" in shown

    # And the other way round: a new zone in /settings is the brief's answer too.
    await boris.click("Часовой пояс")
    await boris.send("Новосибирск")
    assert (await _user(session_factory, 2002)).timezone == "Asia/Novosibirsk"
    answers = await stored_answers(session_factory)
    assert answers["timezone.client"] == "Asia/Novosibirsk"
    assert answers.get("timezone.specialist") != "Asia/Novosibirsk"  # the other side keeps theirs
