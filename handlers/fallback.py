"""Whatever no router and no open dialog expected: a short hint instead of silence."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User
from bot.i18n import Translator
from bot.projects import list_projects
from ui.pressed import was_offered

log = logging.getLogger(__name__)


async def unexpected_message(
    message: Message, session: AsyncSession, user: User, i18n: Translator
) -> None:
    """Someone in no project who never said they are a specialist is almost always a client who
    found the bot before getting the invite: say what the bot is and where the link comes from."""
    if not user.is_specialist and not await list_projects(session, user):
        await message.answer(i18n("fallback.no_invite"))
        return
    await message.answer(i18n("fallback.message"))


async def stale_button(callback: CallbackQuery, i18n: Translator) -> None:
    """A button of a message whose dialog is gone (closed, or from before /cancel); data that is
    no button of the message (typed, tampered, or no button the bot ever makes) is refused. A
    message older than 48 hours comes without its keyboard: its buttons are simply old."""
    if was_offered(callback) or not isinstance(callback.message, Message):
        await callback.answer(i18n("fallback.stale_button"), show_alert=True)
        return
    log.warning(
        "refused: user %s pressed %r (no such button)", callback.from_user.id, callback.data
    )
    await callback.answer(i18n("fallback.broken_button"), show_alert=True)


def build_router() -> Router:
    router = Router(name="fallback")
    router.message.register(unexpected_message)
    router.callback_query.register(stale_button)
    return router
