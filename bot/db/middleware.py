"""Per-update middleware: one person's updates one at a time, one session and its transaction.

Handlers and dialog callbacks receive `session` as data instead of reaching for globals (the
person and their translator come from `bot.user_middleware`, inside this one).

Transaction policy. Each update runs in one session opened here, and the dialog state (the
`SQLStorage` rows) is written through that same session, so answers, everything a step re-plans
and the dialog's position share one transaction. It is committed right before the update shows
the person anything that depends on it — `dialogs.committing_manager` commits before each screen
is sent or edited — and once more when the update is done, for what came after (the id of the
message just sent); an error rolls back whatever is not committed yet. So a crash at any instant
leaves the stored state either before the step (the person still sees the previous screen and
answers it again) or after it (they see the new screen, and that is where the dialog is): never
a screen the state does not match. Use cases called from dialogs therefore must not commit on
their own in the middle of a step. `PersonLock`, outside the session, keeps a person's next update
waiting until this one has committed, so it never reads the state from before. Messages to anyone
but the person acting go out only after the update's last commit (`bot.notify`, between the lock
and this middleware), and are dropped when the update fails.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
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
        async with self._session_factory() as session:
            data["session"] = session
            token = update_scope.set(UpdateScope(session))
            try:
                result = await handler(event, data)
            except BaseException:
                await session.rollback()
                raise
            finally:
                update_scope.reset(token)
            await session.commit()
            return result
