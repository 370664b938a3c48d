"""/start: invite links for clients, onboarding for newcomers, resuming for everyone else."""

from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message
from aiogram_dialog import DialogManager, ShowMode, StartMode
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.db.models import User
from bot.i18n import Translator, translator
from bot.notify import Notifier
from bot.projects import JOINED, InviteStatus, accept_invite, list_projects
from dialogs.states import Onboarding, Projects, Questionnaire


async def start_with_invite(
    message: Message,
    command: CommandObject,
    dialog_manager: DialogManager,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    clock: Clock,
    notifier: Notifier,
) -> None:
    outcome = await accept_invite(session, command.args or "", user, clock.now())
    project = outcome.project
    if outcome.status not in JOINED or project is None:
        await message.answer(i18n(f"invite.{outcome.status}"))
        return
    specialist = project.specialist
    await message.answer(
        i18n(
            "invite.welcome",
            specialist=html.escape(specialist.display_name),
            brand=html.escape(project.brand),
        )
    )
    if outcome.status is InviteStatus.ACCEPTED:
        their = translator(specialist.language)
        notifier.notify(
            specialist,
            their(
                "invite.joined",
                client=html.escape(user.display_name),
                brand=html.escape(project.brand),
            ),
        )
    start = {"project_id": project.id}
    # The card goes under the questionnaire (as for a new project): not sent only to be replaced.
    await dialog_manager.start(
        Projects.card, start, mode=StartMode.RESET_STACK, show_mode=ShowMode.NO_UPDATE
    )
    await dialog_manager.start(Questionnaire.question, start, show_mode=ShowMode.AUTO)


async def start(
    message: Message,
    dialog_manager: DialogManager,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    if not user.onboarded:
        await dialog_manager.start(Onboarding.role, mode=StartMode.RESET_STACK)
        return
    if dialog_manager.has_context():
        # Something was open: show it again where the person left it.
        await dialog_manager.show()
        return
    memberships = await list_projects(session, user)
    await message.answer(i18n("start.welcome_back", name=html.escape(user.display_name)))
    if memberships:
        await dialog_manager.start(Projects.list, mode=StartMode.RESET_STACK)


def build_router() -> Router:
    router = Router(name="start")
    router.message.register(start_with_invite, CommandStart(deep_link=True))
    router.message.register(start, CommandStart())
    return router
