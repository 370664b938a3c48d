"""The bot's commands: the ☰ Menu Telegram shows and the list /help prints, from one tuple.

Both read their descriptions from the `commands.*` catalog, so the menu and /help can never list
different commands. The menu is registered per language at start-up (Telegram picks it by the
person's app language) and per chat after /lang, so someone who switches the bot's language sees
the menu in it too, whatever their app's language is.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.i18n import LANGUAGES, translator

COMMANDS = (
    "start",
    "new",
    "projects",
    "brief",
    "goals",
    "mygoals",
    "checkin",
    "reminders",
    "calendar",
    "settings",
    "lang",
    "forget",
    "help",
    "cancel",
)


def menu(language: str) -> list[BotCommand]:
    i18n = translator(language)
    return [BotCommand(command=name, description=i18n(f"commands.{name}")) for name in COMMANDS]


def help_text(language: str) -> str:
    """/help: what the bot is, then every command of the menu with the same description."""
    i18n = translator(language)
    lines = [f"/{name} — {i18n(f'commands.{name}')}" for name in COMMANDS]
    return i18n("help.intro") + "\n\n" + "\n".join(lines)


async def register_commands(bot: Bot) -> None:
    """The command menu in both languages; Russian is also the default for everyone else."""
    for language in LANGUAGES:
        commands = menu(language)
        await bot.set_my_commands(commands, BotCommandScopeDefault(), language_code=language)
        if language == LANGUAGES[0]:
            await bot.set_my_commands(commands, BotCommandScopeDefault())


async def set_chat_menu(bot: Bot, chat_id: int, language: str) -> None:
    """After /lang: this chat's menu in the chosen language (a chat scope beats the default)."""
    await bot.set_my_commands(menu(language), BotCommandScopeChat(chat_id=chat_id))
