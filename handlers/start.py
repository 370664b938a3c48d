"""/start without an invite: onboarding for newcomers, a short welcome back for everyone else."""

from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters import CommandStart
from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode

from bot.db.models import User
from bot.i18n import Translator
from dialogs.states import Onboarding


async def start(
    message: Message, dialog_manager: DialogManager, user: User, i18n: Translator
) -> None:
    if not user.onboarded:
        await dialog_manager.start(Onboarding.role, mode=StartMode.RESET_STACK)
        return
    await message.answer(i18n("start.welcome_back", name=html.escape(user.display_name)))


def build_router() -> Router:
    router = Router(name="start")
    router.message.register(start, CommandStart())
    return router
