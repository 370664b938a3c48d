"""Entry point: `python -m bot` — settings, migrations, then long polling (or, with WEBHOOK_URL,
a webhook server) until SIGTERM/SIGINT.

Both modes handle both signals: they stop taking updates, let in-flight handlers finish and then we
close the HTTP session and the database.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys

from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

from bot.app import build_app
from bot.config import TOKEN_HELP, ConfigError, Settings, load_settings
from bot.db import migrate
from bot.logging_setup import setup_logging
from bot.webhook import run_webhook

log = logging.getLogger("bot")


async def leave_webhook_mode(bot: Bot) -> None:
    """Telegram refuses getUpdates (409 Conflict) while a webhook is set, and aiogram's polling
    does not remove it, so a bot switched back from webhook mode would poll in vain forever.
    Pending updates are kept: they are delivered to the polling that follows."""
    info = await bot.get_webhook_info()
    if info.url:
        log.warning("removing the webhook %s left from webhook mode before polling", info.url)
        await bot.delete_webhook(drop_pending_updates=False)


#: Allocations between two young-generation collections (CPython's default is 700).
YOUNG_GC_THRESHOLD = 50_000


def settle_heap() -> None:
    """Once the app is built, keep the garbage collector off what lives as long as the process.

    Modules, models, catalogs and compiled statements are some 200 000 objects that every full
    collection would walk again, and an update makes enough short-lived objects to start a young
    collection every few hundred allocations. Frozen and with a larger young generation, the
    collector's share of the CPU under load is about 2 % (`bench/questionnaire.py --bot-only
    --users 300`, timed with `gc.callbacks`: 0.6 s of 30 s; 1.6 s at a threshold of 20 000, 4 s at
    CPython's default). An update leaves no reference cycles (`bot.db.storage.UpdateScope.detach`),
    so what waits for a collection meanwhile is little: `python -m bench.memory` stays at about
    140 MB either way."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GC_THRESHOLD, middle, old)


async def run(settings: Settings) -> None:
    app = build_app(settings)
    try:
        try:
            me = await app.bot.get_me()
        except TelegramUnauthorizedError:
            raise ConfigError(
                TOKEN_HELP.replace("missing or malformed", "rejected by Telegram")
            ) from None
        except TelegramNetworkError as error:
            raise ConfigError(f"Cannot reach the Telegram Bot API ({error.message}).") from None
        log.info("started as @%s", me.username)
        settle_heap()
        if settings.webhook_url:
            await run_webhook(app, settings)
        else:
            await leave_webhook_mode(app.bot)
            await app.dispatcher.start_polling(app.bot, handle_signals=True, close_bot_session=True)
    finally:
        await app.bot.session.close()
        await app.engine.dispose()


def main() -> int:
    try:
        settings = load_settings()
        setup_logging(
            settings.log_level, settings.bot_token.get_secret_value(), settings.log_format
        )
        if path := settings.sqlite_path():
            path.parent.mkdir(parents=True, exist_ok=True)
        migrate.bring_up_to_date(settings.database_url)
        asyncio.run(run(settings))
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    except migrate.MigrationFailed as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
