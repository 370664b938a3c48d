"""smartbrief's core. Importing it first makes aiogram build its Telegram types on first use
(see `bot.lean_aiogram`): a third of the process's memory and most of its start-up otherwise."""

from bot.lean_aiogram import defer_aiogram_types

defer_aiogram_types()
