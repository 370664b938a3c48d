"""The one global error handler: log the update and the exception, apologise kindly to the user."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent

from bot.i18n import Translator, pick_language, translator
from bot.projects import AccessDenied

log = logging.getLogger(__name__)


async def on_error(
    event: ErrorEvent, bot: Bot, default_language: str, i18n: Translator | None = None
) -> None:
    """`i18n` is absent when the failure happened before the database middleware ran."""
    log.error("update %s failed", event.update.update_id, exc_info=event.exception)
    chat_id = _chat_id(event)
    if chat_id is None:
        return
    if i18n is None:
        sender = event.update.event.from_user if hasattr(event.update.event, "from_user") else None
        i18n = translator(pick_language(sender.language_code if sender else None, default_language))
    try:
        await bot.send_message(chat_id, i18n("errors.generic"))
    except TelegramAPIError:
        log.warning("could not tell chat about the failure of update %s", event.update.update_id)


def _chat_id(event: ErrorEvent) -> int | None:
    update = event.update
    if update.message is not None:
        return update.message.chat.id
    if update.callback_query is not None and update.callback_query.message is not None:
        return update.callback_query.message.chat.id
    return None


async def on_access_denied(
    event: ErrorEvent, bot: Bot, default_language: str, i18n: Translator | None = None
) -> None:
    """A stale or forged button for a project this person is not part of: refuse politely."""
    chat_id = _chat_id(event)
    if chat_id is not None:
        i18n = i18n or translator(default_language)
        await bot.send_message(chat_id, i18n("access.denied"))


async def on_stale_dialog(
    event: ErrorEvent, default_language: str, i18n: Translator | None = None
) -> None:
    """A button of a dialog that is closed or belongs to someone else: nothing happens, we say so."""
    callback = event.update.callback_query
    i18n = i18n or translator(default_language)
    if callback is not None:
        await callback.answer(i18n("fallback.stale_button"), show_alert=True)
    elif event.update.message is not None:
        await event.update.message.answer(i18n("fallback.message"))


def build_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_stale_dialog, ExceptionTypeFilter(UnknownIntent, OutdatedIntent))
    router.errors.register(on_access_denied, ExceptionTypeFilter(AccessDenied))
    router.errors.register(on_error)
    return router
