"""Fixtures for the fake Bot API's own tests: a real aiogram Bot and a control client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from tests.fakebotapi import FakeBotAPI, FakeBotAPIClient, SimUser

TOKEN = "4242:test-token"
ANNA = SimUser(id=501, first_name="Анна", language_code="ru")


class LoopbackSession(AiohttpSession):
    """Closes at once: aiogram's 250 ms grace period is for TLS sockets, and loopback has none."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def make_bot(url: str, token: str = TOKEN) -> Bot:
    return Bot(token, session=LoopbackSession(api=TelegramAPIServer.from_base(url)))


@pytest.fixture
async def bot(fake_api: FakeBotAPI) -> AsyncIterator[Bot]:
    bot = make_bot(fake_api.url)
    yield bot
    await bot.session.close()


@pytest.fixture
async def client(fake_api: FakeBotAPI) -> AsyncIterator[FakeBotAPIClient]:
    async with fake_api.client(TOKEN) as client:
        yield client


@pytest.fixture
async def anna_chat(client: FakeBotAPIClient) -> int:
    """Anna has written to the bot, so Telegram lets the bot message her."""
    await client.send_text(ANNA, "hi")
    return ANNA.id
