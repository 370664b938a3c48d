"""/forget through the real dispatcher: what is shown, cancel, the deletion in one go, the other
side told and still able to read the signed brief (with «бывший участник»), a fresh /start, and
a stale press of the confirmation refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Answer, Approval, BriefVersion, Project, Reminder, User
from bot.goals.check import Draft
from bot.projects import create_project, save_answer
from bot.projects.goals import add_goal
from testkit import brief_sample as sample
from tests.dispatcher.harness import ChatUser

Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
def boris(dispatcher: Dispatcher, bot: Bot) -> ChatUser:
    return ChatUser(dispatcher, bot, 1002, name="Борис", language="ru")


async def _user(session: AsyncSession, telegram_id: int) -> User | None:
    return await session.scalar(select(User).where(User.telegram_id == telegram_id))


async def _project(factory: Factory, anna: ChatUser, boris: ChatUser | None, brand: str) -> int:
    """Anna's complete project with one goal; Boris as its client (answering one question)."""
    await anna.send("/help")
    if boris is not None:
        await boris.send("/help")
    async with factory() as session:
        specialist = await _user(session, anna.user.id)
        assert specialist is not None
        project = await create_project(
            session, specialist, brand=brand, niche="кофе", now=datetime.now(UTC)
        )
        now = datetime.now(UTC)
        for key, value in sample.answers(1).items():
            await save_answer(session, project, specialist, key, value, now)
        if boris is not None:
            client = await _user(session, boris.user.id)
            assert client is not None
            project.client = client
            await save_answer(session, project, client, "taboo", "без мата", now)
        await session.commit()
        await add_goal(
            session,
            project_id=project.id,
            owner=specialist,
            draft=Draft(
                "Продать 40 курток", "units_sold", 40, "units", "vk", date(2027, 9, 30), 0, False
            ),
            verdict="realistic",
            relevance_reason=None,
            now=datetime.now(UTC),
        )
        await session.commit()
        return project.id


async def _signed(factory: Factory, anna: ChatUser, boris: ChatUser) -> int:
    project_id = await _project(factory, anna, boris, "Зерно")
    await anna.send("/brief")
    await anna.click("Отправить на согласование")
    await boris.click("Утвердить")
    await anna.click("Утвердить")
    assert "подписан обеими сторонами" in (boris.last.text or "")
    return project_id


def _alerts(person: ChatUser) -> list[str]:
    return [call.text or "" for call in person.session.sent(AnswerCallbackQuery) if call.text]


async def test_forget_shows_what_goes_and_what_the_other_side_keeps(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    await _signed(session_factory, anna, boris)
    await boris.send("/forget")
    text = boris.last.text or ""
    assert "Удалить ваши данные из smartbrief?" in text
    assert "ваши ответы на вопросы: 1" in text
    assert "«Зерно» (участник: Анна)" in text and "1 подписанная версия брифа" in text
    assert boris.buttons() == ["🗑 Да, удалить мои данные", "Отмена"]

    await boris.click("Отмена")
    assert boris.last.text == "Хорошо, ничего не удалено."
    async with session_factory() as session:
        assert await _user(session, boris.user.id) is not None


async def test_forget_deletes_tells_the_other_side_and_the_signed_brief_stays(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    project_id = await _signed(session_factory, anna, boris)
    async with session_factory() as session:
        old = await _user(session, boris.user.id)
        assert old is not None
        old_id = old.id

    await boris.send("/forget")
    await boris.click("Да, удалить")

    assert "ваши данные удалены" in (boris.last.text or "")
    assert "данные второго участника удалены" in (anna.last.text or "")
    async with session_factory() as session:
        assert await _user(session, boris.user.id) is None  # the next message meets a new profile
        tomb = await session.get(User, old_id)
        assert tomb is not None and tomb.forgotten_at is not None
        assert (tomb.first_name, tomb.username, tomb.timezone) == ("", None, None)
        count = func.count()
        assert await session.scalar(select(count).where(Answer.answered_by == old_id)) == 0
        assert await session.scalar(select(count).where(Reminder.recipient_id == old_id)) == 0
        assert await session.get(Project, project_id) is not None
        assert await session.scalar(select(count).select_from(BriefVersion)) == 1
        assert await session.scalar(select(count).where(Approval.user_id == old_id)) == 1

    await anna.send("/brief")
    await anna.click("Полный текст")
    brief = "\n".join(m.text or "" for m in anna.messages[-3:])
    assert "бывший участник" in brief and "Борис" not in brief

    await boris.send("/start")
    assert "Привет, Борис" in (boris.last.text or "")
    assert boris.buttons() == ["Я SMM-специалист", "Я заказчик"]


async def test_a_project_of_ones_own_goes_and_a_stale_confirmation_is_refused(
    anna: ChatUser, session_factory: Factory
) -> None:
    project_id = await _project(session_factory, anna, None, "Одиночка")
    await anna.send("/forget")
    assert "единственный участник, целиком: «Одиночка»" in (anna.last.text or "")
    [confirmation] = [m for m in anna.messages if "🗑 Да, удалить мои данные" in anna.buttons(m)]
    markup = confirmation.reply_markup
    await anna.click("Да, удалить")
    async with session_factory() as session:
        assert await session.get(Project, project_id) is None

    await anna.send("/help")  # a new, blank profile
    await anna.click(
        "Да, удалить", message=confirmation.model_copy(update={"reply_markup": markup})
    )
    assert "Эта кнопка уже не работает" in _alerts(anna)[-1]
    async with session_factory() as session:
        fresh = await _user(session, anna.user.id)
        assert fresh is not None and fresh.forgotten_at is None
