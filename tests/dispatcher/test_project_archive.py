"""Archiving and restoring a project through /projects: confirmation, the client told, the
project gone from lists and pickers, its reminders cancelled and planned again on restore."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Project, ProjectStatus, Reminder, ReminderStatus
from bot.projects import AccessDenied, create_project, save_answer
from bot.projects.lifecycle import archive_project
from bot.reminders.planning import replan_project
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.scenes import stored_user

Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
def boris(dispatcher: Dispatcher, bot: Bot) -> ChatUser:
    return ChatUser(dispatcher, bot, 1002, name="Борис", language="ru")


async def _project(factory: Factory, anna: ChatUser, boris: ChatUser) -> int:
    """Anna's project «Зерно» with Boris as client, open questions, and its reminders planned."""
    await anna.send("/help")
    await boris.send("/help")
    async with factory() as session:
        project = await create_project(
            session,
            await stored_user(session, anna),
            brand="Зерно",
            niche="кофе",
            now=datetime.now(UTC),
        )
        project.client = await stored_user(session, boris)
        await save_answer(
            session, project, project.specialist, "channels", ["vk"], datetime.now(UTC)
        )
        await session.commit()
        await replan_project(session, project.id, datetime.now(UTC))
        await session.commit()
        return project.id


async def _planned(factory: Factory, project_id: int) -> int:
    async with factory() as session:
        return (
            await session.scalar(
                select(func.count(Reminder.id)).where(
                    Reminder.project_id == project_id, Reminder.status == ReminderStatus.PLANNED
                )
            )
            or 0
        )


def _alerts(person: ChatUser) -> list[str]:
    return [call.text or "" for call in person.session.sent(AnswerCallbackQuery) if call.text]


async def test_archive_hides_the_project_cancels_reminders_and_tells_the_client(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    project_id = await _project(session_factory, anna, boris)
    assert await _planned(session_factory, project_id) > 0

    await anna.send("/projects")
    await anna.click("Зерно")
    await anna.click("В архив")
    assert "Убрать проект «Зерно» в архив?" in anna.last.text  # type: ignore[operator]
    await anna.click("Да, в архив")

    assert "Проект «Зерно» в архиве" in _alerts(anna)[-1]
    assert "Проект «Зерно» перенесён специалистом в архив" in boris.last.text  # type: ignore[operator]
    assert await _planned(session_factory, project_id) == 0
    assert not any("Зерно" in b for b in anna.buttons())  # back on the list, without it
    await boris.send("/projects")
    assert not any("Зерно" in b for b in boris.buttons())
    await boris.send("/goals")
    assert "Зерно" not in (boris.last.text or "") + " ".join(boris.buttons())


async def test_restore_from_the_archive_puts_it_back_and_replans(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    project_id = await _project(session_factory, anna, boris)
    await anna.send("/projects")
    await anna.click("Зерно")
    await anna.click("В архив")
    await anna.click("Да, в архив")

    await anna.send("/projects")
    await anna.click("Архив")
    await anna.click("Зерно")
    assert "В архиве" in anna.last.text  # type: ignore[operator]
    await anna.click("Вернуть из архива")

    assert "Проект «Зерно» снова в работе" in _alerts(anna)[-1]
    assert "Проект «Зерно» снова в работе" in boris.last.text  # type: ignore[operator]
    assert await _planned(session_factory, project_id) > 0
    async with session_factory() as session:
        project = await session.get(Project, project_id)
        assert project is not None
        assert project.status is ProjectStatus.QUESTIONNAIRE and project.archived_at is None
    assert any("Зерно" in b for b in anna.buttons())


async def test_the_client_can_neither_see_the_button_nor_archive(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    project_id = await _project(session_factory, anna, boris)
    await boris.send("/projects")
    await boris.click("Зерно")
    assert not any("архив" in b for b in boris.buttons())
    async with session_factory() as session:
        with pytest.raises(AccessDenied):
            await archive_project(
                session, await stored_user(session, boris), project_id, datetime.now(UTC)
            )
