"""What Telegram refuses that is no fault of the person: an alert quoting a long project name, an
edit that changes nothing (the second press of the same button), a second answer to one press."""

from __future__ import annotations

import gc
import logging
import tracemalloc
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, EditMessageText
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import build_bot
from bot.config import Settings
from bot.db.models import User
from bot.limits import utf16_length
from bot.projects import create_project
from tests.dispatcher.harness import ChatUser, RecordingSession

LONG_BRAND = "Кофейня «Зерно» на Малой Садовой, " * 7  # 245 characters
assert len(LONG_BRAND) > 200


class TelegramLikeSession(RecordingSession):
    """Refuses what Telegram refuses: an edit that changes nothing, a second answer to a query,
    an alert over 200 characters."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: list[str] = []
        self._answered: set[str] = set()

    async def make_request(self, bot: Bot, method: Any, timeout: int | None = None) -> Any:  # noqa: ASYNC109
        if isinstance(method, AnswerCallbackQuery):
            if method.callback_query_id in self._answered:
                self._refuse(method, "query is too old and response timeout expired")
            if utf16_length(method.text or "") > 200:
                self._refuse(method, "MESSAGE_TOO_LONG")
            self._answered.add(method.callback_query_id)
        if isinstance(method, EditMessageText | EditMessageReplyMarkup):
            shown = next(
                m for m in self.chats[int(method.chat_id or 0)] if m.message_id == method.message_id
            )
            text = method.text if isinstance(method, EditMessageText) else shown.text
            if (text, method.reply_markup) == (shown.text, shown.reply_markup):
                self._refuse(method, "Bad Request: message is not modified")
        return await super().make_request(bot, method, timeout)

    def _refuse(self, method: Any, message: str) -> None:
        self.calls.append(method)
        self.refused.append(message)
        raise TelegramBadRequest(method, message)


@pytest.fixture
def telegram(settings: Settings) -> Bot:
    return build_bot(settings, session=TelegramLikeSession())  # type: ignore[arg-type]


async def _long_named_project(person: ChatUser, factory: async_sessionmaker[AsyncSession]) -> None:
    await person.send("/help")
    async with factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == person.user.id))
        assert user is not None
        project = await create_project(
            session, user, brand="Зерно", niche="кофе", now=datetime.now(UTC)
        )
        # Longer than /new accepts today (200), as a name stored before that limit may be.
        project.brand = LONG_BRAND
        await session.commit()


def _alerts(bot: Bot) -> list[str]:
    return [c.text or "" for c in bot.session.sent(AnswerCallbackQuery) if c.text]  # type: ignore[attr-defined]


async def test_snooze_and_mute_alerts_quoting_a_long_name_fit_and_a_second_press_is_calm(
    dispatcher: Dispatcher,
    telegram: Bot,
    session_factory: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    anna = ChatUser(dispatcher, telegram, 1001)
    await _long_named_project(anna, session_factory)
    await anna.send("/reminders")
    overview: Message = anna.last

    await anna.click("😴", message=overview)
    await anna.click("😴", message=anna.last)  # the same screen again: nothing to redraw
    await anna.click("🔕", message=anna.last)

    alerts = _alerts(telegram)
    assert len(alerts) == 3
    assert all(utf16_length(a) <= 200 for a in alerts), [len(a) for a in alerts]
    assert all("Кофейня «Зерно»" in a for a in alerts)
    assert "перенесены" in alerts[1] and "Больше не напоминаю" in alerts[2]
    session: TelegramLikeSession = telegram.session  # type: ignore[assignment]
    assert "MESSAGE_TOO_LONG" not in session.refused
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_an_edit_that_changes_nothing_is_not_sent(telegram: Bot) -> None:
    session: TelegramLikeSession = telegram.session  # type: ignore[assignment]
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Да", callback_data="yes")]]
    )
    sent = await telegram.send_message(7, "Зерно", reply_markup=markup)
    same = await telegram.edit_message_text(
        "Зерно", chat_id=7, message_id=sent.message_id, reply_markup=markup
    )
    same_keys = await telegram.edit_message_reply_markup(
        chat_id=7, message_id=sent.message_id, reply_markup=markup
    )
    changed = await telegram.edit_message_text("Кофе", chat_id=7, message_id=sent.message_id)

    assert isinstance(same, Message) and same.message_id == sent.message_id
    assert isinstance(same_keys, Message) and isinstance(changed, Message)
    assert len(session.sent(EditMessageText)) == 1 and not session.sent(EditMessageReplyMarkup)
    assert session.refused == [] and session.chats[7][-1].text == "Кофе"


async def test_remembered_screens_keep_no_keyboards(telegram: Bot) -> None:
    """Thousands of screens are remembered for the unchanged-edit check: each costs a digest and
    a slim message, not its keyboard (a time-zone picker's is tens of kilobytes as objects)."""
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=f"Город {row}-{column}", callback_data=f"z:{row}:{column}")]
            for row in range(20)
            for column in range(2)
        ]
    )
    await telegram.send_message(1, "прогрев", reply_markup=markup)  # pydantic's first-use costs
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for chat in range(2, 202):
            await telegram.send_message(chat, "Выберите город", reply_markup=markup)
        telegram.session.chats.clear()  # type: ignore[attr-defined]  # the fake's own copies
        telegram.session.calls.clear()  # type: ignore[attr-defined]
        gc.collect()
        grown = sum(
            stat.size_diff for stat in tracemalloc.take_snapshot().compare_to(before, "filename")
        )
    finally:
        tracemalloc.stop()
    assert grown / 200 < 1_000, f"{grown / 200:.0f} bytes per remembered screen"


async def test_an_edit_telegram_calls_unchanged_is_taken_as_done(settings: Settings) -> None:
    """Replicas cannot know what another one sent: Telegram's refusal is then taken as done."""
    replica = build_bot(
        settings.model_copy(update={"redis_url": "redis://localhost:1/0"}),
        session=TelegramLikeSession(),  # type: ignore[arg-type]
    )
    session: TelegramLikeSession = replica.session  # type: ignore[assignment]
    sent = await replica.send_message(7, "Зерно")
    again = await replica.edit_message_text("Зерно", chat_id=7, message_id=sent.message_id)

    assert session.refused == ["Bad Request: message is not modified"]
    assert isinstance(again, Message) and again.message_id == sent.message_id
    assert await replica.edit_message_reply_markup(chat_id=7, message_id=sent.message_id)


async def test_a_press_is_answered_once_even_when_asked_twice(telegram: Bot) -> None:
    session: TelegramLikeSession = telegram.session  # type: ignore[assignment]
    assert await telegram.answer_callback_query("q1", text="Готово")
    assert await telegram.answer_callback_query("q1")

    assert session.refused == []
    assert len(session.sent(AnswerCallbackQuery)) == 1


async def test_a_message_over_the_limit_is_cut_not_refused(telegram: Bot) -> None:
    session: TelegramLikeSession = telegram.session  # type: ignore[assignment]
    await telegram.send_message(7, "<b>" + "слово " * 1000 + "</b>")
    await telegram.answer_callback_query("q2", text="а" * 300, show_alert=True)

    text = session.chats[7][-1].text or ""
    assert 4000 < len(text) - len("<b></b>") <= 4096 and text.endswith("…</b>")
    assert len(session.sent(AnswerCallbackQuery)[-1].text) == 200


async def test_a_dialog_button_that_answers_with_an_alert_is_answered_once(
    dispatcher: Dispatcher, telegram: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    """aiogram-dialog answers every press after its handler; one that answered first (here the
    alert «tick at least one day») was answered twice, and Telegram refused the second: the
    «Cannot answer callback … query is too old» warnings."""
    anna = ChatUser(dispatcher, telegram, 1001)
    await anna.send("/start")
    await anna.click("SMM-специалист")
    await anna.send("Москва")
    for day in ("пн", "вт", "ср", "чт", "пт"):
        await anna.click(f"✅ {day}")
    await anna.click("Дальше")

    session: TelegramLikeSession = telegram.session  # type: ignore[assignment]
    assert session.refused == []
    assert any("хотя бы один день" in a for a in _alerts(telegram))
    assert "Cannot answer callback" not in caplog.text


async def test_a_deleted_or_failed_message_is_forgotten(telegram: Bot) -> None:
    """Only content Telegram confirmed is remembered: after a delete, the same edit goes out."""
    session: TelegramLikeSession = telegram.session  # type: ignore[assignment]
    sent = await telegram.send_message(7, "Зерно")
    await telegram.delete_message(7, sent.message_id)
    await telegram.edit_message_text("Зерно", chat_id=7, message_id=sent.message_id)

    assert len(session.sent(EditMessageText)) == 1


async def test_after_a_restart_telegrams_refusal_teaches_what_a_message_shows(
    settings: Settings,
) -> None:
    """A message sent before a restart is unknown: the first unchanged edit reaches Telegram
    and is refused, taken as done and remembered, so the next one is not sent."""
    first = TelegramLikeSession()
    before = build_bot(settings, session=first)  # type: ignore[arg-type]
    sent = await before.send_message(7, "Зерно")
    session = TelegramLikeSession()
    session.chats = first.chats  # the same Telegram, a new process
    after = build_bot(settings, session=session)  # type: ignore[arg-type]
    for _ in range(2):
        await after.edit_message_text("Зерно", chat_id=7, message_id=sent.message_id)

    assert session.refused == ["Bad Request: message is not modified"]
