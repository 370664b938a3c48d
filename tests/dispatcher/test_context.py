"""The typed per-update context (ui/context.py) that dialogs use instead of string keys."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from aiogram import Bot
from aiogram.types import Update
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import ShiftedClock
from bot.db.models import User
from bot.i18n import translator
from bot.notify import Notifier
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
