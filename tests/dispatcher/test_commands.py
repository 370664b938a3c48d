"""The command menu and /help list the same commands, and /lang moves the menu with it."""

from __future__ import annotations

from aiogram import Bot
from aiogram.methods import SetMyCommands
from aiogram.types import BotCommandScopeChat, BotCommandScopeDefault

from bot.commands import register_commands
from tests.dispatcher.harness import ChatUser

EVERY_COMMAND = {
    "start", "new", "projects", "brief", "goals", "mygoals", "checkin", "reminders",
    "calendar", "settings", "lang", "forget", "help", "cancel",
}  # fmt: skip


async def test_help_lists_every_command_of_the_menu(anna: ChatUser) -> None:
    await anna.send("/help")
    text = anna.last.text or ""
    for name in EVERY_COMMAND:
        assert f"/{name} — " in text, name


async def test_the_menu_offers_every_command_in_both_languages(bot: Bot) -> None:
    await register_commands(bot)
    calls = bot.session.sent(SetMyCommands)  # type: ignore[attr-defined]
    by_language = {
        call.language_code: call for call in calls if isinstance(call.scope, BotCommandScopeDefault)
    }
    assert set(by_language) == {None, "ru", "en"}
    for call in by_language.values():
        assert {command.command for command in call.commands} == EVERY_COMMAND
    english = {c.command: c.description for c in by_language["en"].commands}
    assert english["mygoals"] == "Your personal SMART goals"


async def test_after_lang_this_chats_menu_speaks_the_new_language(anna: ChatUser) -> None:
    await anna.send("/lang")
    await anna.click("English")
    [call] = anna.session.sent(SetMyCommands)
    assert call.scope == BotCommandScopeChat(chat_id=anna.user.id)
    described = {command.command: command.description for command in call.commands}
    assert described["help"] == "What the bot can do"
    assert set(described) == EVERY_COMMAND
