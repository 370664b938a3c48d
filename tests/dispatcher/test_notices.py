"""Messages to the other person (bot/notify.py): sent after the actor's action has committed, and
a person who blocked the bot never undoes or breaks it.

In every test here the other side has blocked the bot (the recording session answers their chat
with Telegram's 403). The actor's action must be complete — brief sent or signed, reminders
planned, invite bound, comment and check-in stored — the blocked person marked so, the actor
told in one sentence, and nothing logged as an error.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import SendMessage
from aiogram.types import Update
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import ShiftedClock
from bot.db.models import (
    Approval,
    BriefVersion,
    CheckIn,
    Decision,
    Goal,
    Project,
    Reminder,
    ReminderStatus,
    User,
)
from bot.notify import NoticeMiddleware
from bot.reminders.rules import ReminderKind
from bot.roles import Role
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.test_briefs import _project
from tests.dispatcher.test_checkin import make_project
from tests.dispatcher.test_questionnaire import project_with_invite
from tests.dispatcher.walk import walk

Factory = async_sessionmaker[AsyncSession]
UNREACHABLE = "Уведомление не доставлено: {name} не получает сообщений от бота"


@pytest.fixture
def boris(dispatcher: Dispatcher, bot: Bot) -> ChatUser:
    return ChatUser(dispatcher, bot, 1002, name="Борис", language="ru")


@pytest.fixture
def errors(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


def no_errors(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bad, [r.getMessage() for r in bad]


def block(person: ChatUser) -> None:
    person.session.blocked.add(person.user.id)


async def is_blocked(factory: Factory, person: ChatUser) -> bool:
    async with factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == person.user.id))
        assert user is not None
        return user.blocked


async def reminder_kinds(factory: Factory, person: ChatUser) -> set[ReminderKind]:
    """What is planned (still pending) for this person."""
    async with factory() as session:
        rows = await session.scalars(
            select(Reminder.kind)
            .join(User, User.id == Reminder.recipient_id)
            .where(User.telegram_id == person.user.id, Reminder.status == ReminderStatus.PLANNED)
        )
        return {ReminderKind(kind) for kind in rows}


def received(person: ChatUser) -> list[str]:
    return [message.text or "" for message in person.session.chats[person.user.id]]


async def test_signing_completes_when_the_other_side_has_blocked_the_bot(
    anna: ChatUser, boris: ChatUser, session_factory: Factory, errors: pytest.LogCaptureFixture
) -> None:
    await _project(session_factory, anna, boris)
    async with session_factory() as session:
        goal = await session.scalar(select(Goal))
        assert goal is not None
        goal.deadline = datetime.now(UTC).date() + timedelta(days=60)  # sample goals are past
        await session.commit()
    await anna.send("/brief")
    await anna.click("Отправить на согласование")
    await anna.click("Утвердить")
    block(anna)

    await boris.click("Утвердить")

    async with session_factory() as session:
        approvals = await session.scalar(
            select(func.count()).select_from(Approval).where(Approval.decision == Decision.APPROVE)
        )
    assert approvals == 2
    assert "подписан" in boris.messages[-2].text  # type: ignore[operator]
    assert UNREACHABLE.format(name="Анна") in (boris.last.text or "")
    assert await is_blocked(session_factory, anna)
    # Signed: Boris's deadline reminders are planned; Anna's (check-ins too) were cancelled
    # when she turned out to have blocked the bot (a message from her plans them again).
    assert ReminderKind.GOAL_DUE_7D in await reminder_kinds(session_factory, boris)
    assert await reminder_kinds(session_factory, anna) == set()
    assert not any("подписан" in text for text in received(anna))
    no_errors(errors)


async def test_a_first_approval_tells_the_actor_when_the_other_side_has_blocked_the_bot(
    anna: ChatUser, boris: ChatUser, session_factory: Factory, errors: pytest.LogCaptureFixture
) -> None:
    await _project(session_factory, anna, boris)
    await anna.send("/brief")
    await anna.click("Отправить на согласование")
    block(boris)

    await anna.click("Утвердить")

    assert "Вы утвердили версию 1" in anna.messages[-2].text  # type: ignore[operator]
    assert UNREACHABLE.format(name="Борис") in (anna.last.text or "")
    assert await is_blocked(session_factory, boris)
    no_errors(errors)


async def test_sending_for_signoff_keeps_the_version_when_the_client_has_blocked_the_bot(
    anna: ChatUser, boris: ChatUser, session_factory: Factory, errors: pytest.LogCaptureFixture
) -> None:
    await _project(session_factory, anna, boris)
    block(boris)
    await anna.send("/brief")

    await anna.click("Отправить на согласование")

    async with session_factory() as session:
        versions = await session.scalar(select(func.count()).select_from(BriefVersion))
    assert versions == 1
    assert "Утвердить" in anna.session.chats[anna.user.id][-2].reply_markup.model_dump_json()  # type: ignore[union-attr]
    assert "Бриф не доставлен: Борис не получает сообщений от бота" in (anna.last.text or "")
    assert await is_blocked(session_factory, boris)
    assert not any("на согласование" in text for text in received(boris))
    no_errors(errors)


async def test_a_comment_is_stored_when_the_other_side_has_blocked_the_bot(
    anna: ChatUser, boris: ChatUser, session_factory: Factory, errors: pytest.LogCaptureFixture
) -> None:
    await _project(session_factory, anna, boris)
    await anna.send("/brief")
    await anna.click("Отправить на согласование")
    block(anna)

    await boris.click("Обсудить")
    await boris.send("Срок позже")

    async with session_factory() as session:
        comments = list(
            await session.scalars(
                select(Approval.comment).where(Approval.decision == Decision.CHANGES)
            )
        )
    assert comments == ["Срок позже"]
    assert "Комментарий отправлен" in boris.messages[-2].text  # type: ignore[operator]
    assert UNREACHABLE.format(name="Анна") in (boris.last.text or "")
    assert await is_blocked(session_factory, anna)
    no_errors(errors)


async def test_joining_by_invite_binds_the_client_when_the_specialist_has_blocked_the_bot(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: Factory,
    errors: pytest.LogCaptureFixture,
) -> None:
    token = await project_with_invite(anna)
    block(anna)
    boris = ChatUser(dispatcher, bot, 2002, name="Борис")

    await boris.send(f"/start {token}")

    async with session_factory() as session:
        project = await session.scalar(select(Project))
        client = await session.scalar(select(User).where(User.telegram_id == 2002))
    assert project is not None and client is not None and project.client_id == client.id
    assert any("приглашает вас" in text for text in received(boris))
    assert any(UNREACHABLE.format(name="Анна") in text for text in received(boris))
    assert await is_blocked(session_factory, anna)
    assert ReminderKind.QUESTIONS_PENDING in await reminder_kinds(session_factory, boris)
    assert any("Шаг 1 из" in text for text in received(boris))  # the questionnaire goes on
    no_errors(errors)


async def test_finishing_the_questionnaire_when_the_specialist_has_blocked_the_bot(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: Factory,
    errors: pytest.LogCaptureFixture,
) -> None:
    token = await project_with_invite(anna)
    boris = ChatUser(dispatcher, bot, 2002, name="Борис")
    await boris.send(f"/start {token}")
    await walk(boris, Role.CLIENT, session_factory)
    block(anna)

    await boris.click("Всё верно")

    assert any(UNREACHABLE.format(name="Анна") in text for text in received(boris))
    assert await is_blocked(session_factory, anna)
    no_errors(errors)


async def test_a_checkin_is_stored_when_the_client_has_blocked_the_bot(
    anna: ChatUser,
    boris: ChatUser,
    session_factory: Factory,
    clock: ShiftedClock,
    errors: pytest.LogCaptureFixture,
) -> None:
    await make_project(session_factory, clock)
    block(boris)
    await anna.send("/checkin")
    for value in ("1200", "1800", "1500"):
        await anna.send(value)

    async with session_factory() as session:
        values = list(await session.scalars(select(CheckIn.value).order_by(CheckIn.id)))
    assert values == [1200, 1800, 1500]
    assert UNREACHABLE.format(name="Борис") in (anna.last.text or "")
    assert await is_blocked(session_factory, boris)
    no_errors(errors)


async def test_a_flood_wait_is_waited_out_once_and_the_notice_arrives(
    anna: ChatUser,
    boris: ChatUser,
    session_factory: Factory,
    clock: ShiftedClock,
    errors: pytest.LogCaptureFixture,
) -> None:
    await make_project(session_factory, clock)
    anna.session.flooded[boris.user.id] = 1
    await anna.send("/checkin")
    for value in ("1200", "1800", "1500"):
        await anna.send(value)

    to_boris = [call for call in anna.session.sent(SendMessage) if call.chat_id == boris.user.id]
    assert len(to_boris) == 2  # refused with 429, then sent again after retry_after
    assert "свежие цифры" in received(boris)[-1]
    assert not await is_blocked(session_factory, boris)
    assert "Заказчику (Борис) уходит короткая сводка" in (anna.last.text or "")
    no_errors(errors)


async def test_a_bad_request_is_logged_with_its_method_and_the_action_stands(
    anna: ChatUser, boris: ChatUser, session_factory: Factory, errors: pytest.LogCaptureFixture
) -> None:
    await _project(session_factory, anna, boris)
    await anna.send("/brief")
    await anna.click("Отправить на согласование")
    anna.session.refused.add(boris.user.id)

    await anna.click("Утвердить")

    assert "Вы утвердили версию 1" in (anna.last.text or "")  # and no word of the 400 to Anna
    warnings = [r.getMessage() for r in errors.records if r.levelno == logging.WARNING]
    assert any("SendMessage" in w and "chat not found" in w for w in warnings), warnings
    assert not await is_blocked(session_factory, boris)
    no_errors(errors)


async def test_notices_of_a_failed_update_are_dropped(
    anna: ChatUser, boris: ChatUser, bot: Bot, session_factory: Factory
) -> None:
    """Queued, then the handler fails: the rolled-back action is told to no one."""
    await anna.send("/help")
    await boris.send("/help")
    async with session_factory() as session:
        other = await session.scalar(select(User).where(User.telegram_id == boris.user.id))
    assert other is not None
    middleware = NoticeMiddleware(session_factory)

    async def failing(_: object, data: dict[str, Any]) -> None:
        data["notifier"].notify(other, "не должно дойти")
        raise RuntimeError("the action failed")

    async def succeeding(_: object, data: dict[str, Any]) -> None:
        data["notifier"].notify(other, "дошло")

    before = len(received(boris))
    with pytest.raises(RuntimeError):
        await middleware(failing, Update(update_id=1), {"bot": bot})
    assert len(received(boris)) == before
    await middleware(succeeding, Update(update_id=2), {"bot": bot})
    assert received(boris)[before:] == ["дошло"]


async def test_removing_a_signed_goal_holds_when_the_client_has_blocked_the_bot(
    anna: ChatUser, boris: ChatUser, session_factory: Factory, errors: pytest.LogCaptureFixture
) -> None:
    """The goal-removal notice (ui/notices.py) goes through the notifier too: the removal is kept,
    the client is marked blocked and the specialist told, instead of a warning nobody reads."""
    project_id = await _project(session_factory, anna, boris)
    await anna.send("/brief")
    await anna.click("Отправить на согласование")
    await boris.click("Утвердить")
    await anna.click("Утвердить")
    block(boris)

    await anna.send("/goals")
    await anna.click("Удалить цель")
    await anna.click("Продать 40 курток")
    await anna.click("Да, удалить")

    async with session_factory() as session:
        goals = await session.scalar(
            select(func.count()).select_from(Goal).where(Goal.project_id == project_id)
        )
    assert goals == 0
    assert any(UNREACHABLE.format(name="Борис") in (m.text or "") for m in anna.messages[-3:])
    assert await is_blocked(session_factory, boris)
    no_errors(errors)
