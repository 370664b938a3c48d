"""The questionnaire and invites through the real dispatcher: answers saved, Back, Skip, access."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from aiogram import Bot, Dispatcher
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import ShiftedClock
from bot.db.models import Answer, Project, Reminder, ReminderStatus
from bot.questionnaire.flow import Flow
from bot.reminders.rules import ReminderKind
from bot.roles import Role
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.walk import answer, current_step, stored_answers, walk


async def _answers(factory: async_sessionmaker[AsyncSession]) -> dict[str, object]:
    async with factory() as session:
        return {a.key: a.value for a in await session.scalars(select(Answer))}


async def new_project(specialist: ChatUser) -> None:
    """/new for «Зерно», a coffee shop: the questionnaire's first step is on screen."""
    await specialist.send("/new")
    await specialist.send("Зерно")
    await specialist.send("кофе")


async def project_with_invite(specialist: ChatUser) -> str:
    """A new project and its invite link, as the specialist gets it; returns the link's token."""
    await new_project(specialist)
    await specialist.send("/projects")
    await specialist.click("Зерно")
    await specialist.click("Ссылка для заказчика")
    match = re.search(r"start=([A-Za-z0-9_-]+)", specialist.last.text or "")
    assert match, specialist.last.text
    return match.group(1)


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
    assert "1\xa0500" in (anna.last.text or "")  # not plain digits: read back before storing
    await anna.click("Да, верно")
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
    token = await project_with_invite(anna)

    boris = ChatUser(dispatcher, bot, 2002, name="Борис")
    await boris.send(f"/start {token}")
    assert any("приглашает вас" in (m.text or "") for m in boris.messages)
    assert any("теперь есть заказчик: Борис" in (m.text or "") for m in anna.messages)
    async with session_factory() as session:
        project = await session.scalar(select(Project))
        assert project is not None and project.client_id is not None
    nudged = await _nudge_keys(session_factory)
    assert any(key.endswith(f":u{project.client_id}") for key in nudged)  # from joining on

    eve = ChatUser(dispatcher, bot, 3003, name="Ева")
    await eve.send(f"/start {token}")
    assert "уже вошёл другой человек" in (eve.last.text or "")
    await eve.send("/start not-a-real-token")
    assert "неполная или неверная" in (eve.last.text or "")
    await anna.send(f"/start {token}")
    assert "уже есть заказчик" in (anna.last.text or "") or "собственная ссылка" in (
        anna.last.text or ""
    )


async def test_specialist_walks_everything_with_edit_and_cancel(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await new_project(anna)
    asked = await walk(anna, Role.SPECIALIST, session_factory)
    answers = await stored_answers(session_factory)
    flow = Flow(Role.SPECIALIST, answers)
    assert asked == [step.key for step in flow.steps]  # every step once, in the flow's order
    assert flow.missing_required() == ()
    assert "Все обязательные вопросы заполнены" in (anna.last.text or "")

    # Edit from the summary: the final review lists sections with their answer counts; a section
    # opens its own edit buttons, and an edit lands back on that section, then Back on the review.
    assert "Ритм работы и отчёты · ответов: 3" in anna.buttons()
    assert not [button for button in anna.buttons() if button.startswith("✏️")]
    await anna.click("^Ритм работы")
    assert "✏️ Частота отчётов" in anna.buttons() and "✏️ Темы" not in anna.buttons()
    await anna.click("Частота отчётов")
    await anna.click("Раз в месяц|раз в месяц|Ежемесяч")
    assert "✏️ Частота отчётов" in anna.buttons()
    await anna.click("^← Назад$")
    assert "✅ Всё верно" in anna.buttons()
    assert (await stored_answers(session_factory))["report_frequency"] == "monthly"

    # Cancel keeps everything; /start brings the open project back.
    await anna.send("/cancel")
    assert "сохранено" in (anna.last.text or "")
    assert await stored_answers(session_factory) == {**answers, "report_frequency": "monthly"}


async def test_client_part_and_restart_mid_questionnaire(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    make_dispatcher: Callable[[], Dispatcher],
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    token = await project_with_invite(anna)

    boris = ChatUser(dispatcher, bot, 2002, name="Борис")
    await boris.send(f"/start {token}")
    first = await current_step(boris, Role.CLIENT, session_factory)
    assert first is not None and first.key == "aim"
    await answer(boris, first)
    second = await current_step(boris, Role.CLIENT, session_factory)
    assert second is not None

    boris.dispatcher = make_dispatcher()  # the bot restarts
    await boris.send("/start")
    assert await current_step(boris, Role.CLIENT, session_factory) == second
    await walk(boris, Role.CLIENT, session_factory)
    await boris.click("Всё верно")
    assert any(
        "Борис: все вопросы по проекту «Зерно» отвечены" in (m.text or "") for m in anna.messages
    )


async def test_forged_button_from_someone_else_changes_nothing(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await new_project(anna)
    eve = ChatUser(dispatcher, bot, 3003, name="Ева")
    await eve.click("ВКонтакте", message=anna.last)  # Anna's button, pressed by Eve
    await eve.click("^Готово$", message=anna.last)
    assert "channels" not in await stored_answers(session_factory)
    answered = [c for c in bot.session.sent(AnswerCallbackQuery) if c.text]  # type: ignore[attr-defined]
    assert answered and "не работает" in (answered[-1].text or "")


async def test_availability_comes_from_the_profile(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await anna.send("/start")
    await anna.click("специалист")
    await anna.click("Москва")
    await anna.click("Дальше")
    await anna.send("10-19")
    await new_project(anna)
    answers = await stored_answers(session_factory)
    assert answers["timezone.specialist"] == "Europe/Moscow"
    assert answers["work_hours.specialist"] == {"start": "10:00", "end": "19:00"}
    assert answers["work_days.specialist"] == [0, 1, 2, 3, 4]


async def _nudge_keys(factory: async_sessionmaker[AsyncSession]) -> set[str]:
    async with factory() as session:
        rows = await session.scalars(
            select(Reminder.key).where(
                Reminder.kind == ReminderKind.QUESTIONS_PENDING,
                Reminder.status == ReminderStatus.PLANNED,
            )
        )
        return set(rows)


async def test_question_nudges_follow_the_answers_without_replanning_every_tap(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession], clock: ShiftedClock
) -> None:
    await new_project(anna)
    created = await _nudge_keys(session_factory)
    assert created, "a new project is nudged about even before any answer"
    clock.advance(timedelta(minutes=1))
    await anna.click("ВКонтакте")
    await anna.click("^Готово$")
    first = await _nudge_keys(session_factory)
    assert first and first.isdisjoint(created), "the first answer re-plans them"

    clock.advance(timedelta(minutes=5))
    await anna.click("Пропустить")
    assert await _nudge_keys(session_factory) == first  # a tap a moment later re-plans nothing

    clock.advance(timedelta(hours=2))
    await anna.send("1200")
    later = await _nudge_keys(session_factory)
    assert later and later.isdisjoint(first)  # after a pause they count from the new answer

    await walk(anna, Role.SPECIALIST, session_factory)
    assert await _nudge_keys(session_factory) == set()  # done: nothing left to nudge about


async def test_a_new_project_opens_on_its_first_question_with_no_card_shown_first(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """The project's card waits under the questionnaire (it shows when the questionnaire is
    left); it is not sent first only to be replaced by the first question at once."""
    await anna.send("/new")
    await anna.send("Зерно")
    calls = len(anna.session.calls)
    await anna.send("кофе")
    made = anna.session.calls[calls:]
    texts = [call.text for call in made if isinstance(call, SendMessage | EditMessageText)]
    assert len(texts) == 1 and "Шаг 1 из" in texts[0], texts
    assert [type(call) for call in made] == [EditMessageReplyMarkup, SendMessage]
    await walk(anna, Role.SPECIALIST, session_factory)
    await anna.click("Всё верно")  # the questionnaire closes onto the card under it
    assert (anna.last.text or "").startswith("🗂 <b>Зерно</b>\nкофе"), anna.last.text


async def test_an_accepted_invite_opens_on_the_clients_first_question_with_no_card_first(
    anna: ChatUser, dispatcher: Dispatcher, bot: Bot
) -> None:
    token = await project_with_invite(anna)
    boris = ChatUser(dispatcher, bot, 2002, name="Борис")
    calls = len(boris.session.calls)
    await boris.send(f"/start {token}")
    made = [call for call in boris.session.calls[calls:] if getattr(call, "chat_id", None) == 2002]
    texts = [call.text for call in made if isinstance(call, SendMessage | EditMessageText)]
    assert len(texts) == 2, texts  # the welcome, then the first question
    assert "приглашает вас" in texts[0] and "Шаг 1 из" in texts[1]
