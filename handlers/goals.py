"""/goals (the goals of one of the person's projects) and /mygoals (a specialist's own goals)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode, StartMode
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User
from bot.i18n import Translator
from bot.limits import RowId
from bot.projects import list_projects, load_project_for
from dialogs.states import Goals
from ui.projects import project_picker


class GoalsProjectCb(CallbackData, prefix="gp"):
    """A press on one project in /goals' choice; the id is re-checked against membership."""

    project_id: RowId


async def project_goals(
    message: Message,
    dialog_manager: DialogManager,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    """Straight to the goals when the person has one project, a choice when several (so nobody
    edits the wrong client's goals because it happened to be the newest)."""
    memberships = await list_projects(session, user)
    if not memberships:
        await message.answer(i18n("goals.none_project"))
        return
    if len(memberships) == 1:
        await dialog_manager.start(
            Goals.list, {"project_id": memberships[0].project.id}, mode=StartMode.RESET_STACK
        )
        return
    picker = project_picker(
        [m.project for m in memberships], lambda project_id: GoalsProjectCb(project_id=project_id)
    )
    await message.answer(i18n("goals.pick_project"), reply_markup=picker)


async def on_project(
    callback: CallbackQuery,
    callback_data: GoalsProjectCb,
    dialog_manager: DialogManager,
    session: AsyncSession,
    user: User,
) -> None:
    project, _ = await load_project_for(session, user, callback_data.project_id)
    await callback.answer()
    await dialog_manager.start(
        Goals.list,
        {"project_id": project.id},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


async def personal_goals(_: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(Goals.list, {"project_id": None}, mode=StartMode.RESET_STACK)


def build_router() -> Router:
    router = Router(name="goals")
    router.message.register(project_goals, Command("goals"))
    router.message.register(personal_goals, Command("mygoals"))
    router.callback_query.register(on_project, GoalsProjectCb.filter(F.project_id > 0))
    return router
