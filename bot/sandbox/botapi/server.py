"""A local stand-in for api.telegram.org that the real bot talks to over HTTP.

The same server backs the end-to-end tests, the benchmarks and the sandbox (``make demo``).

:class:`FakeBotAPI` serves ``/bot<token>/<method>`` and ``/file/bot<token>/<path>`` exactly where
aiogram's ``TelegramAPIServer.from_base(url)`` looks for them, logs every call, applies injected
failures, and delivers updates by long polling or to a webhook. It binds loopback addresses only
and must never make a request to anything but a loopback webhook.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import itertools
import os
import signal
import time
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from . import control
from .methods import METHODS
from .params import Params
from .state import ApiError, BotState, CallRecord, Webhook

MAX_UPLOAD = 50 * 1024 * 1024  # Telegram's limit for bot uploads


class FakeBotAPI:
    """Start with ``await start()`` (or ``async with``); ``url`` is then the base for aiogram."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        webhook_retry_delay: float = 0.5,
        kill_hooks: bool = False,
    ) -> None:
        """``kill_hooks`` enables ``/_test/bot<token>/kill_hooks``, which lets whoever can reach
        the server have it SIGKILL a process: for crash tests only, never in the sandbox."""
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"the fake Bot API binds loopback addresses only, not {host!r}")
        self.host, self.port = host, port
        self.webhook_retry_delay = webhook_retry_delay
        self.bots: dict[str, BotState] = {}
        self._update_ids = itertools.count(1)
        self._senders: dict[str, asyncio.Task[None]] = {}
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.app = web.Application(client_max_size=MAX_UPLOAD)
        self.app.router.add_route("*", "/bot{token}/{method}", self._api)
        self.app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        control.add_routes(self.app, self.bot, self.reset)
        self.kill_hooks = kill_hooks
        if kill_hooks:
            control.add_kill_route(self.app, self.bot)

    @property
    def url(self) -> str:
        if self._runner is None:
            raise RuntimeError("the fake Bot API is not running")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def bot(self, token: str) -> BotState:
        """The state of the bot with this token, created on first use like a new bot."""
        bot = self.bots.get(token)
        if bot is None:
            bot = self.bots[token] = BotState(token, self._update_ids)
            if self._http is not None:
                self._start_sender(bot)
        return bot

    def reset(self) -> None:
        for bot in self.bots.values():
            bot.reset()

    async def start(self) -> str:
        self._http = aiohttp.ClientSession()
        self._runner = web.AppRunner(self.app, handler_cancellation=True, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        for bot in self.bots.values():
            bot.closing = False
            self._start_sender(bot)
        return self.url

    async def stop(self) -> None:
        for bot in self.bots.values():
            bot.closing = True
            bot.wake()
        for task in self._senders.values():
            task.cancel()
        await asyncio.gather(*self._senders.values(), return_exceptions=True)
        self._senders.clear()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # --- Bot API -------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        name = request.match_info["method"]
        bot = self.bot(request.match_info["token"])
        handler = METHODS.get(name.lower())
        chat_id: int | None = None
        try:
            if handler is None:
                raise ApiError(404, "Not Found")
            params = Params(await _read_params(request))
            chat_id = _chat_id(params)
            failure = bot.take_failure(name.lower(), chat_id)
            if failure is not None:
                raise failure
            body: dict[str, Any] = {"ok": True, "result": await handler(bot, params)}
            status = 200
        except ApiError as error:
            body, status = error.to_json(), error.code
        bot.calls.append(CallRecord(name, chat_id, arrived, status))
        if status == 200 and self.kill_hooks:
            pid = bot.take_kill(name.lower(), chat_id)
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
        return web.json_response(body, status=status)

    async def _download(self, request: web.Request) -> web.Response:
        bot = self.bot(request.match_info["token"])
        stored = bot.files_by_path.get(request.match_info["path"])
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").to_json(), status=404)
        return web.Response(body=stored.data, content_type="application/octet-stream")

    # --- webhook delivery ------------------------------------------------------------------
    def _start_sender(self, bot: BotState) -> None:
        self._senders[bot.token] = asyncio.create_task(self._send_updates(bot))

    async def _send_updates(self, bot: BotState) -> None:
        """Post pending updates one at a time, in order, retrying a failing webhook."""
        while not bot.closing:
            hook = bot.webhook
            if hook is None or not bot.pending:
                await bot.wait_arrival()
                continue
            update = bot.pending[0]
            bot.mark_served([update])
            error = await self._post(hook, update)
            if bot.webhook is not hook:
                continue
            if error is None:
                if bot.pending and bot.pending[0] is update:
                    bot.pending.popleft()
                continue
            hook.last_error_date, hook.last_error_message = int(time.time()), error
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bot.wait_arrival(), self.webhook_retry_delay)

    async def _post(self, hook: Webhook, update: dict[str, Any]) -> str | None:
        assert self._http is not None
        headers = (
            {"X-Telegram-Bot-Api-Secret-Token": hook.secret_token} if hook.secret_token else {}
        )
        try:
            async with self._http.post(
                hook.url, json=update, headers=headers, timeout=aiohttp.ClientTimeout(total=10)
            ) as response:
                if response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as error:
            return f"Connection failed: {type(error).__name__}"


async def _read_params(request: web.Request) -> dict[str, Any]:
    values: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            values.update(body)
    elif request.can_read_body:
        values.update(await request.post())
    return values


def _chat_id(params: Params) -> int | None:
    try:
        return params.chat_id()
    except ApiError:
        return None
