"""A press on a dialog is one of the buttons its message offered, or it is refused.

Telegram sends a press together with the message it was made on, keyboard included; a real press
is always one of that keyboard's buttons. Data found on none of them was typed or tampered with —
an index past the offered items (`zone:99999999999999999999`), a negative one, someone else's
dialog — and aiogram-dialog's widgets would act on it as if it were offered. It is refused here,
before any widget sees it, with an alert and a WARNING. The alert says the button no longer works:
the one honest press that lands here is a second tap on a screen that has moved on meanwhile. A message Telegram no longer shows us
(older than 48 hours) cannot be checked and goes on as before.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram_dialog.utils import remove_intent_id

from bot.i18n import Translator

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def was_offered(callback: CallbackQuery) -> bool:
    """Whether the pressed data is one of the pressed message's buttons."""
    message = callback.message
    markup = message.reply_markup if isinstance(message, Message) else None
    if markup is None:
        return False
    return any(
        button.callback_data == callback.data for row in markup.inline_keyboard for button in row
    )


class OnlyOfferedButtons(BaseMiddleware):
    """On callback queries, registered before `setup_dialogs` so it runs ahead of aiogram-dialog."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if (
            isinstance(event, CallbackQuery)
            and remove_intent_id(event.data or "")[0] is not None
            and isinstance(event.message, Message)
            and not was_offered(event)
        ):
            log.warning(
                "refused: user %s pressed %r (no button of that message)",
                event.from_user.id,
                event.data,
            )
            i18n: Translator = data["i18n"]
            await event.answer(i18n("fallback.stale_button"), show_alert=True)
            return None
        return await handler(event, data)
