"""Each button press is answered once.

aiogram-dialog answers every callback query after its handler, also one the handler has already
answered with an alert (a refusal, "tick at least one day"). Telegram refuses that second answer
("query is too old … or query ID is invalid"), so every alert cost a failed Bot API call and a
WARNING. A request middleware on the bot's session remembers the queries answered recently, and
the dialogs' message manager skips those.
"""

from __future__ import annotations

from collections import OrderedDict

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import CallbackQuery
from aiogram_dialog.manager.message_manager import MessageManager

#: Far more presses than are handled at once; the oldest are forgotten first.
REMEMBERED = 10_000


class AnsweredQueries:
    """Ids of callback queries answered lately, bounded."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def add(self, query_id: str) -> None:
        self._ids[query_id] = None
        self._ids.move_to_end(query_id)
        while len(self._ids) > self._size:
            self._ids.popitem(last=False)

    def __contains__(self, query_id: object) -> bool:
        return query_id in self._ids


class RememberAnswers(BaseRequestMiddleware):
    """On the bot's session: notes every callback query the bot answers."""

    def __init__(self, answered: AnsweredQueries) -> None:
        self._answered = answered

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        response = await make_request(bot, method)
        if isinstance(method, AnswerCallbackQuery):
            self._answered.add(method.callback_query_id)
        return response


class AnswerOnce(MessageManager):
    """aiogram-dialog's message manager, minus the answer to a query that already has one."""

    def __init__(self, answered: AnsweredQueries) -> None:
        self._answered = answered

    async def answer_callback(self, bot: Bot, callback_query: CallbackQuery) -> None:
        if callback_query.id in self._answered:
            return
        await super().answer_callback(bot, callback_query)


#: One per process: the bot's session writes it, the dialogs read it.
ANSWERED = AnsweredQueries()


def remember_answers(bot: Bot) -> Bot:
    """The bot, its session now noting answered queries for `answer_once`."""
    bot.session.middleware(RememberAnswers(ANSWERED))
    return bot


def answer_once() -> AnswerOnce:
    """The message manager to give `setup_dialogs`."""
    return AnswerOnce(ANSWERED)
