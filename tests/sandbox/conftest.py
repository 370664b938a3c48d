"""Fixtures for the built-in Bot API server's own tests: a real aiogram Bot and a control client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot

from testkit import FakeBotAPI, FakeBotAPIClient, SimUser
from testkit.aiogram_bot import make_bot as _make_bot

TOKEN = "4242:test-token"
ANNA = SimUser(id=501, first_name="Анна", language_code="ru")


def make_bot(url: str, token: str = TOKEN) -> Bot:
    return _make_bot(url, token)


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
