"""Wiring: settings → Bot, Dispatcher, storage, middlewares, routers, start-up tasks.

The only place that knows every part of the application; everything else gets its dependencies
passed in (dispatcher workflow data, middleware data), so tests build the same app with fakes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.types import BotCommand, BotCommandScopeDefault
from aiogram_dialog import setup_dialogs
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import Clock, FileOffsetClock, SystemClock
from bot.config import Settings
from bot.db.engine import create_engine, create_session_factory
from bot.db.middleware import DatabaseMiddleware
from bot.db.storage import SQLStorage
from bot.i18n import LANGUAGES, translator
from bot.log_context import LogContextMiddleware
from bot.notify import NoticeMiddleware
from bot.reminders.planning import replan_all
from bot.reminders.ratelimit import LocalLimiter, SendLimiter
from bot.reminders.sender import ReminderSender, default_worker_id
from bot.telegram_types import pin_response_models
from bot.user_middleware import UserMiddleware
from dialogs import (
    brief_comment,
    checkin,
    goals,
    new_project,
    onboarding,
    projects,
    questionnaire,
    timezone,
    work_hours,
)
from dialogs import settings as settings_dialogs
from dialogs.early_press import EarlyPressRetry
from dialogs.intent_ids import use_unique_intent_ids
from handlers import briefs as brief_commands
from handlers import common, errors, fallback, start
from handlers import goals as goal_commands
from handlers import projects as project_commands
from handlers import reminders as reminder_commands
from ui.context import ContextMiddleware
from ui.reminders import build_render

COMMANDS = (
    "start",
    "new",
    "projects",
    "brief",
    "goals",
    "checkin",
    "reminders",
    "calendar",
    "settings",
    "lang",
    "help",
    "cancel",
)

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
    if session is None and settings.telegram_api_url:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def build_storage(settings: Settings, engine: AsyncEngine) -> BaseStorage:
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisStorage

        return RedisStorage.from_url(
            settings.redis_url, key_builder=DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        )
    return SQLStorage(engine)


def shared_redis(storage: BaseStorage) -> RedisStorage | None:
    """The Redis storage replicas share, or None for a lone process's database storage."""
    from aiogram.fsm.storage.redis import RedisStorage

    return storage if isinstance(storage, RedisStorage) else None


def replica_isolation(storage: BaseStorage) -> BaseEventIsolation | None:
    """Replicas sharing dialog state in Redis take one person's updates one at a time (a double
    tap can reach two replicas at once); in one process aiogram-dialog's own lock does that."""
    redis = shared_redis(storage)
    return redis.create_isolation() if redis is not None else None


def build_dispatcher(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    storage: BaseStorage,
    clock: Clock,
) -> Dispatcher:
    # aiogram's FSM middleware is registered by hand, after the database one, so its reads of the
    # dialog state run inside the update's session: one transaction per update, not one more.
    dispatcher = Dispatcher(
        storage=storage,
        events_isolation=replica_isolation(storage),
        disable_fsm=True,
        default_language=settings.default_language,
        clock=clock,
    )
    dispatcher.update.outer_middleware(LogContextMiddleware())
    dispatcher.update.outer_middleware(EarlyPressRetry())
    # Notices to other people go out after the database middleware inside has committed.
    dispatcher.update.outer_middleware(NoticeMiddleware(session_factory))
    dispatcher.update.outer_middleware(DatabaseMiddleware(session_factory))
    dispatcher.update.outer_middleware(UserMiddleware(settings.default_language))
    dispatcher.update.outer_middleware(ContextMiddleware())
    dispatcher.update.outer_middleware(dispatcher.fsm)
    dispatcher.include_routers(
        errors.build_router(),
        start.build_router(),
        common.build_router(),
        project_commands.build_router(),
        goal_commands.build_router(),
        brief_commands.build_router(),
        reminder_commands.build_router(),
        onboarding.build_dialog(),
        timezone.build_dialog(),
        work_hours.build_dialog(),
        settings_dialogs.build_dialog(),
        new_project.build_dialog(),
        projects.build_dialog(),
        questionnaire.build_dialog(),
        goals.build_dialog(),
        brief_comment.build_dialog(),
        checkin.build_dialog(),
        fallback.build_router(),
    )
    use_unique_intent_ids()
    setup_dialogs(dispatcher)
    dispatcher.startup.register(register_commands)
    attach_reminder_sender(dispatcher, session_factory, clock, build_send_limiter(storage))
    return dispatcher


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


async def register_commands(bot: Bot) -> None:
    """The command menu in both languages; Russian is also the default for everyone else."""
    for language in LANGUAGES:
        i18n = translator(language)
        commands = [
            BotCommand(command=name, description=i18n(f"commands.{name}")) for name in COMMANDS
        ]
        await bot.set_my_commands(commands, BotCommandScopeDefault(), language_code=language)
        if language == LANGUAGES[0]:
            await bot.set_my_commands(commands, BotCommandScopeDefault())


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
