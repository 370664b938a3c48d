"""Per-update middleware: one person's updates one at a time, one session and its transaction.

Handlers and dialog callbacks receive `session` as data instead of reaching for globals (the
person and their translator come from `bot.user_middleware`, inside this one).

Transaction policy. Each update runs in one session opened here, and the dialog state (the
`SQLStorage` rows) is written through that same session, so a user action's writes, the reminders
it re-plans, its audit and the dialog's position share one transaction. The use cases (one service
function per user action: `bot.projects.*`, `bot.forget`, `bot.users`, the reminders' mute,
snooze and check-ins) never commit; the transaction is committed right before the update shows
anyone anything — `CommitBeforeShowing` on the Bot session commits before every send, edit,
delete or callback answer made inside an update, and `dialogs.committing_manager` first stores
the dialog's position so it goes in the same commit — and once more when the update is done, for
what came after (the id of the message just sent); an error rolls back whatever is not committed
yet. So a crash at any instant leaves the stored state either before the action (the person
still sees the previous screen and does it again) or after it (they see the result, and that is
what is stored): never a reply the state does not match.
`PersonLock`, outside the session, keeps a person's next update waiting until this one has
committed, so it never reads the state from before. Messages to anyone but the person acting go
out only after the update's last commit (`bot.notify`, between the lock and this middleware), and
are dropped when the update fails. Background work (the reminder sender) has no update: it opens
its own sessions and commits at its own loop's boundaries.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, TelegramObject
from aiogram.types import User as TelegramUser
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.storage import UpdateScope, update_scope

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class PersonLock(BaseMiddleware):
    """One person's updates are handled one at a time, each until its transaction has committed.

    aiogram-dialog's own per-dialog lock is released before the update's commit (and its context
    is read before that lock is even taken), so a quick second text or press of the same person
    could read the dialog from before the first one's answer. This lock is taken before the
    session is opened and released after it is closed. `isolation` is in-process for a lone bot
    and in Redis for replicas sharing the dialog state there."""

    def __init__(self, isolation: BaseEventIsolation) -> None:
        self._isolation = isolation

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: TelegramUser | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        bot: Bot | None = data.get("bot")
        if user is None or bot is None:
            return await handler(event, data)
        key = StorageKey(
            bot_id=bot.id, chat_id=chat.id if chat is not None else user.id, user_id=user.id
        )
        async with self._isolation.lock(key):
            return await handler(event, data)


class DatabaseMiddleware(BaseMiddleware):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        # Closed by hand rather than by `async with`, whose exit runs the close in a task of its
        # own so that a cancellation cannot cut it short: two more turns of the event loop on every
        # update, for a close that has nothing to wait for on SQLite (the driver runs inline).
        session = data["session"] = self._session_factory()
        scope = UpdateScope(session)
        token = update_scope.set(scope)
        try:
            result = await handler(event, data)
            await scope.commit()
            return result
        except BaseException:
            await session.rollback()
            raise
        finally:
            update_scope.reset(token)
            scope.detach()
            await session.close()


#: Bot API methods by which a person sees something (or stops seeing it).
SHOWING = ("send", "edit", "answer", "delete", "copy", "forward", "pin", "unpin")


class CommitBeforeShowing(BaseRequestMiddleware):
    """Inside an update, commit its transaction before any request that shows something.

    A handler's reply is then never seen before the writes it reports are durable: a crash between
    the two leaves the person without a reply (they do it again), never with a reply about a
    change that was lost. Outside an update (the reminder sender, the notifier after the update)
    there is no update session and the request goes as it is."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        scope = update_scope.get()
        if scope is not None and method.__api_method__.lower().startswith(SHOWING):
            await scope.commit()
        return await make_request(bot, method)
