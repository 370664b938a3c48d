"""The Bot API session's loader: the bot's own messages come back without what they echo, updates
keep everything (a press is checked against the pressed message's keyboard)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.app import build_bot
from bot.config import Settings
from bot.telegram_types import loads_without_echoes
from testkit import FakeBotAPI, SimUser

TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra"
KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[
        [InlineKeyboardButton(text=f"Вариант {n}", callback_data=f"v:{n}")] for n in range(3)
    ]
)


@pytest.fixture
async def bot(fake_api: FakeBotAPI) -> AsyncIterator[Bot]:
    settings = Settings(bot_token=TOKEN, telegram_api_url=fake_api.url)  # type: ignore[arg-type]
    bot = build_bot(settings)
    yield bot
    await bot.session.close()


async def test_a_sent_or_edited_message_comes_back_without_keyboard_and_entities(
    bot: Bot, fake_api: FakeBotAPI
) -> None:
    person = SimUser(id=501, first_name="Ольга")
    async with fake_api.client(TOKEN) as client:
        await client.send_text(person, "/start")  # the chat exists once the person wrote
        sent = await bot.send_message(person.id, "<b>Шаг 1</b> из 3", reply_markup=KEYBOARD)
        edited = await bot.edit_message_text(
            "<i>Шаг 2</i> из 3",
            chat_id=person.id,
            message_id=sent.message_id,
            reply_markup=KEYBOARD,
        )
        shown = (await client.messages(person.id))[-1]
    assert (sent.chat.id, sent.text) == (person.id, "Шаг 1 из 3")
    assert not isinstance(edited, bool) and edited.message_id == sent.message_id
    assert (sent.reply_markup, sent.entities, edited.reply_markup, edited.entities) == (None,) * 4
    # What the person sees is untouched: only the echo in the answer is left out.
    assert shown.buttons == [["Вариант 0"], ["Вариант 1"], ["Вариант 2"]]


async def test_an_update_keeps_the_pressed_messages_keyboard(
    bot: Bot, fake_api: FakeBotAPI
) -> None:
    person = SimUser(id=502, first_name="Ольга")
    async with fake_api.client(TOKEN) as client:
        await client.send_text(person, "/start")
        sent = await bot.send_message(person.id, "<b>Шаг 1</b>", reply_markup=KEYBOARD)
        await client.press_button(person, data="v:1", message_id=sent.message_id)
    updates = await bot.get_updates()
    pressed = updates[-1].callback_query
    assert pressed is not None and isinstance(pressed.message, Message)
    markup = pressed.message.reply_markup
    assert markup is not None
    assert [b.callback_data for row in markup.inline_keyboard for b in row] == ["v:0", "v:1", "v:2"]


def test_only_a_single_message_result_is_trimmed() -> None:
    message = {"message_id": 1, "chat": {"id": 1, "type": "private"}, "date": 0, "text": "x"}
    echoed = {"reply_markup": {"inline_keyboard": []}, "entities": [], "caption_entities": []}
    assert loads_without_echoes(json.dumps({"ok": True, "result": {**message, **echoed}})) == {
        "ok": True,
        "result": message,
    }
    for untouched in (
        {"ok": True, "result": [{"update_id": 1, "message": {**message, **echoed}}]},
        {"ok": True, "result": True},
        {
            "ok": True,
            "result": {"id": 1, "type": "private", "pinned_message": {**message, **echoed}},
        },
        {"ok": False, "error_code": 400, "description": "Bad Request: message is not modified"},
    ):
        assert loads_without_echoes(json.dumps(untouched)) == untouched
