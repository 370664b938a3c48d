"""/goals (the goals of the person's latest project) and /mygoals (a specialist's own goals)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User
from bot.i18n import Translator
from bot.projects import list_projects
from dialogs.states import Goals


async def project_goals(
    message: Message,
    dialog_manager: DialogManager,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    memberships = await list_projects(session, user)
    if not memberships:
        await message.answer(i18n("goals.none_project"))
        return
    await dialog_manager.start(
        Goals.list, {"project_id": memberships[0].project.id}, mode=StartMode.RESET_STACK
    )


async def personal_goals(_: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(Goals.list, {"project_id": None}, mode=StartMode.RESET_STACK)


def build_router() -> Router:
    router = Router(name="goals")
    router.message.register(project_goals, Command("goals"))
    router.message.register(personal_goals, Command("mygoals"))
    return router
