"""aiogram-dialog's per-stack locks: one event of a stack at a time, and none kept afterwards
(aiogram's default keeps one for every person the process has ever met)."""

from __future__ import annotations

import asyncio

from aiogram import Dispatcher
from aiogram.fsm.storage.base import StorageKey

from dialogs.isolation import ReleasingEventIsolation
from tests.dispatcher.harness import ChatUser


def key(user: int) -> StorageKey:
    return StorageKey(bot_id=42, chat_id=user, user_id=user, destiny="aiogram_dialog_stack")


async def test_one_event_of_a_key_at_a_time_and_no_lock_left_after() -> None:
    isolation = ReleasingEventIsolation()
    order: list[str] = []

    async def event(name: str, user: int) -> None:
        async with isolation.lock(key(user)):
            order.append(f"{name} in")
            await asyncio.sleep(0.01)
            order.append(f"{name} out")

    await asyncio.gather(event("a", 1), event("b", 1), event("c", 2))
    # a and b share a key: b waits for a; c has its own and runs alongside
    assert order.index("a out") < order.index("b in")
    assert order.index("c in") < order.index("a out")
    assert isolation.keys_locked == 0


async def test_a_failing_event_releases_its_lock() -> None:
    isolation = ReleasingEventIsolation()
    try:
        async with isolation.lock(key(1)):
            raise RuntimeError("handler failed")
    except RuntimeError:
        pass
    assert isolation.keys_locked == 0
    async with asyncio.timeout(1), isolation.lock(key(1)):  # not left locked either
        pass


async def test_the_bot_keeps_no_dialog_lock_for_people_it_has_served(
    dispatcher: Dispatcher, anna: ChatUser
) -> None:
    await anna.send("/start")
    await anna.send("/new")
    isolations = [
        middleware.events_isolation
        for middleware in dispatcher.errors.middleware
        if hasattr(middleware, "events_isolation")
    ]
    assert isolations and all(isinstance(i, ReleasingEventIsolation) for i in isolations)
    assert all(i.keys_locked == 0 for i in isolations)
