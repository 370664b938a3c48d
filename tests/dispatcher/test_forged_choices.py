"""Forged item ids for every choice the dialogs offer: nothing stored, a refusal, the screen again.

aiogram-dialog takes an item id from callback data as it comes; a person (or a script) can send
`days:7`, `zone:-1` or `project:99999999999999999999` for buttons that were never on their screen.
Each case brings Anna to a screen with a select, multiselect or calendar, then presses ids that
screen did not offer.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Answer, Goal, Project, User
from bot.i18n import translator
from bot.projects import create_project, save_answer
from bot.questionnaire.catalogue import AnswerType
from bot.roles import Role
from bot.timezones import COMMON_ZONES
from dialogs.drawn_keyboards import KEY as DRAWN_KEYBOARDS
from dialogs.drawn_keyboards import DrawnKeyboards
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.walk import answer, current_step

Factory = async_sessionmaker[AsyncSession]
REFUSAL = translator("ru")("common.not_offered")
#: Ids no screen offers, whatever the widget: huge, negative, not a number, empty, too long.
NEVER_OFFERED = ["99999999999999999999", "-1", "abc", "", "1" * 40]


async def _onboarded_specialist(anna: ChatUser) -> None:
    await anna.send("/start")
    await anna.click("SMM-специалист")
    await anna.click("Москва")
    await anna.click("Дальше")
    await anna.click("10:00–19:00")


async def _to_zone(anna: ChatUser, _: Factory) -> None:
    await anna.send("/start")
    await anna.click("заказчик")


async def _to_days(anna: ChatUser, _: Factory) -> None:
    await anna.send("/start")
    await anna.click("SMM-специалист")
    await anna.click("Москва")


async def _to_hours(anna: ChatUser, factory: Factory) -> None:
    await _to_days(anna, factory)
    await anna.click("Дальше")


async def _to_channels(anna: ChatUser, _: Factory) -> None:
    await anna.send("/new")
    await anna.send("Зерно")
    await anna.send("кофе")
    await anna.click("ВКонтакте")  # one real tick, which must survive the forged ones


async def _to_single(anna: ChatUser, factory: Factory) -> None:
    await _to_channels(anna, factory)
    await anna.click("^Готово$")
    for _ in range(30):  # answer until a single-choice step is on screen
        step = await current_step(anna, Role.SPECIALIST, factory)
        if step is None:  # a section's summary
            await anna.click("^Дальше →$")
            continue
        if step.question.type is AnswerType.SINGLE_CHOICE:
            return
        await answer(anna, step)


async def _to_summary(anna: ChatUser, factory: Factory) -> None:
    await _to_channels(anna, factory)
    await anna.click("Все ответы")
    await anna.click("^Контент")  # the final review lists sections; a section has edit buttons


async def _to_review(anna: ChatUser, factory: Factory) -> None:
    await _to_channels(anna, factory)
    await anna.click("Все ответы")


async def _project(anna: ChatUser, factory: Factory, aim: str = "sell_stock") -> None:
    await anna.send("/help")  # first contact creates Anna's user row
    async with factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == anna.user.id))
        assert user is not None
        project = await create_project(
            session, user, brand="Зерно", niche="кофе", now=datetime.now(UTC)
        )
        now = datetime.now(UTC)
        answers = {"aim": aim, "channels": ["vk", "telegram"], "channel.vk.audience": 800}
        for key, value in answers.items():
            await save_answer(session, project, user, key, value, now)
        await session.commit()  # save_answer leaves the commit to the caller


async def _to_metric(anna: ChatUser, factory: Factory) -> None:
    await _project(anna, factory)
    await anna.send("/goals")
    await anna.click("Новая цель")
    await anna.send("хочу расти к 1 марта 2027 года до 5000")


async def _to_channel(anna: ChatUser, factory: Factory) -> None:
    await _project(anna, factory, aim="awareness")  # followers serve it: no relevance warning
    await anna.send("/goals")
    await anna.click("Новая цель")
    await anna.send("+300 подписчиков к 1 марта 2027 года")


async def _to_calendar(anna: ChatUser, factory: Factory) -> None:
    await _project(anna, factory)
    await anna.send("/goals")
    await anna.click("Новая цель")
    await anna.send("+300 подписчиков в ВК")
    await anna.click("Оставить мою")
    await anna.send("Сначала нужна аудитория")
    await anna.click("Выбрать дату")


async def _to_projects(anna: ChatUser, factory: Factory) -> None:
    await _project(anna, factory)
    async with factory() as session:  # someone else's project, whose id Anna can guess
        stranger = User(telegram_id=9009, first_name="Ева")
        session.add(stranger)
        await session.flush()
        await create_project(session, stranger, brand="Чужой", niche="x", now=datetime.now(UTC))
    await anna.send("/projects")


@dataclass(frozen=True)
class Case:
    reach: Callable[[ChatUser, Factory], Awaitable[None]]
    widget: str
    #: Ids of the right shape that this screen did not offer.
    unoffered: tuple[str, ...]

    def __str__(self) -> str:
        return self.widget


CASES = {
    "zone": Case(_to_zone, "zone", (str(len(COMMON_ZONES)),)),
    "days": Case(_to_days, "days", ("7", "8", "mon")),
    "quick_hours": Case(_to_hours, "quick", ("3",)),
    "questionnaire_multi": Case(_to_channels, "multi", ("myspace", "mon")),
    "questionnaire_single": Case(_to_single, "single", ("nonsense",)),
    "summary_edit": Case(_to_summary, "edit", ("999",)),
    "summary_section": Case(_to_review, "sections", ("nonsense", "aim")),
    "goal_metric": Case(_to_metric, "metric", ("astrology",)),
    "goal_channel": Case(_to_channel, "channel", ("myspace", "ok")),
    "goal_calendar": Case(_to_calendar, "calendar", ("0", "4102444800", "+YYY")),
    "project": Case(_to_projects, "project", ("2",)),
}


async def _state(factory: Factory) -> dict[str, Any]:
    """Everything a press could store, apart from the dialog state itself."""
    async with factory() as session:
        users = [
            (u.telegram_id, u.timezone, u.work_days, u.work_start, u.work_end)
            for u in await session.scalars(select(User).order_by(User.id))
        ]
        answers = [
            (a.key, a.value) for a in await session.scalars(select(Answer).order_by(Answer.id))
        ]
        goals = [
            (g.id, g.metric, g.channel, g.deadline) for g in await session.scalars(select(Goal))
        ]
        projects = [(p.id, p.client_id, p.status) for p in await session.scalars(select(Project))]
    return {"users": users, "answers": answers, "goals": goals, "projects": projects}


async def _press(anna: ChatUser, data: str) -> None:
    """A press of `data` on the message on show, its keyboard carrying that data too: data on no
    button of the message is refused earlier (`ui/pressed.py`); what is checked here is the
    window's own rule, that a button must be one the screen offers now."""
    shown = next(m for m in reversed(anna.messages) if m.reply_markup is not None)
    assert isinstance(shown.reply_markup, InlineKeyboardMarkup)
    forged = InlineKeyboardButton(text="?", callback_data=data)
    keyboard = [*shown.reply_markup.inline_keyboard, [forged]]
    message = shown.model_copy(
        update={"reply_markup": InlineKeyboardMarkup(inline_keyboard=keyboard)}
    )
    ids = ChatUser._update_ids  # unique across the run, like the harness's own presses
    query = CallbackQuery(
        id=str(next(ids)),
        from_user=anna.user,
        chat_instance="ci",
        message=message,
        data=data,
    )
    await anna.dispatcher.feed_update(anna.bot, Update(update_id=next(ids), callback_query=query))


def _intent_prefix(anna: ChatUser) -> str:
    message = next(m for m in reversed(anna.messages) if m.reply_markup is not None)
    data = next(
        b.callback_data
        for row in message.reply_markup.inline_keyboard
        for b in row
        if b.callback_data  # type: ignore[union-attr]
    )
    intent = data.split("\x1d")[0] + "\x1d"
    scoped = re.match(r"s:[0-9a-f]{6}:", data[len(intent) :])  # a `ScreenScoped` keyboard's tag
    return intent + (scoped.group(0) if scoped else "")


@pytest.fixture(params=["drawn here", "drawn before a restart"])
def forget_drawn(request: pytest.FixtureRequest, dispatcher: Dispatcher) -> Callable[[], None]:
    """A press is checked against the keyboard as this process drew it; after a restart (or on
    another replica) nothing was drawn here, and the keyboard is drawn again to check it."""

    def forget() -> None:
        if request.param == "drawn before a restart":
            dispatcher[DRAWN_KEYBOARDS] = DrawnKeyboards()

    return forget


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_ids_a_screen_did_not_offer_are_refused_and_store_nothing(
    anna: ChatUser, session_factory: Factory, case: Case, forget_drawn: Callable[[], None]
) -> None:
    await case.reach(anna, session_factory)
    forget_drawn()
    prefix = _intent_prefix(anna)
    offered = [
        b.callback_data
        for m in anna.messages[-1:]
        for row in (m.reply_markup.inline_keyboard if m.reply_markup else [])
        for b in row
    ]
    assert any(d and d.startswith(f"{prefix}{case.widget}:") for d in offered), (
        f"the {case.widget!r} widget is not on screen: {anna.last.text!r} {anna.buttons()}"
    )
    screen, buttons = anna.last.text, anna.buttons()
    before = await _state(session_factory)
    for bad in (*case.unoffered, *NEVER_OFFERED):
        forget_drawn()
        answers_before = len(anna.session.sent(AnswerCallbackQuery))
        calls_before = len(anna.session.calls)
        await _press(anna, f"{prefix}{case.widget}:{bad}")
        assert await _state(session_factory) == before, bad
        answers = anna.session.sent(AnswerCallbackQuery)[answers_before:]
        assert [(a.text, a.show_alert) for a in answers] == [(REFUSAL, True)], bad  # answered once
        assert (anna.last.text, anna.buttons()) == (screen, buttons), bad  # the same screen
        assert len(anna.session.calls) == calls_before + 1, bad  # the alert; no edit, no message


async def test_the_forged_work_days_of_the_report_never_reach_the_profile(
    anna: ChatUser,
    session_factory: Factory,
    make_dispatcher: Callable[[], Dispatcher],
    bot: Bot,
) -> None:
    """The report's sequence: `days:7`, `days:99999999999999999999`, then «Next →»; and a restart."""
    await _to_days(anna, session_factory)
    prefix = _intent_prefix(anna)
    await _press(anna, f"{prefix}days:7")
    await _press(anna, f"{prefix}days:99999999999999999999")
    await anna.click("Дальше")
    async with session_factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == anna.user.id))
        assert user is not None and user.work_days == [0, 1, 2, 3, 4]
    restarted = make_dispatcher()
    await restarted.emit_startup(bot=bot)
    await restarted.emit_shutdown()


async def test_offered_buttons_still_work_on_every_kind_of_widget(
    anna: ChatUser, session_factory: Factory
) -> None:
    """The check lets through what the screen drew: calendar navigation and a day, a tick."""
    await _to_calendar(anna, session_factory)
    await anna.click(">>")  # next month: the calendar redraws, its buttons change
    await anna.click("^28$")
    assert "Сохранить как есть" in anna.buttons(), anna.last.text
    answers_refused = [a for a in anna.session.sent(AnswerCallbackQuery) if a.text == REFUSAL]
    assert answers_refused == []


@pytest.mark.parametrize("widget", ["skip", "keep"])
async def test_a_button_the_screen_hides_cannot_be_pressed(
    anna: ChatUser, session_factory: Factory, widget: str, forget_drawn: Callable[[], None]
) -> None:
    """The first question is required and unanswered: no «Skip», no «Next» without changes."""
    await _to_channels(anna, session_factory)
    forget_drawn()
    assert not any(b in anna.buttons() for b in ("Пропустить", "Дальше →"))
    screen, before = anna.last.text, await _state(session_factory)
    await _press(anna, f"{_intent_prefix(anna)}{widget}")
    assert anna.last.text == screen and "Шаг 1 из" in (screen or "")
    assert await _state(session_factory) == before
    assert [a.text for a in anna.session.sent(AnswerCallbackQuery)][-1] == REFUSAL
