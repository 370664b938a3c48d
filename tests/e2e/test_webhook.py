"""Webhook mode as an operator runs it: the real `python -m bot` behind the fake Bot API, which posts
updates to the bot's own aiohttp server with the secret header."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_engine
from bot.webhook import READY_MESSAGE, add_health_route
from testkit import FakeBotAPI
from testkit.client import FakeBotAPIClient, SimUser
from testkit.process import WAIT, BotProcess, bot_env

ANNA = SimUser(id=501, first_name="Анна", language_code="ru")
MALLORY_ID = 666
SECRET = "s3cret_Webhook-token"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def webhook_bot(fake_api: FakeBotAPI, tmp_path: Path) -> Iterator[tuple[BotProcess, str]]:
    """The bot in webhook mode and the base URL it listens on."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = bot_env(fake_api.url, tmp_path / "bot.db")
    env.update(
        WEBHOOK_URL=base,
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_HOST="127.0.0.1",
        WEBHOOK_PORT=str(port),
        WEBHOOK_PATH="/telegram",
    )
    process = BotProcess(env, tmp_path / "bot.log")
    yield process, base
    if process.process is not None and process.process.poll() is None:
        process.stop()


def _forged_start(update_id: int) -> dict[str, object]:
    user = {"id": MALLORY_ID, "is_bot": False, "first_name": "Mallory", "language_code": "en"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": MALLORY_ID, "type": "private", "first_name": "Mallory"},
            "from": user,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_start_is_answered_over_the_webhook_and_healthz_is_ok(
    webhook_bot: tuple[BotProcess, str], tg: FakeBotAPIClient
) -> None:
    process, base = webhook_bot
    process.start()
    await process.wait_until_running(ready=READY_MESSAGE)
    sent = await tg.send_text(ANNA, "/start")
    reply = await tg.wait_for_message(ANNA.id, since=sent.seq, within=WAIT)
    assert "Привет, Анна" in (reply.text or ""), process.output()
    assert "Start polling" not in process.output()
    async with aiohttp.ClientSession() as http, http.get(f"{base}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"database": "ok", "redis": "not used"}


async def test_posts_without_the_right_secret_are_refused_and_not_processed(
    webhook_bot: tuple[BotProcess, str], tg: FakeBotAPIClient
) -> None:
    process, base = webhook_bot
    process.start()
    await process.wait_until_running(ready=READY_MESSAGE)
    async with aiohttp.ClientSession() as http:
        for update_id, headers in enumerate(
            ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}), start=900_001
        ):
            async with http.post(
                f"{base}/telegram", json=_forged_start(update_id), headers=headers
            ) as response:
                assert response.status in {401, 403}
    # A genuine update afterwards is handled; the forged ones never were.
    sent = await tg.send_text(ANNA, "/start")
    await tg.wait_for_message(ANNA.id, since=sent.seq, within=WAIT)
    await process.wait_handled(1)
    await asyncio.sleep(0.3)
    assert process.output().count(" is handled.") == 1, process.output()
    assert all(call.chat_id != MALLORY_ID for call in await tg.calls())


async def test_sigterm_stops_the_webhook_server_cleanly(
    webhook_bot: tuple[BotProcess, str], tg: FakeBotAPIClient
) -> None:
    process, _ = webhook_bot
    process.start()
    await process.wait_until_running(ready=READY_MESSAGE)
    sent = await tg.send_text(ANNA, "/start")
    await tg.wait_for_message(ANNA.id, since=sent.seq, within=WAIT)
    assert await asyncio.to_thread(process.stop) == 0
    assert "Traceback" not in process.output()


async def _healthz(engine: AsyncEngine, storage: BaseStorage) -> tuple[int, object]:
    web_app = web.Application()
    add_health_route(web_app, engine, storage)
    async with TestClient(TestServer(web_app)) as client:
        response = await client.get("/healthz")
        return response.status, await response.json()


async def test_healthz_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/no/such/dir/bot.db")
    try:
        assert await _healthz(engine, MemoryStorage()) == (
            503,
            {"database": "error", "redis": "not used"},
        )
    finally:
        await engine.dispose()


async def test_healthz_pings_redis_when_dialog_state_is_there(tmp_path: Path) -> None:
    """A closed port stands for Redis being down; the database itself is fine."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    storage = RedisStorage.from_url(f"redis://127.0.0.1:{_free_port()}/0")
    try:
        assert await _healthz(engine, storage) == (503, {"database": "ok", "redis": "error"})
    finally:
        await storage.close()
        await engine.dispose()


async def test_a_webhook_url_telegram_refuses_stops_with_a_sentence(
    webhook_bot: tuple[BotProcess, str],
) -> None:
    """The fake Bot API, like Telegram for plain-HTTP URLs, refuses this address."""
    process, _ = webhook_bot
    process.env["WEBHOOK_URL"] = "http://bot.example.com"
    process.start()
    assert process.process is not None
    assert await asyncio.to_thread(process.process.wait, 60) == 2
    output = process.output()
    assert "Telegram refused the webhook http://bot.example.com/telegram" in output
    assert "Traceback" not in output
