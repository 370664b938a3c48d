"""A message nobody expected: a newcomer without an invite hears what the bot is and what to do."""

from __future__ import annotations

from aiogram import Bot, Dispatcher

from tests.dispatcher.harness import ChatUser


async def test_a_client_without_an_invite_is_told_to_ask_for_the_link(
    dispatcher: Dispatcher, bot: Bot
) -> None:
    boris = ChatUser(dispatcher, bot, 2002, name="Борис")
    await boris.send("Здравствуйте, мне дали этого бота")
    text = boris.last.text or ""
    assert "Я smartbrief" in text
    assert "попросите вашего SMM-специалиста прислать ссылку-приглашение" in text
    assert "не ждал" not in text


async def test_a_specialist_gets_the_usual_hint(anna: ChatUser) -> None:
    await anna.send("/start")
    await anna.click("специалист")
    await anna.click("Москва")
    await anna.click("Дальше")
    await anna.send("10-19")
    await anna.send("/cancel")
    await anna.send("просто так")
    assert "Я не ждал здесь сообщения" in (anna.last.text or "")
