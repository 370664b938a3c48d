"""Per-update middleware: one session and its transaction.

Handlers and dialog callbacks receive `session` as data instead of reaching for globals (the
person and their translator come from `bot.user_middleware`, inside this one). Use cases commit
as soon as an answer is given (so nothing is lost if a later step fails); whatever is left is
committed when the update is done, and rolled back on error. Messages to anyone but the person
acting go out after that commit (`bot.notify`, outside this one).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.storage import UpdateScope, update_scope

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DatabaseMiddleware(BaseMiddleware):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self._session_factory() as session:
            data["session"] = session
            token = update_scope.set(UpdateScope(session))
            try:
                result = await handler(event, data)
            except BaseException:
                await session.rollback()
                raise
            finally:
                update_scope.reset(token)
            await session.commit()
            return result
