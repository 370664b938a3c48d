"""Update delivery: getUpdates offsets and long polling, webhooks, and a real Dispatcher."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.exceptions import TelegramBadRequest, TelegramConflictError
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiohttp import web

from testkit import ControlError, FakeBotAPI, FakeBotAPIClient, SimUser, make_png

from .conftest import ANNA

BORIS = SimUser(id=502, first_name="Борис", language_code="en", username="boris")


async def test_offset_confirms_and_limit_caps(bot: Bot, client: FakeBotAPIClient) -> None:
    sent = [await client.send_text(ANNA, f"m{i}") for i in range(3)]
    ids = [s.update_id for s in sent if s.update_id is not None]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert [u.update_id for u in await bot.get_updates()] == ids
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
    assert await bot.get_updates(offset=ids[2] + 1) == []
    assert [s.message_id for s in sent] == [1, 2, 3]


async def test_negative_offset_keeps_only_the_newest(bot: Bot, client: FakeBotAPIClient) -> None:
    sent = [await client.send_text(ANNA, f"m{i}") for i in range(4)]
    assert [u.update_id for u in await bot.get_updates(offset=-1)] == [sent[-1].update_id]


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    bot: Bot, client: FakeBotAPIClient
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.05)
    assert not poll.done()
    await client.send_text(ANNA, "wake up")
    [update] = await poll
    assert update.message is not None and update.message.text == "wake up"
    assert time.monotonic() - started < 2


async def test_long_poll_times_out_empty(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    assert time.monotonic() - started >= 0.9


async def test_a_second_poller_terminates_the_first(bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=0))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await first
    assert await second == []


async def test_allowed_updates_filters_what_gets_queued(bot: Bot, client: FakeBotAPIClient) -> None:
    await client.send_text(ANNA, "hi")
    await bot.send_message(
        ANNA.id,
        "pick",
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="A", callback_data="a")]]
        ),
    )
    await bot.get_updates(allowed_updates=["message"], offset=-1)
    pressed = await client.press_button(ANNA, data="a")
    assert pressed.update_id is None
    kept = await client.send_text(ANNA, "still here")
    assert [u.update_id for u in await bot.get_updates(offset=kept.update_id)] == [kept.update_id]


async def test_injected_updates_validate_as_aiogram_types(
    bot: Bot, client: FakeBotAPIClient
) -> None:
    await client.send_text(BORIS, "/start@smartbrief_test_bot abc")
    await client.send_location(BORIS, 55.75, 37.62)
    await client.send_sticker(BORIS, "🔥")
    await client.send_photo(BORIS, make_png(5, 4), caption="логотип")
    await client.send_text(BORIS, "в группе", chat_id=-100)
    command, location, sticker, photo, group = [u.message for u in await bot.get_updates()]
    assert command is not None and command.entities is not None
    assert (command.entities[0].type, command.entities[0].length) == ("bot_command", 26)
    assert location is not None and location.location is not None
    assert (location.location.latitude, location.location.longitude) == (55.75, 37.62)
    assert sticker is not None and sticker.sticker is not None and sticker.sticker.emoji == "🔥"
    assert photo is not None and photo.photo is not None and photo.caption == "логотип"
    assert (photo.photo[0].width, photo.photo[0].height) == (5, 4)
    downloaded = await bot.download(photo.photo[0].file_id)
    assert downloaded is not None and downloaded.read() == make_png(5, 4)
    assert group is not None and (group.chat.type, group.chat.id) == ("group", -100)
    assert group.from_user is not None and group.from_user.username == "boris"


async def test_pressing_a_button_the_bot_never_showed_is_refused(
    bot: Bot, client: FakeBotAPIClient
) -> None:
    await client.send_text(ANNA, "hi")
    with pytest.raises(ControlError, match="no inline button"):
        await client.press_button(ANNA, text="Ghost")


async def test_callback_answers_are_one_per_query(bot: Bot, client: FakeBotAPIClient) -> None:
    await client.send_text(ANNA, "hi")
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="A", callback_data="a")]]
    )
    sent = await bot.send_message(ANNA.id, "pick", reply_markup=markup)
    pressed = await client.press_button(ANNA, text="A", message_id=sent.message_id)
    [_, update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.id == pressed.callback_query_id
    assert query.chat_instance and query.data == "a"
    assert query.message is not None and query.message.message_id == sent.message_id
    await bot.answer_callback_query(query.id, text="Готово", show_alert=True)
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await bot.answer_callback_query(query.id)
    [answer] = await client.callback_answers()
    assert (answer["text"], answer["show_alert"], answer["chat_id"]) == ("Готово", True, ANNA.id)


@contextlib.asynccontextmanager
async def webhook_receiver(
    status: int = 200,
) -> AsyncIterator[tuple[str, asyncio.Queue[web.Request]]]:
    received: asyncio.Queue[web.Request] = asyncio.Queue()

    async def handle(request: web.Request) -> web.Response:
        await request.read()
        received.put_nowait(request)
        return web.Response(status=status)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/hook", received
    finally:
        await runner.cleanup()


async def test_webhook_receives_updates_with_the_secret(bot: Bot, client: FakeBotAPIClient) -> None:
    async with webhook_receiver() as (url, received):
        assert await bot.set_webhook(url, secret_token="s3cret") is True
        injected = await client.send_text(ANNA, "via webhook")
        request = await asyncio.wait_for(received.get(), 5)
        assert request.headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret"
        assert (await request.json())["update_id"] == injected.update_id
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await bot.get_updates()
        info = await bot.get_webhook_info()
        assert (info.url, info.pending_update_count) == (url, 0)
        await bot.delete_webhook()
    await client.send_text(ANNA, "polling again")
    assert [u.message.text for u in await bot.get_updates() if u.message] == ["polling again"]


async def test_failing_webhook_is_retried_and_reported(
    fake_api: FakeBotAPI, bot: Bot, client: FakeBotAPIClient
) -> None:
    fake_api.webhook_retry_delay = 0.05
    async with webhook_receiver(status=500) as (url, received):
        await bot.set_webhook(url)
        await client.send_text(ANNA, "retry me")
        first, second = [await asyncio.wait_for(received.get(), 5) for _ in range(2)]
        assert await first.json() == await second.json()
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 1
        assert (
            info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
        )


async def test_webhooks_must_point_at_loopback(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="loopback"):
        await bot.set_webhook("https://example.com/hook")


def demo_router() -> Router:
    router = Router()

    @router.message(CommandStart(deep_link=True))
    async def start_with_payload(message: Message, command: CommandObject) -> None:
        button = InlineKeyboardButton(text="Принять", callback_data=f"accept:{command.args}")
        markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
        await message.answer(f"Приглашение <code>{command.args}</code>", reply_markup=markup)

    @router.callback_query(F.data.startswith("accept:"))
    async def accept(query: CallbackQuery) -> None:
        await query.answer("Принято")
        if isinstance(query.message, Message):
            await query.message.edit_text("Вы в проекте")

    return router


async def test_dispatcher_polling_end_to_end(
    fake_api: FakeBotAPI, client: FakeBotAPIClient
) -> None:
    from aiogram.client.default import DefaultBotProperties

    from .conftest import TOKEN, make_bot

    bot = make_bot(fake_api.url, TOKEN)
    bot.default = DefaultBotProperties(parse_mode="HTML")
    dispatcher = Dispatcher()
    dispatcher.include_router(demo_router())
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
    )
    try:
        started = await client.send_text(ANNA, "/start inv42")
        reply = await client.wait_for_message(ANNA.id, since=started.seq, within=5)
        assert (reply.text, reply.parse_mode) == ("Приглашение inv42", "HTML")
        pressed = await client.press_button(ANNA, text="Принять")
        edited = await client.wait_for_message(
            ANNA.id, lambda m: m.text == "Вы в проекте", since=pressed.seq, within=5
        )
        assert edited.message_id == reply.message_id and edited.buttons == []
        answers = await client.callback_answers()
        assert [(a["callback_query_id"], a["text"]) for a in answers] == [
            (pressed.callback_query_id, "Принято")
        ]
    finally:
        await dispatcher.stop_polling()
        await polling


async def test_wait_for_message_times_out(client: FakeBotAPIClient) -> None:
    with pytest.raises(TimeoutError):
        await client.wait_for_message(ANNA.id, within=0.2)


async def test_webhook_changes_can_drop_pending_updates(bot: Bot, client: FakeBotAPIClient) -> None:
    await client.send_text(ANNA, "old")
    await bot.set_webhook("http://127.0.0.1:9/hook", drop_pending_updates=True)
    assert (await bot.get_webhook_info()).pending_update_count == 0
    await bot.set_webhook("")  # an empty url removes the webhook, as on Telegram
    assert (await bot.get_webhook_info()).url == ""
    await client.send_text(ANNA, "kept")
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == []
