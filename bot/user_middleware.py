"""Per-update middleware: the person behind the update, loaded once, and their translator.

Runs inside the database middleware (it needs the update's session) and before aiogram's FSM
middleware. Handlers and dialogs receive ``user`` and ``i18n``; an update with no human sender
(a channel post, another bot) gets only an ``i18n`` in the default language.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from aiogram.types import User as TelegramUser
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import translator
from bot.users import get_or_create_user

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UserMiddleware(BaseMiddleware):
    def __init__(self, default_language: str) -> None:
        self._default_language = default_language

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        session: AsyncSession = data["session"]
        telegram_user: TelegramUser | None = data.get("event_from_user")
        if telegram_user is not None and not telegram_user.is_bot:
            user = await get_or_create_user(
                session,
                telegram_id=telegram_user.id,
                first_name=telegram_user.first_name,
                username=telegram_user.username,
                language_code=telegram_user.language_code,
                default_language=self._default_language,
            )
            data["user"] = user
            data["i18n"] = translator(user.language)
        else:
            data["i18n"] = translator(self._default_language)
        return await handler(event, data)
