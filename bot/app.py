"""Wiring: settings → Bot, Dispatcher, storage, middlewares, routers, start-up tasks.

The only place that knows every part of the application; everything else gets its dependencies
passed in (dispatcher workflow data, middleware data), so tests build the same app with fakes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram_dialog import setup_dialogs
from aiogram_dialog.context.media_storage import MediaIdStorage
from aiogram_dialog.manager.message_manager import MessageManager
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.bot_api_guard import BotApiGuard
from bot.clock import Clock, FileOffsetClock, SystemClock
from bot.commands import register_commands
from bot.config import Settings
from bot.db.engine import create_engine, create_session_factory
from bot.db.middleware import CommitBeforeShowing, DatabaseMiddleware, PersonLock
from bot.db.storage import SQLStorage
from bot.log_context import LogContextMiddleware
from bot.notify import NoticeMiddleware
from bot.reminders.planning import replan_all
from bot.reminders.ratelimit import LocalLimiter, SendLimiter
from bot.reminders.sender import ReminderSender, default_worker_id
from bot.telegram_types import loads_without_echoes, pin_response_models
from bot.user_middleware import UserMiddleware
from dialogs import (
    brief_comment,
    checkin,
    goal_removal,
    goals,
    new_project,
    onboarding,
    projects,
    questionnaire,
    timezone,
    work_hours,
)
from dialogs import settings as settings_dialogs
from dialogs.committing_manager import CommittingManagerFactory
from dialogs.drawn_keyboards import KEY as DRAWN_KEYBOARDS
from dialogs.drawn_keyboards import DrawnKeyboards
from dialogs.early_press import EarlyPressRetry
from dialogs.intent_ids import use_unique_intent_ids
from dialogs.isolation import QueuedBeforeShared, ReleasingEventIsolation
from dialogs.typed_text import DropInvisibleTail
from handlers import briefs as brief_commands
from handlers import common, errors, fallback, forget, start
from handlers import goals as goal_commands
from handlers import projects as project_commands
from handlers import reminders as reminder_commands
from handlers.routing import command_routers
from ui.context import ContextMiddleware
from ui.pressed import OnlyOfferedButtons
from ui.reminders import build_render

if TYPE_CHECKING:
    from aiogram.fsm.storage.redis import RedisStorage


@dataclass
class App:
    bot: Bot
    dispatcher: Dispatcher
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    response_models: list[Any]


def build_bot(settings: Settings, session: AiohttpSession | None = None) -> Bot:
    if session is None:
        url = settings.telegram_api_url
        api = TelegramAPIServer.from_base(url) if url else PRODUCTION
        session = AiohttpSession(api=api, json_loads=loads_without_echoes)
    bot = Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    # One process knows every message it sent; replicas sharing chats do not (see the guard).
    # First, so outermost: a reply goes out only after its update's writes are committed.
    bot.session.middleware(CommitBeforeShowing())
    bot.session.middleware(BotApiGuard(remember_screens=not settings.redis_url))
    return bot


def build_storage(settings: Settings, engine: AsyncEngine) -> BaseStorage:
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisStorage

        return RedisStorage.from_url(
            settings.redis_url, key_builder=DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        )
    return SQLStorage(engine)


def shared_redis(storage: BaseStorage) -> RedisStorage | None:
    """The Redis storage replicas share, or None for a lone process's database storage.

    A RedisStorage can only exist once its module is imported, so without it there is nothing to
    check — and a bot without Redis never imports redis-py (a tenth of a second, a few MB)."""
    if "aiogram.fsm.storage.redis" not in sys.modules:
        return None
    from aiogram.fsm.storage.redis import RedisStorage

    return storage if isinstance(storage, RedisStorage) else None


def person_isolation(storage: BaseStorage) -> BaseEventIsolation:
    """Where `PersonLock` keeps its locks: in Redis when replicas share dialog state there (a
    double tap can reach two replicas at once), in memory for a lone process."""
    redis = shared_redis(storage)
    if redis is None:
        return ReleasingEventIsolation()
    return QueuedBeforeShared(redis.create_isolation())


def build_dispatcher(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    storage: BaseStorage,
    clock: Clock,
) -> Dispatcher:
    # aiogram's FSM middleware is registered by hand, after the database one, so its reads of the
    # dialog state run inside the update's session: one transaction per update, not one more.
    # The person's lock is taken before that session opens and released after it commits
    # (transaction policy: bot/db/middleware.py).
    dispatcher = Dispatcher(
        storage=storage,
        disable_fsm=True,
        default_language=settings.default_language,
        clock=clock,
    )
    dispatcher.update.outer_middleware(LogContextMiddleware())
    dispatcher.update.outer_middleware(EarlyPressRetry())
    dispatcher.update.outer_middleware(PersonLock(person_isolation(storage)))
    # Notices to other people go out after the database middleware inside has committed, still
    # under the person's lock (so one person's notices leave in the order of their updates).
    dispatcher.update.outer_middleware(NoticeMiddleware(session_factory))
    dispatcher.update.outer_middleware(DatabaseMiddleware(session_factory))
    dispatcher.update.outer_middleware(UserMiddleware(settings.default_language))
    dispatcher.update.outer_middleware(ContextMiddleware())
    dispatcher.update.outer_middleware(dispatcher.fsm)
    # Error handlers run after the failed update's session was rolled back and closed: they get
    # a session (and a freshly loaded user and context on it) of their own to show the person's
    # step again.
    dispatcher.errors.outer_middleware(LogContextMiddleware())
    dispatcher.errors.outer_middleware(
        errors.ErrorScope(
            storage,
            DatabaseMiddleware(session_factory),
            UserMiddleware(settings.default_language),
            ContextMiddleware(),
        )
    )
    dispatcher.include_routers(
        command_routers(
            start.build_router(),
            common.build_router(),
            project_commands.build_router(),
            goal_commands.build_router(),
            brief_commands.build_router(),
            reminder_commands.build_router(),
            forget.build_router(),
        ),
        # A dialog takes only the updates of its own intents, so their order is free: the one
        # that takes most of them goes first.
        questionnaire.build_dialog(),
        onboarding.build_dialog(),
        timezone.build_dialog(),
        work_hours.build_dialog(),
        settings_dialogs.build_dialog(),
        new_project.build_dialog(),
        projects.build_dialog(),
        goals.build_dialog(),
        goal_removal.build_dialog(),
        brief_comment.build_dialog(),
        checkin.build_dialog(),
        fallback.build_router(),
        # Only errors reach it (the fallback takes every message and press): where it stands
        # decides nothing, except that no answer walks through it on the way to its dialog.
        errors.build_router(),
    )
    use_unique_intent_ids()
    dispatcher.message.outer_middleware(DropInvisibleTail())
    dispatcher.callback_query.outer_middleware(OnlyOfferedButtons())
    setup_dialogs(
        dispatcher,
        dialog_manager_factory=committing_manager_factory(),
        events_isolation=ReleasingEventIsolation(),
    )
    dispatcher[DRAWN_KEYBOARDS] = DrawnKeyboards()
    dispatcher.startup.register(register_commands)
    attach_reminder_sender(dispatcher, session_factory, clock, build_send_limiter(storage))
    return dispatcher


def committing_manager_factory() -> CommittingManagerFactory:
    """aiogram-dialog's default parts, with a manager that commits before each screen (a press
    is answered once by the bot's `BotApiGuard`)."""
    return CommittingManagerFactory(
        message_manager=MessageManager(),
        media_id_storage=MediaIdStorage(),  # type: ignore[no-untyped-call]
        getter=None,
    )


def build_send_limiter(storage: BaseStorage) -> SendLimiter:
    """Telegram's sending limits are the bot's: replicas that share dialog state in Redis also
    share the limiter there; a lone process keeps it in memory."""
    redis = shared_redis(storage)
    if redis is not None:
        from bot.reminders.redis_ratelimit import RedisRateLimiter

        return RedisRateLimiter(redis.redis)
    return LocalLimiter()


def attach_reminder_sender(
    dispatcher: Dispatcher,
    session_factory: async_sessionmaker[AsyncSession],
    clock: Clock,
    limiter: SendLimiter,
) -> None:
    """The reminder sender lives as long as polling: started after a re-plan of every project
    (so nothing depends on a hook having run before a restart), stopped on shutdown — which
    aiogram runs on SIGTERM/SIGINT before it closes the bot's session — handing unsent claims
    back to the queue."""
    running: list[ReminderSender] = []

    async def start_sender(bot: Bot) -> None:
        async with session_factory() as session, session.begin():
            await replan_all(session, clock.now())
        sender = ReminderSender(
            session_factory,
            bot,
            clock,
            build_render(session_factory),
            default_worker_id(),
            limiter=limiter,
        )
        sender.start()
        running.append(sender)

    async def stop_sender() -> None:
        while running:
            await running.pop().stop()

    dispatcher.startup.register(start_sender)
    dispatcher.shutdown.register(stop_sender)


def build_clock(settings: Settings) -> Clock:
    """The system clock; in the sandbox, one its "move time forward" control can move."""
    if settings.sandbox_clock_file is not None:
        return FileOffsetClock(settings.sandbox_clock_file)
    return SystemClock()


def build_app(settings: Settings, clock: Clock | None = None, bot: Bot | None = None) -> App:
    engine = create_engine(settings.database_url)
    session_factory = create_session_factory(engine)
    dispatcher = build_dispatcher(
        settings, session_factory, build_storage(settings, engine), clock or build_clock(settings)
    )
    return App(
        bot or build_bot(settings), dispatcher, engine, session_factory, pin_response_models()
    )
