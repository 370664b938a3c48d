"""Text ending in invisible joiners is an answer like any other, not a reply-keyboard press."""

from __future__ import annotations

import logging

import pytest
from aiogram import Bot, Dispatcher

from tests.dispatcher.harness import ChatUser


async def _zone_reply(person: ChatUser, typed: str) -> str:
    await person.send("/start")
    await person.click("SMM-специалист")
    await person.send(typed)
    return person.last.text or ""


@pytest.mark.parametrize("tail", ["\u200d\u200d", "\u200d", "\u00ad\u2060"])
async def test_a_city_ending_in_zero_width_characters_is_answered_as_the_city(
    dispatcher: Dispatcher, bot: Bot, tail: str, caplog: pytest.LogCaptureFixture
) -> None:
    plain = await _zone_reply(ChatUser(dispatcher, bot, 2001), "Москва")
    tailed = await _zone_reply(ChatUser(dispatcher, bot, 2002), "Москва" + tail)

    assert tailed == plain
    assert "что-то пошло не так" not in tailed
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_an_emoji_ending_in_joiners_gets_the_steps_own_answer(
    dispatcher: Dispatcher, bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    plain = await _zone_reply(ChatUser(dispatcher, bot, 2003), "hello 🙂")
    tailed = await _zone_reply(ChatUser(dispatcher, bot, 2004), "hello 🙂\u200d\u200d")

    assert tailed == plain
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
