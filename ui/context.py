"""What every handler and dialog callback works with, as one typed object instead of string keys.

:class:`ContextMiddleware` builds a :class:`Context` per update, once the person is loaded, and
puts it in the middleware data as ``ctx``: aiogram handlers take a ``ctx: Context`` parameter,
dialog callbacks and getters call :func:`context_of` on their ``DialogManager``. An update with no
human behind it (or aiogram-dialog's HTML preview, which runs no middleware) has no context.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.db.models import User
from bot.i18n import Translator
from bot.notify import Notifier

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
KEY = "ctx"


@dataclass(frozen=True, slots=True)
class Context:
    """One update's session, the person acting, the clock, their translator, the bot and the
    notifier for messages to anyone else (sent after the update commits)."""

    session: AsyncSession
    user: User
    clock: Clock
    i18n: Translator
    bot: Bot
    notifier: Notifier


class ContextMiddleware(BaseMiddleware):
    """Registered after the middlewares that provide its parts (session, person, notifier).

    The error handlers run it again on their own session (`handlers.errors.ErrorScope`); an
    update that failed before its notifier was set up gets no context there."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user, notifier = data.get("user"), data.get("notifier")
        if isinstance(user, User) and isinstance(notifier, Notifier):
            data[KEY] = Context(
                session=data["session"],
                user=user,
                clock=data["clock"],
                i18n=data["i18n"],
                bot=data["bot"],
                notifier=notifier,
            )
        return await handler(event, data)


def context_of(manager: DialogManager) -> Context:
    """The update's context; every dialog event comes from a person, so it is always there."""
    found = optional_context(manager)
    if found is None:
        raise LookupError("no context: the update has no person behind it")
    return found


def optional_context(manager: DialogManager) -> Context | None:
    """The context, or None in aiogram-dialog's preview (getters that must render there)."""
    found = manager.middleware_data.get(KEY)
    return found if isinstance(found, Context) else None


def use_language(manager: DialogManager, i18n: Translator) -> None:
    """The rest of this update speaks ``i18n``'s language: the person has just changed theirs."""
    data = manager.middleware_data
    data["i18n"] = i18n
    found = optional_context(manager)
    if found is not None:
        data[KEY] = replace(found, i18n=i18n)
