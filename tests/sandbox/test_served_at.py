"""When each update left for the bot (``BotState.served_at``), which benchmarks time the bot from."""

from __future__ import annotations

import asyncio
import time

from aiogram import Bot

from testkit import FakeBotAPI, FakeBotAPIClient

from .conftest import ANNA, TOKEN
from .test_updates import webhook_receiver


async def test_get_updates_stamps_the_first_hand_out_only(
    fake_api: FakeBotAPI, bot: Bot, client: FakeBotAPIClient
) -> None:
    first = await client.send_text(ANNA, "one")
    assert first.update_id is not None
    state = fake_api.bot(TOKEN)
    assert state.served_at == {}  # queued is not served
    before = time.monotonic()
    await bot.get_updates()
    served = state.served_at[first.update_id]
    assert before <= served <= time.monotonic()
    second = await client.send_text(ANNA, "two")
    assert second.update_id is not None
    await bot.get_updates()  # hands "one" out again, unconfirmed
    assert state.served_at[first.update_id] == served
    assert state.served_at[second.update_id] >= served
    await client.reset()
    assert state.served_at == {}


async def test_webhook_delivery_stamps_the_update(
    fake_api: FakeBotAPI, bot: Bot, client: FakeBotAPIClient
) -> None:
    async with webhook_receiver() as (url, received):
        await bot.set_webhook(url)
        sent = await client.send_text(ANNA, "via webhook")
        await asyncio.wait_for(received.get(), 5)
        assert sent.update_id in fake_api.bot(TOKEN).served_at
        await bot.delete_webhook()
