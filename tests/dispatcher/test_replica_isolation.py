"""Replicas sharing dialog state in Redis handle one person's updates one at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseStorage, StorageKey

from bot.app import person_isolation
from tests.dispatcher.harness import ChatUser


@pytest.mark.parametrize("fsm_storage", ["redis"], indirect=True)
async def test_a_persons_update_waits_while_another_replica_handles_theirs(
    make_dispatcher: Callable[[], Dispatcher],
    make_storage: Callable[[], BaseStorage],
    bot: Bot,
) -> None:
    anna = ChatUser(make_dispatcher(), bot, 1001, name="Анна", language="ru")
    busy = StorageKey(bot_id=bot.id, chat_id=1001, user_id=1001)

    # Replica one is in Anna's update: it holds her lock in the Redis both replicas share.
    async with person_isolation(make_storage()).lock(busy):
        other = asyncio.create_task(anna.send("/help"))
        await asyncio.sleep(0.5)
        assert not other.done()
    await asyncio.wait_for(other, 10)
    assert "/new" in (anna.last.text or "")
