"""The one way to reach a person other than the one acting: notices, sent after the commit.

Approving a brief tells the other side, accepting an invite tells the specialist, sending a
brief for sign-off sends it to the client, and so on. Those messages go to someone who may have
blocked the bot, and their refusal must never undo what the actor did. So a handler only
*queues* a notice (:meth:`Notifier.notify`); :class:`NoticeMiddleware`, which wraps the database
middleware, delivers the queue once the update's transaction has committed, and drops it when
the update failed (nothing happened, so there is nothing to tell).

Delivery keeps to what the reminder sender (``bot/reminders/sender.py``, the other path that
writes to people unasked) does with Telegram's answers:

* 403 — the person blocked the bot: they are marked ``blocked`` (their pending reminders are
  cancelled, as the sender does) and the actor is told, in one sentence, that the notice did not
  arrive;
* 429 — wait ``retry_after`` once and try again; a second refusal is logged;
* 400 and any other failure — logged as a warning with the Bot API method; the actor's update
  goes on.

Replies to the person acting are not notices: handlers send those themselves.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.types import InlineKeyboardMarkup, TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import User
from bot.i18n import translator
from bot.reminders import queue

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

#: The longest a notice waits on Telegram's flood control before it is given up.
MAX_RETRY_AFTER_S = 30.0


@dataclass(frozen=True, slots=True)
class Notice:
    """Messages for one person, as plain values: the rows they came from may be gone by delivery.

    ``parts`` go in order, the keyboard under the last one. ``undelivered`` is what the actor is
    told when the person has blocked the bot, already in the actor's language; without it they
    get the general sentence.
    """

    recipient_id: int
    chat_id: int
    name: str
    parts: tuple[str, ...]
    reply_markup: InlineKeyboardMarkup | None = None
    undelivered: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """Whom to tell that a notice did not arrive."""

    chat_id: int
    language: str


@dataclass
class Notifier:
    """Collects the notices of one update; :class:`NoticeMiddleware` delivers them."""

    bot: Bot
    sessions: async_sessionmaker[AsyncSession]
    pending: list[Notice] = field(default_factory=list)

    def notify(
        self,
        recipient: User,
        *parts: str,
        reply_markup: InlineKeyboardMarkup | None = None,
        undelivered: str | None = None,
    ) -> None:
        """Queue ``parts`` for ``recipient``; they are sent once the update has committed."""
        self.pending.append(
            Notice(
                recipient.id,
                recipient.telegram_id,
                recipient.display_name,
                tuple(parts),
                reply_markup,
                undelivered,
            )
        )

    async def deliver(self) -> list[Notice]:
        """Send every queued notice; returns those whose recipient has blocked the bot. Never
        raises for a Telegram refusal: the actor's update has already succeeded."""
        notices, self.pending = self.pending, []
        unreachable: list[Notice] = []
        for notice in notices:
            if not await self._send(notice):
                unreachable.append(notice)
        return unreachable

    async def _send(self, notice: Notice) -> bool:
        """False only when the recipient has blocked the bot; other failures are logged."""
        try:
            await self._send_parts(notice)
        except TelegramForbiddenError:
            await self._unreachable(notice)
            return False
        except TelegramBadRequest as error:
            log.warning(
                "notice to user %s refused by %s: %s",
                notice.recipient_id,
                type(error.method).__name__,
                error.message,
            )
        except TelegramAPIError as error:
            log.warning("notice to user %s not sent: %r", notice.recipient_id, error)
        return True

    async def _send_parts(self, notice: Notice) -> None:
        """Every part in order; a 429 waits its ``retry_after`` once and sends the part again."""
        for index, part in enumerate(notice.parts):
            last = index == len(notice.parts) - 1
            markup = notice.reply_markup if last else None
            try:
                await self.bot.send_message(notice.chat_id, part, reply_markup=markup)
            except TelegramRetryAfter as flood:
                await asyncio.sleep(min(flood.retry_after, MAX_RETRY_AFTER_S))
                await self.bot.send_message(notice.chat_id, part, reply_markup=markup)

    async def _unreachable(self, notice: Notice) -> None:
        """Mark the person blocked, as the reminder sender does (a later message from them marks
        them reachable again)."""
        async with self.sessions() as session, session.begin():
            cancelled = await queue.block_recipient(session, notice.recipient_id)
        log.info(
            "user %s blocked the bot; a notice was not delivered, %s reminders cancelled",
            notice.recipient_id,
            cancelled,
        )

    async def tell(self, actor: Actor, unreachable: list[Notice]) -> None:
        """One sentence per person who did not get their notice because they blocked the bot."""
        i18n = translator(actor.language)
        told: set[int] = set()
        for notice in unreachable:
            if notice.recipient_id in told:
                continue
            told.add(notice.recipient_id)
            text = notice.undelivered or i18n("notify.unreachable", name=html.escape(notice.name))
            try:
                await self.bot.send_message(actor.chat_id, text)
            except TelegramAPIError as error:
                log.warning("could not tell user in chat %s: %r", actor.chat_id, error)


class NoticeMiddleware(BaseMiddleware):
    """Gives each update a :class:`Notifier` (``data["notifier"]``) and delivers its notices
    after the database middleware inside it has committed the update.

    Registered outside the database middleware and inside the early-press retry, so a retried
    press starts with an empty queue and only the attempt that committed is told to anyone.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        notifier = Notifier(data["bot"], self._sessions)
        data["notifier"] = notifier
        result = await handler(event, data)  # the update's transaction has committed here
        if notifier.pending:
            unreachable = await notifier.deliver()
            user = data.get("user")
            if unreachable and isinstance(user, User):
                await notifier.tell(Actor(user.telegram_id, user.language), unreachable)
        return result
