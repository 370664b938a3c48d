"""Which update is being handled, for log lines written anywhere while it is.

A context variable rather than a logging adapter, so lines from aiogram, aiogram-dialog and
SQLAlchemy carry it too; asyncio copies it into tasks started while handling, and polling and
the webhook server each handle an update in its own task, so it never leaks to the next one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import ErrorEvent, TelegramObject, Update
from aiogram.types import User as TelegramUser


@dataclass(frozen=True, slots=True)
class UpdateInfo:
    update_id: int
    user_id: int | None


current_update: ContextVar[UpdateInfo | None] = ContextVar("current_update", default=None)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class LogContextMiddleware(BaseMiddleware):
    """Outer update middleware: names the update and its sender for the duration of handling."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        # Error handlers run outside the update's middlewares: registered on the error observer
        # too, this names the failed update on the lines they write.
        update = event.update if isinstance(event, ErrorEvent) else event
        if not isinstance(update, Update):
            return await handler(event, data)
        sender: TelegramUser | None = data.get("event_from_user")
        token = current_update.set(
            UpdateInfo(update.update_id, sender.id if sender is not None else None)
        )
        try:
            return await handler(event, data)
        finally:
            current_update.reset(token)
