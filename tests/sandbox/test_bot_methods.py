"""Bot API methods answered by the fake server, called through a real aiogram Bot."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    LinkPreviewOptions,
    MenuButtonCommands,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from testkit import FakeBotAPI, FakeBotAPIClient, make_png

from .conftest import TOKEN


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    row = [InlineKeyboardButton(text=text, callback_data=data) for text, data in buttons]
    return InlineKeyboardMarkup(inline_keyboard=[row])


async def test_get_me_derives_the_bot_from_the_token(bot: Bot, fake_api: FakeBotAPI) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (4242, True, "smartbrief_test_bot")
    other = fake_api.bot("77:another")
    assert other.id == 77 and other.user["can_join_groups"] is True


async def test_send_message_with_inline_keyboard_and_html(
    bot: Bot, client: FakeBotAPIClient, anna_chat: int
) -> None:
    sent = await bot.send_message(
        anna_chat,
        "<b>Шаг 1</b> из 11",
        parse_mode="HTML",
        reply_markup=keyboard(("Далее", "next")),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    assert sent.text == "Шаг 1 из 11"
    assert sent.html_text == "<b>Шаг 1</b> из 11"
    assert sent.message_id == 2  # Anna's "hi" was message 1 of this chat
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump() == keyboard(("Далее", "next")).model_dump()
    [seen] = await client.received(anna_chat)
    assert (seen.text, seen.parse_mode, seen.source_text) == (
        sent.text,
        "HTML",
        "<b>Шаг 1</b> из 11",
    )
    assert seen.buttons == [["Далее"]] and seen.callback_data("Далее") == "next"
    assert seen.message["link_preview_options"] == {"is_disabled": True}


async def test_reply_keyboard_is_kept_for_tests_but_not_echoed(
    bot: Bot, client: FakeBotAPIClient, anna_chat: int
) -> None:
    markup = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Москва")]], resize_keyboard=True)
    sent = await bot.send_message(anna_chat, "Город?", reply_markup=markup)
    assert sent.reply_markup is None
    [seen] = await client.received(anna_chat)
    assert seen.buttons == [["Москва"]]
    [chat] = await client.chats()
    assert chat["reply_keyboard"]["keyboard"] == [[{"text": "Москва"}]]
    await bot.send_message(anna_chat, "ok", reply_markup=ReplyKeyboardRemove())
    [chat] = await client.chats()
    assert chat["reply_keyboard"] is None


async def test_edit_text_keeps_history_and_refuses_no_ops(
    bot: Bot, client: FakeBotAPIClient, anna_chat: int
) -> None:
    sent = await bot.send_message(anna_chat, "one", reply_markup=keyboard(("A", "a")))
    edited = await bot.edit_message_text(
        "two", chat_id=anna_chat, message_id=sent.message_id, reply_markup=keyboard(("B", "b"))
    )
    assert not isinstance(edited, bool) and edited.edit_date is not None
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "two", chat_id=anna_chat, message_id=sent.message_id, reply_markup=keyboard(("B", "b"))
        )
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=anna_chat, message_id=999)
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("x", chat_id=anna_chat, message_id=1)  # Anna's own message
    [seen] = await client.received(anna_chat)
    assert (seen.text, seen.edits, seen.buttons) == ("two", 1, [["B"]])
    assert seen.versions[0]["text"] == "one"


async def test_edit_reply_markup_removes_the_keyboard(
    bot: Bot, client: FakeBotAPIClient, anna_chat: int
) -> None:
    sent = await bot.send_message(anna_chat, "pick", reply_markup=keyboard(("A", "a")))
    await bot.edit_message_reply_markup(chat_id=anna_chat, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(chat_id=anna_chat, message_id=sent.message_id)
    [seen] = await client.received(anna_chat)
    assert seen.buttons == [] and seen.reply_markup is None


async def test_delete_message(bot: Bot, client: FakeBotAPIClient, anna_chat: int) -> None:
    sent = await bot.send_message(anna_chat, "bye")
    assert await bot.delete_message(anna_chat, sent.message_id) is True
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(anna_chat, sent.message_id)
    assert await client.received(anna_chat) == []
    assert [m.deleted for m in await client.messages(anna_chat)] == [False, True]


async def test_document_upload_and_download(
    bot: Bot, client: FakeBotAPIClient, anna_chat: int
) -> None:
    payload = b"BEGIN:VCALENDAR\nEND:VCALENDAR\n"
    sent = await bot.send_document(
        anna_chat,
        BufferedInputFile(payload, "deadlines.ics"),
        caption="<i>Сроки</i>",
        parse_mode="HTML",
    )
    assert sent.document is not None and sent.caption == "Сроки"
    assert (sent.document.file_name, sent.document.mime_type) == ("deadlines.ics", "text/calendar")
    assert sent.document.file_size == len(payload)
    file = await bot.get_file(sent.document.file_id)
    downloaded = await bot.download(file)
    assert downloaded is not None and downloaded.read() == payload
    assert await client.download(sent.document.file_id) == payload
    [seen] = await client.received(anna_chat)
    assert seen.document == sent.document.model_dump(exclude_none=True)
    again = await bot.send_document(anna_chat, sent.document.file_id)
    assert again.document is not None and again.document.file_id == sent.document.file_id
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("nope")


async def test_photo_sizes_come_from_the_picture(
    bot: Bot, client: FakeBotAPIClient, anna_chat: int
) -> None:
    sent = await bot.send_photo(anna_chat, BufferedInputFile(make_png(40, 30), "chart.png"))
    assert sent.photo is not None
    [size] = sent.photo
    assert (size.width, size.height) == (40, 30)
    assert await client.download(size.file_id) == make_png(40, 30)
    [seen] = await client.received(anna_chat)
    assert seen.photo == [size.model_dump(exclude_none=True)]
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await bot.send_photo(anna_chat, BufferedInputFile(b"not a picture", "x.png"))


async def test_caption_and_media_edits(bot: Bot, client: FakeBotAPIClient, anna_chat: int) -> None:
    sent = await bot.send_photo(anna_chat, BufferedInputFile(make_png(4, 4), "a.png"), caption="v1")
    await bot.edit_message_caption(chat_id=anna_chat, message_id=sent.message_id, caption="v2")
    media = InputMediaPhoto(media=BufferedInputFile(make_png(8, 6), "b.png"), caption="v3")
    edited = await bot.edit_message_media(media, chat_id=anna_chat, message_id=sent.message_id)
    assert not isinstance(edited, bool) and edited.photo is not None
    assert (edited.photo[0].width, edited.caption) == (8, "v3")
    with pytest.raises(TelegramBadRequest, match="there is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=anna_chat, message_id=sent.message_id)
    [seen] = await client.received(anna_chat)
    assert [v.get("caption") for v in seen.versions] == ["v1", "v2"]


async def commands(bot: Bot, **kwargs: Any) -> list[BotCommand]:
    """Fresh models compare equal only without the bot context aiogram attaches to answers."""
    return [BotCommand(**c.model_dump()) for c in await bot.get_my_commands(**kwargs)]


async def test_commands_by_scope_and_language(bot: Bot, client: FakeBotAPIClient) -> None:
    ru = [
        BotCommand(command="start", description="Начать"),
        BotCommand(command="help", description="Помощь"),
    ]
    en = [BotCommand(command="start", description="Start")]
    await bot.set_my_commands(ru, language_code="ru")
    await bot.set_my_commands(en, language_code="en", scope=BotCommandScopeAllPrivateChats())
    assert await commands(bot, language_code="ru") == ru
    assert await commands(bot, language_code="en") == []
    assert await commands(bot, language_code="en", scope=BotCommandScopeAllPrivateChats()) == en
    registered = await client.commands()
    assert {(r["scope"]["type"], r["language_code"]) for r in registered} == {
        ("default", "ru"),
        ("all_private_chats", "en"),
    }
    await bot.delete_my_commands(language_code="ru")
    assert await commands(bot, language_code="ru") == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])


async def test_callback_data_is_limited_to_64_bytes(bot: Bot, anna_chat: int) -> None:
    await bot.send_message(anna_chat, "ok", reply_markup=keyboard(("A", "я" * 32)))  # 64 bytes
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(anna_chat, "no", reply_markup=keyboard(("A", "я" * 32 + "x")))


async def test_text_length_is_counted_after_entity_parsing(bot: Bot, anna_chat: int) -> None:
    await bot.send_message(anna_chat, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(anna_chat, "x" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(anna_chat, "<b> </b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="can't parse entities: Unsupported start tag"):
        await bot.send_message(anna_chat, "<p>x</p>", parse_mode="HTML")


async def test_chats_must_exist(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(12345, "hello?")


async def test_small_chat_methods(bot: Bot, client: FakeBotAPIClient, anna_chat: int) -> None:
    assert await bot.send_chat_action(anna_chat, "typing") is True
    assert [a["action"] for a in await client.chat_actions()] == ["typing"]
    with pytest.raises(TelegramBadRequest, match="wrong parameter action"):
        await bot.send_chat_action(anna_chat, "dancing")
    await bot.set_chat_menu_button(chat_id=anna_chat, menu_button=MenuButtonCommands())
    assert isinstance(await bot.get_chat_menu_button(chat_id=anna_chat), MenuButtonCommands)
    chat = await bot.get_chat(anna_chat)
    assert (chat.id, chat.type, chat.first_name) == (anna_chat, "private", "Анна")


async def test_unknown_method_and_json_bodies(fake_api: FakeBotAPI, anna_chat: int) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{fake_api.url}/bot{TOKEN}/sendTelepathy", json={}) as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        body = {
            "chat_id": anna_chat,
            "text": "json",
            "reply_markup": {"inline_keyboard": [[{"text": "A"}]]},
        }
        async with http.post(f"{fake_api.url}/bot{TOKEN}/sendMessage", json=body) as response:
            assert response.status == 400
            assert "text buttons are unallowed" in (await response.json())["description"]
        body = {"chat_id": anna_chat, "text": "json", "disable_web_page_preview": True}
        async with http.post(f"{fake_api.url}/bot{TOKEN}/SENDMESSAGE", json=body) as response:
            result = (await response.json())["result"]
            assert (result["text"], result["link_preview_options"]) == (
                "json",
                {"is_disabled": True},
            )


async def test_text_is_trimmed_and_entities_follow(bot: Bot, anna_chat: int) -> None:
    sent = await bot.send_message(anna_chat, "  <b>Итог</b> ok \n", parse_mode="HTML")
    assert sent.text == "Итог ok"
    assert sent.entities is not None and (sent.entities[0].offset, sent.entities[0].length) == (
        0,
        4,
    )


async def test_protected_content_is_recorded(bot: Bot, anna_chat: int) -> None:
    sent = await bot.send_message(anna_chat, "secret", protect_content=True)
    assert sent.has_protected_content is True
