"""First contact through the real dispatcher: greeting, role, time zone, restart in the middle."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import User
from tests.dispatcher.harness import ChatUser


async def _user(factory: async_sessionmaker[AsyncSession], telegram_id: int) -> User:
    async with factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        return user


async def test_start_greets_and_asks_role(anna: ChatUser) -> None:
    await anna.send("/start")
    assert "Привет, Анна" in (anna.last.text or "")
    assert anna.buttons() == ["Я SMM-специалист", "Я заказчик"]


async def test_english_client_gets_english(dispatcher: Dispatcher, bot: Bot) -> None:
    john = ChatUser(dispatcher, bot, 2002, name="John", language="en-GB")
    await john.send("/start")
    assert "Hi, John" in (john.last.text or "")


async def test_client_sets_zone_by_button(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await anna.send("/start")
    await anna.click("заказчик")
    await anna.click("Екатеринбург")
    assert "ссылку-приглашение" in (anna.last.text or "")
    user = await _user(session_factory, 1001)
    assert (user.timezone, user.is_specialist, user.onboarded) == (
        "Asia/Yekaterinburg",
        False,
        True,
    )


async def test_zone_by_offset_city_and_location(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await anna.send("/settings")
    await anna.click("Часовой пояс")
    await anna.send("UTC+05:30")
    assert "Калькутта (UTC+5:30)" in (anna.last.text or "")  # a typed offset waits for a yes
    await anna.click("Да, верно")
    assert (await _user(session_factory, 1001)).timezone == "Asia/Kolkata"
    await anna.send("/settings")
    await anna.click("Часовой пояс")
    await anna.send("г. Новосибирск")
    assert (await _user(session_factory, 1001)).timezone == "Asia/Novosibirsk"
    await anna.send("/settings")
    await anna.click("Часовой пояс")
    await anna.send_location(55.75, 37.62)
    assert (await _user(session_factory, 1001)).timezone == "Europe/Moscow"


async def test_garbage_in_zone_step_gets_clear_reply(anna: ChatUser) -> None:
    await anna.send("/start")
    await anna.click("заказчик")
    for send, expected in (
        (anna.send("+99"), "от −14 до +14"),
        (anna.send("<b>Атлантида</b>" * 1000), "Не узнал"),
        (anna.send_sticker(), "нужен часовой пояс"),
        (anna.send_photo(), "нужен часовой пояс"),
        (anna.send("🙂🙂"), "Не узнал"),
    ):
        await send
        replies = [m.text or "" for m in anna.messages[-2:]]
        assert any(expected in r for r in replies), replies
        assert "В каком вы часовом поясе" in (anna.last.text or "")  # the question again
    await anna.click("Москва")
    assert "ссылку-приглашение" in (anna.last.text or "")


@pytest.mark.parametrize("fsm_storage", ["sql", "redis"], indirect=True)
async def test_restart_mid_dialog_continues(
    anna: ChatUser,
    bot: Bot,
    make_dispatcher: Callable[[], Dispatcher],
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await anna.send("/start")
    await anna.click("заказчик")
    anna.dispatcher = make_dispatcher()  # the process died; a new one reads the same database
    await anna.click("Иркутск")
    assert "ссылку-приглашение" in (anna.last.text or "")
    assert (await _user(session_factory, 1001)).timezone == "Asia/Irkutsk"


async def test_unexpected_text_gets_hint(anna: ChatUser) -> None:
    await anna.send("привет")
    assert "/help" in (anna.last.text or "")


async def test_cancel_and_help(anna: ChatUser) -> None:
    await anna.send("/cancel")
    assert "нечего отменять" in (anna.last.text or "")
    await anna.send("/start")
    await anna.send("/cancel")
    assert "сохранено" in (anna.last.text or "")
    await anna.send("/help")
    assert "/new" in (anna.last.text or "")


async def test_the_end_of_onboarding_recaps_what_was_set(anna: ChatUser) -> None:
    await anna.send("/start")
    await anna.click("специалист")
    await anna.click("Москва")
    await anna.click("^сб$")  # weekdays are ticked already; Saturday too
    await anna.click("Дальше")
    await anna.send("10-19")
    text = anna.last.text or ""
    assert "Готово, всё настроено" in text
    assert "Роль: SMM-специалист · язык: русский" in text
    assert "Часовой пояс: Москва (UTC+3)" in text
    assert "Рабочие дни: пн–сб · часы: 10:00–19:00" in text
    assert "/new" in text and "/settings" in text  # what to do next, and where to change it


async def test_onboarding_leaves_each_answer_in_the_chat(anna: ChatUser) -> None:
    """Every step answered stays readable as a one-line record; the next comes below it."""
    await anna.send("/start")
    await anna.click("специалист")
    await anna.click("Москва")
    await anna.click("Дальше")
    await anna.send("с 10 до 19")
    texts = [message.text or "" for message in anna.messages]
    assert len(texts) == 5, texts
    assert texts[0].startswith("Привет, Анна! 👋")  # the greeting is still there
    assert texts[0].endswith("Кто вы в этой истории? — <b>SMM-специалист</b>")
    assert texts[1:4] == [
        "🕐 Часовой пояс: <b>Москва (UTC+3)</b>",
        "📅 Рабочие дни: <b>пн–пт</b>",
        "⏰ Часы для сообщений: <b>10:00–19:00</b>",
    ]
    assert texts[4].startswith("Готово, всё настроено ✨")
    assert [anna.buttons(message) for message in anna.messages] == [[]] * 5


async def test_settings_edit_in_place_and_leave_no_records(anna: ChatUser) -> None:
    await anna.send("/start")
    await anna.click("заказчик")
    await anna.click("Москва")
    before = len(anna.messages)
    await anna.send("/settings")
    await anna.click("Часовой пояс")
    await anna.click("Екатеринбург")
    assert len(anna.messages) == before + 1  # the one settings message, edited
    assert "Часовой пояс: Екатеринбург" in (anna.last.text or "")


async def test_settings_show_working_days(anna: ChatUser) -> None:
    await anna.send("/start")
    await anna.click("заказчик")
    await anna.click("Москва")
    texts = [message.text or "" for message in anna.messages]
    assert texts[0].endswith("Кто вы в этой истории? — <b>заказчик</b>")
    assert texts[1] == "🕐 Часовой пояс: <b>Москва (UTC+3)</b>"
    assert "Роль: заказчик · язык: русский\nЧасовой пояс: Москва (UTC+3)" in texts[2]
    assert "ссылку-приглашение" in texts[2]
    await anna.send("/settings")
    assert "Рабочие дни: не указано" in (anna.last.text or "")


async def test_settings_show_and_change_working_days_in_the_persons_language(
    dispatcher: Dispatcher, bot: Bot, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    john = ChatUser(dispatcher, bot, 2002, name="John", language="en")
    await john.send("/start")
    await john.click("specialist")
    await john.click("Moscow")
    await john.click("Next")  # Monday to Friday, ticked already
    await john.send("10-19")
    await john.send("/settings")
    assert "Working days: Mon–Fri" in (john.last.text or "")

    await john.click("Working days and hours")
    await john.click("^✅ Fri$")  # off on Fridays
    await john.click("^Sun$")
    await john.click("Next")
    await john.click("10:00–19:00")
    assert "Working days: Mon–Thu and Sun" in (john.last.text or "")
    assert (await _user(session_factory, 2002)).work_days == [0, 1, 2, 3, 6]
