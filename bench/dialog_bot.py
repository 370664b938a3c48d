"""A floor for bench/questionnaire.py: aiogram-dialog with nothing of smartbrief's in it.

``BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:PORT python bench/dialog_bot.py`` answers every
text with a one-window dialog that shows the text back under two buttons, the way any
aiogram-dialog step answers a typed answer (a new message, the old one's keyboard removed). Its
state lives in memory and it touches no database, so the echo bot's throughput minus this one's is
what the dialog framework alone costs — the part of the overhead no change to smartbrief can win
back. Like the echo bot, it must never grow features.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window, setup_dialogs
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Row
from aiogram_dialog.widgets.text import Const, Format


class Echo(StatesGroup):
    shown = State()


async def shown_text(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"text": dialog_manager.dialog_data.get("text") or dialog_manager.start_data}


async def on_text(message: Message, _: MessageInput, manager: DialogManager) -> None:
    manager.dialog_data["text"] = message.text


async def start(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(Echo.shown, data=message.text, mode=StartMode.RESET_STACK)


async def main() -> None:
    logging.basicConfig(level=logging.INFO)
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"]))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    dispatcher = Dispatcher()
    first_text = Router()  # after the dialog: only a text no open dialog took starts one
    first_text.message.register(start, F.text)
    dispatcher.include_routers(
        Dialog(
            Window(
                Format("{text}"),
                Row(Button(Const("← Назад"), id="back"), Button(Const("Дальше →"), id="next")),
                MessageInput(on_text, content_types=["text"]),
                getter=shown_text,
                state=Echo.shown,
            )
        ),
        first_text,
    )
    setup_dialogs(dispatcher)
    await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=True)


if __name__ == "__main__":
    asyncio.run(main())
