"""The questionnaire and invites through the real dispatcher: answers saved, Back, Skip, access."""

from __future__ import annotations

import re

from aiogram import Bot, Dispatcher
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Answer, Project
from tests.dispatcher.harness import ChatUser


async def _answers(factory: async_sessionmaker[AsyncSession]) -> dict[str, object]:
    async with factory() as session:
        return {a.key: a.value for a in await session.scalars(select(Answer))}


async def test_new_project_saves_each_answer_and_goes_back(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await anna.send("/new")
    await anna.send("Кофейня <b>Зерно</b>")
    await anna.send("кофе навынос")
    assert "Шаг 1 из" in (anna.last.text or "")
    assert "&lt;b&gt;Зерно&lt;/b&gt;" in (anna.last.text or "")  # user text is escaped
    await anna.click("ВКонтакте")
    await anna.click("Telegram")
    await anna.click("^Готово$")
    assert (await _answers(session_factory))["channels"] == ["vk", "telegram"]
    assert "Шаг 2 из" in (anna.last.text or "")
    await anna.click("Пропустить")  # the VK link is optional
    assert (await _answers(session_factory))["channel.vk.handle"] == {"skipped": True}
    await anna.send("много")
    assert "нужно число" in (anna.messages[-2].text or "")
    await anna.send("1,5к")
    assert (await _answers(session_factory))["channel.vk.audience"] == 1500
    await anna.click("Назад")
    assert "1\xa0500" in (anna.last.text or "")  # the stored answer is shown when going back
    await anna.send("🙂" * 10)
    assert "нужно число" in (anna.messages[-2].text or "")


async def test_invite_link_binds_one_client_and_refuses_strangers(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await anna.send("/new")
    await anna.send("Зерно")
    await anna.send("кофе")
    await anna.send("/projects")
    await anna.click("Зерно")
    await anna.click("Ссылка для заказчика")
    match = re.search(r"start=([A-Za-z0-9_-]+)", anna.last.text or "")
    assert match, anna.last.text
    token = match.group(1)

    boris = ChatUser(dispatcher, bot, 2002, name="Борис")
    await boris.send(f"/start {token}")
    assert any("приглашает вас" in (m.text or "") for m in boris.messages)
    assert any("присоединился" in (m.text or "") for m in anna.messages)
    async with session_factory() as session:
        project = await session.scalar(select(Project))
        assert project is not None and project.client_id is not None

    eve = ChatUser(dispatcher, bot, 3003, name="Ева")
    await eve.send(f"/start {token}")
    assert "уже вошёл другой человек" in (eve.last.text or "")
    await eve.send("/start not-a-real-token")
    assert "неполная или неверная" in (eve.last.text or "")
    await anna.send(f"/start {token}")
    assert "уже есть заказчик" in (anna.last.text or "") or "собственная ссылка" in (
        anna.last.text or ""
    )
