"""Per-update middleware: one session, the user loaded once, and their translator.

Handlers and dialog callbacks receive `session`, `user` and `i18n` as data instead of reaching for
globals. Use cases commit as soon as an answer is given (so nothing is lost if a later step fails);
whatever is left is committed when the update is done, and rolled back on error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from aiogram.types import User as TelegramUser
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.storage import UpdateScope, update_scope
from bot.i18n import translator
from bot.users import get_or_create_user

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DatabaseMiddleware(BaseMiddleware):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], default_language: str):
        self._session_factory = session_factory
        self._default_language = default_language

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self._session_factory() as session:
            data["session"] = session
            token = update_scope.set(UpdateScope(session))
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
            try:
                result = await handler(event, data)
            except BaseException:
                await session.rollback()
                raise
            finally:
                update_scope.reset(token)
            await session.commit()
            return result
