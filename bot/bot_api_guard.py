"""One guard on every Bot API call the bot makes, for what Telegram refuses that is no fault.

- A text over Telegram's limit (200 characters for a callback answer, 4 096 for a message, 1 024
  for a caption) is cut to fit instead of being refused — which would leave the person with
  nothing. Callers cut what they interpolate themselves (`bot.limits`); a cut here is logged, as
  it means one of them did not.
- "message is not modified" (an edit that changes nothing: a double tap, a redraw of the same
  screen) is the success it is: the message already shows what was asked.
- A callback query is answered once. aiogram-dialog answers every press after its handler ran,
  so a handler that answered first (an alert, or early, before slow work) would be answered twice
  and Telegram refuses the second ("query is too old"); the second is skipped here.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, InlineKeyboardMarkup, Message

from bot.limits import ALERT_LIMIT, CAPTION_LIMIT, MESSAGE_LIMIT, cut_markup, cut_plain

log = logging.getLogger(__name__)

NOT_MODIFIED = "message is not modified"
#: Query ids remembered as answered; Telegram forgets a query within minutes, so a few thousand
#: recent ones cover every double answer of a busy bot.
ANSWERED_REMEMBERED = 4096

Edit = EditMessageText | EditMessageCaption | EditMessageReplyMarkup


class BotApiGuard(BaseRequestMiddleware):
    def __init__(self) -> None:
        self._answered: OrderedDict[str, None] = OrderedDict()

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        if isinstance(method, AnswerCallbackQuery):
            if method.callback_query_id in self._answered:
                log.debug("callback %s already answered", method.callback_query_id)
                return True
            try:
                return await make_request(bot, _fit(method))
            finally:  # answered or refused: a second try would be refused all the same
                self._remember(method.callback_query_id)
        try:
            return await make_request(bot, _fit(method))
        except TelegramBadRequest as error:
            if isinstance(method, Edit) and NOT_MODIFIED in error.message.lower():
                log.debug("edit of an unchanged message taken as done: %s", error.message)
                return _unchanged(method, bot)
            raise

    def _remember(self, query_id: str) -> None:
        self._answered[query_id] = None
        while len(self._answered) > ANSWERED_REMEMBERED:
            self._answered.popitem(last=False)


def _fit(method: TelegramMethod[Any]) -> TelegramMethod[Any]:
    """The same call with its text cut to Telegram's limit, if it was over."""
    if isinstance(method, AnswerCallbackQuery) and method.text:
        return _cut(method, "text", cut_plain(method.text, ALERT_LIMIT))
    if isinstance(method, SendMessage | EditMessageText) and method.text:
        return _cut(method, "text", _cut_text(method.text, method.parse_mode, MESSAGE_LIMIT))
    if isinstance(method, SendDocument | SendPhoto | EditMessageCaption) and method.caption:
        return _cut(method, "caption", _cut_text(method.caption, method.parse_mode, CAPTION_LIMIT))
    return method


def _cut_text(text: str, parse_mode: object, limit: int) -> str:
    """HTML unless the call says plain (the bot's default parse mode is HTML)."""
    return cut_plain(text, limit) if parse_mode is None else cut_markup(text, limit)


def _cut(method: TelegramMethod[Any], field: str, text: str) -> TelegramMethod[Any]:
    if text == getattr(method, field):
        return method
    log.warning("%s %s cut to fit Telegram's limit", method.__api_method__, field)
    return method.model_copy(update={field: text})


def _unchanged(method: Edit, bot: Bot) -> Message | bool:
    """What Telegram returns for an edit — the message as it now is — as far as the call says;
    `True` for an inline message, as Telegram does."""
    if method.chat_id is None or method.message_id is None:
        return True
    markup = method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
    return Message(
        message_id=method.message_id,
        date=datetime.now(UTC),
        chat=Chat(id=int(method.chat_id), type="private"),
        text=method.text if isinstance(method, EditMessageText) else None,
        caption=method.caption if isinstance(method, EditMessageCaption) else None,
        reply_markup=markup,
    ).as_(bot)
