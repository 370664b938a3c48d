"""Webhook mode: an aiohttp server that Telegram posts updates to, plus `/healthz` for probes.

Chosen by setting WEBHOOK_URL; long polling stays the default. Updates are only accepted with the
right `X-Telegram-Bot-Api-Secret-Token` header (aiogram answers 401 otherwise, before anything is
parsed). This module must never delete the webhook on shutdown: other replicas may still be serving
it, and Telegram keeps updates queued while no replica answers.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.storage.base import BaseStorage
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import App
from bot.config import ConfigError, Settings

log = logging.getLogger("bot.webhook")

#: Logged once the server listens and Telegram knows the URL; tests and operators wait for it.
READY_MESSAGE = "Webhook is set, serving updates"
HEALTH_PATH = "/healthz"
#: A probe that hangs is as bad as a failing one; answer 503 well before a probe's own timeout.
HEALTH_TIMEOUT = 3.0
#: How long SIGTERM waits for in-flight updates before closing connections anyway.
SHUTDOWN_TIMEOUT = 30.0


async def check_health(engine: AsyncEngine, storage: BaseStorage) -> tuple[bool, dict[str, str]]:
    """Whether this replica can serve updates: its database answers and, when dialog state is in
    Redis, Redis answers too."""
    report: dict[str, str] = {}
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        report["database"] = "ok"
    except Exception:  # any failure, whatever the driver, means "not healthy"
        log.warning("health check: database unreachable", exc_info=True)
        report["database"] = "error"
    redis = getattr(storage, "redis", None)
    if redis is None:
        report["redis"] = "not used"
    else:
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT):
                await redis.ping()
            report["redis"] = "ok"
        except Exception:
            log.warning("health check: redis unreachable", exc_info=True)
            report["redis"] = "error"
    return all(value != "error" for value in report.values()), report


def add_health_route(web_app: web.Application, engine: AsyncEngine, storage: BaseStorage) -> None:
    """`GET /healthz`: 200 when this replica can serve, 503 so a load balancer skips it."""

    async def health(request: web.Request) -> web.Response:
        healthy, report = await check_health(engine, storage)
        return web.json_response(report, status=200 if healthy else 503)

    web_app.router.add_get(HEALTH_PATH, health)


def build_web_app(app: App, settings: Settings) -> web.Application:
    """The aiohttp application: the webhook route, `/healthz`, and the dispatcher's start-up and
    shutdown hooks (commands menu, reminder sender)."""
    assert settings.webhook_secret is not None, "Settings guarantee a secret in webhook mode"
    web_app = web.Application()
    handler = SimpleRequestHandler(
        app.dispatcher,
        app.bot,
        # Answer Telegram only once the update is handled: a SIGTERM then waits for in-flight
        # updates, and one that fails is redelivered by Telegram instead of being lost.
        handle_in_background=False,
        secret_token=settings.webhook_secret.get_secret_value(),
    )
    # Not `handler.register`: it closes the bot session on shutdown, before in-flight updates
    # have finished sending their replies; `run_webhook`'s caller closes it after them.
    web_app.router.add_post(settings.webhook_path, handler.handle)

    add_health_route(web_app, app.engine, app.dispatcher.storage)
    setup_application(web_app, app.dispatcher, bot=app.bot)
    return web_app


async def run_webhook(app: App, settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Serve until SIGTERM/SIGINT (or `stop`), then stop listening, let in-flight updates finish
    and run the shutdown hooks. The caller closes the bot session and the engine afterwards."""
    endpoint = settings.webhook_endpoint()
    assert endpoint is not None and settings.webhook_secret is not None
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    runner = web.AppRunner(
        build_web_app(app, settings), shutdown_timeout=SHUTDOWN_TIMEOUT, access_log=None
    )
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
        await site.start()
        # Only once listening: Telegram starts posting as soon as it knows the URL.
        try:
            await app.bot.set_webhook(
                endpoint,
                secret_token=settings.webhook_secret.get_secret_value(),
                drop_pending_updates=False,
                allowed_updates=app.dispatcher.resolve_used_update_types(),
            )
        except TelegramBadRequest as error:
            raise ConfigError(
                f"Telegram refused the webhook {endpoint} ({error.message}); "
                "WEBHOOK_URL must be a public HTTPS address that reaches this server."
            ) from None
        log.info("%s at %s", READY_MESSAGE, endpoint)
        await stop.wait()
        log.info("stopping: finishing in-flight updates")
    finally:
        await runner.cleanup()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
