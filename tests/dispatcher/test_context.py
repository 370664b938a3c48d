"""The typed per-update context (ui/context.py) that dialogs use instead of string keys."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from aiogram import Bot
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Update
from aiogram.types import User as TelegramUser
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import ShiftedClock
from bot.db.middleware import DatabaseMiddleware
from bot.db.models import User
from bot.i18n import translator
from bot.notify import Notifier
from bot.user_middleware import UserMiddleware
from handlers.errors import ErrorScope
from ui.context import Context, ContextMiddleware, context_of, optional_context, use_language


def manager_with(data: dict[str, Any]) -> DialogManager:
    return cast(DialogManager, SimpleNamespace(middleware_data=data))


async def run(data: dict[str, Any]) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    async def handler(_: object, inner: dict[str, Any]) -> None:
        seen.update(inner)

    await ContextMiddleware()(handler, Update(update_id=1), data)
    return seen


async def test_an_update_from_a_person_gets_one_typed_context(
    bot: Bot, session_factory: async_sessionmaker[AsyncSession], clock: ShiftedClock
) -> None:
    person = User(telegram_id=5, first_name="Анна", language="ru")
    async with session_factory() as session:
        notifier = Notifier(bot, session_factory)
        data = {
            "session": session,
            "user": person,
            "clock": clock,
            "i18n": translator("ru"),
            "bot": bot,
            "notifier": notifier,
        }
        seen = await run(data)
    ctx = context_of(manager_with(seen))
    assert ctx == Context(session, person, clock, translator("ru"), bot, notifier)


async def test_no_person_no_context_and_a_clear_error() -> None:
    seen = await run({"i18n": translator("ru")})
    assert optional_context(manager_with(seen)) is None
    with pytest.raises(LookupError):
        context_of(manager_with(seen))


async def test_a_new_language_holds_for_the_rest_of_the_update(
    bot: Bot, session_factory: async_sessionmaker[AsyncSession], clock: ShiftedClock
) -> None:
    async with session_factory() as session:
        person = User(telegram_id=5, first_name="Анна", language="ru")
        data = {
            "session": session,
            "user": person,
            "clock": clock,
            "i18n": translator("ru"),
            "bot": bot,
            "notifier": Notifier(bot, session_factory),
        }
        manager = manager_with(await run(data))
        use_language(manager, translator("en"))
    assert context_of(manager).i18n.language == "en"
    assert manager.middleware_data["i18n"].language == "en"


async def test_the_error_path_gets_a_context_on_its_own_session(
    bot: Bot, session_factory: async_sessionmaker[AsyncSession], clock: ShiftedClock
) -> None:
    """The failed update's context holds its rolled-back session; the error handlers showing the
    step again must read through the session ErrorScope opened for them."""
    failed = Context(
        cast(AsyncSession, object()),
        User(telegram_id=5, first_name="Анна", language="ru"),
        clock,
        translator("ru"),
        bot,
        Notifier(bot, session_factory),
    )
    data: dict[str, Any] = {
        "ctx": failed,
        "event_from_user": TelegramUser(id=5, is_bot=False, first_name="Анна", language_code="ru"),
        "clock": clock,
        "bot": bot,
        "notifier": failed.notifier,
    }
    seen: dict[str, Any] = {}

    async def handler(_: object, inner: dict[str, Any]) -> None:
        seen.update(inner)

    scope = ErrorScope(
        MemoryStorage(),
        DatabaseMiddleware(session_factory),
        UserMiddleware("ru"),
        ContextMiddleware(),
    )
    await scope(handler, Update(update_id=1), data)

    ctx = context_of(manager_with(seen))
    assert ctx is not failed
    assert ctx.session is seen["session"]
    assert ctx.user is seen["user"] and ctx.user.telegram_id == 5
