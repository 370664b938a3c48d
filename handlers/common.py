"""Commands available everywhere: /help, /cancel, /settings, /lang."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode

from bot.commands import help_text
from bot.i18n import Translator
from dialogs.states import Settings


async def help_command(message: Message, i18n: Translator) -> None:
    await message.answer(help_text(i18n.language))


async def cancel(message: Message, dialog_manager: DialogManager, i18n: Translator) -> None:
    """Leaves any dialog; answers already given were saved when they were given."""
    had_dialog = dialog_manager.has_context()
    await dialog_manager.reset_stack()
    await message.answer(i18n("cancel.done" if had_dialog else "cancel.nothing"))


async def settings(_: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(Settings.menu, mode=StartMode.RESET_STACK)


async def language(_: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(Settings.language, mode=StartMode.RESET_STACK)


def build_router() -> Router:
    router = Router(name="common")
    router.message.register(help_command, Command("help"))
    router.message.register(cancel, Command("cancel"))
    router.message.register(settings, Command("settings"))
    router.message.register(language, Command("lang"))
    return router
