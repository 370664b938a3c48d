"""Typed text is never taken for a reply-keyboard press.

aiogram-dialog hides a reply-keyboard button's callback data in invisible characters (zero-width
joiners and the like) at the end of the button's text, and reads any message ending in them as a
press. This bot has no reply keyboards, so such a tail is only ever typed — an emoji sequence
ending in a joiner, a pasted soft hyphen — and aiogram-dialog would raise on it ("This callback
query is generated from ReplyButton click") instead of answering the step. The tail is invisible
and means nothing: it is dropped before aiogram-dialog sees the message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject
from aiogram_dialog.utils import REPLY_CALLBACK_SYMBOLS

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DropInvisibleTail(BaseMiddleware):
    """Registered on messages before `setup_dialogs`, so it runs ahead of aiogram-dialog."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Message) and event.text:
            text = event.text.rstrip(REPLY_CALLBACK_SYMBOLS)
            if text != event.text:
                event = event.model_copy(update={"text": text}).as_(event.bot)
        return await handler(event, data)
